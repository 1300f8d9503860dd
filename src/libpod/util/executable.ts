import {accessSync, constants} from 'node:fs'

/** Whether `p` exists and may be executed by us. */
export function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK)
    return true
  } catch {
    return false
  }
}
