#!/usr/bin/env node
// Compares `peapod __completeNoDesc` with `podman __completeNoDesc` (Podman
// 4.3.1) on every command and value-taking flag of the command table, plus
// the filter keys Podman offers, on two stores holding the same objects.
// Usage (as root): [PEAPOD_BIN=...] node scripts/compare-completion.mjs [root|rootless] [OUT.json]
// Prints the cases whose candidate sets or directives differ, and the count.
// Candidates compare as sets: Podman lists map keys (filters, signals) in Go's
// random map order. Infra containers, the pause image and IDs are normalised.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chownSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const mode = process.argv[2] || 'root'
const out = process.argv[3]
const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const manifest = JSON.parse(readFileSync(path.join(repo, 'oclif.manifest.json'), 'utf8'))
const tar = process.env.BUSYBOX_TAR || execFileSync('sh', ['-c', 'ls /tmp/peapod-fixtures-*/busybox.tar | head -1'], {encoding: 'utf8'}).trim()

const dir = mkdtempSync(path.join(os.tmpdir(), `complete-cmp-${mode}-`))
let user
if (mode === 'rootless') {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.startsWith('peapodtest:')).split(':')
  user = {uid: Number(line[2]), gid: Number(line[3]), home: line[5]}
  chownSync(dir, user.uid, user.gid)
  mkdirSync(path.join(dir, 'xdg'), {mode: 0o700})
  chownSync(path.join(dir, 'xdg'), user.uid, user.gid)
}
// Podman with file locks: rootful Podman's shared memory lock pool is the machine's, and other stores may have used it up
writeFileSync(path.join(dir, 'containers.conf'), '[engine]\nlock_type = "file"\n')
const env = {PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: user ? user.home : '/root', CONTAINERS_CONF: path.join(dir, 'containers.conf'),
  ...(user ? {USER: 'peapodtest', XDG_RUNTIME_DIR: path.join(dir, 'xdg')} : {})}
const prog = {
  // its own network config dir: rootful Podman's default is the host's /etc/cni/net.d, with others' networks in it
  podman: ['podman', '--root', path.join(dir, 'pr'), '--runroot', path.join(dir, 'prr'), '--tmpdir', path.join(dir, 'ptmp'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs',
    '--network-config-dir', path.join(dir, 'pnet')],
  peapod: [path.join(repo, 'bin/peapod'), '--root', path.join(dir, 'er'), '--runroot', path.join(dir, 'err')],
}
// PEAPOD_BIN=A,B: more builds to compare (a commit before a change), each on the same peapod store
const others = (process.env.PEAPOD_BIN || '').split(',').filter(Boolean)
// peapod's names where Podman 4.3.1 has only an alias (network list is network ls there)
const PODMAN_WORDS = {'network list': 'network ls'}
function run(which, args) {
  if (which === 'podman' && args[0] === '__completeNoDesc') {
    const two = args.slice(1, 3).join(' ')
    if (PODMAN_WORDS[two]) args = ['__completeNoDesc', ...PODMAN_WORDS[two].split(' '), ...args.slice(3)]
  }
  const argv = [...prog[which], ...args]
  const r = user
    ? spawnSync('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', ...argv], {env, encoding: 'utf8', cwd: dir})
    : spawnSync(argv[0], argv.slice(1), {env, encoding: 'utf8', cwd: dir})
  return r
}

for (const which of ['podman', 'peapod']) {
  run(which, ['import', tar, 'localhost/bb'])
  run(which, ['create', '--name', 'web1', '--label', 'app=web', 'localhost/bb', 'true'])
  run(which, ['pod', 'create', '--name', 'pod1'])
  run(which, ['volume', 'create', 'vol1'])
  run(which, ['network', 'create', 'cmpnet1'])
  run(which, ['secret', 'create', 'sec1', '/etc/hostname'])
}

// The cases: each command with an empty word, each value-taking flag with an empty value.
const cases = []
for (const [id, c] of Object.entries(manifest.commands)) {
  if (c.hidden) continue
  const words = id.split(':')
  cases.push([...words, ''])
  for (const [name, f] of Object.entries(c.flags ?? {})) {
    if (f.type === 'boolean' || f.hidden || f.helpGroup === 'GLOBAL') continue
    cases.push([...words, '--' + name, ''])
    if (name === 'filter') cases.push(['filter-keys', ...words])
    if (name === 'format') cases.push([...words, '--format', '{{.'])
  }
}
cases.push(['kill', '-s', ''], ['pod', 'kill', '-s', ''], ['run', '--user', 'root:'], ['run', '--security-opt', 'seccomp='], ['run', '--security-opt', 'label='],
  ['run', '--security-opt', 'label=type:'], ['run', '--cap-add', 'SYS_'], ['kill', '-s', 'SIGK'], ['ps', '-f', ''], ['ps', '--filter=st'])

const norm = s => s.replace(/[0-9a-f]{12}-infra/g, 'INFRA').replace(/localhost\/podman-pause:\S*/g, 'PAUSE').replace(/\b[0-9a-f]{64}\b/g, 'ID64').replace(/\b[0-9a-f]{12}\b/g, 'ID12')
function answer(which, words) {
  const r = run(which, ['__completeNoDesc', ...words])
  const lines = r.stdout.trim().split('\n')
  const items = [...new Set(lines.slice(0, -1).map(norm))].sort()
  return `${items.join(' ')} ${lines[lines.length - 1]}`.trim()
}

// filter-keys: the value completion of each key Podman offers, for both
const expanded = []
for (const c of cases) {
  if (c[0] !== 'filter-keys') {
    expanded.push(c)
    continue
  }
  const words = c.slice(1)
  const keys = run('podman', ['__completeNoDesc', ...words, '--filter', '']).stdout.trim().split('\n').slice(0, -1)
  for (const k of keys) expanded.push([...words, '--filter', k])
}

const results = {}
let same = 0
const differ = []
const otherSame = others.map(() => 0)
for (const words of expanded) {
  const key = words.map(w => (w === '' ? "''" : w)).join(' ')
  const a = answer('podman', words)
  const b = answer('peapod', words)
  results[key] = {podman: a, peapod: b}
  if (a === b) same++
  else differ.push(key)
  others.forEach((bin, i) => {
    const own = prog.peapod[0]
    prog.peapod[0] = bin
    const o = answer('peapod', words)
    prog.peapod[0] = own
    results[key][bin] = o
    if (o === a) otherSame[i]++
  })
}
for (const k of differ) console.log(`${k}\n  podman: ${results[k].podman.slice(0, 400)}\n  peapod: ${results[k].peapod.slice(0, 400)}`)
others.forEach((bin, i) => console.log(`${mode}: ${bin}: ${otherSame[i]} of ${expanded.length} cases the same`))
console.log(`${mode}: ${same} of ${expanded.length} cases the same, ${differ.length} differ`)
if (out) writeFileSync(out, JSON.stringify(results, null, 1))

for (const which of ['podman', 'peapod']) {
  run(which, ['pod', 'rm', '-af'])
  run(which, ['rm', '-af'])
  run(which, ['network', 'rm', '-f', 'cmpnet1'])
  run(which, ['volume', 'rm', '-af'])
  run(which, ['secret', 'rm', '-a'])
  run(which, ['rmi', '-af'])
}
if (mode === 'rootless') for (const which of ['podman', 'peapod']) run(which, ['system', 'migrate'])
for (const m of readFileSync('/proc/self/mounts', 'utf8').split('\n').map(l => l.split(' ')[1]).filter(m => m?.startsWith(dir)).reverse()) spawnSync('umount', ['-l', m])
if (existsSync(dir)) rmSync(dir, {recursive: true, force: true})
