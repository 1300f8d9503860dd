// The same Kubernetes YAML played by Podman 4.3.1 and by peapod (root, each
// with its own store, --start=false): the pods, containers, mounts, env,
// ports, restart policies and the other facts inspect shows must match.
// Skipped where Podman is not installed. Podman's store uses vfs and runc;
// both get the busybox fixture as localhost/bb.
// Left out on purpose, where peapod follows Kubernetes (as the issue asks)
// and Podman 4.3.1 does not: lifecycle.stopSignal (StopSignal),
// terminationGracePeriodSeconds (StopTimeout) and stdin (OpenStdin), which
// 4.3.1 ignores; `$(VAR)` in env and args, which 4.3.1 leaves as is;
// envFrom's prefix, which 4.3.1 drops; requests.cpu → CpuShares, which
// 4.3.1 ignores; an emptyDir is a volume of its own per pod (4.3.1 names it
// after the Kubernetes volume, shared by every pod with that name, and kube
// down leaves it): its name is compared as <emptyDir>. The YAML below avoids
// the first four; the emptyDir is there.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, unavailable} from './helpers.js'
import {busyboxTar} from './fixtures.js'

type Obj = Record<string, any>

const podmanAvailable = () => spawnSync('podman', ['--version']).status === 0

/** The facts of a container that kube play decides (what both engines must agree on). */
export function containerFacts(c: Obj, hostDirs: Record<string, string>, emptyDirs: string[], baseCapDrop: string[] = []): Obj {
  const mounts = (c.Mounts as Obj[]).map(m => ({
    Type: m.Type,
    // named volumes: the name when kube play names it (claims, ConfigMaps), else only that it is a volume
    Source: m.Type === 'bind' ? Object.entries(hostDirs).reduce((s, [k, v]) => s.replace(v, k), m.Source) : emptyDirs.includes(m.Destination) ? '<emptyDir>' : m.Name,
    Destination: m.Destination,
    RW: m.RW,
  })).sort((a, b) => a.Destination.localeCompare(b.Destination))
  const env = (c.Config.Env as string[]).filter(e => !/^(HOSTNAME|container|TERM|HOME|PATH)=/.test(e)).sort()
  const hc = c.HostConfig
  return {
    Name: c.Name,
    Cmd: c.Config.Cmd,
    Entrypoint: c.Config.Entrypoint,
    WorkingDir: c.Config.WorkingDir,
    User: c.Config.User,
    Labels: c.Config.Labels,
    Tty: c.Config.Tty,
    Env: env,
    Mounts: mounts,
    RestartPolicy: hc.RestartPolicy,
    Memory: hc.Memory,
    MemoryReservation: hc.MemoryReservation,
    CpuQuota: hc.CpuQuota,
    CpuPeriod: hc.CpuPeriod,
    CapAdd: [...hc.CapAdd ?? []].sort(),
    // what kube play drops beyond a plain `create` (Podman lists drops from its built-in set, not containers.conf's)
    CapDrop: [...hc.CapDrop ?? []].filter(x => !baseCapDrop.includes(x)).sort(),
    Privileged: hc.Privileged,
    ReadonlyRootfs: hc.ReadonlyRootfs,
    GroupAdd: hc.GroupAdd,
    PortBindings: hc.PortBindings,
    NetworkMode: String(hc.NetworkMode).replace(/^container:.*/, 'container:<infra>'),
    IpcMode: String(hc.IpcMode).replace(/^container:.*/, 'container:<infra>'),
    UTSMode: String(hc.UTSMode).replace(/^container:.*/, 'container:<infra>'),
    Tmpfs: hc.Tmpfs,
  }
}

export function podFacts(p: Obj): Obj {
  const ic = p.InfraConfig ?? {}
  return {
    Name: p.Name,
    Hostname: p.Hostname,
    Labels: p.Labels ?? {}, // Podman omits an empty map (omitempty) when kube play gives none
    ExitPolicy: p.ExitPolicy,
    SharedNamespaces: [...p.SharedNamespaces ?? []].sort(),
    PortBindings: ic.PortBindings,
    HostNetwork: ic.HostNetwork,
    DNSServer: ic.DNSServer,
    DNSSearch: ic.DNSSearch,
    DNSOption: ic.DNSOption,
    HostAdd: ic.HostAdd,
    Networks: ic.Networks,
    Containers: (p.Containers as Obj[]).map(c => String(c.Name).replace(/^[0-9a-f]{12}-infra$/, '<infra>')).sort(),
  }
}

describe('kube play: the same YAML as Podman 4.3.1 (root)', function () {
  this.timeout(180000)
  let env: Env
  let pm: string[]
  const files: Record<string, string> = {}
  const baseCapDrop: Record<string, string[]> = {}

  before(function () {
    if (unavailable('root') || !podmanAvailable()) this.skip()
    env = new Env('root')
    env.ok(['import', busyboxTar(), 'localhost/bb'])
    pm = ['--root', env.file('podman-root'), '--runroot', env.file('podman-run'), '--storage-driver', 'vfs', '--runtime', 'runc', '--cgroup-manager', 'cgroupfs']
    execFileSync('podman', [...pm, 'import', busyboxTar(), 'localhost/bb'], {stdio: 'ignore'})
    // a plain container of each engine: the base its kube play containers are compared from
    const base = (run: (a: string[]) => string): string[] => {
      run(['create', '--name', 'base', 'localhost/bb', 'true'])
      const caps = (JSON.parse(run(['container', 'inspect', 'base'])) as Obj[])[0].HostConfig.CapDrop as string[] ?? []
      run(['rm', 'base'])
      return caps
    }
    baseCapDrop.podman = base(a => execFileSync('podman', [...pm, ...a], {encoding: 'utf8'}))
    baseCapDrop.peapod = base(a => env.ok(a))
  })
  after(() => {
    if (!env) return
    spawnSync('podman', [...pm, 'pod', 'rm', '-af'], {stdio: 'ignore'})
    spawnSync('podman', [...pm, 'rm', '-af', '-t', '0'], {stdio: 'ignore'})
    spawnSync('podman', [...pm, 'volume', 'rm', '-af'], {stdio: 'ignore'})
    spawnSync('podman', [...pm, 'rmi', '-af'], {stdio: 'ignore'})
    env.run(['pod', 'rm', '-a', '-f', '-t', '0'])
    env.cleanup()
  })

  const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x))

  /** Every differing fact, as `pod|container NAME FIELD: podman … peapod …` lines (none: the same). */
  function same({podman, peapod}: {podman: Obj; peapod: Obj}): void {
    const diffs: string[] = []
    for (const kind of ['pods', 'containers']) {
      const names = new Set([...Object.keys(podman[kind]), ...Object.keys(peapod[kind])])
      for (const n of names) {
        const a = podman[kind][n]
        const b = peapod[kind][n]
        if (!a || !b) {
          diffs.push(`${kind} ${n}: ${a ? 'missing in peapod' : 'not made by podman'}`)
          continue
        }
        for (const k of Object.keys(a)) {
          if (canon(a[k]) !== canon(b[k])) diffs.push(`${kind} ${n} ${k}: podman ${JSON.stringify(a[k])} peapod ${JSON.stringify(b[k])}`)
        }
      }
    }
    expect(diffs.join('\n')).to.equal('')
  }

  /** Plays the YAML in both (not started) and returns the facts of each engine. */
  function playBoth(name: string, text: string, hostDirs: Record<string, string>, emptyDirs: string[] = []): {podman: Obj; peapod: Obj} {
    const f = env.file(`${name}.yaml`)
    writeFileSync(f, text)
    files[name] = f
    const podman = (args: string[]) => execFileSync('podman', [...pm, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    podman(['kube', 'play', '--start=false', f])
    env.ok(['kube', 'play', '--start=false', f])
    const facts = (run: (a: string[]) => string, engine: string): Obj => {
      const pods = run(['pod', 'ps', '-q', '--no-trunc']).trim().split('\n').filter(Boolean)
      const out: Obj = {pods: {}, containers: {}}
      for (const id of pods) {
        const p = JSON.parse(run(['pod', 'inspect', id])) as Obj
        out.pods[p.Name] = podFacts(p)
        for (const c of p.Containers as Obj[]) {
          if (/-infra$/.test(c.Name)) continue
          const ci = (JSON.parse(run(['container', 'inspect', c.Id])) as Obj[])[0]
          out.containers[ci.Name] = containerFacts(ci, hostDirs, emptyDirs, baseCapDrop[engine])
        }
      }
      return out
    }
    const result = {podman: facts(podman, 'podman'), peapod: facts(a => env.ok(a), 'peapod')}
    podman(['kube', 'down', f])
    env.ok(['kube', 'down', f])
    spawnSync('podman', [...pm, 'volume', 'rm', '-af'], {stdio: 'ignore'})
    env.run(['volume', 'prune', '-f'])
    return result
  }

  it('a pod with ConfigMap env and volumes, hostPaths, emptyDir, a claim, ports, resources and a security context', function () {
    const host = env.file('host')
    mkdirSync(path.join(host, 'data'), {recursive: true})
    writeFileSync(path.join(host, 'file.txt'), 'x')
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {MODE: prod, LEVEL: "3"}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim1}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: {app: demo, tier: web}
spec:
  restartPolicy: OnFailure
  hostname: apphost
  terminationGracePeriodSeconds: 5
  hostAliases:
  - {ip: 10.1.2.3, hostnames: [db.local, cache.local]}
  dnsConfig:
    nameservers: [10.0.0.53]
    searches: [example.com]
    options: [{name: ndots, value: "2"}]
  containers:
  - name: web
    image: localhost/bb
    command: [/bin/httpd]
    args: [-f, -p, "8080", -h, /srv]
    workingDir: /srv
    env:
    - {name: ROOT, value: /srv}
    - {name: GREETING, value: "hi there"}
    - name: MODE
      valueFrom: {configMapKeyRef: {name: cfg, key: MODE}}
    envFrom:
    - configMapRef: {name: cfg}
    ports:
    - {containerPort: 8080, hostPort: 18080}
    - {containerPort: 5353, hostPort: 15353, protocol: UDP}
    resources:
      limits: {memory: 64Mi, cpu: 500m}
      requests: {memory: 32Mi}
    securityContext:
      runAsUser: 1000
      runAsGroup: 1000
      readOnlyRootFilesystem: true
      capabilities: {add: [NET_ADMIN], drop: [CHOWN]}
    volumeMounts:
    - {name: data, mountPath: /data}
    - {name: file, mountPath: /etc/app.txt, readOnly: true}
    - {name: scratch, mountPath: /scratch}
    - {name: claim, mountPath: /claim}
    - {name: config, mountPath: /config}
  - name: sidecar
    image: localhost/bb
    command: [/bin/sleep, "1000"]
    stdin: true
    tty: true
    lifecycle: {stopSignal: SIGINT}
    volumeMounts:
    - {name: claim, mountPath: /shared, readOnly: true}
  volumes:
  - {name: data, hostPath: {path: ${host}/data, type: Directory}}
  - {name: file, hostPath: {path: ${host}/file.txt, type: File}}
  - {name: scratch, emptyDir: {}}
  - {name: claim, persistentVolumeClaim: {claimName: claim1}}
  - {name: config, configMap: {name: cfg}}
`
    same(playBoth('app', text, {'<host>': host}, ['/scratch']))
  })

  it('a Deployment (restartPolicy Always, replicas) and a Pod with restartPolicy Never', function () {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: dep, labels: {app: dep}}
spec:
  replicas: 2
  selector: {matchLabels: {app: dep}}
  template:
    metadata: {labels: {app: dep}, annotations: {note: kept}}
    spec:
      containers:
      - {name: main, image: localhost/bb, command: [/bin/sleep], args: ["1000"]}
---
apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  containers:
  - {name: job, image: localhost/bb, args: [/bin/true]}
`
    same(playBoth('dep', text, {}))
  })
})
