// Where a pod's ConfigMaps and Secrets come from: the documents of the same
// YAML and the `--configmap` files; Secrets also from the secret store, as
// Podman reads them: a YAML Secret document (what kube play stores, data
// base64, stringData plain) or a JSON map of base64 values (what a user
// gives `secret create`). The file's own Secrets win over stored ones.
import {parse as parseYaml, stringify} from 'yaml'
import {InvalidArgument} from '../define/errors.js'
import type {KubeDoc} from './parse.js'
import {checkObjectName} from './validate.js'

/** A ConfigMap's or Secret's keys and their bytes. */
export type KeyData = Map<string, Buffer>

export interface KubeSources {
  configMaps: Map<string, KeyData>
  secrets: Map<string, KeyData>
  /** The secret store: a stored secret's bytes by name (undefined when none). */
  stored?: (name: string) => Buffer | undefined
}

const KEY = /^[-._a-zA-Z0-9]+$/

/** The keys of a ConfigMap (data plain, binaryData base64) or a Secret (data base64, stringData plain). */
function keys(kind: string, name: string, obj: Record<string, unknown>): KeyData {
  const out: KeyData = new Map()
  const fields: Array<[string, boolean]> = kind === 'Secret' ? [['data', true], ['stringData', false]] : [['data', false], ['binaryData', true]]
  for (const [field, base64] of fields) {
    const val = obj[field]
    if (val === undefined || val === null) continue
    if (typeof val !== 'object' || Array.isArray(val)) throw new InvalidArgument(`${kind} "${name}": ${field}: Invalid value: must be a map of strings`)
    for (const [k, v] of Object.entries(val as Record<string, unknown>)) {
      if (!KEY.test(k)) throw new InvalidArgument(`${kind} "${name}": ${field}[${k}]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`)
      const s = typeof v === 'string' ? v : (typeof v === 'number' || typeof v === 'boolean') ? String(v) : undefined
      if (s === undefined) throw new InvalidArgument(`${kind} "${name}": ${field}[${k}]: Invalid value: must be a string`)
      if (base64 && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(s)) throw new InvalidArgument(`${kind} "${name}": ${field}[${k}]: Invalid value: illegal base64 data`)
      out.set(k, base64 ? Buffer.from(s, 'base64') : Buffer.from(s))
    }
  }
  return out
}

/** Collects the ConfigMaps (the file's, then the --configmap files' documents) and Secrets. */
export function collectSources(docs: KubeDoc[], configMapFiles: KubeDoc[][] = []): KubeSources {
  const out: KubeSources = {configMaps: new Map(), secrets: new Map()}
  for (const d of [...docs, ...configMapFiles.flat()]) {
    if (d.kind !== 'ConfigMap' && d.kind !== 'Secret') continue
    const name = checkObjectName(d.kind, (d.obj.metadata as {name?: unknown} | undefined)?.name, d.line)
    const data = keys(d.kind, name, d.obj)
    ;(d.kind === 'ConfigMap' ? out.configMaps : out.secrets).set(name, data)
  }
  for (const [i, file] of configMapFiles.entries()) {
    if (!file.some(d => d.kind === 'ConfigMap')) throw new InvalidArgument(`--configmap file ${i + 1}: no ConfigMap document in it`)
  }
  return out
}

/** A stored secret's keys: a JSON map of base64 values, else a YAML Secret document. */
export function storedSecretKeys(name: string, data: Buffer): KeyData {
  const text = data.toString('utf8')
  const bad = () => new InvalidArgument(`secret ${JSON.stringify(name)} is not valid JSON/YAML: a Kubernetes Secret or a JSON map of base64 values is needed`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && (json as {kind?: unknown}).kind === undefined) {
    const out: KeyData = new Map()
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v)) throw bad()
      out.set(k, Buffer.from(v, 'base64'))
    }
    return out
  }
  let obj: unknown
  try {
    obj = json ?? parseYaml(text, {version: '1.1'})
  } catch {
    throw bad()
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw bad()
  return keys('Secret', name, obj as Record<string, unknown>)
}

/** A Secret's keys by name: the file's, else the store's (undefined when none is known). */
export function lookupSecret(s: KubeSources, name: string): KeyData | undefined {
  const own = s.secrets.get(name)
  if (own || !s.stored) return own
  const data = s.stored(name)
  return data === undefined ? undefined : storedSecretKeys(name, data)
}

/**
 * What kube play stores for a Secret document, as Podman 4.3.1 does: the
 * object as YAML (keys sorted, as Go's marshaller writes them).
 */
export function secretDocumentText(obj: Record<string, unknown>): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort)
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map(k => [k, sort((v as Record<string, unknown>)[k])]))
    return v
  }
  return stringify(sort(obj))
}

export function lookupConfigMap(s: KubeSources, name: string): KeyData | undefined {
  return s.configMaps.get(name)
}
