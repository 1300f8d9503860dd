// Image: the public object over an image's document in the store.
import type {Runtime} from '../runtime.js'
import type {ImageDoc} from './images.js'
import type {RemoveResult} from './manage.js'

export class Image {
  constructor(private readonly rt: Runtime, readonly doc: ImageDoc) {}

  get id(): string {
    return this.doc.id
  }

  get names(): string[] {
    return this.doc.names
  }

  async inspect(): Promise<Record<string, unknown>> {
    const {inspectImage} = await import('./inspect.js')
    return inspectImage(this.rt.store, this.doc)
  }

  async tag(...names: string[]): Promise<void> {
    const {tagImage} = await import('./manage.js')
    await tagImage(this.rt.store, this.id, names, this.rt.searchRegistries)
  }

  async untag(...names: string[]): Promise<void> {
    const {untagImage} = await import('./manage.js')
    await untagImage(this.rt.store, this.id, names, this.rt.searchRegistries)
  }

  /**
   * `rmi ID`: removes it and its unused layers (ImageInUse while a container
   * uses it or, by ID, while it has several names, unless force).
   */
  async remove(opts: {force?: boolean} = {}): Promise<RemoveResult> {
    const {removeImages} = await import('./manage.js')
    return removeImages(this.rt.store, [this.id], {force: opts.force, inUse: id => this.rt.imageUsers(id), registries: this.rt.searchRegistries})
  }

  /** The containers using it (their IDs). */
  users(): string[] {
    return this.rt.imageUsers(this.id)
  }
}
