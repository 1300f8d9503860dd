// Podman 4.3.1's defaults for a container's spec, as read from config.json
// files it wrote on this kind of host (rootful and rootless, cgroup v1).
import type {OciMount} from './oci.js'

export const OCI_VERSION = '1.0.2-dev'

/** process.user.umask: 0022. */
export const DEFAULT_UMASK = 0o022

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024

/** Podman's default pids limit, for callers whose cgroups can enforce it. */
export const DEFAULT_PIDS_LIMIT = 2048

export const DEFAULT_INIT_PATH = '/usr/bin/catatonit'

/** Where --init's binary appears in the container (Podman's define.ContainerInitPath). */
export const CONTAINER_INIT_PATH = '/run/podman-init'

/** containers.conf default_sysctls (containers-common). */
export const DEFAULT_SYSCTLS: Readonly<Record<string, string>> = {'net.ipv4.ping_group_range': '0 0'}

export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/fs/selinux',
  '/sys/dev/block',
]

export const READONLY_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
]

/** Tmpfs mounts a --read-only container gets (unless --read-only-tmpfs=false). */
export const READ_ONLY_TMPFS_DIRS: readonly string[] = ['/tmp', '/var/tmp', '/run']
export const READ_ONLY_TMPFS_OPTIONS: readonly string[] = ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']

export const PROC_MOUNT: OciMount = {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']}
export const DEV_MOUNT: OciMount = {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'strictatime', 'mode=755', 'size=65536k']}
export const SYSFS_MOUNT: OciMount = {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']}
export const MQUEUE_MOUNT: OciMount = {destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']}

export function devptsMount(gid5: boolean): OciMount {
  // gid=5 (tty) fails to mount when GID 5 is not mapped in our user namespace
  return gid5
    ? {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']}
    : {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['rprivate', 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620']}
}

/** Options of the bind mounts libpod adds (/etc/hosts, /etc/resolv.conf, ...). */
export const LIBPOD_BIND_OPTIONS: readonly string[] = ['bind', 'rprivate']

/** tmpfs size option in Podman's style: KiB when exact (`65536k`), else bytes. */
export function sizeOption(bytes: number): string {
  return bytes % 1024 === 0 ? `size=${bytes / 1024}k` : `size=${bytes}`
}
