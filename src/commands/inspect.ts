import {Args, Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {renderOne, renderView, toInspectJson} from '../cli/output.js'
import {InvalidArgument, load, PeapodError, type Runtime} from '../libpod/index.js'

// in the order Podman completes them (the lookup order is run's)
const TYPES = ['all', 'container', 'image', 'network', 'pod', 'volume'] as const
type Kind = Exclude<(typeof TYPES)[number], 'all'>

/** One object found: its inspect JSON and how a --format template renders it. */
interface Found {
  json: unknown
  render: (format: string) => string
}

/** Podman's message when a name is not an object of this kind. */
const MISSING: Record<Kind | 'all', (ref: string) => string> = {
  all: ref => `no such object: "${ref}"`,
  container: ref => `no such container ${ref}`,
  image: ref => `${ref}: image not known`,
  volume: ref => `no such volume ${ref}`,
  network: ref => `network ${ref}: unable to find network with name or ID ${ref}: network not found`,
  pod: ref => `no such pod ${ref}`,
}

export default class Inspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display the configuration of object denoted by ID'
  static override strict = false
  static override args = {name: Args.string({description: 'container, image, volume, network or pod name or ID', ignoreStdin: true})}
  static override flags = {
    format: Flags.string({char: 'f', description: 'Format the output to a Go template or json', default: 'json'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    size: Flags.boolean({char: 's', description: 'Display total file size'}),
    type: Flags.string({char: 't', description: 'Specify inspect-object type', options: [...TYPES], default: 'all'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Inspect)
    const kind = flags.type as Kind | 'all'
    let refs = argv as string[]
    if (flags.latest && refs.length) throw new InvalidArgument('--latest and arguments cannot be used together')
    if (flags.latest && kind !== 'all' && kind !== 'container') throw new InvalidArgument(`latest is not supported for type "${kind}"`)
    if (refs.length === 0 && !flags.latest) throw new InvalidArgument('no names or ids specified')
    const rt = await this.runtime(flags)
    if (flags.latest) {
      refs = rt.containerRefs({latest: true})
      if (!refs.length) throw new PeapodError('inspecting object: no containers to inspect: no such container')
    }
    const kinds: Kind[] = kind === 'all' ? ['container', 'image', 'volume', 'network', 'pod'] : [kind]
    const out: Found[] = []
    let missing: string | undefined
    for (const ref of refs) {
      let found: Found | undefined
      for (const k of kinds) if ((found = await this.find(rt, k, ref, flags.size))) break
      if (found) out.push(found)
      else missing ??= MISSING[kind](ref)
    }
    if (flags.format === 'json') this.log(toInspectJson(out.map(f => f.json)))
    else for (const f of out) this.log(f.render(flags.format))
    if (missing) throw new PeapodError(`inspecting object: ${missing}`)
  }

  /** The object of kind k named ref, rendered as that kind's own inspect command does. */
  private async find(rt: Runtime, k: Kind, ref: string, size: boolean): Promise<Found | undefined> {
    switch (k) {
      case 'container': {
        const c = rt.containers.find(ref)
        if (!c) return undefined
        const doc = await rt.container(c.config.id).inspect({size})
        return {json: doc, render: f => renderView(f, doc, 'entities.ContainerInspectReport')}
      }
      case 'image': {
        const img = rt.findImage(ref)
        if (!img) return undefined
        const doc = await rt.image(img.id).inspect()
        return {json: doc, render: f => renderOne(f, doc)}
      }
      case 'volume': {
        const v = rt.volumes.find(ref)
        if (!v) return undefined
        const {inspectVolume, volumeTemplateData} = await load.volumeInspect()
        return {json: inspectVolume(rt.volumes, v), render: f => renderOne(f, volumeTemplateData(rt.volumes, v))}
      }
      case 'network': {
        const n = rt.networks.find(ref)
        if (!n) return undefined
        const {networkTemplateData} = await load.networkInspect()
        return {json: n, render: f => renderOne(f, networkTemplateData(n))}
      }
      case 'pod': {
        const p = rt.pods.find(ref)
        if (!p) return undefined
        const doc = await rt.pod(p.id).inspect()
        return {json: doc, render: f => renderView(f, doc, 'entities.PodInspectReport')}
      }
    }
  }
}
