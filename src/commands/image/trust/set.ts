import {Args, Flags} from '../../../cli/oclif.js'
import {BaseCommand} from '../../../cli/base-command.js'
import {InvalidArgument, load} from '../../../libpod/index.js'

export default class ImageTrustSet extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Set default trust policy or a new trust policy for a registry'
  static override description = "Set the default trust policy (REGISTRY 'default') or the policy of a registry or repository in policy.json; pull honours it (accept, reject; signature types make pulls from that scope fail: peapod verifies no signatures)."
  static override usage = 'image trust set [options] REGISTRY'
  static override examples = ['peapod image trust set -t reject default', 'peapod image trust set -t accept docker.io', 'peapod image trust set -f /path/key.gpg registry.example.com']
  static override strict = false
  static override args = {registry: Args.string({description: "registry or repository scope, or 'default'"})}
  static override flags = {
    pubkeysfile: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Path of installed public key(s) to trust for TARGET. Absolute path to keys is added to policy.json. May used multiple times to define multiple public keys. File(s) must exist before using this command'}),
    type: Flags.string({char: 't', default: 'signedBy', description: 'Trust type, accept values: signedBy(default), accept, reject'}),
    policypath: Flags.string({hidden: true, description: 'Path to the policy.json file'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageTrustSet)
    const args = argv as string[]
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    const scope = args[0]
    // Podman's isValidImageURI: a reference, optionally @digest.
    if (scope !== 'default' && !/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/.test(scope)) {
      throw new InvalidArgument(`invalid image uri: ${scope}`)
    }
    const {setTrust} = await load.trust()
    setTrust(scope, {type: flags.type as never, pubKeysFiles: flags.pubkeysfile, policyPath: flags.policypath})
  }
}
