// Docker image references: [domain/]path[:tag][@digest], normalised the way
// Podman names local images (an unqualified name gets `localhost/`).
import {InvalidArgument} from '../define/errors.js'

export interface Reference {
  domain: string
  path: string
  tag?: string
  digest?: string
}

const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/

export function isQualifiedDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost'
}

/** Parses a reference; the domain is '' when the name is unqualified. */
export function parseReference(ref: string): Reference {
  const bad = () => new InvalidArgument(`invalid reference format: "${ref}"`)
  if (!ref || ref !== ref.trim()) throw bad()
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) throw bad()
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) throw bad()
  }
  const parts = rest.split('/')
  let domain = ''
  if (parts.length > 1 && isQualifiedDomain(parts[0])) domain = parts.shift()!
  if (parts.length === 0 || !parts.every(p => NAME_COMPONENT.test(p))) {
    if (rest !== rest.toLowerCase()) throw new InvalidArgument(`invalid reference format: repository name must be lowercase: "${ref}"`)
    throw bad()
  }
  return {domain, path: parts.join('/'), tag, digest}
}

export function formatReference(r: Reference): string {
  return `${r.domain ? r.domain + '/' : ''}${r.path}${r.tag ? ':' + r.tag : ''}${r.digest ? '@' + r.digest : ''}`
}

/** The name a new local image gets: `foo` → `localhost/foo:latest`. */
export function normalizeLocalName(ref: string): string {
  const r = parseReference(ref)
  if (!r.domain) r.domain = 'localhost'
  if (!r.tag && !r.digest) r.tag = 'latest'
  return formatReference(r)
}

/** Repository part (no tag/digest) of a full name. */
export function repository(name: string): string {
  const r = parseReference(name)
  return `${r.domain ? r.domain + '/' : ''}${r.path}`
}

export function splitName(name: string): {repository: string; tag: string} {
  const r = parseReference(name)
  return {repository: `${r.domain ? r.domain + '/' : ''}${r.path}`, tag: r.tag ?? (r.digest ? '<none>' : 'latest')}
}
