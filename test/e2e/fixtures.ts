// Test images built locally (no network): a busybox rootfs from Debian's
// busybox-static, as a plain tarball; cached per test run.
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Containers, Env, unavailable, type Mode} from './helpers.js'

const CACHE = path.join(os.tmpdir(), `peapod-fixtures-${process.pid}`)

/** A rootfs with /bin/busybox and its applets as symlinks, plus /etc basics. */
export function busyboxRootfs(extra?: (root: string) => void): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'peapod-rootfs-'))
  for (const d of ['bin', 'etc', 'tmp', 'root', 'proc', 'sys', 'dev', 'var/log']) mkdirSync(path.join(root, d), {recursive: true})
  chmodSync(path.join(root, 'tmp'), 0o1777)
  copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'))
  chmodSync(path.join(root, 'bin/busybox'), 0o755)
  const applets = execFileSync('/bin/busybox', ['--list'], {encoding: 'utf8'}).split('\n').filter(a => a && a !== 'busybox')
  for (const a of applets) symlinkSync('busybox', path.join(root, 'bin', a))
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n')
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n')
  extra?.(root)
  return root
}

/** A tarball of `root` (GNU tar, numeric owners). */
export function tarOf(root: string, out: string, compress = false): string {
  execFileSync('tar', ['--numeric-owner', ...(compress ? ['-z'] : []), '-C', root, '-cf', out, '.'])
  return out
}

/** The busybox rootfs as a tarball, built once per run. */
export function busyboxTar(): string {
  mkdirSync(CACHE, {recursive: true, mode: 0o755})
  const out = path.join(CACHE, 'busybox.tar')
  if (!existsSync(out)) {
    const root = busyboxRootfs()
    tarOf(root, out + '.tmp')
    renameSync(out + '.tmp', out)
    chmodSync(out, 0o644)
    rmSync(root, {recursive: true, force: true})
  }
  return out
}

export function removeFixtures(): void {
  rmSync(CACHE, {recursive: true, force: true})
}

/**
 * Inside a describe: one store per mode that can run here (root, rootless),
 * each with the busybox image as `bb`, cleaned up after the suite; the suite
 * is skipped when neither can run. The map fills in `before`.
 */
export function busyboxEnvs(opts: {removeContainersAfterEach?: boolean} = {}): Map<Mode, {env: Env; ct: Containers}> {
  const envs = new Map<Mode, {env: Env; ct: Containers}>()
  if (opts.removeContainersAfterEach) {
    afterEach(() => {
      for (const {env} of envs.values()) env.removeContainers()
    })
  }
  before(function () {
    for (const mode of ['root', 'rootless'] as Mode[]) {
      if (unavailable(mode)) continue
      const env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
      envs.set(mode, {env, ct: new Containers(env)})
    }
    if (envs.size === 0) this.skip()
  })
  after(() => {
    for (const {env} of envs.values()) env.cleanup()
  })
  return envs
}

/** The mode's store of busyboxEnvs(), or the test is skipped (the mode is unavailable here). */
export function envOf(envs: Map<Mode, {env: Env; ct: Containers}>, ctx: Mocha.Context, mode: Mode): {env: Env; ct: Containers} {
  const e = envs.get(mode)
  if (!e) ctx.skip()
  return e!
}

// ---- a Debian bookworm root filesystem with systemd, built once per machine ----

/** Machine-wide cache (kept between runs): bump the key when the recipe changes. */
const MACHINE_CACHE = path.join(os.tmpdir(), 'peapod-fixtures-cache')
const DEBIAN_SYSTEMD_KEY = 'debian-bookworm-systemd-minbase-1'

/** The mirror debootstrap uses: PEAPOD_DEBIAN_MIRROR, else the host's apt source for Debian, else Debian's. */
function debianMirror(): string {
  if (process.env.PEAPOD_DEBIAN_MIRROR) return process.env.PEAPOD_DEBIAN_MIRROR
  for (const f of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    try {
      const text = readFileSync(f, 'utf8')
      const m = /^URIs:\s*(\S+\/debian)\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s+bookworm\b/m.exec(text)
      if (m) return m[1]
    } catch {
      // no such file
    }
  }
  return 'http://deb.debian.org/debian'
}

/**
 * A tarball of Debian bookworm (minbase + systemd, systemd-sysv, dbus) made
 * by debootstrap, built once per machine (~1-3 min, ~240 MB) under a lock and
 * kept in the machine cache; `{skip}` says why it cannot be had here.
 */
export function debianSystemdTar(): {tar: string} | {skip: string} {
  const out = path.join(MACHINE_CACHE, `${DEBIAN_SYSTEMD_KEY}.tar`)
  if (existsSync(out)) return {tar: out}
  if (process.getuid!() !== 0) return {skip: 'debootstrap needs root'}
  const debootstrap = ['/usr/sbin/debootstrap', '/sbin/debootstrap'].find(p => existsSync(p))
  if (!debootstrap) return {skip: 'no debootstrap here (apt-get install debootstrap)'}
  mkdirSync(MACHINE_CACHE, {recursive: true, mode: 0o755})
  const build = path.join(MACHINE_CACHE, `${DEBIAN_SYSTEMD_KEY}.build`)
  const log = path.join(MACHINE_CACHE, `${DEBIAN_SYSTEMD_KEY}.log`)
  // flock: two suites (or two runs) build it once
  const script = `test -e "$OUT" && exit 0
rm -rf "$BUILD"
"$DEBOOTSTRAP" --variant=minbase --include=systemd,systemd-sysv,dbus bookworm "$BUILD" "$MIRROR" >"$LOG" 2>&1 || exit 1
tar --numeric-owner -C "$BUILD" -cf "$OUT.tmp" . && mv "$OUT.tmp" "$OUT" && rm -rf "$BUILD"`
  const r = spawnSync('flock', [path.join(MACHINE_CACHE, `${DEBIAN_SYSTEMD_KEY}.lock`), 'sh', '-c', script], {
    env: {...process.env, OUT: out, BUILD: build, LOG: log, DEBOOTSTRAP: debootstrap, MIRROR: debianMirror()}, stdio: 'ignore', timeout: 15 * 60_000,
  })
  if (r.status !== 0 || !existsSync(out)) {
    let tail = ''
    try {
      tail = readFileSync(log, 'utf8').trim().split('\n').slice(-2).join(' / ')
    } catch {
      // no log
    }
    return {skip: `debootstrap failed (${r.error?.message ?? `exit ${r.status}`}): ${tail}`}
  }
  return {tar: out}
}

/**
 * A suite's store for MODE with busybox imported as `bb`: registers mocha's
 * before (skipped where MODE cannot run here) and after (its containers and
 * pods removed, the store checked and cleaned), and hands the Env to SET.
 */
export function busyboxEnv(mode: Mode, set: (env: Env) => void): void {
  let env: Env | undefined
  before(function () {
    if (unavailable(mode)) this.skip()
    env = new Env(mode)
    env.ok(['import', busyboxTar(), 'bb'])
    set(env)
  })
  after(() => {
    env?.removeContainers()
    env?.cleanup()
  })
}
