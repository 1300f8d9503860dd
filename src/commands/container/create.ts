import {writeFileSync} from 'node:fs'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {checkCidfile, createFlags} from '../../cli/container-flags.js'
import {toContainerSpec} from '../../cli/container-spec.js'
import {initCtrFlags, toInitCtrSpec} from '../../cli/init-ctr.js'
import {rootfsSpec} from '../../cli/rootfs.js'
import {imageForCreate} from '../../cli/image-flags.js'
import {createContainer, InvalidArgument} from '../../libpod/index.js'

export default class ContainerCreate extends BaseCommand {
  static override summary = 'Create but do not start a container'
  static override usage = 'container create [options] IMAGE [COMMAND [ARG...]]'
  static override aliases = ['create']
  static override strict = false
  static override flags = {...createFlags, ...initCtrFlags}

  async run(): Promise<void> {
    const {flags: flagArgv, rest} = splitAtPositional(this.argv, valueFlagNames({...BaseCommand.baseFlags, ...ContainerCreate.flags} as never))
    const {flags} = await this.parse(ContainerCreate, flagArgv)
    if (rest.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    checkCidfile(flags.cidfile)
    const input = toContainerSpec(flags, rest[0], rest.slice(1))
    const {newPod} = input
    const spec = {...input.spec, ...rootfsSpec(flags.rootfs, rest[0]), ...toInitCtrSpec(flags['init-ctr'], input.spec.pod ?? newPod?.name)}
    const rt = await this.runtime(flags)
    const c = await createContainer(rt, {...spec, ...spec.rootfs ? {} : {image: await imageForCreate(rt, spec.image, flags)}}, newPod)
    if (flags.cidfile) writeFileSync(flags.cidfile, c.id)
    this.log(c.id)
  }
}
