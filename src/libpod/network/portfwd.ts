// Rootless port publishing for TCP, as Podman's rootlessport does it: the
// host ports are bound here, in the host's network namespace (so "already in
// use" is found at once, race-free), and handed over Node's IPC channel to a
// small forwarder started inside the container's namespace, which connects
// each client to the container. See portfwd-child.cts.
// Raw spawn, not util/process.ts: a long-lived forwarder with an IPC channel that outlives the call.
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {InvalidArgument, NetworkFailure} from '../define/errors.js'
import {expandPorts} from './ports.js'
import {failpoint} from '../util/failpoint.js'
import type {PortMapping} from './types.js'

function childScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const local = path.join(here, 'portfwd-child.cjs')
  // Under tsx (tests from src/), the built one.
  return existsSync(local) ? local : path.resolve(here, '../../../dist/libpod/network/portfwd-child.cjs')
}

function listen(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'bind: address already in use' : e.code === 'EACCES' ? 'bind: permission denied' : e.message
      reject(new InvalidArgument(`rootlessport listen tcp ${host}:${port}: ${why}`))
    })
    srv.listen({host, port, exclusive: true, backlog: 511}, () => resolve(srv))
  })
}

/**
 * Binds the TCP ports on the host and starts the forwarder in `netns`,
 * connecting to `targetIp` (the container's address there). For the
 * rootless netns, `toHostPort` targets the host port (netavark DNATs it).
 * Returns the forwarder's pid; nothing is left when it fails.
 */
export async function startPortForwarder(netns: string, marker: string, ports: PortMapping[], targetIp: string, logFile: string): Promise<number | undefined> {
  const tcp = expandPorts(ports).filter(p => p.protocol === 'tcp')
  if (!tcp.length) return undefined
  const servers: Array<{srv: Server; target: number}> = []
  try {
    for (const p of tcp) servers.push({srv: await listen(p.host_ip || '0.0.0.0', p.host_port), target: p.container_port})
  } catch (e) {
    for (const s of servers) s.srv.close()
    throw e
  }
  mkdirSync(path.dirname(logFile), {recursive: true})
  const log = openSync(logFile, 'a')
  const child = spawn('nsenter', [`--net=${netns}`, '--', process.execPath, childScript(), netns, marker], {
    detached: true, stdio: ['ignore', 'ignore', log, 'ipc'], serialization: 'json',
  })
  closeSync(log)
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = servers.length
      child.once('error', e => reject(new NetworkFailure(`port forwarder: ${e.message}`)))
      child.once('exit', code => reject(new NetworkFailure(`port forwarder exited with ${code} (see ${logFile})`)))
      child.on('message', (m: {type: string}) => {
        if (m.type === 'ok' && --pending === 0) resolve()
      })
      for (const [i, s] of servers.entries()) child.send({type: 'listen', id: i, host: targetIp, port: s.target}, s.srv)
    })
  } catch (e) {
    child.kill('SIGKILL')
    for (const s of servers) s.srv.close()
    throw e
  }
  child.removeAllListeners('exit')
  failpoint('network.portfwd.after-listen')
  // The forwarder holds its own copies of the sockets now.
  for (const s of servers) s.srv.close()
  child.send({type: 'done'})
  child.disconnect()
  child.unref()
  return child.pid
}
