// A volume: a directory in the store (`<graphRoot>/volumes/<name>/_data`)
// that outlives containers, described by one JSON document
// (`<graphRoot>/volumes/<name>/volume.json`) holding what was asked for at
// create and what happened since (copy-up, chown, who has it mounted).

export interface VolumeDoc {
  name: string
  /** Only the built-in `local` driver exists. */
  driver: 'local'
  /** RFC 3339 with nanoseconds (Go's time.Time JSON). */
  createdAt: string
  labels: Record<string, string>
  /** Driver options as Podman shows them: type, device, o, and UID/GID lifted out of o. */
  options: Record<string, string>
  /** Created for one container (`-v /path`, an image VOLUME) rather than by name. */
  anonymous: boolean
  /** Owner asked for with `-o o=uid=N,gid=N`. */
  uid?: number
  gid?: number

  // What happened since create (changed under the volume's lock).
  /** Not yet populated from an image (copy-up happens once, into an empty volume). */
  needsCopyUp: boolean
  /** Not yet chowned to its first container's user. */
  needsChown: boolean
  uidChowned?: number
  gidChowned?: number
  /** Containers holding a mount of a volume with mount options (type/device/o). */
  mountedBy: string[]
}

/** What `volume create` (and create-on-first-use) take. */
export interface VolumeCreateOptions {
  name?: string
  driver?: string
  labels?: Record<string, string>
  /** `-o KEY=VALUE` values, unparsed. */
  options?: string[]
  anonymous?: boolean
  /** --ignore: an existing volume of that name is returned instead of an error. */
  ignoreExisting?: boolean
}
