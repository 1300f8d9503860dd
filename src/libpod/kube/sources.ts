// Where a pod's ConfigMaps and Secrets come from: the documents of the same
// YAML and the `--configmap` files. peapod has no secret store on this
// branch yet, so a Secret is read from its document (data base64, stringData
// plain); lookupSecret() is the one place to change when a store exists.
import {InvalidArgument} from '../define/errors.js'
import type {KubeDoc} from './parse.js'
import {checkObjectName} from './validate.js'

/** A ConfigMap's or Secret's keys and their bytes. */
export type KeyData = Map<string, Buffer>

export interface KubeSources {
  configMaps: Map<string, KeyData>
  secrets: Map<string, KeyData>
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

/** A Secret's keys by name (undefined when none is known). */
export function lookupSecret(s: KubeSources, name: string): KeyData | undefined {
  return s.secrets.get(name)
}

export function lookupConfigMap(s: KubeSources, name: string): KeyData | undefined {
  return s.configMaps.get(name)
}
