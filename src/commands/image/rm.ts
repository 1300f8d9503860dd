import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, load, NoSuchImage} from '../../libpod/index.js'

export default class ImageRm extends BaseCommand {
  static override summary = 'Remove one or more images from local storage'
  static override aliases = ['rmi', 'image:remove']
  static override strict = false
  static override args = {image: Args.string({description: 'image name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all images'}),
    force: Flags.boolean({char: 'f', description: 'Force Removal of the image'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors if a specified image does not exist'}),
    'no-prune': Flags.boolean({description: 'Do not remove dangling images'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageRm)
    const refs = argv as string[]
    if (!flags.all && refs.length === 0) throw new NoSuchImage('image name or ID must be specified')
    if (flags.all && refs.length) throw new NoSuchImage('when using the --all switch, you may not pass any images names or IDs')
    const rt = await this.runtime(flags)
    let missing = false
    const existing = refs.filter(r => {
      try {
        rt.lookupImage(r)
        return true
      } catch (e) {
        if (!(e instanceof NoSuchImage)) throw e
        if (!flags.ignore) {
          process.stderr.write(`Error: ${e.message}\n`)
          missing = true
        }
        return false
      }
    })
    if (existing.length || flags.all) {
      const res = await (await load.imageManage()).removeImages(rt.store, existing, {force: flags.force, all: flags.all, inUse: id => rt.imageUsers(id), registries: rt.searchRegistries})
      for (const n of res.untagged) this.log(`Untagged: ${n}`)
      for (const id of res.deleted) this.log(`Deleted: ${id}`)
    }
    // Podman exits 1 when an image named did not exist.
    if (missing) throw new ExitCode(1)
  }
}
