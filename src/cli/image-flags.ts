// create/run's image flags: the pull policy and what a pull needs
// (--authfile, --tls-verify, --arch/--os/--variant/--platform), how the
// image's VOLUMEs are mounted (--image-volume) and where the seccomp profile
// comes from (--seccomp-policy).
import {Flags} from './oclif.js'
import {InvalidArgument, load, type Runtime} from '../libpod/index.js'

export const imageFlags = {
  arch: Flags.string({description: 'use ARCH instead of the architecture of the machine for choosing images'}),
  authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
  'disable-content-trust': Flags.boolean({description: 'This is a Docker specific option and is a NOOP'}),
  'image-volume': Flags.string({description: 'Tells podman how to handle the builtin image volumes ("bind"|"tmpfs"|"ignore")', default: 'bind'}),
  os: Flags.string({description: 'use OS instead of the running OS for choosing images'}),
  platform: Flags.string({description: 'Specify the platform for selecting the image.  (Conflicts with --arch and --os)'}),
  quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pulling images'}),
  'seccomp-policy': Flags.string({description: 'Policy for selecting a seccomp profile (experimental)', default: 'default'}),
  // a Go bool as Podman's: bare, =true or =false (absent: registries.conf decides)
  'tls-verify': Flags.boolean({description: 'Require HTTPS and verify certificates when contacting registries for pulling images', allowNo: true}),
  variant: Flags.string({description: 'Use VARIANT instead of the running architecture variant for choosing images'}),
}

/**
 * The image for create/run, pulled as --pull says (missing: only when no
 * local image fits the platform asked for). Returns the reference to create
 * from: the same name, or the pulled image's ID for a transport.
 */
export async function imageForCreate(rt: Runtime, image: string, f: Record<string, unknown>): Promise<string> {
  const platform = {platform: f.platform as string | undefined, os: f.os as string | undefined, arch: f.arch as string | undefined, variant: f.variant as string | undefined}
  if (platform.platform && (platform.arch || platform.os)) throw new InvalidArgument('--platform option can not be specified with --arch or --os')
  const tls = f['tls-verify'] as boolean | undefined
  const policy = (f.pull as 'always' | 'missing' | 'never' | 'newer' | undefined) ?? 'missing'
  // The common case stays cheap: a local image and nothing that asks for a registry
  if (policy === 'missing' && !platform.platform && !platform.os && !platform.arch && !platform.variant && rt.findImage(image)) return image
  const {pullImageIfNeeded} = await load.pull()
  const reporter = (await load.registryProgress()).reporterFor(process.stderr, Boolean(f.quiet))
  const doc = await pullImageIfNeeded(rt, image, policy, {
    tlsVerify: tls,
    authfile: f.authfile as string | undefined,
    platform,
    reporter,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  })
  const named = (n: string) => n === image || n === `${image}:latest` || n.endsWith(`/${image}`) || n.endsWith(`/${image}:latest`)
  return doc.names.some(named) ? image : doc.id
}
