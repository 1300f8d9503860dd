import {Args, Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {boolArgv, readLine, readSecret, tlsFlags, tlsVerify} from '../cli/registry-flags.js'
import {InvalidArgument, load} from '../libpod/index.js'

export default class Login extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Log in to a container registry'
  static override description = 'Log in to a container registry on a specified server.'
  static override usage = '[options] [REGISTRY]'
  static override args = {registry: Args.string({description: 'registry (or registry/repository) to log in to'})}
  static override flags = {
    authfile: Flags.string({description: 'path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    ...tlsFlags,
    'get-login': Flags.boolean({description: 'Return the current login user for the registry'}),
    password: Flags.string({char: 'p', description: 'Password for registry'}),
    'password-stdin': Flags.boolean({description: 'Take the password from stdin'}),
    username: Flags.string({char: 'u', description: 'Username for registry'}),
    verbose: Flags.boolean({char: 'v', description: 'Write more detailed information to stdout'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Login, boolArgv(this.argv))
    const rt = await this.runtime(flags)
    const [auth, {Registry}, {RegistriesConf}] = await Promise.all([
      load.registryAuth(),
      load.registryClient(),
      load.registryConfig(),
    ])
    const conf = RegistriesConf.load(rt.config.configDirs)
    let target = args.registry
    if (!target) {
      target = conf.searchRegistries[0]
      if (!target) throw new InvalidArgument('please provide a registry to log in to')
      this.log(`No registry specified, using the first unqualified-search registry "${target}"`)
    }
    const key = auth.validateKey(target)
    const host = key.split('/')[0]
    if (flags['get-login']) {
      const c = auth.getCredentials(key, flags.authfile)
      if (!c) throw new InvalidArgument(`not logged into ${key}`)
      this.log(c.username)
      return
    }
    if (flags.password !== undefined && flags['password-stdin']) throw new InvalidArgument('can\'t specify both --password-stdin and --password')
    if (flags['password-stdin'] && !flags.username) throw new InvalidArgument('must provide --username with --password-stdin')
    const check = async (creds: {username: string; password: string}) => {
      const reg = new Registry(host, {conf, tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'], creds})
      try {
        await reg.checkLogin()
      } finally {
        reg.close()
      }
    }
    let username = flags.username
    let password = flags.password
    if (flags['password-stdin']) password = (await readStdin()).replace(/\r?\n$/, '')
    if (username === undefined && password === undefined) {
      const existing = auth.getCredentials(key, flags.authfile)
      if (existing && !existing.identityToken) {
        this.log(`Authenticating with existing credentials for ${key}`)
        try {
          await check(existing)
          this.log(`Existing credentials are valid. Already logged in to ${key}`)
          return
        } catch {
          this.log('Existing credentials are invalid, please enter valid username and password')
        }
      }
    }
    if (username === undefined) {
      if (!process.stdin.isTTY) throw new InvalidArgument('no username given (-u) and stdin is not a terminal')
      username = await readLine('Username: ')
    }
    if (username === '') throw new InvalidArgument('username can\'t be empty')
    if (password === undefined) {
      if (!process.stdin.isTTY) throw new InvalidArgument('no password given (-p or --password-stdin) and stdin is not a terminal')
      password = await readSecret('Password: ')
    }
    if (password === '') throw new InvalidArgument('password can\'t be empty')
    await check({username, password})
    const file = auth.setCredentials(key, {username, password}, flags.authfile)
    if (flags.verbose) this.log(`Used: ${file}`)
    this.log('Login Succeeded!')
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
