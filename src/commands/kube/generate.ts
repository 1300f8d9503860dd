import {Args, Flags} from '../../cli/oclif.js'
import {writeFileSync} from 'node:fs'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class KubeGenerate extends BaseCommand {
  static override summary = 'Generate Kubernetes YAML based on containers, pods or volumes'
  static override description = 'Writes Kubernetes YAML for containers, pods and volumes that kube play (and a Kubernetes cluster) accepts back: a Pod (or a Deployment, DaemonSet or Job with --type), PersistentVolumeClaims for volumes, and with --service a NodePort Service. Containers keep their names across a play → generate → play round trip.'
  static override aliases = ['generate:kube']
  static override strict = false
  static override usage = '[options] CONTAINER...|POD...|VOLUME...'
  static override examples = ['peapod kube generate web', 'peapod kube generate --service -f web.yaml web', 'peapod kube generate --type deployment --replicas 2 web']
  static override args = {ref: Args.string({description: 'container, pod or volume name or ID'})}
  static override flags = {
    filename: Flags.string({char: 'f', description: 'Write output to the specified path'}),
    replicas: Flags.integer({char: 'r', min: 1, description: 'Set the replica number for Deployment kind (default 1)'}),
    service: Flags.boolean({char: 's', description: 'Generate YAML for a Kubernetes service object'}),
    type: Flags.string({char: 't', description: 'Generate YAML for the given Kubernetes kind', options: ['pod', 'deployment', 'daemonset', 'job'], default: 'pod'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(KubeGenerate)
    const rt = await this.runtime(flags)
    const {generateKube} = await load.kube()
    const yaml = generateKube(rt, argv as string[], {service: flags.service, type: flags.type as 'pod', replicas: flags.replicas})
    if (flags.filename) writeFileSync(flags.filename, yaml)
    else writeOut(yaml)
  }
}
