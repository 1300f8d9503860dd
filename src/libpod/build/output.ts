// What a build does with its image besides storing it: `--output` writes the
// final stage's rootfs out (a directory, or a tar archive to a file or to
// stdout), as buildah's exporter; `--manifest` adds the image to a manifest
// list, made if missing. Both run after the image is committed.
import {closeSync, constants, createWriteStream, fstatSync, mkdirSync, openSync, unlinkSync} from 'node:fs'
import path from 'node:path'
import {Readable, type Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {BuildError, PeapodError} from '../define/errors.js'
import {tarOf, pump} from '../container/cp.js'
import {FsRoot, TreeSink, walkTree} from '../container/fsroot.js'
import {treeXattrs} from '../container/xattrs.js'
import type {Runtime} from '../runtime.js'
import type {BuildOutput} from '../specgen/build-output.js'
import {Scratch, withImageRoot} from './steps.js'

export type {BuildOutput}

/** Writes the image's rootfs where --output says. Nothing is written outside dest. */
export async function writeBuildOutput(rt: Runtime, image: string, out: BuildOutput, stream: Writable = process.stdout): Promise<void> {
  const scratch = new Scratch()
  try {
    await withImageRoot(rt, scratch, image, async root => {
      if (out.type === 'local') return intoDir(rt, root, out.dest)
      const xattrs = await treeXattrs(root.root, '^security\\.capability$')
      const bytes = Readable.from(tarOf(walkTree(root, '', '', {xattrs})), {objectMode: false})
      if (out.dest === undefined) return pipeline(bytes, stream, {end: false})
      return intoFile(bytes, out.dest)
    })
  } finally {
    await scratch.removeAll(rt)
  }
}

async function intoDir(rt: Runtime, root: FsRoot, dest: string): Promise<void> {
  try {
    mkdirSync(dest, {recursive: true})
  } catch (e) {
    throw new BuildError(`failed to export build output: mkdir ${dest}: ${(e as Error).message}`)
  }
  // every name is resolved within dest (a symlink in the rootfs or already in dest never leads out)
  const host = new FsRoot(path.resolve(dest))
  try {
    await pump(walkTree(root, '', ''), new TreeSink(host, '', {
      overwrite: true,
      ignoreDevices: rt.config.rootless,
      display: rel => path.join(dest, rel),
    }))
  } finally {
    host.close()
  }
}

async function intoFile(bytes: Readable, file: string): Promise<void> {
  let fd: number
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o644)
  } catch (e) {
    throw new PeapodError(`failed to export build output: open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)
  }
  const regular = fstatSync(fd).isFile()
  try {
    await pipeline(bytes, createWriteStream('', {fd, highWaterMark: 1 << 20}))
  } catch (e) {
    if (regular) unlinkSync(file)
    throw e
  } finally {
    try {
      closeSync(fd)
    } catch {
      // closed by the stream
    }
  }
}

/**
 * --manifest NAME: the image joins the manifest list NAME (made when there
 * is none; a name an image has is refused).
 */
export async function addToManifest(rt: Runtime, name: string, image: string): Promise<string> {
  const [{ListStore}, {addToList}] = await Promise.all([import('../image/registry/lists.js'), import('../image/registry/list-ops.js')])
  const lists = new ListStore(rt.store)
  const doc = lists.find(name) ?? await lists.create(name)
  return addToList(rt, doc.id, `containers-storage:${image}`)
}
