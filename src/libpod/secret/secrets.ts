// Secrets, as Podman's file driver keeps them (containers/common
// pkg/secrets): `<graphRoot>/secrets/secrets.json` holds the metadata (IDs,
// names, labels), `<graphRoot>/secrets/filedriver/secretsdata.json` the data
// (base64), both mode 0600 in 0700 directories. The layout is Podman's, so a
// store written by one reads in the other. Changes happen under one lock.
//
// The library face: rt.secrets (this class) — create/list/lookup/inspect/
// remove/data. The CLI's `secret` commands, --secret on create/run and kube
// play (Kubernetes Secrets) all come through it.
import {randomBytes} from 'node:crypto'
import {chmodSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, NoSuchSecret, noSuchSecret, SecretExists} from '../define/errors.js'
import {goNow} from '../image/archive/gojson.js'
import {readJson, writeFileAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'

/** A secret's metadata (Podman's secrets.Secret, its JSON keys). */
export interface SecretDoc {
  name: string
  /** 25 hex digits, as Podman's. */
  id: string
  /** RFC 3339 with nanoseconds (Go's time.Time JSON). */
  createdAt: string
  driver: string
  driverOptions: Record<string, string>
  labels?: Record<string, string>
}

export interface SecretCreateOptions {
  labels?: Record<string, string>
  /** Only `file` (Podman's default) is supported. */
  driver?: string
  /** --driver-opts, kept as Podman keeps them (the file driver uses none). */
  driverOptions?: Record<string, string>
}

/** `secret inspect` (Podman's SecretInfoReport). */
export interface SecretInspect {
  ID: string
  CreatedAt: string
  UpdatedAt: string
  Spec: {Name: string; Driver: {Name: string; Options: Record<string, string>}; Labels: Record<string, string>}
}

interface Index {
  secrets: Record<string, SecretDoc>
  nameToID: Record<string, string>
  idToName: Record<string, string>
}

const NAME = /^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/
/** Podman's maxSecretSize. */
const MAX_SIZE = 512000
const DRIVERS = ['file']

export function validateSecretName(name: string): void {
  if (name.length > 64 || !NAME.test(name)) throw new InvalidArgument(`only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: ${name}: invalid secret name`)
}

export class Secrets {
  readonly dir: string
  private readonly indexFile: string
  private readonly dataDir: string
  private readonly dataFile: string

  constructor(graphRoot: string) {
    this.dir = path.join(graphRoot, 'secrets')
    this.indexFile = path.join(this.dir, 'secrets.json')
    this.dataDir = path.join(this.dir, 'filedriver')
    this.dataFile = path.join(this.dataDir, 'secretsdata.json')
  }

  private index(): Index {
    return readJson<Index>(this.indexFile) ?? {secrets: {}, nameToID: {}, idToName: {}}
  }

  private data(): Record<string, string> {
    return readJson<Record<string, string>>(this.dataFile) ?? {}
  }

  private locked<T>(fn: () => T): Promise<T> {
    mkdirSync(this.dataDir, {recursive: true, mode: 0o700})
    chmodSync(this.dir, 0o700)
    return withLock(this.indexFile, fn)
  }

  /** Stores a secret; its ID. Names are unique (SecretExists). */
  async create(name: string, data: Buffer, opts: SecretCreateOptions = {}): Promise<SecretDoc> {
    validateSecretName(name)
    const driver = opts.driver ?? 'file'
    if (!DRIVERS.includes(driver)) throw new InvalidArgument('invalid driver')
    if (data.length === 0 || data.length >= MAX_SIZE) throw new InvalidArgument(`secret data must be larger than 0 and less than ${MAX_SIZE} bytes`)
    return this.locked(() => {
      const idx = this.index()
      if (idx.nameToID[name]) throw new SecretExists(`${name}: secret name in use`)
      let id: string
      do id = randomBytes(13).toString('hex').slice(0, 25)
      while (idx.secrets[id])
      const doc: SecretDoc = {
        name, id, createdAt: goNow(), driver,
        driverOptions: {...opts.driverOptions, path: this.dataDir},
        ...opts.labels && Object.keys(opts.labels).length ? {labels: {...opts.labels}} : {},
      }
      // data first: a crash between the writes leaves unused data, never a secret without it
      const all = this.data()
      all[id] = data.toString('base64')
      writeFileAtomic(this.dataFile, JSON.stringify(all, null, 2), 0o600)
      idx.secrets[id] = doc
      idx.nameToID[name] = id
      idx.idToName[id] = name
      writeFileAtomic(this.indexFile, JSON.stringify(idx, null, 2), 0o600)
      return doc
    })
  }

  /** Every secret, oldest first. */
  list(): SecretDoc[] {
    return Object.values(this.index().secrets).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  /** By name, full ID or unique ID prefix; undefined when none. */
  find(ref: string): SecretDoc | undefined {
    const idx = this.index()
    const byName = idx.nameToID[ref]
    if (byName) return idx.secrets[byName]
    if (idx.secrets[ref]) return idx.secrets[ref]
    if (!/^[0-9a-f]+$/.test(ref)) return undefined
    const matches = Object.keys(idx.secrets).filter(id => id.startsWith(ref))
    if (matches.length > 1) throw new NoSuchSecret(`more than one result secret with prefix ${ref}: no such secret`)
    return matches.length ? idx.secrets[matches[0]] : undefined
  }

  /** By name, ID or unique ID prefix (NoSuchSecret otherwise). */
  lookup(ref: string): SecretDoc {
    const s = this.find(ref)
    if (!s) throw noSuchSecret(ref)
    return s
  }

  exists(ref: string): boolean {
    try {
      return this.find(ref) !== undefined
    } catch {
      return false
    }
  }

  /** The secret's data. */
  read(ref: string): Buffer {
    const s = this.lookup(ref)
    const b64 = this.data()[s.id]
    if (b64 === undefined) throw noSuchSecret(ref)
    return Buffer.from(b64, 'base64')
  }

  inspect(ref: string): SecretInspect {
    return secretInspect(this.lookup(ref))
  }

  /** Removes a secret (containers that use it keep what they were given); its ID. */
  async remove(ref: string): Promise<string> {
    if (!this.find(ref)) throw noSuchSecret(ref)
    return this.locked(() => {
      const idx = this.index()
      const s = this.find(ref)
      if (!s) throw noSuchSecret(ref)
      delete idx.secrets[s.id]
      delete idx.nameToID[s.name]
      delete idx.idToName[s.id]
      writeFileAtomic(this.indexFile, JSON.stringify(idx, null, 2), 0o600)
      const all = this.data()
      delete all[s.id]
      writeFileAtomic(this.dataFile, JSON.stringify(all, null, 2), 0o600)
      return s.id
    })
  }
}

export function secretInspect(s: SecretDoc): SecretInspect {
  return {
    ID: s.id,
    CreatedAt: s.createdAt,
    UpdatedAt: s.createdAt,
    Spec: {Name: s.name, Driver: {Name: s.driver, Options: s.driverOptions}, Labels: s.labels ?? {}},
  }
}
