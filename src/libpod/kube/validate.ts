// Checks of a pod template that need no store, with Kubernetes' field paths
// in the messages (one line each): names (DNS-1123), duplicate containers,
// ports, resource quantities. Run on every document before anything is made.
import type {Container, PodSpec} from 'kubernetes-types/core/v1.js'
import {InvalidArgument} from '../define/errors.js'

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

export function invalid(where: string, field: string, msg: string): InvalidArgument {
  return new InvalidArgument(`${where}: ${field}: ${msg}`)
}

/** metadata.name of any object: a DNS-1123 subdomain. */
export function checkObjectName(kind: string, name: unknown, line: number): string {
  const where = `${kind} at line ${line}`
  if (typeof name !== 'string' || name === '') throw invalid(where, 'metadata.name', 'Required value: name is required')
  if (name.length > 253 || !SUBDOMAIN.test(name)) {
    throw invalid(`${kind} "${name}"`, 'metadata.name', `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`)
  }
  return name
}

/** A Kubernetes quantity ("128Mi", "0.5", "500m", "1e3") as a number of base units; NaN when malformed. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q
  if (typeof q !== 'string') return NaN
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(q.trim())
  if (!m) return NaN
  const mult: Record<string, number> = {
    '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  }
  return Number(m[1]) * mult[m[2] ?? '']
}

const isPort = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= 65535

function checkContainer(where: string, path: string, c: Container, seen: Set<string>): void {
  if (!c || typeof c !== 'object') throw invalid(where, path, 'Invalid value: not a container')
  if (typeof c.name !== 'string' || c.name === '') throw invalid(where, `${path}.name`, 'Required value')
  if (c.name.length > 63 || !LABEL.test(c.name)) {
    throw invalid(where, `${path}.name`, `Invalid value: ${JSON.stringify(c.name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`)
  }
  if (seen.has(c.name)) throw invalid(where, `${path}.name`, `Duplicate value: ${JSON.stringify(c.name)}`)
  seen.add(c.name)
  if (typeof c.image !== 'string' || c.image === '') throw invalid(where, `${path}.image`, 'Required value')
  for (const k of ['command', 'args'] as const) {
    const v = c[k]
    if (v !== undefined && (!Array.isArray(v) || v.some(a => typeof a !== 'string'))) throw invalid(where, `${path}.${k}`, 'Invalid value: must be a list of strings')
  }
  ;(c.ports ?? []).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`
    if (!isPort(p.containerPort, 1)) throw invalid(where, `${pp}.containerPort`, `Invalid value: ${JSON.stringify(p.containerPort)}: must be between 1 and 65535, inclusive`)
    if (p.hostPort !== undefined && !isPort(p.hostPort, 0)) throw invalid(where, `${pp}.hostPort`, `Invalid value: ${JSON.stringify(p.hostPort)}: must be between 1 and 65535, inclusive`)
    if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) throw invalid(where, `${pp}.protocol`, `Unsupported value: ${JSON.stringify(p.protocol)}: supported values: "SCTP", "TCP", "UDP"`)
  })
  for (const kind of ['limits', 'requests'] as const) {
    for (const [res, q] of Object.entries(c.resources?.[kind] ?? {})) {
      const n = parseQuantity(q)
      if (Number.isNaN(n)) throw invalid(where, `${path}.resources.${kind}[${res}]`, `Invalid value: ${JSON.stringify(q)}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`)
      if (n < 0) throw invalid(where, `${path}.resources.${kind}[${res}]`, `Invalid value: ${JSON.stringify(q)}: must be greater than or equal to 0`)
    }
  }
  ;(c.env ?? []).forEach((e, i) => {
    if (typeof e?.name !== 'string' || e.name === '') throw invalid(where, `${path}.env[${i}].name`, 'Required value')
  })
}

/** Checks a pod template's spec (containers, init containers, ports, volumes' names). */
export function checkPodSpec(where: string, spec: PodSpec | undefined): PodSpec {
  if (!spec || typeof spec !== 'object') throw invalid(where, 'spec', 'Required value')
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) throw invalid(where, 'spec.containers', 'Required value')
  const seen = new Set<string>()
  ;(spec.initContainers ?? []).forEach((c, i) => checkContainer(where, `spec.initContainers[${i}]`, c, seen))
  spec.containers.forEach((c, i) => checkContainer(where, `spec.containers[${i}]`, c, seen))
  const hostPorts = new Set<string>()
  spec.containers.forEach((c, i) => (c.ports ?? []).forEach((p, j) => {
    if (!p.hostPort) return
    const key = `${p.hostIP ?? ''}:${p.hostPort}/${p.protocol ?? 'TCP'}`
    if (hostPorts.has(key)) throw invalid(where, `spec.containers[${i}].ports[${j}].hostPort`, `Duplicate value: ${JSON.stringify(key)}`)
    hostPorts.add(key)
  }))
  const vols = new Set<string>()
  ;(spec.volumes ?? []).forEach((v, i) => {
    if (typeof v?.name !== 'string' || !LABEL.test(v.name)) throw invalid(where, `spec.volumes[${i}].name`, `Invalid value: ${JSON.stringify(v?.name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`)
    if (vols.has(v.name)) throw invalid(where, `spec.volumes[${i}].name`, `Duplicate value: ${JSON.stringify(v.name)}`)
    vols.add(v.name)
  })
  for (const [i, c] of [...spec.initContainers ?? [], ...spec.containers].entries()) {
    for (const m of c.volumeMounts ?? []) {
      if (!vols.has(m.name)) throw invalid(where, `container ${JSON.stringify(c.name)} volumeMounts`, `Not found: ${JSON.stringify(m.name)}: no volume of that name in spec.volumes`)
      if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) throw invalid(where, `container ${JSON.stringify(c.name)} volumeMounts[${m.name}].mountPath`, `Invalid value: ${JSON.stringify(m.mountPath)}: must be an absolute path`)
      if (m.subPath !== undefined && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) throw invalid(where, `container ${JSON.stringify(c.name)} volumeMounts[${m.name}].subPath`, `Invalid value: ${JSON.stringify(m.subPath)}: must be a relative path without '..'`)
    }
    void i
  }
  return spec
}
