// Volumes and mounts end to end, as root and as the rootless test user:
// the volume commands (create, ls, inspect, exists, rm, prune, export,
// import) with Podman 4.3.1's output and exit codes, and volumes in
// containers: named (created on first use), anonymous (-v /path and the
// image's VOLUME, gone with rm -v and --rm), copy-up, :U, --mount,
// --volumes-from, --read-only with --tmpfs, volumes with mount options,
// two containers writing one volume at once, and bad input.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, TEST_USER, unavailable, type Mode, type Result, expectError} from './helpers.js'
import {busyboxRootfs, tarOf} from './fixtures.js'

/** Exit code of a spawned peapod. */
function exited(p: import('node:child_process').ChildProcess): Promise<number> {
  if (p.exitCode !== null) return Promise.resolve(p.exitCode)
  return new Promise(resolve => p.once('exit', code => resolve(code ?? 128)))
}

function subuidStart(user: string): number {
  const line = readFileSync('/etc/subuid', 'utf8').split('\n').find(l => l.startsWith(user + ':'))!
  return Number(line.split(':')[1])
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`volumes (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      // bb: busybox; vimg: busybox with content in /data, declared VOLUME /data
      const plain = busyboxRootfs()
      const withData = busyboxRootfs(root => {
        mkdirSync(path.join(root, 'data/sub'), {recursive: true})
        writeFileSync(path.join(root, 'data/seed'), 'from the image\n')
        writeFileSync(path.join(root, 'data/sub/deep'), 'deep\n')
      })
      for (const [name, root] of [['bb', plain], ['vimg', withData]]) {
        const tar = tarOf(root, env.file(`${name}.tar`))
        env.chown(tar)
        env.ok(['import', ...(name === 'vimg' ? ['--change', 'VOLUME=/data'] : []), tar, name])
      }
    })
    after(() => env?.cleanup())

    const out = (args: string[]): string => {
      const r = env.run(['run', '--rm', ...args])
      if (r.code !== 0) throw new Error(`run ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
      return r.stdout
    }
    const volumes = () => env.ok(['volume', 'ls', '-q']).split('\n').filter(Boolean)
    const dataDir = (name: string) => path.join(env.root, 'volumes', name, '_data')
    /** Mount points of the mount namespace peapod mounts in (the pause process's, rootless). */
    const mountPoints = (): string[] => {
      let file = '/proc/self/mountinfo'
      if (mode === 'rootless') {
        const pid = readFileSync(path.join(env.dir, 'xdg', 'peapod', 'pause.pid'), 'utf8').trim()
        file = `/proc/${pid}/mountinfo`
      }
      return readFileSync(file, 'utf8').split('\n').map(l => l.split(' ')[4]).filter(Boolean)
    }

    describe('volume commands', () => {
      it('create, ls, inspect, exists and rm, with Podman\'s output', () => {
        expect(env.ok(['volume', 'create', 'v1'])).to.equal('v1\n')
        expect(env.ok(['volume', 'create', '--label', 'a=b', '--label', 'c', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=nodev,uid=1000', 'v2'])).to.equal('v2\n')
        const anon = env.ok(['volume', 'create']).trim()
        expect(anon).to.match(/^[0-9a-f]{64}$/)
        expect(env.ok(['volume', 'ls'])).to.match(/^DRIVER\s+VOLUME NAME\n/)
        expect(env.ok(['volume', 'ls', '-q']).split('\n').filter(Boolean).sort()).to.deep.equal([anon, 'v1', 'v2'].sort())

        const [v1, v2] = JSON.parse(env.ok(['volume', 'inspect', 'v1', 'v2']))
        expect(Object.keys(v1)).to.deep.equal(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Scope', 'Options', 'MountCount', 'NeedsCopyUp', 'NeedsChown'])
        expect(v1).to.include({Name: 'v1', Driver: 'local', Mountpoint: dataDir('v1'), Scope: 'local', MountCount: 0, NeedsCopyUp: true, NeedsChown: true})
        expect(v1.CreatedAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)$/)
        expect(v2.Labels).to.deep.equal({a: 'b', c: ''})
        expect(v2.Options).to.deep.equal({UID: '1000', device: 'tmpfs', o: 'nodev,uid=1000', type: 'tmpfs'})
        expect(v2).to.include({UID: 1000})
        expect(v2).to.not.have.property('NeedsChown')
        expect(lstatSync(dataDir('v1')).isDirectory()).to.equal(true)

        expect(env.ok(['volume', 'inspect', '--format', '{{.Name}} {{.Driver}} {{.Labels}} {{.Scope}}', 'v2'])).to.equal('v2 local map[a:b c:] local\n')
        expect(env.ok(['volume', 'ls', '--format', '{{.Name}} {{.Options}}', '--filter', 'name=v2'])).to.equal('v2 map[UID:1000 device:tmpfs o:nodev,uid=1000 type:tmpfs]\n')
        expect(env.ok(['volume', 'ls', '--format', 'table {{.Name}} {{.MountCount}}', '--filter', 'label=a=b'])).to.match(/^VOLUME NAME\s+MOUNT COUNT\nv2\s+0\n$/)
        expect(JSON.parse(env.ok(['volume', 'ls', '--format', 'json', '--filter', 'name=^v1$']))).to.have.length(1)

        expect(env.run(['volume', 'exists', 'v1']).code).to.equal(0)
        expect(env.run(['volume', 'exists', 'nope']).code).to.equal(1)
        // a name taken: 125, and --ignore says the name
        expectError(env.run(['volume', 'create', 'v1']), 125, /volume with name v1 already exists: volume already exists/)
        expect(env.ok(['volume', 'create', '--ignore', 'v1'])).to.equal('v1\n')
        expectError(env.run(['volume', 'create', '-o', 'foo=bar', 'v9']), 125, /invalid mount option foo for driver 'local'/)
        expectError(env.run(['volume', 'create', '--driver', 'nfs', 'v9']), 125, /no volume plugin with name nfs available/)

        expect(env.ok(['volume', 'rm', 'v1', 'v2', anon])).to.equal(`v1\nv2\n${anon}\n`)
        expect(existsSync(path.join(env.root, 'volumes', 'v1'))).to.equal(false)
        expect(volumes()).to.deep.equal([])
        // nothing at all, not even a header, with no volumes
        expect(env.ok(['volume', 'ls'])).to.equal('')
        expect(env.ok(['volume', 'ls', '--format', 'json']).trim()).to.equal('[]')
      })

      it('filters ls by name, label, dangling, driver and opt', () => {
        env.ok(['volume', 'create', '--label', 'k=v', 'fa'])
        env.ok(['volume', 'create', '--label', 'k=w', 'fb'])
        env.ok(['volume', 'create', '-o', 'type=tmpfs', 'fc'])
        env.ok(['create', '--name', 'user-of-fa', '-v', 'fa:/x', 'bb', 'true'])
        const ls = (...f: string[]) => env.ok(['volume', 'ls', '-q', ...f.flatMap(x => ['--filter', x])]).split('\n').filter(Boolean)
        expect(ls('name=f[ab]')).to.deep.equal(['fa', 'fb'])
        expect(ls('label=k')).to.deep.equal(['fa', 'fb'])
        expect(ls('label=k=w')).to.deep.equal(['fb'])
        expect(ls('label=k=v', 'label=k=w')).to.deep.equal(['fa', 'fb'])
        expect(ls('label=k', 'dangling=true')).to.deep.equal(['fb'])
        expect(ls('dangling=false')).to.deep.equal(['fa'])
        expect(ls('opt=type=tmpfs')).to.deep.equal(['fc'])
        expect(ls('driver=local', 'name=fc')).to.deep.equal(['fc'])
        expectError(env.run(['volume', 'ls', '--filter', 'dangling=maybe']), 125, /"maybe" is not a valid value for the "dangling" filter - must be true or false/)
        expectError(env.run(['volume', 'ls', '--filter', 'bogus=1']), 125, /"bogus" is an invalid volume filter/)
        expectError(env.run(['volume', 'ls', '--filter', 'bad']), 125, /filter input must be in the form of filter=value: bad is invalid/)
        // prune: the unused ones, with and without a filter
        expect(env.ok(['volume', 'prune', '-f', '--filter', 'label=k'])).to.equal('fb\n')
        expect(env.ok(['volume', 'prune', '-f'])).to.equal('fc\n')
        expect(volumes()).to.deep.equal(['fa'])
        env.ok(['rm', 'user-of-fa'])
        expect(env.ok(['volume', 'prune'], {input: 'n\n'})).to.match(/^WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\nfa\nAre you sure you want to continue\? \[y\/N\] $/)
        expect(volumes()).to.deep.equal(['fa'])
        expect(env.ok(['volume', 'prune'], {input: 'y\n'})).to.match(/\[y\/N\] fa\n$/)
        expect(volumes()).to.deep.equal([])
      })

      it('exports a volume as a tar and imports one; a broken tar changes nothing', () => {
        env.ok(['volume', 'create', 'ex'])
        out(['-v', 'ex:/v', 'bb', 'sh', '-c', 'echo one > /v/one; mkdir /v/d; echo two > /v/d/two; ln -s one /v/link'])
        const tarFile = env.file('ex.tar')
        env.ok(['volume', 'export', 'ex', '-o', tarFile])
        // Podman's entry names: no ./ prefix, no entry for the volume itself
        const names = execFileSync('tar', ['-tf', tarFile], {encoding: 'utf8'}).split('\n').filter(Boolean).sort()
        expect(names).to.deep.equal(['d/', 'd/two', 'link', 'one'])
        // stdout too, and an empty volume is just the end-of-archive blocks
        expect(env.run(['volume', 'export', 'ex']).stdout).to.have.length.greaterThan(1024)
        env.ok(['volume', 'create', 'im'])
        expect(env.run(['volume', 'export', 'im']).stdout).to.have.length(1024)

        env.ok(['volume', 'import', 'im', tarFile])
        expect(out(['-v', 'im:/v', 'bb', 'sh', '-c', 'cat /v/one /v/d/two; readlink /v/link'])).to.equal('one\ntwo\none\n')
        // from stdin, gzip-compressed, merged over what is there
        const gz = execFileSync('gzip', ['-c', tarFile])
        out(['-v', 'im:/v', 'bb', 'sh', '-c', 'echo changed > /v/one; echo mine > /v/mine'])
        expect(env.run(['volume', 'import', 'im', '-'], {input: gz}).code).to.equal(0)
        expect(out(['-v', 'im:/v', 'bb', 'sh', '-c', 'cat /v/one /v/mine'])).to.equal('one\nmine\n')

        const before = execFileSync('find', [dataDir('im')], {encoding: 'utf8'})
        for (const bad of [Buffer.from('this is not a tar archive\n'.repeat(40)), readFileSync(tarFile).subarray(0, 700)]) {
          const junk = env.file('junk.tar')
          writeFileSync(junk, bad)
          env.chown(junk)
          expectError(env.run(['volume', 'import', 'im', junk]), 125, /importing into volume im: .*the volume is unchanged/)
          expect(execFileSync('find', [dataDir('im')], {encoding: 'utf8'})).to.equal(before)
          expect(readdirSync(path.join(env.root, 'volumes', 'im')).sort()).to.deep.equal(['_data', 'volume.json'])
        }
        expectError(env.run(['volume', 'import', 'nope', tarFile]), 125, /no such volume nope/)
        expectError(env.run(['volume', 'export', 'nope']), 125, /no such volume nope/)
        env.ok(['volume', 'rm', 'ex', 'im'])
      })
    })

    describe('volumes in containers', () => {
      it('writes in one container and reads in the next; the volume is created on first use', () => {
        expect(volumes()).to.not.include('wr')
        out(['-v', 'wr:/store', 'bb', 'sh', '-c', 'echo hello > /store/greeting'])
        expect(volumes()).to.include('wr')
        expect(out(['-v', 'wr:/elsewhere:ro', 'bb', 'cat', '/elsewhere/greeting'])).to.equal('hello\n')
        const ro = env.run(['run', '--rm', '-v', 'wr:/store:ro', 'bb', 'sh', '-c', 'echo x > /store/x'])
        expect(ro.code).to.not.equal(0)
        expect(ro.stderr).to.match(/Read-only file system/)
        env.ok(['volume', 'rm', 'wr'])
      })

      it('keeps a named volume after rm of its container; volume rm removes it', () => {
        const id = env.ok(['create', '--name', 'keeper', '-v', 'kept:/k', 'bb', 'sh', '-c', 'echo data > /k/file']).trim()
        expect(env.ok(['start', '-a', 'keeper'])).to.equal('')
        // in use, even by a stopped container: Podman's error and exit code 2
        expectError(env.run(['volume', 'rm', 'kept']), 2, new RegExp(`^Error: volume kept is being used by the following container\\(s\\): ${id}: volume is being used$`))
        expect(env.run(['volume', 'exists', 'kept']).code).to.equal(0)
        env.ok(['rm', 'keeper'])
        expect(volumes()).to.include('kept')
        expect(readFileSync(path.join(dataDir('kept'), 'file'), 'utf8')).to.equal('data\n')
        expect(env.ok(['volume', 'rm', 'kept'])).to.equal('kept\n')
        expect(existsSync(path.join(env.root, 'volumes', 'kept'))).to.equal(false)
        expectError(env.run(['volume', 'rm', 'kept']), 1, /no volume with name "kept" found: no such volume/)
        // -f: the containers using it go first
        env.ok(['create', '--name', 'user', '-v', 'forced:/f', 'bb', 'true'])
        expect(env.ok(['volume', 'rm', '-f', 'forced'])).to.equal('forced\n')
        expect(env.run(['container', 'exists', 'user']).code).to.equal(1)
      })

      it('copies the image\'s content up into a new volume, unless nocopy', () => {
        expect(out(['-v', 'cu:/data', 'vimg', 'sh', '-c', 'cat /data/seed /data/sub/deep'])).to.equal('from the image\ndeep\n')
        expect(readFileSync(path.join(dataDir('cu'), 'seed'), 'utf8')).to.equal('from the image\n')
        const [doc] = JSON.parse(env.ok(['volume', 'inspect', 'cu']))
        expect(doc).to.not.have.property('NeedsCopyUp')
        // once only: what the container changed stays
        out(['-v', 'cu:/data', 'vimg', 'rm', '/data/seed'])
        expect(out(['-v', 'cu:/data', 'vimg', 'ls', '/data'])).to.equal('sub\n')
        expect(out(['-v', 'nc:/data:nocopy', 'vimg', 'ls', '-A', '/data'])).to.equal('')
        // a path the image does not have: nothing to copy
        expect(out(['-v', 'cu2:/newdir', 'vimg', 'ls', '-A', '/newdir'])).to.equal('')
        env.ok(['volume', 'rm', 'cu', 'nc', 'cu2'])
      })

      it('gives -v /path and the image\'s VOLUME anonymous volumes, removed by rm -v and --rm', () => {
        expect(out(['vimg', 'cat', '/data/seed'])).to.equal('from the image\n')
        expect(out(['-v', '/scratch', 'bb', 'sh', '-c', 'echo x > /scratch/x; cat /scratch/x'])).to.equal('x\n')
        expect(volumes(), 'run --rm removes its anonymous volumes').to.deep.equal([])
        env.ok(['create', '--name', 'anon1', '-v', '/scratch', 'vimg', 'true'])
        const anon = volumes()
        expect(anon).to.have.length(2)
        for (const a of anon) {
          expect(a).to.match(/^[0-9a-f]{64}$/)
          expect(JSON.parse(env.ok(['volume', 'inspect', a]))[0]).to.include({Anonymous: true})
        }
        expect(env.ok(['volume', 'ls', '-q', '--filter', 'dangling=false']).split('\n').filter(Boolean).sort()).to.deep.equal([...anon].sort())
        env.ok(['rm', '-v', 'anon1'])
        expect(volumes()).to.deep.equal([])
        // without -v they stay (dangling, for prune)
        env.ok(['create', '--name', 'anon2', 'vimg', 'true'])
        env.ok(['rm', 'anon2'])
        expect(volumes()).to.have.length(1)
        env.ok(['volume', 'prune', '-f'])
        // a user mount at the image's VOLUME replaces it
        env.ok(['create', '--name', 'anon3', '-v', 'named:/data', 'vimg', 'true'])
        expect(volumes()).to.deep.equal(['named'])
        env.ok(['rm', '-v', 'anon3'])
        expect(volumes(), 'rm -v keeps named volumes').to.deep.equal(['named'])
        env.ok(['volume', 'rm', 'named'])
      })

      it('lets -u 1000 write to a :U volume; the files belong to mapped IDs', () => {
        const r = env.run(['run', '--rm', '-u', '1000', '-v', 'nou:/data', 'vimg', 'touch', '/data/new'])
        expect(r.code).to.not.equal(0)
        expect(r.stderr).to.match(/Permission denied/)
        expect(out(['-u', '1000', '-v', 'withu:/data:U', 'vimg', 'sh', '-c', 'touch /data/new && stat -c %u:%g /data /data/new /data/seed'])).to.equal('1000:0\n1000:0\n1000:0\n')
        // on the host: root's 1000, or the 1000th ID of the user's subordinate range
        const hostUid = mode === 'root' ? 1000 : subuidStart(TEST_USER) + 999
        for (const f of ['', 'new', 'seed']) expect(lstatSync(path.join(dataDir('withu'), f)).uid).to.equal(hostUid)
        // --mount's U too, and a tmpfs's
        expect(out(['-u', '1000', '--mount', 'type=volume,src=withu2,dst=/w,U=true', 'bb', 'sh', '-c', 'touch /w/f && echo ok'])).to.equal('ok\n')
        expect(out(['-u', '1000', '--mount', 'type=tmpfs,dst=/t,U', 'bb', 'stat', '-c', '%u', '/t'])).to.equal('1000\n')
        env.ok(['volume', 'rm', 'nou', 'withu', 'withu2'])
      })

      it('runs --read-only with a tmpfs for /tmp', () => {
        const r = env.run(['run', '--rm', '--read-only', '--tmpfs', '/tmp', 'bb', 'sh', '-c', 'echo ok > /tmp/f && cat /tmp/f && touch /rootfs-file'])
        expect(r.stdout).to.equal('ok\n')
        expect(r.code).to.not.equal(0)
        expect(r.stderr).to.match(/Read-only file system/)
        // volumes stay writable in a read-only container
        expect(out(['--read-only', '-v', 'rw:/rw', 'bb', 'sh', '-c', 'echo w > /rw/f && cat /rw/f'])).to.equal('w\n')
        env.ok(['volume', 'rm', 'rw'])
      })

      it('has two containers write one volume at once', async () => {
        const writer = (tag: string) => env.spawn(['run', '--rm', '-v', 'shared:/s', 'bb', 'sh', '-c',
          `for i in $(seq 1 300); do echo ${tag}$i >> /s/both; echo $i >> /s/${tag}; done`])
        const codes = await Promise.all([exited(writer('a')), exited(writer('b'))])
        expect(codes).to.deep.equal([0, 0])
        const lines = readFileSync(path.join(dataDir('shared'), 'both'), 'utf8').split('\n').filter(Boolean)
        expect(lines).to.have.length(600)
        expect(lines.filter(l => l.startsWith('a'))).to.have.length(300)
        for (const t of ['a', 'b']) expect(readFileSync(path.join(dataDir('shared'), t), 'utf8').split('\n').filter(Boolean)).to.have.length(300)
        expect(volumes().filter(v => v === 'shared')).to.have.length(1)
        env.ok(['volume', 'rm', 'shared'])
      })

      it('mounts a volume with mount options while a container uses it', () => {
        env.ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=2m,mode=0770', 'tv'])
        expect(out(['-v', 'tv:/t', 'bb', 'sh', '-c', 'grep " /t " /proc/mounts | cut -d" " -f3; stat -c %a /t'])).to.equal('tmpfs\n770\n')
        expect(mountPoints()).to.not.include(dataDir('tv'))
        expect(JSON.parse(env.ok(['volume', 'inspect', 'tv']))[0]).to.include({MountCount: 0})
        // a detached one holds the mount until it exits
        const id = env.ok(['run', '-d', '-v', 'tv:/t', 'bb', 'sleep', '1000']).trim()
        expect(mountPoints()).to.include(dataDir('tv'))
        expect(JSON.parse(env.ok(['volume', 'inspect', 'tv']))[0]).to.include({MountCount: 1})
        env.ok(['rm', '-f', '-t', '0', id])
        expect(mountPoints()).to.not.include(dataDir('tv'))
        env.ok(['volume', 'rm', 'tv'])
      })

      it('takes --mount type=bind, volume, tmpfs and image with Podman\'s keys', () => {
        const host = env.file('hostdir')
        mkdirSync(host)
        writeFileSync(path.join(host, 'h'), 'host\n')
        env.chown(host)
        expect(out(['--mount', `type=bind,source=${host},target=/h,readonly`, 'bb', 'sh', '-c', 'cat /h/h; touch /h/x 2>/dev/null || echo ro'])).to.equal('host\nro\n')
        expect(out(['--mount', `type=bind,src=${host},dst=/h,bind-propagation=rprivate,relabel=private`, 'bb', 'sh', '-c', 'echo w > /h/w && cat /h/w'])).to.equal('w\n')
        expect(out(['--mount', 'type=volume,src=mv,dst=/m', 'bb', 'sh', '-c', 'echo v > /m/v'])).to.equal('')
        expect(out(['--mount', 'type=volume,source=mv,destination=/m,ro=true', 'bb', 'sh', '-c', 'cat /m/v; touch /m/x 2>/dev/null || echo ro'])).to.equal('v\nro\n')
        expect(out(['--mount', 'type=volume,src=mv2,dst=/m,volume-opt=type=tmpfs,volume-opt=device=tmpfs', 'bb', 'sh', '-c', 'grep " /m " /proc/mounts | cut -d" " -f3'])).to.equal('tmpfs\n')
        expect(out(['--mount', 'type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770', 'bb', 'sh', '-c', 'grep " /t " /proc/mounts | grep -o "size=[^,]*"; stat -c %a /t'])).to.equal('size=1024k\n1770\n')
        expect(out(['--mount', 'type=image,src=vimg,dst=/img', 'bb', 'sh', '-c', 'cat /img/data/seed; touch /img/x 2>/dev/null || echo ro'])).to.equal('from the image\nro\n')
        expect(out(['--mount', 'type=volume,dst=/anon', 'bb', 'true'])).to.equal('')
        expect(volumes().sort()).to.deep.equal(['mv', 'mv2'])
        env.ok(['volume', 'rm', 'mv', 'mv2'])
      })

      it('shares a container\'s volumes and binds with --volumes-from', () => {
        const host = env.file('vfhost')
        mkdirSync(host)
        writeFileSync(path.join(host, 'h'), 'bound\n')
        env.chown(host)
        env.ok(['create', '--name', 'source', '-v', 'vf:/data', '-v', `${host}:/h`, 'bb', 'true'])
        out(['-v', 'vf:/data', 'bb', 'sh', '-c', 'echo shared > /data/f'])
        expect(out(['--volumes-from', 'source', 'bb', 'sh', '-c', 'cat /data/f /h/h'])).to.equal('shared\nbound\n')
        expect(out(['--volumes-from', 'source:ro', 'bb', 'sh', '-c', 'touch /data/x 2>/dev/null || echo ro'])).to.equal('ro\n')
        expectError(env.run(['run', '--rm', '--volumes-from', 'nosuch', 'bb', 'true']), 125, /looking up container "nosuch" for volumes-from: no container with name or ID "nosuch" found: no such container/)
        expectError(env.run(['run', '--rm', '--volumes-from', 'source:xx', 'bb', 'true']), 125, /invalid option "xx" specified - volumes from another container can only use z,ro,rw options/)
        env.ok(['rm', 'source'])
        env.ok(['volume', 'rm', 'vf'])
      })
    })

    describe('bad input: one line, exit 125, nothing created', () => {
      const noneLeft = () => {
        expect(env.ok(['ps', '-aq'])).to.equal('')
        expect(volumes()).to.deep.equal([])
      }

      it('refuses a bind of a missing host path with Podman\'s error', () => {
        expectError(env.run(['run', '--rm', '-v', '/nonexistent/dir:/x', 'vimg', 'true']), 125, /^Error: statfs \/nonexistent\/dir: no such file or directory$/)
        expectError(env.run(['create', '--mount', 'type=bind,src=/nonexistent/dir,dst=/x', 'vimg', 'true']), 125, /^Error: statfs \/nonexistent\/dir: no such file or directory$/)
        noneLeft()
      })

      it('refuses unknown volume and mount options', () => {
        expectError(env.run(['run', '--rm', '-v', 'good:/x:bogus', 'bb', 'true']), 125, /^Error: invalid option type "bogus"$/)
        expectError(env.run(['run', '--rm', '-v', 'good:/x:ro,rw', 'bb', 'true']), 125, /can only specify 1 'rw' or 'ro' option/)
        expectError(env.run(['run', '--rm', '--mount', 'type=volume,src=good,dst=/x,bogus=1', 'bb', 'true']), 125, /^Error: bogus: invalid mount option$/)
        expectError(env.run(['run', '--rm', '--mount', 'type=foo,dst=/x', 'bb', 'true']), 125, /^Error: invalid filesystem type "foo"$/)
        expectError(env.run(['run', '--rm', '--mount', 'src=/tmp,dst=/x', 'bb', 'true']), 125, /^Error: incorrect mount format/)
        expectError(env.run(['run', '--rm', '--mount', 'type=bind,src=/tmp', 'bb', 'true']), 125, /^Error: must set volume destination$/)
        expectError(env.run(['run', '--rm', '--mount', 'type=tmpfs,src=/x,dst=/t', 'bb', 'true']), 125, /^Error: source is not supported with tmpfs mounts$/)
        expectError(env.run(['run', '--rm', '--mount', 'type=devpts,dst=/dev/pts', 'bb', 'true']), 125, /not supported/)
        expectError(env.run(['run', '--rm', '-v', 'good:/x', '--tmpfs', '/x', 'bb', 'true']), 125, /^Error: \/x: duplicate mount destination$/)
        noneLeft()
      })

      it('refuses volume names with / or ..', () => {
        for (const name of ['a/b', '..', '../x', '.hidden']) {
          expectError(env.run(['volume', 'create', name]), 125, /names must match \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\]\*: invalid argument/)
        }
        expectError(env.run(['run', '--rm', '-v', 'a/b:/x', 'bb', 'true']), 125, /^Error: creating named volume "a\/b": .*names must match/)
        expectError(env.run(['run', '--rm', '--mount', 'type=volume,src=../x,dst=/x', 'bb', 'true']), 125, /names must match/)
        expect(existsSync(path.join(env.root, 'x'))).to.equal(false)
        noneLeft()
      })
    })
  })
}
