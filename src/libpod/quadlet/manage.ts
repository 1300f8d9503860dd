// `quadlet install|list|print|rm`: the Quadlet files of the user (or of root)
// in their install directory. A directory or a `.quadlets` file installs as
// one application: its files are listed in `.<app>.app` beside them, and
// removing any of them removes the application.
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {InvalidArgument, PeapodError} from '../define/errors.js'
import {SUPPORTED_EXTENSIONS, UNIT_DIR_ADMIN} from './common.js'
import {UnitFile} from './unitfile.js'
import {containerServiceName} from './container.js'
import {volumeServiceName} from './volume.js'
import {networkServiceName} from './network.js'
import {kubeServiceName} from './kube.js'
import {imageServiceName} from './image.js'
import {buildServiceName} from './build.js'
import {podServiceName} from './pod.js'
import {artifactServiceName} from './artifact.js'

export class QuadletNotFound extends PeapodError {}

const isRoot = (): boolean => process.getuid?.() === 0 && !process.env.PEAPOD_ROOTLESS_UID

/** Where this user's Quadlet files are installed. */
export function installDir(env: NodeJS.ProcessEnv = process.env): string {
  if (isRoot()) return UNIT_DIR_ADMIN
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config')
  return path.join(config, 'containers/systemd')
}

const isQuadlet = (name: string): boolean => path.extname(name) in SUPPORTED_EXTENSIONS

export interface QuadletRow {
  Name: string
  UnitName: string
  Path: string
  Status: string
  App: string
  Pod: string
}

function serviceOf(file: string): string {
  let unit: UnitFile
  try {
    unit = UnitFile.load(file)
  } catch {
    unit = UnitFile.parse('', path.basename(file))
  }
  const byExt: Record<string, (u: UnitFile) => string> = {
    '.container': containerServiceName, '.volume': volumeServiceName, '.network': networkServiceName, '.kube': kubeServiceName,
    '.image': imageServiceName, '.build': buildServiceName, '.pod': podServiceName, '.artifact': artifactServiceName,
  }
  return `${byExt[path.extname(file)]!(unit)}.service`
}

/** The apps of the install dir: app name → its files. */
function apps(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (!existsSync(dir)) return out
  for (const f of readdirSync(dir)) {
    const m = /^\.(.+)\.app$/.exec(f)
    if (m) out.set(m[1]!, readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
  }
  return out
}

const systemdRuns = (): boolean => existsSync('/run/systemd/system')
const systemctl = (args: string[]) => spawnSync('systemctl', [...(isRoot() ? [] : ['--user']), ...args], {encoding: 'utf8'})

/** systemd's view of a unit (`active/running`), `Not loaded` without systemd or unit. */
function unitStatus(unit: string): string {
  if (!systemdRuns()) return 'Not loaded'
  const r = systemctl(['show', '-p', 'LoadState,ActiveState,SubState', unit])
  const props = Object.fromEntries(r.stdout.split('\n').filter(Boolean).map(l => l.split('=', 2) as [string, string]))
  if (r.status !== 0 || props.LoadState !== 'loaded') return 'Not loaded'
  return `${props.ActiveState}/${props.SubState}`
}

export function reloadSystemd(): void {
  if (!systemdRuns()) return
  const r = systemctl(['daemon-reload'])
  if (r.status !== 0) throw new PeapodError(`reloading systemd: ${r.stderr.trim()}`)
}

/** The installed Quadlets, by name. */
export function listQuadlets(dir = installDir()): QuadletRow[] {
  if (!existsSync(dir)) return []
  const appOf = new Map<string, string>()
  for (const [app, files] of apps(dir)) for (const f of files) appOf.set(f, app)
  return readdirSync(dir).filter(isQuadlet).sort().map(name => {
    const file = path.join(dir, name)
    let pod = ''
    if (name.endsWith('.container')) {
      try {
        pod = UnitFile.load(file).lookup('Container', 'Pod') ?? ''
      } catch {
        pod = ''
      }
    }
    const unitName = serviceOf(file)
    return {Name: name, UnitName: unitName, Path: file, Status: unitStatus(unitName), App: appOf.get(name) ?? '', Pod: pod}
  })
}

/** The text of an installed Quadlet. */
export function printQuadlet(name: string, dir = installDir()): string {
  const file = path.join(dir, path.basename(name))
  if (!isQuadlet(name) || !existsSync(file)) throw new QuadletNotFound(`quadlet ${JSON.stringify(name)} not found`)
  return readFileSync(file, 'utf8')
}

/** Split a `.quadlets` file into its files (`# FileName=x` names each; the type comes from its section). */
function splitQuadlets(text: string, source: string): Array<{name: string; text: string}> {
  return text.split(/^---\s*$/m).map(part => part.replace(/^\n+/, '')).filter(p => p.trim()).map(part => {
    const fn = /^#\s*FileName=(.+)$/m.exec(part)?.[1]?.trim()
    if (!fn) throw new InvalidArgument(`missing "# FileName=" comment in a section of ${source}`)
    const section = /^\[(Container|Volume|Network|Kube|Image|Build|Pod|Artifact)\]/m.exec(part)?.[1]
    if (!section) throw new InvalidArgument(`no Quadlet section in ${fn} of ${source}`)
    return {name: `${fn}.${section.toLowerCase()}`, text: part}
  })
}

/**
 * Installs a Quadlet file (with asset files after it), a directory (one app),
 * or a `.quadlets` file (one app). Returns the paths written.
 */
export function installQuadlets(sources: string[], opts: {replace?: boolean}, dir = installDir()): string[] {
  if (sources.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
  const [first, ...assets] = sources
  if (/^https?:\/\//.test(first!)) throw new InvalidArgument(`installing from a URL is not supported: ${first}`)
  if (!existsSync(first!)) throw new InvalidArgument(`${first}: no such file or directory`)
  const planned: Array<{name: string; from?: string; text?: string}> = []
  let app = ''
  if (statSync(first!).isDirectory()) {
    app = path.basename(path.resolve(first!))
    for (const f of readdirSync(first!).sort()) {
      const full = path.join(first!, f)
      if (statSync(full).isFile()) planned.push({name: f, from: full})
    }
    if (!planned.some(p => isQuadlet(p.name))) throw new InvalidArgument(`no Quadlet files found in ${first}`)
  } else if (first!.endsWith('.quadlets')) {
    app = path.basename(first!, '.quadlets')
    planned.push(...splitQuadlets(readFileSync(first!, 'utf8'), first!))
  } else {
    if (!isQuadlet(first!)) throw new InvalidArgument(`${first} is not a Quadlet file (.container, .volume, .network, .kube, .pod, .image or .build)`)
    planned.push({name: path.basename(first!), from: first})
  }
  for (const a of assets) {
    if (!existsSync(a)) throw new InvalidArgument(`${a}: no such file or directory`)
    planned.push({name: path.basename(a), from: a})
  }
  for (const p of planned) {
    // check each file before writing any
    if (isQuadlet(p.name)) UnitFile.parse(p.text ?? readFileSync(p.from!, 'utf8'), p.name)
    if (!opts.replace && existsSync(path.join(dir, p.name))) {
      throw new InvalidArgument(`a Quadlet with name ${p.name} already exists, refusing to overwrite`)
    }
  }
  mkdirSync(dir, {recursive: true})
  const written = planned.map(p => {
    const to = path.join(dir, p.name)
    if (p.text !== undefined) writeFileSync(to, p.text)
    else copyFileSync(p.from!, to)
    return to
  })
  if (app) writeFileSync(path.join(dir, `.${app}.app`), planned.map(p => p.name).join('\n') + '\n')
  return written
}

/** Removes Quadlets (a Quadlet of an app takes its whole app; an app's name names it). Returns the names removed. */
export function removeQuadlets(names: string[], opts: {all?: boolean; force?: boolean; ignore?: boolean}, dir = installDir()): string[] {
  const installed = listQuadlets(dir)
  const appFiles = apps(dir)
  const targets = opts.all ? installed.map(q => q.Name) : names
  if (targets.length === 0 && !opts.all) throw new InvalidArgument('must provide at least 1 quadlet or --all')
  const removed: string[] = []
  for (const name of targets) {
    let files: string[]
    let app = ''
    if (appFiles.has(name)) {
      app = name
      files = appFiles.get(name)!
    } else {
      const row = installed.find(q => q.Name === name)
      if (!row) {
        if (opts.ignore) continue
        throw new QuadletNotFound(`unable to find quadlet ${JSON.stringify(name)}`)
      }
      app = row.App
      files = app ? appFiles.get(app)! : [name]
    }
    for (const f of files.filter(isQuadlet)) {
      const row = installed.find(q => q.Name === f)
      if (row && /^active|^activating/.test(row.Status)) {
        if (!opts.force) throw new InvalidArgument(`quadlet ${f} is running: stop it first or use --force`)
        systemctl(['stop', row.UnitName])
      }
    }
    for (const f of files) rmSync(path.join(dir, f), {force: true})
    if (app) rmSync(path.join(dir, `.${app}.app`), {force: true})
    removed.push(name)
  }
  return removed
}
