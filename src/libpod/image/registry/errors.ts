// Errors of the registry client. Messages follow containers/image's wording
// (what Podman prints), so scripts matching on them keep working.
import {PeapodError} from '../../errors.js'

/** An error response of a registry, with the distribution-spec error codes it carried. */
export class RegistryError extends PeapodError {
  constructor(message: string, readonly status?: number, readonly codes: string[] = []) {
    super(message)
  }
}

/** 401/403: missing or wrong credentials, or no access. */
export class Unauthorized extends RegistryError {}

/** A manifest, blob or repository the registry does not have. */
export class NotFound extends RegistryError {}

/** The registry could not be reached (refused, reset, DNS, TLS). */
export class Unreachable extends RegistryError {
  /** Worth retrying (refused, reset, timed out), unlike a TLS failure. */
  transient = true
}

/** Content whose digest (or size) is not what its descriptor says. */
export class DigestMismatch extends PeapodError {}

/** A manifest list / index without an instance for the wanted platform. */
export class NoMatchingPlatform extends PeapodError {}

/** policy.json rejected the image, or registries.conf blocks the registry. */
export class PolicyRejected extends PeapodError {}

/** The server sent something that is not a valid registry answer. */
export class InvalidResponse extends RegistryError {}
