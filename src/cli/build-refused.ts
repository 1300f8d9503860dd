// build flags peapod refuses, with Podman's checks first: --decryption-key
// is read as Podman reads it (an unreadable key is its error), then refused,
// as `pull --decryption-key` is: peapod has no encrypted images.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../libpod/define/errors.js'

export function checkDecryptionKeys(keys: readonly string[]): void {
  for (const k of keys) {
    // KEY[:PASSPHRASE]
    const file = k.split(':')[0]
    try {
      readFileSync(file)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw new InvalidArgument(`unable to obtain decrypt config: invalid decryption keys: Unable to read file: open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`)
    }
  }
  if (keys.length) throw new InvalidArgument('--decryption-key: encrypted images are not supported')
}
