import {Args, Flags} from '../../cli/oclif.js'
import {existsSync, writeFileSync} from 'node:fs'
import {BaseCommand} from '../../cli/base-command.js'
import {parseEntrypoint} from '../../cli/container-flags.js'
import {parseKeyValues} from '../../cli/container-spec.js'
import {parseExitPolicy, parseShare} from '../../cli/pod-spec.js'
import {originalArgv} from '../../cli/argv.js'
import {readLabelFiles} from '../../cli/lifecycle-spec.js'
import {toNetworkSpec} from '../../cli/network-spec.js'
import {podResourceFlags} from '../../cli/resource-flags.js'
import {toResourceSpec} from '../../cli/resource-spec.js'
import {podNamespaceFlags} from '../../cli/namespace-flags.js'
import {toDevicesSpec, toUsersSpec} from '../../cli/namespace-spec.js'
import {boolValue, goBool, goBoolArgv} from '../../cli/go-bool.js'
import {createPod, InvalidArgument} from '../../libpod/index.js'
import {checkPodAddresses, podInfraFlags, toPodInfraSpec} from '../../cli/pod-infra.js'

const many = (description: string, char?: string) =>
  Flags.string({description, multiple: true, multipleNonGreedy: true, ...(char ? {char: char as 'p'} : {})})

export default class PodCreate extends BaseCommand {
  static override summary = 'Create a new empty pod'
  static override usage = 'pod create [options] [NAME]'
  static override args = {name: Args.string({description: 'pod name'})}
  static override flags = {
    'add-host': many('Add a custom host-to-IP mapping (host:ip)'),
    dns: many('Set custom DNS servers'),
    'dns-option': many('Set custom DNS options'),
    'dns-search': many('Set custom DNS search domains'),
    'exit-policy': Flags.string({description: 'Behaviour when the last container exits', options: ['continue', 'stop'], default: 'continue'}),
    hostname: Flags.string({description: 'Set container hostname'}),
    infra: goBool('Create an infra container associated with the pod to share namespaces with (--infra=false or --no-infra: none)'),
    'infra-command': Flags.string({description: 'The command to run on the infra container when the pod is started'}),
    'infra-conmon-pidfile': Flags.string({description: 'Path to the file that will receive the PID of the infra container\'s conmon'}),
    'infra-image': Flags.string({description: 'The image of the infra container to associate with the pod'}),
    'infra-name': Flags.string({description: 'The name used as infra container name'}),
    label: many('Set metadata on pod (default [])', 'l'),
    name: Flags.string({char: 'n', description: 'Assign a name to the pod'}),
    network: Flags.string({description: 'Connect a container to a network', aliases: ['net'], multiple: true, multipleNonGreedy: true}),
    'no-hosts': Flags.boolean({description: 'Do not create /etc/hosts within the pod\'s containers, instead use the version from the image'}),
    'pod-id-file': Flags.string({description: 'Write the pod ID to the file'}),
    replace: Flags.boolean({description: 'If a pod with the same name exists, replace it'}),
    publish: many('Publish a container\'s port, or a range of ports, to the host (default [])', 'p'),
    share: Flags.string({description: 'A comma delimited list of kernel namespaces the pod will share (default ipc,net,uts)'}),
    ...podResourceFlags, // RESOURCES: the pod's cgroup limits, --cgroup-parent, --shm-size
    ...podNamespaceFlags, // --userns, --uidmap/--gidmap, --subuidname/--subgidname, --pid, --uts, --device
    ...podInfraFlags, // --volume, --volumes-from, --security-opt, --sysctl, --label-file, --ip/--ip6/--mac-address/--network-alias, --share-parent
  }

  async run(): Promise<void> {
    // Podman's Go bool: --infra, --infra=false; --no-infra as well
    const argv = goBoolArgv(this.argv.map(a => (a === '--no-infra' ? '--infra=false' : a)), {infra: undefined, 'share-parent': undefined})
    const {args, flags} = await this.parse(PodCreate, argv)
    if (args.name && flags.name) throw new InvalidArgument('cannot specify --name and give a name as an argument')
    const idFile = flags['pod-id-file']
    if (idFile && existsSync(idFile)) throw new InvalidArgument(`pod id file exists. Ensure another pod is not using it or delete ${idFile}`)
    const network = toNetworkSpec(flags)
    checkPodAddresses(flags, network)
    const spec = {
      name: args.name ?? flags.name,
      ...flags.replace ? {replace: true} : {},
      infra: boolValue(flags.infra, true),
      infraImage: flags['infra-image'],
      infraCommand: parseEntrypoint(flags['infra-command']),
      infraName: flags['infra-name'],
      ...flags['infra-conmon-pidfile'] ? {infraConmonPidFile: flags['infra-conmon-pidfile']} : {},
      network,
      share: parseShare(flags.share),
      hostname: flags.hostname,
      labels: {...readLabelFiles(flags['label-file'] ?? []), ...parseKeyValues(flags.label, 'label')},
      exitPolicy: parseExitPolicy(flags['exit-policy']),
      resources: toResourceSpec(flags),
      users: {...toUsersSpec(flags), ...toDevicesSpec(flags)},
      createCommand: ['peapod', ...originalArgv()],
      ...toPodInfraSpec(flags),
    }
    const rt = await this.runtime(flags)
    const pod = await createPod(rt, spec)
    if (idFile) writeFileSync(idFile, pod.id)
    this.log(pod.id)
  }
}
