// Users, namespaces and devices end to end, as root and as the rootless test
// user, checked inside the container against what Podman 4.3.1 does here:
// --userns (keep-id, nomap, auto, ns:, container:), --uidmap/--gidmap,
// --ipc/--pid/--uts, --device, --device-cgroup-rule, --group-add,
// --passwd/--passwd-entry/--hostuser, --umask, --personality, --chrootdirs,
// and Podman's one-line errors for bad values (nothing created).
import {expect} from 'chai'
import {chmodSync, mkdirSync, readFileSync, readlinkSync, statSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, expectError, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const NS = 'for n in ipc pid uts; do readlink /proc/self/ns/$n; done'

function uidOf(name: string): {uid: number; gid: number} {
  const f = readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.startsWith(name + ':'))!.split(':')
  return {uid: Number(f[2]), gid: Number(f[3])}
}

/** The first lines of a uid_map as [inside, outside, count] triples. */
function mapLines(text: string): number[][] {
  return text.trim().split('\n').map(l => l.trim().split(/\s+/).map(Number))
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`users, namespaces and devices (${mode})`, function () {
    let env: Env
    let ct: Containers
    const run = (...args: string[]) => env.ok(['run', '--rm', ...args])
    /** The OCI spec `init` wrote for a container (rootless, in peapod's mount namespace). */
    const ociSpec = (id: string) => {
      const file = path.join(env.runroot, 'containers', id, 'config.json')
      return JSON.parse(mode === 'root' ? readFileSync(file, 'utf8') : env.ok(['unshare', 'cat', file]))
    }

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(async function () {
      if (!env) return
      env.run(['rm', '-af', '-t0'])
      await ct.settled().catch(() => {})
      env.cleanup()
    })

    describe('bad input: Podman\'s one-line error, exit 125, nothing created', function () {
      const cases: Array<[string[], RegExp]> = [
        [['--userns=bogus'], /^Error: unrecognized namespace mode bogus passed$/],
        [['--userns=keep-id:foo=1'], /^Error: unknown option specified: "foo"$/],
        [['--userns=keep-id:uid=x'], /^Error: strconv.ParseUint: parsing "x": invalid syntax$/],
        [['--userns=auto:size=x'], /^Error: strconv.ParseUint: parsing "x": invalid syntax$/],
        [['--userns=private'], /^Error: must provide at least one UID or GID mapping to configure a user namespace$/],
        [['--userns=ns:/nonexist'], /^Error: cannot find specified user namespace path: stat \/nonexist: no such file or directory$/],
        [['--userns=container:nope'], /^Error: looking up container to share user namespace with: no container with name or ID "nope" found: no such container$/],
        [['--uidmap=a:b:c'], /^Error: initializing ID mappings: UID setting is malformed expected \["uint32:uint32:uint32"\]: \["a:b:c"\]$/],
        [['--uidmap=0:1'], /UID setting is malformed/],
        [['--uidmap=0:0:0'], /^Error: container ID 0 cannot be mapped to a host ID$/],
        [['--uidmap=0:1:500', '--userns=nomap'], /^Error: --userns and --uidmap\/--gidmap\/--subuidname\/--subgidname are mutually exclusive$/],
        [['--subuidname=nosuch'], /^Error: no subuid ranges found for user "nosuch" in \/etc\/subuid$/],
        [['--ipc=bogus'], /^Error: unrecognized namespace mode bogus passed$/],
        [['--pid=shareable'], /^Error: unrecognized namespace mode shareable passed$/],
        [['--uts=bogus'], /^Error: unrecognized namespace mode bogus passed$/],
        [['--ipc=container:nope'], /^Error: looking up container to share ipc namespace with: no container with name or ID "nope" found: no such container$/],
        [['--pid=ns:/nonexist'], /^Error: cannot find specified PID namespace path: stat \/nonexist: no such file or directory$/],
        [['--device=/dev/nonexist'], /^Error: stat \/dev\/nonexist: no such file or directory$/],
        [['--device=/etc/passwd'], /^Error: \/etc\/passwd is not a valid device: not a device node$/],
        [['--device=/dev/null:rel'], /^Error: invalid device mode: rel$/],
        [['--device=/dev/null:/dev/n:rwz'], /^Error: invalid device mode: rwz$/],
        [['--device-cgroup-rule=bogus'], /^Error: invalid device cgroup rule requires type, major:Minor, and access rules: "bogus"$/],
        [['--group-add=keep-groups', '--group-add=10'], /^Error: the '--group-add keep-groups' option is not allowed with any other --group-add options$/],
        [['--umask=999'], /^Error: running container create option: invalid umask string 999: invalid argument$/],
        [['--hostuser=nosuchuser'], /^Error: unable to find user nosuchuser: no matching entries in passwd file$/],
      ]
      if (mode === 'root') {
        cases.push([['--userns=keep-id'], /^Error: keep-id is only supported in rootless mode$/])
        cases.push([['--userns=nomap'], /^Error: nomap is only supported in rootless mode$/])
        cases.push([['--userns=auto'], /^Error: creating container storage: could not find enough available IDs$/])
      } else {
        cases.push([['--uidmap=0:1:500', '--userns=keep-id'], /mutually exclusive/])
      }
      for (const [args, re] of cases) {
        it(`create ${args.join(' ')}`, function () {
          expectError(env.run(['create', ...args, 'bb', 'true']), 125, re)
          expect(env.ok(['ps', '-aq']).trim()).to.equal('')
        })
      }
    })

    describe('--ipc, --pid, --uts', function () {
      it('private by default: other namespaces than the host\'s', function () {
        const host = [`ipc`, `pid`, `uts`].map(n => readlinkSync(`/proc/self/ns/${n}`))
        const inside = run('bb', 'sh', '-c', NS).trim().split('\n')
        for (let i = 0; i < 3; i++) expect(inside[i]).to.not.equal(host[i])
      })

      it('host: the host\'s namespaces (and its hostname)', function () {
        // rootless, the host's IPC namespace needs /dev/mqueue, absent here: Podman fails the same way
        const args = mode === 'root' ? ['--ipc=host'] : []
        const out = run(...args, '--pid=host', '--uts=host', 'bb', 'sh', '-c', `${NS}; hostname`).trim().split('\n')
        if (mode === 'root') expect(out[0]).to.equal(readlinkSync('/proc/self/ns/ipc'))
        expect(out[1]).to.equal(readlinkSync('/proc/self/ns/pid'))
        expect(out[2]).to.equal(readlinkSync('/proc/self/ns/uts'))
        expect(out[3]).to.equal(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim())
        if (mode === 'rootless') expectError(env.run(['create', '--ipc=host', 'bb', 'true']), 125, /^Error: statfs \/dev\/mqueue: no such file or directory$/)
      })

      it('container:ID and ns:PATH join another container\'s', async function () {
        env.ok(['run', '-d', '--name', 'nsholder', '--ipc=shareable', '--hostname', 'holder', 'bb', 'sleep', '1000'])
        try {
          const theirs = env.ok(['exec', 'nsholder', 'sh', '-c', NS]).trim().split('\n')
          const joined = run('--ipc=container:nsholder', '--pid=container:nsholder', '--uts=container:nsholder', 'bb', 'sh', '-c', `${NS}; hostname`).trim().split('\n')
          expect(joined.slice(0, 3)).to.deep.equal(theirs)
          expect(joined[3]).to.equal('holder')
          const pid = env.ok(['inspect', '--format', '{{.State.Pid}}', 'nsholder']).trim()
          const byPath = run(`--ipc=ns:/proc/${pid}/ns/ipc`, `--uts=ns:/proc/${pid}/ns/uts`, 'bb', 'sh', '-c', NS).trim().split('\n')
          expect(byPath[0]).to.equal(theirs[0])
          expect(byPath[2]).to.equal(theirs[2])
          const insp = env.ok(['create', '--ipc=container:nsholder', '--pid=host', 'bb', 'true']).trim()
          expect(env.ok(['inspect', '--format', '{{.HostConfig.IpcMode}} {{.HostConfig.PidMode}} {{.HostConfig.UTSMode}}', insp]).trim())
            .to.match(/^container:[0-9a-f]{64} host private$/)
        } finally {
          env.run(['rm', '-af', '-t0'])
        }
      })
    })

    describe('--group-add, --umask, --passwd, --hostuser, --personality, --chrootdirs', function () {
      it('--group-add adds supplementary groups', function () {
        expect(run('--group-add', '10,20', 'bb', 'id', '-G').trim().split(' ')).to.include.members(['10', '20'])
      })

      it('--group-add keep-groups: no groups set, crun\'s annotation in the spec', function () {
        const id = env.ok(['create', '--group-add', 'keep-groups', 'bb', 'id', '-G']).trim()
        env.ok(['init', id])
        const spec = ociSpec(id)
        expect(spec.annotations['run.oci.keep_original_groups']).to.equal('1')
        expect(spec.process.user.additionalGids).to.equal(undefined)
        expect(env.ok(['inspect', '--format', '{{json .HostConfig.GroupAdd}}', id]).trim()).to.equal('["keep-groups"]')
        env.ok(['rm', '-f', '-t', '0', id])
      })

      it('--umask sets the process umask', function () {
        expect(run('--umask', '077', 'bb', 'sh', '-c', 'umask').trim()).to.equal('0077')
      })

      it('a numeric --user gets Podman\'s passwd entry; --passwd-entry shapes it; --passwd=false adds none', function () {
        expect(run('--user', '1234', 'bb', 'sh', '-c', 'id -un; tail -1 /etc/passwd').trim().split('\n')).to.deep.equal(['1234', '1234:*:1234:0:container user:/:/bin/sh'])
        expect(run('--user', '1234:5', '--passwd-entry', '$USERNAME:x:$UID:$GID:gecos:$HOME:/bin/ash', 'bb', 'tail', '-1', '/etc/passwd').trim()).to.equal('1234:x:1234:5:gecos:/:/bin/ash')
        expect(run('--passwd=false', '--user', '1234', 'bb', 'tail', '-1', '/etc/passwd').trim()).to.equal('nobody:x:65534:65534:nobody:/:/bin/false')
      })

      it('--hostuser copies a host user\'s entry', function () {
        const me = uidOf('peapodtest')
        expect(run('--hostuser', 'peapodtest', 'bb', 'tail', '-1', '/etc/passwd').trim()).to.equal(`peapodtest:*:${me.uid}:${me.gid}::/:/bin/sh`)
      })

      it('--personality reaches the spec (runc 1.1 applies none, as under Podman)', function () {
        const id = env.ok(['create', '--personality', 'LINUX32', 'bb', 'true']).trim()
        env.ok(['init', id])
        const spec = ociSpec(id)
        expect(spec.linux.personality).to.deep.equal({domain: 'LINUX32'})
        env.ok(['rm', '-f', '-t', '0', id])
      })

      it('--chrootdirs: Podman\'s /etc files are mounted in the chroot too', function () {
        const out = run('--chrootdirs', '/srv', '--hostname', 'chr', 'bb', 'sh', '-c', 'cat /srv/etc/hostname; grep -c localhost /srv/etc/hosts').trim().split('\n')
        expect(out[0]).to.equal('chr')
        expect(Number(out[1])).to.be.greaterThan(0)
      })
    })

    describe('--device and --device-cgroup-rule', function () {
      it('--device puts the host device at the container path with its numbers', function () {
        const out = run('--device', '/dev/zero:/dev/myzero:r', 'bb', 'sh', '-c', 'ls -l /dev/myzero; head -c 4 /dev/myzero | od -An -tx1').trim().split('\n')
        expect(out[0]).to.match(/^c[-rw]{9}\s+\d+\s+\S+\s+\S+\s+1,\s+5 /)
        expect(out[1].trim()).to.equal('00 00 00 00')
      })

      if (mode === 'root') {
        it('rootful: a device node with its cgroup permissions, and --device-cgroup-rule', function () {
          const out = run('--device', '/dev/loop0:/dev/xloop:r', '--device-cgroup-rule', 'c 42:* rwm', 'bb', 'sh', '-c', 'ls -l /dev/xloop; cat /sys/fs/cgroup/devices/devices.list').trim().split('\n')
          expect(out[0]).to.match(/^b[-rw]{9}\s+\d+\s+\S+\s+\S+\s+7,\s+0 /)
          expect(out).to.include('b 7:0 r')
          expect(out).to.include('c 42:* rwm')
          const id = env.ok(['create', '--device', '/dev/loop0:/dev/xloop:r', 'bb', 'true']).trim()
          expect(env.ok(['inspect', '--format', '{{json .HostConfig.Devices}}', id]).trim()).to.equal('[{"PathOnHost":"/dev/loop0","PathInContainer":"/dev/xloop","CgroupPermissions":"r"}]')
          env.ok(['rm', id])
        })
      } else {
        it('rootless: a read-only bind mount of the host device, as Podman does', function () {
          const out = run('--device', '/dev/zero:/dev/myzero:r', 'bb', 'grep', ' /dev/myzero ', '/proc/self/mountinfo').trim()
          expect(out).to.match(/ \/zero \/dev\/myzero ro,/)
          expect(run('--device', '/dev/null:/dev/mynull', 'bb', 'sh', '-c', 'echo x > /dev/mynull && echo wrote').trim()).to.equal('wrote')
        })
      }
    })

    describe('pod create --userns/--uidmap/--uts/--device', function () {
      it('members join the infra\'s user namespace and get the pod\'s devices', function () {
        const maps = mode === 'root' ? ['--uidmap', '0:300000:65536'] : ['--userns=keep-id']
        env.ok(['pod', 'create', '--name', 'upod', ...maps, '--device', '/dev/zero:/dev/podzero:r'])
        try {
          const out = env.ok(['run', '--rm', '--pod', 'upod', 'bb', 'sh', '-c', 'id -u; cat /proc/self/uid_map; ls -l /dev/podzero']).trim().split('\n')
          if (mode === 'root') {
            expect(out[0]).to.equal('0')
            expect(mapLines(out[1])).to.deep.equal([[0, 300000, 65536]])
          } else {
            expect(out[0]).to.equal(String(uidOf('peapodtest').uid))
            expect(mapLines(out.slice(1, 4).join('\n'))[1]).to.deep.equal([uidOf('peapodtest').uid, 0, 1])
          }
          expect(out[out.length - 1]).to.match(/^c.*1,\s+5 .*\/dev\/podzero$/)
        } finally {
          env.run(['pod', 'rm', '-f', 'upod'])
        }
      })

      it('a bad --userns leaves no pod behind', function () {
        expectError(env.run(['pod', 'create', '--name', 'badpod', '--userns=bogus']), 125, /^Error: unrecognized namespace mode bogus passed$/)
        expect(env.ok(['pod', 'ps', '-q']).trim()).to.equal('')
        expect(env.ok(['ps', '-aq']).trim()).to.equal('')
      })
    })

    if (mode === 'root') {
      describe('user namespaces (root)', function () {
        it('--uidmap/--gidmap: root inside is the mapped host ID; files in a bind mount are owned by it', function () {
          const dir = env.file('bind-root')
          mkdirSync(dir)
          chmodSync(dir, 0o777)
          const out = run('--uidmap', '0:100000:65536', '--gidmap', '0:100000:65536', '-v', `${dir}:/data`, 'bb', 'sh', '-c',
            'id -u; cat /proc/self/uid_map /proc/self/gid_map; stat -c %u:%g /bin/busybox; touch /data/f').trim().split('\n')
          expect(out[0]).to.equal('0')
          expect(mapLines(out.slice(1, 3).join('\n'))).to.deep.equal([[0, 100000, 65536], [0, 100000, 65536]])
          expect(out[3]).to.equal('0:0') // the rootfs was shifted to the maps
          const st = statSync(path.join(dir, 'f'))
          expect([st.uid, st.gid]).to.deep.equal([100000, 100000])
        })

        it('a shifted container restarts without shifting twice', function () {
          const id = env.ok(['create', '--uidmap', '0:200000:65536', 'bb', 'stat', '-c', '%u:%g', '/bin/busybox']).trim()
          env.ok(['start', id])
          expect(env.ok(['wait', id]).trim()).to.equal('0')
          env.ok(['start', id])
          env.ok(['wait', id])
          expect(env.ok(['logs', id]).trim().split('\n')).to.deep.equal(['0:0', '0:0'])
          expect(env.ok(['inspect', '--format', '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}', id]).trim())
            .to.equal('private {"UidMap":["0:200000:65536"],"GidMap":["0:200000:65536"]}')
          env.ok(['rm', id])
        })
      })
    } else {
      describe('user namespaces (rootless)', function () {
        const me = () => uidOf('peapodtest')

        it('default (host): the rootless user is root inside', function () {
          const out = run('bb', 'sh', '-c', 'id -u; cat /proc/self/uid_map').trim().split('\n')
          expect(out[0]).to.equal('0')
          expect(mapLines(out[1])[0]).to.deep.equal([0, me().uid, 1])
        })

        it('--userns=keep-id: the user\'s own UID/GID and passwd entry inside; bind-mount files owned by the user', function () {
          const {uid, gid} = me()
          const dir = env.file('bind-keepid')
          mkdirSync(dir)
          env.chown(dir)
          const out = run('--userns=keep-id', '-v', `${dir}:/data`, 'bb', 'sh', '-c',
            'id; grep ^peapodtest: /etc/passwd; grep ^peapodtest: /etc/group; cat /proc/self/uid_map; echo HOME=$HOME; stat -c %u:%g /bin/busybox; touch /data/f').trim().split('\n')
          expect(out[0]).to.equal(`uid=${uid}(peapodtest) gid=${gid}(peapodtest) groups=${gid}(peapodtest)`)
          expect(out[1]).to.equal(`peapodtest:*:${uid}:${gid}::/:/bin/sh`)
          expect(out[2]).to.equal(`peapodtest:x:${gid}:peapodtest`)
          const maps = mapLines(out.slice(3, 6).join('\n'))
          expect(maps[0]).to.deep.equal([0, 1, uid])
          expect(maps[1]).to.deep.equal([uid, 0, 1])
          expect(maps[2].slice(0, 2)).to.deep.equal([uid + 1, uid + 1])
          expect(out).to.include('HOME=/')
          expect(out).to.include('0:0') // root's files are root's inside
          const st = statSync(path.join(dir, 'f'))
          expect([st.uid, st.gid]).to.deep.equal([uid, gid])
        })

        it('--userns=keep-id:uid=,gid= maps the user to those IDs', function () {
          const out = run('--userns=keep-id:uid=200,gid=300', 'bb', 'sh', '-c', 'id -u; id -g; cat /proc/self/uid_map; tail -1 /etc/passwd').trim().split('\n')
          expect(out.slice(0, 2)).to.deep.equal(['200', '300'])
          expect(mapLines(out.slice(2, 5).join('\n'))[1]).to.deep.equal([200, 0, 1])
          expect(out[out.length - 1]).to.equal('200:*:200:300:container user:/:/bin/sh')
        })

        it('--userns=nomap: the user\'s own UID is not mapped', function () {
          const out = run('--userns=nomap', 'bb', 'sh', '-c', 'id -u; cat /proc/self/uid_map').trim().split('\n')
          expect(out[0]).to.equal('0')
          expect(mapLines(out.slice(1).join('\n'))).to.have.length(1)
          expect(mapLines(out[1]).slice(0, 1)[0].slice(0, 2)).to.deep.equal([0, 1])
        })

        it('--userns=auto: a block of 1024 IDs, a free one for each container', function () {
          const first = env.ok(['create', '--userns=auto', 'bb', 'true']).trim()
          const out = run('--userns=auto:size=100', 'bb', 'sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map')
          expect(mapLines(out)).to.deep.equal([[0, 1025, 100], [0, 1025, 100]])
          expect(env.ok(['inspect', '--format', '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings.UIDMap}}', first]).trim()).to.equal('private ["0:1:1024"]')
          env.ok(['rm', first])
        })

        it('--uidmap alone maps the GIDs the same', function () {
          const out = run('--uidmap', '0:1:500', 'bb', 'sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map; stat -c %u /bin/busybox')
          const lines = out.trim().split('\n')
          expect(mapLines(lines.slice(0, 2).join('\n'))).to.deep.equal([[0, 1, 500], [0, 1, 500]])
          expect(lines[2]).to.equal('0')
        })

        it('--userns=container:ID and ns:PATH join another container\'s user namespace', function () {
          env.ok(['run', '-d', '--name', 'uholder', '--userns=keep-id', 'bb', 'sleep', '1000'])
          try {
            const theirs = env.ok(['exec', 'uholder', 'cat', '/proc/self/uid_map'])
            expect(run('--userns=container:uholder', 'bb', 'cat', '/proc/self/uid_map')).to.equal(theirs)
            const pid = env.ok(['inspect', '--format', '{{.State.Pid}}', 'uholder']).trim()
            expect(run(`--userns=ns:/proc/${pid}/ns/user`, 'bb', 'cat', '/proc/self/uid_map')).to.equal(theirs)
          } finally {
            env.run(['rm', '-af', '-t0'])
          }
        })
      })
    }
  })
}
