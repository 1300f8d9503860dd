// `import`: a rootfs tarball (plain or compressed, file or stdin) becomes a
// one-layer image with the config Podman writes (created = the tarball's
// mtime, one "ADD file:... in /" history entry), adjusted by --change.
import {imageEvent} from '../events/log.js'
import {constants as osConstants} from 'node:os'
import {createReadStream, openSync, closeSync, fstatSync, readSync} from 'node:fs'
import path from 'node:path'
import {Transform, type Readable} from 'node:stream'
import {InvalidArgument} from '../define/errors.js'
import type {StagedLayer} from '../storage/layers.js'
import type {Store} from '../storage/store.js'
import {goMarshal, goNow, goTime, sortedMap} from './archive/gojson.js'
import {MEDIA} from './archive/ingest.js'
import {sniffCompression} from './archive/input.js'
import {normalizeName} from './archive/names.js'
import {goArch} from './archive/oci.js'
import {sha256} from './images.js'
import {commitImage} from './manage.js'

/** The OCI ImageConfig fields --change can set (Go struct order). */
export interface ImageConfigChanges {
  User?: string
  ExposedPorts?: Record<string, object>
  Env?: string[]
  Entrypoint?: string[]
  Cmd?: string[]
  Volumes?: Record<string, object>
  WorkingDir?: string
  Labels?: Record<string, string>
  StopSignal?: string
  /** Not part of OCI configs: accepted and dropped, as Podman does. */
  OnBuild?: string[]
}

function stripQuotes(s: string): string {
  // Go: TrimPrefix(TrimSuffix(s, `"`), `"`) when both ends are quotes.
  if (s.startsWith('"') && s.endsWith('"')) {
    s = s.slice(0, -1)
    if (s.startsWith('"')) s = s.slice(1)
  }
  return s
}

/** A JSON array of strings (or null), as Go's json.Unmarshal into []string accepts; undefined if not. */
function jsonStrings(value: string): string[] | undefined {
  try {
    const v = JSON.parse(value)
    if (v === null) return []
    if (Array.isArray(v) && v.every(x => typeof x === 'string')) return v
  } catch {
    // not JSON
  }
  return undefined
}

function signalNumber(raw: string): number | undefined {
  if (/^[+-]?\d+$/.test(raw)) {
    const n = Number(raw)
    return n === 0 ? undefined : n
  }
  const name = raw.toUpperCase().replace(/^SIG/, '')
  const sigs = osConstants.signals as Record<string, number>
  if (sigs[`SIG${name}`] !== undefined) return sigs[`SIG${name}`]
  if (name === 'CLD') return sigs.SIGCHLD
  if (name === 'IOT') return sigs.SIGABRT
  if (name === 'POLL') return sigs.SIGIO
  const rt = /^RTM(IN|AX)(?:([+-])(\d+))?$/.exec(name)
  if (rt) {
    const base = rt[1] === 'IN' ? 34 : 64
    const off = rt[3] ? Number(rt[3]) : 0
    const n = rt[2] === '-' ? base - off : base + off
    if ((rt[1] === 'IN' && rt[2] !== '-' && off <= 15) || (rt[1] === 'AX' && rt[2] !== '+' && off <= 14)) return n
  }
  return undefined
}

/** Podman's ImageConfigFromChanges (libimage): a subset of Dockerfile instructions. */
export function parseChanges(changes: string[]): ImageConfigChanges {
  const c: ImageConfigChanges = {}
  for (const change of changes) {
    const bad = (why: string) => new InvalidArgument(`invalid change ${JSON.stringify(change)} - ${why}`)
    let sep = change.indexOf(' ')
    if (sep === -1) sep = change.indexOf('=')
    if (sep === -1) throw bad('must be formatted as KEY VALUE')
    const key = change.slice(0, sep).trim().toUpperCase()
    const value = change.slice(sep + 1).trim()
    switch (key) {
      case 'USER':
        if (value === '') throw bad('must provide a value to USER')
        c.User = value
        break
      case 'EXPOSE': {
        const parts = value.split('/')
        if (parts.length > 2) throw bad('EXPOSE port must be formatted as PORT[/PROTO]')
        if (!/^[+-]?\d+$/.test(parts[0])) throw bad(`EXPOSE port must be an integer: strconv.Atoi: parsing ${JSON.stringify(parts[0])}: invalid syntax`)
        const port = Number(parts[0])
        if (port > 65535 || port <= 0) throw bad('EXPOSE port must be a valid port number')
        let proto = 'tcp'
        if (parts.length > 1) {
          proto = parts[1].toLowerCase()
          if (proto !== 'tcp' && proto !== 'udp') throw bad('EXPOSE protocol must be TCP or UDP')
        }
        ;(c.ExposedPorts ??= {})[`${port}/${proto}`] = {}
        break
      }
      case 'ENV': {
        const eq = value.indexOf('=')
        let k = eq === -1 ? value : value.slice(0, eq)
        let v = eq === -1 ? '' : value.slice(eq + 1)
        if (k === '') throw bad('ENV must have at least one argument')
        k = stripQuotes(k)
        v = stripQuotes(v)
        ;(c.Env ??= []).push(`${k}=${v}`)
        break
      }
      case 'ENTRYPOINT': {
        const arr = jsonStrings(value)
        c.Entrypoint = arr ?? (value !== '' ? ['/bin/sh', '-c', value] : [])
        break
      }
      case 'CMD': {
        const arr = jsonStrings(value)
        c.Cmd = arr ?? ['/bin/sh', '-c', ...(value !== '' ? [value] : [])]
        break
      }
      case 'VOLUME': {
        const vols = jsonStrings(value) ?? value.split(' ')
        if (vols.length === 0) throw bad('must provide at least one argument to VOLUME')
        for (const v of vols) {
          if (v === '') throw bad('VOLUME paths must not be empty')
          ;(c.Volumes ??= {})[v] = {}
        }
        break
      }
      case 'WORKDIR':
        if (value === '') throw bad('must provide a non-empty WORKDIR')
        c.WorkingDir = path.posix.join(c.WorkingDir ?? '', value)
        break
      case 'LABEL': {
        const eq = value.indexOf('=')
        if (eq === -1) throw bad('LABEL must be formatted key=value')
        const k = stripQuotes(value.slice(0, eq))
        const v = stripQuotes(value.slice(eq + 1))
        if (k === '') throw bad('LABEL must have a non-empty key')
        ;(c.Labels ??= {})[k] = v
        break
      }
      case 'STOPSIGNAL': {
        const n = signalNumber(value)
        if (n === undefined) throw bad(`KILLSIGNAL must be given a valid signal: invalid signal: ${value}`)
        c.StopSignal = String(n)
        break
      }
      case 'ONBUILD':
        if (value === '') throw bad('ONBUILD must be given an argument')
        ;(c.OnBuild ??= []).push(value)
        break
      default:
        throw bad(`invalid instruction ${key}`)
    }
  }
  return c
}

/** The OCI `config` object as Go marshals it (omitempty; maps sorted). */
function ociImageConfig(c: ImageConfigChanges): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (c.User) out.User = c.User
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length) out.ExposedPorts = sortedMap(c.ExposedPorts)
  if (c.Env?.length) out.Env = c.Env
  if (c.Entrypoint?.length) out.Entrypoint = c.Entrypoint
  if (c.Cmd?.length) out.Cmd = c.Cmd
  if (c.Volumes && Object.keys(c.Volumes).length) out.Volumes = sortedMap(c.Volumes)
  if (c.WorkingDir) out.WorkingDir = c.WorkingDir
  if (c.Labels && Object.keys(c.Labels).length) out.Labels = sortedMap(c.Labels)
  if (c.StopSignal) out.StopSignal = c.StopSignal
  return out
}

export interface ImportOptions {
  /** Tarball path, or '-' for `stdin`. */
  source: string
  stdin?: Readable
  /** Name for the image (normalised like Podman: `foo` → `localhost/foo:latest`). */
  reference?: string
  changes?: string[]
  message?: string
  os?: string
  arch?: string
  variant?: string
}

/** Imports a rootfs tarball; returns the new image's ID (hex). */
export async function importImage(store: Store, opts: ImportOptions): Promise<string> {
  const changes = parseChanges(opts.changes ?? [])
  const names = opts.reference ? [normalizeName(opts.reference)] : []
  await store.ready()

  let input: Readable
  let created: string
  let head: Buffer | undefined
  let fileSize: number | undefined
  let counted = 0
  const firstBytes: Buffer[] = []
  if (opts.source === '-') {
    if (!opts.stdin) throw new InvalidArgument('no standard input to import from')
    created = goNow()
    const counter = new Transform({
      highWaterMark: 1 << 20,
      transform(chunk: Buffer, _enc, cb) {
        if (counted < 6) firstBytes.push(chunk.subarray(0, 6))
        counted += chunk.length
        cb(null, chunk)
      },
    })
    opts.stdin.on('error', e => counter.destroy(e))
    input = opts.stdin.pipe(counter)
  } else {
    let fd: number
    try {
      fd = openSync(opts.source, 'r')
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message
      throw new InvalidArgument(`error opening ${JSON.stringify(opts.source)}: open ${opts.source}: ${reason}`)
    }
    const st = fstatSync(fd, {bigint: true})
    if (st.isDirectory()) {
      closeSync(fd)
      throw new InvalidArgument(`error opening ${JSON.stringify(opts.source)}: is a directory`)
    }
    created = goTime(st.mtimeNs)
    fileSize = Number(st.size)
    head = Buffer.alloc(6)
    head = head.subarray(0, readSync(fd, head, 0, 6, 0))
    input = createReadStream('', {fd, start: 0, highWaterMark: 1 << 20})
  }

  let staged: StagedLayer | undefined
  try {
    staged = await store.layers.stage(undefined, input)
    const {diffId} = staged.doc
    const kind = sniffCompression(head ?? Buffer.concat(firstBytes))
    const compressed = kind !== 'plain' && staged.doc.compressedDigest && staged.doc.compressedDigest !== diffId
    const layerDesc = compressed
      ? {mediaType: kind === 'zstd' ? MEDIA.ociLayerZstd : MEDIA.ociLayerGzip, digest: staged.doc.compressedDigest!, size: fileSize ?? counted}
      : {mediaType: MEDIA.ociLayer, digest: diffId, size: staged.doc.size}
    const image: Record<string, unknown> = {created, architecture: opts.arch || goArch()}
    if (opts.variant) image.variant = opts.variant
    image.os = opts.os || 'linux'
    image.config = ociImageConfig(changes)
    image.rootfs = {type: 'layers', diff_ids: [diffId]}
    image.history = [{
      created,
      created_by: `/bin/sh -c #(nop) ADD file:${diffId.replace(/^sha256:/, '')} in /`,
      comment: opts.message || 'imported from tarball',
    }]
    const config = goMarshal(image)
    const manifest = goMarshal({
      schemaVersion: 2,
      config: {mediaType: MEDIA.ociConfig, digest: sha256(config), size: Buffer.byteLength(config)},
      layers: [layerDesc],
    })
    const doc = await commitImage(store, {config, manifest, manifestMediaType: MEDIA.ociManifest, staged: [staged], names})
    imageEvent(store.config, doc.id, opts.source, 'import')
    return doc.id
  } finally {
    if (staged) store.layers.discard(staged)
    input.destroy()
  }
}
