// Container errors that carry Podman's wording (`container state improper`).
import {PeapodError} from '../errors.js'

/** The container is in the wrong state for the operation (Podman's ErrCtrStateInvalid). */
export class ContainerStateImproper extends PeapodError {}

/** Other containers depend on this one (Podman's ErrDepExists). */
export class DependencyExists extends PeapodError {}

/** An infra container removed on its own (Podman: only with its pod). */
export class InfraContainerRemoval extends PeapodError {}
