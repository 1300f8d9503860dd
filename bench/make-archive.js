// Builds a ~100 MB, 3-layer docker-archive for the load benchmark, from
// local files only: a busybox rootfs, /usr/lib/python3 (many small files)
// and a few large files of random bytes.
import {execFileSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const out = process.argv[2]
const work = mkdtempSync(path.join(os.tmpdir(), 'peapod-mkarchive-'))
const layerTars = []

function layer(name, fill) {
  const root = path.join(work, name)
  mkdirSync(root, {recursive: true})
  fill(root)
  const tar = path.join(work, `${name}.tar`)
  execFileSync('tar', ['--numeric-owner', '--sort=name', '-C', root, '-cf', tar, '.'])
  layerTars.push(tar)
}

layer('base', root => {
  mkdirSync(path.join(root, 'bin'))
  mkdirSync(path.join(root, 'etc'))
  copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'))
  symlinkSync('busybox', path.join(root, 'bin/sh'))
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
})
layer('python', root => {
  mkdirSync(path.join(root, 'usr/lib'), {recursive: true})
  execFileSync('cp', ['-a', '/usr/lib/python3', path.join(root, 'usr/lib/python3')])
})
layer('blobs', root => {
  mkdirSync(path.join(root, 'data'))
  for (let i = 0; i < 5; i++) writeFileSync(path.join(root, `data/blob${i}`), randomBytes(9 * 1024 * 1024))
})

const sha = f => createHash('sha256').update(readFileSync(f)).digest('hex')
const pkg = path.join(work, 'pkg')
mkdirSync(pkg)
const diffIds = []
const layers = []
for (const t of layerTars) {
  const h = sha(t)
  diffIds.push(`sha256:${h}`)
  copyFileSync(t, path.join(pkg, `${h}.tar`))
  layers.push(`${h}.tar`)
}
const config = JSON.stringify({
  architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
  config: {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh']},
  rootfs: {type: 'layers', diff_ids: diffIds},
  history: layerTars.map(() => ({created: '2024-01-01T00:00:00Z', created_by: 'bench'})),
})
const cfgHash = createHash('sha256').update(config).digest('hex')
writeFileSync(path.join(pkg, `${cfgHash}.json`), config)
writeFileSync(path.join(pkg, 'manifest.json'), JSON.stringify([{Config: `${cfgHash}.json`, RepoTags: ['localhost/bench:latest'], Layers: layers}]))
execFileSync('tar', ['-C', pkg, '-cf', out, '.'])
rmSync(work, {recursive: true, force: true})
