// `export`: the container's rootfs (the merged view, without its volumes and
// binds, as Podman) as one flat tar: names relative ("bin/", "etc/passwd"),
// owners numeric, security.capability kept, hard links as links.
import {containerEvent} from '../events/log.js'
import {closeSync, constants, createWriteStream, fstatSync, openSync, unlinkSync} from 'node:fs'
import {Readable, type Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {noSuchContainer, PeapodError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {tarOf} from './cp.js'
import {walkTree} from './fsroot.js'
import {withContainerFs} from './rootfs-access.js'
import {treeXattrs} from './xattrs.js'

export interface ExportOptions {
  /** -o FILE; else the archive goes to `stream`. */
  output?: string
  stream?: Writable
}

export async function exportContainer(rt: Runtime, ref: string, opts: ExportOptions): Promise<void> {
  const notFound = (r: string) => noSuchContainer(r)
  await withContainerFs(rt, ref, notFound, async cfs => {
    containerEvent(rt.config, cfs.container.config, 'export')
    const xattrs = await treeXattrs(cfs.root.root, '^security\\.capability$')
    const bytes = Readable.from(tarOf(walkTree(cfs.root, '', '', {xattrs})), {objectMode: false})
    if (opts.output === undefined) {
      await pipeline(bytes, opts.stream ?? process.stdout, {end: false})
      return
    }
    let fd: number
    try {
      fd = openSync(opts.output, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o644)
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      throw new PeapodError(`open ${opts.output}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`)
    }
    const regular = fstatSync(fd).isFile()
    try {
      await pipeline(bytes, createWriteStream('', {fd, highWaterMark: 1 << 20}))
    } catch (e) {
      if (regular) {
        try {
          unlinkSync(opts.output)
        } catch {
          // gone already
        }
      }
      throw e
    } finally {
      try {
        closeSync(fd)
      } catch {
        // closed by the stream
      }
    }
  }, {rootfsOnly: true})
}
