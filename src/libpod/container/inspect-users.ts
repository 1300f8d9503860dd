// inspect's fields for users, namespaces and devices (Podman 4.3.1's names):
// Config.Umask/Passwd/ChrootDirs, HostConfig.GroupAdd, IpcMode, PidMode,
// UTSMode, UsernsMode, IDMappings and Devices.
import type {IdMap} from '../specgen/namespaces.js'
import type {ContainerConfig} from './types.js'

const mapStrings = (maps: readonly IdMap[]) => maps.map(m => `${m.containerId}:${m.hostId}:${m.size}`)

export function usersInspectConfig(c: ContainerConfig): Record<string, unknown> {
  const u = c.users
  return {
    Umask: u?.umask !== undefined ? u.umask.padStart(4, '0') : '0022',
    Passwd: u?.passwd ?? true,
    ...u?.chrootDirs?.length ? {ChrootDirs: u.chrootDirs} : {},
  }
}

export function usersInspectHostConfig(c: ContainerConfig, rootless: boolean): Record<string, unknown> {
  const u = c.users
  const ns = c.namespaces ?? {}
  const mode = (v: string | undefined, dflt: string) => (v === undefined || v === 'none' ? dflt : v)
  const userns = u?.userns
  let usernsMode = ''
  if (userns?.mode === 'ns') usernsMode = `ns:${userns.path}`
  else if (userns?.mode === 'container') usernsMode = `container:${userns.container}`
  else if (u?.idMappings) usernsMode = 'private'
  return {
    GroupAdd: u?.groupAdd ?? [],
    IpcMode: mode(ns.ipc, 'shareable'),
    PidMode: mode(ns.pid, 'private'),
    UTSMode: mode(ns.uts, 'private'),
    UsernsMode: usernsMode,
    ...u?.idMappings ? {IDMappings: {UidMap: mapStrings(u.idMappings.uidMap), GidMap: mapStrings(u.idMappings.gidMap)}} : {},
    // rootless, devices are bind mounts and Podman lists none
    Devices: rootless ? [] : (c.devices?.devices ?? []).map(d => ({PathOnHost: d.path, PathInContainer: d.containerPath, CgroupPermissions: d.permissions})),
  }
}
