// systemd end to end, without systemd as PID 1 (this machine has none):
// `generate systemd` units compared with Podman 4.3.1's text, checked by
// `systemd-analyze verify`, and their Exec* lines run by hand (start the
// container, stop removes it); the Quadlet generator's units likewise;
// --sdnotify against a unix datagram socket that a python3 helper binds
// (Node has no AF_UNIX datagram sockets); --replace and --cgroups.
import {expect} from 'chai'
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Env, LAUNCHER, REPO, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'
import {splitString, WHITESPACE} from '../../src/libpod/quadlet/split.js'

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0

/** systemd-analyze verify on unit files; its complaints, '' when none. */
function verify(files: string[]): {code: number; output: string} {
  const r = spawnSync('systemd-analyze', ['verify', '--man=false', ...files], {encoding: 'utf8'})
  return {code: r.status ?? 1, output: (r.stdout + r.stderr).trim()}
}

/** The values of a key in a unit's text, continuation lines joined. */
function unitValues(text: string, key: string): string[] {
  return text.replace(/\\\n/g, ' ').split('\n').filter(l => l.startsWith(`${key}=`)).map(l => l.slice(key.length + 1))
}

/** An Exec line as systemd runs it: `-` prefix, words split and unescaped, specifiers and $$ expanded. */
function execWords(line: string, spec: Record<string, string>): {ignoreFailure: boolean; argv: string[]} {
  const ignoreFailure = line.startsWith('-')
  const words = splitString(ignoreFailure ? line.slice(1) : line, WHITESPACE, {relax: true, unquote: true, cunescape: true})
  const argv = words.map(w => w.replace(/%(.)/g, (_m, c: string) => (c === '%' ? '%' : spec[c] ?? `%${c}`)).replaceAll('$$', '$'))
  return {ignoreFailure, argv}
}

/** A copy of this node where systemd's PATH does not look (as nvm's would be), readable by the test user; removed at the end. */
let nodeCopy: string | undefined
function nodeElsewhere(): string {
  if (nodeCopy) return nodeCopy
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-e2e-node-'))
  chmodSync(dir, 0o755)
  const copy = path.join(dir, 'node')
  copyFileSync(process.execPath, copy)
  chmodSync(copy, 0o755)
  return (nodeCopy = copy)
}
after(() => {
  if (nodeCopy) rmSync(path.dirname(nodeCopy), {recursive: true, force: true})
})

/** A python3 process bound to a unix datagram socket, collecting what arrives. */
class NotifySocket {
  readonly path: string
  private proc: ChildProcess
  private received = ''
  constructor(dir: string) {
    this.path = path.join(dir, `notify-${process.pid}-${Date.now()}.sock`)
    this.proc = spawn('python3', ['-u', '-c', `
import socket, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(${JSON.stringify(this.path)})
os.chmod(${JSON.stringify(this.path)}, 0o777)
print("BOUND", flush=True)
while True:
    print(repr(s.recv(4096).decode()), flush=True)
`], {stdio: ['ignore', 'pipe', 'inherit']})
    this.proc.stdout!.on('data', d => (this.received += d.toString()))
  }
  async bound(): Promise<void> {
    await waitUntil('the notify socket', () => this.received.includes('BOUND'))
  }
  /** The messages, without systemd-notify's BARRIER=1 (it waits for the receiver to take each message). */
  messages(): string[] {
    return this.received.split('\n').filter(l => l.startsWith("'")).map(l => l.slice(1, -1).replace(/\\n/g, '\n')).filter(m => m !== 'BARRIER=1')
  }
  close(): void {
    this.proc.kill()
  }
}

describe('Quadlet generator (peapod-quadlet binary)', () => {
  it('runs as Podman\'s quadlet: -dryrun prints the units, the engine is peapod\'s launcher unless PODMAN says', function () {
    const dir = path.join(REPO, 'test/e2e'), tmp = `/tmp/peapod-quadlet-e2e-${process.pid}`
    mkdirSync(tmp, {recursive: true})
    writeFileSync(path.join(tmp, 'app.container'), '[Container]\nImage=localhost/bb\n')
    const q = path.join(REPO, 'bin/quadlet.js')
    const r = spawnSync(process.execPath, [q, '-dryrun'], {encoding: 'utf8', env: {...process.env, QUADLET_UNIT_DIRS: tmp, PODMAN: ''}, cwd: dir})
    expect(r.status).to.equal(0)
    expect(r.stdout).to.include('---app.service---\n')
    expect(r.stdout).to.include(`ExecStart=${LAUNCHER} run --name systemd-%N --replace --rm --cgroups=split --sdnotify=conmon -d localhost/bb\n`)
    const v = spawnSync(process.execPath, [q, '-version'], {encoding: 'utf8'})
    expect(v.stdout.trim()).to.equal(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version)
    const bad = spawnSync(process.execPath, [q, '-bogus'], {encoding: 'utf8'})
    expect(bad.status).to.equal(2)
    expect(bad.stderr).to.match(/^flag provided but not defined: -bogus\nUsage of quadlet:/)
    spawnSync('rm', ['-rf', tmp])
  })
})

describe('shipped systemd units (scripts/install-systemd.sh)', () => {
  it('installs the generator links and units, which verify', function () {
    if (!hasAnalyze) this.skip()
    const prefix = `/tmp/peapod-sd-install-${process.pid}`
    const r = spawnSync(path.join(REPO, 'scripts/install-systemd.sh'), ['--prefix', prefix], {encoding: 'utf8'})
    expect(r.status, r.stderr).to.equal(0)
    const sd = path.join(prefix, 'lib/systemd')
    for (const g of ['system-generators/peapod-system-generator', 'user-generators/peapod-user-generator']) {
      expect(spawnSync('readlink', ['-f', path.join(sd, g)], {encoding: 'utf8'}).stdout.trim()).to.equal(path.join(REPO, 'bin/quadlet.js'))
    }
    for (const scope of ['system', 'user']) {
      const dir = path.join(sd, scope)
      const restart = readFileSync(path.join(dir, 'peapod-restart.service'), 'utf8')
      expect(restart).to.include(`ExecStart=${LAUNCHER} $LOGGING start --all --filter restart-policy=always\n`)
      // a template verifies as an instance
      writeFileSync(path.join(dir, 'peapod-kube@x.service'), readFileSync(path.join(dir, 'peapod-kube@.service'), 'utf8'))
      expect(verify(['peapod-restart.service', 'peapod-kube@x.service', 'peapod-auto-update.service', 'peapod-auto-update.timer'].map(f => path.join(dir, f)))).to.deep.equal({code: 0, output: ''})
    }
    // the user generator is the user mode by its name
    const cfg = path.join(prefix, 'cfg')
    mkdirSync(path.join(cfg, 'containers/systemd'), {recursive: true})
    writeFileSync(path.join(cfg, 'containers/systemd/u.container'), '[Container]\nImage=localhost/bb\n')
    const g = spawnSync(path.join(sd, 'user-generators/peapod-user-generator'), ['-dryrun'], {encoding: 'utf8', env: {...process.env, XDG_CONFIG_HOME: cfg, XDG_RUNTIME_DIR: path.join(prefix, 'run')}})
    expect(g.stdout).to.include('Wants=podman-user-wait-network-online.service\n')
    spawnSync('rm', ['-rf', prefix])
  })
})

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`systemd units (${mode})`, function () {
    let env: Env
    let runtimeDir: string

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'localhost/bb'])
      runtimeDir = path.join(env.dir, 'xdg')
    })
    after(() => {
      if (!env) return
      env.run(['rm', '-af', '-t', '0'])
      env.run(['pod', 'rm', '-af', '-t', '0'])
      env.cleanup()
    })

    /**
     * Runs a unit's Exec line by hand, as the unit's user, with the unit's
     * specifiers and environment: its program is the launcher, which
     * Env.run runs with systemd's PATH (XDG_RUNTIME_DIR rootless).
     */
    const runExec = (line: string, unit: string, unitEnv: Record<string, string> = {}) => {
      const {ignoreFailure, argv} = execWords(line, {t: runtimeDir, n: unit, N: unit.replace(/\.service$/, '')})
      if (argv[0] === '/bin/rm') return spawnSync(argv[0], argv.slice(1))
      expect(argv[0]).to.equal(LAUNCHER)
      const r = env.run(argv.slice(1), {env: {...unitEnv, PODMAN_SYSTEMD_UNIT: unit}})
      if (!ignoreFailure && r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr}`)
      return r
    }

    /** peapod with extra environment; stdout, or throws on failure. */
    const okWith = (args: string[], extra: Record<string, string>): string => {
      const r = env.run(args, {env: extra})
      if (r.code !== 0) throw new Error(`peapod ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
      return r.stdout
    }

    const names = () => env.ok(['ps', '-a', '--format', '{{.Names}}']).split('\n').filter(Boolean).sort()

    it('generate systemd --new: Podman 4.3.1\'s unit text with peapod as the engine', () => {
      env.ok(['create', '--name', 'web', '-e', 'A=b', '--label', 'x=y', 'localhost/bb', 'sleep', '1000'])
      const text = env.ok(['generate', 'systemd', '--new', '--name', '--no-header', 'web'])
      const globals = `\t--root ${env.root} \\\n\t--runroot ${env.runroot} run \\\n`
      expect(text).to.equal(`# container-web.service

[Unit]
Description=Podman container-web.service
Documentation=man:podman-generate-systemd(1)
Wants=network-online.target
After=network-online.target
RequiresMountsFor=%t/containers

[Service]
Environment=PODMAN_SYSTEMD_UNIT=%n
Restart=on-failure
TimeoutStopSec=70
ExecStartPre=/bin/rm \\
\t-f %t/%n.ctr-id
ExecStart=${LAUNCHER} \\
${globals}\t--cidfile=%t/%n.ctr-id \\
\t--cgroups=no-conmon \\
\t--rm \\
\t--sdnotify=conmon \\
\t-d \\
\t--replace \\
\t--name web \\
\t-e A=b \\
\t--label x=y localhost/bb sleep 1000
ExecStop=${LAUNCHER} stop \\
\t--ignore -t 10 \\
\t--cidfile=%t/%n.ctr-id
ExecStopPost=${LAUNCHER} rm \\
\t-f \\
\t--ignore -t 10 \\
\t--cidfile=%t/%n.ctr-id
Type=notify
NotifyAccess=all

[Install]
WantedBy=default.target
`)
      env.ok(['rm', 'web'])
    })

    it('generate systemd: without --new the unit starts the container and names the monitor\'s pid file; flags change the text', () => {
      const id = env.ok(['create', '--name', 'old', 'localhost/bb', 'sleep', '1000']).trim()
      const text = env.ok(['generate', 'systemd', 'old'])
      expect(text).to.match(new RegExp(`^# container-${id}\\.service\\n# autogenerated by Podman 4\\.3\\.1\\n# \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\w+ \\d{4}\\n\\n\\[Unit\\]\\n`))
      expect(text).to.include(`RequiresMountsFor=${env.runroot}\n`)
      expect(text).to.include(`ExecStart=${LAUNCHER} start ${id}\nExecStop=${LAUNCHER} stop  \\\n\t-t 10 ${id}\n`)
      expect(text).to.include(`PIDFile=${env.runroot}/containers/${id}/conmon.pid\nType=forking\n`)
      const flagged = env.ok(['generate', 'systemd', '--name', '--no-header', '--restart-policy=always', '--restart-sec', '5', '--start-timeout', '30',
        '--stop-timeout', '7', '--wants', 'a.service', '--after', 'b.service', '--requires', 'c.service', '-e', 'FOO=b c', '--container-prefix', 'ctr', '--separator', '_', 'old'])
      expect(flagged).to.include('# ctr_old.service\n')
      expect(flagged).to.include('\n# User-defined dependencies\nWants=a.service\nAfter=b.service\nRequires=c.service\n\n[Service]\nEnvironment=PODMAN_SYSTEMD_UNIT=%n\nEnvironment="FOO=b c"\nRestart=always\nRestartSec=5\nTimeoutStartSec=30\nTimeoutStopSec=67\n')
      const json = JSON.parse(env.ok(['generate', 'systemd', '--name', '--format', 'json', 'old'])) as Record<string, string>
      expect(Object.keys(json)).to.deep.equal(['container-old'])
      const files = env.ok(['generate', 'systemd', '--name', '--files', 'old']).trim()
      expect(files).to.equal(path.join(env.dir, 'container-old.service'))
      expect(readFileSync(files, 'utf8')).to.include('Description=Podman container-old.service')
      const tpl = env.ok(['generate', 'systemd', '--template', '--name', '--no-header', 'old'])
      expect(tpl).to.match(/^# container-old@\.service\n/)
      expect(tpl).to.include('Description=Podman container-old.service for %I\n')
      expect(tpl).to.include('Environment=PODMAN_SYSTEMD_UNIT=%n-%i\n')
      expect(tpl).to.include('\t--name old-%i localhost/bb sleep 1000\n')
      env.ok(['rm', 'old'])
    })

    it('generate systemd: Podman\'s errors, exit 125', () => {
      let r = env.run(['generate', 'systemd', 'nosuch'])
      expect(r).to.deep.include({code: 125, stderr: 'Error: nosuch does not refer to a container or pod: no pod with name or ID nosuch found: no such pod: no container with name or ID "nosuch" found: no such container\n'})
      r = env.run(['generate', 'systemd'])
      expect(r).to.deep.include({code: 125, stderr: 'Error: accepts 1 arg(s), received 0\n'})
      env.ok(['create', '--name', 'e1', 'localhost/bb', 'true'])
      r = env.run(['generate', 'systemd', '--restart-policy=bogus', 'e1'])
      expect(r).to.deep.include({code: 125, stderr: 'Error: bogus is not a valid restart policy\n'})
      r = env.run(['generate', 'systemd', '--format', 'yaml', 'e1'])
      expect(r).to.deep.include({code: 125, stderr: 'Error: unknown --format argument: yaml\n'})
      env.ok(['rm', 'e1'])
    })

    it('generate systemd --new units pass systemd-analyze verify; the pod gives its unit and its members\'', function () {
      if (!hasAnalyze) this.skip()
      env.ok(['pod', 'create', '--name', 'p'])
      env.ok(['create', '--pod', 'p', '--name', 'pc', 'localhost/bb', 'sleep', '1000'])
      env.ok(['create', '--name', 'solo', 'localhost/bb', 'sleep', '1000'])
      const out = env.ok(['generate', 'systemd', '--new', '--name', '--files', 'p']).trim().split('\n')
      expect(out.map(f => path.basename(f)).sort()).to.deep.equal(['container-pc.service', 'pod-p.service'])
      const pod = readFileSync(path.join(env.dir, 'pod-p.service'), 'utf8')
      expect(pod).to.include('Wants=container-pc.service\nBefore=container-pc.service\n')
      expect(pod).to.include(`ExecStartPre=${LAUNCHER} \\\n\t--root ${env.root} \\\n\t--runroot ${env.runroot} pod create \\\n\t--infra-conmon-pidfile %t/pod-p.pid \\\n\t--pod-id-file %t/pod-p.pod-id \\\n\t--exit-policy=stop \\\n\t--name p \\\n\t--replace\n`)
      const pc = readFileSync(path.join(env.dir, 'container-pc.service'), 'utf8')
      expect(pc).to.include('BindsTo=pod-p.service\nAfter=pod-p.service\n')
      expect(pc).to.include('\t--pod-id-file %t/pod-p.pod-id \\\n\t--sdnotify=conmon \\\n')
      env.ok(['generate', 'systemd', '--new', '--name', '--files', 'solo'])
      const files = ['pod-p.service', 'container-pc.service', 'container-solo.service'].map(f => path.join(env.dir, f))
      expect(verify(files)).to.deep.equal({code: 0, output: ''})
      // the check is real: a broken unit fails it
      writeFileSync(env.file('broken.service'), '[Service]\nExecStart=relative/path\n')
      expect(verify([env.file('broken.service')]).code).to.not.equal(0)
      env.ok(['rm', 'pc', 'solo'])
      env.ok(['pod', 'rm', 'p'])
    })

    it('a generated unit\'s ExecStartPre/ExecStart run by hand start the container; ExecStop/ExecStopPost remove it', () => {
      mkdirSync(runtimeDir, {recursive: true})
      env.chown(runtimeDir)
      // --stop-timeout 0 (the unit's run line keeps it): the --replace and ExecStop need not wait out sleep's ignored SIGTERM
      env.ok(['create', '--name', 'svc', '-e', 'X=1', '--stop-timeout', '0', 'localhost/bb', 'sleep', '1000'])
      const text = env.ok(['generate', 'systemd', '--new', '--name', '--no-header', 'svc'])
      env.ok(['rm', 'svc'])
      expect(names()).to.not.include('svc')
      const unit = 'container-svc.service'
      for (const l of unitValues(text, 'ExecStartPre')) runExec(l, unit)
      for (const l of unitValues(text, 'ExecStart')) runExec(l, unit)
      expect(env.ok(['ps', '--format', '{{.Names}} {{.Status}}'])).to.match(/^svc Up /m)
      expect(env.ok(['exec', 'svc', 'sh', '-c', 'echo $X']).trim()).to.equal('1')
      expect(readFileSync(path.join(runtimeDir, `${unit}.ctr-id`), 'utf8').trim()).to.match(/^[0-9a-f]{64}$/)
      // a second start (systemd restarting the unit) replaces it
      for (const l of unitValues(text, 'ExecStartPre')) runExec(l, unit)
      for (const l of unitValues(text, 'ExecStart')) runExec(l, unit)
      expect(names().filter(n => n === 'svc')).to.have.length(1)
      for (const l of unitValues(text, 'ExecStop')) runExec(l, unit)
      for (const l of unitValues(text, 'ExecStopPost')) runExec(l, unit)
      expect(names()).to.not.include('svc')
    })

    it('generated by a node that systemd\'s PATH does not find, a unit pins it (PEAPOD_NODE), and its launcher starts that node', () => {
      mkdirSync(runtimeDir, {recursive: true})
      env.chown(runtimeDir)
      const node = nodeElsewhere()
      env.ok(['create', '--name', 'pin', '--stop-timeout', '0', 'localhost/bb', 'sleep', '1000'])
      // the launcher honours PEAPOD_NODE: generate systemd runs under that node, which the unit names
      const text = okWith(['generate', 'systemd', '--new', '--name', '--no-header', 'pin'], {PEAPOD_NODE: node})
      expect(text).to.include(`[Service]\nEnvironment=PODMAN_SYSTEMD_UNIT=%n\nEnvironment=PEAPOD_NODE=${node}\nRestart=on-failure\n`)
      // generated by the node on systemd's PATH, the unit is Podman's text (the first test)
      expect(env.ok(['generate', 'systemd', '--new', '--name', '--no-header', 'pin'])).to.not.include('PEAPOD_NODE')
      if (hasAnalyze) {
        writeFileSync(env.file('container-pin.service'), text)
        expect(verify([env.file('container-pin.service')])).to.deep.equal({code: 0, output: ''})
      }
      env.ok(['rm', 'pin'])
      const unit = 'container-pin.service'
      const unitEnv = {PEAPOD_NODE: unitValues(text, 'Environment').find(e => e.startsWith('PEAPOD_NODE='))!.slice('PEAPOD_NODE='.length)}
      for (const k of ['ExecStartPre', 'ExecStart']) for (const l of unitValues(text, k)) runExec(l, unit, unitEnv)
      // the container's monitor is a child of the node the launcher started: that node
      const monitor = env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'pin']).trim()
      expect(readlinkSync(`/proc/${monitor}/exe`)).to.equal(node)
      for (const k of ['ExecStop', 'ExecStopPost']) for (const l of unitValues(text, k)) runExec(l, unit, unitEnv)
      expect(names()).to.not.include('pin')
    })

    it('a generated pod\'s units run by hand: the pod starts with its member, the infra monitor\'s pid file is written, stop leaves nothing', () => {
      mkdirSync(runtimeDir, {recursive: true})
      env.chown(runtimeDir)
      env.ok(['pod', 'create', '--name', 'wp'])
      env.ok(['create', '--pod', 'wp', '--name', 'wp-c', '--stop-timeout', '0', 'localhost/bb', 'sleep', '1000'])
      env.ok(['generate', 'systemd', '--new', '--name', '--files', 'wp'])
      const podText = readFileSync(path.join(env.dir, 'pod-wp.service'), 'utf8')
      const ctrText = readFileSync(path.join(env.dir, 'container-wp-c.service'), 'utf8')
      const run = (text: string, unit: string, keys: string[]) => {
        for (const k of keys) for (const l of unitValues(text, k)) runExec(l, unit)
      }
      run(podText, 'pod-wp.service', ['ExecStartPre', 'ExecStart'])
      run(ctrText, 'container-wp-c.service', ['ExecStartPre', 'ExecStart'])
      expect(env.ok(['ps', '--format', '{{.Names}} {{.PodName}}'])).to.match(/^wp-c wp$/m)
      const pid = Number(readFileSync(path.join(runtimeDir, 'pod-wp.pid'), 'utf8').trim())
      expect(existsSync(`/proc/${pid}`), `infra monitor ${pid}`).to.equal(true)
      run(ctrText, 'container-wp-c.service', ['ExecStop', 'ExecStopPost'])
      run(podText, 'pod-wp.service', ['ExecStop', 'ExecStopPost'])
      expect(names()).to.deep.equal([])
      expect(env.ok(['pod', 'ps', '-q']).trim()).to.equal('')
    })

    it('a Quadlet unit\'s ExecStart run by hand starts the container; ExecStop removes it; the units verify', function () {
      const qdir = env.file('quadlet')
      mkdirSync(qdir, {recursive: true})
      const globals = `GlobalArgs=--root ${env.root} --runroot ${env.runroot}\n`
      // --cgroups=split (Quadlet's default) fails on this cgroup v1 host, as with Podman: no-conmon instead
      writeFileSync(path.join(qdir, 'q.container'), `[Container]\n${globals}Image=localhost/bb\nExec=sleep 1000\nStopTimeout=0\nCgroupsMode=no-conmon\nEnvironment=GREETING=hi\nVolume=data.volume:/data\n[Install]\nWantedBy=default.target\n`)
      writeFileSync(path.join(qdir, 'data.volume'), `[Volume]\n${globals}`)
      const out = env.file('quadlet-out')
      const r = spawnSync(process.execPath, [path.join(REPO, 'bin/quadlet.js'), '-no-kmsg-log', out, out, out], {encoding: 'utf8', env: {...process.env, QUADLET_UNIT_DIRS: qdir}})
      expect(r.status, r.stderr).to.equal(0)
      expect(readFileSync(path.join(out, 'default.target.wants/q.service'), 'utf8')).to.include('[X-Container]')
      if (hasAnalyze) expect(verify([path.join(out, 'q.service'), path.join(out, 'data-volume.service')])).to.deep.equal({code: 0, output: ''})
      const q = readFileSync(path.join(out, 'q.service'), 'utf8')
      const vol = readFileSync(path.join(out, 'data-volume.service'), 'utf8')
      for (const l of unitValues(vol, 'ExecStart')) runExec(l, 'data-volume.service')
      expect(env.ok(['volume', 'ls', '--format', '{{.Name}}'])).to.include('systemd-data')
      for (const l of unitValues(q, 'ExecStart')) runExec(l, 'q.service')
      expect(env.ok(['ps', '--format', '{{.Names}}'])).to.include('systemd-q')
      expect(env.ok(['exec', 'systemd-q', 'sh', '-c', 'echo $GREETING']).trim()).to.equal('hi')
      expect(env.ok(['inspect', '--format', '{{.Config.Labels.PODMAN_SYSTEMD_UNIT}}', 'systemd-q']).trim()).to.equal('q.service')
      // StopTimeout=0 (so that ExecStop need not wait out sleep's ignored SIGTERM) reached the container
      expect(env.ok(['inspect', '--format', '{{.Config.StopTimeout}}', 'systemd-q']).trim()).to.equal('0')
      for (const l of unitValues(q, 'ExecStop')) runExec(l, 'q.service')
      for (const l of unitValues(q, 'ExecStopPost')) runExec(l, 'q.service')
      expect(names()).to.not.include('systemd-q')
      env.ok(['volume', 'rm', 'systemd-data'])
    })

    it('--sdnotify=conmon: the monitor sends MAINPID=<its pid> and READY=1 to NOTIFY_SOCKET before run returns', async () => {
      const sock = new NotifySocket(env.dir)
      try {
        await sock.bound()
        const id = okWith(['run', '-d', '--sdnotify=conmon', '--name', 'n1', 'localhost/bb', 'sleep', '1000'], {NOTIFY_SOCKET: sock.path}).trim()
        const monitor = env.ok(['inspect', '--format', '{{.State.ConmonPid}}', id]).trim()
        await waitUntil('READY=1', () => sock.messages().length > 0)
        expect(sock.messages()).to.deep.equal([`READY=1\nMAINPID=${monitor}`])
        env.ok(['rm', '-f', '-t', '0', 'n1'])
      } finally {
        sock.close()
      }
    })

    it('--sdnotify=container gives the socket to the container (the monitor sends MAINPID only); ignore sends nothing', async () => {
      const sock = new NotifySocket(env.dir)
      try {
        await sock.bound()
        okWith(['run', '-d', '--sdnotify=container', '--name', 'n2', 'localhost/bb', 'sleep', '1000'], {NOTIFY_SOCKET: sock.path})
        const monitor = env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'n2']).trim()
        await waitUntil('MAINPID', () => sock.messages().length > 0)
        expect(sock.messages()).to.deep.equal([`MAINPID=${monitor}`])
        expect(env.ok(['exec', 'n2', 'sh', '-c', 'echo $NOTIFY_SOCKET']).trim()).to.equal('/run/notify/notify.sock')
        expect(env.run(['exec', 'n2', 'test', '-S', '/run/notify/notify.sock']).code).to.equal(0)
        okWith(['run', '--rm', '--sdnotify=ignore', 'localhost/bb', 'true'], {NOTIFY_SOCKET: sock.path})
        const r = env.run(['run', '--rm', '--sdnotify=ignore', 'localhost/bb', 'sh', '-c', 'echo ${NOTIFY_SOCKET:-unset}'], {env: {NOTIFY_SOCKET: sock.path}})
        expect(r.stdout.trim()).to.equal('unset')
        expect(sock.messages()).to.have.length(1)
        env.ok(['rm', '-f', '-t', '0', 'n2'])
      } finally {
        sock.close()
      }
    })

    it('--sdnotify=healthy: MAINPID from the monitor, READY=1 after the first passing health check', async () => {
      const sock = new NotifySocket(env.dir)
      try {
        await sock.bound()
        okWith(['run', '-d', '--sdnotify=healthy', '--health-cmd', 'test -e /tmp/ok', '--health-interval', '1s', '--name', 'n3', 'localhost/bb', 'sleep', '1000'], {NOTIFY_SOCKET: sock.path})
        const monitor = env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'n3']).trim()
        await waitUntil('MAINPID', () => sock.messages().length > 0)
        expect(sock.messages()).to.deep.equal([`MAINPID=${monitor}`])
        // failing checks: no READY
        await waitUntil('a failed check', () => env.ok(['inspect', '--format', '{{.State.Health.FailingStreak}}', 'n3']).trim() !== '0')
        expect(sock.messages()).to.have.length(1)
        env.ok(['exec', 'n3', 'touch', '/tmp/ok'])
        await waitUntil('READY=1', () => sock.messages().length > 1)
        expect(sock.messages()).to.deep.equal([`MAINPID=${monitor}`, 'READY=1'])
        env.ok(['rm', '-f', '-t', '0', 'n3'])
      } finally {
        sock.close()
      }
    })

    it('--replace, --cgroups and --sdnotify: Podman\'s checks and errors', () => {
      env.ok(['run', '-d', '--name', 'r1', 'localhost/bb', 'sleep', '1000'])
      const first = env.ok(['inspect', '--format', '{{.Id}}', 'r1']).trim()
      env.ok(['run', '-d', '--replace', '--cgroups=no-conmon', '--name', 'r1', 'localhost/bb', 'sleep', '1000'])
      const second = env.ok(['inspect', '--format', '{{.Id}}', 'r1']).trim()
      expect(second).to.not.equal(first)
      expect(names().filter(n => n === 'r1')).to.have.length(1)
      env.ok(['rm', '-f', '-t', '0', 'r1'])
      const before = names()
      expect(env.run(['run', '--rm', '--replace', 'localhost/bb', 'true'])).to.deep.include({code: 125, stderr: 'Error: cannot replace container without --name being set\n'})
      expect(env.run(['run', '--rm', '--sdnotify=bogus', 'localhost/bb', 'true'])).to.deep.include({code: 125, stderr: 'Error: invalid config provided: invalid argument: invalid sdnotify value "bogus": must be container, conmon or ignore\n'})
      expect(env.run(['run', '--rm', '--cgroups=bogus', 'localhost/bb', 'true'])).to.deep.include({code: 125, stderr: 'Error: running container create option: invalid cgroup mode "bogus": invalid argument\n'})
      expect(env.run(['run', '--rm', '--cgroups=disabled', 'localhost/bb', 'true'])).to.deep.include({code: 125, stderr: 'Error: requested OCI runtime runc is not compatible with NoCgroups: invalid argument\n'})
      if (!existsSync('/sys/fs/cgroup/cgroup.controllers')) {
        expect(env.run(['run', '--rm', '--cgroups=split', 'localhost/bb', 'true'])).to.deep.include({code: 126, stderr: 'Error: could not find cgroup mount in "/proc/self/cgroup"\n'})
      }
      expect(names()).to.deep.equal(before)
    })
  })
}
