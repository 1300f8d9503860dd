// oclif for peapod's commands: the vendored single-file bundle of
// @oclif/core built by scripts/build-vendor.js (it loads ~15 ms faster than
// the package's 158 files), compiled from its V8 code cache when the build
// wrote one (code-cache.ts), typed as the package itself.
import type * as Core from '@oclif/core'
import {fileURLToPath} from 'node:url'
import {requireWithCodeCache} from './code-cache.js'

/** The bundle's path (scripts/build-code-cache.js warms and caches it). */
export const OCLIF_BUNDLE = fileURLToPath(new URL('../vendor/oclif-core.cjs', import.meta.url))

const core = requireWithCodeCache(OCLIF_BUNDLE) as typeof Core

export const {Command, Flags, Args, execute, Config, flush, handle} = core
export type {Interfaces} from '@oclif/core'
