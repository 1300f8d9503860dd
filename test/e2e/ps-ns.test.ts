// `ps --ns` as Podman prints it: ID, NAMES, PID and each namespace of a
// running container as the inode number of its /proc/PID/ns link; blank for
// a container that is not running. And `{{.IsInfra}}` in a template.
import {expect} from 'chai'
import {readlinkSync} from 'node:fs'
import {Env, type Mode} from './helpers.js'
import {busyboxEnv} from './fixtures.js'

const NS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts']

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`ps --ns (${mode})`, function () {
    let env: Env
    busyboxEnv(mode, e => { env = e })

    it('shows the namespaces of running containers, blanks for the others', () => {
      env.ok(['run', '-d', '--name', 'up', '--network=none', 'bb', 'sleep', '1000'])
      env.ok(['create', '--name', 'down', 'bb', 'true'])
      const pid = env.ok(['inspect', 'up', '--format', '{{.State.Pid}}']).trim()
      const inodes = NS.map(n => /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${n}`))![1])

      const lines = env.ok(['ps', '-a', '--ns']).trimEnd().split('\n')
      expect(lines[0].split(/\s{2,}/)).to.deep.equal(['CONTAINER ID', 'NAMES', 'PID', 'CGROUPNS', 'IPC', 'MNT', 'NET', 'PIDNS', 'USERNS', 'UTS'])
      const up = lines.find(l => / up\s/.test(l))!.trim().split(/\s+/)
      expect(up.slice(1)).to.deep.equal(['up', pid, ...inodes])
      expect(lines.find(l => / down\s/.test(l))!.trim().split(/\s+/).slice(1)).to.deep.equal(['down', '0'])

      const fields = '{{.Names}}|{{.CGROUPNS}}|{{.IPC}}|{{.MNT}}|{{.NET}}|{{.PIDNS}}|{{.USERNS}}|{{.UTS}}'
      expect(env.ok(['ps', '--ns', '--format', fields]).trim()).to.equal(['up', ...inodes].join('|'))
      // Without --ns the namespaces are not read: blanks, as in Podman.
      expect(env.ok(['ps', '--format', fields]).trim()).to.equal('up|||||||')
      env.ok(['rm', '-f', '-t', '0', 'up', 'down'])
    })

    it('{{.IsInfra}} tells a pod\'s infra container from the others', () => {
      env.ok(['pod', 'create', '--name', 'p'])
      env.ok(['create', '--name', 'member', '--pod', 'p', 'bb', 'true'])
      const rows = env.ok(['ps', '-a', '--format', '{{.Names}} {{.IsInfra}}']).trim().split('\n').sort()
      expect(rows).to.have.length(2)
      expect(rows.find(r => r.startsWith('member '))).to.equal('member false')
      expect(rows.find(r => !r.startsWith('member '))).to.match(/-infra true$/)
      env.ok(['pod', 'rm', '-f', 'p'])
    })
  })
}
