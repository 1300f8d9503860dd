import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {toJson, unescapeFormat} from '../../cli/output.js'
import {dfSize, reclaimable} from '../../cli/df-format.js'
import {InvalidArgument, isJSONFormat, load, renderRows} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class SystemDf extends BaseCommand {
  static override summary = 'Show podman disk usage'
  static override description = 'Shows the disk usage of images, containers and volumes: how much is used, and how much a prune would give back.'
  static override flags = {
    format: Flags.string({description: 'Pretty-print images using a Go template (fields: Type, Total, Active, Size, Reclaimable), or json'}),
    verbose: Flags.boolean({char: 'v', description: 'Show detailed information on disk usage'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemDf)
    if (flags.format !== undefined && flags.verbose) throw new InvalidArgument('cannot combine --format and --verbose flags')
    const rt = await this.runtime(flags)
    const sys = await load.system()
    const report = sys.diskUsage(rt)
    if (flags.verbose) {
      this.verbose(report, sys.humanDuration)
      return
    }
    const rows = sys.dfSummary(rt, report).map(r => ({
      Type: r.Type, Total: r.Total, Active: r.Active, Size: dfSize(r.RawSize), Reclaimable: reclaimable(r.RawReclaimable, r.RawSize),
      RawSize: r.RawSize, RawReclaimable: r.RawReclaimable,
    }))
    if (flags.format !== undefined && isJSONFormat(flags.format)) {
      this.log(toJson(rows))
      return
    }
    const format = flags.format === undefined ? 'table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}' : unescapeFormat(flags.format)
    writeOut(renderRows(format, rows, {Type: 'TYPE', Total: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE'}))
  }

  private verbose(r: Awaited<ReturnType<Awaited<ReturnType<typeof load.system>>['diskUsage']>>, since: (ms: number) => string): void {
    const now = Date.now()
    const images = r.images.map(i => ({Repository: i.repository, Tag: i.tag, ID: i.id.slice(0, 12), Created: since(now - i.created.getTime()),
      Size: dfSize(i.size), SharedSize: dfSize(i.sharedSize), UniqueSize: dfSize(i.uniqueSize), Containers: i.containers}))
    const containers = r.containers.map(c => ({ID: c.id.slice(0, 12), Image: c.image, Command: c.command, LocalVolumes: c.localVolumes,
      Size: dfSize(c.size), Created: since(now - c.created.getTime()), Status: c.status, Names: c.names}))
    const volumes = r.volumes.map(v => ({VolumeName: v.name, Links: v.links, Size: dfSize(v.size)}))
    let out = 'Images space usage:\n\n'
    out += renderRows('table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}', images,
      {Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', Created: 'CREATED', Size: 'SIZE', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE', Containers: 'CONTAINERS'})
    out += '\nContainers space usage:\n\n'
    out += renderRows('table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.Created}}\t{{.Status}}\t{{.Names}}', containers,
      {ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', LocalVolumes: 'LOCAL VOLUMES', Size: 'SIZE', Created: 'CREATED', Status: 'STATUS', Names: 'NAMES'})
    out += '\nLocal Volumes space usage:\n\n'
    out += renderRows('table {{.VolumeName}}\t{{.Links}}\t{{.Size}}', volumes, {VolumeName: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE'})
    writeOut(out)
  }
}
