// Prints one benchmark line from hyperfine's JSON: peapod and Podman medians
// and the ratio, then CPU time (user+sys, mean; what counts on a loaded machine).
import {readFileSync} from 'node:fs'

const [name, file] = process.argv.slice(2)
const {results} = JSON.parse(readFileSync(file, 'utf8'))
const ms = r => (r.median * 1000).toFixed(1)
const [pp, pm] = results
// BENCH_LABELS="old,new" names the two sides (bench/vs-rev.sh); default peapod, podman.
const [a, b] = (process.env.BENCH_LABELS || 'peapod,podman').split(',')
let line = `${name.padEnd(28)} ${a} ${ms(pp).padStart(8)} ms`
if (pm) line += `   ${b} ${ms(pm).padStart(8)} ms   ratio ${(pp.median / pm.median).toFixed(2)}`
else line += '   (podman not installed)'
const cpu = r => (r.user + r.system) * 1000
line += `   cpu ${cpu(pp).toFixed(1)} ms`
if (pm) line += ` / ${cpu(pm).toFixed(1)} ms = ${(cpu(pp) / cpu(pm)).toFixed(2)}`
console.log(line)
