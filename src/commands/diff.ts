import ContainerDiff from './container/diff.js'
import {type Runtime, type Change, load} from '../libpod/index.js'

export default class Diff extends ContainerDiff {
  static override summary = 'Display the changes to the object\'s file system'
  static override description = 'Displays changes on a container or image\'s filesystem.  The container or image will be compared to its parent layer.'
  static override usage = 'diff [options] {CONTAINER|IMAGE}'
  static override aliases = []
  static override strict = false
  static override args = {...ContainerDiff.args}

  protected override async changes(rt: Runtime, ref: string): Promise<Change[]> {
    const {anyChanges} = await load.diff()
    return anyChanges(rt, ref)
  }
}
