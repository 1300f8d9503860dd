// Typed mounts of a ContainerSpec (Podman's specgen Mounts/Volumes/
// ImageVolumes), and their translation into the mount options the engine
// keeps and the OCI runtime takes. No flag syntax here: the CLI turns -v,
// --mount and --tmpfs into these records (src/cli/spec-mounts.ts).

export const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'] as const
export type Propagation = typeof PROPAGATIONS[number]

/** Options every filesystem mount may carry; undefined keeps the default. */
export interface MountFlagOptions {
  /** true: ro; false: an explicit rw. */
  readonly?: boolean
  /** true: nosuid; false: an explicit suid. */
  nosuid?: boolean
  /** true: nodev; false: an explicit dev. */
  nodev?: boolean
  /** true: noexec; false: an explicit exec. */
  noexec?: boolean
  /** Chown the source to the container's user (Podman's U). */
  chown?: boolean
  propagation?: Propagation
}

/** SELinux relabeling: shared (z) or private (Z). */
export type Relabel = 'shared' | 'private'

export interface BindMount extends MountFlagOptions {
  type: 'bind'
  /** An absolute host path. */
  source: string
  destination: string
  /** false: a plain bind (not recursive); true: an explicit rbind. */
  recursive?: boolean
  relabel?: Relabel
  /** idmap[=OPTIONS]: '' for the bare option. */
  idmap?: string
}

export interface VolumeMount extends MountFlagOptions {
  type: 'volume'
  /** The volume's name; absent for an anonymous volume. */
  name?: string
  destination: string
  recursive?: boolean
  relabel?: Relabel
  /** false: nocopy (the image's content is not copied up); true: an explicit copy. */
  copy?: boolean
  /** Driver options (KEY=VALUE) used when the volume is created. */
  driverOptions?: string[]
  idmap?: string
}

export interface TmpfsMount extends MountFlagOptions {
  type: 'tmpfs'
  destination: string
  /** size=: bytes or with a k/m/g suffix, as tmpfs(5) takes it. */
  size?: string
  /** mode=: the permission bits. */
  mode?: number
  /** false: notmpcopyup; true: an explicit tmpcopyup. */
  tmpcopyup?: boolean
  uid?: number
  gid?: number
}

/** An image's rootfs mounted read-only (--mount type=image). */
export interface ImageMount {
  type: 'image'
  /** The image's name or ID. */
  source: string
  destination: string
}

export type Mount = BindMount | VolumeMount | TmpfsMount | ImageMount

const flag = (v: boolean | undefined, on: string, off: string): string[] => (v === undefined ? [] : [v ? on : off])

/**
 * The mount(8)-style option list the engine stores for a mount (what
 * Podman's ProcessOptions then completes with defaults at start).
 */
export function mountOptions(m: Mount): string[] {
  if (m.type === 'image') return ['ro']
  const out = [
    ...flag(m.readonly, 'ro', 'rw'),
    ...m.propagation ? [m.propagation] : [],
    ...flag(m.nosuid, 'nosuid', 'suid'),
    ...flag(m.nodev, 'nodev', 'dev'),
    ...flag(m.noexec, 'noexec', 'exec'),
  ]
  if (m.type === 'tmpfs') {
    if (m.size !== undefined) out.push(`size=${m.size}`)
    if (m.mode !== undefined) out.push(`mode=${m.mode.toString(8)}`)
    if (m.uid !== undefined) out.push(`uid=${m.uid}`)
    if (m.gid !== undefined) out.push(`gid=${m.gid}`)
    out.push(...flag(m.tmpcopyup, 'tmpcopyup', 'notmpcopyup'))
  } else {
    out.push(...flag(m.recursive, 'rbind', 'bind'))
    if (m.relabel) out.push(m.relabel === 'private' ? 'Z' : 'z')
  }
  if (m.chown) out.push('U')
  if (m.type === 'volume') out.push(...flag(m.copy, 'copy', 'nocopy'))
  if (m.type !== 'tmpfs' && m.idmap !== undefined) out.push(m.idmap ? `idmap=${m.idmap}` : 'idmap')
  return out
}
