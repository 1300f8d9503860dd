// A full disk (issue 17): the store on a small tmpfs (rootful), nearly
// filled; then pull (a local registry), load, commit, build and cp into a
// container, each needing more room than is left. Each fails with Podman's
// error (exit 125, "no space left on device"), leaves the store as it was
// (no partial image, layer, container or staging file), and works once
// space is freed.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, rmSync, statfsSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, listFiles, unavailable, type Result} from './helpers.js'
import {busyboxTar} from './fixtures.js'
import {RegistryServer} from './registry-server.js'

const TLS = '--tls-verify=false'
const BIG_MB = 3

/** The store's files (locks and the events log excepted): what a failed command must leave as it was. */
function storeFiles(env: Env): string[] {
  // (rootfs/work/work: the overlay work dir a first mount makes)
  return listFiles(env.root).filter(f => !f.endsWith('.lock') && !f.includes('/events') && !f.endsWith('rootfs/work/work'))
}

function freeBytes(dir: string): number {
  const s = statfsSync(dir)
  return s.bavail * s.bsize
}

describe('a full disk', function () {
  this.timeout(300_000)
  let env: Env
  let helper: Env
  let reg: RegistryServer
  const filler = () => path.join(env.root, 'filler')

  /** Fills the tmpfs up to `leave` bytes free. */
  const fill = (leave: number) => {
    rmSync(filler(), {force: true})
    const n = Math.max(0, freeBytes(env.root) - leave)
    execFileSync('fallocate', ['-l', String(n), filler()])
  }

  /** The command fails for want of space, Podman's way, and the store is as it was; with room, it works. */
  const outOfSpace = (args: string[], then?: (r: Result) => void) => {
    fill(1 << 20)
    const before = storeFiles(env)
    const images = env.ok(['images', '-a', '--format', '{{.ID}}'])
    const ps = env.ok(['ps', '-a', '--format', '{{.ID}} {{.Names}}'])
    try {
      const r = env.run(args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(125)
      expect(r.stderr.trim().split('\n').pop(), args.join(' ')).to.match(/^Error: .*no space left on device/)
      const after = storeFiles(env)
      expect({added: after.filter(f => !before.includes(f)), removed: before.filter(f => !after.includes(f))}, `${args.join(' ')}: the store as it was`)
        .to.deep.equal({added: [], removed: []})
      expect(env.ok(['images', '-a', '--format', '{{.ID}}'])).to.equal(images)
      expect(env.ok(['ps', '-a', '--format', '{{.ID}} {{.Names}}'])).to.equal(ps)
    } finally {
      rmSync(filler(), {force: true})
    }
    const again = env.run(args)
    expect(again.code, `${args.join(' ')} with room: ${again.stderr}`).to.equal(0)
    then?.(again)
  }

  before(async function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
    mkdirSync(env.root, {recursive: true})
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', env.root])
    env.ok(['import', busyboxTar(), 'bb'])
    // Images with a layer bigger than the room left, made in a store elsewhere.
    helper = new Env('root')
    helper.ok(['import', busyboxTar(), 'bb'])
    helper.ok(['run', '--name', 'mk', 'bb', 'dd', 'if=/dev/urandom', 'of=/big', 'bs=1M', `count=${BIG_MB}`])
    helper.ok(['commit', '-q', 'mk', 'big'])
    helper.ok(['save', '-o', helper.file('big.tar'), 'big'])
    reg = await RegistryServer.start()
    helper.ok(['push', '-q', TLS, 'big', `${reg.host}/big:1`])
  })
  after(async () => {
    await reg?.stop()
    helper?.cleanup()
    if (env) {
      spawnSync('umount', ['-l', env.root])
      env.cleanup()
    }
  })

  it('pull: no space left, nothing stored; it works once space is freed', () => {
    outOfSpace(['pull', '-q', TLS, `${reg.host}/big:1`])
    env.ok(['rmi', `${reg.host}/big:1`])
  })

  it('load: no space left, nothing stored; it works once space is freed', () => {
    outOfSpace(['load', '-q', '-i', helper.file('big.tar')])
    env.ok(['rmi', 'big'])
  })

  it('commit: no space left, no image; it works once space is freed', () => {
    env.ok(['run', '--name', 'wrote', 'bb', 'dd', 'if=/dev/urandom', 'of=/big', 'bs=1M', `count=${BIG_MB}`])
    outOfSpace(['commit', '-q', 'wrote', 'committed'])
    env.ok(['rm', 'wrote'])
    env.ok(['rmi', 'committed'])
  })

  it('build: no space left, no image or build container; it works once space is freed', () => {
    const ctx = env.file('ctx')
    mkdirSync(ctx)
    execFileSync('dd', ['if=/dev/urandom', `of=${path.join(ctx, 'big')}`, 'bs=1M', `count=${BIG_MB}`], {stdio: 'ignore'})
    writeFileSync(path.join(ctx, 'Containerfile'), 'FROM bb\nCOPY big /big\n')
    outOfSpace(['build', '-q', '-t', 'built', ctx])
    env.ok(['rmi', 'built'])
  })

  it('a build step that fills the disk: the step fails, its container is removed all the same', () => {
    const ctx = env.file('ctx2')
    mkdirSync(ctx)
    writeFileSync(path.join(ctx, 'Containerfile'), 'FROM bb\nRUN dd if=/dev/zero of=/fill bs=1M count=64\n')
    fill(4 << 20)
    try {
      const before = storeFiles(env)
      const r = env.run(['build', '-q', '-t', 'filled', ctx])
      // (the step's own error, or writing its layer: either way Podman's line)
      expect(r.code, r.stderr).to.be.oneOf([1, 125])
      expect(r.stderr.trim().split('\n').pop()).to.match(/^Error: building at STEP "RUN dd .*": .*(exit status 1|no space left on device)/)
      const after = storeFiles(env)
      expect({added: after.filter(f => !before.includes(f)), removed: before.filter(f => !after.includes(f))}).to.deep.equal({added: [], removed: []})
      expect(env.ok(['ps', '-aq'])).to.equal('')
    } finally {
      rmSync(filler(), {force: true})
    }
  })

  it('cp into a container: no space left, the container as it was; it works once space is freed', () => {
    const src = env.file('big')
    execFileSync('dd', ['if=/dev/urandom', `of=${src}`, 'bs=1M', `count=${BIG_MB}`], {stdio: 'ignore'})
    env.ok(['create', '--name', 'target', 'bb', 'true'])
    outOfSpace(['cp', src, 'target:/big'])
    env.ok(['rm', 'target'])
  })

  it('after it all: system check finds nothing', () => {
    const check = env.run(['system', 'check'])
    expect(check.stdout + check.stderr).to.equal('')
    expect(check.code).to.equal(0)
  })
})
