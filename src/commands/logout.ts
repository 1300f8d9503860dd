import {Args, Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {InvalidArgument, load} from '../libpod/index.js'

export default class Logout extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Log out of a container registry'
  static override description = 'Remove the cached username and password for the registry.'
  static override usage = '[options] [REGISTRY]'
  static override args = {registry: Args.string({description: 'registry (or registry/repository) to log out of'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove the cached credentials for all registries in the auth file'}),
    authfile: Flags.string({description: 'path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logout)
    const auth = await load.registryAuth()
    if (flags.all) {
      if (args.registry) throw new InvalidArgument('--all takes no arguments')
      auth.removeAllCredentials(flags.authfile)
      this.log('Removed login credentials for all registries')
      return
    }
    let target = args.registry
    if (!target) {
      const rt = await this.runtime(flags)
      const {RegistriesConf} = await load.registryConfig()
      target = RegistriesConf.load(rt.config.configDirs).searchRegistries[0]
      if (!target) throw new InvalidArgument('please provide a registry to log out of')
    }
    const key = auth.validateKey(target)
    if (!auth.removeCredentials(key, flags.authfile)) {
      if (auth.dockerOnlyCredentials(key)) {
        throw new InvalidArgument(`not logged into ${key} with current tool. Existing credentials were established via docker login. Please use docker logout instead`)
      }
      throw new InvalidArgument(`not logged into ${key}`)
    }
    this.log(`Removed login credentials for ${key}`)
  }
}
