import {Flags} from '../../cli/oclif.js'
import {fstatSync, readlinkSync, writeFileSync} from 'node:fs'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {checkCidfile, createFlags} from '../../cli/container-flags.js'
import {toContainerSpec} from '../../cli/container-spec.js'
import {rootfsSpec} from '../../cli/rootfs.js'
import {imageForCreate} from '../../cli/image-flags.js'
import {startAttached} from '../../cli/container-run.js'
import {cleanupContainer, createContainer, ExitCode, InvalidArgument, load, removeContainer, startContainer} from '../../libpod/index.js'

const runFlags = {
  ...createFlags,
  detach: Flags.boolean({char: 'd', description: 'Run container in background and print container ID'}),
  'preserve-fds': Flags.integer({min: 0, description: 'Pass a number of additional file descriptors into the container'}),
  rmi: Flags.boolean({description: 'Remove image unless used by other containers, implies --rm'}),
  'detach-keys': Flags.string({description: 'Override the key sequence for detaching a container. Format is a single character [a-Z] or a comma separated sequence of `ctrl-<value>`, where `<value>` is one of: `a-cf`, `@`, `^`, `[`, `\\` or `_`'}),
}

export default class ContainerRun extends BaseCommand {
  static override summary = 'Run a command in a new container'
  static override usage = 'container run [options] IMAGE [COMMAND [ARG...]]'
  static override aliases = ['run']
  static override strict = false
  static override flags = runFlags

  async run(): Promise<void> {
    const {flags: flagArgv, rest} = splitAtPositional(this.argv, valueFlagNames({...BaseCommand.baseFlags, ...runFlags} as never))
    const {flags} = await this.parse(ContainerRun, flagArgv)
    if (rest.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    checkCidfile(flags.cidfile)
    checkPreservedFds(flags['preserve-fds'])
    const given = toContainerSpec(flags, rest[0], rest.slice(1))
    const input = {...given, spec: {...given.spec, ...rootfsSpec(flags.rootfs, rest[0])}}
    // --rmi implies --rm; the image goes once the container has
    const {spec, newPod} = flags.rmi ? {...input, spec: {...input.spec, remove: true}} : input
    const rt = await this.runtime(flags)
    const c = await createContainer(rt, {...spec, ...spec.rootfs ? {} : {image: await imageForCreate(rt, spec.image, flags)}}, newPod)
    if (flags.cidfile) writeFileSync(flags.cidfile, c.id)
    if (flags.detach) {
      try {
        await startContainer(rt, c.id, {preserveFds: flags['preserve-fds']})
      } catch (e) {
        if (c.remove) await removeContainer(rt, c.id, {force: true}).catch(() => {})
        throw e
      }
      this.log(c.id)
      return
    }
    let code: number | undefined
    let detached = false
    try {
      const attach = spec.attach
      const r = await startAttached(rt, c.id, {stdin: Boolean(flags.interactive) && (!attach || attach.includes('stdin')), detachKeys: flags['detach-keys'], sigProxy: flags['sig-proxy'], streams: attach, preserveFds: flags['preserve-fds']})
      code = r.exitCode
      detached = r.detached
    } finally {
      // --rm: gone before we return, whoever (we or the monitor) gets there first.
      if (c.remove && !detached) {
        await cleanupContainer(rt, c.id).catch(() => {})
        await removeContainer(rt, c.id, {force: true}).catch(() => {})
        if (flags.rmi) {
          // by the name it was run as (a tag of a shared image only loses that tag), unless in use
          const {removeImages} = await load.imageManage()
          await removeImages(rt.store, [spec.image], {inUse: id => rt.imageUsers(id), registries: rt.searchRegistries}).catch(() => {})
        }
      }
    }
    if (code) throw new ExitCode(code)
  }
}

/**
 * --preserve-fds N: fds 3 .. 3+N-1 must have been passed to us (Podman's
 * check). Node's own descriptors (libuv's epoll and eventfd, opened after
 * the inherited ones) are anonymous inodes: those were not passed.
 */
function checkPreservedFds(n: number | undefined): void {
  for (let fd = 3; fd < 3 + (n ?? 0); fd++) {
    try {
      fstatSync(fd)
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('anon_inode:')) throw new Error('not passed')
    } catch {
      throw new InvalidArgument(`file descriptor ${fd} is not available - the preserve-fds option requires that file descriptors must be passed`)
    }
  }
}
