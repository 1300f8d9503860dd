// `system check` (Podman 5's): an audit of the store for what a command
// killed mid-way, or a hand, can leave behind; with repair it fixes what it
// can. Every other command copes without it: a killed rm is finished by the
// next rm, an abandoned name is taken over, a dead monitor is noticed by ps.
// sweepAbandoned() is the cheap part that `rm -a` and `pod rm -a` run.
import {existsSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {monitorAlive} from '../container/liveness.js'
import {removeContainer, syncContainer} from '../container/ops.js'
import {isActive} from '../define/state.js'
import {pidAlive} from '../util/liveness.js'
import {lockAbandoned, sweepDeadLocks} from '../state/lock.js'
import {sweepDeadTemps} from '../state/atomic.js'
import {removePod} from './pods.js'
import {inNamespace} from '../container/sync.js'
import {teardownOrphanStates} from '../network/index.js'

export interface CheckFinding {
  /** What is wrong, in a few words (orphaned layer, dangling name reservation, ...). */
  kind: string
  /** The layer, container, pod, volume, name or file concerned. */
  id: string
  detail?: string
  /** Set once --repair fixed it. */
  repaired?: boolean
}

export interface CheckOptions {
  repair?: boolean
  /** Repair also what loses data: containers whose layers are gone are removed. */
  force?: boolean
}

/** A lock is refreshed every 2.5 s while held (state/lock.ts): one untouched for longer is stale. */
const LOCK_STALE_MS = 10_000
const LOCK_DIRS = ['container-locks', 'pod-locks', 'volume-locks', 'network-locks']

function stale(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms
  } catch {
    return false
  }
}

/**
 * Releases what commands killed mid-way left and nobody else will: name
 * reservations of dead creators, container directories without a document
 * (under the store lock, where creates and removes write them), pod
 * directories of dead creates and removes.
 */
export async function sweepAbandoned(rt: Runtime): Promise<string[]> {
  const out: string[] = []
  await rt.store.locked(() => {
    out.push(...rt.containers.danglingNames(true))
    for (const id of rt.containers.orphanDirs()) {
      rmSync(rt.containers.containerDir(id), {recursive: true, force: true})
      out.push(id)
    }
  })
  out.push(...rt.pods.danglingNames(true), ...rt.pods.sweepDirs(), ...rt.volumes.sweepGone())
  for (const d of LOCK_DIRS) out.push(...sweepDeadLocks(path.join(rt.config.graphRoot, d)))
  // the store-wide network locks, which no later command may take (no network command follows)
  for (const d of [path.join(rt.config.graphRoot, 'networks'), path.join(rt.config.runRoot, 'networks')]) out.push(...sweepDeadLocks(d))
  // temp files of atomic writes whose writer was killed, where documents outlive their writers
  // (name reservations' are swept with the names above; layers/ holds the tar-split files of layers whose writer was killed)
  for (const d of ['', 'images', 'layers', 'networks', 'volumes']) sweepDeadTemps(path.join(rt.config.graphRoot, d))
  for (const d of ['', 'networks', 'networks/containers']) sweepDeadTemps(path.join(rt.config.runRoot, d))
  // network states a failed teardown kept (its container removed since): torn down again
  if (inNamespace(rt)) out.push(...(await teardownOrphanStates(rt)).filter(o => o.repaired).map(o => o.id))
  return out
}

export async function systemCheck(rt: Runtime, opts: CheckOptions = {}): Promise<CheckFinding[]> {
  const found: CheckFinding[] = []
  const add = (f: CheckFinding) => found.push(f)
  const repair = opts.repair ?? false
  const graph = rt.config.graphRoot

  await rt.store.locked(() => {
    // Layers no image uses (a pull, load or rmi killed between its steps).
    const used = new Set(rt.store.images.list().flatMap(i => i.layers))
    const docs = new Map(rt.store.layers.list().map(l => [l.id, l]))
    for (const id of [...used]) {
      for (let p = docs.get(id)?.parent; p && !used.has(p); p = docs.get(p)?.parent) used.add(p)
    }
    for (const l of [...docs.values()].reverse()) {
      if (used.has(l.id)) continue
      add({kind: 'orphaned layer', id: l.id, repaired: repair})
      if (repair) rt.store.layers.remove(l.id)
    }
    const tmp = path.join(graph, 'tmp')
    if (existsSync(tmp)) {
      for (const f of readdirSync(tmp)) {
        const m = /-(\d+)-/.exec(f)
        if (!m || pidAlive(Number(m[1]))) continue
        add({kind: 'stale temporary file', id: path.join(tmp, f), repaired: repair})
        if (repair) rmSync(path.join(tmp, f), {recursive: true, force: true})
      }
    }
    for (const name of rt.containers.danglingNames(repair)) add({kind: 'dangling container name reservation', id: name, repaired: repair})
    // Volumes are created under the store lock: a directory without its document is a killed create's.
    if (existsSync(rt.volumes.dir)) {
      for (const name of readdirSync(rt.volumes.dir)) {
        if (rt.volumes.read(name) || /^\.gone-\d+-/.test(name)) continue
        add({kind: 'volume directory without a document', id: name, repaired: repair})
        if (repair) rmSync(rt.volumes.volumeDir(name), {recursive: true, force: true})
      }
    }
    // Volumes are created under the store lock: a directory without its document is a killed create's.
    if (existsSync(rt.volumes.dir)) {
      for (const name of readdirSync(rt.volumes.dir)) {
        if (rt.volumes.read(name) || /^\.gone-\d+-/.test(name)) continue
        add({kind: 'volume directory without a document', id: name, repaired: repair})
        if (repair) rmSync(rt.volumes.volumeDir(name), {recursive: true, force: true})
      }
    }
    for (const id of rt.containers.orphanDirs()) {
      add({kind: 'container directory without a document', id, repaired: repair})
      if (repair) rmSync(rt.containers.containerDir(id), {recursive: true, force: true})
    }
  })
  for (const name of rt.pods.danglingNames(repair)) add({kind: 'dangling pod name reservation', id: name, repaired: repair})
  for (const f of rt.pods.orphanDirs()) add({kind: 'pod directory without a document', id: f, repaired: repair})
  if (repair) rt.pods.sweepDirs()

  // Locks whose holder was killed: every command takes them over once stale, the check reports them.
  for (const dir of [graph, ...LOCK_DIRS.map(d => path.join(graph, d))]) {
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir)) {
      const file = path.join(dir, f)
      if (!f.endsWith('.lock') || !(stale(file, LOCK_STALE_MS) || lockAbandoned(file))) continue
      add({kind: 'stale lock', id: file, repaired: repair})
      if (repair) rmSync(file, {recursive: true, force: true})
    }
  }

  const images = new Set(rt.store.images.list().map(i => i.id))
  for (const c of rt.containers.list()) {
    const id = c.config.id
    if (rt.containers.removalAbandoned(c)) {
      add({kind: 'container left removing by a killed rm', id, repaired: repair})
      if (repair) await syncContainer(rt, c)
      continue
    }
    if (isActive(c.state.status) && !monitorAlive(c)) {
      add({kind: 'container marked running with no monitor', id, repaired: repair})
      if (repair) await syncContainer(rt, c)
    }
    const missing = c.config.rootfs ? [] : images.has(c.config.imageId)
      ? rt.store.images.get(c.config.imageId).layers.filter(l => !rt.store.layers.exists(l))
      : [`image ${c.config.imageId}`]
    const rootfs = path.join(rt.containers.containerDir(id), 'rootfs')
    if (missing.length || !existsSync(rootfs)) {
      const fix = repair && (opts.force ?? false)
      add({kind: 'container whose layer is gone', id, detail: missing.length ? `missing ${missing.join(', ')}` : 'no rootfs', repaired: fix})
      if (fix) await removeContainer(rt, id, {force: true, timeout: 0}).catch(() => {})
    }
    if (c.config.isInfra && c.config.pod && !rt.pods.read(c.config.pod)) {
      add({kind: 'infra container of a pod that is gone', id, repaired: repair})
      if (repair) await removeContainer(rt, id, {force: true, timeout: 0}).catch(() => {})
    }
  }

  for (const pod of rt.pods.list()) {
    if (!pod.infraId || rt.containers.exists(pod.infraId)) continue
    add({kind: 'pod with missing infra container', id: pod.id, repaired: repair})
    if (repair) await removePod(rt, pod.id, {force: true, timeout: 0}).catch(() => {})
  }

  const fixNet = repair && inNamespace(rt)
  for (const o of await teardownOrphanStates(rt, fixNet)) add({kind: 'network set up for a container that is gone', id: o.id, repaired: o.repaired})

  for (const f of repair ? rt.volumes.sweepGone() : []) add({kind: 'volume directory of a killed rm', id: f, repaired: true})
  for (const v of rt.volumes.list()) {
    const data = rt.volumes.dataDir(v.name)
    if (existsSync(data)) continue
    add({kind: 'volume whose directory is missing', id: v.name, repaired: repair})
    if (repair) mkdirSync(data, {recursive: true, mode: 0o755})
  }
  return found
}
