// A require() for the module at URL, made when a caller needs one. Not a
// static import of node:module: in the bundle (dist/peapod.cjs) that is a
// require('node:module') when the importing module initialises, and
// node:module loads Node's ES module loader with it (~0.6 ms of CPU on every
// command that evaluates the module). Node's own modules need no require():
// process.getBuiltinModule().

/** require() resolving from URL (a module's import.meta.url). */
export function requireFrom(url: string): NodeJS.Require {
  return process.getBuiltinModule('node:module').createRequire(url)
}
