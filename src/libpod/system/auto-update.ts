// `auto-update`, as Podman 4.3.1's pkg/autoupdate: running containers
// labelled io.containers.autoupdate=registry|local that run under a systemd
// unit (the PODMAN_SYSTEMD_UNIT label, recorded at create) are checked for a
// newer image: `registry` compares the registry's manifest digest with the
// local image's and pulls; `local` compares the image the container runs
// with the one its name now points at. The unit is then restarted (its
// ExecStart, from generate systemd --new or Quadlet, creates the container
// anew on the new image); when the restart fails and rollback is on, the old
// image gets its name back and the unit is restarted once more. Podman talks
// to systemd over D-Bus; peapod runs `systemctl [--user] restart`, which
// waits for the start job the same way (until READY=1 for Type=notify).
import {spawnSync} from 'node:child_process'
import {InvalidArgument, PeapodError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {ImageDoc} from '../image/images.js'
import {tagImage} from '../image/manage.js'
import {Registries, pullImages} from '../image/pull.js'
import {resolvePullName} from '../image/registry/config.js'

export const AUTO_UPDATE_LABEL = 'io.containers.autoupdate'
export const AUTO_UPDATE_AUTHFILE_LABEL = 'io.containers.autoupdate.authfile'
const UNIT_LABEL = 'PODMAN_SYSTEMD_UNIT'

export type AutoUpdatePolicy = 'registry' | 'local'

export interface AutoUpdateOptions {
  /** Check only: no pull, no restart ("pending" when an update is there). */
  dryRun?: boolean
  /** Restore the previous image and restart again when the restart fails (default true). */
  rollback?: boolean
  /** Used for pulls unless the container's io.containers.autoupdate.authfile label names one. */
  authfile?: string
  /** Restarts a unit (default: systemctl); throws when the restart failed. */
  restartUnit?: (unit: string) => void
}

/** One container's line, with Podman's field names (its --format placeholders). */
export interface AutoUpdateReport {
  Unit: string
  Container: string
  ContainerID: string
  ContainerName: string
  Image: string
  Policy: string
  Updated: 'true' | 'false' | 'failed' | 'pending' | 'rolled back'
}

/** Podman's policies by label value ('image' is the old name of 'registry'); undefined: disabled. */
export function lookupPolicy(value: string): AutoUpdatePolicy | undefined {
  switch (value) {
    case '': case 'disabled': return undefined
    case 'registry': case 'image': return 'registry'
    case 'local': return 'local'
    default: throw new InvalidArgument(`invalid auto-update policy "${value}": valid policies are ["disabled" "image" "local" "registry"]`)
  }
}

/** systemctl restart of a unit (--user for a rootless engine); its error message when it fails. */
export function systemctlRestart(rootless: boolean): (unit: string) => void {
  return unit => {
    const r = spawnSync('systemctl', [...rootless ? ['--user'] : [], 'restart', unit], {encoding: 'utf8'})
    if (r.error) throw new PeapodError(`restarting unit ${unit}: ${r.error.message}`)
    if (r.status !== 0) throw new PeapodError(`restarting unit ${unit}: ${(r.stderr || `systemctl exited ${r.status}`).trim()}`)
  }
}

interface Task {
  id: string
  name: string
  unit: string
  policy: AutoUpdatePolicy
  rawImageName: string
  image: ImageDoc
  authfile?: string
  status: AutoUpdateReport['Updated']
}

/** Whether the registry's manifest for `name` is not one the local image has. */
async function registryDiffers(rt: Runtime, t: Task): Promise<boolean> {
  const regs = new Registries(rt, {authfile: t.authfile})
  try {
    const res = resolvePullName(regs.conf, t.rawImageName, false)
    const cand = res.candidates[0]
    if (!cand?.domain) throw new InvalidArgument(`registry auto-updating container "${t.id}": image name "${t.rawImageName}" is not a fully-qualified reference`)
    if (cand.digest) return !t.image.digests.includes(cand.digest)
    const ep = regs.conf.pullEndpoints(cand)
    const primary = ep[ep.length - 1]
    const digest = await regs.get(primary.ref.domain, primary.insecure || undefined).headManifest(primary.ref.path, primary.ref.tag ?? 'latest')
    return digest !== undefined && !t.image.digests.includes(digest) && t.image.digest !== digest
  } finally {
    regs.close()
  }
}

/** Whether the image the name now points at is not the one the container runs. */
function localDiffers(rt: Runtime, t: Task): boolean {
  let now: ImageDoc
  try {
    now = rt.lookupImage(t.rawImageName)
  } catch (e) {
    throw new PeapodError(`locally auto-updating container "${t.id}": image name "${t.rawImageName}" cannot be looked up: ${(e as Error).message}`)
  }
  return now.id !== t.image.id
}

/** The tasks: running containers with a policy, each under its unit. Misconfigured ones are errors, the others go on. */
function assembleTasks(rt: Runtime, authfile: string | undefined, errors: Error[]): Task[] {
  const tasks: Task[] = []
  for (const c of rt.containers.list()) {
    if (c.state.status !== 'running') continue
    const labels = c.config.labels ?? {}
    if (!(AUTO_UPDATE_LABEL in labels)) continue
    let policy: AutoUpdatePolicy | undefined
    try {
      policy = lookupPolicy(labels[AUTO_UPDATE_LABEL])
    } catch (e) {
      errors.push(e as Error)
      continue
    }
    if (!policy) continue
    const unit = labels[UNIT_LABEL]
    if (!unit) {
      errors.push(new PeapodError(`auto-updating container "${c.config.id}": no ${UNIT_LABEL} label found`))
      continue
    }
    const image = rt.store.images.list().find(i => i.id === c.config.imageId)
    if (!image || !c.config.imageName) {
      errors.push(new PeapodError(`auto-updating container "${c.config.id}": raw-image name is empty`))
      continue
    }
    tasks.push({
      id: c.config.id, name: c.config.name, unit, policy, rawImageName: c.config.imageName, image,
      authfile: labels[AUTO_UPDATE_AUTHFILE_LABEL] || authfile, status: 'failed',
    })
  }
  return tasks
}

/** The auto-update sequence; the reports of the containers looked at and the errors met (each container on its own). */
export async function autoUpdate(rt: Runtime, opts: AutoUpdateOptions = {}): Promise<{reports: AutoUpdateReport[]; errors: Error[]}> {
  const errors: Error[] = []
  const tasks = assembleTasks(rt, opts.authfile, errors)
  const restart = opts.restartUnit ?? systemctlRestart(rt.config.rootless)
  for (const t of tasks) {
    try {
      const available = t.policy === 'registry' ? await registryDiffers(rt, t) : localDiffers(rt, t)
      if (!available) {
        t.status = 'false'
        continue
      }
      if (opts.dryRun) {
        t.status = 'pending'
        continue
      }
      if (t.policy === 'registry') {
        try {
          await pullImages(rt, t.rawImageName, {authfile: t.authfile})
        } catch (e) {
          throw new PeapodError(`updating image for container ${t.id}: ${(e as Error).message}`)
        }
      }
      try {
        restart(t.unit)
        t.status = 'true'
        continue
      } catch (e) {
        if (opts.rollback === false) throw new PeapodError(`restarting unit ${t.unit} for container ${t.id}: ${(e as Error).message}`)
      }
      // rollback: the name back on the image the container ran, then the unit once more
      await tagImage(rt.store, t.image.id, [t.rawImageName], rt.searchRegistries)
      try {
        restart(t.unit)
      } catch (e) {
        throw new PeapodError(`restarting unit ${t.unit} for container ${t.id} during rollback: ${(e as Error).message}`)
      }
      t.status = 'rolled back'
    } catch (e) {
      t.status = 'failed'
      errors.push(e as Error)
    }
  }
  const reports = tasks.map(t => ({
    Unit: t.unit, Container: `${t.id.slice(0, 12)} (${t.name})`, ContainerID: t.id, ContainerName: t.name,
    Image: t.rawImageName, Policy: t.policy, Updated: t.status,
  }))
  return {reports, errors}
}
