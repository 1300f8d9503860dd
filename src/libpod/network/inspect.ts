// A network as --format templates see it: Podman's Go struct field names
// (Name, ID, Driver, NetworkInterface, Created, Subnets, IPv6Enabled,
// Internal, DNSEnabled, Labels, Options, IPAMOptions).
import {goMap} from '../format/template.js'
import {goTimeString} from '../volume/inspect.js'
import type {NetworkDoc} from './types.js'

export function networkTemplateData(n: NetworkDoc, opts: {list?: boolean; noTrunc?: boolean} = {}): Record<string, unknown> {
  const labels = n.labels ?? {}
  return {
    Name: n.name,
    // ls shows 12 characters unless --no-trunc; inspect the whole ID.
    ID: opts.list && !opts.noTrunc ? n.id.slice(0, 12) : n.id,
    Driver: n.driver,
    NetworkInterface: n.network_interface ?? '',
    Created: goTimeString(n.created),
    Subnets: (n.subnets ?? []).map(s => ({Subnet: s.subnet, Gateway: s.gateway ?? '', LeaseRange: s.lease_range ? {StartIP: s.lease_range.start_ip ?? '', EndIP: s.lease_range.end_ip ?? ''} : null})),
    IPv6Enabled: n.ipv6_enabled,
    Internal: n.internal,
    DNSEnabled: n.dns_enabled,
    // ls: "k=v,k2=v2" as Podman's list report prints them; inspect: a map.
    Labels: opts.list ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : goMap({...labels}),
    Options: goMap({...n.options ?? {}}),
    IPAMOptions: goMap({...n.ipam_options ?? {}}),
  }
}
