// The flags `create` and `run` share (Podman's names and short forms), and
// their translation into libpod's CreateOptions.
import {Flags} from './oclif.js'
import {existsSync, readFileSync} from 'node:fs'
import {networkFlags, toNetworkFlags} from './network-flags.js'
import {type CreateOptions, InvalidArgument} from '../libpod/index.js'

const many = (description: string, char?: string) =>
  Flags.string({description, multiple: true, multipleNonGreedy: true, ...(char ? {char: char as 'e'} : {})})

export const createFlags = {
  annotation: many('Add annotations to container (key=value)'),
  'cap-add': many('Add capabilities to the container'),
  'cap-drop': many('Drop capabilities from the container'),
  cidfile: Flags.string({description: 'Write the container ID to the file'}),
  entrypoint: Flags.string({description: 'Overwrite the default ENTRYPOINT of the image'}),
  env: many('Set environment variables in container', 'e'),
  'env-file': many('Read in a file of environment variables'),
  'env-host': Flags.boolean({description: 'Use all current host environment variables in container'}),
  'health-cmd': Flags.string({description: 'set a healthcheck command for the container (\'none\' disables the existing healthcheck)'}),
  'health-interval': Flags.string({description: 'set an interval for the healthchecks (a value of disable results in no automatic timer setup)', default: '30s'}),
  'health-on-failure': Flags.string({description: 'action to take once the container turns unhealthy', default: 'none'}),
  'health-retries': Flags.integer({description: 'the number of retries allowed before a healthcheck is considered to be unhealthy', default: 3}),
  'health-start-period': Flags.string({description: 'the initialization time needed for a container to bootstrap', default: '0s'}),
  'health-timeout': Flags.string({description: 'the maximum time allowed to complete the healthcheck before an interval is considered failed', default: '30s'}),
  hostname: Flags.string({char: 'h', description: 'Set container hostname'}),
  init: Flags.boolean({description: 'Run an init binary inside the container that forwards signals and reaps processes'}),
  interactive: Flags.boolean({char: 'i', description: 'Keep STDIN open even if not attached'}),
  label: many('Set metadata on container', 'l'),
  'log-driver': Flags.string({description: 'Logging driver for the container (k8s-file, none, passthrough)'}),
  'log-opt': many('Logging driver options'),
  mount: many('Attach a filesystem mount to the container (type=bind|volume|tmpfs|image,src=...,dst=...[,options])'),
  name: Flags.string({description: 'Assign a name to the container'}),
  ...networkFlags, // NETWORK: --network/--net, -p, -P, --dns*, --add-host, --no-hosts, --network-alias, --ip, --mac-address
  'no-healthcheck': Flags.boolean({description: 'Disable healthchecks on container'}),
  pod: Flags.string({description: 'Run container in an existing pod (new:NAME creates the pod)'}),
  privileged: Flags.boolean({description: 'Give extended privileges to container'}),
  pull: Flags.string({description: 'Pull image policy', options: ['always', 'missing', 'never', 'newer'], default: 'missing'}),
  'read-only': Flags.boolean({description: "Make containers root filesystem read-only"}),
  rm: Flags.boolean({description: 'Remove container (and pod if created) after exit'}),
  'security-opt': many('Security Options'),
  'sig-proxy': Flags.boolean({description: 'Proxy received signals to the process', default: true, allowNo: true}),
  'stop-signal': Flags.string({description: 'Signal to stop a container. Default is SIGTERM'}),
  'stop-timeout': Flags.integer({min: 0, description: 'Timeout (in seconds) that containers stopped by user command have to exit. If exceeded, the container will be forcibly stopped via SIGKILL'}),
  tmpfs: many('Mount a temporary filesystem (tmpfs) into a container'),
  tty: Flags.boolean({char: 't', description: 'Allocate a pseudo-TTY for container'}),
  ulimit: many('Ulimit options'),
  user: Flags.string({char: 'u', description: 'Username or UID (format: <name|uid>[:<group|gid>])'}),
  volume: many('Bind mount a volume into the container', 'v'),
  'volumes-from': many('Mount volumes from the specified container(s)'),
  workdir: Flags.string({char: 'w', description: 'Working directory inside the container'}),
}

export type CreateFlagValues = {[K in keyof typeof createFlags]?: unknown}

/** The entrypoint flag: a JSON array or a plain string; '' clears the image's. */
export function parseEntrypoint(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined
  if (v === '') return []
  if (v.trim().startsWith('[')) {
    try {
      const arr = JSON.parse(v)
      if (Array.isArray(arr) && arr.every(x => typeof x === 'string')) return arr
    } catch {
      // not JSON: taken as a plain command below
    }
  }
  return [v]
}

/** --cidfile must not exist yet (Podman refuses to overwrite another container's). */
export function checkCidfile(file: string | undefined): void {
  if (file && existsSync(file)) throw new InvalidArgument(`container id file exists. Ensure another container is not using it or delete ${file}`)
}

export function toCreateOptions(f: Record<string, unknown>, image: string, command: string[]): CreateOptions {
  const list = (k: string) => (f[k] as string[] | undefined) ?? []
  const envFiles = list('env-file').map(file => {
    try {
      return readFileSync(file, 'utf8')
    } catch {
      throw new InvalidArgument(`open ${file}: no such file or directory`)
    }
  })
  return {
    image,
    command,
    name: f.name as string | undefined,
    entrypoint: parseEntrypoint(f.entrypoint as string | undefined),
    env: list('env'),
    envFiles,
    envHost: f['env-host'] as boolean,
    workdir: f.workdir as string | undefined,
    user: f.user as string | undefined,
    hostname: f.hostname as string | undefined,
    labels: list('label'),
    annotations: list('annotation'),
    tty: f.tty as boolean,
    interactive: f.interactive as boolean,
    remove: f.rm as boolean,
    readOnly: f['read-only'] as boolean,
    privileged: f.privileged as boolean,
    init: f.init as boolean,
    capAdd: list('cap-add'),
    capDrop: list('cap-drop'),
    securityOpt: list('security-opt'),
    volumes: list('volume'),
    mounts: list('mount'),
    volumesFrom: list('volumes-from'),
    tmpfs: list('tmpfs'),
    ulimits: list('ulimit'),
    net: toNetworkFlags(f), // NETWORK
    stopSignal: f['stop-signal'] as string | undefined,
    stopTimeout: f['stop-timeout'] as number | undefined,
    logDriver: f['log-driver'] as string | undefined,
    logOptions: list('log-opt'),
    sigProxy: f['sig-proxy'] as boolean,
    health: {
      cmd: f['health-cmd'] as string | undefined,
      interval: f['health-interval'] as string | undefined,
      retries: f['health-retries'] as number | undefined,
      timeout: f['health-timeout'] as string | undefined,
      startPeriod: f['health-start-period'] as string | undefined,
      onFailure: f['health-on-failure'] as string | undefined,
      noHealthcheck: f['no-healthcheck'] as boolean | undefined,
    },
    createCommand: ['peapod', ...process.argv.slice(2)],
    pod: f.pod as string | undefined,
  }
}
