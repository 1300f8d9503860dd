// A pod template's volumes → what the play must make (named volumes from
// PVCs, ConfigMaps, Secrets and emptyDirs; hostPath files and directories)
// and each container's mounts. The hostPath checks run here, before
// anything is made; making happens in play.ts.
import {lstatSync, type Stats} from 'node:fs'
import path from 'node:path'
import type {Container, PodSpec, Volume, KeyToPath} from 'kubernetes-types/core/v1.js'
import {InvalidArgument} from '../define/errors.js'
import type {Mount, TmpfsMount} from '../specgen/mounts.js'
import {lookupConfigMap, lookupSecret, type KeyData, type KubeSources} from './sources.js'
import {parseQuantity} from './validate.js'
import type {KubeDoc} from './parse.js'

/** A named volume the play needs: made when missing (a PVC's is kept by kube down). */
export interface VolumeNeed {
  name: string
  kind: 'pvc' | 'configmap' | 'secret' | 'emptydir'
  labels: Record<string, string>
  /** Driver options as `volume create -o` takes them. */
  options: string[]
  /** Files written into a ConfigMap/Secret volume (relative path, bytes, mode) on every play. */
  files?: Array<{path: string; data: Buffer; mode: number}>
  /** volume.podman.io/import-source: a tarball unpacked into the new volume. */
  importSource?: string
}

/** A hostPath that the play creates (DirectoryOrCreate, FileOrCreate) when missing. */
export interface HostPathNeed {
  path: string
  create: 'dir' | 'file'
}

/** The label that ties an emptyDir volume to its pod (kube down removes them). */
export const EMPTYDIR_LABEL = 'io.peapod.kube.emptydir.pod'
/** The label on the ConfigMap/Secret volumes kube play fills (kube down removes them). */
export const SOURCE_LABEL = 'io.peapod.kube.source'

type Source =
  | {type: 'bind'; path: string; readonly?: boolean}
  | {type: 'volume'; name: string; readonly?: boolean}
  | {type: 'tmpfs'; size?: string}
  | {type: 'image'; reference: string}

export interface VolumePlan {
  sources: Map<string, Source>
  volumes: VolumeNeed[]
  hostPaths: HostPathNeed[]
  /** Images of `image` volumes, pulled with the containers' images. */
  images: Array<{image: string; pullPolicy?: string}>
}

/** Kubernetes' image volume source (1.31; not in the 1.30 types). */
interface ImageVolumeSource {
  reference?: string
  pullPolicy?: string
}

const PVC_ANNOTATION = 'volume.podman.io/'

/** The PersistentVolumeClaims of the file, by name, as volume needs. */
export function pvcNeeds(docs: KubeDoc[]): Map<string, VolumeNeed> {
  const out = new Map<string, VolumeNeed>()
  for (const d of docs) {
    if (d.kind !== 'PersistentVolumeClaim') continue
    const meta = (d.obj.metadata ?? {}) as {name?: string; labels?: Record<string, string>; annotations?: Record<string, string>}
    const name = meta.name ?? ''
    const a = meta.annotations ?? {}
    const driver = a[`${PVC_ANNOTATION}driver`]
    if (driver && driver !== 'local') throw new InvalidArgument(`PersistentVolumeClaim "${name}": volume driver ${JSON.stringify(driver)} is not available (only local)`)
    const o: string[] = []
    if (a[`${PVC_ANNOTATION}uid`] !== undefined) o.push(`uid=${a[`${PVC_ANNOTATION}uid`]}`)
    if (a[`${PVC_ANNOTATION}gid`] !== undefined) o.push(`gid=${a[`${PVC_ANNOTATION}gid`]}`)
    if (a[`${PVC_ANNOTATION}mount-options`]) o.push(a[`${PVC_ANNOTATION}mount-options`])
    for (const k of ['uid', 'gid']) {
      const v = a[`${PVC_ANNOTATION}${k}`]
      if (v !== undefined && !/^\d+$/.test(String(v))) throw new InvalidArgument(`PersistentVolumeClaim "${name}": annotation ${PVC_ANNOTATION}${k}: Invalid value: ${JSON.stringify(v)}: must be a number`)
    }
    const options = [
      ...a[`${PVC_ANNOTATION}type`] ? [`type=${a[`${PVC_ANNOTATION}type`]}`] : [],
      ...a[`${PVC_ANNOTATION}device`] ? [`device=${a[`${PVC_ANNOTATION}device`]}`] : [],
      ...o.length ? [`o=${o.join(',')}`] : [],
    ]
    out.set(name, {name, kind: 'pvc', labels: {...meta.labels}, options, importSource: a[`${PVC_ANNOTATION}import-source`]})
  }
  return out
}

function statOf(p: string): Stats | undefined {
  try {
    return lstatSync(p)
  } catch {
    return undefined
  }
}

/** Kubernetes' hostPath types, checked as Podman checks them. */
function checkHostPath(where: string, v: Volume, out: HostPathNeed[]): string {
  const hp = v.hostPath!
  const p = hp.path
  if (typeof p !== 'string' || !p.startsWith('/')) throw new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: hostPath ${JSON.stringify(p)} must be an absolute path`)
  const type = hp.type ?? ''
  const st = statOf(p)
  const wrong = (what: string) => new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: error checking path ${JSON.stringify(p)}: path is not a ${what}`)
  const missing = () => new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: hostPath ${JSON.stringify(p)} of type ${type || '""'} does not exist`)
  switch (type) {
    case '':
      if (!st) throw missing()
      break
    case 'DirectoryOrCreate':
      if (!st) out.push({path: p, create: 'dir'})
      else if (!st.isDirectory()) throw wrong('directory')
      break
    case 'Directory':
      if (!st) throw missing()
      if (!st.isDirectory()) throw wrong('directory')
      break
    case 'FileOrCreate':
      if (!st) {
        if (!statOf(path.dirname(p))?.isDirectory()) throw new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: cannot create file ${JSON.stringify(p)}: its directory does not exist`)
        out.push({path: p, create: 'file'})
      } else if (!st.isFile()) throw wrong('file')
      break
    case 'File':
      if (!st) throw missing()
      if (!st.isFile()) throw wrong('file')
      break
    case 'Socket':
      if (!st) throw missing()
      if (!st.isSocket()) throw wrong('socket')
      break
    case 'CharDevice':
      if (!st) throw missing()
      if (!st.isCharacterDevice()) throw wrong('character device')
      break
    case 'BlockDevice':
      if (!st) throw missing()
      if (!st.isBlockDevice()) throw wrong('block device')
      break
    default:
      throw new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: hostPath.type: Unsupported value: ${JSON.stringify(type)}: supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"`)
  }
  return p
}

/** The files of a ConfigMap/Secret volume: all keys, or the items asked for. */
function projectedFiles(where: string, what: string, name: string, data: KeyData | undefined, items: KeyToPath[] | undefined, defaultMode: number | undefined, optional: boolean | undefined): VolumeNeed['files'] | undefined {
  if (!data) {
    if (optional) return []
    throw new InvalidArgument(`${where}: ${what} ${JSON.stringify(name)} not found`)
  }
  const mode = defaultMode ?? 0o644
  if (!items?.length) return [...data].map(([k, v]) => ({path: k, data: v, mode}))
  const out: NonNullable<VolumeNeed['files']> = []
  for (const it of items) {
    const v = data.get(it.key)
    if (v === undefined) {
      if (optional) continue
      throw new InvalidArgument(`${where}: key ${JSON.stringify(it.key)} not found in ${what} ${JSON.stringify(name)}`)
    }
    if (!it.path || it.path.startsWith('/') || it.path.split('/').includes('..')) throw new InvalidArgument(`${where}: ${what} ${JSON.stringify(name)} item ${JSON.stringify(it.key)}: Invalid value: path ${JSON.stringify(it.path)} must be relative, without '..'`)
    out.push({path: it.path, data: v, mode: it.mode ?? mode})
  }
  return out
}

/** Plans the pod's volumes: checks hostPaths and sources, lists what to make. */
export function planVolumes(where: string, podName: string, spec: PodSpec, sources: KubeSources, pvcs: Map<string, VolumeNeed>, randomName: () => string): VolumePlan {
  const plan: VolumePlan = {sources: new Map(), volumes: [], hostPaths: [], images: []}
  const used = new Set([...spec.initContainers ?? [], ...spec.containers].flatMap(c => (c.volumeMounts ?? []).map(m => m.name)))
  for (const v of spec.volumes ?? []) {
    if (!used.has(v.name)) continue
    if (v.hostPath) {
      plan.sources.set(v.name, {type: 'bind', path: checkHostPath(where, v, plan.hostPaths)})
    } else if (v.persistentVolumeClaim) {
      const claim = v.persistentVolumeClaim.claimName
      const need = pvcs.get(claim) ?? {name: claim, kind: 'pvc' as const, labels: {}, options: []}
      plan.volumes.push(need)
      plan.sources.set(v.name, {type: 'volume', name: claim, readonly: v.persistentVolumeClaim.readOnly})
    } else if (v.configMap) {
      const name = v.configMap.name ?? ''
      const files = projectedFiles(where, 'configmap', name, lookupConfigMap(sources, name), v.configMap.items, v.configMap.defaultMode, v.configMap.optional)
      plan.volumes.push({name, kind: 'configmap', labels: {}, options: [], files})
      // writable unless readOnly, as Podman 4.3.1 mounts it (Kubernetes mounts it read-only; play rewrites its files each time)
      plan.sources.set(v.name, {type: 'volume', name})
    } else if (v.secret) {
      const name = v.secret.secretName ?? ''
      const files = projectedFiles(where, 'secret', name, lookupSecret(sources, name), v.secret.items, v.secret.defaultMode, v.secret.optional)
      plan.volumes.push({name, kind: 'secret', labels: {}, options: [], files})
      plan.sources.set(v.name, {type: 'volume', name, readonly: true})
    } else if (v.emptyDir) {
      if (v.emptyDir.medium === 'Memory') {
        const size = v.emptyDir.sizeLimit !== undefined ? String(Math.floor(parseQuantity(v.emptyDir.sizeLimit))) : undefined
        plan.sources.set(v.name, {type: 'tmpfs', size})
      } else {
        const name = randomName()
        plan.volumes.push({name, kind: 'emptydir', labels: {[EMPTYDIR_LABEL]: podName}, options: []})
        plan.sources.set(v.name, {type: 'volume', name})
      }
    } else if ((v as {image?: ImageVolumeSource}).image) {
      const img = (v as {image?: ImageVolumeSource}).image!
      if (typeof img.reference !== 'string' || !img.reference) throw new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: image.reference: Required value`)
      plan.images.push({image: img.reference, pullPolicy: img.pullPolicy})
      plan.sources.set(v.name, {type: 'image', reference: img.reference})
    } else {
      const kind = Object.keys(v).find(k => k !== 'name') ?? 'none'
      throw new InvalidArgument(`${where}: volume ${JSON.stringify(v.name)}: volume type ${kind} is not supported (hostPath, emptyDir, configMap, secret, persistentVolumeClaim, image)`)
    }
  }
  return plan
}

/**
 * A container's mounts from its volumeMounts; a subPath of a named volume
 * binds that directory of the volume. subPathDirs: made when missing.
 */
export function containerMounts(plan: VolumePlan, c: Container, volumeDir: (name: string) => string): {mounts: Mount[]; tmpfs: TmpfsMount[]; subPathDirs: string[]} {
  const mounts: Mount[] = []
  const tmpfs: TmpfsMount[] = []
  const subPathDirs: string[] = []
  for (const m of c.volumeMounts ?? []) {
    const s = plan.sources.get(m.name)!
    const readonly = m.readOnly || ('readonly' in s && s.readonly) || undefined
    if (s.type === 'image') {
      // An image's rootfs, read-only (Kubernetes: image volumes are always read-only).
      if (m.subPath) throw new InvalidArgument(`container ${JSON.stringify(c.name)}: volumeMounts ${JSON.stringify(m.name)}: subPath of an image volume is not supported`)
      mounts.push({type: 'image', source: s.reference, destination: m.mountPath})
    } else if (s.type === 'tmpfs') {
      tmpfs.push({type: 'tmpfs', destination: m.mountPath, ...s.size ? {size: s.size} : {}, ...readonly ? {readonly} : {}})
    } else if (s.type === 'bind') {
      if (m.subPath) subPathDirs.push(path.join(s.path, m.subPath))
      mounts.push({type: 'bind', source: m.subPath ? path.join(s.path, m.subPath) : s.path, destination: m.mountPath, ...readonly ? {readonly} : {}})
    } else if (m.subPath) {
      const dir = path.join(volumeDir(s.name), m.subPath)
      subPathDirs.push(dir)
      mounts.push({type: 'bind', source: dir, destination: m.mountPath, ...readonly ? {readonly} : {}})
    } else {
      mounts.push({type: 'volume', name: s.name, destination: m.mountPath, ...readonly ? {readonly} : {}})
    }
  }
  return {mounts, tmpfs, subPathDirs}
}
