import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {boolValue, goBool, goBoolArgv} from '../../cli/go-bool.js'
import {InvalidArgument, load} from '../../libpod/index.js'

const PULL: Record<string, 'missing' | 'always' | 'never' | 'newer'> = {
  true: 'missing', missing: 'missing', ifmissing: 'missing', always: 'always', false: 'never', never: 'never', ifnewer: 'newer', newer: 'newer',
}

/** KEY=VALUE flags into a record (a bare KEY takes the caller's environment, as Podman). */
function pairs(values: string[] | undefined, what: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values ?? []) {
    const i = v.indexOf('=')
    const k = i < 0 ? v : v.slice(0, i)
    if (k === '') throw new InvalidArgument(`invalid ${what} ${JSON.stringify(v)}: the name is empty`)
    if (i < 0) {
      if (!fromEnv) {
        out[k] = ''
        continue
      }
      const env = process.env[k]
      if (env !== undefined) out[k] = env
      continue
    }
    out[k] = v.slice(i + 1)
  }
  return out
}

export default class ImageBuild extends BaseCommand {
  static override summary = 'Build an image using instructions from Containerfiles'
  static override description = 'Builds an image using instructions from one or more Containerfiles or Dockerfiles and a specified build context directory (or a tar archive on stdin with "-"). Each RUN step runs in a container through the OCI runtime; every instruction is committed as an image, which the layer cache reuses when the parent, the instruction, the build args it uses and the content of COPY/ADD sources are the same.'
  static override aliases = ['build', 'buildx:build']
  static override strict = false
  static override usage = 'build [options] [CONTEXT]'
  static override args = {context: Args.string({description: 'build context directory, or - for a tar archive on stdin'})}
  static override flags = {
    annotation: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set metadata for an image (an annotation of its manifest, KEY=VALUE)'}),
    'build-arg': Flags.string({multiple: true, multipleNonGreedy: true, description: 'argument=value to supply to the builder'}),
    file: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Pathname of a Containerfile (- for stdin); default: Containerfile, then Dockerfile in the context'}),
    'force-rm': goBool('Always remove intermediate containers after a build, even if the build is unsuccessful (default true)'),
    format: Flags.string({description: 'Format of the built image\'s manifest and metadata (oci or docker)', default: process.env.BUILDAH_FORMAT ?? 'oci'}),
    iidfile: Flags.string({description: 'File to write the image ID to'}),
    ignorefile: Flags.string({description: 'Path to an alternate .containerignore/.dockerignore file'}),
    label: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set metadata for an image (a label, KEY=VALUE)'}),
    layers: goBool('Cache intermediate layers during build (default true)'),
    network: Flags.string({description: "Network mode of RUN steps: 'host' (default) or 'none'"}),
    'no-cache': goBool('Do not use existing cached images for the container build'),
    pull: Flags.string({description: 'Pull the base image: missing (true, the default), always, never (false), newer'}),
    quiet: goBool('Refrain from announcing build instructions and image read/write progress', 'q'),
    rm: goBool('Remove intermediate containers after a successful build (default true)'),
    secret: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Secret file to expose to the build: id=ID,src=PATH (mounted by RUN --mount=type=secret,id=ID)'}),
    tag: Flags.string({char: 't', multiple: true, multipleNonGreedy: true, description: 'Tagged name to apply to the built image'}),
    target: Flags.string({description: 'Set the target build stage to build'}),
    timestamp: Flags.integer({description: 'Set created timestamp to the specified epoch seconds to allow for deterministic builds (file times in the new layers too), defaults to current time'}),
  }

  async run(): Promise<void> {
    const bare = this.argv.map(a => (a === '--pull' ? '--pull=true' : a))
    const argv0 = goBoolArgv(bare, {'force-rm': undefined, layers: undefined, 'no-cache': undefined, quiet: 'q', rm: undefined})
    const {argv, flags} = await this.parse(ImageBuild, argv0)
    const args = argv as string[]
    if (args.length > 1) throw new InvalidArgument(`accepts at most 1 arg(s), received ${args.length}`)
    const format = flags.format === 'docker' ? 'docker' : flags.format === 'oci' ? 'oci' : undefined
    if (!format) throw new InvalidArgument(`unrecognized image type "${flags.format}"`)
    const pull = PULL[(flags.pull ?? 'missing').toLowerCase()]
    if (!pull) throw new InvalidArgument(`invalid pull policy "${flags.pull}"`)
    if ((flags.file?.length ?? 0) > 1) throw new InvalidArgument('only one Containerfile (-f) is supported')
    let network: {mode: 'host' | 'none'} | undefined
    if (flags.network !== undefined) {
      if (flags.network !== 'host' && flags.network !== 'none') throw new InvalidArgument(`network mode ${JSON.stringify(flags.network)} is not supported by build: use host or none`)
      network = {mode: flags.network}
    }
    const secrets: Record<string, string> = {}
    for (const s of flags.secret ?? []) {
      const kv = Object.fromEntries(s.split(',').map(p => [p.split('=')[0], p.slice(p.indexOf('=') + 1)]))
      if (!kv.id || !kv.src) throw new InvalidArgument(`invalid secret ${JSON.stringify(s)}: id=ID,src=PATH`)
      secrets[kv.id] = kv.src
    }
    const buildArgs = pairs(flags['build-arg'], 'build-arg', true)
    const quiet = boolValue(flags.quiet, false)
    const rt = await this.runtime(flags)
    const {build, writeIidFile} = await load.build()
    const id = await build(rt, {
      context: args[0] ?? '.',
      file: flags.file?.[0],
      tags: flags.tag ?? [],
      buildArgs,
      target: flags.target,
      quiet,
      labels: pairs(flags.label, 'label', false),
      annotations: pairs(flags.annotation, 'annotation', false),
      format,
      noCache: boolValue(flags['no-cache'], false),
      layers: boolValue(flags.layers, (process.env.BUILDAH_LAYERS ?? 'true') !== 'false'),
      rm: boolValue(flags.rm, true),
      forceRm: boolValue(flags['force-rm'], true),
      pull,
      network,
      ignoreFile: flags.ignorefile,
      secrets,
      timestamp: flags.timestamp,
      stdin: process.stdin,
      out: line => process.stdout.write(line + '\n'),
      warn: m => process.stderr.write(`WARN[0000] ${m}\n`),
    })
    if (flags.iidfile) writeIidFile(flags.iidfile, id)
    this.log(id)
  }
}
