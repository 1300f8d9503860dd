// The system commands (df, prune, reset, renumber) and the everyday flags
// of issue 12: start --all/--filter/--latest, stop/rm --filter, ps --watch,
// logs --color, `images NAME`, and Go field names in --format templates
// (`inspect --format '{{.ID}}'`), as root and as the rootless test user.
import {expect} from 'chai'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, unavailable, waitUntil, expectError, pidGone, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`everyday flags (${mode})`, function () {
    let env: Env
    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => env?.cleanup())

    const state = (name: string) => env.ok(['inspect', '--format', '{{.State.Status}}', name]).trim()

    it('inspect --format sees {{.ID}} and {{.Id}}; images have {{.CreatedSince}}', () => {
      const id = env.ok(['create', '--name', 'fmt1', 'bb', 'true']).trim()
      expect(env.ok(['inspect', '--format', '{{.ID}}', 'fmt1']).trim()).to.equal(id)
      expect(env.ok(['inspect', '--format', '{{.Id}}', 'fmt1']).trim()).to.equal(id)
      expect(env.ok(['container', 'inspect', '--format', '{{.ID}} {{.Name}}', 'fmt1']).trim()).to.equal(`${id} fmt1`)
      const img = env.ok(['image', 'inspect', '--format', '{{.ID}}', 'bb']).trim()
      expect(img).to.match(/^[0-9a-f]{64}$/)
      expect(env.ok(['ps', '-a', '--filter', 'name=fmt1', '--format', '{{.ID}} {{.Id}}']).trim()).to.equal(`${id.slice(0, 12)} ${id}`)
      expect(env.ok(['images', '--format', '{{.CreatedSince}}']).trim()).to.match(/ago$/)
      // JSON is unchanged: no ID key next to Id
      expect(Object.keys((JSON.parse(env.ok(['inspect', 'fmt1'])) as object[])[0])).to.not.include('ID')
      env.ok(['rm', 'fmt1'])
    })

    it('images NAME lists only the images that name matches', () => {
      env.ok(['tag', 'bb', 'other'])
      expect(env.ok(['images', '--format', '{{.Repository}}', 'other']).trim().split('\n')).to.include('localhost/other')
      expect(env.ok(['images', '--format', '{{.ID}}', 'nosuchimage']).trim()).to.equal('')
      env.ok(['untag', 'bb', 'localhost/other:latest'])
    })

    it('start --all, --filter and --latest; stop --filter; rm --filter', () => {
      env.ok(['create', '--name', 'sa1', '--label', 'grp=a', 'bb', 'sleep', '1000'])
      env.ok(['create', '--name', 'sa2', '--label', 'grp=b', 'bb', 'sleep', '1000'])
      env.ok(['create', '--name', 'sa3', '--label', 'grp=a', 'bb', 'sleep', '1000'])
      // --latest: the last created
      env.ok(['start', '--latest'])
      expect([state('sa1'), state('sa2'), state('sa3')]).to.deep.equal(['created', 'created', 'running'])
      // --filter: only the matching ones (sa3 already runs)
      const started = env.ok(['start', '--filter', 'label=grp=a']).trim().split('\n').filter(Boolean)
      expect(started).to.have.length(1)
      expect([state('sa1'), state('sa2')]).to.deep.equal(['running', 'created'])
      env.ok(['start', '--all'])
      expect(state('sa2')).to.equal('running')
      expectError(env.run(['start', '--all', 'sa1']), 125, /take no arguments/)
      // stop --filter stops only the matching running containers
      env.ok(['stop', '-t', '0', '--filter', 'label=grp=a'])
      expect([state('sa1'), state('sa2'), state('sa3')]).to.deep.equal(['exited', 'running', 'exited'])
      // rm --filter removes only the matching ones
      env.ok(['rm', '--filter', 'label=grp=a'])
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n')).to.deep.equal(['sa2'])
      env.ok(['rm', '-f', '-t', '0', 'sa2'])
    })

    it('pause/unpause/restart --filter and pod start/stop/rm --pod-id-file act on what they select', function () {
      env.ok(['run', '-d', '--name', 'pf1', '--label', 'sel=1', 'bb', 'sleep', '1000'])
      env.ok(['run', '-d', '--name', 'pf2', 'bb', 'sleep', '1000'])
      if (mode === 'root') { // rootless on cgroup v1 cannot pause (Podman's error)
        env.ok(['pause', '--filter', 'label=sel=1'])
        expect([state('pf1'), state('pf2')]).to.deep.equal(['paused', 'running'])
        env.ok(['unpause', '--filter', 'label=sel=1'])
        expect(state('pf1')).to.equal('running')
      }
      const before = env.ok(['inspect', '--format', '{{.State.StartedAt}}', 'pf2'])
      expect(env.ok(['restart', '-t', '0', '--filter', 'name=pf2']).trim()).to.match(/^[0-9a-f]{64}$/)
      expect(env.ok(['inspect', '--format', '{{.State.StartedAt}}', 'pf2'])).to.not.equal(before)
      env.ok(['rm', '-f', '-t', '0', 'pf1', 'pf2'])
      const idFile = env.file('pod.id')
      const id = env.ok(['pod', 'create', '--name', 'pidf']).trim()
      writeFileSync(idFile, id + '\n')
      env.chown(idFile)
      expect(env.ok(['pod', 'start', '--pod-id-file', idFile]).trim()).to.equal(id)
      expect(env.ok(['pod', 'stop', '--pod-id-file', idFile]).trim()).to.equal(id)
      expect(env.ok(['pod', 'rm', '--pod-id-file', idFile]).trim()).to.equal(id)
      expect(env.ok(['pod', 'ps', '-q']).trim()).to.equal('')
      expectError(env.run(['pod', 'rm', '--pod-id-file', env.file('nofile')]), 125, /reading pod ID file/)
    })

    it('ps --watch lists again on its interval', async () => {
      env.ok(['create', '--name', 'watched', 'bb', 'true'])
      const p = env.spawn(['ps', '-a', '--watch', '1', '--format', '{{.Names}}'])
      let out = ''
      p.stdout.on('data', d => { out += d })
      try {
        await waitUntil('two listings', () => (out.match(/watched/g) ?? []).length >= 2, 30000)
        expect(out).to.include('\u001b[H\u001b[2J')
      } finally {
        p.kill('SIGTERM')
      }
      expectError(env.run(['ps', '--watch', '1', '--latest']), 125, /the watch and latest flags cannot be used together/)
      env.ok(['rm', 'watched'])
    })

    it('logs --color colours each container\'s prefix', () => {
      env.ok(['run', '--name', 'lc1', 'bb', 'echo', 'one'])
      env.ok(['run', '--name', 'lc2', 'bb', 'echo', 'two'])
      const out = env.ok(['logs', '--color', '--names', 'lc1', 'lc2'])
      expect(out).to.include('\u001b[33mlc1\u001b[0m one')
      expect(out).to.include('\u001b[32mlc2\u001b[0m two')
      expect(env.ok(['logs', '--names', 'lc1', 'lc2'])).to.not.include('\u001b[')
      env.ok(['rm', 'lc1', 'lc2'])
    })
  })

  describe(`system df, prune, renumber, reset (${mode})`, function () {
    let env: Env
    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => env?.cleanup())

    it('df: Podman\'s three rows, -v sections and --format', () => {
      env.ok(['create', '--name', 'dfc', '-v', 'dfvol:/data', 'bb', 'true'])
      const table = env.ok(['system', 'df'])
      expect(table.split('\n')[0]).to.match(/^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/)
      expect(table).to.match(/\nImages\s+1\s+1\s+\d[\d.]*[kM]?B\s+0B \(0%\)\n/)
      expect(table).to.match(/\nContainers\s+1\s+0\s/)
      expect(table).to.match(/\nLocal Volumes\s+1\s+1\s/)
      expect(env.ok(['system', 'df', '--format', '{{.Type}}:{{.Total}}'])).to.equal('Images:1\nContainers:1\nLocal Volumes:1\n')
      const json = JSON.parse(env.ok(['system', 'df', '--format', 'json'])) as Array<{Type: string; Total: number}>
      expect(json.map(r => r.Type)).to.deep.equal(['Images', 'Containers', 'Local Volumes'])
      const v = env.ok(['system', 'df', '-v'])
      expect(v).to.include('Images space usage:').and.include('Containers space usage:').and.include('Local Volumes space usage:')
      expect(v).to.match(/\ndfvol\s+1\s+0B\n/)
      expectError(env.run(['system', 'df', '-v', '--format', 'json']), 125, /cannot combine --format and --verbose flags/)
    })

    it('prune: stopped containers, unused networks, dangling images; --volumes and -a; filters; asks without -f', () => {
      env.ok(['create', '--name', 'keep', '--label', 'keep=yes', 'bb', 'true'])
      env.ok(['network', 'create', 'prunenet'])
      // No -f: asks, and "n" keeps everything.
      const asked = env.run(['system', 'prune'], {input: 'n\n'})
      expect(asked.stdout).to.include('WARNING! This command removes:')
      expect(env.ok(['ps', '-a', '-q']).trim().split('\n')).to.have.length(2)
      // A label filter prunes only the matching containers.
      env.ok(['system', 'prune', '-f', '--filter', 'label=keep=yes'])
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('dfc')
      const out = env.ok(['system', 'prune', '-f'])
      expect(out).to.match(/^Deleted Containers\n[0-9a-f]{64}\nDeleted Networks\nprunenet\n/)
      expect(out).to.match(/Total reclaimed space: \S+\n$/)
      expect(env.ok(['volume', 'ls', '-q']).trim()).to.equal('dfvol') // no --volumes: kept
      expect(env.ok(['images', '-q']).trim()).to.not.equal('') // in use once: not dangling
      const all = env.ok(['system', 'prune', '-f', '-a', '--volumes'])
      expect(all).to.include('Deleted Volumes\ndfvol\n').and.include('Deleted Images\n')
      expect(env.ok(['images', '-q']).trim()).to.equal('')
      expectError(env.run(['system', 'prune', '-f', '--filter', 'colour=red']), 125, /colour is an invalid filter/)
      env.ok(['import', busyboxTar(), 'bb'])
    })

    it('renumber records its event', () => {
      const g = mode === 'root' ? ['--tmpdir', env.file('tmp')] : []
      env.ok([...g, 'system', 'renumber'])
      expect(env.ok([...g, 'events', '--stream=false', '--filter', 'type=system', '--format', '{{.Status}}']).trim()).to.equal('renumber')
    })

    it('reset -f: everything gone, the store directories too (and rootless, the pause process)', async () => {
      env.ok(['run', '-d', '--name', 'resetme', 'bb', 'sleep', '1000'])
      env.ok(['pod', 'create', '--name', 'resetpod'])
      env.ok(['volume', 'create', 'resetvol'])
      env.ok(['network', 'create', 'resetnet'])
      const pause = path.join(env.dir, 'xdg', 'peapod', 'pause.pid')
      const pausePid = mode === 'rootless' ? Number(readFileSync(pause, 'utf8').trim()) : 0
      const asked = env.run(['system', 'reset'], {input: 'no\n'})
      expect(asked.stdout).to.include('WARNING! This will remove:')
      expect(env.ok(['ps', '-a', '-q']).trim()).to.not.equal('')
      env.ok(['system', 'reset', '-f'])
      expect(existsSync(env.root)).to.equal(false)
      expect(existsSync(env.runroot)).to.equal(false)
      // the pause process is sent SIGKILL (Podman does not wait for it either): it goes soon after
      if (mode === 'rootless') await pidGone(pausePid)
      expect(env.ok(['ps', '-a', '-q']).trim()).to.equal('')
      expect(env.ok(['pod', 'ps', '-q']).trim()).to.equal('')
      expect(env.ok(['images', '-q']).trim()).to.equal('')
      expect(env.ok(['volume', 'ls', '-q']).trim()).to.equal('')
      expect(env.ok(['network', 'ls', '--format', '{{.Name}}']).trim()).to.equal('podman')
    })
  })
}
