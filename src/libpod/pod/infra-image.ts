// The pause image of infra containers, built locally (no registry): a
// rootfs holding only catatonit (static here), as Podman builds its
// localhost/podman-pause:<version>-<n>.
import {readFileSync, statSync} from 'node:fs'
import {requireFrom} from '../util/require-from.js'
import {Readable} from 'node:stream'
import {InvalidArgument} from '../define/errors.js'
import {importImage} from '../image/import.js'
import type {Runtime} from '../runtime.js'
import {padding, tarEnd, tarHeader} from '../util/tar-writer.js'

export const INFRA_COMMAND = ['/catatonit', '-P']

/** localhost/podman-pause:<peapod version>-0 */
export function infraImageName(): string {
  const pkg = requireFrom(import.meta.url)('../../../package.json') as {version: string}
  return `localhost/podman-pause:${pkg.version}-0`
}

function catatonitPath(): string {
  for (const p of ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit', '/usr/local/bin/catatonit', '/usr/libexec/catatonit/catatonit']) {
    try {
      if (statSync(p).isFile()) return p
    } catch {
      // try the next
    }
  }
  throw new InvalidArgument('building the pause image: catatonit not found (install catatonit or give --infra-image)')
}

/** The pause image's name, imported into the store on first use. */
export async function ensureInfraImage(rt: Runtime): Promise<string> {
  const name = infraImageName()
  try {
    rt.lookupImage(name)
    return name
  } catch {
    // not built yet
  }
  const data = readFileSync(catatonitPath())
  const tar = Buffer.concat([
    tarHeader({name: 'catatonit', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: data.length}),
    data, padding(data.length), tarEnd(),
  ])
  await importImage(rt.store, {source: '-', stdin: Readable.from([tar]), reference: name, changes: [`ENTRYPOINT ${JSON.stringify(INFRA_COMMAND)}`]})
  return name
}
