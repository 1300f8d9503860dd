// `pod create`: reserve the name, create the infra container (which holds
// the shared namespaces and the pod's network and ports), write the pod's
// document. On any failure nothing is left behind.
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {NetworkFlags} from '../network/options.js'
import {createContainer, parseKeyValues} from '../container/create.js'
import {removeContainer} from '../container/ops.js'
import {randomName} from '../container/names.js'
import {ensureInfraImage, INFRA_COMMAND} from './infra-image.js'
import {PodStore, podStore} from './store.js'
import {SHAREABLE, type ExitPolicy, type PodConfig, type SharedNamespace} from './types.js'

export interface PodCreateOptions {
  name?: string
  /** Create an infra container (default true). */
  infra?: boolean
  infraImage?: string
  infraCommand?: string[]
  infraName?: string
  /** --network, -p, --dns, --add-host …: the infra container's. */
  net?: NetworkFlags
  /** --share: comma-separated; `+ns` adds to the default. */
  share?: string
  hostname?: string
  labels?: string[]
  exitPolicy?: string
  createCommand?: string[]
}

const DEFAULT_SHARE: SharedNamespace[] = ['ipc', 'net', 'uts']

/** --share as Podman reads it: a list, `+list` (added to the default), or none/''. */
export function parseShare(v: string | undefined): SharedNamespace[] {
  if (v === undefined) return [...DEFAULT_SHARE]
  const add = v.startsWith('+')
  const out = new Set<SharedNamespace>(add ? DEFAULT_SHARE : [])
  for (const ns of (add ? v.slice(1) : v).split(',').map(s => s.trim()).filter(Boolean)) {
    if (ns === 'none') continue
    if (!(SHAREABLE as readonly string[]).includes(ns)) throw new InvalidArgument(`invalid kernel namespace to share: ${ns}. Options are: cgroup, ipc, net, pid, uts or none`)
    out.add(ns as SharedNamespace)
  }
  return SHAREABLE.filter(ns => out.has(ns))
}

function parseExitPolicy(v: string | undefined): ExitPolicy {
  if (v === undefined || v === 'continue') return 'continue'
  if (v === 'stop') return 'stop'
  throw new InvalidArgument(`invalid pod exit policy: "${v}"`)
}

function hasNetworkFlags(n: NetworkFlags | undefined): boolean {
  return Boolean(n && (n.publish?.length || n.network?.some(x => x !== '') || n.dns?.length || n.addHost?.length || n.ip || n.mac))
}

export async function createPod(rt: Runtime, opts: PodCreateOptions): Promise<PodConfig> {
  const withInfra = opts.infra ?? true
  const exitPolicy = parseExitPolicy(opts.exitPolicy)
  const labels = parseKeyValues(opts.labels, 'label')
  let share = parseShare(opts.share)
  if (!withInfra) {
    if (hasNetworkFlags(opts.net)) throw new InvalidArgument('cannot set network options (--network, --publish, --dns, --add-host, --ip, --mac-address) without an infra container: invalid argument')
    if (opts.share !== undefined && share.length) throw new InvalidArgument('you must have an infra container to share namespaces: invalid argument')
    share = []
  }
  const store = podStore(rt)
  const id = PodStore.newId()
  const name = opts.name ?? randomName()
  store.reserveName(name, id)
  let infraId: string | undefined
  try {
    if (withInfra) {
      const image = opts.infraImage ?? await ensureInfraImage(rt)
      const infra = await createContainer(rt, {
        image,
        command: [],
        entrypoint: opts.infraCommand ?? (opts.infraImage ? undefined : INFRA_COMMAND),
        name: opts.infraName ?? `${id.slice(0, 12)}-infra`,
        hostname: share.includes('uts') ? opts.hostname ?? name : opts.hostname,
        net: opts.net,
        infraOf: id,
      })
      infraId = infra.id
    }
    const config: PodConfig = {
      id, name, created: new Date().toISOString(), createCommand: opts.createCommand, labels,
      ...opts.hostname ? {hostname: opts.hostname} : {}, share, exitPolicy, ...infraId ? {infraId} : {},
    }
    store.write(config)
    return config
  } catch (e) {
    if (infraId) await removeContainer(rt, infraId, {force: true}).catch(() => {})
    store.releaseName(name, id)
    throw e
  }
}
