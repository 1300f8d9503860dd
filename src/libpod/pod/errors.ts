// Pod errors with Podman's wording.
import {PeapodError} from '../errors.js'

/** Podman's ErrNoSuchPod. */
export class NoSuchPod extends PeapodError {}

/** Podman's ErrPodExists (a pod of that name). */
export class PodExists extends PeapodError {}

/** The pod has containers that stop an operation (rm without -f). */
export class PodNotReady extends PeapodError {}

export {InfraContainerRemoval} from '../container/errors.js'
