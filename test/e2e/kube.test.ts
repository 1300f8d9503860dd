// kube play / kube down end to end, as root and as the rootless test user:
// the pods, containers, env, mounts and ports Podman would make from the
// same YAML; all or nothing on failure; one-line errors on bad input with
// nothing left behind.
import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import path from 'node:path'
import {Containers, Env, expectError, fetchUntil, freePort, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const NETAVARK_LOCK = existsSync('/run/lock') ? '/run/lock/peapod-netavark.flock' : '/tmp/peapod-netavark.flock'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`kube play / down (${mode})`, function () {
    this.timeout(90000)
    let env: Env
    let ct: Containers

    before(function () {
      if (unavailable(mode)) this.skip()
      if (mode === 'root' && spawnSync('flock', ['-w', '15', NETAVARK_LOCK, 'true']).status !== 0) {
        console.log(`      skipped: ${NETAVARK_LOCK} is held by another process`)
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
    afterEach(() => {
      env.removeContainers()
      env.run(['volume', 'prune', '-f'])
    })

    let n = 0
    /** Writes YAML into the suite dir (readable by the test user) and returns its path. */
    const yaml = (text: string) => {
      const f = env.file(`k${++n}.yaml`)
      writeFileSync(f, text)
      env.chown(f)
      return f
    }
    const ls = (d: string) => (existsSync(d) ? readdirSync(d) : [])
    const logsOf = (name: string) => env.run(['logs', name]).stdout
    const waitLog = (name: string, re: RegExp) => waitUntil(`${name}'s log to match ${re}`, () => re.test(logsOf(name)) && logsOf(name))
    const nothingLeft = async () => {
      await ct.settled()
      expect(ls(path.join(env.root, 'pods')), 'pods').to.deep.equal([])
      expect(env.ok(['volume', 'ls', '-q']).trim(), 'volumes').to.equal('')
    }

    it('plays a two-container pod: Podman\'s names and report, members talk over localhost, the hostPort is reached from the host', async () => {
      const port = await freePort()
      const f = yaml(`apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
  annotations: {team: blue}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: srv
    image: bb
    command: ["sh", "-c"]
    args: ["mkdir -p /www && echo $(GREETING) > /www/index.html && exec httpd -f -p 8080 -h /www"]
    env:
    - {name: GREETING, value: hello-kube}
    workingDir: /www
    ports:
    - {containerPort: 8080, hostPort: ${port}}
  - name: client
    image: bb
    command: ["sh", "-c", "until wget -qO- http://127.0.0.1:8080/; do sleep 0.2; done; exec sleep 1000"]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 8080}]
`)
      const r = env.run(['kube', 'play', f])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.match(/level=warning msg="Kube kind Service not supported, skipping it"/)
      const podId = env.ok(['pod', 'inspect', 'web', '--format', '{{.Id}}']).trim()
      const ids = env.ok(['ps', '-a', '--filter', `pod=${podId}`, '--format', '{{.ID}} {{.Names}}', '--no-trunc']).trim().split('\n').map(l => l.split(' '))
      const byName = Object.fromEntries(ids.map(([id, name]) => [name, id]))
      expect(Object.keys(byName).sort()).to.deep.equal([`${podId.slice(0, 12)}-infra`, 'web-client', 'web-srv'])
      expect(r.stdout).to.equal(`Pod:\n${podId}\nContainers:\n${byName['web-srv']}\n${byName['web-client']}\n\n`)
      expect(await waitLog('web-client', /hello-kube/)).to.equal('hello-kube\n')
      expect(await fetchUntil(`http://127.0.0.1:${port}/`)).to.equal('hello-kube\n')
      const insp = JSON.parse(env.ok(['inspect', 'web-srv']))[0]
      expect(insp.Config.Env).to.include('GREETING=hello-kube')
      expect(insp.Config.WorkingDir).to.equal('/www')
      expect(insp.Config.Labels).to.deep.include({app: 'web'})
      expect(insp.Config.Annotations).to.deep.include({team: 'blue'})
      expect(insp.Config.Entrypoint).to.equal('sh -c')
      expect(env.ok(['pod', 'inspect', 'web', '--format', '{{.Hostname}} {{.ExitPolicy}}']).trim()).to.equal('web stop')
      const down = env.ok(['kube', 'down', f])
      expect(down).to.equal(`Pods stopped:\n${podId}\nPods removed:\n${podId}\n`)
      await nothingLeft()
    })

    it('takes env and volumes from ConfigMaps (in the file and --configmap) and Secrets', async () => {
      const cm = yaml(`apiVersion: v1
kind: ConfigMap
metadata: {name: extra}
data: {EXTRA: from-flag}
`)
      const f = yaml(`apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  MODE: production
  app.conf: "listen 80\\n"
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data:
  password: ${Buffer.from('s3cret').toString('base64')}
stringData:
  user: admin
---
apiVersion: v1
kind: Pod
metadata: {name: cfgpod}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: bb
    command: ["sh", "-c", "echo MODE=$MODE EXTRA=$EXTRA PW=$PW U_user=$U_user; cat /etc/app/app.conf /etc/app/conf/app.conf /run/creds/password; echo; ls /etc/app/conf"]
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: cfg, key: MODE}}
    - name: PW
      valueFrom: {secretKeyRef: {name: creds, key: password}}
    envFrom:
    - configMapRef: {name: extra}
    - secretRef: {name: creds}
      prefix: U_
    volumeMounts:
    - {name: conf, mountPath: /etc/app/app.conf, subPath: app.conf}
    - {name: conf, mountPath: /etc/app/conf}
    - {name: sec, mountPath: /run/creds}
  volumes:
  - name: conf
    configMap:
      name: cfg
      items: [{key: app.conf, path: app.conf}]
  - name: sec
    secret: {secretName: creds}
`)
      env.ok(['kube', 'play', '--configmap', cm, f])
      await waitUntil('the container to exit', () => env.ok(['ps', '-a', '--filter', 'name=cfgpod-app', '--format', '{{.Status}}']).startsWith('Exited'))
      expect(logsOf('cfgpod-app')).to.equal('MODE=production EXTRA=from-flag PW=s3cret U_user=admin\nlisten 80\nlisten 80\ns3cret\napp.conf\n')
      const mounts = JSON.parse(env.ok(['inspect', 'cfgpod-app']))[0].Mounts as Array<{Destination: string; RW: boolean}>
      expect(mounts.find(m => m.Destination === '/run/creds')?.RW).to.equal(false)
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('keeps a PVC\'s volume across kube down and a second play; down --force removes it', async () => {
      const f = yaml(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations: {volume.podman.io/uid: "1000", volume.podman.io/gid: "1000"}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: store}
spec:
  restartPolicy: Never
  containers:
  - name: w
    image: bb
    command: ["sh", "-c", "echo run >> /data/runs; cat /data/runs | wc -l; stat -c %u:%g /data"]
    volumeMounts: [{name: d, mountPath: /data}]
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: data}
`)
      const first = env.ok(['kube', 'play', f])
      expect(first).to.match(/^Volumes:\ndata\nPod:\n/)
      // the second line comes after the first: wait for the exit, not a line
      await waitUntil('store-w to exit', () => env.ok(['ps', '-a', '--filter', 'name=^store-w$', '--format', '{{.Status}}']).startsWith('Exited'))
      expect(logsOf('store-w')).to.equal('1\n1000:1000\n')
      env.ok(['kube', 'down', f])
      expect(env.ok(['volume', 'ls', '-q']).trim()).to.equal('data')
      expect(env.ok(['kube', 'play', f])).to.not.match(/Volumes:/)
      await waitLog('store-w', /^2\n/)
      const down = env.ok(['kube', 'down', '--force', f])
      expect(down).to.match(/Volumes removed:\ndata\n$/)
      await nothingLeft()
    })

    it('runs init containers in order to completion before the app; once-init containers are removed', async () => {
      const f = yaml(`apiVersion: apps/v1
kind: Deployment
metadata: {name: dep}
spec:
  replicas: 1
  template:
    metadata: {labels: {app: dep}}
    spec:
      terminationGracePeriodSeconds: 0
      initContainers:
      - {name: one, image: bb, command: ["sh", "-c", "echo one >> /work/order"], volumeMounts: [{name: w, mountPath: /work}]}
      - {name: two, image: bb, command: ["sh", "-c", "echo two >> /work/order"], volumeMounts: [{name: w, mountPath: /work}]}
      containers:
      - {name: app, image: bb, command: ["sh", "-c", "cat /work/order; exec sleep 1000"], volumeMounts: [{name: w, mountPath: /work}]}
      volumes:
      - {name: w, emptyDir: {}}
`)
      const out = env.ok(['kube', 'play', f])
      // Podman 4.3.1 lists neither init containers nor, for one container, "Containers".
      expect(out).to.match(/^Pod:\n[0-9a-f]{64}\nContainer:\n[0-9a-f]{64}\n\n$/)
      expect(await waitLog('dep-pod-0-app', /two/)).to.equal('one\ntwo\n')
      const names = env.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(x => !x.endsWith('-infra'))
      expect(names).to.deep.equal(['dep-pod-0-app'])
      expect(env.ok(['volume', 'ls', '-q']).trim()).to.match(/^[0-9a-f]{64}$/)
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('play kube (the old name) reads YAML from a URL; kube down too', async () => {
      const text = `apiVersion: v1
kind: Pod
metadata: {name: fromurl}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`
      // A separate server process: the tests' spawnSync blocks this one.
      const www = env.file('www')
      mkdirSync(www, {recursive: true})
      writeFileSync(path.join(www, 'pod.yaml'), text)
      const port = await freePort()
      const server = spawn('busybox', ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', www], {stdio: 'ignore'})
      try {
        const url = `http://127.0.0.1:${port}/pod.yaml`
        await fetchUntil(url)
        expect(env.ok(['play', 'kube', url])).to.match(/^Pod:\n[0-9a-f]{64}\nContainer:\n[0-9a-f]{64}\n\n$/)
        expect(env.ok(['ps', '--format', '{{.Names}}'])).to.include('fromurl-c')
        env.ok(['kube', 'down', url])
      } finally {
        server.kill()
      }
      await nothingLeft()
    })

    it('an init container that fails undoes the play', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: badinit}
spec:
  initContainers:
  - {name: i, image: bb, command: ["sh", "-c", "exit 3"]}
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`)
      expectError(env.run(['kube', 'play', f]), 125, /init container badinit-i of pod badinit exited with code 3/)
      await nothingLeft()
    })

    it('--replace recreates the pods; without it a second play fails and changes nothing', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: rep}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`)
      env.ok(['kube', 'play', f])
      const id1 = env.ok(['pod', 'inspect', 'rep', '--format', '{{.Id}}']).trim()
      expectError(env.run(['kube', 'play', f]), 125, /name "rep" is in use: pod already exists/)
      expect(env.ok(['pod', 'inspect', 'rep', '--format', '{{.Id}} {{.State}}']).trim()).to.equal(`${id1} Running`)
      env.ok(['kube', 'play', '--replace', f])
      const id2 = env.ok(['pod', 'inspect', 'rep', '--format', '{{.Id}} {{.State}}']).trim()
      expect(id2).to.match(/ Running$/)
      expect(id2.split(' ')[0]).to.not.equal(id1)
      env.ok(['kube', 'play', '--down', f])
      await nothingLeft()
    })

    it('applies resources.limits and requests (memory, CPU quota and shares) as Podman does; rootless on cgroup v1 they are dropped with its warning', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: res}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: bb
    command: ["sleep", "1000"]
    resources: {limits: {memory: 64Mi, cpu: 500m}, requests: {memory: 32Mi, cpu: 250m}}
`)
      const r = env.run(['kube', 'play', f])
      expect(r.code, r.stderr).to.equal(0)
      const hc = JSON.parse(env.ok(['inspect', 'res-c']))[0].HostConfig
      if (mode === 'root') {
        expect([hc.Memory, hc.MemoryReservation, hc.CpuQuota, hc.CpuPeriod, hc.CpuShares]).to.deep.equal([64 * 1024 * 1024, 32 * 1024 * 1024, 50000, 100000, 256])
        expect(env.ok(['exec', 'res-c', 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes']).trim()).to.equal(String(64 * 1024 * 1024))
      } else {
        expect(r.stderr).to.include('Resource limits are not supported and ignored on cgroups V1 rootless systems')
        expect(hc.Memory).to.equal(0)
      }
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('--start=false creates the pod without starting it; kube down from stdin', async () => {
      const text = `apiVersion: v1
kind: Pod
metadata: {name: idle}
spec:
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`
      env.ok(['kube', 'play', '--start=false', '-'], {input: text})
      expect(env.ok(['ps', '-a', '--filter', 'name=idle-c', '--format', '{{.Status}}']).trim()).to.equal('Created')
      env.ok(['kube', 'down', '-'], {input: text})
      await nothingLeft()
      expectError(env.run(['kube', 'down', '-'], {input: text}), 125, /^Error: no pod with name or ID idle found: no such pod$/)
    })

    it('--wait runs in the foreground until the containers exit, then takes the pods and the volumes it made down; a signal too', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: fg}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: bb, command: ["sh", "-c", "echo hi > /v/x"], volumeMounts: [{name: v, mountPath: /v}]}
  volumes:
  - {name: v, persistentVolumeClaim: {claimName: fgdata}}
`)
      const r = env.run(['kube', 'play', '--wait', f])
      expect(r.code, r.stderr).to.equal(0)
      await nothingLeft()
      const g = yaml(`apiVersion: v1
kind: Pod
metadata: {name: fg2}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`)
      const p = env.spawn(['kube', 'play', '--wait', g])
      const exited = new Promise<number | null>(resolve => p.on('exit', code => resolve(code)))
      await waitUntil('the pod to run', () => env.run(['ps', '--filter', 'name=fg2-c', '--format', '{{.Status}}']).stdout.startsWith('Up'))
      // SIGTERM: the rootless launcher forwards it (SIGINT reaches the command from the terminal's process group)
      p.kill('SIGTERM')
      expect(await exited).to.equal(0)
      await nothingLeft()
    })

    it('--annotation, --log-driver, --log-opt, --no-hosts and --network reach the pod and its containers', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: flags, annotations: {own: yes-own}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`)
      env.ok(['kube', 'play', '--annotation', 'extra=1', '--log-driver', 'k8s-file', '--log-opt', 'max-size=1mb', '--no-hosts', '--network', 'none', f])
      const c = JSON.parse(env.ok(['inspect', 'flags-c']))[0]
      expect(c.Config.Annotations).to.deep.include({own: 'yes-own', extra: '1'})
      expect(c.HostConfig.LogConfig.Type).to.equal('k8s-file')
      const infra = env.ok(['pod', 'inspect', 'flags', '--format', '{{.InfraContainerID}}']).trim()
      const i = JSON.parse(env.ok(['inspect', infra]))[0]
      expect(i.HostConfig.NetworkMode).to.equal('none')
      expect(env.ok(['pod', 'inspect', 'flags', '--format', '{{.InfraConfig.NoManageHosts}}']).trim()).to.equal('true')
      env.ok(['kube', 'down', f])
      env.ok(['kube', 'play', '--log-driver', 'none', f])
      expect(env.ok(['inspect', 'flags-c', '--format', '{{.HostConfig.LogConfig.Type}}']).trim()).to.equal('none')
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('--ip and --mac-address give the pod its address on the kube network (rootful)', async function () {
      if (mode !== 'root') this.skip()
      env.run(['network', 'create', 'podman-default-kube-network'])
      const subnet = JSON.parse(env.ok(['network', 'inspect', 'podman-default-kube-network']))[0].subnets[0].subnet as string
      const ip = subnet.replace(/\.0\/\d+$/, '.77')
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: addr}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"]}
`)
      env.ok(['kube', 'play', '--ip', ip, '--mac-address', '92:d0:c6:0a:29:33', f])
      const infra = env.ok(['pod', 'inspect', 'addr', '--format', '{{.InfraContainerID}}']).trim()
      const net = JSON.parse(env.ok(['inspect', infra]))[0].NetworkSettings.Networks['podman-default-kube-network']
      expect([net.IPAddress, net.MacAddress]).to.deep.equal([ip, '92:d0:c6:0a:29:33'])
      expect(env.ok(['exec', 'addr-c', 'ip', '-4', 'addr'])).to.include(`inet ${ip}/`)
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('warns about unknown fields; --validate=strict refuses them', async () => {
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"], imagePullPolicyy: Never}
`)
      expectError(env.run(['kube', 'play', '--validate=strict', f]), 125, /strict decoding error: Pod at line 1: unknown field "spec.containers\[0\].imagePullPolicyy"/)
      await nothingLeft()
      const r = env.run(['kube', 'play', f])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.match(/level=warning msg="Pod at line 1: unknown field \\"spec.containers\[0\].imagePullPolicyy\\" \(ignored\)"/)
      env.ok(['kube', 'down', f])
      await nothingLeft()
    })

    it('a failure mid-way (a port taken) undoes the play: pods, containers and the volumes it made; existing volumes stay', async () => {
      const port = await freePort()
      const server = createServer()
      await new Promise<void>(resolve => server.listen(port, '0.0.0.0', resolve))
      try {
        env.ok(['volume', 'create', 'before'])
        const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: first}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"], volumeMounts: [{name: v, mountPath: /v}, {name: b, mountPath: /b}]}
  volumes:
  - {name: v, persistentVolumeClaim: {claimName: made-here}}
  - {name: b, persistentVolumeClaim: {claimName: before}}
---
apiVersion: v1
kind: Pod
metadata: {name: second}
spec:
  containers:
  - {name: c, image: bb, command: ["sleep", "1000"], ports: [{containerPort: 80, hostPort: ${port}}]}
`)
        const r = env.run(['kube', 'play', f])
        expect(r.code, r.stderr).to.equal(125)
        expect(r.stderr).to.match(/Error: .*/)
        await ct.settled()
        expect(ls(path.join(env.root, 'pods'))).to.deep.equal([])
        expect(env.ok(['volume', 'ls', '-q']).trim()).to.equal('before')
      } finally {
        server.close()
      }
    })

    it('generate → down → play back: valid Kubernetes 1.30 objects, the same names and facts', async () => {
      const host = env.file('shared')
      mkdirSync(host, {recursive: true})
      writeFileSync(path.join(host, 'f'), 'from-host\n')
      env.chown(host)
      const port = await freePort()
      const f = yaml(`apiVersion: v1
kind: Pod
metadata: {name: gen, labels: {tier: front}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: web
    image: bb
    command: ["sh", "-c"]
    args: ["echo '$$(NOT_EXPANDED)' $(V); exec sleep 1000"]
    env: [{name: V, value: val}]
    workingDir: /tmp
    ports: [{containerPort: 80, hostPort: ${port}}]
    securityContext: {capabilities: {add: [NET_ADMIN], drop: [MKNOD]}}
    volumeMounts:
    - {name: h, mountPath: /h, readOnly: true}
    - {name: p, mountPath: /p}
  - name: side
    image: bb
    args: ["sleep", "1000"]
  volumes:
  - {name: h, hostPath: {path: ${host}, type: Directory}}
  - {name: p, persistentVolumeClaim: {claimName: gdata}}
`)
      env.ok(['kube', 'play', f])
      const facts = () => {
        const out: Record<string, unknown> = {}
        for (const name of ['gen-web', 'gen-side']) {
          const i = JSON.parse(env.ok(['inspect', name]))[0]
          out[name] = {
            cmd: i.Config.Cmd, ep: i.Config.Entrypoint, wd: i.Config.WorkingDir, env: (i.Config.Env as string[]).filter(e => e.startsWith('V=')),
            labels: i.Config.Labels, caps: [i.HostConfig.CapAdd, i.HostConfig.CapDrop],
            mounts: (i.Mounts as Array<{Type: string; Source: string; Name?: string; Destination: string; RW: boolean}>).map(m => [m.Type, m.Type === 'volume' ? m.Name : m.Source, m.Destination, m.RW]).sort(),
          }
        }
        out.ports = env.ok(['pod', 'inspect', 'gen', '--format', '{{json .InfraConfig.PortBindings}}']).trim()
        return out
      }
      const before = facts()
      const gen = env.file('gen.yaml')
      env.ok(['kube', 'generate', '-f', gen, 'gen'])
      env.chown(gen)
      const {parseAllDocuments} = await import('yaml')
      const {Pod, Service, PersistentVolumeClaim} = await import('kubernetes-models/v1')
      const {Deployment, DaemonSet} = await import('kubernetes-models/apps/v1')
      const {Job} = await import('kubernetes-models/batch/v1')
      const classes: Record<string, new (o: never) => {validate(): void}> = {Pod, Service, PersistentVolumeClaim, Deployment, DaemonSet, Job}
      const validate = (text: string) => parseAllDocuments(text).map(d => {
        const o = d.toJS() as {kind: string}
        new classes[o.kind](o as never).validate()
        return o.kind
      })
      expect(validate(readFileSync(gen, 'utf8'))).to.deep.equal(['Pod'])
      expect(validate(env.ok(['generate', 'kube', '--service', 'gen', 'gdata']))).to.deep.equal(['Pod', 'PersistentVolumeClaim', 'Service'])
      expect(validate(env.ok(['kube', 'generate', '--type', 'deployment', '--replicas', '2', 'gen']))).to.deep.equal(['Deployment'])
      expect(validate(env.ok(['kube', 'generate', '--type', 'job', 'gen']))).to.deep.equal(['Job'])
      expect(validate(env.ok(['kube', 'generate', '--type', 'daemonset', 'gen']))).to.deep.equal(['DaemonSet'])
      expect(await waitLog('gen-web', /val/)).to.equal('$(NOT_EXPANDED) val\n')
      env.ok(['kube', 'down', f])
      env.ok(['kube', 'play', gen])
      expect(facts()).to.deep.equal(before)
      expect(await waitLog('gen-web', /val/)).to.equal('$(NOT_EXPANDED) val\n')
      env.ok(['kube', 'down', '--force', gen])
      await nothingLeft()
    })

    describe('bad input: one line, exit 125, nothing left', () => {
      const hostDir = () => {
        const d = env.file('hostdir')
        mkdirSync(d, {recursive: true})
        return d
      }
      const pod = (containers: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
${containers}
${extra}`
      const cases: Array<[string, () => string, RegExp]> = [
        ['malformed YAML (line and column)', () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: [\n', /^Error: multi doc yaml could not be split: yaml: line \d+, column \d+: /],
        ['a document without kind', () => 'apiVersion: v1\nmetadata: {name: x}\n', /does not contain any supported kube kind/],
        ['an unknown apiVersion', () => 'apiVersion: v2\nkind: Pod\nmetadata: {name: x}\n', /unsupported apiVersion "v2" for kind Pod/],
        ['an invalid name', () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: [{name: a, image: bb}]}\n', /metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/],
        ['a duplicate container name', () => pod('  - {name: a, image: bb}\n  - {name: a, image: bb}'), /spec.containers\[1\].name: Duplicate value: "a"/],
        ['a bad port', () => pod('  - {name: a, image: bb, ports: [{containerPort: 70000}]}'), /containerPort: Invalid value: 70000: must be between 1 and 65535/],
        ['a negative resource', () => pod('  - {name: a, image: bb, resources: {limits: {memory: "-5Mi"}}}'), /resources.limits\[memory\]: Invalid value: "-5Mi": must be greater than or equal to 0/],
        ['a missing ConfigMap', () => pod('  - name: a\n    image: bb\n    env: [{name: X, valueFrom: {configMapKeyRef: {name: nope, key: k}}}]'), /cannot set env X: configmap "nope" not found/],
        ['a missing ConfigMap key', () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n---\n' + pod('  - name: a\n    image: bb\n    env: [{name: X, valueFrom: {configMapKeyRef: {name: cm, key: k}}}]'), /key "k" not found in configmap "cm"/],
        ['a hostPath of the wrong type', () => pod('  - {name: a, image: bb, volumeMounts: [{name: h, mountPath: /h}]}', `  volumes:\n  - {name: h, hostPath: {path: ${hostDir()}, type: File}}`), /error checking path ".*hostdir": path is not a file/],
        ['a missing File hostPath', () => pod('  - {name: a, image: bb, volumeMounts: [{name: h, mountPath: /h}]}', `  volumes:\n  - {name: h, hostPath: {path: /nonexistent/file, type: File}}`), /hostPath "\/nonexistent\/file" of type File does not exist/],
        ['a missing image (pull policy Never)', () => pod('  - {name: a, image: bb}\n  - {name: b, image: nosuch, imagePullPolicy: Never}'), /nosuch: image not known/],
      ]
      for (const [what, text, message] of cases) {
        it(what, async () => {
          expectError(env.run(['kube', 'play', yaml(text())]), 125, message)
          await nothingLeft()
        })
      }
    })
  })
}
