// `diff`, `commit`, `export` and `container checkpoint` end to end, as root
// and as the rootless test user: a container that adds, changes, deletes
// and replaces a directory of its image (an opaque directory on overlay);
// diff's A/C/D lines and JSON; commit with --change, --author, --message,
// --format docker, --squash, of a running container; the image runs,
// and a saved archive is loaded by Podman when it is installed. Bad input:
// Podman's one-line errors and exit codes, nothing changed.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Env, unavailable, type Mode, type Result, expectError} from './helpers.js'
import {busyboxRootfs, tarOf} from './fixtures.js'

const podman = spawnSync('podman', ['--version']).status === 0

const CHANGES = [
  'mkdir -p /d/e', 'echo hi > /d/f', 'chown 7:8 /d/f', 'echo x >> /etc/passwd', 'rm /bin/vi', 'rm -rf /var/log',
  // replaced directory: overlay makes it opaque
  'rm -rf /data', 'mkdir /data', 'echo new > /data/new',
].join(' && ')

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`diff, commit, export (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      const root = busyboxRootfs(r => {
        mkdirSync(path.join(r, 'data/sub'), {recursive: true})
        writeFileSync(path.join(r, 'data/old'), 'old\n')
        writeFileSync(path.join(r, 'data/sub/deep'), 'deep\n')
      })
      const tar = tarOf(root, env.file('bb.tar'))
      rmSync(root, {recursive: true, force: true})
      env.chown(tar)
      env.ok(['import', '-c', 'ENV FROMIMAGE=yes', '-c', 'LABEL img=1', tar, 'bb'])
      env.ok(['run', '--network', 'none', '--name', 'ch', '-e', 'RUNENV=2', 'bb', 'sh', '-c', CHANGES])
    })
    after(() => env?.cleanup())

    it('diff lists additions, changes and deletions like Podman', () => {
      const lines = env.ok(['diff', 'ch']).trim().split('\n')
      for (const l of ['A /d', 'A /d/e', 'A /d/f', 'C /etc', 'C /etc/passwd', 'C /bin', 'D /bin/vi', 'C /var', 'D /var/log', 'A /data/new']) {
        expect(lines, l).to.include(l)
      }
      // what libpod creates in every container is left out
      for (const l of lines) expect(l).to.not.match(/ \/(etc\/hosts|etc\/hostname|etc\/resolv\.conf|run|run\/\.containerenv|proc|sys|dev)$/)
      expect(env.ok(['container', 'diff', 'ch'])).to.equal(env.ok(['diff', 'ch']))
      const json = JSON.parse(env.ok(['diff', '--format', 'json', 'ch'])) as Record<string, string[]>
      expect(Object.keys(json)).to.deep.equal(['changed', 'added', 'deleted'])
      expect(json.added).to.include('/d/f')
      expect(json.deleted).to.include('/bin/vi')
      expect(json.changed).to.include('/etc/passwd')
      expectError(env.run(['diff', '--format', 'table', 'ch']), 125, /only supported value for '--format' is 'json'/)
      expectError(env.run(['container', 'diff', 'nosuch']), 125, /^Error: nosuch not found: container not known$/)
      expectError(env.run(['diff', 'nosuch']), 125, /^Error: nosuch not found: layer not known$/)
    })

    it('commits with --change and --author; the image runs with the changes', () => {
      const r = env.run(['commit', '-q', '-c', 'CMD ["/bin/sh","-c","cat /d/f; ls /bin/vi || echo novi; ls /var/log || echo nolog; ls /data; echo $RUNENV $FROMIMAGE $A"]',
        '-c', 'ENV A=1', '-a', 'me', 'ch', 'img'])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.equal('')
      const id = r.stdout.trim()
      expect(id).to.match(/^[0-9a-f]{64}$/)
      const out = env.ok(['run', '--network', 'none', '--rm', 'img'])
      expect(out).to.equal('hi\nnovi\nnolog\nnew\n2 yes 1\n')
      expect(env.ok(['run', '--network', 'none', '--rm', 'img', 'ls', '-ln', '/d/f'])).to.match(/^-rw-r--r-- +1 7 +8 /)
      const info = JSON.parse(env.ok(['image', 'inspect', 'img']))[0]
      expect(info.Id).to.equal(id)
      expect(info.Author).to.equal('me')
      expect(info.Config.Env).to.include.members(['FROMIMAGE=yes', 'RUNENV=2', 'A=1', 'container=podman'])
      expect(info.Config.Labels).to.deep.equal({img: '1'})
      expect(info.RootFS.Layers).to.have.length(2)
      expect(info.ManifestType).to.equal('application/vnd.oci.image.manifest.v1+json')
      const hist = JSON.parse(env.ok(['image', 'inspect', '--format', '{{json .History}}', 'img']))
      expect(hist[hist.length - 1]).to.include({created_by: '/bin/sh', comment: 'FROM localhost/bb:latest', author: 'me'})
      // the layer holds whiteouts and the opaque marker, owners as in the container
      const save = env.file('img.tar')
      env.ok(['save', '-o', save, 'img'])
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', save, 'manifest.json'], {encoding: 'utf8'}))
      const layer = execFileSync('tar', ['-xOf', save, manifest[0].Layers[1]])
      const names = execFileSync('tar', ['--numeric-owner', '-tvf', '-'], {input: layer, encoding: 'utf8'})
      for (const n of ['bin/.wh.vi', 'var/.wh.log', 'd/f', 'etc/passwd']) expect(names).to.include(n)
      expect(names).to.match(/7\/8 .* d\/f/)
      expect(names).to.match(/data\/\.wh\.\.wh\.\.opq|data\/\.wh\.old/)
    })

    it('--format docker keeps the message; -m needs it; --squash makes one layer', () => {
      expectError(env.run(['commit', '-m', 'msg', 'ch', 'bad']), 125, /^Error: messages are only compatible with the docker image format \(-f docker\)$/)
      const id = env.ok(['commit', '-q', '-f', 'docker', '-m', 'msg', 'ch', 'dimg']).trim()
      expect(env.ok(['image', 'inspect', '--format', '{{.ManifestType}}', id]).trim()).to.equal('application/vnd.docker.distribution.manifest.v2+json')
      const save = env.file('dimg.tar')
      env.ok(['save', '-o', save, 'dimg'])
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', save, 'manifest.json'], {encoding: 'utf8'}))
      const config = JSON.parse(execFileSync('tar', ['-xOf', save, manifest[0].Config], {encoding: 'utf8'}))
      expect(config.comment).to.equal('msg')
      expect(config.container_config.Image).to.equal('localhost/bb:latest')
      expect(env.ok(['run', '--network', 'none', '--rm', 'dimg', 'cat', '/data/new'])).to.equal('new\n')
      const r = env.run(['commit', '--squash', 'ch', 'simg'])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.match(/^Getting image source signatures\nCopying blob sha256:[0-9a-f]{64}\n/)
      expect(env.ok(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', 'simg']).trim()).to.equal('1')
      expect(env.ok(['run', '--network', 'none', '--rm', 'simg', 'sh', '-c', 'cat /d/f; ls /data'])).to.equal('hi\nnew\n')
    })

    it('commits a running container', () => {
      env.ok(['run', '--network', 'none', '-d', '--name', 'live', 'bb', 'sleep', '1000'])
      try {
        const f = env.file('live-file')
        writeFileSync(f, 'copied in\n')
        env.chown(f)
        env.ok(['cp', f, 'live:/root/'])
        env.ok(['commit', '-q', ...(mode === 'root' ? ['-p'] : []), 'live', 'limg'])
        expect(env.ok(['ps', '--format', '{{.Names}} {{.Status}}'])).to.match(/^live Up/m)
        expect(env.ok(['run', '--network', 'none', '--rm', 'limg', 'cat', '/root/live-file'])).to.equal('copied in\n')
      } finally {
        env.ok(['rm', '-f', '-t', '0', 'live'])
      }
    })

    it('export writes the whole rootfs as a flat tar', () => {
      const out = env.file('exp.tar')
      env.ok(['export', '-o', out, 'ch'])
      const names = execFileSync('tar', ['--numeric-owner', '-tvf', out], {encoding: 'utf8'})
      expect(names).to.match(/^-rwxr-xr-x 0\/0 .* bin\/busybox$/m)
      expect(names).to.match(/^-rw-r--r-- 7\/8 .* d\/f$/m)
      expect(names).to.match(/^drwxr-xr-x 0\/0 .* bin\/$/m)
      expect(names).to.not.match(/ bin\/vi$/m)
      expect(names).to.not.match(/ \.\//)
      expect(execFileSync('tar', ['-xOf', out, 'data/new'], {encoding: 'utf8'})).to.equal('new\n')
      expect(execFileSync('tar', ['-xOf', out, 'etc/passwd'], {encoding: 'utf8'})).to.match(/\nx\n$/)
      const r = env.run(['export', 'ch'])
      expect(r.code).to.equal(0)
      expect(r.stdout.length).to.be.greaterThan(1 << 20)
      expectError(env.run(['export', 'nosuch']), 125, /^Error: no container with name or ID "nosuch" found: no such container$/)
    })

    it('fails to commit a removed container, changing nothing', () => {
      env.ok(['create', '--network', 'none', '--name', 'gone', 'bb', 'true'])
      env.ok(['rm', 'gone'])
      const before = env.ok(['images', '-q', '--no-trunc'])
      expectError(env.run(['commit', 'gone', 'x']), 125, /^Error: no container with name or ID "gone" found: no such container$/)
      expectError(env.run(['commit', '-f', 'qcow', 'ch', 'x']), 125, /^Error: unrecognized image type "qcow"$/)
      expectError(env.run(['commit', '-c', 'BOGUS x', 'ch', 'x']), 125, /invalid change "BOGUS x"/)
      expect(env.ok(['images', '-q', '--no-trunc'])).to.equal(before)
    })

    it('container checkpoint and restore say why they cannot run', () => {
      const r = env.run(['container', 'checkpoint', 'ch'])
      expectError(r, 125, mode === 'rootless' ? /^Error: checkpointing a container requires root$/ : /checkpointing/)
      expectError(env.run(['container', 'restore', 'ch']), 125, mode === 'rootless' ? /^Error: restoring a container requires root$/ : /restoring/)
    })

    it('the saved image loads into Podman', function () {
      if (!podman) this.skip()
      const save = env.file('forpodman.tar')
      env.ok(['save', '-o', save, 'img'])
      const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-commit-podman-'))
      try {
        const pm = (args: string[]) => spawnSync('podman', ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs', ...args], {encoding: 'utf8'})
        const load = pm(['load', '-i', save])
        expect(load.status, load.stderr).to.equal(0)
        const id = env.ok(['image', 'inspect', '--format', '{{.Id}}', 'img']).trim()
        const inspect = pm(['image', 'inspect', '--format', '{{.Id}} {{.Author}} {{len .RootFS.Layers}}', 'localhost/img:latest'])
        expect(inspect.stdout.trim()).to.equal(`${id} me 2`)
        // and what Podman saves back, peapod loads
        const back = path.join(dir, 'back.tar')
        expect(pm(['save', '-o', back, 'localhost/img:latest']).status).to.equal(0)
        execFileSync('chmod', ['644', back])
        execFileSync('chmod', ['755', dir])
        env.ok(['rmi', 'img'])
        env.ok(['load', '-i', back])
        expect(env.ok(['run', '--network', 'none', '--rm', 'img', 'cat', '/d/f'])).to.equal('hi\n')
      } finally {
        spawnSync('umount', ['-R', path.join(dir, 'root')])
        rmSync(dir, {recursive: true, force: true})
      }
    })
  })
}

// keep the import used when podman is missing
void readFileSync
