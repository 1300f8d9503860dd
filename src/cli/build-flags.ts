// The flags of `build` that shape its RUN steps' containers and its pulls
// (Podman 4.3.1's names, short forms and descriptions). build-spec.ts turns
// their values into typed options: ContainerSpec fields for every RUN step,
// pull options, image config changes.
import {Flags} from './oclif.js'
import {goBool} from './go-bool.js'

const str = (description: string, char?: string) => Flags.string({description, ...(char ? {char: char as 'm'} : {})})
const many = (description: string, char?: string) => Flags.string({description, multiple: true, multipleNonGreedy: true, ...(char ? {char: char as 'v'} : {})})

/** The flags that give every RUN step's container its settings. */
export const buildContainerFlags = {
  'add-host': many('Add a custom host-to-IP mapping (host:ip) to the /etc/hosts of RUN steps'),
  'cap-add': many('Add the specified capability when running RUN steps'),
  'cap-drop': many('Drop the specified capability when running RUN steps'),
  'cgroup-parent': str('Optional parent cgroup for the RUN steps\' containers'),
  cgroupns: str("cgroup namespace of RUN steps: 'private', or 'host'"),
  'cpu-period': str('Limit the CPU CFS (Completely Fair Scheduler) period of RUN steps'),
  'cpu-quota': str('Limit the CPU CFS (Completely Fair Scheduler) quota of RUN steps'),
  'cpu-shares': str('CPU shares (relative weight) of RUN steps', 'c'),
  'cpuset-cpus': str('CPUs in which RUN steps may execute (0-3, 0,1)'),
  'cpuset-mems': str('Memory nodes (MEMs) in which RUN steps may execute (0-3, 0,1). Only effective on NUMA systems.'),
  device: many('Additional devices for RUN steps (HOST-DEVICE[:CONTAINER-DEVICE][:PERMISSIONS])'),
  dns: many("Set custom DNS servers of RUN steps, or 'none' for no /etc/resolv.conf"),
  'dns-option': many('Set custom DNS options of RUN steps'),
  'dns-search': many('Set custom DNS search domains of RUN steps'),
  'http-proxy': goBool('Pass through the HTTP proxy environment variables to RUN steps (default true)'),
  ipc: str("IPC namespace of RUN steps: 'private', 'host', or ns:PATH of one to join"),
  memory: str('Memory limit of RUN steps (format: <number>[<unit>], where unit = b, k, m or g)', 'm'),
  'memory-swap': str("Swap limit of RUN steps, equal to memory plus swap: '-1' to enable unlimited swap"),
  network: str("Network of RUN steps: 'private' (the default network; slirp4netns rootless), 'none', 'host', ns:PATH, or a network's name"),
  'no-hosts': goBool('Do not create a new /etc/hosts for RUN steps, use the one from the base image'),
  pid: str("PID namespace of RUN steps: 'private', 'host', or ns:PATH of one to join"),
  'security-opt': many('Security options of RUN steps (seccomp=, apparmor=, label=, mask=, unmask=)'),
  'shm-size': str("Size of /dev/shm of RUN steps. The format is <number><unit>. (default \"65536k\")"),
  ulimit: many('Ulimit options of RUN steps (NAME=SOFT[:HARD])'),
  userns: str("User namespace of RUN steps: 'container' (a new one, with --userns-uid-map/--userns-gid-map), 'host', or ns:PATH"),
  'userns-gid-map': many('containerGID:hostGID:length GID mapping of the user namespace of RUN steps'),
  'userns-gid-map-group': str('Name of the /etc/subgid entries to set the GID mapping of the user namespace of RUN steps'),
  'userns-uid-map': many('containerUID:hostUID:length UID mapping of the user namespace of RUN steps'),
  'userns-uid-map-user': str('Name of the /etc/subuid entries to set the UID mapping of the user namespace of RUN steps'),
  uts: str("UTS namespace of RUN steps: 'private', 'host', or ns:PATH of one to join"),
  volume: many('Bind mount a volume into the RUN steps\' containers (HOST-DIR:CONTAINER-DIR[:OPTIONS]); what is written there is in no layer', 'v'),
}

/** The flags of the pulls a build makes (FROM, COPY --from of an image). */
export const buildPullFlags = {
  arch: str('Set the architecture of the image (and of the base images pulled) instead of the host\'s'),
  authfile: str('Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'),
  'cert-dir': str('Use certificates at the specified path to access the registry'),
  creds: str('Use [username[:password]] for accessing the registry'),
  os: str('Set the OS of the image (and of the base images pulled) instead of the host\'s'),
  platform: str('Set the OS/ARCH[/VARIANT] of the image instead of the host\'s (for example linux/amd64)'),
  retry: Flags.integer({description: 'Number of times to retry a pull of a base image in case of failure', default: 3}),
  'retry-delay': str('Delay between retries in case of pull failures (default "2s")'),
  'tls-verify': goBool('Require HTTPS and verify certificates when accessing the registry (default true)'),
  variant: str('Override the variant of the image'),
}
