// `-u user[:group]` resolved against the container's /etc/passwd and
// /etc/group, with runc's rules (libcontainer/user.GetExecUser) that Podman
// uses: names must exist, numeric IDs need not.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import {secureJoin} from './paths.js'

const MAX_ID = 2147483647
const RANGE_ERROR = `uids and gids must be in range 0-${MAX_ID}`

export interface PasswdEntry {
  name: string
  uid: number
  gid: number
  home: string
}

export interface GroupEntry {
  name: string
  gid: number
  members: string[]
}

export interface ExecUser {
  uid: number
  gid: number
  /** Empty when the user has no passwd entry. */
  home: string
  /** Supplementary groups from /etc/group membership (only for `user` without `:group`). */
  sgids: number[]
}

// Like Go's strconv.Atoi as runc uses it: bad numbers read as 0.
function atoi(s: string | undefined): number {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : 0
}

function isNumeric(s: string): boolean {
  return /^[+-]?\d+$/.test(s)
}

function lines(text: string): string[][] {
  return text.split('\n').map(l => l.trim()).filter(l => l !== '').map(l => l.split(':'))
}

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map(f => ({name: f[0], uid: atoi(f[2]), gid: atoi(f[3]), home: f[5] ?? ''}))
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text).map(f => ({name: f[0], gid: atoi(f[2]), members: (f[3] ?? '').split(',').filter(Boolean)}))
}

function checkRange(id: number): number {
  if (id < 0 || id > MAX_ID) throw new InvalidArgument(RANGE_ERROR)
  return id
}

/**
 * runc's GetExecUser. `passwd`/`group` are the files' contents, undefined
 * when a file is missing. An empty spec means root (uid 0).
 */
export function getExecUser(userSpec: string, passwd: string | undefined, group: string | undefined): ExecUser {
  const [userArg = '', groupArg = ''] = userSpec.split(':')
  const user: ExecUser = {uid: 0, gid: 0, home: '', sgids: []}
  const users = parsePasswd(passwd ?? '').filter(u => {
    if (userArg === '') return u.uid === user.uid
    if (isNumeric(userArg)) return u.uid === Number(userArg)
    return u.name === userArg
  })
  let matchedName = ''
  if (users.length) {
    matchedName = users[0].name
    user.uid = users[0].uid
    user.gid = users[0].gid
    user.home = users[0].home
  } else if (userArg !== '') {
    if (!isNumeric(userArg)) throw new InvalidArgument(`unable to find user ${userArg}: no matching entries in passwd file`)
    user.uid = checkRange(Number(userArg))
  }

  if (groupArg === '' && matchedName === '') return user
  const groups = parseGroup(group ?? '').filter(g => {
    if (groupArg === '') return g.members.includes(matchedName)
    if (isNumeric(groupArg)) return g.gid === Number(groupArg)
    return g.name === groupArg
  })
  if (groupArg !== '') {
    if (groups.length) user.gid = groups[0].gid
    else if (!isNumeric(groupArg)) throw new InvalidArgument(`unable to find group ${groupArg}: no matching entries in group file`)
    else user.gid = checkRange(Number(groupArg))
  } else {
    user.sgids = groups.map(g => g.gid)
  }
  return user
}

/** runc's GetAdditionalGroups (--group-add): names must exist, numbers need not. */
export function additionalGroups(wanted: readonly string[], group: string | undefined): number[] {
  const groups = parseGroup(group ?? '')
  const out: number[] = []
  for (const ag of wanted) {
    const g = groups.find(e => (e.name === ag || String(e.gid) === ag) && !out.includes(e.gid))
    if (g) {
      out.push(g.gid)
      continue
    }
    if (groups.some(e => e.name === ag || String(e.gid) === ag)) continue
    if (!isNumeric(ag)) throw new InvalidArgument(`Unable to find group ${ag}: no matching entries in group file`)
    const gid = checkRange(Number(ag))
    if (!out.includes(gid)) out.push(gid)
  }
  return out
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw e
  }
}

export interface ContainerUserFiles {
  passwd?: string
  group?: string
}

/** The rootfs's /etc/passwd and /etc/group (symlinks resolved inside it), or given paths. */
export function readUserFiles(rootfs: string, paths: {passwdPath?: string; groupPath?: string} = {}): ContainerUserFiles {
  return {
    passwd: readOptional(paths.passwdPath ?? secureJoin(rootfs, '/etc/passwd')),
    group: readOptional(paths.groupPath ?? secureJoin(rootfs, '/etc/group')),
  }
}

export interface ProcessUser {
  uid: number
  gid: number
  additionalGids: number[]
  /** HOME for the environment; empty when the user has none. */
  home: string
}

export interface ProcessUserOptions {
  /** --group-add entries. */
  groupAdd?: readonly string[]
  /**
   * How many GIDs exist in the user namespace we run in (rootless); membership
   * groups outside it are skipped as Podman does. Default: all.
   */
  availableGids?: number
}

/** What libpod puts in process.user for `userSpec` (the -u value, else the image's User). */
export function processUser(userSpec: string, files: ContainerUserFiles, opts: ProcessUserOptions = {}): ProcessUser {
  const exec = getExecUser(userSpec, files.passwd, files.group)
  const out: ProcessUser = {uid: 0, gid: 0, additionalGids: [], home: exec.home}
  const add = (gid: number) => {
    if (!out.additionalGids.includes(gid)) out.additionalGids.push(gid)
  }
  if (userSpec !== '') {
    out.uid = exec.uid
    out.gid = exec.gid
    add(exec.gid)
  }
  if (opts.groupAdd?.length) for (const g of additionalGroups(opts.groupAdd, files.group)) add(g)
  if (!userSpec.includes(':')) {
    for (const g of exec.sgids) if (opts.availableGids === undefined || g < opts.availableGids) add(g)
  }
  return out
}
