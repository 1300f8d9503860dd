// `create`: resolve the image, reserve name and ID, prepare the rootfs and
// write the container's documents. Nothing runs yet.
import {existsSync} from 'node:fs'
import {InvalidArgument, NoSuchImage} from '../errors.js'
import {parseTmpfsSpec, parseVolumeSpec} from '../spec/index.js'
import type {Runtime} from '../runtime.js'
import {createRootfs} from '../storage/mount.js'
import {randomName} from './names.js'
import {ContainerStore} from './store.js'
import type {ContainerConfig, MountSpec} from './types.js'

/** -v host binds; named and anonymous volumes arrive with the volumes work. */
function parseBinds(volumes: string[]): MountSpec[] {
  return volumes.map(v => {
    const spec = parseVolumeSpec(v)
    if (spec.kind !== 'bind') throw new InvalidArgument(`${v}: named and anonymous volumes are not supported yet`)
    if (!existsSync(spec.source)) throw new InvalidArgument(`statfs ${spec.source}: no such file or directory`)
    return {type: 'bind', source: spec.source, destination: spec.destination, options: spec.options}
  })
}

export interface CreateOptions {
  image: string
  command: string[]
  name?: string
  entrypoint?: string[]
  env?: string[]
  envFiles?: string[]
  envHost?: boolean
  workdir?: string
  user?: string
  hostname?: string
  labels?: string[]
  annotations?: string[]
  tty?: boolean
  interactive?: boolean
  remove?: boolean
  readOnly?: boolean
  privileged?: boolean
  init?: boolean
  capAdd?: string[]
  capDrop?: string[]
  securityOpt?: string[]
  /** -v values, parsed and checked here. */
  volumes?: string[]
  tmpfs?: string[]
  ulimits?: string[]
  network?: string
  stopSignal?: string
  stopTimeout?: number
  logDriver?: string
  logOptions?: string[]
  sigProxy?: boolean
}

export function parseKeyValues(list: string[] = [], what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    const k = eq === -1 ? item : item.slice(0, eq)
    if (!k) throw new InvalidArgument(`invalid ${what} "${item}": must be key=value`)
    out[k] = eq === -1 ? '' : item.slice(eq + 1)
  }
  return out
}

const NETWORKS = /^(none|host|private|bridge|slirp4netns(:.*)?|pasta(:.*)?|ns:\/.+|container:.+)$/

export async function createContainer(rt: Runtime, opts: CreateOptions): Promise<ContainerConfig> {
  const image = rt.lookupImage(opts.image)
  const mounts = parseBinds(opts.volumes ?? [])
  for (const t of opts.tmpfs ?? []) parseTmpfsSpec(t)
  const network = opts.network ?? 'none'
  if (!NETWORKS.test(network)) throw new InvalidArgument(`network "${network}" not found: unable to find network with name or ID ${network}: network not found`)
  const logDriver = opts.logDriver ?? 'k8s-file'
  if (!['k8s-file', 'none', 'passthrough', 'journald'].includes(logDriver)) throw new InvalidArgument(`invalid log driver: ${logDriver}`)
  const id = ContainerStore.newId()
  const name = opts.name ?? randomName()
  const config: ContainerConfig = {
    id,
    name,
    imageId: image.id,
    imageName: image.names.includes(opts.image) ? opts.image : (image.names.find(n => n.endsWith('/' + opts.image) || n.endsWith('/' + opts.image + ':latest')) ?? image.names[0] ?? image.id),
    created: new Date().toISOString(),
    command: opts.command,
    entrypoint: opts.entrypoint,
    env: opts.env ?? [],
    envFiles: opts.envFiles ?? [],
    envHost: opts.envHost ?? false,
    workdir: opts.workdir,
    user: opts.user,
    hostname: opts.hostname,
    labels: parseKeyValues(opts.labels, 'label'),
    annotations: parseKeyValues(opts.annotations, 'annotation'),
    tty: opts.tty ?? false,
    interactive: opts.interactive ?? false,
    remove: opts.remove ?? false,
    readOnly: opts.readOnly ?? false,
    privileged: opts.privileged ?? false,
    init: opts.init ?? false,
    capAdd: opts.capAdd ?? [],
    capDrop: opts.capDrop ?? [],
    securityOpt: opts.securityOpt ?? [],
    mounts,
    tmpfs: opts.tmpfs ?? [],
    ulimits: opts.ulimits ?? [],
    network,
    stopSignal: opts.stopSignal ?? 'SIGTERM',
    stopTimeout: opts.stopTimeout ?? 10,
    logDriver,
    logOptions: parseKeyValues(opts.logOptions, 'log option'),
    runtime: rt.config.runtime,
    sigProxy: opts.sigProxy ?? true,
    storageDriver: rt.store.driver.name,
  }
  const store = rt.containers
  // Under the store lock so that `rmi` sees the container as a user of its image.
  await rt.store.locked(() => {
    if (!rt.store.images.exists(image.id)) throw new NoSuchImage(`${opts.image}: image not known`)
    store.reserveName(name, id)
    try {
      createRootfs(rt.store, store.containerDir(id), image.layers)
      store.create(config, {status: 'created', restartCount: 0})
    } catch (e) {
      store.remove(config)
      throw e
    }
  })
  return config
}
