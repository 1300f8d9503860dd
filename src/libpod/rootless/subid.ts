// /etc/subuid and /etc/subgid: the ID ranges newuidmap/newgidmap may map.
import {readFileSync} from 'node:fs'
import {userInfo} from 'node:os'
import {RootlessSetupError} from '../define/errors.js'

export interface IdRange { start: number; count: number }

export function readSubIds(file: string, user: string, uid: number): IdRange[] {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const out: IdRange[] = []
  for (const line of text.split('\n')) {
    const [name, start, count] = line.trim().split(':')
    if ((name === user || name === String(uid)) && start && count) {
      out.push({start: Number(start), count: Number(count)})
    }
  }
  return out
}

/** Throws a clear, actionable error when the user has no subordinate ID range. */
export function checkSubIds(uid: number): void {
  const user = userInfo().username
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    if (readSubIds(file, user, uid).length === 0) {
      throw new RootlessSetupError(
        `no subordinate ID range for user "${user}" in ${file}: add one, e.g. as root ` +
        `\`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${user}\``,
      )
    }
  }
}
