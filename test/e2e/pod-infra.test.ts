// pod create's infra flags, as Podman 4.3.1 applies them: --volume and
// --volumes-from land on the infra and every member mounts them; --sysctl and
// --security-opt are the infra's own (members see the sysctls of the shared
// namespaces); --ip/--ip6/--mac-address/--network-alias give the pod's
// network its address; --label-file labels the pod; --share-parent=false
// leaves the members out of a pod cgroup. Bad values: Podman's line, 125.
import {expect} from 'chai'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {expectError, waitUntil, type Mode} from './helpers.js'
import {busyboxEnvs, envOf} from './fixtures.js'

describe('pod create: infra flags', function () {
  this.timeout(90000)
  const envs = busyboxEnvs({removeContainersAfterEach: true})

  for (const mode of ['root', 'rootless'] as Mode[]) {
    const get = (ctx: Mocha.Context) => envOf(envs, ctx, mode)

    it(`${mode}: --volume and --volumes-from reach every member; the member's own -v wins`, function () {
      const {env} = get(this)
      const dir = env.file('podvol')
      mkdirSync(dir, {recursive: true})
      writeFileSync(`${dir}/f`, 'from-host\n')
      env.chown(dir)
      env.ok(['create', '--name', 'src', '-v', 'namedvol:/shared', 'bb', 'true'])
      env.ok(['run', '--rm', '-v', 'namedvol:/shared', 'bb', 'sh', '-c', 'echo in-volume > /shared/g'])
      env.ok(['pod', 'create', '--name', 'pv', '-v', `${dir}:/data:ro`, '--volumes-from', 'src'])
      const out = env.ok(['run', '--rm', '--pod', 'pv', 'bb', 'sh', '-c', 'cat /data/f /shared/g; touch /data/x 2>/dev/null && echo writable || echo readonly'])
      expect(out.split('\n')).to.deep.equal(['from-host', 'in-volume', 'readonly', ''])
      const infra = env.ok(['pod', 'inspect', 'pv', '--format', '{{.InfraContainerID}}']).trim()
      // pod inspect shows the pod's own -v as Mounts and --volumes-from apart (Podman 4.3.1); the infra has both.
      const mounts = JSON.parse(env.ok(['pod', 'inspect', 'pv', '--format', '{{json .Mounts}}']))
      expect(mounts.map((m: {Destination: string}) => m.Destination)).to.deep.equal(['/data'])
      expect(env.ok(['pod', 'inspect', 'pv', '--format', '{{.VolumesFrom}}']).trim()).to.equal('[src]')
      expect(env.ok(['inspect', infra, '--format', '{{range .Mounts}}{{.Destination}} {{end}}']).trim().split(' ').sort()).to.deep.equal(['/data', '/shared'])
      // a member's own mount at the same place replaces the pod's
      const own = env.file('own')
      mkdirSync(own, {recursive: true})
      writeFileSync(`${own}/f`, 'own\n')
      env.chown(own)
      expect(env.ok(['run', '--rm', '--pod', 'pv', '-v', `${own}:/data`, 'bb', 'cat', '/data/f'])).to.equal('own\n')
    })

    it(`${mode}: --sysctl is set in the infra and seen by members through the shared namespaces; --security-opt is the infra's`, function () {
      const {env} = get(this)
      env.ok(['pod', 'create', '--name', 'ps', '--infra-image', 'bb', '--infra-command', '["sleep","1000"]',
        '--sysctl', 'kernel.msgmax=12345', '--security-opt', 'mask=/etc/group'])
      const out = env.ok(['run', '--rm', '--pod', 'ps', 'bb', 'sh', '-c', 'cat /proc/sys/kernel/msgmax; cat /etc/group | head -1'])
      expect(out).to.equal('12345\nroot:x:0:\n')
      env.ok(['pod', 'start', 'ps'])
      const infra = env.ok(['pod', 'inspect', 'ps', '--format', '{{.InfraContainerID}}']).trim()
      // masked in the infra only: an empty file there
      expect(env.ok(['exec', infra, 'cat', '/etc/group'])).to.equal('')
      expect(env.ok(['inspect', infra, '--format', '{{.HostConfig.SecurityOpt}}']).trim()).to.equal('[mask=/etc/group]')
    })

    it(`${mode}: create --init-ctr: always ones run before the others at every pod start, once ones at the first and are removed`, async function () {
      const {env} = get(this)
      const dir = env.file('initlog')
      mkdirSync(dir, {recursive: true})
      env.chown(dir)
      env.ok(['pod', 'create', '--name', 'pi', '-v', `${dir}:/d`])
      env.ok(['create', '--init-ctr', 'always', '--pod', 'pi', '--name', 'ia', 'bb', 'sh', '-c', 'echo always >> /d/log'])
      env.ok(['create', '--init-ctr=once', '--pod', 'pi', '--name', 'io', 'bb', 'sh', '-c', 'echo once >> /d/log'])
      env.ok(['create', '--pod', 'pi', '--name', 'im', 'bb', 'sh', '-c', 'echo main >> /d/log; exec sleep 1000'])
      env.ok(['pod', 'start', 'pi'])
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).split('\n').filter(n => n.startsWith('i')).sort()).to.deep.equal(['ia', 'im'])
      await waitUntil('the main container\'s first line', () => readFileSync(`${dir}/log`, 'utf8').endsWith('main\n'))
      env.ok(['pod', 'stop', '-t', '0', 'pi'])
      env.ok(['pod', 'start', 'pi'])
      // start returns once the main container runs, not once it has written
      await waitUntil('the main container\'s second line', () => readFileSync(`${dir}/log`, 'utf8').endsWith('always\nmain\n'))
      expect(readFileSync(`${dir}/log`, 'utf8')).to.equal('always\nonce\nmain\nalways\nmain\n')
      expectError(env.run(['create', '--init-ctr', 'once', 'bb', 'true']), 125, /^Error: must specify pod value with init-ctr$/)
      expectError(env.run(['create', '--init-ctr', 'bogus', '--pod', 'pi', 'bb', 'true']), 125, /^Error: init-ctr value must be 'always' or 'once'$/)
    })

    it(`${mode}: --label-file labels the pod (--label wins)`, function () {
      const {env} = get(this)
      const f = env.file('labels')
      writeFileSync(f, '# comment\na=1\nb=2\n\nflag\n')
      env.chown(f)
      env.ok(['pod', 'create', '--name', 'pl', '--label-file', f, '--label', 'b=3'])
      expect(JSON.parse(env.ok(['pod', 'inspect', 'pl', '--format', '{{json .Labels}}']))).to.deep.equal({a: '1', b: '3', flag: ''})
    })
  }

  it('root: --ip, --mac-address and --network-alias give the pod its address on the network; members have it', function () {
    const {env} = envs.get('root') ?? this.skip()
    env.ok(['pod', 'create', '--name', 'pn', '--ip', '10.88.0.77', '--mac-address', '92:d0:c6:0a:29:33', '--network-alias', 'podalias'])
    const out = env.ok(['run', '--rm', '--pod', 'pn', 'bb', 'ip', 'addr', 'show', 'eth0'])
    expect(out).to.contain('inet 10.88.0.77/16')
    expect(out).to.contain('link/ether 92:d0:c6:0a:29:33')
    expect(env.ok(['pod', 'inspect', 'pn', '--format', '{{.InfraConfig.StaticIP}} {{.InfraConfig.StaticMAC}}']).trim()).to.equal('10.88.0.77 92:d0:c6:0a:29:33')
    const infra = env.ok(['pod', 'inspect', 'pn', '--format', '{{.InfraContainerID}}']).trim()
    expect(env.ok(['inspect', infra, '--format', '{{range .NetworkSettings.Networks}}{{.Aliases}}{{end}}'])).to.contain('podalias')
  })

  it('root: --share-parent=false puts members under the default parent, not a pod cgroup', function () {
    const {env} = envs.get('root') ?? this.skip()
    const id = env.ok(['pod', 'create', '--name', 'shp', '--share-parent=false']).trim()
    const cg = env.ok(['run', '--rm', '--pod', 'shp', 'bb', 'cat', '/proc/self/cgroup']).split('\n').find(l => /:memory:/.test(l))!
    expect(cg).to.match(/:memory:\/libpod_parent\/libpod-[0-9a-f]{64}$/)
    expect(cg).not.to.contain(id)
    expect(env.ok(['pod', 'inspect', 'shp', '--format', '{{.CreateCgroup}} {{.CgroupParent}}']).trim()).to.equal('false /libpod_parent')
    env.ok(['pod', 'create', '--name', 'shp2'])
    const id2 = env.ok(['pod', 'inspect', 'shp2', '--format', '{{.Id}}']).trim()
    expect(env.ok(['run', '--rm', '--pod', 'shp2', 'bb', 'cat', '/proc/self/cgroup'])).to.contain(`:memory:/libpod_parent/${id2}/libpod-`)
  })

  it('bad values: Podman\'s one line, exit 125, no pod', function () {
    const {env} = envs.get('root') ?? envs.get('rootless') ?? this.skip()
    const cases: Array<[string[], RegExp]> = [
      [['--sysctl', 'foo'], /^Error: foo is invalid, sysctl values must be in the form of KEY=VALUE$/],
      [['--sysctl', 'kernel.hostname=x'], /^Error: sysctl 'kernel.hostname' is not allowed$/],
      [['--ip', '10.88.0.300'], /^Error: "10.88.0.300" is not an ip address$/],
      [['--ip6', 'zz'], /^Error: "zz" is not an ip address$/],
      [['--mac-address', 'zz'], /^Error: address zz: invalid MAC address$/],
      [['--network', 'none', '--ip', '10.88.0.5'], /^Error: --ip can only be set when the network mode is bridge: invalid argument$/],
      [['--network', 'host', '--network-alias', 'x'], /^Error: --network-alias can only be set when the network mode is bridge: invalid argument$/],
      [['--label-file', '/nonexist'], /^Error: unable to process labels: open \/nonexist: no such file or directory$/],
      [['--volumes-from', 'nonexist'], /^Error: looking up container "nonexist" for volumes-from: no container with name or ID "nonexist" found: no such container$/],
      [['--security-opt', 'bogus'], /^Error: invalid --security-opt 1: "bogus"$/],
      [['-v', '/nonexist:/x'], /^Error: statfs \/nonexist: no such file or directory$/],
    ]
    for (const [args, re] of cases) expectError(env.run(['pod', 'create', '--name', 'bad', ...args]), 125, re)
    expect(env.ok(['pod', 'ps', '-q'])).to.equal('')
    expect(env.ok(['ps', '-aq'])).to.equal('')
  })
})
