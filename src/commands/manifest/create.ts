import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {boolArgv, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ManifestCreate extends BaseCommand {
  static override summary = 'Create manifest list or image index'
  static override description = 'Creates manifest lists or image indexes.'
  static override strict = false
  static override usage = '[options] LIST [IMAGE...]'
  static override flags = {
    all: Flags.boolean({description: 'add all of the lists\' images if the images to add are lists'}),
    amend: Flags.boolean({char: 'a', description: 'modify an existing list if one with the desired name already exists'}),
    ...tlsFlags,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ManifestCreate, boolArgv(this.argv))
    const [list, ...images] = argv as string[]
    if (!list) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    const rt = await this.runtime(flags)
    const [{ListStore}, {addToList}] = await Promise.all([
      load.manifestLists(), load.manifestOps(),
    ])
    const store = new ListStore(rt.store)
    const existing = flags.amend ? store.find(list) : undefined
    const doc = existing ?? await store.create(list)
    try {
      for (const image of images) await addToList(rt, doc.id, image, {all: flags.all, tlsVerify: tlsVerify(flags), certDir: flags['cert-dir']})
    } catch (e) {
      if (!existing) await store.remove(doc.id)
      throw e
    }
    this.log(doc.id)
  }
}
