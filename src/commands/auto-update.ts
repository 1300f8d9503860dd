import {Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {isJsonFormat, toJson} from '../cli/output.js'
import {ExitCode, load, renderRows} from '../libpod/index.js'
import {writeOut} from '../cli/stdout.js'

const HEADERS = {Unit: 'UNIT', Container: 'CONTAINER', Image: 'IMAGE', Policy: 'POLICY', Updated: 'UPDATED'}

export default class AutoUpdate extends BaseCommand {
  static override summary = 'Auto update containers according to their auto-update policy'
  static override description = 'Auto update containers according to their auto-update policy.\n\nAuto-update policies are specified with the "io.containers.autoupdate" label. Containers are expected to run in systemd units created with "peapod generate systemd --new", or similar units that create new containers in order to run the updated images (Quadlet\'s). Note that auto-update relies on systemd: a unit whose image changed is restarted with systemctl (--user for a rootless engine), and rolled back to the previous image when that restart fails.'
  static override usage = 'auto-update [options]'
  static override flags = {
    authfile: Flags.string({description: 'Path to the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
    'dry-run': Flags.boolean({description: 'Check for pending updates'}),
    format: Flags.string({description: 'Change the output format to JSON or a Go template'}),
    rollback: Flags.boolean({description: 'Rollback to previous image if update fails', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AutoUpdate)
    const rt = await this.runtime(flags)
    const {autoUpdate} = await load.autoUpdate()
    const {reports, errors} = await autoUpdate(rt, {dryRun: flags['dry-run'], rollback: flags.rollback, authfile: flags.authfile ?? process.env.REGISTRY_AUTH_FILE})
    if (reports.length) {
      if (isJsonFormat(flags.format)) writeOut(toJson(reports) + '\n')
      else writeOut(renderRows(flags.format ?? 'table {{.Unit}}\t{{.Container}}\t{{.Image}}\t{{.Policy}}\t{{.Updated}}', reports, HEADERS))
    }
    // Podman's JoinErrors: one error as it is, several as multierror lists them
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) {
      process.stderr.write(`Error: ${errors.length} errors occurred:\n${errors.map(e => `\t* ${e.message}`).join('\n')}\n`)
      throw new ExitCode(125)
    }
  }
}
