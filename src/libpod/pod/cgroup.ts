// A pod's cgroup (Podman's cgroupfs manager): /libpod_parent/POD-ID (or
// under --cgroup-parent), made at `pod create` with the pod's limits written
// into each cgroup v1 hierarchy, so they bound all its containers together;
// the members' cgroups go below it. Removed with the pod.
import {existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {DEFAULT_CGROUP_PARENT} from '../define/cgroup.js'
import {RuntimeFailure} from '../define/errors.js'
import type {ResourceLimits} from '../specgen/resources.js'
import type {PodConfig} from './types.js'

const ROOT = '/sys/fs/cgroup'

/** The pod's cgroup path; none rootless on cgroup v1 (the runtime could not make the members' under it). */
export function podCgroupPath(id: string, parent: string | undefined, o: {rootless: boolean; v2: boolean}): string | undefined {
  if (o.rootless && !o.v2) return undefined
  return `${parent ?? DEFAULT_CGROUP_PARENT}/${id}`
}

/** The v1 hierarchies (cpu, memory, name=systemd …) mounted under /sys/fs/cgroup; with the hybrid's unified one when asked. */
function hierarchies(unified = false): string[] {
  return readdirSync(ROOT).filter(d => (unified || d !== 'unified') && existsSync(`${ROOT}/${d}/cgroup.procs`))
}

/** mkdir -p of the cgroup in a hierarchy; cpuset's new levels take their parent's cpus and mems (else no task may join). */
function makeIn(ctl: string, cg: string): string {
  const parts = cg.split('/').filter(Boolean)
  let dir = `${ROOT}/${ctl}`
  for (const p of parts) {
    const next = `${dir}/${p}`
    if (!existsSync(next)) {
      mkdirSync(next)
      if (ctl === 'cpuset') for (const f of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(`${next}/${f}`, readFileSync(`${dir}/${f}`, 'utf8'))
    }
    dir = next
  }
  return dir
}

function set(dir: string, file: string, value: string | number | undefined): void {
  if (value === undefined) return
  try {
    writeFileSync(`${dir}/${file}`, String(value))
  } catch (e) {
    throw new RuntimeFailure(`setting cgroup ${file} of ${dir}: ${(e as Error).message}`)
  }
}

/** Makes the pod's cgroup (cgroup v1) and writes its limits. */
export function createPodCgroup(cg: string, l: ResourceLimits | undefined): void {
  for (const ctl of hierarchies()) {
    const dir = makeIn(ctl, cg)
    if (ctl === 'memory' && l?.memory) {
      set(dir, 'memory.limit_in_bytes', l.memory.limit)
      if (existsSync(`${dir}/memory.memsw.limit_in_bytes`)) set(dir, 'memory.memsw.limit_in_bytes', l.memory.swap)
    }
    if (ctl.split(',').includes('cpu') && l?.cpu) {
      set(dir, 'cpu.shares', l.cpu.shares)
      set(dir, 'cpu.cfs_period_us', l.cpu.period)
      set(dir, 'cpu.cfs_quota_us', l.cpu.quota)
    }
    if (ctl === 'cpuset' && l?.cpu) {
      set(dir, 'cpuset.cpus', l.cpu.cpus)
      set(dir, 'cpuset.mems', l.cpu.mems)
    }
    if (ctl === 'blkio' && l?.blockIO) {
      const b = l.blockIO
      set(dir, 'blkio.weight', b.weight)
      for (const d of b.weightDevice ?? []) set(dir, 'blkio.weight_device', `${d.major}:${d.minor} ${d.weight}`)
      for (const d of b.throttleReadBpsDevice ?? []) set(dir, 'blkio.throttle.read_bps_device', `${d.major}:${d.minor} ${d.rate}`)
      for (const d of b.throttleWriteBpsDevice ?? []) set(dir, 'blkio.throttle.write_bps_device', `${d.major}:${d.minor} ${d.rate}`)
    }
  }
}

/** Removes the pod's cgroup from every hierarchy (the members' are gone with their runtimes). */
export function removePodCgroup(cg: string | undefined): void {
  if (!cg) return
  // runc makes the members' cgroups in the hybrid's unified hierarchy too: the pod's level goes there as well
  for (const ctl of hierarchies(true)) {
    try {
      rmdirSync(path.join(ROOT, ctl, cg))
    } catch {
      // not there, or still busy: Podman leaves it then too
    }
  }
}

/**
 * pod inspect's limit fields (Podman's snake_case keys, at the end, in
 * InspectPodData's order; the CPU ones in InfraConfig too). `extra` holds
 * mounts, volumes_from and security_opt, which sit among them.
 */
export function inspectPodLimits(pod: PodConfig, infra = false, extra: {mounts?: unknown[]; volumes_from?: string[]; security_opt?: string[]} = {}): Record<string, unknown> {
  const l = pod.resources?.resourceLimits
  const b = l?.blockIO
  const devs = (list: Array<{path: string; rate: number}> | undefined) => (list?.length ? list.map(d => ({Path: d.path, Rate: d.rate})) : undefined)
  const nonEmpty = <T>(xs: T[] | undefined): T[] | undefined => (xs?.length ? xs : undefined)
  const out: Record<string, unknown> = {
    cpu_period: l?.cpu?.period,
    cpu_quota: l?.cpu?.quota,
    ...infra ? {} : {cpu_shares: l?.cpu?.shares},
    cpuset_cpus: l?.cpu?.cpus,
    ...infra ? {} : {cpuset_mems: l?.cpu?.mems},
  }
  if (!infra) {
    Object.assign(out, {
      mounts: nonEmpty(extra.mounts),
      device_read_bps: devs(b?.throttleReadBpsDevice),
      device_write_bps: devs(b?.throttleWriteBpsDevice),
      volumes_from: nonEmpty(extra.volumes_from),
      security_opt: nonEmpty(extra.security_opt),
      memory_limit: l?.memory?.limit,
      memory_swap: l?.memory?.swap,
      blkio_weight: b?.weight,
      blkio_weight_device: b?.weightDevice?.length ? b.weightDevice.map(d => ({Path: d.path, Weight: d.weight})) : undefined,
    })
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined))
}
