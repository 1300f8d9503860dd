// oclif for peapod's commands: the vendored single-file bundle of
// @oclif/core built by scripts/build-vendor.js (it loads ~15 ms faster than
// the package's 158 files), typed as the package itself.
import type * as Core from '@oclif/core'
import {createRequire} from 'node:module'

const core = createRequire(import.meta.url)('../vendor/oclif-core.cjs') as typeof Core

export const {Command, Flags, Args, execute} = core
export type {Interfaces} from '@oclif/core'
