// oclif for peapod's commands, from the vendored bundles of @oclif/core
// (scripts/build-vendor.js, oclif-bundles.ts): Flags, Args and the Command
// base (command.ts) come from the light bundle, oclif's own parser and
// errors; execute, Config and the help come from the full bundle, loaded
// only when one of them is used (help, --version, unknown commands,
// completion, errors a command does not handle). Typed as the package.
import type * as Core from '@oclif/core'
import {Command as LightCommand} from './command.js'
import {fullOclif, light} from './oclif-bundles.js'

export {OCLIF_BUNDLE, OCLIF_LIGHT} from './oclif-bundles.js'

export const Flags = light.Flags
export const Args = light.Args
export const flush = light.flush
export const Command = LightCommand as unknown as typeof Core.Command
// eslint-disable-next-line @typescript-eslint/no-redeclare
export type Command = Core.Command

export const execute: typeof Core.execute = (...a) => fullOclif().execute(...a)

/**
 * oclif's handle(): an ExitError (this.exit(), a command's own error already
 * printed) exits with its code as handle() does, without the full bundle;
 * anything else is handle()'s to print.
 */
export const handle: typeof Core.handle = async err => {
  if (err instanceof light.Errors.ExitError) {
    process.exit(err.oclif?.exit ?? 1)
  }
  return fullOclif().handle(err)
}

export type {Interfaces, Config} from '@oclif/core'
