// stats end to end, checked against what Podman 4.3.1 prints on this host
// (cgroup v1): rootful from the container's cgroup counters, rootless a
// refusal. Streaming is read frame by frame from the live output.
import {expect} from 'chai'
import type {ChildProcess} from 'node:child_process'
import {Env, expectError, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const ROOTLESS_V1 = /^Error: stats is not supported in rootless mode without cgroups v2$/
const HEADER = /^ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET IO\s+BLOCK IO\s+PIDS\s+CPU TIME\s+AVG CPU %$/

/** Sizes as go-units prints them ("21.27MB") back to bytes. */
function bytes(s: string): number {
  const m = /^([\d.]+)(B|kB|MB|GB|TB)$/.exec(s)
  if (!m) throw new Error(`not a size: ${s}`)
  return Number(m[1]) * 1000 ** ['B', 'kB', 'MB', 'GB', 'TB'].indexOf(m[2]!)
}

/** Collects a streaming command's stdout until `done(text)` says so. */
function until(p: ChildProcess, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    p.stderr!.on('data', d => { err += d })
    p.stdout!.on('data', d => {
      out += d
      if (done(out)) resolve(out)
    })
    p.on('exit', code => reject(new Error(`stats exited ${code} before enough output: ${out}${err}`)))
  })
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`stats (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
      // 20 MB in the container's tmpfs /dev/shm is charged to its memory cgroup.
      env.ok(['run', '-d', '--name', 'mem', 'bb', 'sh', '-c', 'dd if=/dev/zero of=/dev/shm/f bs=1M count=20 2>/dev/null; echo ready; sleep 100000'])
      env.ok(['create', '--name', 'stopped', 'bb', 'true'])
    })
    after(() => {
      if (!env) return
      env.run(['rm', '-af', '-t', '0'])
      env.cleanup()
    })

    if (mode === 'rootless') {
      it('refuses on cgroup v1 as Podman does', () => {
        expectError(env.run(['stats', '--no-stream']), 125, ROOTLESS_V1)
        expectError(env.run(['container', 'stats', '--no-stream', 'mem']), 125, ROOTLESS_V1)
        expectError(env.run(['stats', '--no-stream', 'nosuch']), 125, ROOTLESS_V1)
        expectError(env.run(['pod', 'stats', '--no-stream']), 125, /^Error: pod stats is not supported in rootless mode without cgroups v2$/)
      })
      return
    }

    before(async () => {
      await waitUntil('the container to fill /dev/shm', () => env.ok(['logs', 'mem']).includes('ready'))
    })

    it('--no-stream shows the running container with its memory and pids', () => {
      const lines = env.ok(['stats', '--no-stream']).trimEnd().split('\n')
      expect(lines[0]).to.match(HEADER)
      expect(lines).to.have.length(2)
      const id = env.ok(['inspect', '-f', '{{.Id}}', 'mem']).trim()
      const cols = lines[1]!.split(/\s{2,}/)
      expect(cols[0]).to.equal(id.slice(0, 12))
      expect(cols[1]).to.equal('mem')
      expect(cols[2]).to.match(/^\d+\.\d\d%$/)
      const [usage, limit] = cols[3]!.split(' / ')
      expect(bytes(usage!)).to.be.within(20e6, 200e6)
      expect(bytes(limit!)).to.be.greaterThan(bytes(usage!))
      expect(cols[4]).to.match(/^\d+\.\d\d%$/)
      expect(cols[5]).to.match(/^\S+B \/ \S+B$/)
      expect(cols[6]).to.match(/^\S+B \/ \S+B$/)
      expect(Number(cols[7])).to.be.within(1, 5)
      expect(cols[8]).to.match(/^[\d.]+(ns|µs|ms|s)$/)
      expect(cols[9]).to.match(/^\d+\.\d\d%$/)
    })

    it('-a shows a stopped container with zeros, as Podman does', () => {
      const out = env.ok(['stats', '-a', '--no-stream', '--format', '{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDS}}|{{.UpTime}}|{{.AVGCPU}}'])
      expect(out).to.contain('stopped|0.00%|0B / 0B|0.00%|0B / 0B|0B / 0B|0|0s|0.00%\n')
      expect(out.split('\n').filter(l => l.startsWith('mem|'))).to.have.length(1)
      // Without -a only running containers; named, a stopped one shows too.
      expect(env.ok(['stats', '--no-stream', '--format', '{{.Name}}'])).to.equal('mem\n')
      expect(env.ok(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'stopped'])).to.equal('stopped 0\n')
    })

    it('--format templates, table, --no-trunc and json', () => {
      const id = env.ok(['inspect', '-f', '{{.Id}}', 'mem']).trim()
      expect(env.ok(['stats', '--no-stream', '--format', '{{.ID}} {{.ContainerID}}', 'mem'])).to.equal(`${id.slice(0, 12)} ${id}\n`)
      const t = env.ok(['stats', '--no-stream', '--no-trunc', '--format', 'table {{.ID}} {{.Name}} {{.MemUsageBytes}}', 'mem']).split('\n')
      expect(t[0]).to.match(/^ID\s+NAME\s+MEM USAGE \/ LIMIT$/)
      expect(t[1]).to.match(new RegExp(`^${id}\\s+mem\\s+[\\d.]+MiB / [\\d.]+GiB$`))
      const bare = env.ok(['stats', '--no-stream', '--format', '{{.MemUsage}} {{.MemLimit}} {{.PIDs}}', 'mem']).trim().split(' ')
      expect(Number(bare[3])).to.be.greaterThan(bytes(bare[0]!))
      const json = JSON.parse(env.ok(['stats', '--no-stream', '--format', 'json', 'mem']))
      expect(json).to.have.length(1)
      expect(Object.keys(json[0])).to.deep.equal(['id', 'name', 'cpu_time', 'cpu_percent', 'avg_cpu', 'mem_usage', 'mem_percent', 'net_io', 'block_io', 'pids'])
      expect(json[0].id).to.equal(id.slice(0, 12))
      expect(json[0].name).to.equal('mem')
      expect(json[0].pids).to.match(/^[1-5]$/)
      // Podman's one-space indent
      expect(env.ok(['stats', '--no-stream', '--format', 'json', 'mem'])).to.match(/^\[\n {\n  "id": /)
    })

    it('streams reports until killed; a container that exits drops out', async () => {
      env.ok(['run', '-d', '--name', 'short', 'bb', 'sleep', '100000'])
      const p = env.spawn(['stats', '-i', '1', '--format', 'table {{.Name}} {{.PIDS}}'])
      try {
        const frames = (t: string) => t.split(/^NAME\s+PIDS\n/m).slice(1)
        const two = await until(p, t => frames(t).length >= 3)
        for (const f of frames(two).slice(0, 2)) expect(f).to.match(/^short\s+1\n/m).and.to.match(/^mem\s+\d\n/m)
        env.ok(['stop', '-t', '0', 'short'])
        // (a fresh collector: only reports written after the stop)
        const after = await until(p, t => frames(t).some(f => /^mem\s/m.test(f) && !/^short\s/m.test(f)))
        expect(after).to.match(/^mem\s+\d\n/m)
      } finally {
        p.kill('SIGINT')
        env.run(['rm', '-f', '-t', '0', 'short'])
      }
    })

    it('errors as Podman: a missing container, conflicting options, a bad interval', () => {
      expectError(env.run(['stats', '--no-stream', 'nosuch']), 125,
        /^Error: unable to get list of containers: unable to look up container nosuch: no container with name or ID "nosuch" found: no such container$/)
      expectError(env.run(['stats', '--no-stream', '-a', 'mem']), 125, /^Error: --all, --latest and containers cannot be used together$/)
      expectError(env.run(['stats', '--no-stream', '-i', '0']), 125, /^Error: invalid interval, must be a positive number greater zero$/)
    })

    it('pod stats: a row per container, "--" for a stopped pod, header before any format', () => {
      env.ok(['pod', 'create', '--name', 'p1'])
      env.ok(['run', '-d', '--pod', 'p1', '--name', 'p1c', 'bb', 'sleep', '100000'])
      env.ok(['pod', 'create', '--name', 'p2'])
      const podId = env.ok(['pod', 'inspect', '-f', '{{.Id}}', 'p1']).trim()
      const lines = env.ok(['pod', 'stats', '--no-stream', 'p1']).trimEnd().split('\n')
      expect(lines[0]).to.match(/^POD\s+CID\s+NAME\s+CPU %\s+MEM USAGE\/ LIMIT\s+MEM %\s+NET IO\s+BLOCK IO\s+PIDS$/)
      expect(lines).to.have.length(3)
      const row = lines.find(l => /\sp1c\s/.test(l))!.split(/\s{2,}/)
      expect(row[0]).to.equal(podId.slice(0, 12))
      expect(row[4]).to.match(/^\S+B \/ \S+GB$/)
      expect(row[8]).to.equal('1')
      // Not running: Podman's pod stats prints "--" for zeros.
      const json = JSON.parse(env.ok(['pod', 'stats', '--no-stream', '--format', 'json', 'p2']))
      expect(json).to.have.length(1)
      expect(json[0]).to.include({CPU: '--', MemUsage: '-- / --', MemUsageBytes: '-- / --', Mem: '--', NetIO: '-- / --', BlockIO: '-- / --', PIDS: '--'})
      expect(Object.keys(json[0])).to.deep.equal(['CPU', 'MemUsage', 'MemUsageBytes', 'Mem', 'NetIO', 'BlockIO', 'PIDS', 'Pod', 'CID', 'Name'])
      expect(env.ok(['pod', 'stats', '--no-stream', '--format', '{{.Name}} {{.PIDS}}', 'p1']).split('\n')[0]).to.equal('NAME PIDS')
      expectError(env.run(['pod', 'stats', '--no-stream', 'nosuch']), 125, /^Error: unable to get list of pods: no pod with name or ID nosuch found: no such pod$/)
      expectError(env.run(['pod', 'stats', '-a', 'p1']), 125, /^Error: --all, --latest and arguments cannot be used together$/)
      env.ok(['pod', 'rm', '-f', '-t', '0', 'p1', 'p2'])
    })

    it('-l reports the latest container', () => {
      expect(env.ok(['stats', '--no-stream', '-l', '--format', '{{.Name}}'])).to.match(/^\w+\n$/)
    })
  })
}
