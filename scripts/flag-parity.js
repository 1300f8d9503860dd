#!/usr/bin/env node
// Flag parity with Podman: which of Podman's commands and long flags (the
// table scripts/gen-podman-flags.js writes) peapod lacks, given its oclif
// manifest, and which of those the exclusion list explains. Used by
// test/unit/flag-parity.test.ts; run alone it prints the counts:
//   node scripts/flag-parity.js [oclif.manifest.json]
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
export const TABLE = path.join(HERE, '..', 'test', 'parity', 'podman-4.3.1-flags.json')
export const EXCLUSIONS = path.join(HERE, '..', 'test', 'parity', 'exclusions.json')

/** peapod's commands by every name they answer to ('container run', 'run'), with their flags. */
export function peapodCommands(manifest) {
  const out = new Map()
  for (const c of Object.values(manifest.commands)) {
    const entry = {id: c.id, flags: new Set(Object.entries(c.flags ?? {}).flatMap(([n, f]) => [n, ...f.aliases ?? []]))}
    for (const name of [c.id, ...(c.aliases ?? []), ...(c.hiddenAliases ?? [])]) out.set(name.replace(/:/g, ' '), entry)
  }
  return out
}

/** Whether `name` is excluded by a key of `map` (the command itself or a parent: 'machine' covers 'machine init'). */
function excludedBy(map, name) {
  for (const [k, reason] of Object.entries(map ?? {})) if (name === k || name.startsWith(k + ' ')) return reason
  return undefined
}

/**
 * Compares. Commands Podman spells two ways ('run', 'container run') that
 * are one peapod command count once. Returns what is lacking, and what of
 * it the exclusions (and the pending list) do not explain.
 */
export function compare(table, manifest, exclusions = {}) {
  const cmds = peapodCommands(manifest)
  const lacking = {commands: [], flags: []}
  const seen = new Set()
  let podmanFlags = 0
  for (const [name, c] of Object.entries(table.commands)) {
    const mine = cmds.get(name)
    if (!mine) {
      if (!c.group) lacking.commands.push(name)
      continue
    }
    for (const f of c.flags) {
      const key = `${mine.id}|${f}`
      if (seen.has(key)) continue
      seen.add(key)
      podmanFlags++
      if (!mine.flags.has(f)) lacking.flags.push({command: name, id: mine.id, flag: f})
    }
  }
  const version = cmds.get('version')
  const globalLacking = table.global.filter(f => !version?.flags.has(f))
  const pending = exclusions.pending ?? {}
  const flagReason = (l) => {
    for (const [k, v] of Object.entries(exclusions.flags ?? {})) {
      const target = cmds.get(k)
      if ((k === l.command || target?.id === l.id) && v[l.flag]) return v[l.flag]
    }
    for (const [k, list] of Object.entries(pending.flags ?? {})) {
      const target = cmds.get(k)
      if ((k === l.command || target?.id === l.id) && list.includes(l.flag)) return `pending: ${pending.reason}`
    }
    return undefined
  }
  const unexplained = {
    commands: lacking.commands.filter(n => !excludedBy(exclusions.commands, n) && !excludedBy(Object.fromEntries((pending.commands ?? []).map(p => [p, 'pending'])), n)),
    flags: lacking.flags.filter(l => !flagReason(l)),
    global: globalLacking.filter(f => !(exclusions.global ?? {})[f]),
  }
  const pendingCount = lacking.flags.filter(l => flagReason(l)?.startsWith('pending')).length
  return {lacking, globalLacking, unexplained, podmanFlags, pendingCount}
}

export function summary(r) {
  return [
    `Podman 4.3.1: lacking ${r.lacking.commands.length} commands, ${r.lacking.flags.length} of ${r.podmanFlags} command flags, ${r.globalLacking.length} global flags`,
    `  not explained by the exclusion list: ${r.unexplained.commands.length} commands, ${r.unexplained.flags.length} flags, ${r.unexplained.global.length} global flags (pending: ${r.pendingCount} flags)`,
  ].join('\n')
}

function main() {
  const file = process.argv.slice(2).find(a => !a.startsWith('--'))
  const manifest = JSON.parse(readFileSync(file ?? path.join(HERE, '..', 'oclif.manifest.json'), 'utf8'))
  const table = JSON.parse(readFileSync(TABLE, 'utf8'))
  const exclusions = JSON.parse(readFileSync(EXCLUSIONS, 'utf8'))
  const r = compare(table, manifest, exclusions)
  process.stdout.write(summary(r) + '\n')
  if (process.argv.includes('--list')) {
    for (const c of r.unexplained.commands) process.stdout.write(`command ${c}\n`)
    for (const l of r.unexplained.flags) process.stdout.write(`flag ${l.command} --${l.flag}\n`)
    for (const g of r.unexplained.global) process.stdout.write(`global --${g}\n`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main()
