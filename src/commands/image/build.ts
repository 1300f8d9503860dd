import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {boolValue, goBool, goBoolArgv} from '../../cli/go-bool.js'
import {buildContainerFlags, buildPullFlags} from '../../cli/build-flags.js'
import {buildPlatform, parseBuildContexts, parseBuildEnv, readBuildArgFile, toBuildRunOptions} from '../../cli/build-spec.js'
import {credsFlag} from '../../cli/registry-flags.js'
import {parseBuildOutput} from '../../cli/build-output.js'
import {parseBuildSsh} from '../../cli/build-ssh.js'
import {checkDecryptionKeys} from '../../cli/build-refused.js'
import {InvalidArgument, load} from '../../libpod/index.js'

const PULL: Record<string, 'missing' | 'always' | 'never' | 'newer'> = {
  true: 'missing', missing: 'missing', ifmissing: 'missing', always: 'always', false: 'never', never: 'never', ifnewer: 'newer', newer: 'newer',
}

const CPP_MARK = '\u0001'

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
    ...buildContainerFlags, // RUN steps: --cap-add, --security-opt, --ulimit, --memory, --userns, --volume, --dns, --network ... (build-flags.ts)
    ...buildPullFlags, // pulls of base images: --authfile, --tls-verify, --creds, --platform, --retry ...
    'all-platforms': Flags.boolean({description: "Attempt to build for all base image platforms: each base image must be a manifest list in its registry (as Podman checks); peapod then refuses, it builds for one platform at a time"}),
    annotation: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set metadata for an image (an annotation of its manifest, KEY=VALUE)'}),
    'build-arg': Flags.string({multiple: true, multipleNonGreedy: true, description: 'argument=value to supply to the builder'}),
    'build-arg-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'A file of argument=value lines to supply to the builder (# comments and blank lines skipped); --build-arg wins'}),
    'build-context': Flags.string({multiple: true, multipleNonGreedy: true, description: 'name=value: an additional build context that COPY --from=name, RUN --mount=from=name and FROM name use: a directory, an http(s) URL of a tar archive, or docker-image://IMAGE'}),
    'cache-from': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Remote repository (REGISTRY/REPO) where each step\'s cached image is looked up by its cache key and pulled on a hit, so the step does not run again; repeatable'}),
    'cache-to': Flags.string({description: 'Remote repository (REGISTRY/REPO) to which each step\'s new image is pushed, tagged by its cache key (for a later --cache-from)'}),
    'cache-ttl': Flags.string({description: 'Only consider cached images younger than this duration (e.g. 10m, 1h; 0 uses no cache)'}),
    'cpp-flag': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set additional flag to pass to C preprocessor (cpp), which runs a Containerfile whose name ends in .in'}),
    compress: Flags.boolean({description: 'This is a legacy option, which has no effect on the image (as in Podman)'}),
    'decryption-key': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Key needed to decrypt the image (KEY[:PASSPHRASE]); encrypted images are not supported, so a readable key is refused'}),
    'disable-compression': goBool("Don't compress layers by default (default true; peapod's store keeps layers uncompressed either way)", 'D'),
    'disable-content-trust': Flags.boolean({description: 'This is a Docker specific option and is a NOOP'}),
    env: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set environment variable for the image (KEY=VALUE; RUN steps see it too)'}),
    file: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Pathname of a Containerfile (- for stdin); default: Containerfile, then Dockerfile in the context'}),
    from: Flags.string({description: 'Image name used to replace the value in the first FROM instruction in the Containerfile'}),
    'force-rm': goBool('Always remove intermediate containers after a build, even if the build is unsuccessful (default true)'),
    format: Flags.string({description: 'Format of the built image\'s manifest and metadata (oci or docker)', default: process.env.BUILDAH_FORMAT ?? 'oci'}),
    'identity-label': goBool('Add the default identity label io.peapod.version (default true)'),
    iidfile: Flags.string({description: 'File to write the image ID to'}),
    ignorefile: Flags.string({description: 'Path to an alternate .containerignore/.dockerignore file'}),
    jobs: Flags.integer({description: 'How many stages to run in parallel: a stage starts once the stages it uses are built (default 1; 0 for no limit)'}),
    label: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set metadata for an image (a label, KEY=VALUE)'}),
    layers: goBool('Cache intermediate layers during build (default true)'),
    network: Flags.string({description: "Network mode of RUN steps: 'host' (default) or 'none'"}),
    isolation: Flags.string({description: 'Type of process isolation of RUN steps: oci (the default), rootless (the same, rootless), chroot (the host\'s network and PID namespaces). Use BUILDAH_ISOLATION environment variable to override.'}),
    logfile: Flags.string({description: 'Log to file instead of stdout/stderr'}),
    logsplit: goBool('Split logfile to different files for each platform: with --logfile FILE, the build\'s output goes to FILE_OS_ARCH[_VARIANT] (the --platform/--os/--arch given, empty for the host\'s), FILE stays empty'),
    manifest: Flags.string({description: 'Add the image to the specified manifest list. Creates manifest list if it does not exist'}),
    output: Flags.string({char: 'o', description: 'Output destination of the final stage\'s rootfs: a directory (PATH or type=local,dest=PATH), a tar archive (type=tar,dest=FILE), or - for a tar archive on stdout'}),
    'no-cache': goBool('Do not use existing cached images for the container build'),
    'omit-history': goBool('Omit build history information from the built image'),
    'os-feature': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Set required OS feature for the target image in addition to values from the base image'}),
    'os-version': Flags.string({description: 'Set required OS version for the target image instead of the value from the base image'}),
    pull: Flags.string({description: 'Pull the base image: missing (true, the default), always, never (false), newer'}),
    quiet: goBool('Refrain from announcing build instructions and image read/write progress', 'q'),
    rm: goBool('Remove intermediate containers after a successful build (default true)'),
    squash: Flags.boolean({description: "Squash the image's new layers into a single new layer; the base image's layers are kept"}),
    'squash-all': Flags.boolean({description: "Squash all of the image's layers, the base image's too, into a single layer"}),
    'skip-unused-stages': goBool('Skip stages in multi-stage builds which do not affect the final target (default true)'),
    stdin: Flags.boolean({description: 'Pass stdin into the RUN steps\' containers'}),
    'sign-by': Flags.string({description: 'Sign the image using a GPG key with the specified FINGERPRINT (not supported: refused)'}),
    ssh: Flags.string({multiple: true, multipleNonGreedy: true, description: "SSH agent socket or keys to expose to the build (ID[=SOCKET|KEY[,KEY...]]; 'default': $SSH_AUTH_SOCK), for RUN --mount=type=ssh,id=ID"}),
    secret: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Secret file to expose to the build: id=ID,src=PATH (mounted by RUN --mount=type=secret,id=ID)'}),
    tag: Flags.string({char: 't', multiple: true, multipleNonGreedy: true, description: 'Tagged name to apply to the built image'}),
    target: Flags.string({description: 'Set the target build stage to build'}),
    unsetenv: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Unset environment variable from the final image'}),
    timestamp: Flags.integer({description: 'Set created timestamp to the specified epoch seconds to allow for deterministic builds (file times in the new layers too), defaults to current time'}),
  }

  /**
   * --logfile: the build runs again with its stdout and stderr (its RUN
   * steps' output too) on the file; this process passes its exit code on.
   */
  private async intoLogfile(file: string, split?: {os?: string; arch?: string; variant?: string}): Promise<void> {
    const {openSync, closeSync} = await import('node:fs')
    const {spawn} = await import('node:child_process')
    let fd: number
    try {
      fd = openSync(file, 'w', 0o600)
      if (split) {
        // --logsplit: the one platform's log, named as buildah names it (FILE_OS_ARCH[_VARIANT])
        closeSync(fd)
        fd = openSync(`${file}_${split.os ?? ''}_${split.arch ?? ''}${split.variant ? `_${split.variant}` : ''}`, 'w', 0o600)
      }
    } catch (e) {
      throw new InvalidArgument(`opening log file: ${(e as Error).message}`)
    }
    const args: string[] = []
    for (let i = 0; i < this.argv.length; i++) {
      const a = this.argv[i]
      if (a === '--logfile') i++
      else if (!a.startsWith('--logfile=')) args.push(a)
    }
    const child = spawn(process.execPath, [process.argv[1], 'build', ...args], {stdio: ['inherit', fd, fd]})
    closeSync(fd)
    // a ^C reaches the child too (same process group): wait for it
    const noop = () => {}
    process.on('SIGINT', noop)
    process.exitCode = await new Promise<number>(resolve => child.on('close', (code, sig) => resolve(code ?? (sig ? 128 + 2 : 125))))
    process.off('SIGINT', noop)
  }

  async run(): Promise<void> {
    const bare: string[] = []
    for (let i = 0; i < this.argv.length; i++) {
      const a = this.argv[i]
      if (a === '--') {
        bare.push(...this.argv.slice(i))
        break
      }
      // --cpp-flag's value is a cpp option ("-DX", where oclif sees -D): marked, so it is not read as a flag
      if (a === '--cpp-flag' && i + 1 < this.argv.length) bare.push(`--cpp-flag=${CPP_MARK}${this.argv[++i]}`)
      else if (a.startsWith('--cpp-flag=')) bare.push(`--cpp-flag=${CPP_MARK}${a.slice('--cpp-flag='.length)}`)
      else bare.push(a === '--pull' ? '--pull=true' : a)
    }
    const argv0 = goBoolArgv(bare, {
      'force-rm': undefined, layers: undefined, 'no-cache': undefined, quiet: 'q', rm: undefined, 'http-proxy': undefined, 'no-hosts': undefined,
      'tls-verify': undefined, 'identity-label': undefined, logsplit: undefined, 'omit-history': undefined, 'skip-unused-stages': undefined, 'disable-compression': 'D',
    })
    const {argv, flags} = await this.parse(ImageBuild, argv0)
    if (flags.logfile !== undefined) return this.intoLogfile(flags.logfile, flags.logsplit === 'true' ? buildPlatform(flags) ?? {} : undefined)
    const args = argv as string[]
    const output = flags.output === undefined ? undefined : parseBuildOutput(flags.output)
    // a tar on stdout: the build's own lines go to stderr
    const toStdout = output?.type === 'tar' && output.dest === undefined
    const say = (line: string) => (toStdout ? process.stderr : process.stdout).write(line + '\n')
    if (args.length > 1) throw new InvalidArgument(`accepts at most 1 arg(s), received ${args.length}`)
    const format = flags.format === 'docker' ? 'docker' : flags.format === 'oci' ? 'oci' : undefined
    if (!format) throw new InvalidArgument(`unrecognized image type "${flags.format}"`)
    const pull = PULL[(flags.pull ?? 'missing').toLowerCase()]
    if (!pull) throw new InvalidArgument(`invalid pull policy "${flags.pull}"`)
    if ((flags.file?.length ?? 0) > 1) throw new InvalidArgument('only one Containerfile (-f) is supported')
    // Podman 4.3.1's one message for both conflicts
    if (flags.squash && (flags['squash-all'] || flags.layers === 'true')) throw new InvalidArgument('cannot specify --squash with --layers and --squash-all with --squash')
    const isolation = flags.isolation ?? process.env.BUILDAH_ISOLATION ?? 'oci'
    if (!['oci', 'rootless', 'chroot'].includes(isolation)) throw new InvalidArgument(`unrecognized isolation type ${JSON.stringify(isolation)}`)
    checkDecryptionKeys(flags['decryption-key'] ?? [])
    const ssh = parseBuildSsh(flags.ssh ?? [])
    if (flags['sign-by'] !== undefined) throw new InvalidArgument('--sign-by: signing images is not supported')
    const run = toBuildRunOptions(flags)
    if (isolation === 'chroot') {
      // buildah's chroot isolation: the host's network and PID namespaces, a UTS namespace of its own (IPC stays private: a host without /dev/mqueue can't share it)
      if (flags.network !== undefined && !['host', 'private', 'default'].includes(flags.network)) throw new InvalidArgument(`--network=${flags.network} is not supported with --isolation=chroot`)
      run.network = {...run.network, netns: {mode: 'host'}}
      run.pid ??= 'host'
    }
    const platform = buildPlatform(flags)
    if (flags.platform && (flags.os || flags.arch)) throw new InvalidArgument('--platform option can not be specified with --arch or --os')
    let cacheTtlMs: number | undefined
    if (flags['cache-ttl'] !== undefined) {
      const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)?$/.exec(flags['cache-ttl'])
      if (!m || (m[2] === undefined && m[1] !== '0')) throw new InvalidArgument(`time: invalid duration ${JSON.stringify(flags['cache-ttl'])}`)
      cacheTtlMs = Number(m[1]) * ({ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6}[m[2] ?? 'ms'] ?? 1)
    }
    let retryDelayMs = 2000
    if (flags['retry-delay'] !== undefined) {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(flags['retry-delay'])
      if (!m) throw new InvalidArgument(`time: invalid duration ${JSON.stringify(flags['retry-delay'])}`)
      retryDelayMs = Number(m[1]) * {ms: 1, s: 1e3, m: 6e4}[m[2] as 'ms']
    }
    if (flags.retry < 0) throw new InvalidArgument('--retry must be 0 or more')
    const tls = flags['tls-verify']
    const secrets: Record<string, string> = {}
    for (const s of flags.secret ?? []) {
      const kv = Object.fromEntries(s.split(',').map(p => [p.split('=')[0], p.slice(p.indexOf('=') + 1)]))
      if (!kv.id || !kv.src) throw new InvalidArgument(`invalid secret ${JSON.stringify(s)}: id=ID,src=PATH`)
      secrets[kv.id] = kv.src
    }
    const argFiles = (flags['build-arg-file'] ?? []).flatMap(f => readBuildArgFile(f))
    const buildArgs = {...pairs(argFiles, 'build-arg', false), ...pairs(flags['build-arg'], 'build-arg', true)}
    const buildContexts = parseBuildContexts(flags['build-context'] ?? [])
    const creds = await credsFlag(flags.creds)
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
      layers: !flags.squash && !flags['squash-all'] && boolValue(flags.layers, (process.env.BUILDAH_LAYERS ?? 'true') !== 'false'),
      rm: boolValue(flags.rm, true),
      forceRm: boolValue(flags['force-rm'], true),
      pull,
      run,
      // as Podman: with more than one job, RUN steps read /dev/null
      runStdin: flags.stdin && (flags.jobs ?? 1) === 1,
      env: parseBuildEnv(flags.env ?? []),
      unsetEnv: flags.unsetenv ?? [],
      identityLabel: boolValue(flags['identity-label'], true),
      omitHistory: boolValue(flags['omit-history'], false),
      from: flags.from,
      platform,
      osVersion: flags['os-version'],
      osFeatures: flags['os-feature'],
      pullOptions: {authfile: flags.authfile, certDir: flags['cert-dir'], creds, ...tls === undefined ? {} : {tlsVerify: tls === 'true'}},
      retry: {count: flags.retry, delayMs: retryDelayMs},
      cacheTtlMs,
      skipUnusedStages: boolValue(flags['skip-unused-stages'], true),
      buildContexts,
      squash: flags['squash-all'] ? 'all' : flags.squash ? 'new' : undefined,
      ignoreFile: flags.ignorefile,
      secrets,
      timestamp: flags.timestamp,
      jobs: flags.jobs,
      cacheFrom: flags['cache-from']?.flatMap(v => v.split(',')).filter(Boolean),
      cacheTo: flags['cache-to'],
      ssh,
      allPlatforms: flags['all-platforms'],
      cppFlags: flags['cpp-flag']?.map(v => v.replace(CPP_MARK, '')),
      stdin: process.stdin,
      out: say,
      warn: m => process.stderr.write(`WARN[0000] ${m}\n`),
    })
    if (flags.iidfile) writeIidFile(flags.iidfile, id)
    if (output || flags.manifest !== undefined) {
      const {writeBuildOutput, addToManifest} = await load.buildOutput()
      if (flags.manifest !== undefined) await addToManifest(rt, flags.manifest, id)
      if (output) await writeBuildOutput(rt, id, output)
    }
    say(id)
  }
}
