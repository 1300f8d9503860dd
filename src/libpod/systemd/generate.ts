// `generate systemd`: the unit files Podman 4.3.1 writes for a container or
// a pod (one unit per member plus the pod's), with peapod as the engine.
// Without --new the units start and stop the existing objects (PIDFile= is
// the monitor's pid file); with --new they create them afresh from the
// command line that created them (CreateCommand).
import type {Runtime} from '../runtime.js'
import type {Container as ContainerDoc} from '../container/types.js'
import type {PodConfig} from '../pod/types.js'
import {InvalidArgument, NoSuchContainer, NoSuchPod, PeapodError} from '../define/errors.js'
import {containerPaths} from '../container/paths.js'
import {unitNodePin} from './unit-node.js'

export interface GenerateSystemdOptions {
  /** Name the units after names, not IDs. */
  name?: boolean
  /** Create the container/pod when the unit starts, remove it when it stops. */
  new?: boolean
  noHeader?: boolean
  restartPolicy?: string
  restartSec?: number
  startTimeout?: number
  stopTimeout?: number
  containerPrefix?: string
  podPrefix?: string
  separator?: string
  /** A template unit (`x@.service`, the instance names the container); implies --new. */
  template?: boolean
  wants?: string[]
  after?: string[]
  requires?: string[]
  /** Extra `Environment=` lines. */
  env?: string[]
  /** The engine in Exec* lines: peapod's launcher (bin/peapod), as a user's shell runs it. */
  executable: string
  /** The node the launcher must start (PEAPOD_NODE); default: this one when systemd's PATH would find another (unit-node.ts); '' never. */
  node?: string
  /** For the header's date (tests fix it). */
  now?: Date
}

const PODMAN_VERSION = '4.3.1'
const MIN_TIMEOUT_STOP_SEC = 60
const RESTART_POLICIES = ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always']
const CIDFILE = '%t/%n.ctr-id'

interface PodInfo {
  serviceName: string
  infraNameOrId: string
  pidFile: string
  stopTimeout: number
  createCommand: string[]
  runRoot: string
  requiredServices: string[]
  podIdFile: string
}

interface ContainerInfo {
  serviceName: string
  nameOrId: string
  stopTimeout: number
  pidFile: string
  createCommand: string[]
  runRoot: string
  env: string[]
  boundTo: string[]
  pod?: PodInfo
}

export class GenerateError extends PeapodError {}

const serviceName = (prefix: string, sep: string, name: string): string => (prefix === '' ? name : `${prefix}${sep}${name}`)

/** Go's time.UnixDate: `Sun Dec  6 19:35:05 UTC 2026`. */
function unixDate(d: Date): string {
  const day = d.toLocaleString('en-US', {weekday: 'short'})
  const mon = d.toLocaleString('en-US', {month: 'short'})
  const tz = /\b([A-Z]{2,5}|GMT[+-]\d+)$/.exec(d.toLocaleTimeString('en-US', {timeZoneName: 'short'}))?.[1] ?? 'UTC'
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return `${day} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${tz === 'GMT' ? 'UTC' : tz} ${d.getFullYear()}`
}

/** Podman's escapeSystemdArg: `$`→`$$`, `%`→`%%`, Go-quoted when it has blanks or is quoted. */
export function escapeSystemdArg(arg: string): string {
  arg = arg.replaceAll('$', '$$$$').replaceAll('%', '%%')
  if (/[ \t]/.test(arg) || /^".*"$/.test(arg) || /^'.*'$/.test(arg)) arg = JSON.stringify(arg)
  return arg
}

/** Each option (a word starting with `-`) on its own continuation line. */
export function formatOptions(words: string[]): string {
  if (words.length === 0) return ''
  let out = words[0]!
  for (const w of words.slice(1)) out += w.startsWith('-') ? ` \\\n\t${w}` : ` ${w}`
  return out
}
const formatOptionsString = (s: string): string => formatOptions(s.split(' '))

/**
 * The flags of the create command that the unit decides (pflag's parse with
 * unknown flags allowed and parsing stopped at the first argument): which
 * are present, and how many positional arguments (image and command) end it.
 */
interface ParsedFlags {
  detach?: boolean
  detachChanged: boolean
  name?: string
  replace?: boolean
  replaceChanged: boolean
  env: string[]
  sdnotify?: string
  restart?: string
  nArg: number
}

function parseCreateFlags(args: string[], known: {bool: string[]; str: string[]; shortBool: Record<string, string>; shortStr: Record<string, string>}): ParsedFlags & {values: Map<string, string[]>} {
  const values = new Map<string, string[]>()
  const set = (k: string, v: string): void => {
    values.set(k, [...values.get(k) ?? [], v])
  }
  let i = 0
  // an unknown flag takes the next word as its value unless it looks like a flag
  const stripUnknown = (): void => {
    if (i + 1 < args.length && !args[i + 1]!.startsWith('-')) i++
  }
  for (; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') {
      i++
      break
    }
    if (!a.startsWith('-') || a === '-') break
    if (a.startsWith('--')) {
      const body = a.slice(2)
      const eq = body.indexOf('=')
      const name = eq >= 0 ? body.slice(0, eq) : body
      if (known.bool.includes(name)) set(name, eq >= 0 ? body.slice(eq + 1) : 'true')
      else if (known.str.includes(name)) {
        if (eq >= 0) set(name, body.slice(eq + 1))
        else if (i + 1 < args.length) set(name, args[++i]!)
      } else if (eq < 0) stripUnknown()
      continue
    }
    // a group of short flags
    const shorts = a.slice(1)
    for (let j = 0; j < shorts.length; j++) {
      const c = shorts[j]!
      if (known.shortBool[c]) {
        if (shorts[j + 1] === '=') {
          set(known.shortBool[c]!, shorts.slice(j + 2))
          break
        }
        set(known.shortBool[c]!, 'true')
      } else if (known.shortStr[c]) {
        const rest = shorts.slice(j + 1).replace(/^=/, '')
        if (rest) set(known.shortStr[c]!, rest)
        else if (i + 1 < args.length) set(known.shortStr[c]!, args[++i]!)
        break
      } else {
        if (shorts[j + 1] === '=') break
        stripUnknown()
      }
    }
  }
  const last = (k: string): string | undefined => values.get(k)?.at(-1)
  const bool = (k: string): boolean | undefined => (values.has(k) ? ['true', '1', 't', 'T', 'TRUE', 'True'].includes(last(k)!) : undefined)
  return {
    values,
    detach: bool('detach'), detachChanged: values.has('detach'),
    name: last('name'), replace: bool('replace'), replaceChanged: values.has('replace'),
    env: values.get('env') ?? [], sdnotify: last('sdnotify'), restart: last('restart'),
    nArg: args.length - i,
  }
}

/** Drops what the unit sets itself: --rm, --cgroups, --cidfile, --pidfile, --conmon-pidfile, --restart. */
function filterCommonContainerFlags(cmd: string[], nArg: number): string[] {
  const out: string[] = []
  const end = cmd.length - nArg
  for (let i = 0; i < end; i++) {
    const s = cmd[i]!
    if (s === '--rm') continue
    if (['--cgroups', '--cidfile', '--pidfile', '--conmon-pidfile', '--restart'].includes(s)) {
      i++
      continue
    }
    if (/^--(rm|cgroups|cidfile|pidfile|conmon-pidfile|restart)=/.test(s)) continue
    out.push(s)
  }
  return [...out, ...cmd.slice(end)]
}

function removeArgs(cmd: string[], nArg: number, drop: (s: string, next: string | undefined) => number): string[] {
  const out: string[] = []
  const end = cmd.length - nArg
  for (let i = 0; i < end; i++) {
    const n = drop(cmd[i]!, cmd[i + 1])
    if (n > 0) {
      i += n - 1
      continue
    }
    out.push(cmd[i]!)
  }
  return [...out, ...cmd.slice(end)]
}

function filterPodFlags(cmd: string[], nArg: number): string[] {
  return removeArgs(cmd, nArg, s => (s === '--pod' || s === '--pod-id-file' ? 2 : /^--pod(-id-file)?=/.test(s) ? 1 : 0))
}

function headerLines(o: GenerateSystemdOptions, unitName: string, description: string, runRoot: string): string {
  let h = `# ${unitName}\n`
  if (!o.noHeader) h += `# autogenerated by Podman ${PODMAN_VERSION}\n# ${unixDate(o.now ?? new Date())}\n`
  return `${h}\n[Unit]\nDescription=Podman ${description}\nDocumentation=man:podman-generate-systemd(1)\nWants=network-online.target\nAfter=network-online.target\nRequiresMountsFor=${runRoot}\n`
}

function userDependencies(o: GenerateSystemdOptions): string {
  const wants = o.wants ?? [], after = o.after ?? [], requires = o.requires ?? []
  let s = ''
  if (wants.length || after.length || requires.length) s += '\n# User-defined dependencies\n'
  if (wants.length) s += `Wants=${wants.join(' ')}\n`
  if (after.length) s += `After=${after.join(' ')}\n`
  if (requires.length) s += `Requires=${requires.join(' ')}\n`
  return s
}

function restartPolicy(o: GenerateSystemdOptions): string {
  if (o.restartPolicy === undefined) return 'on-failure'
  if (!RESTART_POLICIES.includes(o.restartPolicy)) throw new InvalidArgument(`${o.restartPolicy} is not a valid restart policy`)
  return o.restartPolicy
}

/** peapod's own line, only when the unit's PATH would not find our node. */
const nodeEnvironment = (o: GenerateSystemdOptions): string => (o.node ? `Environment=${escapeSystemdArg(`PEAPOD_NODE=${o.node}`)}\n` : '')

function containerUnit(info: ContainerInfo, o: GenerateSystemdOptions): string {
  const exe = o.executable
  let restart = restartPolicy(o)
  let startLimitBurst = ''
  const extraEnvs: string[] = []
  const isNew = o.new || o.template
  let execStartPre = ''
  let execStart = `${exe} start ${info.nameOrId}`
  let execStop = formatOptionsString(`${exe} stop  -t ${info.stopTimeout} ${info.nameOrId}`)
  let execStopPost = execStop
  let pidFile = info.pidFile
  let type = 'forking'
  let notifyAccess = ''
  if (isNew) {
    type = 'notify'
    notifyAccess = 'all'
    pidFile = ''
    execStartPre = formatOptionsString(`/bin/rm -f ${CIDFILE}`)
    // Podman formats these before filling in `-t N`, so it stays on --ignore's line
    execStop = `${exe} stop \\\n\t--ignore -t ${info.stopTimeout} \\\n\t--cidfile=${CIDFILE}`
    execStopPost = `${exe} rm \\\n\t-f \\\n\t--ignore -t ${info.stopTimeout} \\\n\t--cidfile=${CIDFILE}`
    const cmd = info.createCommand
    const index = cmd.findIndex(a => a === 'run' || a === 'create') + 1
    if (index <= 0) throw new GenerateError(`container's create command is too short or invalid: [${cmd.join(' ')}]`)
    const start = [exe, ...(index > 2 ? cmd.slice(1, index - 1) : []), 'run', '--cidfile=\u0000CIDFILE', '--cgroups=no-conmon', '--rm']
    let rest = cmd.slice(index)
    const fs = parseCreateFlags(rest, {bool: ['detach', 'replace'], str: ['name', 'env', 'sdnotify', 'restart', 'help'],
      shortBool: {d: 'detach'}, shortStr: {e: 'env', h: 'help'}})
    rest = filterCommonContainerFlags(rest, fs.nArg)
    if (info.pod) {
      start.push('--pod-id-file', '\u0000PODIDFILE')
      rest = filterPodFlags(rest, fs.nArg)
    }
    if (fs.sdnotify === undefined) start.push('--sdnotify=conmon')
    else if (fs.sdnotify === 'ignore') {
      // Type=notify needs a READY: ignore becomes conmon
      rest = removeArgs(rest, fs.nArg, (s, next) => (s === '--sdnotify=ignore' ? 1 : s === '--sdnotify' && next === 'ignore' ? 2 : 0))
      start.push('--sdnotify=conmon')
    }
    if (!fs.detach) {
      start.push('-d')
      if (fs.detachChanged) rest = removeArgs(rest, fs.nArg, s => (/^(--detach|-d)=/.test(s) ? 1 : 0))
    }
    if (fs.name !== undefined && !fs.replace) {
      // named containers replace a leftover of the same name (after a crash)
      start.push('--replace')
      if (fs.replaceChanged) rest = removeArgs(rest, fs.nArg, s => (s.startsWith('--replace=') ? 1 : 0))
    }
    if (o.restartPolicy === undefined && fs.restart) {
      let policy = fs.restart
      if (policy.startsWith('on-failure:')) {
        startLimitBurst = policy.split(':')[1]!
        policy = 'on-failure'
      } else if (policy === 'unless-stopped') policy = 'always'
      restart = policy
    }
    for (const e of fs.env) {
      // `-e NAME` takes the value from the environment of `run`: the unit must set it
      if (e.includes('=')) continue
      for (const ce of info.env) if (ce.split('=')[0] === e) extraEnvs.push(escapeSystemdArg(ce))
    }
    let words = [...start, ...rest].map(escapeSystemdArg)
    if (o.template) {
      let nameIx = words.findIndex(w => w === '--name')
      if (nameIx >= 0) nameIx++
      else nameIx = words.findIndex(w => w.startsWith('--name='))
      if (nameIx < 0) {
        const runIx = words.indexOf('run')
        words = [...words.slice(0, runIx + 1), `--name=${info.serviceName}-%i`, ...words.slice(runIx + 1)]
      } else words[nameIx] = `${words[nameIx]}-%i`
    }
    execStart = formatOptions(words).replaceAll('\u0000CIDFILE', CIDFILE).replaceAll('\u0000PODIDFILE', info.pod?.podIdFile ?? '')
  }

  const unitName = `${info.serviceName}${o.template ? '@' : ''}.service`
  let s = headerLines(o, unitName, `${info.serviceName}.service${o.template ? ' for %I' : ''}`, info.runRoot)
  if (info.boundTo.length) {
    const b = [...info.boundTo].sort().map(x => `${x}.service`).join(' ')
    s += `BindsTo=${b}\nAfter=${b}\n`
  }
  s += userDependencies(o)
  s += `\n[Service]\nEnvironment=PODMAN_SYSTEMD_UNIT=%n${o.template ? '-%i' : ''}\n`
  if (extraEnvs.length) s += `Environment=${extraEnvs.join(' ')}\n`
  for (const e of o.env ?? []) s += `Environment=${escapeSystemdArg(e)}\n`
  s += nodeEnvironment(o)
  s += `Restart=${restart}\n`
  if (o.restartSec) s += `RestartSec=${o.restartSec}\n`
  if (startLimitBurst) s += `StartLimitBurst=${startLimitBurst}\n`
  if (o.startTimeout) s += `TimeoutStartSec=${o.startTimeout}\n`
  s += `TimeoutStopSec=${MIN_TIMEOUT_STOP_SEC + info.stopTimeout}\n`
  if (execStartPre) s += `ExecStartPre=${execStartPre}\n`
  s += `ExecStart=${execStart}\nExecStop=${execStop}\nExecStopPost=${execStopPost}\n`
  if (pidFile) s += `PIDFile=${pidFile}\n`
  s += `Type=${type}\n`
  if (notifyAccess) s += `NotifyAccess=${notifyAccess}\n`
  s += '\n[Install]\nWantedBy=default.target\n'
  return s
}

function podUnit(info: PodInfo, o: GenerateSystemdOptions): string {
  const exe = o.executable
  const restart = restartPolicy(o)
  let execStartPre1 = '', execStartPre2 = ''
  let execStart = `${exe} start ${info.infraNameOrId}`
  let execStop = formatOptionsString(`${exe} stop  -t ${info.stopTimeout} ${info.infraNameOrId}`)
  let execStopPost = execStop
  let pidFile = info.pidFile
  if (o.new || o.template) {
    pidFile = `%t/${info.serviceName}.pid`
    const cmd = info.createCommand
    let ix = 0
    for (let i = 1; i < cmd.length; i++) {
      if (cmd[i - 1] === 'pod' && cmd[i] === 'create') {
        ix = i
        break
      }
    }
    if (cmd.length < 3 || ix === 0) throw new GenerateError(`pod does not appear to be created via \`podman pod create\`: [${cmd.join(' ')}]`)
    const rootArgs = cmd.slice(1, ix - 1)
    const root = rootArgs.map(escapeSystemdArg).join(' ')
    let createArgs = filterPodFlags(cmd.slice(ix + 1), 0)
    const fs = parseCreateFlags(createArgs, {bool: ['replace'], str: ['name', 'exit-policy'], shortBool: {}, shortStr: {}})
    const start = [exe, ...rootArgs, 'pod', 'create', '--infra-conmon-pidfile', pidFile, '--pod-id-file', info.podIdFile]
    if (!fs.values.has('exit-policy')) start.push('--exit-policy=stop')
    if (fs.name !== undefined && !fs.replace) {
      if (fs.replaceChanged) createArgs = removeArgs(createArgs, fs.nArg, s => (s.startsWith('--replace=') ? 1 : 0))
      createArgs.push('--replace')
    }
    execStartPre1 = formatOptionsString(`/bin/rm -f ${pidFile} ${info.podIdFile}`)
    execStartPre2 = formatOptions([...start, ...createArgs].map(w => (w === pidFile || w === info.podIdFile ? w : escapeSystemdArg(w))))
    const pre = `${exe} ${root ? `${root} ` : ''}pod`
    execStart = `${pre} start \\\n\t--pod-id-file ${info.podIdFile}`
    execStop = `${pre} stop \\\n\t--ignore \\\n\t--pod-id-file ${info.podIdFile}  \\\n\t-t ${info.stopTimeout}`
    execStopPost = `${pre} rm \\\n\t--ignore \\\n\t-f \\\n\t--pod-id-file ${info.podIdFile}`
  }
  let s = headerLines(o, `${info.serviceName}.service`, `${info.serviceName}.service`, info.runRoot)
  if (info.requiredServices.length) {
    const r = [...info.requiredServices].sort().map(x => `${x}.service`).join(' ')
    s += `Wants=${r}\nBefore=${r}\n`
  }
  s += userDependencies(o)
  s += '\n[Service]\nEnvironment=PODMAN_SYSTEMD_UNIT=%n\n'
  for (const e of o.env ?? []) s += `Environment=${escapeSystemdArg(e)}\n`
  s += nodeEnvironment(o)
  s += `Restart=${restart}\n`
  if (o.restartSec) s += `RestartSec=${o.restartSec}\n`
  if (o.startTimeout) s += `TimeoutStartSec=${o.startTimeout}\n`
  s += `TimeoutStopSec=${MIN_TIMEOUT_STOP_SEC + info.stopTimeout}\n`
  if (execStartPre1) s += `ExecStartPre=${execStartPre1}\nExecStartPre=${execStartPre2}\n`
  s += `ExecStart=${execStart}\nExecStop=${execStop}\nExecStopPost=${execStopPost}\nPIDFile=${pidFile}\nType=forking\n`
  s += '\n[Install]\nWantedBy=default.target\n'
  return s
}

function containerInfo(rt: Runtime, doc: ContainerDoc, o: GenerateSystemdOptions): ContainerInfo {
  const c = doc.config
  const isNew = o.new || o.template
  if (isNew && !c.createCommand?.length) {
    throw new GenerateError(`cannot use --new on container "${c.id}": no create command found: only works on containers created directly with podman but not via REST API`)
  }
  const nameOrId = o.name ? c.name : c.id
  return {
    serviceName: serviceName(o.containerPrefix ?? 'container', o.separator ?? '-', nameOrId),
    nameOrId,
    stopTimeout: o.stopTimeout ?? c.stopTimeout,
    pidFile: containerPaths(rt, c.id).monitorPid,
    createCommand: c.createCommand ?? [],
    runRoot: isNew ? '%t/containers' : rt.config.runRoot,
    env: c.env,
    boundTo: [],
  }
}

/** The units for a container or a pod: service name (without `.service`) → text. Pod first, then its members by name. */
export async function generateSystemd(rt: Runtime, nameOrId: string, o: GenerateSystemdOptions): Promise<Map<string, string>> {
  restartPolicy(o)
  o = {...o, node: o.node ?? unitNodePin()}
  let ctr
  try {
    ctr = rt.container(nameOrId)
  } catch (e) {
    if (!(e instanceof NoSuchContainer)) throw e
  }
  const units = new Map<string, string>()
  if (ctr) {
    const doc = ctr.data
    if (doc.config.pod) {
      // a member of a pod: bound to the pod's unit
      const info = containerInfo(rt, doc, o)
      const pod = rt.pod(doc.config.pod).config
      if (pod.infraId !== doc.config.id) {
        info.boundTo.push(podInfo(rt, pod, o).serviceName)
        info.pod = podInfo(rt, pod, o)
      }
      units.set(info.serviceName, containerUnit(info, o))
      return units
    }
    const info = containerInfo(rt, doc, o)
    units.set(info.serviceName, containerUnit(info, o))
    return units
  }
  let pod
  try {
    pod = rt.pod(nameOrId)
  } catch (e) {
    if (!(e instanceof NoSuchPod)) throw e
    throw new GenerateError(`${nameOrId} does not refer to a container or pod: no pod with name or ID ${nameOrId} found: no such pod: no container with name or ID "${nameOrId}" found: no such container`)
  }
  if (o.template) throw new InvalidArgument('--template is not supported for pods')
  const pcfg = pod.config
  if (!pcfg.infraId) throw new GenerateError(`generating systemd unit files: Pod "${pcfg.name}" has no infra container`)
  const members = (await pod.containers()).filter(c => c.config.id !== pcfg.infraId)
  if (members.length === 0) throw new GenerateError(`generating systemd unit files: Pod "${pcfg.name}" has no containers`)
  const pinfo = podInfo(rt, pcfg, o)
  const infos = members.map(m => {
    const info = containerInfo(rt, m, o)
    info.boundTo.push(pinfo.serviceName)
    info.pod = pinfo
    pinfo.requiredServices.push(info.serviceName)
    return info
  })
  units.set(pinfo.serviceName, podUnit(pinfo, o))
  for (const info of infos.sort((a, b) => a.serviceName.localeCompare(b.serviceName))) units.set(info.serviceName, containerUnit(info, o))
  return units
}

function podInfo(rt: Runtime, pod: PodConfig, o: GenerateSystemdOptions): PodInfo {
  if ((o.new || o.template) && !pod.createCommand?.length) throw new GenerateError(`cannot use --new on pod "${pod.id}": no create command found`)
  const infra = rt.container(pod.infraId!).data.config
  const svc = serviceName(o.podPrefix ?? 'pod', o.separator ?? '-', o.name ? pod.name : pod.id)
  return {
    serviceName: svc,
    infraNameOrId: o.name ? infra.name : infra.id,
    pidFile: containerPaths(rt, infra.id).monitorPid,
    stopTimeout: o.stopTimeout ?? infra.stopTimeout,
    createCommand: pod.createCommand ?? [],
    runRoot: rt.config.runRoot,
    requiredServices: [],
    podIdFile: `%t/${svc}.pod-id`,
  }
}
