// Kubernetes YAML → plain documents: multi-document streams and `kind: List`
// flattened, each document checked for a kind and an apiVersion peapod knows.
// Parsed as YAML 1.1 (what Go's yaml.v2/v3 and Kubernetes read: `on`, `yes`
// are booleans there). Errors name the line and column.
import {LineCounter, parseAllDocuments} from 'yaml'
import {InvalidArgument} from '../define/errors.js'

/** One Kubernetes object of the input, in the order given. */
export interface KubeDoc {
  kind: string
  apiVersion: string
  /** The object as parsed (validated later by kind). */
  obj: Record<string, unknown>
  /** 1-based line where the object starts (for messages). */
  line: number
}

/** The kinds kube play acts on, with the apiVersions each may carry. */
export const KINDS: Record<string, readonly string[]> = {
  Pod: ['v1'],
  Deployment: ['apps/v1'],
  DaemonSet: ['apps/v1'],
  Job: ['batch/v1'],
  ConfigMap: ['v1'],
  Secret: ['v1'],
  PersistentVolumeClaim: ['v1'],
}

/** Parses a YAML stream into Kubernetes objects; unsupported kinds are returned too (the caller skips them). */
export function parseKubeYaml(text: string): KubeDoc[] {
  const lc = new LineCounter()
  const docs = parseAllDocuments(text, {lineCounter: lc, version: '1.1', prettyErrors: false, uniqueKeys: false})
  if (!Array.isArray(docs)) throw new InvalidArgument('multi doc yaml could not be split: no documents')
  const out: KubeDoc[] = []
  for (const d of docs) {
    const err = d.errors[0]
    if (err) {
      const {line, col} = lc.linePos(err.pos[0])
      throw new InvalidArgument(`multi doc yaml could not be split: yaml: line ${line}, column ${col}: ${firstLine(err.message)}`)
    }
    let value: unknown
    try {
      value = d.toJS({maxAliasCount: 100})
    } catch (e) {
      // an alias to nothing, a merge of a scalar, too many aliases (found by fuzzing)
      throw new InvalidArgument(`multi doc yaml could not be split: yaml: ${firstLine((e as Error).message)}`)
    }
    if (value === null || value === undefined) continue // an empty document (`---` at the end)
    const line = d.contents?.range ? lc.linePos(d.contents.range[0]).line : 1
    flatten(value, line, out)
  }
  return out
}

function flatten(value: unknown, line: number, out: KubeDoc[]): void {
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw new InvalidArgument(`line ${line}: YAML document is not a Kubernetes object (a mapping with kind and apiVersion)`)
  }
  const obj = value as Record<string, unknown>
  const kind = obj.kind
  if (typeof kind !== 'string' || kind === '') throw new InvalidArgument(`line ${line}: YAML document does not contain any supported kube kind: no kind`)
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : ''
  if (kind === 'List') {
    if (apiVersion !== 'v1') throw new InvalidArgument(`line ${line}: unsupported apiVersion ${JSON.stringify(apiVersion)} for kind List`)
    const items = obj.items
    if (!Array.isArray(items)) throw new InvalidArgument(`line ${line}: kind List without items`)
    for (const it of items) flatten(it, line, out)
    return
  }
  const versions = KINDS[kind]
  if (versions && !versions.includes(apiVersion)) {
    throw new InvalidArgument(`line ${line}: unsupported apiVersion ${JSON.stringify(apiVersion)} for kind ${kind} (want ${versions.join(' or ')})`)
  }
  out.push({kind, apiVersion, obj, line})
}

function firstLine(msg: string): string {
  return msg.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
}
