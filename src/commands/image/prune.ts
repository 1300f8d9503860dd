import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load, type ImageDoc} from '../../libpod/index.js'

export default class ImagePrune extends BaseCommand {
  static override summary = 'Remove unused images'
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all images not in use by containers, not just dangling ones'}),
    external: Flags.boolean({description: 'Remove images even when they are used by external containers'}),
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ImagePrune)
    const rt = await this.runtime(flags)
    const [{pruneImages}, {parseConfig}] = await Promise.all([load.imageManage(), load.imageInspect()])
    const filters = (flags.filter ?? []).map(f => labelFilter(f, parseConfig))
    const removed = await pruneImages(rt.store, {
      all: flags.all,
      inUse: id => rt.imageUsers(id),
      filter: doc => filters.every(f => f(doc)),
    })
    for (const id of removed) this.log(id)
  }
}

/** Prune filters: label=k[=v], label!=k[=v]. */
function labelFilter(f: string, parseConfig: (doc: ImageDoc) => {config?: {Labels?: Record<string, string>}}): (doc: ImageDoc) => boolean {
  const m = /^label(!?)=([^=]+)(?:=(.*))?$/.exec(f)
  if (!m) throw new InvalidArgument(`invalid filter "${f}": supported filters are label=<key>[=<value>] and label!=<key>[=<value>]`)
  const [, neg, key, value] = m
  return doc => {
    const labels = parseConfig(doc).config?.Labels ?? {}
    const hit = key in labels && (value === undefined || labels[key] === value)
    return neg ? !hit : hit
  }
}
