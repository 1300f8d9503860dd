// Units under a real systemd. PID 1 on these machines is not systemd, so the
// suite brings one: a Debian bookworm root filesystem with systemd
// (debootstrap, cached per machine: fixtures.ts) runs as one privileged
// rootful peapod container with --systemd=always, with peapod, node, runc and
// catatonit bound in read-only, the generator linked into
// /etc/systemd/system-generators and the inner peapod store on a volume.
// Everything is then driven through systemctl inside it, waiting on unit
// states (never sleeping). User units run under the systemd --user of a
// lingering user (loginctl enable-linger) whose home is on a volume, with
// the host's newuidmap/newgidmap copied in (minbase has no uidmap).
//
// Inside, the nested containers use the host network and a private cgroup
// namespace (the systemd container's containers.conf): on this cgroup v1
// host, runc cannot bind the nested v1 cgroup paths otherwise. Quadlet's
// default --cgroups=split needs cgroup v2 (peapod refuses it on v1, as
// Podman does on the host), so the Quadlet files here say CgroupsMode=no-conmon.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, copyFileSync, existsSync, lstatSync} from 'node:fs'
import path from 'node:path'
import {BIN, Env, LAUNCHER, REPO, unavailable, waitUntil, type Result} from './helpers.js'
import {busyboxTar, debianSystemdTar} from './fixtures.js'

const CATATONIT = ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit', '/usr/local/bin/catatonit'].find(p => existsSync(p))
/** A container command that exits on SIGTERM (sleep as PID 1 ignores it). */
const SERVE = `sh -c 'trap "exit 0" TERM; sleep 1000 & wait'`
/**
 * Counts Node starts: a unit's [Service] preloads this into every Node it
 * starts (NODE_OPTIONS), which logs its script and command line. The monitor
 * drops NODE_OPTIONS (conmon/launch.ts), so what is logged is the units' own
 * commands: one line each when the command starts Node once.
 */
const COUNTER = '/tmp/node-starts.cjs'
const COUNTER_JS = "require('fs').appendFileSync(process.env.PEAPOD_NODE_STARTS, require('path').basename(process.argv[1] || '-') + ' ' + process.argv.slice(2).join(' ') + '\\n')\n"
const countStarts = (log: string) => `Environment="NODE_OPTIONS=-r ${COUNTER}" PEAPOD_NODE_STARTS=${log}\n`
const RUNC = ['/usr/sbin/runc', '/usr/bin/runc', '/usr/local/sbin/runc', '/usr/local/bin/runc'].find(p => existsSync(p))

describe('units under a real systemd (systemd as PID 1 in a peapod container)', function () {
  this.timeout(300_000)
  let env: Env
  let quadletDir: string
  const started = Date.now()

  /** A command in the systemd container. */
  const sx = (args: string[], input?: string): Result => env.run(['exec', ...(input !== undefined ? ['-i'] : []), 'sd', ...args], input !== undefined ? {input} : {})
  /** peapod inside the systemd container (its own store, on the volume); stdout, or throws. */
  const inner = (args: string[]): string => {
    const r = sx([LAUNCHER, ...args])
    if (r.code !== 0) throw new Error(`inner peapod ${args.join(' ')}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  const state = (unit: string) => sx(['systemctl', 'show', '-p', 'ActiveState', '--value', unit]).stdout.trim()
  const waitState = (unit: string, want: string) =>
    waitUntil(`${unit} ${want} (journal: ${journal(unit)})`, () => state(unit) === want, 60_000).catch(e => {
      throw new Error(`${(e as Error).message}; now ${state(unit)}; journal: ${journal(unit)}`)
    })
  // a stopped unit is inactive, or failed when its container was killed (rm -f: the monitor exits 137, as conmon)
  const waitStopped = (unit: string) =>
    waitUntil(`${unit} stopped`, () => ['inactive', 'failed'].includes(state(unit)), 60_000)
  const journal = (unit: string) => sx(['journalctl', '--no-pager', '-n', '15', '-u', unit]).stdout.trim().split('\n').slice(-8).join(' | ')
  const running = () => inner(['ps', '--format', '{{.Names}}']).split('\n').filter(Boolean).sort()
  const systemctl = (...args: string[]) => {
    const r = sx(['systemctl', ...args])
    if (r.code !== 0) throw new Error(`systemctl ${args.join(' ')}: exit ${r.code}: ${r.stderr} ${journal(args[args.length - 1])}`)
  }
  const quadlet = (name: string, text: string) => writeFileSync(path.join(quadletDir, name), text)
  /** The Node starts a counting unit logged (countStarts), sorted. */
  const nodeStarts = (log: string): string[] => sx(['cat', log]).stdout.split('\n').filter(Boolean).sort()

  before(async function () {
    const why = unavailable('root') ?? (RUNC ? undefined : 'no runc') ?? (CATATONIT ? undefined : 'no catatonit')
    if (why) {
      console.log(`      skipped: ${why}`)
      this.skip()
    }
    const fx = debianSystemdTar()
    if ('skip' in fx) {
      console.log(`      skipped: ${fx.skip}`)
      this.skip()
    }
    const t0 = Date.now()
    env = new Env('root')
    env.ok(['import', fx.tar, 'localhost/debian-systemd'])
    // the inner store: a volume (overlay on overlay does not work), the busybox image put there before boot
    env.ok(['volume', 'create', 'sdstore'])
    // the users' homes (rootless stores: overlay on the container's overlay does not work)
    env.ok(['volume', 'create', 'sdhome'])
    const store = env.ok(['volume', 'inspect', '--format', '{{.Mountpoint}}', 'sdstore']).trim()
    const imp = spawnSync(process.execPath, ['--', BIN, '--root', path.join(store, 'storage'), '--runroot', env.file('inner-run'), 'import', busyboxTar(), 'localhost/bb'], {encoding: 'utf8'})
    if (imp.status !== 0) throw new Error(`import into the inner store: ${imp.stderr}`)
    // /etc/containers of the systemd container: its containers.conf, policy, and Quadlet's directory
    const etc = env.file('etc-containers')
    quadletDir = path.join(etc, 'systemd')
    mkdirSync(quadletDir, {recursive: true})
    writeFileSync(path.join(etc, 'containers.conf'), '[containers]\nnetns="host"\ncgroupns="private"\n')
    for (const f of ['policy.json', 'registries.conf']) if (existsSync(`/etc/containers/${f}`)) copyFileSync(`/etc/containers/${f}`, path.join(etc, f))
    if (!existsSync(path.join(etc, 'policy.json'))) writeFileSync(path.join(etc, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}\n')
    // the generator, as scripts/install-systemd.sh links it
    const gens = env.file('generators')
    mkdirSync(gens)
    symlinkSync(path.join(REPO, 'bin/quadlet.js'), path.join(gens, 'peapod-system-generator'))
    // a unit that boots with the machine: [Install] WantedBy= through the generator
    quadlet('boot.container', '[Container]\nImage=localhost/bb\nExec=sleep 1000\nCgroupsMode=no-conmon\n\n[Install]\nWantedBy=multi-user.target\n')
    const binds = [
      `${REPO}:${REPO}:ro`,
      `${process.execPath}:/usr/local/bin/node:ro`,
      `${RUNC}:/usr/local/sbin/runc:ro`,
      `${CATATONIT}:/usr/local/bin/catatonit:ro`,
      `${etc}:/etc/containers:ro`,
      `${gens}:/etc/systemd/system-generators:ro`,
      'sdstore:/var/lib/peapod',
      'sdhome:/home',
    ]
    // node_modules may be a link out of the repository
    const nm = path.join(REPO, 'node_modules')
    if (lstatSync(nm).isSymbolicLink()) binds.push(`${realpathSync(nm)}:${realpathSync(nm)}:ro`)
    if (existsSync('/usr/share/containers')) binds.push('/usr/share/containers:/usr/share/containers:ro')
    env.ok(['run', '-d', '--name', 'sd', '--privileged', '--systemd=always', '--network=host', ...binds.flatMap(b => ['-v', b]), 'localhost/debian-systemd', '/sbin/init'])
    await waitUntil('systemd to finish booting', () => /^(running|degraded)$/.test(sx(['systemctl', 'is-system-running']).stdout.trim()), 60_000)
    console.log(`      systemd container ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const counter = sx(['sh', '-c', `cat > ${COUNTER}`], COUNTER_JS)
    if (counter.code !== 0) throw new Error(`writing ${COUNTER}: ${counter.stderr}`)
  })

  after(function () {
    if (!env) return
    env.run(['rm', '-f', '-t', '0', 'sd'])
    env.run(['volume', 'rm', '-f', 'sdstore', 'sdhome'])
    env.cleanup()
    console.log(`      systemd suite: ${((Date.now() - started) / 1000).toFixed(1)} s in all`)
  })

  it('boots: a Quadlet unit with [Install] WantedBy=multi-user.target started with the machine, its container runs', async () => {
    await waitState('boot.service', 'active')
    expect(running()).to.include('systemd-boot')
    expect(sx(['systemctl', 'is-enabled', 'boot.service']).stdout.trim()).to.equal('generated')
  })

  it('a Quadlet .container: daemon-reload runs the generator, start makes it active with its container, stop leaves none', async () => {
    quadlet('web.container', `[Container]\nImage=localhost/bb\nExec=${SERVE}\nCgroupsMode=no-conmon\nEnvironment=GREETING=hi\n[Service]\n${countStarts('/tmp/starts-web')}`)
    systemctl('daemon-reload')
    expect(sx(['systemctl', 'cat', 'web.service']).stdout).to.match(new RegExp(`\nExecStart=${LAUNCHER} run --name systemd-%N `))
    systemctl('start', 'web.service')
    await waitState('web.service', 'active')
    expect(running()).to.include('systemd-web')
    expect(inner(['exec', 'systemd-web', 'sh', '-c', 'echo $GREETING']).trim()).to.equal('hi')
    // Type=notify: the monitor's READY=1 made it active; MAINPID is the monitor
    const mainPid = sx(['systemctl', 'show', '-p', 'MainPID', '--value', 'web.service']).stdout.trim()
    expect(inner(['inspect', '--format', '{{.State.ConmonPid}}', 'systemd-web']).trim()).to.equal(mainPid)
    systemctl('stop', 'web.service')
    await waitStopped('web.service')
    expect(running()).to.not.include('systemd-web')
    expect(inner(['ps', '-a', '--format', '{{.Names}}'])).to.not.include('systemd-web')
    // ExecStart, ExecStop, ExecStopPost: one Node each, from the bundle (bin/peapod runs bin/run.cjs)
    const starts = nodeStarts('/tmp/starts-web')
    expect(starts, starts.join('\n')).to.have.length(3)
    expect(starts.filter(l => l === 'run.cjs rm -v -f -i systemd-web')).to.have.length(2)
    expect(starts.filter(l => l.startsWith('run.cjs run --name systemd-web '))).to.have.length(1)
  })

  it('generate systemd --new: the unit starts, restarts (a new container) and stops the container', async () => {
    inner(['create', '--name', 'gs', '--cgroups=no-conmon', 'localhost/bb', 'sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait'])
    const files = sx(['sh', '-c', `cd /etc/systemd/system && ${LAUNCHER} generate systemd --new --name --files gs`])
    expect(files.code, files.stderr).to.equal(0)
    inner(['rm', 'gs'])
    systemctl('daemon-reload')
    systemctl('start', 'container-gs.service')
    await waitState('container-gs.service', 'active')
    const first = inner(['inspect', '--format', '{{.Id}}', 'gs']).trim()
    systemctl('restart', 'container-gs.service')
    await waitState('container-gs.service', 'active')
    const second = inner(['inspect', '--format', '{{.Id}}', 'gs']).trim()
    expect(second).to.not.equal(first)
    expect(running().filter(n => n === 'gs')).to.have.length(1)
    systemctl('stop', 'container-gs.service')
    await waitStopped('container-gs.service')
    expect(inner(['ps', '-a', '--format', '{{.Names}}'])).to.not.include('gs')
  })

  it('Notify=true (--sdnotify=container): the unit waits in activating until READY=1; the container gets the unit\'s socket', async function () {
    // the container waits for a file, then runs the systemd container's systemd-notify
    // (its /usr at /hostusr through its loader: busybox has no loader of its own)
    const lib = '/hostusr/lib/x86_64-linux-gnu'
    const notify = `while [ ! -e /tmp/go ]; do sleep 0.1; done; ${lib}/ld-linux-x86-64.so.2 --library-path ${lib}:${lib}/systemd /hostusr/bin/systemd-notify --ready; trap "exit 0" TERM; sleep 1000 & wait`
    quadlet('ready.container', `[Container]\nImage=localhost/bb\nExec=sh -c '${notify}'\nNotify=true\nCgroupsMode=no-conmon\nVolume=/usr:/hostusr:ro\n[Service]\nTimeoutStartSec=60\n`)
    systemctl('daemon-reload')
    sx(['systemctl', 'start', '--no-block', 'ready.service'])
    await waitUntil('the container', () => running().includes('systemd-ready'), 30_000)
    // MAINPID came from the monitor; READY has not: still activating
    expect(state('ready.service')).to.equal('activating')
    expect(inner(['exec', 'systemd-ready', 'sh', '-c', 'echo $NOTIFY_SOCKET; test -S /run/notify/notify.sock && echo socket']).trim()).to.equal('/run/notify/notify.sock\nsocket')
    inner(['exec', 'systemd-ready', 'touch', '/tmp/go'])
    // systemd takes READY=1 only from the unit's cgroup (NotifyAccess=all); on
    // cgroup v1 the container runs in its own cgroup (no --cgroups=split here)
    // and the monitor does not relay the container's datagrams (Node has no
    // AF_UNIX datagram sockets), so the unit is not told: see the report
    const became = await waitUntil('READY', () => state('ready.service') === 'active', 10_000).then(() => true, () => false)
    systemctl('stop', 'ready.service')
    await waitStopped('ready.service')
    expect(running()).to.not.include('systemd-ready')
    if (!became) this.skip()
  })

  it('a .pod unit with a member .container: the pod starts first, the member joins it, stop removes both', async () => {
    quadlet('qp.pod', '[Pod]\nPodName=qp\n')
    quadlet('member.container', `[Container]\nImage=localhost/bb\nExec=${SERVE}\nCgroupsMode=no-conmon\nPod=qp.pod\n`)
    systemctl('daemon-reload')
    systemctl('start', 'member.service')
    await waitState('member.service', 'active')
    expect(state('qp-pod.service')).to.equal('active')
    expect(inner(['ps', '--format', '{{.Names}} {{.PodName}}'])).to.match(/^systemd-member qp$/m)
    systemctl('stop', 'qp-pod.service')
    await waitStopped('member.service')
    await waitStopped('qp-pod.service')
    expect(inner(['pod', 'ps', '--format', '{{.Name}}']).trim()).to.equal('')
  })

  it('a .kube unit plays the YAML (its service container is the unit\'s main process) and stopping it downs the pod', async () => {
    quadlet('app.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kp\nspec:\n  containers:\n  - name: c\n    image: localhost/bb\n    command: ["sleep", "1000"]\n')
    quadlet('app.kube', '[Kube]\nYaml=app.yaml\nNetwork=host\n')
    systemctl('daemon-reload')
    systemctl('start', 'app.service')
    await waitState('app.service', 'active')
    expect(running()).to.include('kp-c')
    // MAINPID: the service container's monitor
    const svc = running().find(n => n.endsWith('-service'))
    expect(svc).to.match(/^[0-9a-f]{12}-service$/)
    expect(inner(['inspect', '--format', '{{.State.ConmonPid}}', svc!]).trim()).to.equal(sx(['systemctl', 'show', '-p', 'MainPID', '--value', 'app.service']).stdout.trim())
    systemctl('stop', 'app.service')
    await waitStopped('app.service')
    expect(running()).to.not.include('kp-c')
    expect(inner(['pod', 'ps', '--format', '{{.Name}}'])).to.not.include('kp')
    expect(inner(['ps', '-a', '--format', '{{.Names}}'])).to.not.include('-service')
  })

  it('Restart=on-failure: systemd restarts a unit whose container fails', async () => {
    quadlet('flaky.container', '[Container]\nImage=localhost/bb\nExec=sh -c \'sleep 1; exit 3\'\nCgroupsMode=no-conmon\n[Service]\nRestart=on-failure\nRestartSec=1\n')
    systemctl('daemon-reload')
    systemctl('start', 'flaky.service')
    await waitUntil('a restart', () => Number(sx(['systemctl', 'show', '-p', 'NRestarts', '--value', 'flaky.service']).stdout.trim()) >= 1, 60_000)
    systemctl('stop', 'flaky.service')
    await waitStopped('flaky.service')
  })

  it('auto-update restarts a unit whose local image changed (the new container runs the new image), and rolls back one that fails', async () => {
    inner(['tag', 'localhost/bb', 'localhost/au'])
    quadlet('au.container', `[Container]\nImage=localhost/au\nExec=${SERVE}\nCgroupsMode=no-conmon\nAutoUpdate=local\n`)
    systemctl('daemon-reload')
    systemctl('start', 'au.service')
    await waitState('au.service', 'active')
    const first = inner(['inspect', '--format', '{{.Id}} {{.Image}}', 'systemd-au']).trim().split(' ')
    expect(inner(['auto-update', '--format', '{{.Unit}} {{.Policy}} {{.Updated}}'])).to.match(/^au\.service local false$/m)
    // a new image under the name: the unit is restarted on it
    const v2 = inner(['commit', '-q', '--change', 'LABEL v=2', 'systemd-au', 'localhost/au']).trim()
    expect(inner(['auto-update', '--dry-run', '--format', '{{.Unit}} {{.Updated}}'])).to.match(/^au\.service pending$/m)
    expect(inner(['auto-update', '--format', '{{.Unit}} {{.Updated}}'])).to.match(/^au\.service true$/m)
    await waitState('au.service', 'active')
    const second = inner(['inspect', '--format', '{{.Id}} {{.Image}}', 'systemd-au']).trim().split(' ')
    expect(second[0]).to.not.equal(first[0])
    expect(second[1]).to.equal(v2.replace(/^sha256:/, ''))
    // an image the unit cannot start (its user does not exist): restart fails, the old image comes back
    inner(['commit', '-q', '--change', 'USER nosuchuser', 'systemd-au', 'localhost/au'])
    const r = sx([LAUNCHER, 'auto-update', '--format', '{{.Unit}} {{.Updated}}'])
    expect(r.stdout, r.stderr).to.match(/^au\.service rolled back$/m)
    await waitState('au.service', 'active')
    expect(inner(['inspect', '--format', '{{.Image}}', 'systemd-au']).trim()).to.equal(second[1])
    expect(inner(['inspect', '--format', '{{.Id}}', 'localhost/au']).trim()).to.equal(second[1])
    systemctl('stop', 'au.service')
    await waitStopped('au.service')
  })

  describe('--user units: rootless, under the systemd --user of a lingering user', function () {
    const UID = 1500
    const HOME = '/home/tu'
    /** A command as the user, with the environment its manager has. */
    const asUser = (args: string[], input?: string): Result => sx(['runuser', '-u', 'tu', '--', 'env', `HOME=${HOME}`, `XDG_RUNTIME_DIR=/run/user/${UID}`, ...args], input)
    const userPeapod = (args: string[]): string => {
      const r = asUser([LAUNCHER, ...args])
      if (r.code !== 0) throw new Error(`the user's peapod ${args.join(' ')}: exit ${r.code}: ${r.stderr}`)
      return r.stdout
    }
    const userState = (unit: string) => asUser(['systemctl', '--user', 'show', '-p', 'ActiveState', '--value', unit]).stdout.trim()
    const userJournal = (unit: string) => sx(['journalctl', '--no-pager', '-n', '15', '--user-unit', unit]).stdout.trim().split('\n').slice(-8).join(' | ')
    const userSystemctl = (...args: string[]) => {
      const r = asUser(['systemctl', '--user', ...args])
      if (r.code !== 0) throw new Error(`systemctl --user ${args.join(' ')}: exit ${r.code}: ${r.stderr} ${userJournal(args[args.length - 1])}`)
    }
    const userQuadlet = (name: string, text: string) => {
      const r = asUser(['sh', '-c', `mkdir -p ${HOME}/.config/containers/systemd && cat > ${HOME}/.config/containers/systemd/${name}`], text)
      if (r.code !== 0) throw new Error(`writing ${name}: ${r.stderr}`)
    }

    before(async function () {
      if (!env) this.skip()
      // newuidmap/newgidmap (uidmap) are not in the minbase image: the host's, setuid root inside
      const maps = ['/usr/bin/newuidmap', '/usr/bin/newgidmap']
      if (!maps.every(p => existsSync(p))) {
        console.log('      skipped: no newuidmap/newgidmap on the host to put into the systemd container')
        this.skip()
      }
      for (const m of maps) env.ok(['cp', m, `sd:${m}`])
      env.ok(['cp', busyboxTar(), 'sd:/tmp/bb.tar'])
      const setup = sx(['sh', '-ec', [
        `chown root:root ${maps.join(' ')}`, `chmod 4755 ${maps.join(' ')}`, 'chmod 644 /tmp/bb.tar',
        // useradd gives it subordinate ranges (100000:65536 for the first user); others if it did not
        `useradd -m -d ${HOME} -u ${UID} tu`, 'grep -q ^tu: /etc/subuid || echo tu:200000:65536 >> /etc/subuid', 'grep -q ^tu: /etc/subgid || echo tu:200000:65536 >> /etc/subgid',
        // Quadlet's user generator, as scripts/install-systemd.sh links it
        'mkdir -p /etc/systemd/user-generators', `ln -sf ${REPO}/bin/quadlet.js /etc/systemd/user-generators/peapod-user-generator`,
        // The minbase image has no libpam-systemd: pam_systemd would give the user manager its
        // XDG_RUNTIME_DIR (without it: "Trying to run as user instance, but $XDG_RUNTIME_DIR is not set").
        'mkdir -p /etc/systemd/system/user@.service.d', 'printf "[Service]\\nEnvironment=XDG_RUNTIME_DIR=/run/user/%%i\\n" > /etc/systemd/system/user@.service.d/runtime-dir.conf',
        'systemctl daemon-reload', 'loginctl enable-linger tu',
      ].join('\n')])
      if (setup.code !== 0) throw new Error(`setting up the user: ${setup.stderr}`)
      await waitState(`user@${UID}.service`, 'active')
      userPeapod(['import', '/tmp/bb.tar', 'localhost/bb'])
    })

    it('a .container unit starts its container rootless (the user\'s own store and user namespace), and stop removes it', async () => {
      userQuadlet('uhello.container', `[Container]\nImage=localhost/bb\nExec=${SERVE}\nNetwork=host\nCgroupsMode=no-conmon\n[Service]\n${countStarts('/tmp/starts-uhello')}`)
      userSystemctl('daemon-reload')
      userSystemctl('start', 'uhello.service')
      await waitUntil('uhello.service active', () => userState('uhello.service') === 'active', 60_000).catch(e => {
        throw new Error(`${(e as Error).message}; now ${userState('uhello.service')}; journal: ${userJournal('uhello.service')}`)
      })
      expect(userPeapod(['ps', '--format', '{{.Names}}']).trim()).to.equal('systemd-uhello')
      // root in the container is the user outside it: uid 0 → 1500, the rest from its /etc/subuid range
      const map = userPeapod(['exec', 'systemd-uhello', 'cat', '/proc/self/uid_map']).trim().split('\n').map(l => l.trim().split(/\s+/))
      expect(map[0]).to.deep.equal(['0', String(UID), '1'])
      const sub = sx(['sh', '-c', 'grep ^tu: /etc/subuid | head -1']).stdout.trim().split(':')
      expect(map[1].slice(0, 2)).to.deep.equal(['1', sub[1]])
      // MAINPID: the container's monitor, a process of the user's manager
      const pid = asUser(['systemctl', '--user', 'show', '-p', 'MainPID', '--value', 'uhello.service']).stdout.trim()
      expect(userPeapod(['inspect', '--format', '{{.State.ConmonPid}}', 'systemd-uhello']).trim()).to.equal(pid)
      expect(inner(['ps', '-a', '--format', '{{.Names}}'])).to.not.include('systemd-uhello') // not in root's store
      userSystemctl('stop', 'uhello.service')
      await waitUntil('uhello.service stopped', () => ['inactive', 'failed'].includes(userState('uhello.service')), 60_000)
      expect(userPeapod(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('')
      // rootless too, each Exec line started Node once: the launcher joined the namespace before Node
      const starts = nodeStarts('/tmp/starts-uhello')
      expect(starts, starts.join('\n')).to.have.length(3)
      expect(starts.filter(l => l.startsWith('run.cjs rm -v -f -i systemd-uhello'))).to.have.length(2)
      expect(starts.filter(l => l.startsWith('run.cjs run --name systemd-uhello '))).to.have.length(1)
    })

    it('generate systemd (not --new): the user\'s unit starts and stops the existing container, each Exec line one Node start', async () => {
      userPeapod(['create', '--name', 'ug', '--network=host', '--cgroups=no-conmon', 'localhost/bb', 'sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait'])
      const dir = `${HOME}/.config/systemd/user`
      const gen = asUser(['sh', '-c', `mkdir -p ${dir}/container-ug.service.d && cd ${dir} && ${LAUNCHER} generate systemd --name --files ug && cat > container-ug.service.d/count.conf`], `[Service]\n${countStarts('/tmp/starts-ug')}`)
      expect(gen.code, gen.stderr).to.equal(0)
      expect(asUser(['cat', `${dir}/container-ug.service`]).stdout).to.include(`\nExecStart=${LAUNCHER} start ug\n`)
      userSystemctl('daemon-reload')
      userSystemctl('start', 'container-ug.service')
      expect(userState('container-ug.service')).to.equal('active')
      // Type=forking: the main process is the monitor, from the PID file
      const pid = asUser(['systemctl', '--user', 'show', '-p', 'MainPID', '--value', 'container-ug.service']).stdout.trim()
      expect(userPeapod(['inspect', '--format', '{{.State.Status}} {{.State.ConmonPid}}', 'ug']).trim()).to.equal(`running ${pid}`)
      userSystemctl('stop', 'container-ug.service')
      await waitUntil('container-ug.service stopped', () => ['inactive', 'failed'].includes(userState('container-ug.service')), 60_000)
      expect(userPeapod(['inspect', '--format', '{{.State.Status}}', 'ug']).trim()).to.equal('exited')
      const stop = 'run.cjs stop -t 10 ug'
      expect(nodeStarts('/tmp/starts-ug')).to.deep.equal(['run.cjs start ug', stop, stop])
      userPeapod(['rm', 'ug'])
    })

    it('a .kube unit whose pod exits ends by itself: the service container stops with the pod, and kube down leaves nothing', async () => {
      userQuadlet('uapp.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ukp\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: localhost/bb\n    command: [sh, -c, "sleep 2; exit 3"]\n')
      userQuadlet('uapp.kube', '[Kube]\nYaml=uapp.yaml\nNetwork=host\n')
      userSystemctl('daemon-reload')
      userSystemctl('start', 'uapp.service')
      expect(userState('uapp.service')).to.equal('active')
      // the unit's main process is the service container's monitor: it ends when the pod is done
      // (Podman 4.3.1 kills the service container then: exit 137, so the unit fails)
      await waitUntil('uapp.service to end', () => ['inactive', 'failed'].includes(userState('uapp.service')), 60_000)
      expect(asUser(['systemctl', '--user', 'show', '-p', 'ExecMainStatus', '--value', 'uapp.service']).stdout.trim()).to.equal('137')
      expect(userPeapod(['pod', 'ps', '-q']).trim()).to.equal('')
      expect(userPeapod(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('')
    })
  })
})
