// Image commands end to end, as root and as the rootless test user:
// import, images (formats, filters), inspect, history, tag/untag, exists,
// rmi, prune, and the store left clean afterwards.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, utimesSync} from 'node:fs'
import path from 'node:path'
import {BIN, Env, listFiles, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`image commands (${mode})`, function () {
    let env: Env
    let id: string

    before(function () {
      const why = unavailable(mode)
      if (why) this.skip()
      env = new Env(mode)
      id = env.ok(['import', '--change', 'CMD=/bin/sh', '--change', 'LABEL=stage=test', busyboxTar(), 'bb']).trim().replace(/^sha256:/, '')
    })
    after(() => env?.cleanup())

    it('lists an imported image like Podman', () => {
      const out = env.ok(['images'])
      const [header, row] = out.trimEnd().split('\n')
      expect(header).to.match(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/)
      expect(row).to.match(new RegExp(`^localhost/bb\\s+latest\\s+${id.slice(0, 12)}\\s+.*ago\\s+[\\d.]+ MB$`))
      expect(env.ok(['images', '-q']).trim()).to.equal(id.slice(0, 12))
      expect(env.ok(['image', 'ls', '--no-trunc', '-q']).trim()).to.equal(`sha256:${id}`)
      expect(env.ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']).trim()).to.equal(`localhost/bb:latest ${id.slice(0, 12)}`)
      expect(env.ok(['images', '--format', 'table {{.ID}}\\t{{.Repository}}', '--noheading']).trim()).to.match(/^\w{12}\s+localhost\/bb$/)
      const json = JSON.parse(env.ok(['images', '--format', 'json']))
      expect(json).to.have.length(1)
      expect(json[0]).to.include({Id: id})
      expect(json[0].Names).to.deep.equal(['localhost/bb:latest'])
    })

    it('filters by reference, label and dangling', () => {
      expect(env.ok(['images', '-q', '--filter', 'reference=bb']).trim()).to.equal(id.slice(0, 12))
      expect(env.ok(['images', '-q', '--filter', 'reference=nomatch']).trim()).to.equal('')
      expect(env.ok(['images', '-q', '--filter', 'label=stage=test']).trim()).to.equal(id.slice(0, 12))
      expect(env.ok(['images', '-q', '--filter', 'label=stage=prod']).trim()).to.equal('')
      expect(env.ok(['images', '-q', '--filter', 'dangling=true']).trim()).to.equal('')
      const bad = env.run(['images', '--filter', 'bogus=1'])
      expect(bad.code).to.equal(125)
      expect(bad.stderr).to.match(/^Error: .*bogus/)
    })

    it('inspects with Podman\'s keys and templates', () => {
      const [doc] = JSON.parse(env.ok(['image', 'inspect', 'bb']))
      expect(doc).to.include.keys('Id', 'Digest', 'RepoTags', 'RepoDigests', 'Created', 'Config', 'Architecture', 'Os', 'Size', 'RootFS', 'GraphDriver', 'History')
      expect(doc.Id).to.equal(id)
      expect(doc.RepoTags).to.deep.equal(['localhost/bb:latest'])
      expect(doc.Config.Labels).to.deep.equal({stage: 'test'})
      expect(doc.RootFS.Layers).to.have.length(1)
      expect(env.ok(['image', 'inspect', '--format', '{{.Id}} {{index .RepoTags 0}} {{.Config.Labels.stage}}', id.slice(0, 6)]).trim())
        .to.equal(`${id} localhost/bb:latest test`)
      const miss = env.run(['image', 'inspect', 'nope'])
      expect(miss.code).to.equal(125)
      expect(miss.stderr.trim()).to.equal('Error: nope: image not known')
    })

    it('shows history', () => {
      const out = env.ok(['history', 'bb'])
      expect(out.split('\n')[0]).to.match(/^ID\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/)
      expect(out).to.contain(id.slice(0, 12))
    })

    it('tags, untags and checks existence', () => {
      env.ok(['tag', 'bb', 'other', 'quay.io/x/y:1'])
      const names = env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}']).trim().split('\n').sort()
      expect(names).to.deep.equal(['localhost/bb:latest', 'localhost/other:latest', 'quay.io/x/y:1'])
      expect(env.run(['image', 'exists', 'y:1']).code).to.equal(0)
      expect(env.run(['image', 'exists', 'missing']).code).to.equal(1)
      env.ok(['untag', 'bb', 'quay.io/x/y:1'])
      expect(env.run(['image', 'exists', 'quay.io/x/y:1']).code).to.equal(1)
      const bad = env.run(['tag', 'bb', 'Not Valid'])
      expect(bad.code).to.equal(125)
      expect(bad.stderr).to.match(/^Error: invalid reference format/)
      const missing = env.run(['tag', 'nope', 'x'])
      expect(missing.code).to.equal(125)
      expect(missing.stderr.trim()).to.equal('Error: nope: image not known')
    })

    it('rmi by one of several names untags; unknown names exit 1', () => {
      expect(env.ok(['rmi', 'other']).trim()).to.equal('Untagged: localhost/other:latest')
      const miss = env.run(['rmi', 'nope'])
      expect(miss.code).to.equal(1)
      expect(miss.stderr.trim()).to.equal('Error: nope: image not known')
      expect(env.run(['rmi', '-i', 'nope']).code).to.equal(0)
    })

    it('prunes dangling images', () => {
      const id2 = env.ok(['import', '--message', 'second', busyboxTar()]).trim().replace(/^sha256:/, '')
      // Same content and a different config: a new image sharing the layer.
      expect(env.ok(['images', '-q', '--filter', 'dangling=true']).trim()).to.equal(id2.slice(0, 12))
      expect(env.ok(['image', 'prune', '-f']).trim()).to.equal(id2)
      expect(env.ok(['images', '-q']).trim()).to.equal(id.slice(0, 12))
    })

    it('recovers a lock left by a killed command', () => {
      // What SIGKILL leaves behind: the lock directory, no longer refreshed.
      const lock = path.join(env.root, 'storage.lock')
      mkdirSync(lock)
      const old = new Date(Date.now() - 60_000)
      utimesSync(lock, old, old)
      env.chown(lock)
      env.ok(['tag', 'bb', 'after-lock'])
      expect(env.run(['image', 'exists', 'after-lock']).code).to.equal(0)
    })

    it('rmi -a removes every image and layer', () => {
      const out = env.ok(['rmi', '-a'])
      expect(out).to.contain(`Deleted: ${id}`)
      expect(env.ok(['images', '-q']).trim()).to.equal('')
      const left = listFiles(env.root).filter(f => /^(images|layers|overlay|vfs)\/./.test(f))
      expect(left).to.deep.equal([])
    })
  })
}

describe('rootless set-up errors', function () {
  it('tells a user without /etc/subuid ranges what to add', function () {
    if (process.getuid!() !== 0) this.skip()
    const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, BIN,
      '--root', '/tmp/peapod-nobody-root', 'rmi', 'x'], {env: {PATH: process.env.PATH, HOME: '/tmp', XDG_RUNTIME_DIR: ''}, encoding: 'utf8'})
    expect(nobody.status).to.equal(125)
    expect(nobody.stderr.trim()).to.match(/^Error: no subordinate ID range for user "nobody" in \/etc\/subuid: add one, e\.g\. .*usermod --add-subuids/)
  })
})
