// Flag values that Podman 4.3.1 completes from a rule rather than one fixed
// list: `--filter KEY=VALUE` (the keys, then the values some keys have),
// signals, capabilities, `--security-opt`, `--network`, the namespace modes,
// `--user USER:GROUP` and the subordinate id owners. Each answers as
// Podman's completion function does for the same word, quirks included
// where no user sees them (the shell filters the candidates by the word).
// Only cheap reads: the store's names, /etc/passwd, /etc/group, /etc/subuid.
import {readFileSync} from 'node:fs'
import type {Candidate, NameKind} from '../../libpod/index.js'
import {FORMAT_FIELDS} from './format-fields.js'

const NO_SPACE = 2
const NO_FILE = 4

export interface Completion {
  items: Candidate[]
  directive: number
}

/** Names of one kind: 'ids' only short IDs (whatever was typed), 'names' only names. */
export type NameLookup = (kind: NameKind, prefix: string, statuses?: string[], match?: 'ids' | 'names') => Candidate[]

type Rest = (rest: string, names: NameLookup) => Completion
/** Keys (`name=`, `host`, `container:`) and how each completes the rest of the word; null: nothing. */
type KeyValues = Record<string, Rest | null>

const words = (list: readonly string[], directive = NO_FILE): Rest => () => ({items: list.map(w => [w] as Candidate), directive})
const named = (kind: NameKind, match?: 'ids' | 'names'): Rest => (rest, names) => ({items: names(kind, rest, undefined, match), directive: NO_FILE})
const BOOL = words(['true', 'false'])

/**
 * Podman's completeKeyValues: a word that starts with a key completes that
 * key's values (the key kept in front); otherwise the keys it is a prefix of,
 * with no space after a key ending in '=' or ':'.
 */
export function keyValues(word: string, kv: KeyValues, names: NameLookup): Completion {
  const items: Candidate[] = []
  let directive = NO_FILE
  for (const [key, rest] of Object.entries(kv)) {
    if (word.startsWith(key)) {
      if (!rest) return {items: [], directive: NO_FILE}
      const r = rest(word.slice(key.length), names)
      return {items: r.items.map(([w, d]) => (d === undefined ? [key + w] : [key + w, d]) as Candidate), directive: r.directive}
    }
    if (key.startsWith(word)) {
      items.push([key])
      if (key.endsWith('=') || key.endsWith(':')) directive = NO_SPACE | NO_FILE
    }
  }
  return {items, directive}
}

// ---- --filter ----

const CONTAINER_STATUSES = ['created', 'running', 'paused', 'stopped', 'exited', 'unknown']

/** ps and the commands that take ps's filters (rm, start, stop, restart, pause, unpause). */
const PS: KeyValues = {
  'ancestor=': named('image'),
  'before=': named('container'),
  'exited=': null,
  'health=': words(['healthy', 'unhealthy']),
  'id=': named('container', 'ids'),
  'label=': null,
  'name=': named('container', 'names'),
  'network=': named('network'),
  'since=': named('container'),
  'status=': words(CONTAINER_STATUSES),
  'until=': null,
  'volume=': named('volume'),
}
const PRUNE: KeyValues = {'label=': null, 'until=': null}
const IMAGES: KeyValues = {
  'before=': named('image'), 'dangling=': BOOL, 'label=': null, 'readonly=': BOOL, 'reference=': null, 'since=': named('image'),
}
const PODS: KeyValues = {
  'ctr-ids=': named('container', 'ids'),
  'ctr-names=': named('container', 'names'),
  'ctr-number=': null,
  'ctr-status=': words(CONTAINER_STATUSES),
  'id=': named('pod', 'ids'),
  'label=': null,
  'name=': named('pod', 'names'),
  'network=': named('network'),
  'status=': words(['stopped', 'running', 'paused', 'exited', 'dead', 'created', 'degraded']),
}
const VOLUMES: KeyValues = {
  'dangling=': BOOL, 'driver=': words(['local']), 'label=': null, 'name=': named('volume'), 'opt=': null, 'scope=': words(['local']),
}
const NETWORKS: KeyValues = {
  'driver=': words(['bridge', 'macvlan', 'ipvlan']), 'id=': named('network', 'ids'), 'label=': null, 'name=': named('network', 'names'), 'until=': null,
}
const EVENT_NAMES = ['attach', 'auto-update', 'checkpoint', 'cleanup', 'commit', 'connect', 'create', 'died', 'disconnect', 'exec', 'exec_died', 'export',
  'import', 'init', 'kill', 'loadfromarchive', 'mount', 'pause', 'prune', 'pull', 'push', 'refresh', 'remove', 'rename', 'renumber', 'restart', 'restore',
  'save', 'start', 'stop', 'sync', 'tag', 'unmount', 'unpause', 'untag']
const EVENTS: KeyValues = {
  'container=': named('container'), 'event=': words(EVENT_NAMES), 'image=': named('image'), 'pod=': named('pod'),
  'type=': words(['container', 'image', 'network', 'pod', 'system', 'volume']), 'volume=': named('volume'),
}
const SECRETS: KeyValues = {'id=': named('secret', 'ids'), 'name=': named('secret', 'names')}

const FILTERS: Record<string, KeyValues> = {
  'container:list': PS, 'container:rm': PS, 'container:start': PS, 'container:stop': PS, 'container:restart': PS,
  'container:pause': PS, 'container:unpause': PS,
  'container:prune': PRUNE, 'image:prune': PRUNE, 'network:prune': PRUNE, 'system:prune': PRUNE,
  'image:list': IMAGES, 'pod:ps': PODS, 'volume:list': VOLUMES, 'volume:prune': VOLUMES, 'network:list': NETWORKS,
  'system:events': EVENTS, 'secret:list': SECRETS,
}

// ---- signals and capabilities ----

/** The signal names Podman accepts (its signal map), in signal-number order. */
export const SIGNALS: readonly string[] = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'IOT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM',
  'TERM', 'STKFLT', 'CHLD', 'CLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'POLL', 'PWR', 'SYS',
  'RTMIN', ...Array.from({length: 15}, (_, i) => `RTMIN+${i + 1}`), ...Array.from({length: 14}, (_, i) => `RTMAX-${14 - i}`), 'RTMAX']

/** The capabilities Podman 4.3.1 offers, then ALL. */
export const CAPABILITIES: readonly string[] = ['AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN',
  'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD',
  'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYSLOG', 'SYS_ADMIN', 'SYS_BOOT',
  'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'WAKE_ALARM', 'ALL']

/**
 * Signals and capabilities as Podman lists them: all of them (the shell
 * picks), lowercase when the word starts lowercase, with the long prefix
 * (SIG, CAP_) once the word starts with its first two letters.
 */
function caseWords(list: readonly string[], long: string, noLong: readonly string[] = []): Rest {
  return word => {
    const lower = /^[a-z]/.test(word)
    const conv = (s: string) => (lower ? s.toLowerCase() : s)
    const pre = word.startsWith(conv(long.slice(0, 2))) ? long : ''
    return {items: list.map(s => [conv(noLong.includes(s) ? s : pre + s)] as Candidate), directive: NO_FILE}
  }
}
const signals = caseWords(SIGNALS, 'SIG')
const capabilities = caseWords(CAPABILITIES, 'CAP_', ['ALL'])

// ---- namespaces, network, security options ----

const containerRef: Rest = (rest, names) => ({items: names('container', rest), directive: NO_FILE})
const shellPath: Rest = () => ({items: [], directive: 0})
const NAMESPACE: KeyValues = {'container:': containerRef, 'ns:': shellPath, 'host': null, 'private': null}

function namespace(extra: readonly string[] = []): Rest {
  return (word, names) => {
    const r = keyValues(word, NAMESPACE, names)
    return {items: [...r.items, ...extra.map(w => [w] as Candidate)], directive: r.directive}
  }
}

const SLIRP: KeyValues = {
  'allow_host_loopback=': BOOL, 'cidr=': null, 'enable_ipv6=': BOOL, 'mtu=': null, 'outbound_addr=': null, 'outbound_addr6=': null,
  'port_handler=': words(['rootlesskit', 'slirp4netns']),
}
const NETWORK_MODES: KeyValues = {
  'container:': containerRef, 'ns:': shellPath, 'bridge': null, 'none': null, 'host': null, 'private': null,
  'slirp4netns:': (rest, names) => keyValues(rest, SLIRP, names),
}
/** --network: the store's networks, then the modes (and plain slirp4netns, which Podman adds after). */
const network: Rest = (word, names) => {
  const r = keyValues(word, NETWORK_MODES, names)
  return {items: [...names('network', word), ...r.items, ['slirp4netns']], directive: r.directive}
}

const SECURITY_OPT: KeyValues = {
  'apparmor=': null,
  'no-new-privileges': null,
  'seccomp=': shellPath,
  'label=': rest => (rest.startsWith('d') ? {items: [['disable']], directive: NO_FILE}
    : {items: ['user:', 'role:', 'type:', 'level:', 'filetype:', 'disable'].map(w => [w] as Candidate), directive: NO_SPACE | NO_FILE}),
}

// ---- users ----

/** The colon-separated lines of a host file; none when it can't be read. */
function fields(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(l => l && !l.startsWith('#')).map(l => l.split(':'))
  } catch {
    return []
  }
}

/** --user: host users with ':' (ids too once a character is typed), then USER:GROUP from the host's groups. */
const user: Rest = word => {
  const colon = word.indexOf(':')
  if (colon >= 0) {
    const u = word.slice(0, colon)
    const ids = word.length > colon + 1
    return {items: fields('/etc/group').flatMap(g => (ids ? [[`${u}:${g[0]}`], [`${u}:${g[2]}`]] : [[`${u}:${g[0]}`]]) as Candidate[]), directive: NO_FILE}
  }
  return {items: fields('/etc/passwd').flatMap(p => (word ? [[p[0] + ':'], [p[2] + ':']] : [[p[0] + ':']]) as Candidate[]), directive: NO_SPACE}
}
const subidOwners = (file: string): Rest => () => ({items: [...new Set(fields(file).map(f => f[0]))].map(n => [n] as Candidate), directive: NO_FILE})

// ---- --format Go templates ----

/**
 * `--format`: json, or after `{{.` the fields of the command's structure
 * (its path typed so far: `{{.State.`), as Podman's AutocompleteFormat.
 */
function format(fields: Record<string, string[]>): Rest {
  return word => {
    if ('json'.startsWith(word)) return {items: [['json']], directive: NO_FILE}
    const vars = word.split('{{')
    const parts = vars.length > 1 ? vars[vars.length - 1].split(' ').pop()!.split('.') : []
    const names = parts.length > 1 ? fields[parts.slice(1, -1).map(p => p + '.').join('')] : undefined
    if (!names) return {items: [], directive: NO_FILE}
    const typed = word.slice(0, word.lastIndexOf('.') + 1)
    const prefix = parts[parts.length - 1]
    return {items: names.filter(n => n.startsWith(prefix)).map(n => [typed + n] as Candidate), directive: NO_SPACE | NO_FILE}
  }
}

const RUN = new Set(['container:run', 'container:create'])

/** The rule that completes this flag's value for this command, if Podman has one. */
export function valueRule(cmd: string, flag: string): Rest | undefined {
  if (flag === 'filter') {
    if (cmd === 'image:search') return words(['is-automated', 'is-official', 'stars'])
    const kv = FILTERS[cmd]
    return kv && ((word, names) => keyValues(word, kv, names))
  }
  switch (flag) {
    case 'format': return FORMAT_FIELDS[cmd] && format(FORMAT_FIELDS[cmd])
    case 'signal': return ['container:kill', 'pod:kill'].includes(cmd) ? signals : undefined
    case 'stop-signal': return RUN.has(cmd) ? signals : undefined
    case 'cap-add': case 'cap-drop': return RUN.has(cmd) || cmd === 'image:build' ? capabilities : undefined
    case 'security-opt': return RUN.has(cmd) || cmd === 'pod:create' || cmd === 'pod:clone' ? (word, names) => keyValues(word, SECURITY_OPT, names) : undefined
    case 'network': return RUN.has(cmd) || ['pod:create', 'kube:play'].includes(cmd) ? network : undefined
    case 'user': return RUN.has(cmd) || cmd === 'container:exec' ? user : undefined
    case 'subuidname': case 'userns-uid-map-user': return subidOwners('/etc/subuid')
    case 'subgidname': case 'userns-gid-map-group': return subidOwners('/etc/subgid')
    case 'sdnotify': return RUN.has(cmd) ? words(['container', 'ignore']) : undefined
    case 'pid': case 'uts': return RUN.has(cmd) || cmd === 'pod:create' || cmd === 'pod:clone' ? namespace() : undefined
    case 'ipc': case 'cgroupns': return RUN.has(cmd) ? namespace() : undefined
    case 'userns': return RUN.has(cmd) || ['pod:create', 'pod:clone', 'kube:play'].includes(cmd) ? namespace(['auto', 'keep-id', 'nomap']) : undefined
  }
  return undefined
}
