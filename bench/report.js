// Prints one benchmark line from hyperfine's JSON: peapod and Podman medians and the ratio.
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
console.log(line)
