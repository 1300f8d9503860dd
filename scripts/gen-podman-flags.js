#!/usr/bin/env node
// Generates test/parity/podman-<version>-flags.json: every command of the
// installed Podman and the long flags its `--help` lists, walked from
// `podman --help` through each command's "Available Commands". The
// flag-parity unit test (test/unit/flag-parity.test.ts) compares peapod's
// commands against it. Refresh with: node scripts/gen-podman-flags.js
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const podman = process.env.PODMAN || 'podman'
const help = words => execFileSync(podman, [...words, '--help'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})

/** The section of a help text that starts with `title:` (up to the next blank-line-then-heading). */
function section(text, title) {
  const lines = text.split('\n')
  const start = lines.findIndex(l => l.trim() === `${title}:`)
  if (start === -1) return []
  const out = []
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break
    out.push(l)
  }
  return out
}

/** Long flag names of an Options section (`  -a, --all   ...`, `      --since string ...`). */
export function flagsOf(text) {
  const out = []
  for (const l of section(text, 'Options')) {
    const m = /^\s+(?:-\w, )?--([\w-]+)/.exec(l)
    if (m && m[1] !== 'help') out.push(m[1])
  }
  return [...new Set(out)].sort()
}

export function subcommandsOf(text) {
  return section(text, 'Available Commands').map(l => /^\s+(\S+)/.exec(l)?.[1]).filter(Boolean).filter(c => c !== 'help')
}

function main() {
  const version = execFileSync(podman, ['version', '--format', '{{.Client.Version}}'], {encoding: 'utf8'}).trim()
  const top = help([])
  const commands = {}
  const walk = words => {
    const text = help(words)
    const subs = subcommandsOf(text)
    commands[words.join(' ')] = subs.length ? {group: true, flags: flagsOf(text)} : {flags: flagsOf(text)}
    for (const s of subs) walk([...words, s])
  }
  for (const c of subcommandsOf(top)) walk([c])
  const table = {
    podman: version,
    generatedBy: 'scripts/gen-podman-flags.js (podman <cmd> --help)',
    global: flagsOf(top).filter(f => f !== 'version'),
    commands,
  }
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'parity', `podman-${version}-flags.json`)
  writeFileSync(out, JSON.stringify(table, null, 1) + '\n')
  const n = Object.values(commands).reduce((a, c) => a + c.flags.length, 0)
  process.stdout.write(`wrote ${out}: ${Object.keys(commands).length} commands, ${n} flags, ${table.global.length} global flags\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main()
