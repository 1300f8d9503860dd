// A container's environment with Kubernetes' semantics: envFrom first, then
// env (later wins); valueFrom from ConfigMaps, Secrets, the pod's metadata
// and the container's resources; `$(VAR)` expanded from what is defined
// before it ($$ escapes). Missing sources fail unless marked optional.
import os from 'node:os'
import type {Container} from 'kubernetes-types/core/v1.js'
import {InvalidArgument} from '../define/errors.js'
import {lookupConfigMap, lookupSecret, type KubeSources} from './sources.js'
import {parseQuantity} from './validate.js'

export interface PodMeta {
  name: string
  namespace: string
  labels: Record<string, string>
  annotations: Record<string, string>
}

/** Kubernetes' $(VAR) expansion: defined names are replaced, others kept, $$ → $. */
export function expandVars(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$'
    return Object.hasOwn(vars, name!) ? vars[name!] : m
  })
}

function fieldValue(path: string, meta: PodMeta): string | undefined {
  if (path === 'metadata.name') return meta.name
  if (path === 'metadata.namespace') return meta.namespace
  const m = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path)
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)[m[2]] ?? ''
  return undefined
}

function resourceValue(c: Container, resource: string, divisor: unknown): string | undefined {
  const [kind, what] = resource.split('.') as ['limits' | 'requests', string]
  if ((kind !== 'limits' && kind !== 'requests') || (what !== 'memory' && what !== 'cpu')) return undefined
  const given = c.resources?.[kind]?.[what] ?? c.resources?.limits?.[what]
  const value = given !== undefined ? parseQuantity(given) : what === 'memory' ? os.totalmem() : os.cpus().length
  const div = divisor === undefined ? 1 : parseQuantity(divisor)
  return String(Math.ceil(value / (div || 1)))
}

/** The container's variables, in order. */
export function containerEnv(where: string, c: Container, meta: PodMeta, sources: KubeSources): Record<string, string> {
  const env: Record<string, string> = {}
  const text = (b: Buffer) => b.toString('utf8')
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? ''
    if (from.configMapRef) {
      const cm = lookupConfigMap(sources, from.configMapRef.name ?? '')
      if (!cm) {
        if (from.configMapRef.optional) continue
        throw new InvalidArgument(`${where}: container ${JSON.stringify(c.name)}: envFrom: configmap ${JSON.stringify(from.configMapRef.name)} not found`)
      }
      for (const [k, v] of cm) env[prefix + k] = text(v)
    } else if (from.secretRef) {
      const sec = lookupSecret(sources, from.secretRef.name ?? '')
      if (!sec) {
        if (from.secretRef.optional) continue
        throw new InvalidArgument(`${where}: container ${JSON.stringify(c.name)}: envFrom: secret ${JSON.stringify(from.secretRef.name)} not found`)
      }
      for (const [k, v] of sec) env[prefix + k] = text(v)
    }
  }
  for (const e of c.env ?? []) {
    const fail = (msg: string) => new InvalidArgument(`${where}: container ${JSON.stringify(c.name)}: cannot set env ${e.name}: ${msg}`)
    const vf = e.valueFrom
    if (!vf) {
      env[e.name] = expandVars(e.value === undefined || e.value === null ? '' : String(e.value), env)
      continue
    }
    if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = (vf.configMapKeyRef ?? vf.secretKeyRef)!
      const what = vf.configMapKeyRef ? 'configmap' : 'secret'
      const data = vf.configMapKeyRef ? lookupConfigMap(sources, ref.name ?? '') : lookupSecret(sources, ref.name ?? '')
      if (!data) {
        if (ref.optional) continue
        throw fail(`${what} ${JSON.stringify(ref.name)} not found`)
      }
      const v = data.get(ref.key)
      if (v === undefined) {
        if (ref.optional) continue
        throw fail(`key ${JSON.stringify(ref.key)} not found in ${what} ${JSON.stringify(ref.name)}`)
      }
      env[e.name] = text(v)
    } else if (vf.fieldRef) {
      const v = fieldValue(vf.fieldRef.fieldPath, meta)
      if (v === undefined) throw fail(`fieldPath ${JSON.stringify(vf.fieldRef.fieldPath)} is not supported (metadata.name, metadata.namespace, metadata.labels['KEY'], metadata.annotations['KEY'])`)
      env[e.name] = v
    } else if (vf.resourceFieldRef) {
      const v = resourceValue(c, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor)
      if (v === undefined) throw fail(`resource ${JSON.stringify(vf.resourceFieldRef.resource)} is not supported (limits.cpu, limits.memory, requests.cpu, requests.memory)`)
      env[e.name] = v
    } else {
      throw fail('valueFrom names no source')
    }
  }
  return env
}
