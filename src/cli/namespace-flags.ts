// The users, namespaces and devices flags of create and run (Podman's names
// and descriptions), spread into createFlags; pod create takes the
// podNamespaceFlags subset. namespace-spec.ts turns their values into the
// spec's typed fields.
import {Flags} from './oclif.js'

const many = (description: string) => Flags.string({description, multiple: true, multipleNonGreedy: true})

/** The flags a pod shares with create/run (pod create has these too). */
export const podNamespaceFlags = {
  device: many('Add a host device to the container (HOST-DEVICE[:CONTAINER-DEVICE][:PERMISSIONS], permissions r, w, m)'),
  gidmap: many('GID map to use for the user namespace (CONTAINER_GID:HOST_GID:AMOUNT)'),
  pid: Flags.string({description: 'PID namespace to use (host, private, container:ID, ns:PATH)'}),
  subgidname: Flags.string({description: 'Name of range listed in /etc/subgid for use in user namespace'}),
  subuidname: Flags.string({description: 'Name of range listed in /etc/subuid for use in user namespace'}),
  uidmap: many('UID map to use for the user namespace (CONTAINER_UID:HOST_UID:AMOUNT)'),
  userns: Flags.string({description: 'User namespace to use (host, keep-id[:uid=UID,gid=GID], nomap, auto[:size=N], ns:PATH, container:ID)'}),
  uts: Flags.string({description: 'UTS namespace to use (host, private, container:ID, ns:PATH)'}),
}

export const namespaceFlags = {
  ...podNamespaceFlags,
  chrootdirs: many('Chroot directories inside the container (Podman\'s /etc/hosts, /etc/resolv.conf and /etc/hostname are mounted there too)'),
  'device-cgroup-rule': many('Add a rule to the cgroup allowed devices list (TYPE MAJOR:MINOR ACCESS, e.g. \'c 1:3 rwm\')'),
  'group-add': many('Add additional groups to the primary container process. \'keep-groups\' allows container processes to use supplementary groups.'),
  hostuser: many('Host user account to add to /etc/passwd within container'),
  ipc: Flags.string({description: 'IPC namespace to use (host, private, shareable, none, container:ID, ns:PATH)'}),
  passwd: Flags.boolean({description: 'add entries to /etc/passwd and /etc/group (default true)', default: true, allowNo: true}),
  'passwd-entry': Flags.string({description: 'Entry to write to /etc/passwd ($USERNAME, $UID, $GID, $NAME, $HOME are replaced)'}),
  personality: Flags.string({description: 'Configure execution domain using personality (e.g., LINUX/LINUX32)'}),
  umask: Flags.string({description: 'Set umask in container (default "0022")'}),
}
