// run/create --rootfs: a host directory as the container's root, no image.
// PATH: the container writes into the directory; PATH:O: an overlay over it,
// whose writes go with the container. Bad input: Podman's line, exit 125.
import {expect} from 'chai'
import {existsSync, renameSync, writeFileSync} from 'node:fs'
import {Env, expectError, unavailable, type Mode} from './helpers.js'
import {busyboxRootfs} from './fixtures.js'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`run --rootfs (${mode})`, function () {
    this.timeout(60000)
    let env: Env
    let dir: string
    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      dir = env.file('rootfs')
      renameSync(busyboxRootfs(root => writeFileSync(`${root}/marker`, 'from-dir\n')), dir)
      env.chown(dir)
    })
    after(() => {
      if (!env) return
      env.run(['rm', '-a', '-f', '-t', '0'])
      env.cleanup()
    })

    it('PATH: the directory is the root and takes the container\'s writes', () => {
      expect(env.ok(['run', '--rm', '--rootfs', dir, 'sh', '-c', 'cat /marker; echo written > /newfile'])).to.equal('from-dir\n')
      expect(existsSync(`${dir}/newfile`)).to.equal(true)
      env.ok(['create', '--name', 'r1', '--rootfs', dir, 'true'])
      expect(env.ok(['inspect', 'r1', '--format', '{{.Rootfs}}|{{.ImageName}}|{{.Image}}']).trim()).to.equal(`${dir}||`)
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}|{{.Image}}']).trim()).to.equal('r1|')
      env.ok(['start', '-a', 'r1'])
      env.ok(['rm', 'r1'])
      expect(existsSync(dir)).to.equal(true)
    })

    it('PATH:O: an overlay over the directory; its writes stay in the container', () => {
      expect(env.ok(['run', '--rm', '--rootfs', `${dir}:O`, 'sh', '-c', 'cat /marker; echo o > /ofile; cat /ofile; rm /marker; ls /marker 2>/dev/null || echo gone'])).to.equal('from-dir\no\ngone\n')
      expect(existsSync(`${dir}/ofile`)).to.equal(false)
      expect(existsSync(`${dir}/marker`)).to.equal(true)
      env.ok(['create', '--name', 'r2', '--rootfs', `${dir}:O`, 'sh', '-c', 'echo kept >> /k; cat /k'])
      env.ok(['start', '-a', 'r2'])
      // the container's upper dir keeps its writes across starts
      expect(env.ok(['start', '-a', 'r2'])).to.equal('kept\nkept\n')
      expect(existsSync(`${dir}/k`)).to.equal(false)
      expectError(env.run(['commit', 'r2', 'r2img']), 125, /^Error: cannot commit a container that uses an exploded rootfs$/)
      env.ok(['rm', 'r2'])
    })

    it('bad input: Podman\'s line, exit 125, nothing created', () => {
      expectError(env.run(['run', '--rm', '--rootfs', '/nonexist', 'true']), 125, /^Error: running container create option: stat \/nonexist: no such file or directory$/)
      expectError(env.run(['create', '--rootfs', `${dir}:X`, 'true']), 125, /no such file or directory$/)
      expectError(env.run(['run', '--rm', '--rootfs', dir]), 125, /^Error: no command or entrypoint provided, and no CMD or ENTRYPOINT from image$/)
      expectError(env.run(['run', '--rootfs']), 125, /^Error: requires at least 1 arg\(s\), only received 0$/)
      expect(env.ok(['ps', '-aq'])).to.equal('')
    })
  })
}
