// The two halves of the vendored @oclif/core (scripts/build-vendor.js):
// dist/vendor/oclif-light.cjs, oclif's own flags, args, parser, errors and
// cache modules (~40 KB, what a command run directly needs), and
// dist/vendor/oclif-core.cjs, the rest of oclif (config loading, help,
// execute, ux...), which takes the light modules from the light bundle and
// is loaded only when something needs it. Each is compiled from its V8 code
// cache when the build wrote one (code-cache.ts); the bundles load each
// other through the same loader (code-cache.ts registers it).
import type * as Core from '@oclif/core'
import {fileURLToPath} from 'node:url'
import {requireWithCodeCache} from './code-cache.js'

/** The full bundle's path (scripts/build-code-cache.js warms and caches it). */
export const OCLIF_BUNDLE = fileURLToPath(new URL('../vendor/oclif-core.cjs', import.meta.url))
/** The light bundle's path. */
export const OCLIF_LIGHT = fileURLToPath(new URL('../vendor/oclif-light.cjs', import.meta.url))

type ErrorsModule = typeof Core.Errors & {ExitError: typeof Core.Errors.ExitError}

/** What the light bundle exports: oclif's own modules. */
export interface LightOclif {
  Flags: typeof Core.Flags
  Args: typeof Core.Args
  flush: typeof Core.flush
  Parser: typeof Core.Parser
  Errors: ErrorsModule
  aggregateFlags(flags: unknown, baseFlags: unknown, enableJsonFlag: unknown): Record<string, Record<string, unknown>>
  ux: {stdout(str?: string | string[], ...args: unknown[]): void; stderr(str?: string | string[], ...args: unknown[]): void}
  Cache: {getInstance(): Map<string, unknown>}
  util: {isProd(): boolean; uniq<T>(a: T[]): T[]}
}

export const light = requireWithCodeCache(OCLIF_LIGHT) as LightOclif

/** The full @oclif/core (loaded on first call). */
export function fullOclif(): typeof Core & {__m: Record<string, Record<string, never>>} {
  return requireWithCodeCache(OCLIF_BUNDLE) as never
}
