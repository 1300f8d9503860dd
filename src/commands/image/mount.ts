import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, isJSONFormat, load, tabwrite} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class ImageMount extends BaseCommand {
  static override userNamespace = false // must fail outside `peapod unshare`, as Podman's does
  static override summary = "Mount an image's root filesystem"
  static override description = "Mounts the specified images' root file system in a location which can be accessed from the host, read-only, and returns its location.\nWithout arguments, lists the mounted images. Rootless, only inside `peapod unshare`."
  static override usage = 'image mount [options] [IMAGE...]'
  static override strict = false
  static override args = {image: Args.string({description: 'image name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Mount all images'}),
    format: Flags.string({description: 'Print the mounted images in specified format (json)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageMount)
    const refs = argv as string[]
    const rt = await this.runtime(flags)
    const {checkMountNamespace} = await load.containerMount()
    checkMountNamespace(rt, 'image mount')
    if (flags.all && refs.length) throw new InvalidArgument('when using the --all switch, you may not pass any image names or IDs')
    if (flags.format !== undefined && !isJSONFormat(flags.format)) throw new InvalidArgument(`unknown --format argument: ${JSON.stringify(flags.format)}`)
    const {mountImage, mountedImages} = await load.imageMount()
    if (refs.length) {
      // Every name resolves before anything is mounted.
      for (const r of refs) rt.lookupImage(r)
      for (const r of refs) this.log(await mountImage(rt, r))
      return
    }
    if (flags.all) for (const img of rt.listImages()) await mountImage(rt, img.id)
    const mounted = mountedImages(rt)
    if (flags.format !== undefined) {
      const docs = new Map(rt.listImages().map(i => [i.id, i]))
      this.log(JSON.stringify(mounted.map(m => ({id: m.id, Names: docs.get(m.id)?.digest ? [docs.get(m.id)!.digest] : [], Repositories: m.names, mountpoint: m.path})), null, 1))
      return
    }
    writeOut(tabwrite(mounted.map(m => `${m.names[0] ?? m.id.slice(0, 12)}\t${m.path}`)).map(l => l + '\n').join(''))
  }
}
