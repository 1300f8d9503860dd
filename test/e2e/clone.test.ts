// container clone and pod clone, as Podman 4.3.1's: a copy made from the
// spec the original was created with (env, limits, mounts...), flags that
// replace the original's settings, NAME-clone / NAME-clone1 names, --run /
// --start, --destroy (and -f for a running one). Bad input: Podman's line,
// exit 125, nothing created.
import {expect} from 'chai'
import {expectError, type Mode} from './helpers.js'
import {busyboxEnvs, envOf} from './fixtures.js'

describe('clone', function () {
  this.timeout(90000)
  const envs = busyboxEnvs({removeContainersAfterEach: true})

  for (const mode of ['root', 'rootless'] as Mode[]) {
    const get = (ctx: Mocha.Context) => envOf(envs, ctx, mode)
    const names = (env: {ok: (a: string[]) => string}) => env.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort()

    it(`${mode}: container clone copies the spec; names NAME-clone, NAME-clone1; --run starts it; --destroy removes the original`, function () {
      const {env} = get(this)
      env.ok(['create', '--name', 'c1', '-e', 'A=1', '--label', 'l=v', '--tmpfs', '/scratch', 'bb', 'sh', '-c', 'echo $A; mount | grep -c " /scratch "'])
      env.ok(['container', 'clone', 'c1'])
      env.ok(['container', 'clone', 'c1'])
      env.ok(['container', 'clone', 'c1', 'c1b', 'bb'])
      expect(names(env)).to.deep.equal(['c1', 'c1-clone', 'c1-clone1', 'c1b'])
      expect(env.ok(['start', '-a', 'c1-clone'])).to.equal('1\n1\n')
      expect(env.ok(['inspect', 'c1-clone1', '--format', '{{.Config.Labels.l}}']).trim()).to.equal('v')
      // --stop-timeout 0 (copied by the clones): the --destroy -f below need not wait out sleep's ignored SIGTERM
      env.ok(['create', '--name', 's1', '--stop-timeout', '0', 'bb', 'sleep', '1000'])
      env.ok(['container', 'clone', '--run', 's1', 's2'])
      expect(env.ok(['inspect', 's2', '--format', '{{.State.Status}}']).trim()).to.equal('running')
      // a running original needs -f with --destroy; refused before anything is made
      expectError(env.run(['container', 'clone', '--destroy', 's2', 's3']), 125, /^Error: cannot remove container [0-9a-f]{64} as it is running - running or paused containers cannot be removed without force: container state improper$/)
      expect(names(env)).not.to.include('s3')
      env.ok(['container', 'clone', '--destroy', '-f', 's2', 's3'])
      expect(names(env)).to.include('s3').and.not.include('s2')
    })

    it(`${mode}: container clone --pod puts the copy in another pod`, function () {
      const {env} = get(this)
      env.ok(['pod', 'create', '--name', 'cp1'])
      env.ok(['create', '--name', 'solo', 'bb', 'true'])
      env.ok(['container', 'clone', '--pod', 'cp1', 'solo', 'inpod'])
      const podId = env.ok(['pod', 'inspect', 'cp1', '--format', '{{.Id}}']).trim()
      expect(env.ok(['inspect', 'inpod', '--format', '{{.Pod}}']).trim()).to.equal(podId)
    })

    it(`${mode}: pod clone copies the pod and its containers; flags replace its settings; --start; --destroy`, function () {
      const {env} = get(this)
      env.ok(['pod', 'create', '--name', 'pc', '--label', 'a=1', '--hostname', 'hh'])
      // --stop-timeout 0 (copied by the clones): --destroy of the running pc2 need not wait out sleep's ignored SIGTERM
      env.ok(['create', '--pod', 'pc', '--name', 'm1', '-e', 'X=y', '--stop-timeout', '0', 'bb', 'sleep', '1000'])
      env.ok(['pod', 'clone', 'pc'])
      expect(env.ok(['pod', 'ps', '--format', '{{.Name}} {{.NumberOfContainers}}']).trim().split('\n').sort()).to.deep.equal(['pc 2', 'pc-clone 2'])
      env.ok(['pod', 'clone', '--hostname', 'h2', '--label', 'b=2', '--start', 'pc', 'pc2'])
      expect(JSON.parse(env.ok(['pod', 'inspect', 'pc2', '--format', '{{json .Labels}}']))).to.deep.equal({a: '1', b: '2'})
      expect(env.ok(['pod', 'inspect', 'pc2', '--format', '{{.State}}']).trim()).to.equal('Running')
      expect(names(env)).to.include.members(['m1', 'm1-clone', 'm1-clone1'])
      // the member's clone is in the new pod, with its env, and sees the new hostname
      expect(env.ok(['exec', 'm1-clone1', 'sh', '-c', 'echo $X $(cat /proc/sys/kernel/hostname)'])).to.equal('y h2\n')
      env.ok(['pod', 'clone', '--destroy', 'pc2', 'pc3'])
      expect(env.ok(['pod', 'ps', '--format', '{{.Name}}']).trim().split('\n').sort()).to.deep.equal(['pc', 'pc-clone', 'pc3'])
      expect(names(env)).not.to.include('m1-clone1')
    })
  }

  it('root: clone flags change the copy\'s limits (cgroup files inside)', function () {
    const {env} = envs.get('root') ?? this.skip()
    env.ok(['create', '--name', 'lim', '-m', '100m', 'bb', 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'])
    env.ok(['container', 'clone', '-m', '200m', 'lim', 'lim2'])
    expect(env.ok(['start', '-a', 'lim2'])).to.equal(`${200 * 1024 * 1024}\n`)
    expect(env.ok(['start', '-a', 'lim'])).to.equal(`${100 * 1024 * 1024}\n`)
    env.ok(['pod', 'create', '--name', 'pl', '--memory', '100m'])
    env.ok(['pod', 'clone', '--memory', '200m', 'pl', 'pl2'])
    expect(env.ok(['pod', 'inspect', 'pl2', '--format', '{{.MemoryLimit}}']).trim()).to.equal(String(200 * 1024 * 1024))
  })

  it('bad input: Podman\'s line, exit 125, nothing created', function () {
    const {env} = envs.get('root') ?? envs.get('rootless') ?? this.skip()
    env.ok(['create', '--name', 'b1', 'bb', 'true'])
    env.ok(['pod', 'create', '--name', 'bp'])
    expectError(env.run(['container', 'clone', 'nonexist']), 125, /^Error: no container with name or ID "nonexist" found: no such container$/)
    expectError(env.run(['container', 'clone']), 125, /^Error: accepts between 1 and 3 arg\(s\), received 0$/)
    expectError(env.run(['container', 'clone', 'b1', 'x', 'y', 'z']), 125, /^Error: accepts between 1 and 3 arg\(s\), received 4$/)
    expectError(env.run(['container', 'clone', '-f', 'b1', 'x']), 125, /^Error: cannot set --force without --destroy: invalid argument$/)
    expectError(env.run(['container', 'clone', 'b1', 'b1']), 125, /the container name "b1" is already in use/)
    expectError(env.run(['pod', 'clone', 'nonexist']), 125, /^Error: no pod with name or ID nonexist found: no such pod$/)
    expectError(env.run(['pod', 'clone', 'bp', 'bp']), 125, /^Error: .*name "bp" is in use: pod already exists$/)
    expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(n => !n.endsWith('-infra'))).to.deep.equal(['b1'])
    expect(env.ok(['pod', 'ps', '--format', '{{.Name}}']).trim()).to.equal('bp')
  })
})
