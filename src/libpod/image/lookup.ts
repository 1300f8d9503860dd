// Finding a local image by ID, ID prefix, full name, short name or digest,
// the way Podman's libimage does.
import {InvalidArgument, NoSuchImage} from '../define/errors.js'
import type {ImageDoc} from './images.js'
import {formatReference, parseReference} from './reference.js'

const ID_PREFIX = /^(?:sha256:)?([0-9a-f]{1,64})$/

/** Registries tried for unqualified names (registries.conf); docker.io by default. */
export function searchRegistries(fromConf?: string[]): string[] {
  return fromConf && fromConf.length ? fromConf : ['docker.io']
}

export function findImage(images: ImageDoc[], nameOrId: string, registries: string[] = ['docker.io']): ImageDoc | undefined {
  const idm = ID_PREFIX.exec(nameOrId)
  if (idm) {
    // A full ID, or sha256:PREFIX, is an ID; a bare short hex word ("bb",
    // "c415") is a name first, as Podman 4.3.1 resolves it (containers/storage
    // looks names up before ID prefixes): `save bb` saves the image named bb
    // even when another image's ID starts with bb.
    const exact = idm[1].length === 64 || nameOrId.startsWith('sha256:')
    if (!exact) {
      const byName = findByName(images, nameOrId, registries)
      if (byName) return byName
    }
    const matches = images.filter(i => i.id.startsWith(idm[1]))
    if (matches.length === 1) return matches[0]
    if (matches.length > 1) throw new InvalidArgument(`short ID "${nameOrId}" is ambiguous: ${matches.length} images match`)
    return undefined
  }
  return findByName(images, nameOrId, registries)
}

function findByName(images: ImageDoc[], name: string, registries: string[]): ImageDoc | undefined {
  let ref
  try {
    ref = parseReference(name)
  } catch {
    return undefined
  }
  if (ref.digest) {
    return images.find(i => i.digests.includes(ref.digest!) &&
      i.names.some(n => sameRepo(n, ref.domain, ref.path, registries)))
      ?? images.find(i => i.digests.includes(ref.digest!) && !ref.domain)
  }
  const tag = ref.tag ?? 'latest'
  const candidates = ref.domain
    ? [formatReference({domain: ref.domain, path: ref.path, tag})]
    : [
      formatReference({domain: 'localhost', path: ref.path, tag}),
      ...registries.map(r => formatReference({domain: r, path: r === 'docker.io' && !ref.path.includes('/') ? `library/${ref.path}` : ref.path, tag})),
    ]
  for (const c of candidates) {
    const hit = images.find(i => i.names.includes(c))
    if (hit) return hit
  }
  if (!ref.domain) {
    // Short-name fallback: any repository ending in /NAME with that tag.
    const suffix = `/${ref.path}:${tag}`
    return images.find(i => i.names.some(n => n.endsWith(suffix)))
  }
  return undefined
}

function sameRepo(name: string, domain: string, path: string, registries: string[]): boolean {
  const r = parseReference(name)
  if (domain) return r.domain === domain && r.path === path
  return r.path === path || r.path === `library/${path}` || registries.includes(r.domain) && r.path.endsWith(`/${path}`)
}

export function lookupImage(images: ImageDoc[], nameOrId: string, registries?: string[]): ImageDoc {
  const img = findImage(images, nameOrId, registries)
  if (!img) throw new NoSuchImage(`${nameOrId}: image not known`)
  return img
}
