#!/usr/bin/env node
// Writes man/peapod-<command>.1 for every command from the oclif manifest, so
// that the man pages and --help come from the same flag tables and cannot
// drift apart. Run by `npm run build`; test/unit/man.test.ts checks it.
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(readFileSync(path.join(repo, 'oclif.manifest.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'))
const outDir = path.join(repo, 'man')

const esc = s => String(s ?? '').replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/-/g, '\\-')

export function manPageName(id) {
  return `peapod-${id.replace(/:/g, '-')}.1`
}

export function renderPage(cmd) {
  const name = `peapod ${cmd.id.replace(/:/g, ' ')}`
  const lines = [
    `.TH "${name.toUpperCase().replace(/ /g, '-')}" 1 "" "peapod ${pkg.version}" "peapod Manual"`,
    '.SH NAME',
    `${esc(name)} \\- ${esc(cmd.summary ?? cmd.description ?? '')}`,
    '.SH SYNOPSIS',
    `.B ${esc(name)}`,
    `[\\fIoptions\\fR]${Object.keys(cmd.args ?? {}).map(a => ` \\fI${a.toUpperCase()}\\fR`).join('')}${cmd.strict === false ? ' ...' : ''}`,
  ]
  if (cmd.aliases?.length) lines.push('.PP', `Aliases: ${cmd.aliases.map(a => `\\fBpeapod ${esc(a.replace(/:/g, ' '))}\\fR`).join(', ')}`)
  lines.push('.SH DESCRIPTION', esc(cmd.description ?? cmd.summary ?? ''))
  const flags = Object.entries(cmd.flags ?? {}).filter(([, f]) => !f.hidden)
  const own = flags.filter(([, f]) => f.helpGroup !== 'GLOBAL')
  const global = flags.filter(([, f]) => f.helpGroup === 'GLOBAL')
  for (const [title, list] of [['OPTIONS', own], ['GLOBAL OPTIONS', global]]) {
    if (!list.length) continue
    lines.push(`.SH ${title}`)
    for (const [fname, f] of list.sort(([a], [b]) => a.localeCompare(b))) {
      const sig = `${f.char ? `\\fB\\-${f.char}\\fR, ` : ''}\\fB\\-\\-${esc(fname)}\\fR${f.type === 'option' ? ` \\fI${(f.options ? f.options.join('|') : f.helpValue ?? 'value')}\\fR` : ''}`
      lines.push('.TP', sig, esc(f.description ?? '') + (f.default !== undefined && f.default !== false ? ` (default: ${esc(JSON.stringify(f.default))})` : ''))
    }
  }
  if (cmd.examples?.length) {
    lines.push('.SH EXAMPLES')
    for (const e of cmd.examples) lines.push('.PP', '.nf', esc(typeof e === 'string' ? e : e.command).replace(/<%= config.bin %>/g, 'peapod'), '.fi')
  }
  lines.push('.SH SEE ALSO', '\\fBpeapod\\fR(1), \\fBpodman\\fR(1)')
  return lines.join('\n') + '\n'
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(outDir, {recursive: true})
  for (const f of readdirSync(outDir)) if (/^peapod-.*\.1$/.test(f)) rmSync(path.join(outDir, f))
  let n = 0
  for (const cmd of Object.values(manifest.commands)) {
    if (cmd.hidden) continue
    writeFileSync(path.join(outDir, manPageName(cmd.id)), renderPage(cmd))
    // Aliases (images, rmi, ...) get pages that source the command's page.
    for (const a of cmd.aliases ?? []) writeFileSync(path.join(outDir, manPageName(a)), `.so man1/${manPageName(cmd.id)}\n`)
    n++
  }
  process.stderr.write(`wrote ${n} man pages to man/\n`)
}
