// `peapod __complete WORDS... CURRENT`: the completion protocol of cobra,
// which Podman's (and so peapod's) shell scripts speak. One candidate per
// line ("word\tdescription", no description for __completeNoDesc), then
// ":DIRECTIVE" (a bit set: 1 error, 2 no space, 4 no file completion).
// Commands and flags come from the command table (the oclif manifest); live
// names (containers, images, pods, volumes, networks, secrets) from the store.
import type {Candidate, NameKind} from '../../libpod/index.js'
import {valueRule, type NameLookup} from './values.js'

export const DIRECTIVE = {error: 1, noSpace: 2, noFileComp: 4, default: 0} as const

export interface FlagInfo {
  name: string
  char?: string
  /** 'boolean' takes no value. */
  type: string
  description?: string
  hidden?: boolean
  multiple?: boolean
  options?: readonly string[]
  helpGroup?: string
  aliases?: string[]
}

export interface CommandInfo {
  /** 'container:run' */
  id: string
  aliases?: string[]
  hidden?: boolean
  summary?: string
  description?: string
  flags?: Record<string, FlagInfo>
  args?: Record<string, unknown>
}

/** What a name lookup needs: the kind, the word typed, the statuses (containers, pods), IDs or names only. */
export type NameSource = NameLookup

/** A positional argument (or a flag value) completes as names of these kinds, or as fixed words. */
type ArgKind = NameKind | 'running' | 'paused' | 'stopped' | 'containerOrPod' | 'containerOrImage' | 'generate' | 'any' | 'file' | 'none'
  | 'cp' | 'volumeFlag' | 'mountFlag' | 'buildNamespace' | 'runningPod' | 'pausedPod' | 'exited'
  | readonly string[] | {words: readonly string[]; directive: number; byPrefix?: true} | {rule: NonNullable<ReturnType<typeof valueRule>>}

const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const
/** top's format descriptors (`top --list-descriptors`), offered after the container or pod. */
const DESCRIPTORS = ['args', 'capamb', 'capbnd', 'capeff', 'capinh', 'capprm', 'comm', 'etime', 'group', 'groups', 'hgroup', 'hgroups', 'hpid', 'huser',
  'label', 'nice', 'pcpu', 'pgid', 'pid', 'ppid', 'rgroup', 'rss', 'ruser', 'seccomp', 'state', 'stime', 'time', 'tty', 'user', 'vsz'] as const

/** Per command id: the kind of each argument (the last one repeats). Unlisted commands: files if they take arguments. */
const ARGS: Record<string, ArgKind[]> = {
  'completion': [SHELLS, 'none'],
  'container:run': ['image', 'none'], 'container:create': ['image', 'none'],
  'container:attach': ['running', 'none'], 'container:exec': ['running', 'none'],
  'container:kill': ['running'], 'container:stop': ['running'], 'container:pause': ['running'],
  'container:top': ['container', DESCRIPTORS], 'pod:top': ['pod', DESCRIPTORS], 'container:cleanup': ['exited'], 'healthcheck:run': ['running', 'none'],
  'pod:kill': ['runningPod'], 'pod:stop': ['runningPod'], 'pod:pause': ['runningPod'], 'pod:unpause': ['pausedPod'], 'container:stats': ['running'], 'container:checkpoint': ['running'],
  'container:unpause': ['paused'], 'container:start': ['stopped'],
  'container:rename': ['container', 'none'], 'container:commit': ['container', 'none'],
  'container:port': ['container', 'none'], 'container:cp': ['cp', 'cp', 'none'], 'container:restore': ['containerOrImage'],
  'container:runlabel': ['none', 'image', 'none'], 'container:clone': ['container', 'none', 'image'],
  'generate:systemd': ['containerOrPod', 'none'], 'generate:spec': ['containerOrPod', 'none'], 'kube:generate': ['generate'],
  'inspect': ['any'], 'diff': ['containerOrImage', 'none'], 'container:diff': ['container', 'none'],
  // as Podman's: one file each, and the command of unshare
  'kube:play': ['file', 'none'], 'kube:down': ['file', 'none'], 'unshare': ['file'], 'login': ['none'], 'logout': ['none'],
  'image:tag': ['image', 'none'], 'image:save': ['image'], 'image:push': ['image', 'none'],
  'image:build': ['file', 'none'], 'image:import': ['file', 'none'], 'image:load': ['none'], 'image:pull': ['image'], 'image:search': ['none'],
  'network:connect': ['network', 'container', 'none'], 'network:disconnect': ['network', 'container', 'none'],
  'network:create': ['none'], 'network:reload': ['container'], 'volume:create': ['none'], 'pod:create': ['none'],
  'volume:import': ['volume', 'file'], 'volume:export': ['volume', 'none'],
  'secret:create': ['none', 'file'], 'manifest:create': ['image'],
  'manifest:add': ['image', 'image'], 'manifest:annotate': ['image', 'none'], 'manifest:push': ['image', 'none'],
  'manifest:inspect': ['image', 'none'], 'manifest:remove': ['image', 'none'], 'manifest:rm': ['image'], 'manifest:exists': ['image', 'none'],
  'image:trust:set': ['none', 'none'], 'image:trust:show': ['none', 'none'],
}

/** Commands whose arguments are all of one kind, by topic. */
function topicArg(id: string): ArgKind | undefined {
  const [topic] = id.split(':')
  if (id.split(':').length !== 2) return undefined
  return ({container: 'container', image: 'image', pod: 'pod', volume: 'volume', network: 'network', secret: 'secret', healthcheck: 'container'} as Record<string, ArgKind>)[topic]
}

/**
 * Flags whose value Podman 4.3.1 completes as a path (cobra's default: the
 * shell's file completion), besides those the pattern in flagValueKind names.
 */
const FILE_FLAGS = new Set(['blkio-weight-device', 'device-read-bps', 'device-read-iops', 'device-write-bps', 'device-write-iops', 'cgroup-parent',
  'device', 'chrootdirs', 'tmpfs', 'seccomp-policy', 'init-ctr', 'export', 'import', 'decryption-key', 'configmap', 'seccomp-profile-root',
  'interface-name', 'replicas'])

/** Fixed words Podman 4.3.1 offers for a flag's value (per command where they differ), and its directive. */
type Words = {words: readonly string[]; directive: number; only?: readonly string[]; byPrefix?: true}
const RUN = ['container:run', 'container:create']
const WORDS: Record<string, Words[]> = {
  'format': [
    {words: ['oci', 'docker'], directive: DIRECTIVE.noFileComp, only: ['container:commit']},
    {words: ['oci', 'v2s2'], directive: DIRECTIVE.noFileComp, only: ['image:push', 'manifest:push']},
    {words: ['oci-dir', 'oci-archive', 'docker-dir', 'docker-archive'], directive: DIRECTIVE.noFileComp, only: ['image:save']},
    // AutocompleteFormat with no structure: json while the word is a start of it, else nothing
    {words: ['json'], directive: DIRECTIVE.noFileComp, byPrefix: true, only: ['auto-update', 'diff', 'version', 'container:diff', 'container:inspect', 'container:list', 'container:mount',
      'container:stats', 'generate:systemd', 'image:diff', 'image:history', 'image:inspect', 'image:list', 'image:mount', 'image:search', 'pod:inspect', 'pod:ps',
      'pod:stats', 'network:inspect', 'network:list', 'secret:inspect', 'secret:list', 'system:info', 'volume:inspect', 'volume:list']},
  ],
  'arch': [{words: ['386', 'amd64', 'arm', 'arm64', 'ppc64', 'ppc64le', 'mips', 'mipsle', 'mips64', 'mips64le', 'riscv64', 's390x'], directive: DIRECTIVE.noFileComp, only: [...RUN, 'image:pull', 'manifest:add', 'manifest:annotate']}],
  'os': [{words: ['linux', 'windows'], directive: DIRECTIVE.noFileComp, only: [...RUN, 'image:pull', 'manifest:add', 'manifest:annotate']}],
  'attach': [{words: ['stdin', 'stdout', 'stderr'], directive: DIRECTIVE.noFileComp, only: RUN}],
  'cgroups': [{words: ['enabled', 'disabled', 'no-conmon', 'split'], directive: DIRECTIVE.noFileComp, only: RUN}],
  'systemd': [{words: ['true', 'false', 'always'], directive: DIRECTIVE.noFileComp, only: RUN}],
  'health-on-failure': [{words: ['none', 'kill', 'restart', 'stop'], directive: DIRECTIVE.noFileComp, only: RUN}],
  'image-volume': [{words: ['bind', 'tmpfs', 'ignore'], directive: DIRECTIVE.noFileComp, only: RUN}],
  'log-driver': [{words: ['journald', 'none', 'k8s-file', 'passthrough'], directive: DIRECTIVE.noFileComp, only: [...RUN, 'kube:play']}],
  'log-opt': [{words: ['path=', 'tag=', 'max-size='], directive: DIRECTIVE.noFileComp | DIRECTIVE.noSpace, only: [...RUN, 'kube:play']}],
  'change': [{words: ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'], directive: DIRECTIVE.noSpace, only: ['container:commit', 'image:import']}],
  'compression-format': [{words: ['gzip', 'zstd', 'zstd:chunked'], directive: DIRECTIVE.noFileComp, only: ['image:push']}],
  'condition': [{words: ['unknown', 'configured', 'created', 'running', 'stopped', 'paused', 'exited', 'removing'], directive: DIRECTIVE.noFileComp, only: ['container:wait']}],
  'detach-keys': [{words: ['ctrl-'], directive: DIRECTIVE.noSpace, only: ['container:attach', 'container:exec', 'container:run', 'container:start']}],
  'driver': [{words: ['bridge', 'macvlan', 'ipvlan'], directive: DIRECTIVE.noFileComp, only: ['network:create']}],
  'ipam-driver': [{words: ['host-local', 'dhcp', 'none'], directive: DIRECTIVE.noFileComp, only: ['network:create']}],
  'restart-policy': [{words: ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'], directive: DIRECTIVE.noFileComp, only: ['generate:systemd']}],
  'share': [{words: ['ipc', 'net', 'pid', 'user', 'uts', 'cgroup', 'none'], directive: DIRECTIVE.noFileComp, only: ['pod:create']}],
  'sort': [
    {words: ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'], directive: DIRECTIVE.noFileComp, only: ['container:list']},
    {words: ['created', 'id', 'name', 'status', 'number'], directive: DIRECTIVE.noFileComp, only: ['pod:ps']},
  ],
  'type': [{words: ['signedBy', 'accept', 'reject'], directive: DIRECTIVE.noFileComp, only: ['image:trust:set']}],
}

/** Go's bool flags (`--tls-verify[=false]`): like a boolean, they take no separate word, so the next one is an argument. */
const goBool = (f: FlagInfo) => f.type === 'boolean' || (f.options?.length === 2 && f.options.includes('true') && f.options.includes('false'))

/** Flag values: names for the flags that take one, fixed words for enumerations, files for paths. */
function flagValueKind(f: FlagInfo, cmd?: CommandInfo): ArgKind {
  // build's namespace and volume flags: buildah's completion leaves files on
  if (cmd?.id === 'image:build' && ['volume', 'from', 'manifest'].includes(f.name)) return 'file'
  // build's --secret is id=ID,src=PATH (not a secret's name), its --output a spec, --decryption-key none (as Podman's build)
  if (cmd?.id === 'image:build' && ['secret', 'output', 'decryption-key'].includes(f.name)) return 'none'
  // systemd units, not containers; the pod's containers
  if (cmd?.id === 'generate:systemd' && f.name === 'requires') return 'none'
  if (cmd?.id === 'pod:logs' && f.name === 'container') return 'container'
  if (cmd?.id === 'image:build' && ['cgroupns', 'ipc', 'network', 'pid', 'userns', 'uts'].includes(f.name)) return 'buildNamespace'
  if (f.options?.length) return f.options
  const rule = cmd && valueRule(cmd.id, f.name)
  if (rule) return {rule}
  const words = WORDS[f.name]?.find(w => cmd && w.only?.includes(cmd.id))
  if (words) return {words: words.words, directive: words.directive, byPrefix: words.byPrefix}
  if (FILE_FLAGS.has(f.name)) return 'file'
  switch (f.name) {
    case 'volume': return 'volumeFlag'
    case 'mount': return 'mountFlag'
    case 'infra-image': return 'image'
    case 'pod': return 'pod'
    case 'network': case 'net': return ['bridge', 'none', 'host', 'private', 'slirp4netns', 'container:', 'ns:', 'slirp4netns:']
    case 'volumes-from': case 'requires': return 'container'
    case 'secret': return 'secret'
    case 'restart': return ['always', 'no', 'on-failure', 'unless-stopped']
    case 'pull': return ['always', 'missing', 'never', 'newer']
    case 'log-level': return ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic']
  }
  if (/file$|^authfile$|^cidfile$|^pidfile$|^output$|^input$|^root$|^runroot$|^tmpdir$|dir$|^filename$|^conmon$|^runtime$|path$/.test(f.name)) return 'file'
  return 'none'
}

const STATUSES: Record<string, string[]> = {
  running: ['running'],
  paused: ['paused'],
  stopped: ['created', 'configured', 'stopped', 'exited'],
  exited: ['exited'],
}

/** The candidates of a kind starting with prefix, with the directive to answer. */
function candidates(kind: ArgKind, prefix: string, names: NameSource): {items: Candidate[]; directive: number} {
  if (Array.isArray(kind)) return {items: (kind as string[]).filter(w => w.startsWith(prefix)).map(w => [w]), directive: DIRECTIVE.noFileComp}
  if (typeof kind === 'object' && 'rule' in kind) return kind.rule(prefix, names)
  // Podman's flag completion functions answer all their words whatever is typed: the shell picks
  if (typeof kind === 'object' && 'words' in kind) return {items: kind.words.filter(w => !kind.byPrefix || w.startsWith(prefix)).map(w => [w] as Candidate), directive: kind.directive}
  switch (kind) {
    case 'file': return {items: [], directive: DIRECTIVE.default}
    case 'containerOrImage': return {items: [...names('container', prefix), ...names('image', prefix)], directive: DIRECTIVE.noFileComp}
    case 'generate': return {items: [...names('container', prefix), ...names('pod', prefix), ...names('volume', prefix)], directive: DIRECTIVE.noFileComp}
    // cp: `CONTAINER:` with no space after it (the path in the container is not completed); a host path is a file
    case 'cp':
      if (prefix.includes(':')) return {items: [], directive: DIRECTIVE.noSpace}
      return {items: names('container', prefix).map(([n]) => [n + ':'] as Candidate), directive: DIRECTIVE.noSpace}
    // -v: volume names, and host paths; no space until the destination is there
    case 'volumeFlag':
      if (prefix.includes(':')) return {items: [], directive: DIRECTIVE.default}
      return {items: names('volume', prefix), directive: DIRECTIVE.noSpace}
    case 'buildNamespace': return {items: [['host'], ['private'], ['container'], ['ns:']], directive: DIRECTIVE.default}
    // --mount: its first key, as Podman offers it
    case 'mountFlag': return {items: [['type=bind,'], ['type=volume,'], ['type=tmpfs,']], directive: DIRECTIVE.noSpace}
    case 'none': return {items: [], directive: DIRECTIVE.noFileComp}
    case 'running': case 'paused': case 'stopped': case 'exited':
      return {items: names('container', prefix, STATUSES[kind]), directive: DIRECTIVE.noFileComp}
    // a pod with a running member can be stopped or killed, one with a paused member unpaused
    case 'runningPod': return {items: names('pod', prefix, ['running', 'degraded']), directive: DIRECTIVE.noFileComp}
    case 'pausedPod': return {items: names('pod', prefix, ['paused', 'degraded']), directive: DIRECTIVE.noFileComp}
    case 'containerOrPod': return {items: [...names('container', prefix), ...names('pod', prefix)], directive: DIRECTIVE.noFileComp}
    case 'any':
      return {items: (['container', 'image', 'pod', 'network', 'volume'] as NameKind[]).flatMap(k => names(k, prefix)), directive: DIRECTIVE.noFileComp}
    default: return {items: names(kind as NameKind, prefix), directive: DIRECTIVE.noFileComp}
  }
}

/** Which value-taking flags a table has, by every spelling ('--name', '-n'). */
function flagIndex(flags: FlagInfo[]): Map<string, FlagInfo> {
  const m = new Map<string, FlagInfo>()
  for (const f of flags) {
    m.set('--' + f.name, f)
    for (const a of f.aliases ?? []) m.set('--' + a, f)
    if (f.char) m.set('-' + f.char, f)
  }
  return m
}

export interface CompletionResult {
  items: Candidate[]
  directive: number
}

/**
 * Completes the last of `words` (the words after the program, the last one
 * being the word under the cursor, possibly '').
 */
export function complete(words: string[], commands: CommandInfo[], topics: Record<string, {description?: string}>, globals: FlagInfo[], names: NameSource): CompletionResult {
  const cur = words.length ? words[words.length - 1] : ''
  const done = words.slice(0, -1)
  // Every name a command answers to, in words: 'container run', 'run'.
  const byName = new Map<string, CommandInfo>()
  // oclif's runtime list has an entry per alias too (id 'run'): the real command is the one naming it as an alias.
  const aliases = new Set(commands.flatMap(c => c.aliases ?? []))
  commands = commands.filter(c => !aliases.has(c.id))
  for (const c of commands) for (const n of [c.id, ...c.aliases ?? []]) byName.set(n.replace(/:/g, ' '), c)
  // oclif lists every command as a topic too: a topic here is a name with commands under it.
  const topicNames = new Set(Object.keys(topics).filter(t => commands.some(c => c.id.startsWith(t + ':'))).map(t => t.replace(/:/g, ' ')))
  // the first words of an alias of several ('play kube' for kube play) lead to it as a topic's do
  const aliasPrefixes = new Set([...byName.keys()].flatMap(n => n.split(' ').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join(' '))))
  const globalIdx = flagIndex(globals)

  let path: string[] = []
  let cmd: CommandInfo | undefined
  let flags = globalIdx
  let args = 0
  let pendingFlag: FlagInfo | undefined
  const used = new Set<string>()
  let afterDashDash = false
  for (const w of done) {
    if (pendingFlag) {
      pendingFlag = undefined
      continue
    }
    if (!afterDashDash && w === '--') {
      afterDashDash = true
      continue
    }
    if (!afterDashDash && w.startsWith('-') && w !== '-') {
      const name = w.includes('=') ? w.slice(0, w.indexOf('=')) : w
      const f = flags.get(name) ?? globalIdx.get(name)
      if (f) {
        used.add(f.name)
        if (!goBool(f) && !w.includes('=')) pendingFlag = f
      }
      continue
    }
    if (cmd) {
      // Once a command takes arguments, later words are its arguments (run IMAGE CMD...).
      args++
      if (args === 1 && (cmd.id === 'container:run' || cmd.id === 'container:create')) afterDashDash = true
      continue
    }
    const next = [...path, w].join(' ')
    if (byName.has(next) && !topicNames.has(next)) {
      cmd = byName.get(next)
      path = [...path, w]
      flags = flagIndex(Object.values(cmd!.flags ?? {}).filter(f => f.helpGroup !== 'GLOBAL'))
    } else if (topicNames.has(next) || aliasPrefixes.has(next)) {
      path = [...path, w]
    } else {
      // An unknown word: nothing to offer.
      return {items: [], directive: DIRECTIVE.noFileComp}
    }
  }

  // The value of a flag: "--flag VALUE" or "--flag=VALUE".
  let valueFlag = pendingFlag
  let valuePrefix = cur
  if (!valueFlag && !afterDashDash && cur.startsWith('-') && cur.includes('=')) {
    valueFlag = (flags.get(cur.slice(0, cur.indexOf('='))) ?? globalIdx.get(cur.slice(0, cur.indexOf('='))))
    valuePrefix = cur.slice(cur.indexOf('=') + 1)
    if (!valueFlag) return {items: [], directive: DIRECTIVE.noFileComp}
    // `--tls-verify=`: cobra has nothing to offer for a bool's value (the shell's default)
    if (goBool(valueFlag)) return {items: [], directive: DIRECTIVE.default}
  }
  if (valueFlag) return candidates(flagValueKind(valueFlag, cmd), valuePrefix, names)

  if (!afterDashDash && cur.startsWith('-')) {
    const table = cmd ? Object.values(cmd.flags ?? {}).filter(f => f.helpGroup !== 'GLOBAL') : globals
    const items: Candidate[] = []
    for (const f of [...table].sort((a, b) => a.name.localeCompare(b.name))) {
      if (f.hidden || (used.has(f.name) && !f.multiple)) continue
      const long = '--' + f.name
      if (long.startsWith(cur)) items.push([long, f.description?.split('\n')[0]])
      if (f.char && !cur.startsWith('--') && ('-' + f.char).startsWith(cur)) items.push(['-' + f.char, f.description?.split('\n')[0]])
    }
    if (cmd && '--help'.startsWith(cur)) items.push(['--help'])
    return {items, directive: DIRECTIVE.noFileComp}
  }

  if (!cmd) {
    // Subcommands of the topic (or the root): each command by its name here, aliases included.
    const depth = path.length
    const prefix = path.length ? path.join(' ') + ' ' : ''
    const seen = new Map<string, string | undefined>()
    for (const [n, c] of byName) {
      if (c.hidden || !n.startsWith(prefix)) continue
      const rest = n.slice(prefix.length).split(' ')
      if (rest.length !== 1 || n.split(' ').length !== depth + 1) continue
      if (!seen.has(rest[0])) seen.set(rest[0], c.summary ?? c.description?.split('\n')[0])
    }
    for (const t of topicNames) {
      const parts = t.split(' ')
      if (parts.length === depth + 1 && t.startsWith(prefix) && !seen.has(parts[depth])) seen.set(parts[depth], topics[t.replace(/ /g, ':')]?.description)
    }
    if (!path.length) seen.set('help', 'Help about any command')
    const items = [...seen].filter(([w]) => w.startsWith(cur) && !w.startsWith('_')).sort(([a], [b]) => a.localeCompare(b)).map(([w, d]) => (d ? [w, d] : [w]) as Candidate)
    return {items, directive: DIRECTIVE.noFileComp}
  }

  if (afterDashDash && (cmd.id === 'container:run' || cmd.id === 'container:create')) return {items: [], directive: DIRECTIVE.default}
  const kinds = ARGS[cmd.id]
  let kind: ArgKind
  if (kinds) kind = kinds[Math.min(args, kinds.length - 1)]
  else if (!Object.keys(cmd.args ?? {}).length) kind = 'none'
  else kind = topicArg(cmd.id) ?? 'file'
  return candidates(kind, cur, names)
}

/** The protocol's output: lines, then ":DIRECTIVE". */
export function renderCompletion(r: CompletionResult, descriptions: boolean): string {
  const lines = r.items.map(([w, d]) => (descriptions && d ? `${w}\t${d}` : w))
  return [...lines, `:${r.directive}`].join('\n') + '\n'
}
