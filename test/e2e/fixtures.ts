// Test images built locally (no network): a busybox rootfs from Debian's
// busybox-static, as a plain tarball; cached per test run.
import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync} from 'node:fs'
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
export function busyboxEnvs(): Map<Mode, {env: Env; ct: Containers}> {
  const envs = new Map<Mode, {env: Env; ct: Containers}>()
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
