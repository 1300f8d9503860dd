#!/usr/bin/env node
// The CI guard on the layering of DESIGN.md:
// - no import cycles anywhere in src/ (type-only imports may form them);
// - src/commands imports only src/cli and src/libpod/index;
// - src/cli imports src/cli, src/libpod/index, and the engine's pure parts
//   (define/, specgen/, and the flag-syntax parsers listed below, which
//   belong in src/cli and are still in libpod: moving them is follow-up);
// - src/libpod/container never imports src/libpod/pod (the Runtime joins them).
// Exits 1 with one line per violation.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseDependencyTree, parseCircular} from 'dpdm'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(repo)

function files(dir) {
  return readdirSync(dir).flatMap(f => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.c?ts$/.test(f) && !f.endsWith('.d.ts') ? [p] : []
  })
}

const problems = []

// Cycles, from dpdm's tree; `skipTypeDependencies` drops `import type`.
const tree = await parseDependencyTree(files('src'), {context: repo, transform: true, tsconfig: path.join(repo, 'tsconfig.json')})
for (const cycle of parseCircular(tree, false)) problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`)

// Layer rules, read from each file's import specifiers (static and dynamic).
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g
function imports(file) {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map(m => m[1] ?? m[2]).filter(s => s.startsWith('.'))
    .map(s => path.relative(repo, path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts'))
}
const CLI_PARSERS = ['src/libpod/define/', 'src/libpod/specgen/', 'src/libpod/spec/', 'src/libpod/network/ports.ts',
  'src/libpod/network/options.ts', 'src/libpod/container/healthcheck.ts', 'src/libpod/pod/types.ts']
const allowed = {
  'src/commands/': t => t.startsWith('src/commands/') || t.startsWith('src/cli/') || t === 'src/libpod/index.ts',
  'src/cli/': t => t.startsWith('src/cli/') || t === 'src/libpod/index.ts' || CLI_PARSERS.some(p => t.startsWith(p)),
  'src/libpod/container/': t => !t.startsWith('src/libpod/pod/'),
}
for (const file of files('src')) {
  for (const [dir, ok] of Object.entries(allowed)) {
    if (!file.startsWith(dir)) continue
    for (const target of imports(file)) if (!ok(target)) problems.push(`${file} imports ${target}: not allowed from ${dir}`)
  }
}

for (const p of problems) console.error(p)
if (problems.length) {
  console.error(`check-imports: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log('check-imports: no import cycles, layers respected')
