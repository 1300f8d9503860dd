// `completion` and the `__complete` requests its scripts make, as Podman
// 4.3.1's: cobra's scripts, candidates one a line with a tab before the
// description, then ":DIRECTIVE" (4 = no file completion). Live names come
// from the store of the line being completed. The bash script is checked
// for real: bash sources it and runs its completion function on COMP_WORDS.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {BIN, TEST_USER, expectError, type Env} from './helpers.js'
import {busyboxEnvs, busyboxTar} from './fixtures.js'

describe('completion', function () {
  const envs = busyboxEnvs()

  before(function () {
    for (const {env} of envs.values()) {
      env.ok(['create', '--name', 'web1', 'bb', 'true'])
      env.ok(['pod', 'create', '--name', 'pod1'])
      env.ok(['volume', 'create', 'vol1'])
      env.ok(['network', 'create', 'net1'])
      writeFileSync(env.file('secret.txt'), 'x')
      env.ok(['secret', 'create', 'sec1', env.file('secret.txt')])
    }
  })
  it('prints each shell\'s script for peapod, to a file with -f, without descriptions with --no-desc', function () {
    const {env} = envs.values().next().value!
    const bash = env.ok(['completion', 'bash'])
    expect(bash).to.match(/^# bash completion V2 for peapod/)
    expect(bash).to.include('complete -o default -F __start_peapod peapod')
    expect(bash).to.include('__complete ${args[*]}')
    expect(bash).not.to.match(/podman/i)
    expect(env.ok(['completion', 'zsh'])).to.match(/^#compdef peapod/)
    expect(env.ok(['completion', 'fish'])).to.include('PEAPOD_ACTIVE_HELP=0 $args[1] __complete ')
    expect(env.ok(['completion', 'powershell'])).to.include('Register-ArgumentCompleter -CommandName \'peapod\'')
    expect(env.ok(['completion', '--no-desc', 'bash'])).to.include('__completeNoDesc ${args[*]}')
    const f = env.file('_peapod')
    expect(env.ok(['completion', '-f', f, 'zsh'])).to.equal('')
    expect(readFileSync(f, 'utf8')).to.match(/^#compdef peapod/)
  })

  it('fails as Podman does on a bad shell or argument count', function () {
    const {env} = envs.values().next().value!
    expectError(env.run(['completion']), 125, /^Error: accepts 1 arg\(s\), received 0$/)
    expectError(env.run(['completion', 'bash', 'zsh']), 125, /^Error: accepts 1 arg\(s\), received 2$/)
    expectError(env.run(['completion', 'tcsh']), 125, /^Error: invalid argument "tcsh" for "peapod completion"$/)
    expectError(env.run(['completion', '-f', '/nonexistent/dir/x', 'bash']), 125, /^Error: open \/nonexistent\/dir\/x: no such file or directory$/)
  })

  it('completes commands and flags from the command table', function () {
    const {env} = envs.values().next().value!
    expect(env.ok(['__complete', 'con'])).to.equal('container\tManage containers\n:4\n')
    expect(env.ok(['__completeNoDesc', 'ima'])).to.equal('image\nimages\n:4\n')
    const sub = env.ok(['__complete', 'container', 'r']).split('\n')
    expect(sub).to.include.members(['rm\tRemove one or more containers', 'run\tRun a command in a new container', 'restart\tRestart one or more containers', ':4'])
    const flags = env.ok(['__completeNoDesc', 'run', '--rm', '--r']).split('\n')
    expect(flags).to.include.members(['--read-only', '--restart', '--rmi'])
    expect(flags, 'a flag given once is not offered again').not.to.include('--rm')
    expect(env.ok(['__completeNoDesc', 'run', '--restart', ''])).to.equal('always\nno\non-failure\nunless-stopped\n:4\n')
    expect(env.ok(['__completeNoDesc', 'completion', ''])).to.equal('bash\nzsh\nfish\npowershell\n:4\n')
  })

  for (const mode of ['root', 'rootless'] as const) {
    it(`completes live names of the store (${mode})`, function () {
      const e = envs.get(mode)
      if (!e) this.skip()
      const {env} = e!
      const lines = (args: string[]) => env.ok(['__completeNoDesc', ...args]).trim().split('\n')
      const rm = lines(['rm', ''])
      expect(rm).to.include('web1')
      expect(rm.some(l => /^[0-9a-f]{12}-infra$/.test(l)), 'the pod\'s infra container').to.equal(true)
      expect(env.ok(['__complete', 'rm', 'w'])).to.equal('web1\n:4\n')
      expect(lines(['run', 'b'])).to.deep.equal(['bb:latest', ':4'])
      expect(lines(['image', 'rm', ''])).to.include('localhost/bb:latest')
      expect(lines(['pod', 'rm', ''])).to.deep.equal(['pod1', ':4'])
      expect(lines(['volume', 'inspect', ''])).to.deep.equal(['vol1', ':4'])
      expect(lines(['network', 'rm', 'n'])).to.deep.equal(['net1', ':4'])
      expect(lines(['run', '--pod', 'p'])).to.deep.equal(['pod1', ':4'])
      expect(lines(['run', '--pod=p'])).to.deep.equal(['pod1', ':4'])
      expect(lines(['stop', '']), 'stop offers running containers only').to.deep.equal([':4'])
      expect(lines(['start', 'w'])).to.deep.equal(['web1', ':4'])
      // The global flags on the line choose the store: an empty one has no names.
      expect(lines(['--root', env.file('other-root'), '--runroot', env.file('other-run'), 'rm', ''])).to.deep.equal([':4'])
    })
  }

  it('completes files, image names and fixed words where Podman 4.3.1 does (the same candidates and directive from podman itself, root)', function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const {env} = e!
    // words => what peapod answers (names sorted; a pod's infra container and the pause image written as INFRA and PAUSE)
    const cases: Array<[string[], string]> = [
      [['build', '-f', ''], ':0'], [['build', ''], ':0'], [['build', 'ctx', ''], ':4'], [['build', '--from', ''], ':0'],
      [['build', '--network', ''], 'container,host,ns:,private :0'], [['build', '--volume', ''], ':0'],
      [['load', '-i', ''], ':0'], [['import', ''], ':0'], [['save', '-o', 'x', ''], 'PAUSE,localhost/bb:latest :4'],
      [['run', '--env-file', ''], ':0'], [['run', '--env-file=x'], ':0'], [['run', '--device', ''], ':0'], [['run', '--tmpfs', ''], ':0'],
      [['run', '--cgroup-parent', ''], ':0'], [['run', '--device-read-bps', ''], ':0'], [['run', '--seccomp-policy', ''], ':0'],
      [['container', 'checkpoint', '--export', ''], ':0'], [['container', 'restore', '--import', ''], ':0'],
      [['kube', 'play', ''], ':0'], [['kube', 'play', 'a.yaml', ''], ':4'], [['play', 'kube', ''], ':0'], [['kube', 'down', ''], ':0'],
      [['kube', 'play', '--configmap', ''], ':0'], [['kube', 'play', '--seccomp-profile-root', ''], ':0'], [['kube', 'play', '--start', ''], ':0'],
      [['unshare', ''], ':0'], [['secret', 'create', 's', ''], ':0'],
      [['run', '-v', ''], 'vol1 :2'], [['run', '-v', 'vol1:'], ':0'], [['run', '--mount', ''], 'type=bind,,type=tmpfs,,type=volume, :2'],
      [['cp', ''], 'INFRA:,web1: :2'], [['cp', '/tmp', 'web1:/', ''], ':4'],
      [['pull', ''], 'PAUSE,localhost/bb:latest :4'], [['pull', '--tls-verify', ''], 'PAUSE,localhost/bb:latest :4'], [['pull', '--tls-verify='], ':0'],
      [['container', 'restore', ''], 'INFRA,PAUSE,localhost/bb:latest,web1 :4'], [['diff', ''], 'INFRA,PAUSE,localhost/bb:latest,web1 :4'],
      [['pod', 'create', '--infra-image', ''], 'PAUSE,localhost/bb:latest :4'], [['manifest', 'create', ''], 'PAUSE,localhost/bb:latest :4'],
      [['generate', 'kube', ''], 'INFRA,pod1,vol1,web1 :4'],
      // fixed words
      [['ps', '--format', ''], 'json :4'], [['commit', '--format', ''], 'docker,oci :4'], [['run', '--log-driver', ''], 'journald,k8s-file,none,passthrough :4'],
      [['run', '--userns', ''], 'auto,container:,host,keep-id,nomap,ns:,private :6'], [['run', '--detach-keys', ''], 'ctrl- :2'],
      [['generate', 'systemd', '--restart-policy', ''], 'always,no,on-abnormal,on-abort,on-failure,on-success,on-watchdog :4'],
    ]
    const answer = (out: string) => {
      const lines = out.trim().split('\n')
      const words = lines.slice(0, -1).map(l => l.replace(/^[0-9a-f]{12}-infra/, 'INFRA').replace(/^localhost\/podman-pause:.*$/, 'PAUSE')).sort()
      return [words.join(','), lines[lines.length - 1]].filter(Boolean).join(' ')
    }
    for (const [words, want] of cases) expect(answer(env.ok(['__completeNoDesc', ...words])), words.join(' ')).to.equal(want)
    // Podman's answers on a store with the same objects (create and pod create run no container)
    const podman = podmanOf(env)
    if (!podman) return
    try {
      const theirs = cases.map(([words]) => `${words.join(' ')} => ${answer(podman.run(['__completeNoDesc', ...words]))}`)
      expect(theirs).to.deep.equal(cases.map(([words, want]) => `${words.join(' ')} => ${want}`))
    } finally {
      podman.done()
    }
  })

  // Podman 4.3.1's lists (its completion functions), as the tests expect them back
  const SIGNALS = ['ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR', 'QUIT',
    'RTMAX', ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map(n => `RTMAX-${n}`), 'RTMIN', ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(n => `RTMIN+${n}`),
    'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ']
  const CAPS = ['AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH',
    'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE',
    'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYSLOG', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE',
    'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'WAKE_ALARM']
  const set = (words: string[], directive: string) => [[...new Set(words)].sort().join(','), directive].filter(Boolean).join(' ')
  const hostFile = (f: string) => readFileSync(f, 'utf8').split('\n').filter(l => l && !l.startsWith('#')).map(l => l.split(':'))
  // words => answer: names sorted, a pod's infra container INFRA, the pause image PAUSE, a short ID ID12
  const answer = (out: string) => {
    const lines = out.trim().split('\n')
    const norm = (l: string) => l.replace(/[0-9a-f]{12}-infra/, 'INFRA').replace(/localhost\/podman-pause:\S*$/, 'PAUSE').replace(/\b[0-9a-f]{12}\b/, 'ID12')
    return set(lines.slice(0, -1).map(norm), lines[lines.length - 1])
  }
  const valueCases = (): Array<[string[], string]> => [
    // --filter: the keys (no space after KEY=), then the values of a key
    [['ps', '--filter', ''], 'ancestor=,before=,exited=,health=,id=,label=,name=,network=,since=,status=,until=,volume= :6'],
    [['ps', '--filter', 'status='], 'status=created,status=exited,status=paused,status=running,status=stopped,status=unknown :4'],
    [['ps', '--filter=st'], 'status= :6'], [['ps', '-f', 'name='], 'name=INFRA,name=web1 :4'], [['ps', '--filter', 'id='], 'id=ID12 :4'],
    [['rm', '--filter', 'ancestor='], 'ancestor=PAUSE,ancestor=localhost/bb:latest :4'], [['ps', '--filter', 'volume='], 'volume=vol1 :4'],
    [['ps', '--filter', 'label='], ':4'], [['ps', '--filter', 'xyz'], ':4'],
    [['images', '--filter', ''], 'before=,dangling=,label=,readonly=,reference=,since= :6'], [['images', '--filter', 'dangling='], 'dangling=false,dangling=true :4'],
    [['pod', 'ps', '--filter', ''], 'ctr-ids=,ctr-names=,ctr-number=,ctr-status=,id=,label=,name=,network=,status= :6'],
    [['pod', 'ps', '--filter', 'name='], 'name=pod1 :4'], [['pod', 'ps', '--filter', 'ctr-names='], 'ctr-names=INFRA,ctr-names=web1 :4'],
    [['volume', 'ls', '--filter', ''], 'dangling=,driver=,label=,name=,opt=,scope= :6'], [['volume', 'ls', '--filter', 'name='], 'name=vol1 :4'],
    [['volume', 'prune', '--filter', 'driver='], 'driver=local :4'],
    [['network', 'ls', '--filter', ''], 'driver=,id=,label=,name=,until= :6'], [['network', 'ls', '--filter', 'name='], 'name=net1,name=podman :4'],
    [['network', 'ls', '--filter', 'driver='], 'driver=bridge,driver=ipvlan,driver=macvlan :4'],
    [['events', '--filter', ''], 'container=,event=,image=,pod=,type=,volume= :6'],
    [['events', '--filter', 'type='], 'type=container,type=image,type=network,type=pod,type=system,type=volume :4'],
    [['events', '--filter', 'pod='], 'pod=pod1 :4'], [['secret', 'ls', '--filter', 'name='], 'name=sec1 :4'],
    [['container', 'prune', '--filter', ''], 'label=,until= :6'], [['system', 'prune', '--filter', 'u'], 'until= :6'],
    [['search', '--filter', ''], 'is-automated,is-official,stars :4'],
    // signals and capabilities: all (the shell picks), lowercase after a lowercase letter, SIG/CAP_ once typed
    [['kill', '-s', ''], set(SIGNALS, ':4')], [['kill', '--signal', 'si'], set(SIGNALS.map(s => 'sig' + s.toLowerCase()), ':4')],
    [['pod', 'kill', '-s', 'SIGK'], set(SIGNALS.map(s => 'SIG' + s), ':4')], [['run', '--stop-signal', 'T'], set(SIGNALS, ':4')],
    [['run', '--cap-add', ''], set([...CAPS, 'ALL'], ':4')], [['create', '--cap-drop', 'ca'], set([...CAPS.map(c => 'cap_' + c.toLowerCase()), 'all'], ':4')],
    [['build', '--cap-add', 'N'], set([...CAPS, 'ALL'], ':4')],
    // security options, networks, namespaces, users
    [['run', '--security-opt', ''], 'apparmor=,label=,no-new-privileges,seccomp= :6'],
    [['run', '--security-opt', 'label='], 'label=disable,label=filetype:,label=level:,label=role:,label=type:,label=user: :6'],
    [['run', '--security-opt', 'label=d'], 'label=disable :4'], [['run', '--security-opt', 'seccomp='], ':0'],
    [['run', '--network', ''], 'bridge,container:,host,net1,none,ns:,podman,private,slirp4netns,slirp4netns: :6'],
    [['run', '--network', 'container:'], 'container:INFRA,container:web1,slirp4netns :4'],
    [['pod', 'create', '--network', 'slirp4netns:port_handler='], 'slirp4netns,slirp4netns:port_handler=rootlesskit,slirp4netns:port_handler=slirp4netns :4'],
    [['run', '--pid', 'container:w'], 'container:web1 :4'], [['run', '--ipc', 'ns:'], ':0'],
    [['run', '--userns', ''], 'auto,container:,host,keep-id,nomap,ns:,private :6'],
    [['run', '--user', ''], set(hostFile('/etc/passwd').map(p => p[0] + ':'), ':2')],
    [['exec', '--user', 'root:'], set(hostFile('/etc/group').map(g => 'root:' + g[0]), ':4')],
    [['run', '--subuidname', ''], set(hostFile('/etc/subuid').map(u => u[0]), ':4')], [['run', '--sdnotify', ''], 'container,ignore :4'],
    // --format: json, then the Go template's fields after {{. (a struct's after {{.Field.)
    [['ps', '--format', ''], 'json :4'], [['ps', '--format', 'x'], ':4'], [['diff', '--format', '{{.'], ':4'], [['commit', '--format', 'x'], 'docker,oci :4'], [['ps', '--format', '{{.Sta'], '{{.StartedAt}},{{.State}},{{.Status}} :6'],
    [['images', '--format', '{{.Repository}} {{.T'], '{{.Repository}} {{.Tag}} :6'], [['version', '--format', '{{.Client.O'], '{{.Client.OsArch}},{{.Client.Os}} :6'],
    [['container', 'inspect', '--format', '{{.State.Health.'], '{{.State.Health.FailingStreak}},{{.State.Health.Log}},{{.State.Health.Status}} :6'],
    [['pod', 'ps', '--format', '{{.N'], '{{.Namespace}},{{.Name}},{{.Networks}},{{.NumberOfContainers}} :6'],
    // arguments and flags where Podman offers other names, or none
    [['top', 'web1', ''], 'args,capamb,capbnd,capeff,capinh,capprm,comm,etime,group,groups,hgroup,hgroups,hpid,huser,label,nice,pcpu,pgid,pid,ppid,rgroup,rss,ruser,seccomp,state,stime,time,tty,user,vsz :4'],
    [['top', ''], 'INFRA,web1 :4'], [['pod', 'top', ''], 'pod1 :4'], [['pod', 'kill', ''], ':4'], [['pod', 'unpause', ''], ':4'],
    [['container', 'cleanup', ''], ':4'], [['healthcheck', 'run', ''], ':4'], [['pod', 'logs', '--container', ''], 'INFRA,web1 :4'],
    [['generate', 'systemd', '--requires', ''], ':4'], [['pull', '--creds', ''], ':4'], [['build', '--secret', ''], ':4'],
  ]

  /** Podman 4.3.1 in the mode, on a store of its own with the same objects; undefined when it is not installed. */
  function podmanOf(env: Env): {run: (args: string[]) => string; done: () => void} | undefined {
    if (spawnSync('podman', ['--version']).status !== 0) return undefined
    const dir = env.file('podman')
    mkdirSync(path.join(dir, 'xdg'), {recursive: true, mode: 0o700})
    env.chown(dir)
    // file locks in its own tmpdir: rootful Podman's shared memory lock pool is the machine's, and other stores may have used it up
    writeFileSync(path.join(dir, 'containers.conf'), '[engine]\nlock_type = "file"\n')
    env.chown(dir)
    const base = ['podman', '--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--tmpdir', path.join(dir, 'tmp'), '--storage-driver', 'vfs',
      '--cgroup-manager', 'cgroupfs', '--network-config-dir', path.join(dir, 'net')]
    const run = (args: string[]) => {
      const argv = env.mode === 'root' ? [...base, ...args] : ['setpriv', '--reuid', TEST_USER, '--regid', TEST_USER, '--init-groups', '--', ...base, ...args]
      return spawnSync(argv[0], argv.slice(1), {env: {PATH: process.env.PATH, HOME: env.mode === 'root' ? '/root' : dir, XDG_RUNTIME_DIR: path.join(dir, 'xdg'),
        CONTAINERS_CONF: path.join(dir, 'containers.conf')},
        encoding: 'utf8', cwd: dir}).stdout
    }
    run(['import', busyboxTar(), 'localhost/bb'])
    run(['create', '--name', 'web1', 'localhost/bb', 'true'])
    run(['pod', 'create', '--name', 'pod1'])
    run(['volume', 'create', 'vol1'])
    run(['network', 'create', 'net1'])
    run(['secret', 'create', 'sec1', env.file('secret.txt')])
    return {
      run,
      done: () => {
        run(['pod', 'rm', '-af'])
        run(['rm', '-af'])
        run(['volume', 'rm', '-af'])
        run(['network', 'rm', '-f', 'net1'])
        run(['secret', 'rm', '-a'])
        run(['rmi', '-af'])
        if (env.mode === 'rootless') run(['system', 'migrate'])
      },
    }
  }

  for (const mode of ['root', 'rootless'] as const) {
    it(`completes --filter keys and values, signals, capabilities, security options, networks, users and --format fields as Podman 4.3.1 (${mode})`, function () {
      const e = envs.get(mode)
      if (!e) this.skip()
      const {env} = e!
      const cases = valueCases()
      const ours = cases.map(([words]) => `${words.join(' ')} => ${answer(env.ok(['__completeNoDesc', ...words]))}`)
      expect(ours).to.deep.equal(cases.map(([words, want]) => `${words.join(' ')} => ${want}`))
      const podman = podmanOf(env)
      if (!podman) return
      try {
        const theirs = cases.map(([words]) => `${words.join(' ')} => ${answer(podman.run(['__completeNoDesc', ...words]))}`)
        expect(theirs).to.deep.equal(ours)
      } finally {
        podman.done()
      }
    })
  }

  it('bash: sourced, its completion function completes names and commands', function () {
    const {env} = envs.values().next().value!
    if (env.mode !== 'root') this.skip()
    const script = env.ok(['completion', 'bash'])
    // bash-completion's _get_comp_words_by_ref (not installed here), reduced to what the script asks of it.
    const prog = `
_get_comp_words_by_ref() { cur="\${COMP_WORDS[COMP_CWORD]}"; prev="\${COMP_WORDS[COMP_CWORD-1]}"; words=("\${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
peapod() { '${process.execPath}' -- '${BIN}' --root '${env.root}' --runroot '${env.runroot}' "$@"; }
source /dev/stdin <<'SCRIPT'
${script}
SCRIPT
try() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=(); __start_peapod 2>/dev/null; echo "\${COMPREPLY[*]}"; }
try peapod rm we
try peapod volume rm ''
try peapod cont
try peapod run --rest
try peapod ps --filter st
try peapod kill -s KI
try peapod run --cap-add SYS_CH
complete -p peapod
`
    const r = spawnSync('bash', ['-c', prog], {encoding: 'utf8'})
    expect(r.stdout.split('\n')).to.deep.equal(['web1', 'vol1', 'container', '--restart', 'status=', 'KILL', 'SYS_CHROOT',
      'complete -o default -F __start_peapod peapod', ''])
  })
})
