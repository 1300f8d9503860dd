// Where a container's files live: documents and the log in the store (they
// survive a reboot), the bundle, sockets, pid and exit files in the runtime dir.
import path from 'node:path'
import type {Runtime} from '../runtime.js'

export interface ContainerPaths {
  /** Store dir: config.json, state.json, rootfs/, ctr.log. */
  dir: string
  log: string
  /** Runtime dir: the OCI bundle and everything that dies with a reboot. */
  run: string
  bundle: string
  monitorConfig: string
  monitorPid: string
  pidFile: string
  exitFile: string
  attachSocket: string
  hosts: string
  hostname: string
  resolvConf: string
  containerEnv: string
  /** `--root` of the OCI runtime. */
  runtimeRoot: string
}

export function containerPaths(rt: Runtime, id: string): ContainerPaths {
  const dir = rt.containers.containerDir(id)
  const run = path.join(rt.config.runRoot, 'containers', id)
  return {
    dir,
    log: path.join(dir, 'ctr.log'),
    run,
    bundle: run,
    monitorConfig: path.join(run, 'monitor.json'),
    monitorPid: path.join(run, 'conmon.pid'),
    pidFile: path.join(run, 'pidfile'),
    exitFile: path.join(run, 'exit.json'),
    attachSocket: path.join(run, 'attach'),
    hosts: path.join(run, 'hosts'),
    hostname: path.join(run, 'hostname'),
    resolvConf: path.join(run, 'resolv.conf'),
    containerEnv: path.join(run, '.containerenv'),
    runtimeRoot: path.join(rt.config.runRoot, 'runc'),
  }
}
