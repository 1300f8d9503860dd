// kube play, the parts added on top of the first version, root and rootless:
// Secrets kept in the secret store (and `secret create` ones used by the
// YAML), host namespaces, sysctls and supplemental groups, --userns,
// --build/--context-dir, --seccomp-profile-root, --service-container, image
// volumes, restart policies honoured, and all-or-nothing with secrets too.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, expectError, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const NETAVARK_LOCK = existsSync('/run/lock') ? '/run/lock/peapod-netavark.flock' : '/tmp/peapod-netavark.flock'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`kube play: secrets, namespaces, flags (${mode})`, function () {
    this.timeout(120000)
    let env: Env
    let ct: Containers

    before(function () {
      if (unavailable(mode)) this.skip()
      if (mode === 'root' && spawnSync('flock', ['-w', '15', NETAVARK_LOCK, 'true']).status !== 0) this.skip()
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => {
      if (!env) return
      env.removeContainers()
      env.cleanup()
    })
    afterEach(() => {
      env.removeContainers()
      env.run(['volume', 'prune', '-f'])
      env.run(['secret', 'rm', '-a'])
    })

    let n = 0
    const yaml = (text: string) => {
      const f = env.file(`f${++n}.yaml`)
      writeFileSync(f, text)
      env.chown(f)
      return f
    }
    const logsOf = (name: string) => env.run(['logs', name]).stdout
    const exited = (name: string) => waitUntil(`${name} to exit`, () => env.ok(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}']).startsWith('Exited'))
    const inspect = (name: string) => (JSON.parse(env.ok(['inspect', name])) as Array<Record<string, any>>)[0]
    const secrets = () => env.ok(['secret', 'ls', '--format', '{{.Name}}']).trim().split('\n').filter(Boolean).sort()
    const nothingLeft = async () => {
      await ct.settled()
      expect(env.ok(['pod', 'ps', '-q']).trim(), 'pods').to.equal('')
      expect(env.ok(['ps', '-aq']).trim(), 'containers').to.equal('')
      expect(env.ok(['volume', 'ls', '-q']).trim(), 'volumes').to.equal('')
    }

    it('stores the YAML\'s Secrets as peapod secrets; secretKeyRef, envFrom and secret volumes find them and `secret create` ones', async () => {
      env.ok(['secret', 'create', 'made', '-'], {input: JSON.stringify({token: Buffer.from('tok-123').toString('base64')})})
      const f = yaml(`apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {user: ${Buffer.from('admin').toString('base64')}}
stringData: {pw: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: sec}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: bb
    command: [sh, -c, 'echo "$USER_NAME $TOKEN $pw"; cat /made/token; echo; cat /creds/user; echo']
    env:
    - name: USER_NAME
      valueFrom: {secretKeyRef: {name: creds, key: user}}
    - name: TOKEN
      valueFrom: {secretKeyRef: {name: made, key: token}}
    envFrom:
    - secretRef: {name: creds}
    volumeMounts:
    - {name: m, mountPath: /made}
    - {name: c, mountPath: /creds}
  volumes:
  - {name: m, secret: {secretName: made}}
  - {name: c, secret: {secretName: creds}}
`)
      env.ok(['kube', 'play', f])
      await exited('sec-app')
      expect(logsOf('sec-app')).to.equal('admin tok-123 s3cret\ntok-123\nadmin\n')
      expect(secrets()).to.deep.equal(['creds', 'made'])
      // stored as Podman stores it: the Secret document as YAML
      const id = env.ok(['secret', 'inspect', 'creds', '--format', '{{.ID}}']).trim()
      expect(id).to.match(/^[0-9a-f]{25}$/)
      // a second play (--replace) replaces the stored Secret; kube down keeps it, as Podman does
      env.ok(['kube', 'play', '--replace', '--start=false', f])
      expect(env.ok(['secret', 'inspect', 'creds', '--format', '{{.ID}}']).trim()).to.not.equal(id)
      env.ok(['kube', 'down', f])
      expect(secrets()).to.deep.equal(['creds', 'made'])
    })

    it('a secret that is neither a Secret document nor a JSON map: one line, exit 125, nothing made', async () => {
      env.ok(['secret', 'create', 'plain', '-'], {input: 'just text'})
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - name: app
    image: bb
    env:
    - name: X
      valueFrom: {secretKeyRef: {name: plain, key: k}}
`)
      expectError(env.run(['kube', 'play', f]), 125, /^Error: secret "plain" is not valid JSON\/YAML/)
      await nothingLeft()
    })

    it('a failing container mid-play removes every pod, volume and secret the play made; a replaced secret comes back', async () => {
      env.ok(['secret', 'create', 'creds', '-'], {input: JSON.stringify({user: Buffer.from('old').toString('base64')})})
      const f = yaml(`apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {user: new}
---
apiVersion: v1
kind: Secret
metadata: {name: extra}
stringData: {k: v}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim}
spec: {}
---
apiVersion: v1
kind: Pod
metadata: {name: first}
spec:
  containers:
  - {name: ok, image: bb, command: [sleep, "1000"], volumeMounts: [{name: v, mountPath: /v}]}
  volumes:
  - {name: v, persistentVolumeClaim: {claimName: claim}}
---
apiVersion: v1
kind: Pod
metadata: {name: second}
spec:
  containers:
  - {name: broken, image: bb, command: [/no/such/binary]}
`)
      const r = env.run(['kube', 'play', f])
      expect(r.code, r.stderr).to.equal(127) // as Podman: the command was not found
      expect(r.stderr.trim().split('\n').filter(l => l.startsWith('Error:'))).to.have.length(1)
      await nothingLeft()
      expect(secrets()).to.deep.equal(['creds'])
      // the secret that was there before is back, with its data
      const g = yaml(`apiVersion: v1
kind: Pod
metadata: {name: check}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: bb
    command: [sh, -c, 'echo $U']
    env:
    - name: U
      valueFrom: {secretKeyRef: {name: creds, key: user}}
`)
      env.ok(['kube', 'play', g])
      await exited('check-c')
      expect(logsOf('check-c')).to.equal('old\n')
    })

    it('malformed YAML and a file of unknown kinds only: nothing made, no secret stored', async () => {
      const bad = yaml('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: b}\n---\nkind: Pod\nmetadata: [oops\n')
      expectError(env.run(['kube', 'play', bad]), 125, /^Error: .*line \d+, column \d+/)
      const unknown = yaml('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n')
      expectError(env.run(['kube', 'play', unknown]), 125, /^Error: YAML document does not contain any supported kube kind/)
      await nothingLeft()
      expect(secrets()).to.deep.equal([])
    })

    it('hostPID, hostIPC, securityContext sysctls and supplementalGroups reach the containers', async () => {
      // rootless, the host's IPC namespace needs the host's /dev/mqueue: Podman fails without one, so does peapod (before making anything)
      const ipcHost = mode === 'root' || existsSync('/dev/mqueue')
      if (!ipcHost) {
        const bad = yaml('apiVersion: v1\nkind: Pod\nmetadata: {name: ipc}\nspec:\n  hostIPC: true\n  containers: [{name: c, image: bb}]\n')
        expectError(env.run(['kube', 'play', bad]), 125, /^Error: Pod "ipc": spec.hostIPC: statfs \/dev\/mqueue: no such file or directory$/)
        await nothingLeft()
      }
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: hostns}
spec:
  restartPolicy: Never
  hostPID: true
  hostIPC: ${ipcHost}
  securityContext:
    supplementalGroups: [10, 20]
    sysctls:
    - {name: net.ipv4.ip_unprivileged_port_start, value: "99"}
  containers:
  - name: c
    image: bb
    command: [sh, -c, 'readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; id -G; cat /proc/sys/net/ipv4/ip_unprivileged_port_start']
`)
      env.ok(['kube', 'play', f])
      await exited('hostns-c')
      const [pid, ipc, groups, port] = logsOf('hostns-c').trim().split('\n')
      // rootless: the host's namespaces are those of the user namespace peapod runs in, which keeps the host's PID and IPC namespaces
      expect(pid).to.equal(readlinkSync('/proc/self/ns/pid'))
      if (ipcHost) expect(ipc).to.equal(readlinkSync('/proc/self/ns/ipc'))
      else expect(ipc).to.not.equal(readlinkSync('/proc/self/ns/ipc'))
      expect(groups.split(' ')).to.include.members(['10', '20'])
      expect(port).to.equal('99')
      const i = inspect('hostns-c')
      expect(i.HostConfig.PidMode).to.equal('host')
      expect(i.HostConfig.IpcMode).to.equal(ipcHost ? 'host' : `container:${env.ok(['pod', 'inspect', 'hostns', '--format', '{{.InfraContainerID}}']).trim()}`)
      expect(i.HostConfig.GroupAdd).to.deep.equal(['10', '20'])
      // a sysctl of a namespace the pod takes from the host is refused before anything is made
      const g = yaml(`apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  securityContext:
    sysctls: [{name: net.ipv4.ip_forward, value: "1"}]
  containers: [{name: c, image: bb}]
`)
      expectError(env.run(['kube', 'play', g]), 125, /^Error: Pod "hostnet": spec.securityContext.sysctls\[0\]: sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host$/)
      const h = yaml('apiVersion: v1\nkind: Pod\nmetadata: {name: badsys}\nspec:\n  securityContext:\n    sysctls: [{name: kernel.hostname, value: x}]\n  containers: [{name: c, image: bb}]\n')
      expectError(env.run(['kube', 'play', h]), 125, /sysctl 'kernel.hostname' is not allowed$/)
    })

    it('--userns gives the pod its user namespace; a bad mode is refused', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: uns}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: bb, command: [sh, -c, 'id -u; cat /proc/self/uid_map']}
`)
      expectError(env.run(['kube', 'play', '--userns=bogus', f]), 125, /^Error: unrecognized namespace mode bogus passed$/)
      await nothingLeft()
      if (mode === 'rootless') {
        env.ok(['kube', 'play', '--userns=keep-id', f])
        await exited('uns-c')
        const uid = spawnSync('id', ['-u', 'peapodtest'], {encoding: 'utf8'}).stdout.trim()
        const out = logsOf('uns-c').trim().split('\n')
        expect(out[0]).to.equal(uid)
        expect(out.slice(1).map(l => l.trim().split(/\s+/).map(Number))).to.deep.include([Number(uid), 0, 1])
      } else {
        env.ok(['kube', 'play', '--userns=host', f])
        await exited('uns-c')
        expect(logsOf('uns-c').trim().split('\n').map(l => l.trim().split(/\s+/))).to.deep.equal([['0'], ['0', '0', '4294967295']])
      }
    })

    it('--build and --context-dir build images from directories named like them; without --build a missing one is built', async () => {
      const ctx = env.file('ctx')
      mkdirSync(path.join(ctx, 'kubebuilt'), {recursive: true})
      writeFileSync(path.join(ctx, 'kubebuilt', 'Containerfile'), 'FROM bb\nRUN echo built-by-kube > /built\n')
      mkdirSync(path.join(env.dir, 'cwdbuilt'), {recursive: true})
      writeFileSync(path.join(env.dir, 'cwdbuilt', 'Dockerfile'), 'FROM bb\nRUN echo from-cwd > /built\n')
      env.chown(ctx)
      env.chown(path.join(env.dir, 'cwdbuilt'))
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: built}
spec:
  restartPolicy: Never
  containers:
  - {name: a, image: localhost/kubebuilt:1.0, command: [cat, /built]}
`)
      expectError(env.run(['kube', 'play', '--context-dir', ctx, f]), 125, /^Error: --build must be specified when using --context-dir option$/)
      // without --build: the image is missing and no directory is under the working directory → a pull, which fails
      expect(env.run(['kube', 'play', f]).code).to.equal(125)
      await nothingLeft()
      env.ok(['kube', 'play', '--build', '--context-dir', ctx, f])
      await exited('built-a')
      expect(logsOf('built-a')).to.equal('built-by-kube\n')
      expect(env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).to.include('localhost/kubebuilt:1.0')
      env.ok(['kube', 'down', f])
      // the working directory's cwdbuilt/ is used when the image is missing (Podman's default)
      const g = yaml('apiVersion: v1\nkind: Pod\nmetadata: {name: cwd}\nspec:\n  restartPolicy: Never\n  containers: [{name: a, image: cwdbuilt, command: [cat, /built]}]\n')
      env.ok(['kube', 'play', g])
      await exited('cwd-a')
      expect(logsOf('cwd-a')).to.equal('from-cwd\n')
      // --build=false never builds
      env.ok(['kube', 'down', g])
      env.ok(['rmi', 'cwdbuilt'])
      expect(env.run(['kube', 'play', '--build=false', g]).code).to.equal(125)
      await nothingLeft()
    })

    it('--seccomp-profile-root: a localhost/ profile of the seccomp annotations applies; a missing one is refused first', async () => {
      const root = env.file('seccomp')
      mkdirSync(root, {recursive: true})
      writeFileSync(path.join(root, 'no-mkdir.json'), JSON.stringify({defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO'}]}))
      env.chown(root)
      const f = yaml(`apiVersion: v1
kind: Pod
metadata:
  name: sc
  annotations:
    container.seccomp.security.alpha.kubernetes.io/strict: localhost/no-mkdir.json
spec:
  restartPolicy: Never
  containers:
  - {name: strict, image: bb, command: [sh, -c, 'mkdir /tmp/x && echo made || echo denied']}
  - {name: free, image: bb, command: [sh, -c, 'mkdir /tmp/x && echo made || echo denied']}
`)
      env.ok(['kube', 'play', '--seccomp-profile-root', root, f])
      await exited('sc-strict')
      await exited('sc-free')
      expect(logsOf('sc-strict')).to.equal('denied\n')
      expect(logsOf('sc-free')).to.equal('made\n')
      env.ok(['kube', 'down', f])
      // the default root (/var/lib/kubelet/seccomp) has no such profile
      expectError(env.run(['kube', 'play', f]), 125, /seccomp profile \/var\/lib\/kubelet\/seccomp\/no-mkdir.json: no such file or directory$/)
      await nothingLeft()
    })

    it('--service-container: a service container stands for the play; kube down removes it; not with --start=false', async () => {
      // terminationGracePeriodSeconds 0: kube down need not wait out sleep's ignored SIGTERM
      const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: svc}\nspec:\n  terminationGracePeriodSeconds: 0\n  containers: [{name: c, image: bb, command: [sleep, "1000"]}]\n'
      const f = yaml(text)
      expectError(env.run(['kube', 'play', '--service-container', '--start=false', f]), 125, /^Error: --service-container does not work with --start=stop$/)
      await nothingLeft()
      env.ok(['kube', 'play', '--service-container', f])
      const {createHash} = await import('node:crypto')
      const name = `${createHash('sha256').update(text).digest('hex').slice(0, 12)}-service`
      const i = inspect(name)
      expect(i.State.Status).to.equal('running')
      expect(i.IsService).to.equal(true)
      expect(i.HostConfig.NetworkMode).to.equal('none')
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('an image volume mounts the image read-only', async function () {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: imgvol}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: bb
    command: [sh, -c, 'ls /img/bin/busybox; touch /img/x 2>/dev/null && echo writable || echo read-only']
    volumeMounts: [{name: i, mountPath: /img}]
  volumes:
  - {name: i, image: {reference: bb, pullPolicy: Never}}
`)
      env.ok(['kube', 'play', f])
      await exited('imgvol-c')
      expect(logsOf('imgvol-c')).to.equal('/img/bin/busybox\nread-only\n')
      env.ok(['kube', 'down', f])
      const g = yaml(`apiVersion: v1
kind: Pod
metadata: {name: imgmiss}
spec:
  containers:
  - {name: c, image: bb, volumeMounts: [{name: i, mountPath: /img}]}
  volumes:
  - {name: i, image: {reference: localhost/not-here, pullPolicy: Never}}
`)
      expectError(env.run(['kube', 'play', g]), 125, /not-here/)
      await nothingLeft()
    })

    it('restartPolicy: Never stays exited, OnFailure restarts until success, Always restarts after success', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  restartPolicy: Never
  containers: [{name: c, image: bb, command: [sh, -c, 'exit 3']}]
---
apiVersion: v1
kind: Pod
metadata: {name: onfail}
spec:
  restartPolicy: OnFailure
  containers:
  - name: c
    image: bb
    command: [sh, -c, 'if [ -f /d/ran ]; then exit 0; fi; touch /d/ran; exit 1']
    volumeMounts: [{name: d, mountPath: /d}]
  volumes: [{name: d, emptyDir: {}}]
---
apiVersion: v1
kind: Pod
metadata: {name: always}
spec:
  containers: [{name: c, image: bb, command: [sh, -c, 'exit 0']}]
`)
      env.ok(['kube', 'play', f])
      const restarts = (name: string) => Number(env.ok(['inspect', name, '--format', '{{.RestartCount}}']).trim())
      await waitUntil('always-c to restart twice', () => restarts('always-c') >= 2, 60000)
      await waitUntil('onfail-c to succeed after one restart', () => {
        const i = inspect('onfail-c')
        return i.State.Status === 'exited' && i.State.ExitCode === 0 && i
      }, 60000)
      expect(restarts('onfail-c')).to.equal(1)
      await exited('never-c')
      const never = inspect('never-c')
      expect([never.State.ExitCode, never.RestartCount, never.HostConfig.RestartPolicy.Name]).to.deep.equal([3, 0, 'no'])
      expect(inspect('onfail-c').HostConfig.RestartPolicy.Name).to.equal('on-failure')
      expect(inspect('always-c').HostConfig.RestartPolicy.Name).to.equal('always')
      env.ok(['kube', 'down', f])
    })
  })
}
