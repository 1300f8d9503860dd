// Host devices in a container, typed: --device and --device-cgroup-rule,
// with Podman 4.3.1's syntax and messages.
import {InvalidArgument} from '../define/errors.js'

/** --device: a host device (or a directory of them) at a path in the container, with cgroup permissions. */
export interface DeviceSpec {
  /** The host path. */
  path: string
  /** The path in the container (default: the host path). */
  containerPath: string
  /** Some of r, w, m (default rwm). */
  permissions: string
}

/** --device-cgroup-rule: an allow rule of the devices cgroup. */
export interface DeviceCgroupRule {
  /** a (all), b or c. */
  type: 'a' | 'b' | 'c'
  /** Absent: any (`*`). */
  major?: number
  minor?: number
  access: string
}

export interface ContainerDevicesConfig {
  devices?: DeviceSpec[]
  deviceCgroupRules?: DeviceCgroupRule[]
}

/** r, w and m, each at most once, at least one. */
export function isValidDeviceMode(mode: string): boolean {
  if (mode === '') return false
  const seen = new Set<string>()
  for (const c of mode) {
    if (!'rwm'.includes(c) || seen.has(c)) return false
    seen.add(c)
  }
  return true
}

/** `src[:dst][:perms]` as Podman's ParseDevice reads it. */
export function parseDevice(spec: string): DeviceSpec {
  const arr = spec.split(':')
  let dst = ''
  let permissions = 'rwm'
  if (arr.length > 3) throw new InvalidArgument(`invalid device specification: ${spec}`)
  if (arr.length === 3) {
    if (!isValidDeviceMode(arr[2])) throw new InvalidArgument(`invalid device mode: ${arr[2]}`)
    permissions = arr[2]
  }
  if (arr.length >= 2) {
    if (isValidDeviceMode(arr[1])) permissions = arr[1]
    else if (arr[1].length > 0 && !arr[1].startsWith('/')) throw new InvalidArgument(`invalid device mode: ${arr[1]}`)
    else dst = arr[1]
  }
  const src = arr[0]
  return {path: src, containerPath: dst || src, permissions}
}

/** The --device string back (inspect's HostConfig.Devices shows the parts). */
export function deviceString(d: DeviceSpec): string {
  return `${d.path}:${d.containerPath}:${d.permissions}`
}

/** `c 1:3 rwm`, `b 8:* r`, `a *:* rwm`. */
export function parseDeviceCgroupRule(rule: string): DeviceCgroupRule {
  const bad = () => new InvalidArgument(`invalid device cgroup rule requires type, major:Minor, and access rules: ${JSON.stringify(rule)}`)
  const m = /^([abc]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/.exec(rule.trim())
  if (!m) throw bad()
  if (!isValidDeviceMode(m[4])) throw bad()
  const num = (s: string) => (s === '*' ? undefined : Number(s))
  return {type: m[1] as DeviceCgroupRule['type'], major: num(m[2]), minor: num(m[3]), access: m[4]}
}

export function deviceCgroupRuleString(r: DeviceCgroupRule): string {
  return `${r.type} ${r.major ?? '*'}:${r.minor ?? '*'} ${r.access}`
}
