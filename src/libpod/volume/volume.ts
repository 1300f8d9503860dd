// Volume: the public object over a volume's document. Removing one that
// containers use is the Runtime's work (src/libpod/runtime/volumes.ts).
import type {Readable, Writable} from 'node:stream'
import type {Runtime} from '../runtime.js'
import type {VolumeDoc} from './types.js'

export class Volume {
  constructor(private readonly rt: Runtime, readonly doc: VolumeDoc) {}

  get name(): string {
    return this.doc.name
  }

  /** The containers using it (their IDs). */
  async users(): Promise<string[]> {
    const {volumeUsers} = await import('./usage.js')
    return volumeUsers(this.rt, this.name)
  }

  /** Removes it; in use, refused unless forced (then its containers are removed first). */
  async remove(opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
    return (await import('../runtime/volumes.js')).removeVolume(this.rt, this.name, opts)
  }

  async inspect(): Promise<Record<string, unknown>> {
    const {inspectVolume} = await import('./inspect.js')
    return inspectVolume(this.rt.volumes, this.doc)
  }

  // export/import name the volume exactly (no prefix), with Podman's errors.

  /** Writes its content as a tar stream. */
  async export(out: number | Writable): Promise<void> {
    const {exportVolume} = await import('./archive.js')
    await exportVolume(this.rt, this.name, out)
  }

  /** Replaces its content with a tar stream's. */
  async import(input: Readable): Promise<void> {
    const {importVolume} = await import('./archive.js')
    await importVolume(this.rt, this.name, input)
  }
}
