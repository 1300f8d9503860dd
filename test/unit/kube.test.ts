// kube play's planning without a store: YAML parsing (line:col errors, List,
// multi-document), names and ports, $(VAR) and valueFrom, quantities,
// unknown fields, and the typed specs a Pod becomes.
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {InvalidArgument} from '../../src/libpod/define/errors.js'
import {parseKubeYaml} from '../../src/libpod/kube/parse.js'
import {expandVars} from '../../src/libpod/kube/env.js'
import {parseQuantity} from '../../src/libpod/kube/validate.js'
import {unknownFields} from '../../src/libpod/kube/fields.js'
import {collectSources} from '../../src/libpod/kube/sources.js'
import {kubeResources, planPod, podTemplates, KUBE_NETWORK} from '../../src/libpod/kube/to-spec.js'
import {pvcNeeds} from '../../src/libpod/kube/volumes.js'

const plan = (text: string, rootless = false) => {
  const docs = parseKubeYaml(text)
  const pod = docs.find(d => ['Pod', 'Deployment', 'DaemonSet', 'Job'].includes(d.kind))!
  return planPod(pod, podTemplates(pod)[0], collectSources(docs), pvcNeeds(docs), {rootless}, n => `/vols/${n}/_data`, () => 'rand')
}
const fails = (fn: () => unknown, re: RegExp) => {
  expect(fn).to.throw(InvalidArgument, re)
  try {
    fn()
  } catch (e) {
    expect((e as Error).message).to.not.include('\n')
  }
}

describe('kube: parse', () => {
  it('flattens multi-document streams and kind: List, skipping empty documents', () => {
    const docs = parseKubeYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n---\n')
    expect(docs.map(d => d.kind)).to.deep.equal(['Pod', 'ConfigMap', 'Service'])
    expect(docs[1].line).to.equal(5)
  })
  it('names line and column of a YAML error', () => {
    fails(() => parseKubeYaml('kind: Pod\nmetadata: {name: x\nspec: 1\n'), /^multi doc yaml could not be split: yaml: line \d+, column \d+: /)
  })
  it('reads YAML 1.1 as Kubernetes does', () => {
    expect(parseKubeYaml('apiVersion: v1\nkind: ConfigMap\ndata: {a: on}\n')[0].obj.data).to.deep.equal({a: true})
  })
  it('refuses a document without kind and an unknown apiVersion of a known kind', () => {
    fails(() => parseKubeYaml('apiVersion: v1\n'), /does not contain any supported kube kind/)
    fails(() => parseKubeYaml('apiVersion: apps/v2\nkind: Deployment\n'), /unsupported apiVersion "apps\/v2" for kind Deployment/)
  })
})

describe('kube: values', () => {
  it('expands $(VAR) as Kubernetes does', () => {
    expect(expandVars('$(A)-$(B)-$$(A)-$A', {A: 'x'})).to.equal('x-$(B)-$(A)-$A')
  })
  it('parses quantities', () => {
    expect(parseQuantity('128Mi')).to.equal(128 * 2 ** 20)
    expect(parseQuantity('500m')).to.equal(0.5)
    expect(parseQuantity('1G')).to.equal(1e9)
    expect(parseQuantity('1e3')).to.equal(1000)
    expect(parseQuantity(2)).to.equal(2)
    expect(parseQuantity('12 apples')).to.be.NaN
  })
  it('lists unknown fields down to the containers', () => {
    expect(unknownFields('Deployment', {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'd', nmae: 1}, spec: {replica: 2, template: {spec: {containers: [{name: 'a', imagee: 'x'}]}}}}))
      .to.deep.equal(['metadata.nmae', 'spec.replica', 'spec.template.spec.containers[0].imagee'])
  })
})

describe('kube: a Pod as typed specs', () => {
  it('names the pod and containers as Podman does, with Kubernetes command semantics, env and ports on the pod', () => {
    const p = plan(`apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {K: from-cm}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
  annotations: {a: b}
spec:
  restartPolicy: OnFailure
  hostAliases: [{ip: 10.0.0.1, hostnames: [db, cache]}]
  containers:
  - name: srv
    image: bb
    command: [sh, -c]
    args: ["echo $(K) $(NAME)"]
    env:
    - {name: K, valueFrom: {configMapKeyRef: {name: cm, key: K}}}
    - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: L, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
    ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 53, protocol: UDP}]
    securityContext: {runAsUser: 1000, capabilities: {add: [NET_ADMIN]}, allowPrivilegeEscalation: false}
  - name: only-args
    image: bb
    args: [sleep, "1"]
`)
    expect(p.name).to.equal('web')
    expect(p.podSpec).to.deep.include({name: 'web', hostname: 'web', exitPolicy: 'stop', labels: {app: 'web'}})
    expect(p.podSpec.network).to.deep.equal({
      netns: {mode: 'bridge'}, networks: [{name: KUBE_NETWORK}],
      portMappings: [{host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp'}],
      hostAdd: [{host: 'db', ip: '10.0.0.1'}, {host: 'cache', ip: '10.0.0.1'}],
    })
    const [srv, args] = p.containers.map(c => c.spec)
    expect(srv).to.deep.include({name: 'web-srv', image: 'bb', entrypoint: ['sh', '-c'], command: ['echo from-cm web'], user: '1000', capAdd: ['CAP_NET_ADMIN'], restartPolicy: {name: 'on-failure'}})
    expect(srv.env).to.deep.equal({K: 'from-cm', NAME: 'web', L: 'web'})
    expect(srv.security).to.deep.equal({noNewPrivileges: true})
    expect(srv.annotations).to.deep.equal({a: 'b'})
    expect(args.entrypoint).to.equal(undefined)
    expect(args.command).to.deep.equal(['sleep', '1'])
  })

  it('names a Deployment\'s pods <name>-pod-<i>, one per replica (Podman 4.3.1); a Job\'s <name>-pod; rootless pods keep the default network', () => {
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers: [{name: c, image: bb}]\n'
    const p = plan(dep, true)
    expect(p.name).to.equal('d-pod-0')
    expect(p.containers[0].spec.name).to.equal('d-pod-0-c')
    expect(p.podSpec.network).to.deep.equal({})
    expect(podTemplates(parseKubeYaml(dep)[0]).map(t => t.name)).to.deep.equal(['d-pod-0', 'd-pod-1', 'd-pod-2'])
    expect(podTemplates(parseKubeYaml(dep.replace('replicas: 3', 'replicas: 0'))[0])).to.deep.equal([])
    expect(plan(dep.replace('apps/v1\nkind: Deployment', 'batch/v1\nkind: Job')).name).to.equal('d-pod')
  })

  it('plans volumes: PVC with Podman\'s annotations, ConfigMap items, emptyDir, hostPath types, subPath', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-unit-'))
    try {
      writeFileSync(path.join(dir, 'file'), 'x')
      const p = plan(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: claim
  annotations: {volume.podman.io/uid: "10", volume.podman.io/gid: "20", volume.podman.io/mount-options: noexec}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: Pod
metadata: {name: v}
spec:
  containers:
  - name: c
    image: bb
    volumeMounts:
    - {name: p, mountPath: /p, subPath: sub}
    - {name: cm, mountPath: /cm}
    - {name: e, mountPath: /e}
    - {name: m, mountPath: /m}
    - {name: f, mountPath: /f, readOnly: true}
    - {name: nd, mountPath: /n}
  volumes:
  - {name: p, persistentVolumeClaim: {claimName: claim}}
  - {name: cm, configMap: {name: cm, items: [{key: b, path: dir/b, mode: 0600}]}}
  - {name: e, emptyDir: {}}
  - {name: m, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
  - {name: f, hostPath: {path: ${dir}/file, type: File}}
  - {name: nd, hostPath: {path: ${dir}/new, type: DirectoryOrCreate}}
`)
      const byName = Object.fromEntries(p.volumes.volumes.map(v => [v.name, v]))
      expect(byName.claim).to.deep.include({kind: 'pvc', options: ['o=uid=10,gid=20,noexec']})
      expect(byName.cm.files).to.deep.equal([{path: 'dir/b', data: Buffer.from('2'), mode: 0o600}])
      expect(byName.rand.kind).to.equal('emptydir')
      expect(p.volumes.hostPaths).to.deep.equal([{path: `${dir}/new`, create: 'dir'}])
      const spec = p.containers[0].spec
      expect(spec.mounts).to.deep.equal([
        {type: 'bind', source: '/vols/claim/_data/sub', destination: '/p'},
        {type: 'volume', name: 'cm', destination: '/cm'},
        {type: 'volume', name: 'rand', destination: '/e'},
        {type: 'bind', source: `${dir}/file`, destination: '/f', readonly: true},
        {type: 'bind', source: `${dir}/new`, destination: '/n'},
      ])
      expect(spec.tmpfs).to.deep.equal([{type: 'tmpfs', destination: '/m', size: String(64 * 2 ** 20)}])
      expect(p.subPathDirs).to.deep.equal(['/vols/claim/_data/sub'])
      fails(() => plan(`apiVersion: v1\nkind: Pod\nmetadata: {name: v}\nspec:\n  containers: [{name: c, image: bb, volumeMounts: [{name: f, mountPath: /f}]}]\n  volumes: [{name: f, hostPath: {path: ${dir}, type: Socket}}]\n`), /path is not a socket/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('hostNetwork: the host\'s network, no ports published; shareProcessNamespace shares pid', () => {
    const p = plan('apiVersion: v1\nkind: Pod\nmetadata: {name: h}\nspec:\n  hostNetwork: true\n  shareProcessNamespace: true\n  containers: [{name: c, image: bb, ports: [{containerPort: 80, hostPort: 80}]}]\n')
    expect(p.podSpec.network).to.deep.equal({netns: {mode: 'host'}})
    expect(p.podSpec.share).to.deep.equal(['ipc', 'net', 'uts', 'pid'])
  })

  it('refuses bad pods in one line', () => {
    const pod = (c: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${c}\n`
    fails(() => plan(pod('  - {name: a, image: bb, ports: [{containerPort: 80, protocol: HTTP}]}')), /protocol: Unsupported value: "HTTP"/)
    fails(() => plan(pod('  - {name: A, image: bb}')), /name: Invalid value: "A": a lowercase RFC 1123 label/)
    fails(() => plan(pod('  - {name: a}')), /spec.containers\[0\].image: Required value/)
    fails(() => plan(pod('  - {name: a, image: bb, volumeMounts: [{name: nope, mountPath: /x}]}')), /Not found: "nope"/)
    fails(() => plan(pod('  - {name: a, image: bb, env: [{name: X, valueFrom: {secretKeyRef: {name: s, key: k}}}]}')), /cannot set env X: secret "s" not found/)
    expect(plan(pod('  - {name: a, image: bb, env: [{name: X, valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}}]}')).containers[0].spec.env).to.deep.equal({})
    fails(() => plan(pod('  - {name: a, image: bb}\n  restartPolicy: Sometimes')), /restartPolicy: Unsupported value: "Sometimes"/)
  })
})

describe('kube: resources', () => {
  it('maps limits and requests as Podman kube play does', () => {
    expect(kubeResources({name: 'a', resources: {limits: {memory: '64Mi', cpu: '500m'}, requests: {memory: '32Mi', cpu: '250m'}}})).to.deep.equal({
      memory: {limit: 64 * 1024 * 1024, reservation: 32 * 1024 * 1024},
      cpu: {quota: 50000, period: 100000, shares: 256},
    })
    expect(kubeResources({name: 'a', resources: {requests: {cpu: '1m'}}})).to.deep.equal({cpu: {shares: 2}})
    expect(kubeResources({name: 'a'})).to.equal(undefined)
  })
})
