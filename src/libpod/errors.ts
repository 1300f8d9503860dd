// Typed engine errors. libpod never prints: it throws one of these and the CLI
// maps it to a one-line message and Podman's exit code.

export class PeapodError extends Error {
  /** Process exit code the CLI uses for this error (Podman: 125 = engine error). */
  readonly exitCode: number = 125
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

export class InvalidArgument extends PeapodError {}
export class NoSuchImage extends PeapodError {}
export class NoSuchContainer extends PeapodError {}
export class NoSuchLayer extends PeapodError {}
export class NameInUse extends PeapodError {}
export class ImageInUse extends PeapodError {}
export class InvalidArchive extends PeapodError {}
export class ConfigError extends PeapodError {}
export class LockError extends PeapodError {}
export class RootlessSetupError extends PeapodError {}
export class StorageError extends PeapodError {}
/** The host can't do what was asked (e.g. rootless stats on cgroup v1). */
export class Unsupported extends PeapodError {}

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

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
