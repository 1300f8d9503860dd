// shim until commands import libpod/index
export * from './define/errors.js'
