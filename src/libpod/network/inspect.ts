// A network as --format templates see it: Podman's Go struct field names
// (Name, ID, Driver, NetworkInterface, Created, Subnets, IPv6Enabled,
// Internal, DNSEnabled, Labels, Options, IPAMOptions).
import {goMap} from '../format/template.js'
import {goReporter, goTimeString} from '../format/go-view.js'
import type {NetworkDoc} from './types.js'

export function networkTemplateData(n: NetworkDoc, opts: {list?: boolean; noTrunc?: boolean} = {}): Record<string, unknown> {
  const labels = n.labels ?? {}
  if (opts.list) {
    // ls: Podman's ListPrintReports, an embedded types.Network (its fields
    // promoted, `.Network.X` the inspect values) under the methods ID and Labels.
    return goReporter('network.ListPrintReports', {Network: networkTemplateData(n)}, 'Network', {
      ID: opts.noTrunc ? n.id : n.id.slice(0, 12),
      Labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','),
    })
  }
  return {
    Name: n.name,
    ID: n.id,
    Driver: n.driver,
    NetworkInterface: n.network_interface ?? '',
    Created: goTimeString(n.created),
    Subnets: (n.subnets ?? []).map(s => ({Subnet: s.subnet, Gateway: s.gateway ?? '', LeaseRange: s.lease_range ? {StartIP: s.lease_range.start_ip ?? '', EndIP: s.lease_range.end_ip ?? ''} : null})),
    IPv6Enabled: n.ipv6_enabled,
    Internal: n.internal,
    DNSEnabled: n.dns_enabled,
    Labels: goMap({...labels}),
    Options: goMap({...n.options ?? {}}),
    IPAMOptions: goMap({...n.ipam_options ?? {}}),
  }
}
