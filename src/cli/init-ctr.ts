// create's --init-ctr (not run's, as in Podman): the container is one of
// its pod's init containers, with Podman's checks.
import {Flags} from './oclif.js'
import {InvalidArgument} from '../libpod/define/errors.js'
import type {ContainerSpec} from '../libpod/specgen/container.js'

export const initCtrFlags = {
  'init-ctr': Flags.string({description: 'Make this a pod init container (always: run at every pod start; once: run at the first start, then removed)'}),
}

export function toInitCtrSpec(v: string | undefined, pod: string | undefined): Pick<ContainerSpec, 'initContainerType'> {
  if (v === undefined) return {}
  if (!pod) throw new InvalidArgument('must specify pod value with init-ctr')
  if (v !== 'always' && v !== 'once') throw new InvalidArgument('init-ctr value must be \'always\' or \'once\'')
  return {initContainerType: v}
}
