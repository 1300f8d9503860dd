// `port`: a running container's published ports ("80/tcp -> 0.0.0.0:8080"),
// one of them ("0.0.0.0:8080"), or every container's (--all, ID-prefixed).
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {syncContainer} from '../container/sync.js'
import type {Container} from '../container/types.js'
import {expandPorts} from './ports.js'
import type {NetConfig} from './state.js'
import {isRunningOrPaused} from '../define/state.js'
import {collate} from '../util/collate.js'


function mappings(c: Container) {
  return expandPorts((c.config as NetConfig).networkOptions?.ports ?? [])
}

export async function containerPortLines(rt: Runtime, o: {all?: boolean; latest?: boolean; container?: string; port?: string}): Promise<string[]> {
  let list: Container[]
  if (o.all) list = rt.containers.list()
  else if (o.latest) list = rt.containers.list().sort((a, b) => collate(b.config.created, a.config.created)).slice(0, 1)
  else list = [rt.containers.lookup(o.container!)]
  list = await Promise.all(list.map(c => syncContainer(rt, c)))
  const out: string[] = []
  for (const c of list) {
    if (!isRunningOrPaused(c.state.status)) continue
    const ports = mappings(c)
    if (o.port !== undefined) {
      const [num, proto = 'tcp'] = o.port.split('/')
      const hit = ports.filter(p => p.container_port === Number(num) && p.protocol === proto)
      if (!hit.length) throw new InvalidArgument(`failed to find published port ${JSON.stringify(o.port)}`)
      for (const p of hit) out.push(`${p.host_ip || '0.0.0.0'}:${p.host_port}`)
      continue
    }
    for (const p of ports) {
      const line = `${p.container_port}/${p.protocol} -> ${p.host_ip || '0.0.0.0'}:${p.host_port}`
      out.push(o.all ? `${c.config.id.slice(0, 12)}\t${line}` : line)
    }
  }
  return out
}
