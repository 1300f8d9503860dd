// Image names as the archive formats carry them.
import {errorMessage, InvalidArchive, InvalidArgument} from '../../define/errors.js'
import {formatReference, parseReference, type Reference} from '../reference.js'

function dockerHub(r: Reference): Reference {
  if (r.domain === 'index.docker.io') r.domain = 'docker.io'
  if (r.domain === 'docker.io' && !r.path.includes('/')) r.path = `library/${r.path}`
  return r
}

/**
 * A docker-archive RepoTag, normalised as Docker does (c/image's
 * ParseNormalizedNamed): `busybox:latest` → `docker.io/library/busybox:latest`.
 * It must carry a tag.
 */
export function normalizeRepoTag(tag: string): string {
  let r: Reference
  try {
    r = parseReference(tag)
  } catch (e) {
    throw new InvalidArchive(`invalid tag ${JSON.stringify(tag)} in manifest.json: ${errorMessage(e)}`)
  }
  if (!r.tag || r.digest) throw new InvalidArchive(`invalid tag ${JSON.stringify(tag)} in manifest.json: does not contain a tag`)
  if (!r.domain) r.domain = 'docker.io'
  return formatReference(dockerHub(r))
}

/**
 * Podman's NormalizeName (libimage) for names users give and for OCI ref
 * names: short names go to `localhost/`, `latest` when there's no tag.
 */
export function normalizeName(name: string): string {
  let r: Reference
  try {
    r = parseReference(name)
  } catch (e) {
    throw new InvalidArgument(`normalizing name ${JSON.stringify(name)}: ${errorMessage(e).replace(/: "[^"]*"$/, '')}`)
  }
  if (!r.domain) r.domain = 'localhost'
  if (!r.tag && !r.digest) r.tag = 'latest'
  return formatReference(dockerHub(r))
}

/** The repository and tag of a full, tagged name. */
export function repoAndTag(name: string): {repo: string; tag: string} {
  const r = parseReference(name)
  return {repo: formatReference({domain: r.domain, path: r.path}), tag: r.tag ?? 'latest'}
}
