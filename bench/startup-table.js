// Prints bench/startup.sh's table from its hyperfine JSON files (DIR/MODE-NAME.json):
// per command and mode, peapod's and Podman's wall-time median and CPU time
// (user+sys, mean of the runs), and the ratios peapod/Podman.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

const dir = process.argv[2]
const ORDER = ['version', 'ps-a-empty', 'ps-a-100', 'images', 'inspect', 'pod-ps', 'volume-ls', 'top', 'port']
const rows = readdirSync(dir).filter(f => f.endsWith('.json')).map(f => {
  const [, mode, name] = /^(root|rootless)-(.*)\.json$/.exec(f) ?? []
  const {results} = JSON.parse(readFileSync(path.join(dir, f), 'utf8'))
  return {mode, name, pp: results[0], pm: results[1]}
}).filter(r => r.mode).sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name) || a.mode.localeCompare(b.mode))

const ms = s => (s * 1000).toFixed(1)
const cpu = r => r.user + r.system
const ratio = (a, b) => (b ? (a / b).toFixed(2) : '-')
console.log('| command | mode | peapod wall | Podman wall | ratio | peapod CPU | Podman CPU | CPU ratio |')
console.log('|---|---|---:|---:|---:|---:|---:|---:|')
for (const {mode, name, pp, pm} of rows) {
  console.log(`| ${name.replace(/-/g, ' ')} | ${mode} | ${ms(pp.median)} | ${pm ? ms(pm.median) : '-'} | ${pm ? ratio(pp.median, pm.median) : '-'} | ` +
    `${ms(cpu(pp))} | ${pm ? ms(cpu(pm)) : '-'} | ${pm ? ratio(cpu(pp), cpu(pm)) : '-'} |`)
}
