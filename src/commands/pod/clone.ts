import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseEntrypoint} from '../../cli/container-flags.js'
import {parseKeyValues} from '../../cli/container-spec.js'
import {readLabelFiles} from '../../cli/lifecycle-spec.js'
import {podResourceFlags} from '../../cli/resource-flags.js'
import {toResourceSpec} from '../../cli/resource-spec.js'
import {podNamespaceFlags} from '../../cli/namespace-flags.js'
import {toDevicesSpec, toUsersSpec} from '../../cli/namespace-spec.js'
import {podInfraFlags, toPodInfraSpec} from '../../cli/pod-infra.js'
import {InvalidArgument, load, type PodSpec} from '../../libpod/index.js'

const many = (description: string, char?: string) =>
  Flags.string({description, multiple: true, multipleNonGreedy: true, ...(char ? {char: char as 'l'} : {})})

const {volume, 'volumes-from': volumesFrom, 'security-opt': securityOpt, sysctl, 'label-file': labelFile} = podInfraFlags

export default class PodClone extends BaseCommand {
  static override summary = 'Clone an existing pod'
  static override description = 'Creates a copy of an existing pod and of its containers, from the specs they were created with; the flags given replace the original\'s settings.'
  static override usage = 'pod clone [options] POD NAME'
  static override examples = ['podman pod clone pod_name new_name']
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    ...podResourceFlags,
    ...podNamespaceFlags,
    destroy: Flags.boolean({description: 'destroy the original pod'}),
    hostname: Flags.string({description: 'Set container hostname'}),
    'infra-command': Flags.string({description: 'The command to run on the infra container when the pod is started'}),
    'infra-conmon-pidfile': Flags.string({description: 'Path to the file that will receive the PID of the infra container\'s conmon'}),
    'infra-name': Flags.string({description: 'The name used as infra container name'}),
    label: many('Set metadata on pod (default [])', 'l'),
    'label-file': labelFile,
    name: Flags.string({char: 'n', description: 'name the new pod'}),
    'security-opt': securityOpt,
    start: Flags.boolean({description: 'start the new pod'}),
    sysctl,
    volume,
    'volumes-from': volumesFrom,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodClone)
    const args = argv as string[]
    if (args.length < 1 || args.length > 2) throw new InvalidArgument(`accepts between 1 and 2 arg(s), received ${args.length}`)
    const changes: Partial<PodSpec> = {...toPodInfraSpec(flags)}
    const resources = toResourceSpec(flags)
    if (Object.keys(resources).length) changes.resources = resources
    const users = {...toUsersSpec(flags), ...toDevicesSpec(flags)}
    if (Object.values(users).some(v => v !== undefined)) changes.users = users
    if (flags.hostname !== undefined) changes.hostname = flags.hostname
    if (flags['infra-command'] !== undefined) changes.infraCommand = parseEntrypoint(flags['infra-command'])
    if (flags['infra-conmon-pidfile']) changes.infraConmonPidFile = flags['infra-conmon-pidfile']
    if (flags['infra-name']) changes.infraName = flags['infra-name']
    if (flags.label?.length || flags['label-file']?.length) changes.labels = {...readLabelFiles(flags['label-file'] ?? []), ...parseKeyValues(flags.label, 'label')}
    const rt = await this.runtime(flags)
    const {clonePod} = await load.clone()
    const pod = await clonePod(rt, args[0], changes, {name: args[1] ?? flags.name, destroy: flags.destroy, start: flags.start})
    this.log(pod.id)
  }
}
