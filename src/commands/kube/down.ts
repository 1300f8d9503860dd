import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {downText, readKubeInput} from '../../cli/kube.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class KubeDown extends BaseCommand {
  static override summary = 'Remove pods based on Kubernetes YAML'
  static override description = 'Stops and removes the pods (and their containers) that a Kubernetes YAML describes. Volumes made from its PersistentVolumeClaims are kept unless --force.'
  static override usage = '[options] KUBEFILE|-'
  static override examples = ['peapod kube down web.yaml', 'peapod kube down --force web.yaml']
  static override args = {file: Args.string({description: 'Kubernetes YAML: a path, - for stdin, or a URL'})}
  static override flags = {
    force: Flags.boolean({description: 'Also remove the volumes made from the YAML\'s PersistentVolumeClaims'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KubeDown)
    if (!args.file) throw new InvalidArgument('accepts 1 arg(s), received 0')
    const text = await readKubeInput(args.file)
    const rt = await this.runtime(flags)
    const out = downText(await (await load.kube()).kubeDown(rt, text, {force: flags.force}))
    if (out) this.log(out)
  }
}
