import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseKeyValues} from '../../cli/container-spec.js'
import {boolValue, goBool, goBoolArgv} from '../../cli/go-bool.js'
import {downText, readKubeInput} from '../../cli/kube.js'
import {parseNetworkFlags} from '../../cli/network-spec.js'
import {authFlags, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load, type ContainerNetworkSpec} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

const many = (description: string) => Flags.string({description, multiple: true, multipleNonGreedy: true})

export default class KubePlay extends BaseCommand {
  static override summary = 'Play a pod or volume based on Kubernetes YAML'
  static override description = 'Creates pods, containers and volumes from Kubernetes YAML (Pod, Deployment, DaemonSet, Job, ConfigMap, Secret, PersistentVolumeClaim; other kinds are skipped with a warning) and starts them. All or nothing: images, ConfigMaps, keys and hostPaths are checked before anything is made, and a failure undoes what the play made. KUBEFILE is a file, - for stdin, or an http(s) URL.'
  static override aliases = ['play:kube']
  static override usage = '[options] KUBEFILE|-'
  static override examples = ['peapod kube play web.yaml', 'peapod kube play --replace --configmap cm.yaml web.yaml', 'cat web.yaml | peapod kube play -']
  static override args = {file: Args.string({description: 'Kubernetes YAML: a path, - for stdin, or a URL'})}
  static override flags = {
    annotation: many('Add annotations to pods (key=value)'),
    ...authFlags,
    ...tlsFlags,
    build: goBool('Build all images in a YAML (given Containerfiles exist): a directory named like the image under --context-dir holds its Containerfile or Dockerfile; without --build only missing images are built, --build=false never builds'),
    configmap: many('`Pathname` of a YAML file containing a kubernetes configmap (repeatable, or comma separated)'),
    'context-dir': Flags.string({description: 'Path to top level of context directory: where the image directories for --build are (default: the working directory)'}),
    down: Flags.boolean({description: 'Stop and remove the pods, containers and volumes the YAML describes (kube down)'}),
    ip: many('Static IP addresses to assign to the pods (one per pod, in order)'),
    'log-driver': Flags.string({description: 'Logging driver for the container (default "k8s-file")'}),
    'log-opt': many('Logging driver options'),
    'mac-address': many('Static MAC addresses to assign to the pods (one per pod, in order)'),
    network: many('Connect pod to network(s) or network mode'),
    'no-hosts': Flags.boolean({description: 'Do not create /etc/hosts within the pod\'s containers, instead use the version from the image'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pulling images'}),
    replace: Flags.boolean({description: 'Delete and recreate pods defined in the YAML file'}),
    'seccomp-profile-root': Flags.string({description: 'Directory path for seccomp profiles: where localhost/ profiles of the seccomp annotations and securityContext.seccompProfile are read', default: '/var/lib/kubelet/seccomp'}),
    'service-container': Flags.string({options: ['true', 'false'], description: 'Starts a service container with the pods (what Quadlet\'s .kube units run): systemd tracks it, and kube down removes it', hidden: true}),
    start: goBool('Start the pod after creating it (default true)'),
    userns: Flags.string({description: 'User namespace to use for the pods (host, auto, keep-id, nomap, ns:PATH, container:ID; default $PODMAN_USERNS)'}),
    wait: Flags.boolean({char: 'w', description: 'Run the pods in the foreground until their containers exit; Ctrl-C (or SIGTERM) takes them down. The pods and the volumes this play made are removed at the end'}),
    validate: Flags.string({description: 'How to treat fields Kubernetes does not know: warn (default) or strict (an error; beyond Podman 4.3.1)', options: ['warn', 'strict'], default: 'warn'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KubePlay, goBoolArgv(this.argv, {start: undefined, 'tls-verify': undefined, build: undefined, 'service-container': undefined}))
    if (!args.file) throw new InvalidArgument('accepts 1 arg(s), received 0')
    const text = await readKubeInput(args.file)
    const rt = await this.runtime(flags)
    const kube = await load.kube()
    if (flags.down) {
      this.log(downText(await kube.kubeDown(rt, text, {})))
      return
    }
    if (flags['context-dir'] !== undefined && boolValue(flags.build, false) !== true) throw new InvalidArgument('--build must be specified when using --context-dir option')
    const usernsText = flags.userns ?? process.env.PODMAN_USERNS
    const userns = usernsText ? (await load.specgen()).parseUsernsMode(usernsText) : undefined
    const configMaps = await Promise.all((flags.configmap ?? []).flatMap(v => v.split(',')).filter(Boolean).map(f => readKubeInput(f)))
    const ips = flags.ip ?? []
    const macs = flags['mac-address'] ?? []
    if (ips.length > 1 || macs.length > 1) throw new InvalidArgument('--ip and --mac-address take one value per pod: only one pod per play is supported with them')
    const network: ContainerNetworkSpec | undefined = flags.network?.length ? parseNetworkFlags(flags.network) : undefined
    const {reporterFor} = await load.registryProgress()
    // --service-container: READY=1 to systemd once the pods run, from play only
    const serviceContainer = boolValue(flags['service-container'], false)
    const notifySocket = serviceContainer ? kube.takeNotifySocket() : undefined
    const report = await kube.playKube(rt, text, {
      start: boolValue(flags.start, true),
      replace: flags.replace,
      strict: flags.validate === 'strict',
      configMaps,
      network,
      staticIP: ips[0],
      staticMAC: macs[0],
      noHosts: flags['no-hosts'],
      logDriver: flags['log-driver'],
      logOptions: flags['log-opt'] ? parseKeyValues(flags['log-opt'], 'log-opt') : undefined,
      annotations: flags.annotation ? parseKeyValues(flags.annotation, 'annotation') : undefined,
      ...userns ? {userns} : {},
      seccompProfileRoot: flags['seccomp-profile-root'],
      build: {
        build: flags.build === undefined ? undefined : boolValue(flags.build, true),
        contextDir: flags['context-dir'],
        ...flags.quiet ? {} : {out: (line: string) => process.stderr.write(line + '\n')},
        warn: (m: string) => rt.logger.warn(m),
      },
      serviceContainer,
      pull: {
        tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'], authfile: flags.authfile, creds: await credsFlag(flags.creds),
        reporter: reporterFor(process.stderr, flags.quiet),
      },
    })
    for (const w of report.warnings) rt.logger.warn(w)
    if (report.serviceContainer) kube.notifyServiceReady(rt, report.serviceContainer, notifySocket)
    // Podman's report.
    let out = ''
    if (report.volumes.length) out += `Volumes:\n${report.volumes.join('\n')}\n`
    // As Podman 4.3.1 prints it: Container or Containers by the count; init containers not listed.
    for (const p of report.pods) {
      out += `Pod:\n${p.id}\n`
      if (!p.containers.length) continue
      out += `${p.containers.length === 1 ? 'Container' : 'Containers'}:\n${p.containers.join('\n')}\n\n`
    }
    writeOut(out)
    if (flags.wait) {
      // Until every container has exited, or a signal: then down, volumes too.
      let stop!: () => void
      const signalled = new Promise<void>(resolve => {
        stop = resolve
      })
      process.once('SIGINT', stop).once('SIGTERM', stop)
      await Promise.race([signalled, Promise.all(report.pods.flatMap(p => p.containers).map(id => rt.container(id).wait()))])
      await kube.kubeDown(rt, text, {})
      for (const v of report.volumes) await rt.volume(v).remove({force: true})
    }
  }
}
