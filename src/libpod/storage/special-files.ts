// Device nodes, FIFOs and xattrs need mknod(2)/setxattr(2), which Node lacks,
// so they are created by the mknod and setfattr binaries, batched so that a
// layer costs a couple of spawns rather than one per file. File names are
// only ever passed as arguments or escaped data, never put into a script.
import {lchownSync, linkSync} from 'node:fs'
import {StorageError} from '../define/errors.js'
import {ProcessFailure, run as runHelper} from '../util/process.js'

export interface NodeSpec {
  /** Absolute path; its parent is a real directory inside the layer. */
  path: string
  kind: 'char' | 'block' | 'fifo'
  major: number
  minor: number
}

/** Stay well below ARG_MAX (2 MiB incl. the environment). */
const MAX_ARGS_BYTES = 512 * 1024

// One exec of mknod per device (it takes a single name); the loop runs in one shell.
const MKNOD_SCRIPT = 'while [ $# -ge 4 ]; do mknod -m 0 -- "$4" "$1" "$2" "$3" || exit 1; shift 4; done'

/** Creates the nodes with mode 0 (the caller chowns and chmods them afterwards). */
export async function makeNodes(nodes: NodeSpec[]): Promise<void> {
  // mkfifo takes many names at once.
  await inChunks(
    nodes.filter((n) => n.kind === 'fifo').map((n) => [n.path]),
    (args) => runChecked('mkfifo', ['-m', '0', '--', ...args], 'creating FIFOs'),
  )
  await inChunks(
    nodes.filter((n) => n.kind !== 'fifo').map((n) => [n.kind === 'char' ? 'c' : 'b', String(n.major), String(n.minor), n.path]),
    (args) => runChecked('sh', ['-c', MKNOD_SCRIPT, 'sh', ...args], 'creating device nodes'),
  )
}

/** Runs fn over the argument groups, as few times as the argument size limit allows. */
async function inChunks(groups: string[][], fn: (args: string[]) => Promise<void>): Promise<void> {
  let args: string[] = []
  let bytes = 0
  for (const g of groups) {
    args.push(...g)
    for (const a of g) bytes += Buffer.byteLength(a) + 1
    if (bytes >= MAX_ARGS_BYTES) {
      await fn(args)
      args = []
      bytes = 0
    }
  }
  if (args.length > 0) await fn(args)
}

async function runChecked(cmd: string, args: string[], what: string): Promise<void> {
  const r = await run(cmd, args)
  if (r.code !== 0) throw new StorageError(`${what}: ${firstLine(r.stderr) || `${cmd} exited with ${r.code}`}`)
}

/**
 * Overlay whiteouts (0:0 char devices owned by uid:gid). A spawn per node is
 * ~1 ms and layers can carry thousands of whiteouts, so one node is made per
 * owner and the rest are hard links to it, as the kernel's overlayfs itself
 * does for the whiteouts it creates.
 */
export async function makeWhiteouts(list: {path: string; uid: number; gid: number}[]): Promise<void> {
  const bases = new Map<string, string>()
  const first: NodeSpec[] = []
  for (const w of list) {
    const key = `${w.uid}:${w.gid}`
    if (bases.has(key)) continue
    bases.set(key, w.path)
    first.push({path: w.path, kind: 'char', major: 0, minor: 0})
  }
  await makeNodes(first)
  for (const w of list) if (bases.get(`${w.uid}:${w.gid}`) === w.path) lchownSync(w.path, w.uid, w.gid)
  const again: typeof list = []
  for (const w of list) {
    const base = bases.get(`${w.uid}:${w.gid}`) as string
    if (base === w.path) continue
    try {
      linkSync(base, w.path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EMLINK') throw e
      again.push(w) // the file system's link limit: start another inode
    }
  }
  if (again.length > 0) await makeWhiteouts(again)
}

/**
 * Sets extended attributes with one `setfattr --restore` per call. With
 * `lenient`, failures the kernel reports as unsupported or not permitted
 * (e.g. trusted.* in a user namespace, user.* on symlinks) are ignored, as
 * containers/storage does; anything else fails.
 */
export async function setXattrs(attrs: Map<string, Map<string, Buffer>>, lenient: boolean): Promise<void> {
  if (attrs.size === 0) return
  const dump: string[] = []
  for (const [file, kv] of attrs) {
    if (kv.size === 0) continue
    dump.push(`# file: ${escapePath(file)}`)
    for (const [name, value] of kv) dump.push(`${name}=0s${value.toString('base64')}`)
    dump.push('')
  }
  if (dump.length === 0) return
  const r = await run('setfattr', ['-h', '--restore=-'], dump.join('\n') + '\n')
  if (r.code === 0) return
  const errors = r.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => !(lenient && /: (Operation not supported|Operation not permitted)$/.test(l)))
  if (errors.length > 0 || !lenient) {
    throw new StorageError(`setting extended attributes: ${errors[0] ?? (firstLine(r.stderr) || `setfattr exited with ${r.code}`)}`)
  }
}

/** xattr names go into the dump unescaped (setfattr does not unquote them). */
export function validXattrName(name: string): boolean {
  return /^[\x21-\x7e]+$/.test(name) && !name.includes('=') && name.includes('.')
}

/** setfattr unquotes "\ooo" octal escapes in file names; escape everything unusual. */
function escapePath(p: string): string {
  let out = ''
  for (const byte of Buffer.from(p, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9/._+,:@-]/.test(c) ? c : `\\${byte.toString(8).padStart(3, '0')}`
  }
  return out
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? ''
}

/** The helper's exit code and stderr (the callers read its complaints line by line). */
async function run(cmd: string, args: string[], stdin?: string): Promise<{code: number; stderr: string}> {
  try {
    const r = await runHelper([cmd, ...args], stdin === undefined ? {} : {input: stdin})
    return {code: 0, stderr: r.stderr}
  } catch (e) {
    if (e instanceof ProcessFailure && !e.errno) return {code: e.status ?? 128, stderr: e.stderr}
    throw new StorageError(`running ${cmd}: ${(e as ProcessFailure).errno ? (e as ProcessFailure).detail : (e as Error).message}`)
  }
}
