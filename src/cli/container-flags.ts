// The flags `create` and `run` share (Podman's names and short forms);
// container-spec.ts turns their values into a ContainerSpec.
import {Flags} from './oclif.js'
import {existsSync} from 'node:fs'
import {InvalidArgument} from '../libpod/index.js'
import {networkFlags} from './network-flags.js'
import {resourceFlags} from './resource-flags.js'
import {namespaceFlags} from './namespace-flags.js'
import {lifecycleFlags} from './lifecycle-flags.js'
import {imageFlags} from './image-flags.js'

export {parseEntrypoint} from './container-spec.js'

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
  ...resourceFlags, // RESOURCES: --memory, --cpus, --pids-limit, --cgroup-parent … (resource-flags.ts)
  ...namespaceFlags, // USERS/NAMESPACES/DEVICES: --userns, --uidmap, --ipc/--pid/--uts, --device, --group-add, --passwd*, --umask ...
  ...networkFlags, // NETWORK: --network/--net, -p, -P, --dns*, --add-host, --no-hosts, --network-alias, --ip, --mac-address
  'no-healthcheck': Flags.boolean({description: 'Disable healthchecks on container'}),
  pod: Flags.string({description: 'Run container in an existing pod (new:NAME creates the pod)'}),
  privileged: Flags.boolean({description: 'Give extended privileges to container'}),
  pull: Flags.string({description: 'Pull image policy', options: ['always', 'missing', 'never', 'newer'], default: 'missing'}),
  'read-only': Flags.boolean({description: "Make containers root filesystem read-only"}),
  rootfs: Flags.boolean({description: 'The first argument is not an image but the rootfs to the exploded container (PATH, or PATH:O for an overlay over it)'}),
  rm: Flags.boolean({description: 'Remove container (and pod if created) after exit'}),
  sdnotify: Flags.string({description: 'control sd-notify behavior ("container"|"conmon"|"healthy"|"ignore")'}),
  'security-opt': many('Security Options'),
  'sig-proxy': Flags.boolean({description: 'Proxy received signals to the process', default: true, allowNo: true}),
  'stop-signal': Flags.string({description: 'Signal to stop a container. Default is SIGTERM'}),
  systemd: Flags.string({description: 'Run container in systemd mode ("true"|"false"|"always")', default: 'true'}),
  'stop-timeout': Flags.integer({min: 0, description: 'Timeout (in seconds) that containers stopped by user command have to exit. If exceeded, the container will be forcibly stopped via SIGKILL'}),
  tmpfs: many('Mount a temporary filesystem (tmpfs) into a container'),
  tty: Flags.boolean({char: 't', description: 'Allocate a pseudo-TTY for container'}),
  ulimit: many('Ulimit options'),
  user: Flags.string({char: 'u', description: 'Username or UID (format: <name|uid>[:<group|gid>])'}),
  volume: many('Bind mount a volume into the container', 'v'),
  'volumes-from': many('Mount volumes from the specified container(s)'),
  workdir: Flags.string({char: 'w', description: 'Working directory inside the container'}),
  ...imageFlags, // IMAGE: --arch/--os/--variant/--platform, --authfile, --tls-verify, --image-volume, --seccomp-policy
  ...lifecycleFlags, // LIFECYCLE/ENV: --secret, --restart, --pidfile, --timeout, --unsetenv, --tz, --sysctl ...
}

export type CreateFlagValues = {[K in keyof typeof createFlags]?: unknown}

/** --cidfile must not exist yet (Podman refuses to overwrite another container's). */
export function checkCidfile(file: string | undefined): void {
  if (file && existsSync(file)) throw new InvalidArgument(`container id file exists. Ensure another container is not using it or delete ${file}`)
}
