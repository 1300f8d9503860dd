// Signal names → numbers as Podman parses them (--stop-signal, STOPSIGNAL):
// a number, or a name with or without SIG in any case, RTMIN+n / RTMAX-n.
import {constants} from 'node:os'
import {InvalidArgument} from '../define/errors.js'

const SIGRTMIN = 34
const SIGRTMAX = 64

export function parseSignal(raw: string): number {
  const bad = () => new InvalidArgument(`invalid signal: ${raw}`)
  if (/^[+-]?\d+$/.test(raw)) {
    const n = Number(raw)
    if (n <= 0 || n > SIGRTMAX) throw bad()
    return n
  }
  const name = raw.toUpperCase().replace(/^SIG/, '')
  const rt = /^RT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name)
  if (rt) {
    const off = rt[3] ? Number(rt[3]) : 0
    const n = rt[1] === 'MIN' ? (rt[2] === '-' ? -1 : SIGRTMIN + off) : (rt[2] === '+' ? -1 : SIGRTMAX - off)
    if (n < SIGRTMIN || n > SIGRTMAX) throw bad()
    return n
  }
  const signals = constants.signals as Record<string, number>
  const n = signals['SIG' + name] ?? (name === 'CLD' ? signals.SIGCHLD : undefined)
  if (n === undefined) throw bad()
  return n
}
