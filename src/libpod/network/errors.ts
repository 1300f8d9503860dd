import {PeapodError} from '../errors.js'

export class NoSuchNetwork extends PeapodError {}
export class NetworkExists extends PeapodError {}
export class NetworkInUse extends PeapodError {}
/** Setting up or tearing down a container's network failed. */
export class NetworkFailure extends PeapodError {}

export function noSuchNetwork(name: string): NoSuchNetwork {
  return new NoSuchNetwork(`unable to find network with name or ID ${name}: network not found`)
}
