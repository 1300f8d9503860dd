// The resource and cgroup flags of create, run, pod create and update
// (Podman's names, short forms and descriptions); resource-spec.ts parses
// their values into the spec's typed ResourceSpec.
import {Flags} from './oclif.js'

const str = (description: string, char?: string) => Flags.string({description, ...(char ? {char: char as 'm'} : {})})
const many = (description: string) => Flags.string({description, multiple: true, multipleNonGreedy: true})
const SIZE = '(format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g (gibibytes))'

/** The cgroup limit flags `update` takes (Podman 4.3.1's update has exactly these). */
export const updateResourceFlags = {
  'blkio-weight': str('Block IO weight (relative weight) accepts a weight value between 10 and 1000.'),
  'blkio-weight-device': many('Block IO weight (relative device weight, format: DEVICE_NAME:WEIGHT)'),
  'cpu-period': str('Limit the CPU CFS (Completely Fair Scheduler) period'),
  'cpu-quota': str('Limit the CPU CFS (Completely Fair Scheduler) quota'),
  'cpu-rt-period': str('Limit the CPU real-time period in microseconds'),
  'cpu-rt-runtime': str('Limit the CPU real-time runtime in microseconds'),
  'cpu-shares': str('CPU shares (relative weight)', 'c'),
  cpus: str('Number of CPUs. The default is 0.000 which means no limit'),
  'cpuset-cpus': str('CPUs in which to allow execution (0-3, 0,1)'),
  'cpuset-mems': str('Memory nodes (MEMs) in which to allow execution (0-3, 0,1). Only effective on NUMA systems.'),
  'device-read-bps': many('Limit read rate (bytes per second) from a device (e.g. --device-read-bps=/dev/sda:1mb)'),
  'device-read-iops': many('Limit read rate (IO per second) from a device (e.g. --device-read-iops=/dev/sda:1000)'),
  'device-write-bps': many('Limit write rate (bytes per second) to a device (e.g. --device-write-bps=/dev/sda:1mb)'),
  'device-write-iops': many('Limit write rate (IO per second) to a device (e.g. --device-write-iops=/dev/sda:1000)'),
  memory: str(`Memory limit ${SIZE}`, 'm'),
  'memory-reservation': str(`Memory soft limit ${SIZE}`),
  'memory-swap': str("Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  'memory-swappiness': str('Tune container memory swappiness (0 to 100, or -1 for system default) (default -1)'),
}

/** The resource and cgroup flags of create and run. */
export const resourceFlags = {
  ...updateResourceFlags,
  'cgroup-conf': many('Configure cgroup v2 (key=value)'),
  'cgroup-parent': str('Optional parent cgroup for the container'),
  cgroupns: str('cgroup namespace to use (host, private, ns:PATH, container:ID)'),
  cgroups: Flags.string({description: 'control container cgroup configuration ("enabled"|"disabled"|"no-conmon"|"split")', default: 'enabled'}),
  'kernel-memory': Flags.string({description: 'Kernel memory limit (no longer supported: a no-op with a warning)', hidden: true}),
  'oom-kill-disable': Flags.boolean({description: 'Disable OOM Killer'}),
  'oom-score-adj': str("Tune the host's OOM preferences (-1000 to 1000)"),
  'pids-limit': str('Tune container pids limit (set -1 for unlimited) (default 2048)'),
  'shm-size': str(`Size of /dev/shm ${SIZE} (default "65536k")`),
}

/** The resource flags of pod create (Podman 4.3.1's). */
export const podResourceFlags = {
  'blkio-weight': updateResourceFlags['blkio-weight'],
  'blkio-weight-device': updateResourceFlags['blkio-weight-device'],
  'cgroup-parent': resourceFlags['cgroup-parent'],
  'cpu-shares': updateResourceFlags['cpu-shares'],
  cpus: updateResourceFlags.cpus,
  'cpuset-cpus': updateResourceFlags['cpuset-cpus'],
  'cpuset-mems': updateResourceFlags['cpuset-mems'],
  'device-read-bps': updateResourceFlags['device-read-bps'],
  'device-write-bps': updateResourceFlags['device-write-bps'],
  memory: updateResourceFlags.memory,
  'memory-swap': updateResourceFlags['memory-swap'],
  'shm-size': resourceFlags['shm-size'],
}

