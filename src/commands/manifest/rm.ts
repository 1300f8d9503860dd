import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ManifestRm extends BaseCommand {
  static override summary = 'Remove manifest list or image index from local storage'
  static override strict = false
  static override usage = 'LIST [LIST...]'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ManifestRm)
    const names = argv as string[]
    if (names.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    const rt = await this.runtime(flags)
    const {ListStore} = await load.manifestLists()
    const store = new ListStore(rt.store)
    const errors: string[] = []
    for (const n of names) {
      try {
        const doc = await store.remove(n)
        for (const name of doc.names) this.log(`Untagged: ${name}`)
        this.log(`Deleted: ${doc.id}`)
      } catch (e) {
        errors.push((e as Error).message)
      }
    }
    if (errors.length) throw new InvalidArgument(errors.join('; '))
  }
}
