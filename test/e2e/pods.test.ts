// Pods end to end, as root and as the rootless test user: members share the
// infra's localhost, hostname and IPC; the pod's published port is reached
// from the host; `pod ps` follows members as they come and go; `pod rm -f`
// leaves nothing behind; bad input fails in one line with nothing created.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, processes, unavailable, waitUntil, type Mode, expectError, fetchUntil, freePort} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const NETAVARK_LOCK = existsSync('/run/lock') ? '/run/lock/peapod-netavark.flock' : '/tmp/peapod-netavark.flock'

const HTTPD = (text: string, addr: string) => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p ${addr} -h /www`]

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`pods (${mode})`, function () {
    this.timeout(60000)
    let env: Env
    let ct: Containers

    before(function () {
      if (unavailable(mode)) this.skip()
      // Rootful bridge networking takes a host-wide lock (netavark.ts); an aardvark-dns
      // started without `flock -o` by another tree's run can hold it for good.
      if (mode === 'root' && spawnSync('flock', ['-w', '15', NETAVARK_LOCK, 'true']).status !== 0) {
        console.log(`      skipped: ${NETAVARK_LOCK} is held by another process (a leaked aardvark-dns?)`)
        this.skip()
      }
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => {
      if (!env) return
      env.removeContainers()
      env.cleanup()
    })

    // A failed test's pods must not fail the next ones.
    afterEach(() => {
      env.removeContainers()
    })

    const podStatus = (name: string) => env.ok(['pod', 'ps', '--filter', `name=^${name}$`, '--format', '{{.Status}} {{.NumberOfContainers}}']).trim()
    const ls = (d: string) => (existsSync(d) ? readdirSync(d) : [])
    /** Nothing of any pod or container left: documents, names, infra, monitors, netns files, mounts. */
    const expectNothingLeft = async () => {
      await ct.settled()
      expect(ls(path.join(env.root, 'pods'))).to.deep.equal([])
      expect(ls(path.join(env.root, 'pod-names'))).to.deep.equal([])
      await waitUntil('no netns file', () => ls(path.join(env.runroot, 'netns')).length === 0)
      expect(ct.mounts().filter(m => m.includes('/netns'))).to.deep.equal([])
      // a killed helper may take a moment to go
      let helpers: string[] = []
      await waitUntil('no network helpers', () => (helpers = processes().filter(p => p.cmdline.includes(env.dir) && /slirp4netns|pasta|portfwd-child/.test(p.cmdline)).map(p => p.cmdline)).length === 0)
        .catch(() => expect(helpers).to.deep.equal([]))
    }

    it('members share localhost, hostname and IPC; ps --pod shows the pod; pod rm -f leaves nothing', async () => {
      const podId = env.ok(['pod', 'create', '--name', 'lh']).trim()
      expect(podId).to.match(/^[0-9a-f]{64}$/)
      expect(podStatus('lh')).to.equal('Created 1')
      // Starting a member starts the infra first.
      env.ok(['run', '-d', '--pod', 'lh', '--name', 'srv', 'bb', ...HTTPD('hello-pod', '127.0.0.1:8080')])
      const got = await waitUntil('the member to reach the server on localhost', () => {
        const r = env.run(['run', '--rm', '--pod', 'lh', 'bb', 'wget', '-qO-', 'http://127.0.0.1:8080/'])
        return r.code === 0 && r.stdout
      })
      expect(got).to.equal('hello-pod\n')
      const ns = () => env.ok(['run', '--rm', '--pod', 'lh', 'bb', 'sh', '-c', 'hostname; for n in ipc uts net; do readlink /proc/self/ns/$n; done']).split('\n')
      const a = ns()
      expect(a[0]).to.equal('lh')
      expect(ns()).to.deep.equal(a)
      const alone = env.ok(['run', '--rm', '--network', 'none', 'bb', 'readlink', '/proc/self/ns/ipc']).trim()
      expect(alone).to.not.equal(a[1])
      const ps = env.ok(['ps', '-a', '--pod', '--format', '{{.Names}} {{.Pod}} {{.PodName}}']).trim().split('\n').sort()
      expect(ps).to.deep.equal([`${podId.slice(0, 12)}-infra ${podId.slice(0, 12)} lh`, `srv ${podId.slice(0, 12)} lh`])
      expect(podStatus('lh')).to.equal('Running 2')
      const insp = JSON.parse(env.ok(['pod', 'inspect', 'lh']))
      expect(insp.Id).to.equal(podId)
      expect(insp.SharedNamespaces).to.deep.equal(['ipc', 'net', 'uts'])
      expect(insp.NumContainers).to.equal(2)
      expect(env.ok(['pod', 'rm', '-f', '-t', '0', 'lh']).trim()).to.equal(podId)
      expect(env.run(['pod', 'exists', 'lh']).code).to.equal(1)
      await expectNothingLeft()
    })

    it('the pod\'s published port is reached from the host', async () => {
      const port = await freePort()
      env.ok(['pod', 'create', '--name', 'pub', '-p', `127.0.0.1:${port}:8080`])
      env.ok(['run', '-d', '--pod', 'pub', 'bb', ...HTTPD('from-the-pod', '8080')])
      expect(await fetchUntil(`http://127.0.0.1:${port}/`)).to.equal('from-the-pod\n')
      env.ok(['pod', 'rm', '-f', '-t', '0', 'pub'])
      await expectNothingLeft()
      // run --pod new:NAME carries -p to the new pod
      const port2 = await freePort()
      env.ok(['run', '-d', '--pod', 'new:pub2', '-p', `127.0.0.1:${port2}:8080`, 'bb', ...HTTPD('new-pod', '8080')])
      expect(await fetchUntil(`http://127.0.0.1:${port2}/`)).to.equal('new-pod\n')
      expect(JSON.parse(env.ok(['pod', 'inspect', 'pub2'])).InfraConfig.PortBindings).to.deep.equal({'8080/tcp': [{HostIp: '127.0.0.1', HostPort: String(port2)}]})
      env.ok(['pod', 'rm', '-f', '-t', '0', 'pub2'])
      await expectNothingLeft()
    })

    it('pod ps follows members as they come and go; stop, start, exit policy stop', async () => {
      env.ok(['pod', 'create', '--name', 'st'])
      expect(podStatus('st')).to.equal('Created 1')
      env.ok(['run', '-d', '--pod', 'st', '--name', 'm1', '--stop-timeout', '0', 'bb', 'sleep', '1000'])
      expect(podStatus('st')).to.equal('Running 2')
      env.ok(['stop', '-t', '0', 'm1'])
      expect(podStatus('st')).to.equal('Degraded 2')
      expect(env.ok(['pod', 'ps', '--ctr-names', '--ctr-status', '--filter', 'name=st', '--format', '{{.ContainerNames}} {{.ContainerStatuses}}']).trim()).to.match(/^[0-9a-f]{12}-infra,m1 running,exited$/)
      env.ok(['pod', 'stop', '-t', '0', 'st'])
      expect(podStatus('st')).to.equal('Exited 2')
      env.ok(['pod', 'start', 'st'])
      expect(podStatus('st')).to.equal('Running 2')
      expect(env.ok(['inspect', '--format', '{{.Pod}} {{.IsInfra}}', 'm1']).trim()).to.match(/^[0-9a-f]{64} false$/)
      env.ok(['pod', 'kill', 'st'])
      await waitUntil('pod st exited', () => podStatus('st') === 'Exited 2')
      env.ok(['pod', 'rm', 'st'])
      // a running infra alone does not keep a pod (as Podman); rm -a -f takes the pods with it
      env.ok(['pod', 'create', '--name', 'io'])
      env.ok(['pod', 'start', 'io'])
      expect(podStatus('io')).to.equal('Running 1')
      env.ok(['pod', 'rm', 'io'])
      env.ok(['run', '-d', '--pod', 'new:ra', 'bb', 'sleep', '1000'])
      env.ok(['rm', '-a', '-f', '-t', '0'])
      expect(env.ok(['pod', 'ps', '-q'])).to.equal('')
      // exit policy stop: the infra stops once the last member has exited
      env.ok(['pod', 'create', '--name', 'ep', '--exit-policy', 'stop'])
      env.ok(['run', '--pod', 'ep', 'bb', 'true'])
      await waitUntil('pod ep exited', () => podStatus('ep') === 'Exited 2')
      expect(JSON.parse(env.ok(['pod', 'inspect', 'ep'])).ExitPolicy).to.equal('stop')
      env.ok(['pod', 'prune', '-f'])
      expect(env.ok(['pod', 'ps', '-q'])).to.equal('')
      await expectNothingLeft()
    })

    it('pod create --replace removes a pod of the same name (its running members too) first; without a name it is Podman\'s error', async () => {
      expectError(env.run(['pod', 'create', '--replace']), 125, /^Error: cannot replace pod without --name being set$/m)
      const first = env.ok(['pod', 'create', '--name', 'rp']).trim()
      env.ok(['run', '-d', '--pod', 'rp', '--name', 'rp-member', 'bb', 'sleep', '1000'])
      const second = env.ok(['pod', 'create', '--replace', '--name', 'rp']).trim()
      expect(second).to.not.equal(first)
      expect(env.ok(['pod', 'ps', '-q', '--no-trunc']).trim()).to.equal(second)
      expect(env.run(['container', 'exists', 'rp-member']).code).to.equal(1)
      env.ok(['pod', 'rm', '-f', 'rp'])
      await expectNothingLeft()
    })

    it('pod create --infra-conmon-pidfile: the infra\'s monitor writes its PID there when the pod starts', async () => {
      const file = env.file('infra.pid')
      env.ok(['pod', 'create', '--name', 'ipf', '--infra-conmon-pidfile', file])
      env.ok(['pod', 'start', 'ipf'])
      const pid = Number(readFileSync(file, 'utf8').trim())
      expect(pid).to.be.greaterThan(1)
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).to.match(/node/)
      env.ok(['pod', 'rm', '-f', 'ipf'])
      await expectNothingLeft()
    })

    it('bad input: one line, exit 125, nothing half created', async () => {
      const count = () => env.ok(['ps', '-a', '-q']).split('\n').filter(Boolean).length
      expectError(env.run(['run', '--pod', 'nosuch', 'bb', 'true']), 125, /no pod with name or ID nosuch found: no such pod/)
      expect(count()).to.equal(0)
      env.ok(['pod', 'create', '--name', 'bad'])
      expectError(env.run(['run', '--pod', 'bad', '-p', '9999:80', 'bb', 'true']), 125,
        /^Error: invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod$/m)
      expect(count()).to.equal(1)
      expectError(env.run(['pod', 'create', '--name', 'bad']), 125, /name "bad" is in use: pod already exists/)
      expect(env.ok(['pod', 'ps', '-q']).trim().split('\n')).to.have.length(1)
      expect(count()).to.equal(1)
      env.ok(['run', '-d', '--pod', 'bad', 'bb', 'sleep', '1000'])
      expectError(env.run(['pod', 'rm', 'bad']), 125, /cannot remove container [0-9a-f]+ as it is running/)
      expect(podStatus('bad')).to.equal('Running 2')
      expectError(env.run(['rm', '-f', '-t', '0', JSON.parse(env.ok(['pod', 'inspect', 'bad'])).InfraContainerID]), 125, /infra container of pod/)
      expectError(env.run(['create', '--pod', 'new:half', 'nosuchimage']), 125, /nosuchimage/)
      expect(env.run(['pod', 'exists', 'half']).code).to.equal(1)
      expectError(env.run(['pod', 'create', '--share', 'bogus']), 125, /invalid kernel namespace to share: bogus/)
      expectError(env.run(['pod', 'stop', 'nosuch']), 125, /no pod with name or ID nosuch found: no such pod/)
      expect(env.ok(['pod', 'ps', '-q']).trim().split('\n')).to.have.length(1)
      env.ok(['pod', 'rm', '-f', '-t', '0', 'bad'])
      await expectNothingLeft()
    })
  })
}
