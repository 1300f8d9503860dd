// Security regressions (issue 17), each a test: cp under a symlink race
// (the CVE-2018-15664 class), registry credentials on a redirect to another
// host and in output, logs and events, the rootless boundary (binds of
// root-only files, cp to and from host paths the user can't use), and other
// users' stores (0700, refused). Layer tricks (setuid bits, device nodes,
// hardlinks out of the layer, `..`) are the applier's unit tests
// (test/unit/apply.test.ts) and its fuzzer (test/unit/fuzz.test.ts).
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {createHash} from 'node:crypto'
import {gzipSync} from 'node:zlib'
import {Env, listFiles, unavailable} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'
import {padding, tarEnd, tarHeader} from '../../src/libpod/util/tar-writer.js'

/** Runs peapod without blocking the event loop. */
function runAsync(env: Env, args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  const p = env.spawn(args)
  let stdout = ''
  let stderr = ''
  p.stdout!.on('data', d => { stdout += d })
  p.stderr!.on('data', d => { stderr += d })
  return new Promise(resolve => p.on('close', code => resolve({code: code ?? 128, stdout, stderr})))
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`

describe('security regressions', function () {
  this.timeout(300_000)
  const envs = busyboxEnvs()

  it('cp under a symlink race: a directory swapped for a symlink to / never leads cp outside the rootfs (root)', async function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const {env, ct} = e!
    // A host directory the container's path names too: were cp to follow the symlink on the host, it would land here.
    const host = mkdtempSync(path.join(os.tmpdir(), 'peapod-race-'))
    writeFileSync(path.join(host, 'secret'), 'host secret\n')
    const rel = host.slice(1)
    env.ok(['run', '-d', '--name', 'racer', 'bb', 'sh', '-c',
      `mkdir -p /d/${rel} && echo inside > /d/${rel}/secret; while true; do mv /d /d.real; ln -s / /d; rm /d; mv /d.real /d; done`])
    const src = env.file('payload')
    writeFileSync(src, 'payload\n')
    const out = env.file('out')
    try {
      for (let i = 0; i < 6; i++) {
        env.run(['cp', src, `racer:/d/${rel}/payload${i}`])
        rmSync(out, {force: true})
        const r = env.run(['cp', `racer:/d/${rel}/secret`, out])
        if (r.code === 0) expect(readFileSync(out, 'utf8'), 'read from the host through the symlink').to.equal('inside\n')
      }
      expect(readdirSync(host), 'written on the host through the symlink').to.deep.equal(['secret'])
    } finally {
      rmSync(host, {recursive: true, force: true})
      env.ok(['rm', '-f', '-t', '0', 'racer'])
    }
    await ct.settled()
  })

  it('registry credentials: never sent to another host on a redirect, never printed, logged or written to events (root)', async function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const {env} = e!
    const user = 'alice'
    const password = 'pw-Zq7sEcr3t'
    const basic = Buffer.from(`${user}:${password}`).toString('base64')
    // The image: one layer, its config, its manifest.
    const data = Buffer.from('hello\n')
    const layer = gzipSync(Buffer.concat([tarHeader({name: 'hello', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: data.length}), data, padding(data.length), tarEnd()]))
    const tar = Buffer.concat([tarHeader({name: 'hello', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: data.length}), data, padding(data.length), tarEnd()])
    const config = Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', config: {}, rootfs: {type: 'layers', diff_ids: [sha(tar)]}}))
    const manifest = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length},
      layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length}]}))
    const blobs = new Map([[sha(config), config], [sha(layer), layer]])
    // Blob storage on another host (127.0.0.2): it records every Authorization header it gets.
    const seenByStorage: Array<string | undefined> = []
    const storage = http.createServer((req, res) => {
      seenByStorage.push(req.headers.authorization)
      const b = blobs.get(path.basename(req.url ?? ''))
      res.writeHead(b ? 200 : 404, {'content-length': b?.length ?? 0})
      res.end(b)
    })
    await new Promise<void>(r => storage.listen(0, '127.0.0.2', r))
    const storagePort = (storage.address() as AddressInfo).port
    let authorized = 0
    const registry = http.createServer((req, res) => {
      if (req.headers.authorization !== `Basic ${basic}`) {
        res.writeHead(401, {'www-authenticate': 'Basic realm="test"', 'content-type': 'application/json'})
        return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
      }
      authorized++
      const url = req.url ?? ''
      if (url === '/v2/') return res.end('{}')
      if (url.includes('/manifests/')) {
        res.writeHead(200, {'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': manifest.length})
        return res.end(req.method === 'HEAD' ? undefined : manifest)
      }
      // blobs: to the storage host, as registries backed by S3 do
      res.writeHead(307, {location: `http://127.0.0.2:${storagePort}/blobs/${path.basename(url)}`})
      res.end()
    })
    await new Promise<void>(r => registry.listen(0, '127.0.0.1', r))
    const host = `127.0.0.1:${(registry.address() as AddressInfo).port}`
    try {
      // (spawned: the servers above live in this process's event loop)
      const pull = await runAsync(env, ['--log-level=debug', 'pull', '--tls-verify=false', '--creds', `${user}:${password}`, `${host}/secret/img:1`])
      expect(pull.code, pull.stderr).to.equal(0)
      expect(authorized, 'the registry got the credentials').to.be.greaterThan(0)
      expect(seenByStorage.length, 'the blobs came from the other host').to.be.greaterThan(0)
      expect(seenByStorage.filter(Boolean), 'credentials sent to the other host').to.deep.equal([])
      const leaks = (text: string) => text.includes(password) || text.includes(basic)
      expect(leaks(pull.stdout + pull.stderr), 'credentials in the output or the debug log').to.equal(false)
      const events = env.ok(['events', '--stream=false', '--format', 'json'])
      expect(events).to.include('secret/img')
      expect(leaks(events), 'credentials in the events').to.equal(false)
      for (const dir of [env.root, env.runroot]) {
        for (const f of listFiles(dir)) {
          const p = path.join(dir, f)
          const st = statSync(p, {throwIfNoEntry: false})
          if (st?.isFile() && st.size < 1 << 20) expect(leaks(readFileSync(p, 'latin1')), `credentials written to ${p}`).to.equal(false)
        }
      }
      env.ok(['rmi', `${host}/secret/img:1`])
    } finally {
      registry.closeAllConnections()
      storage.closeAllConnections()
      await new Promise(r => registry.close(r))
      await new Promise(r => storage.close(r))
    }
  })

  it('the rootless boundary: no bind of root-only files, no cp to or from host paths the user cannot use', async function () {
    const e = envs.get('rootless')
    if (!e) this.skip()
    const {env, ct} = e!
    const shadow = env.run(['run', '--rm', '-v', '/etc/shadow:/s:ro', 'bb', 'cat', '/s'])
    expect(shadow.code, 'the shadow file was read').not.to.equal(0)
    expect(shadow.stdout).not.to.match(/^root:/m)
    const rootDir = env.run(['run', '--rm', '-v', '/root:/r', 'bb', 'sh', '-c', 'ls /r; touch /r/peapod-was-here'])
    expect(existsSync('/root/peapod-was-here'), 'wrote into /root').to.equal(false)
    expect(rootDir.code).not.to.equal(0)
    env.ok(['create', '--name', 'cpb', 'bb', 'true'])
    const out = env.run(['cp', 'cpb:/etc/passwd', '/etc/peapod-cp-test'])
    expect(out.code).to.equal(125)
    expect(existsSync('/etc/peapod-cp-test'), 'cp wrote into /etc').to.equal(false)
    const inn = env.run(['cp', '/etc/shadow', 'cpb:/shadow'])
    expect(inn.code).to.equal(125)
    expect(inn.stderr.trim()).to.match(/^Error: .*permission denied/)
    const got = env.run(['cp', 'cpb:/shadow', '-'])
    expect(got.code, 'the shadow file reached the container').not.to.equal(0)
    env.ok(['rm', 'cpb'])
    await ct.settled()
  })

  it('other users\' stores: store and runtime dirs are 0700; a store owned by someone else is refused', function () {
    const root = envs.get('root')
    const rootless = envs.get('rootless')
    if (!root || !rootless || unavailable('rootless')) this.skip()
    for (const {env} of [root!, rootless!]) {
      for (const d of [env.root, env.runroot]) expect(statSync(d).mode & 0o777, `${env.mode} ${d}`).to.equal(0o700)
    }
    // the user, with root's store
    const r1 = rootless!.env.run(['--root', root!.env.root, '--runroot', root!.env.runroot, 'images'])
    expect(r1.code, r1.stderr).to.equal(125)
    expect(r1.stderr.trim()).to.match(/^Error: .*(permission denied|owned by)/)
    // root, with the user's store: refused, nothing written there
    const before = listFiles(rootless!.env.root)
    const other = new Env('root')
    try {
      const r2 = other.run(['--root', rootless!.env.root, 'images'])
      expect(r2.code, r2.stderr).to.equal(125)
      expect(r2.stderr.trim()).to.equal(`Error: the store ${rootless!.env.root} is owned by uid ${statSync(rootless!.env.root).uid}, not by the current user: use a store of your own (--root)`)
      expect(listFiles(rootless!.env.root)).to.deep.equal(before)
    } finally {
      other.cleanup()
    }
    execFileSync('true')
  })
})
