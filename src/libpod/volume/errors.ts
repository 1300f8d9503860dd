// Volume errors, with Podman's messages and exit codes.
import {PeapodError} from '../errors.js'

export class NoSuchVolume extends PeapodError {}
export class VolumeExists extends PeapodError {}

/** `volume rm` of a volume a container uses: Podman exits 2. */
export class VolumeInUse extends PeapodError {
  override readonly exitCode = 2
}

export function noSuchVolume(name: string): NoSuchVolume {
  return new NoSuchVolume(`no volume with name "${name}" found: no such volume`)
}
