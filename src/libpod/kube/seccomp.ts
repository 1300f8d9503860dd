// A container's seccomp profile from Kubernetes YAML, as Podman's kube play
// reads it: the annotations `container.seccomp.security.alpha.kubernetes.io/
// <container>` and `seccomp.security.alpha.kubernetes.io/pod` (values
// runtime/default, docker/default, unconfined, localhost/<file>), and the
// newer securityContext.seccompProfile (container's, then pod's). A
// `localhost/` profile is a file under --seccomp-profile-root; it must exist
// before anything is made.
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {Container, PodSpec, SeccompProfile} from 'kubernetes-types/core/v1.js'
import {InvalidArgument} from '../define/errors.js'

export const SECCOMP_PROFILE_ROOT = '/var/lib/kubelet/seccomp'
const CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/'
const POD_KEY = 'seccomp.security.alpha.kubernetes.io/pod'

function localhost(where: string, root: string, file: string): string {
  const p = path.join(root, file)
  if (!file || !existsSync(p)) throw new InvalidArgument(`${where}: seccomp profile ${p}: no such file or directory`)
  return p
}

/** An annotation's value → a profile path, 'unconfined', or undefined (the default profile). */
function fromAnnotation(where: string, v: string, root: string): string | undefined {
  if (v === 'runtime/default' || v === 'docker/default') return undefined
  if (v === 'unconfined') return 'unconfined'
  if (v.startsWith('localhost/')) return localhost(where, root, v.slice('localhost/'.length))
  throw new InvalidArgument(`${where}: invalid seccomp path: ${v}`)
}

function fromProfile(where: string, p: SeccompProfile, root: string): string | undefined {
  switch (p.type) {
    case 'RuntimeDefault': return undefined
    case 'Unconfined': return 'unconfined'
    case 'Localhost': return localhost(where, root, p.localhostProfile ?? '')
    default: throw new InvalidArgument(`${where}: seccompProfile.type: Unsupported value: ${JSON.stringify(p.type)}: supported values: "Localhost", "RuntimeDefault", "Unconfined"`)
  }
}

/** The container's seccomp profile (a path or 'unconfined'); undefined: the default profile. */
export function seccompOf(where: string, c: Container, spec: PodSpec, annotations: Record<string, string>, root = SECCOMP_PROFILE_ROOT): string | undefined {
  const own = annotations[CONTAINER_PREFIX + c.name]
  if (own !== undefined) return fromAnnotation(where, own, root)
  const cp = c.securityContext?.seccompProfile
  if (cp) return fromProfile(where, cp, root)
  const pod = annotations[POD_KEY]
  if (pod !== undefined) return fromAnnotation(where, pod, root)
  const pp = spec.securityContext?.seccompProfile
  if (pp) return fromProfile(where, pp, root)
  return undefined
}
