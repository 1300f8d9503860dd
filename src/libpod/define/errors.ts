// Every typed engine error and its Podman message, in one place (Podman's
// libpod/define/errors.go). libpod never prints: it throws one of these and
// the CLI maps it to a one-line message and Podman's exit code. Where the same
// message is built in several places, a factory below holds Podman's text once.

export class PeapodError extends Error {
  /** Process exit code the CLI uses for this error (Podman: 125 = engine error). */
  readonly exitCode: number = 125
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

// --- generic -----------------------------------------------------------------

export class InvalidArgument extends PeapodError {}
export class ConfigError extends PeapodError {}
export class LockError extends PeapodError {}
export class RootlessSetupError extends PeapodError {}
export class StorageError extends PeapodError {}
/** The host can't do what was asked (e.g. rootless stats on cgroup v1). */
export class Unsupported extends PeapodError {}
/** A `--format` template that does not parse or execute. */
export class TemplateError extends PeapodError {}

/** The OCI runtime failed. */
export class RuntimeFailure extends PeapodError {}

/** The container command could not be invoked (Podman: 126). */
export class CommandNotInvokable extends PeapodError {
  override readonly exitCode = 126
}

/** The container command was not found (Podman: 127). */
export class CommandNotFound extends PeapodError {
  override readonly exitCode = 127
}

/** A command's own non-zero exit code that must pass through untouched. */
export class ExitCode extends PeapodError {
  override readonly exitCode: number
  constructor(code: number) {
    super('')
    this.exitCode = code
  }
}

// --- images and layers -------------------------------------------------------

export class NoSuchImage extends PeapodError {}
export class NoSuchLayer extends PeapodError {}
export class ImageInUse extends PeapodError {}
export class InvalidArchive extends PeapodError {}

// --- containers --------------------------------------------------------------

export class NoSuchContainer extends PeapodError {}
export class NameInUse extends PeapodError {}

/** The container is in the wrong state for the operation (Podman's ErrCtrStateInvalid). */
export class ContainerStateImproper extends PeapodError {
  /** `<what>: container state improper`: Podman's wrapping of ErrCtrStateInvalid. */
  static because(what: string): ContainerStateImproper {
    return new ContainerStateImproper(`${what}: ${CTR_STATE_IMPROPER}`)
  }
}

/** Podman's ErrCtrStateInvalid text. */
export const CTR_STATE_IMPROPER = 'container state improper'

/** Other containers depend on this one (Podman's ErrDepExists). */
export class DependencyExists extends PeapodError {}

/** Podman's define.ErrNoCgroups and friends. */
export class NoCgroups extends PeapodError {}
export class TopFailed extends PeapodError {}
export class CheckpointUnsupported extends PeapodError {}
export class HealthcheckError extends PeapodError {}
export class UnmountFailed extends PeapodError {}
/** `cp` failed (a path, a permission, an archive). */
export class CopyError extends PeapodError {}

/** A file operation inside a container's root failed; `code` is the errno code. */
export class FsError extends PeapodError {
  constructor(message: string, readonly code?: string) {
    super(message)
  }
}

/** `no container with name or ID "X" found: no such container` (Podman's lookup by name or ID). */
export function noSuchContainer(nameOrId: string): NoSuchContainer {
  return new NoSuchContainer(`no container with name or ID "${nameOrId}" found: no such container`)
}

/** `no container with ID "X" found: no such container` (Podman's lookup by full ID). */
export function noContainerWithId(id: string): NoSuchContainer {
  return new NoSuchContainer(`no container with ID "${id}" found: no such container`)
}

/** `container X is being removed: container state improper`. */
export function containerBeingRemoved(id: string): ContainerStateImproper {
  return ContainerStateImproper.because(`container ${id} is being removed`)
}

// --- pods --------------------------------------------------------------------

/** Podman's ErrNoSuchPod. */
export class NoSuchPod extends PeapodError {}

/** Podman's ErrPodExists (a pod of that name). */
export class PodExists extends PeapodError {}

/** The pod has containers that stop an operation (rm without -f). */
export class PodNotReady extends PeapodError {}

/** An infra container removed on its own (Podman: only with its pod). */
export class InfraContainerRemoval extends PeapodError {}

/** `no pod with name or ID X found: no such pod`. */
export function noSuchPod(nameOrId: string): NoSuchPod {
  return new NoSuchPod(`no pod with name or ID ${nameOrId} found: no such pod`)
}

// --- networks ----------------------------------------------------------------

export class NoSuchNetwork extends PeapodError {}
export class NetworkExists extends PeapodError {}
export class NetworkInUse extends PeapodError {}
/** Setting up or tearing down a container's network failed. */
export class NetworkFailure extends PeapodError {}

export function noSuchNetwork(name: string): NoSuchNetwork {
  return new NoSuchNetwork(`unable to find network with name or ID ${name}: network not found`)
}

// --- volumes -----------------------------------------------------------------

export class NoSuchVolume extends PeapodError {}
export class VolumeExists extends PeapodError {}

/** `volume rm` of a volume a container uses: Podman exits 2. */
export class VolumeInUse extends PeapodError {
  override readonly exitCode = 2
}

export function noSuchVolume(name: string): NoSuchVolume {
  return new NoSuchVolume(`no volume with name "${name}" found: no such volume`)
}

// --- secrets -----------------------------------------------------------------

/** Podman's ErrNoSuchSecret. */
export class NoSuchSecret extends PeapodError {}
/** Podman's ErrSecretIDExists / name in use. */
export class SecretExists extends PeapodError {}

export function noSuchSecret(ref: string): NoSuchSecret {
  return new NoSuchSecret(`no secret with name or id ${JSON.stringify(ref)}: no such secret`)
}

// --- registries (containers/image's wording, which Podman prints) ---------
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

// --- helpers -----------------------------------------------------------------

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}

// --- build -------------------------------------------------------------------

/** A build failed: bad Containerfile, a step that failed (exit code: the RUN's own, as Podman). */
export class BuildError extends PeapodError {
  override readonly exitCode: number
  constructor(message: string, exitCode = 125) {
    super(message)
    this.exitCode = exitCode
  }
}
