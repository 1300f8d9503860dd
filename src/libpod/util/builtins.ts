// Node's modules that the everyday listings (ps, images, pod ps, volume ls,
// inspect) never use, loaded on first use instead of at import: modules on
// Runtime.open's path (the stores) and on ps's path would otherwise load
// crypto, child_process, stream and dgram at every start (~1-3 ms of CPU
// each). Node caches a builtin: the second call costs a map lookup.
// (process.getBuiltinModule, not a createRequire: node:module would load the
// ES module loader.)

/** node:crypto (hashes, random IDs). */
export const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto')
/** node:child_process. */
export const childProcess = (): typeof import('node:child_process') => process.getBuiltinModule('node:child_process')
/** node:stream. */
export const stream = (): typeof import('node:stream') => process.getBuiltinModule('node:stream')
/** node:dgram. */
export const dgram = (): typeof import('node:dgram') => process.getBuiltinModule('node:dgram')
