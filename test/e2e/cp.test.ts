// `cp` end to end, as root and as the rootless test user: both directions,
// tar streams on stdin/stdout, ownership (-a and -a=false), running and
// stopped containers, container to container, --overwrite, and what must
// never happen: a symlink or `..` planted in the container (`link -> /`,
// `link -> ../../..`, a link to a host path that exists) or `../` entries
// in a tar stream reaching the host. Bad input: Podman's one-line errors
// and exit code 125, nothing written.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, TEST_USER, unavailable, type Mode, type Result, expectError} from './helpers.js'
import {busyboxTar} from './fixtures.js'
import {padding, tarEnd, tarHeader} from '../../src/libpod/util/tar-writer.js'

/** `tar -tv --numeric-owner` of an (ASCII) tar stream: "mode uid/gid name[ -> target]" per entry. */
function listTar(data: string | Buffer): string[] {
  const out = execFileSync('tar', ['--numeric-owner', '-tvf', '-'], {input: typeof data === 'string' ? Buffer.from(data, 'latin1') : data, encoding: 'utf8'})
  return out.trim().split('\n').filter(Boolean).map(l => {
    const f = l.split(/\s+/)
    return `${f[0]} ${f[1]} ${f.slice(5).join(' ')}`
  })
}

function userIds(name: string): {uid: number; gid: number} {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.startsWith(name + ':'))!
  const f = line.split(':')
  return {uid: Number(f[2]), gid: Number(f[3])}
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`cp (${mode})`, function () {
    let env: Env
    let victim: string
    let caller: {uid: number; gid: number}

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      caller = mode === 'root' ? {uid: 0, gid: 0} : userIds(TEST_USER)
      const tar = env.file('bb.tar')
      execFileSync('cp', [busyboxTar(), tar])
      env.chown(tar)
      env.ok(['import', tar, 'bb'])
      // A host directory the container knows the path of: nothing may ever appear in it.
      victim = env.file('victim')
      mkdirSync(victim)
      env.chown(victim)
      const plant = [
        'mkdir -p /d/sub /tmp/y', 'echo hi > /d/f', 'chown 7:8 /d/f', 'ln /d/f /d/hard', 'ln -s f /d/rel', 'echo file > /tmp/y/x',
        'ln -s / /link1', 'ln -s ../../.. /link2', `mkdir -p ${victim}`, `ln -s ${victim} /abs`, `ln -s ../../../../../../..${victim} /rel`,
        'ln -s / /tmp/l',
      ].join(' && ')
      env.ok(['run', '--network', 'none', '--name', 'plant', 'bb', 'sh', '-c', plant])
      // host side input
      mkdirSync(env.file('in/sub'), {recursive: true})
      writeFileSync(env.file('in/a'), 'aaa\n')
      chmodSync(env.file('in/a'), 0o640)
      writeFileSync(env.file('in/sub/b'), 'bbb\n')
      writeFileSync(env.file('hf'), 'host file\n')
      env.chown(env.file('in'))
      env.chown(env.file('hf'))
    })
    after(() => env?.cleanup())

    const exported = (ctr: string): string[] => {
      const out = env.file(`export-${ctr}.tar`)
      env.ok(['export', '-o', out, ctr])
      return listTar(readFileSync(out))
    }
    const catOut = (ctr: string, p: string): string => {
      const r = env.run(['cp', `${ctr}:${p}`, '-'])
      if (r.code !== 0) throw new Error(`cp ${ctr}:${p} - exited ${r.code}: ${r.stderr}`)
      return execFileSync('tar', ['-xOf', '-'], {input: Buffer.from(r.stdout, 'latin1'), encoding: 'utf8'})
    }
    const victimEmpty = () => expect(readdirSync(victim), 'nothing may be written to the host').to.deep.equal([])

    it('copies a directory out of a stopped container, owned by the caller, links kept', () => {
      env.ok(['cp', 'plant:/d', env.file('out')])
      const out = env.file('out')
      expect(readFileSync(path.join(out, 'f'), 'utf8')).to.equal('hi\n')
      expect(readlinkSync(path.join(out, 'rel'))).to.equal('f')
      expect(statSync(path.join(out, 'hard')).ino).to.equal(statSync(path.join(out, 'f')).ino)
      expect(statSync(path.join(out, 'sub')).isDirectory()).to.equal(true)
      for (const f of ['f', 'sub']) expect(lstatSync(path.join(out, f))).to.include(caller)
      // into an existing directory: under its own name; a file onto a file: overwritten
      mkdirSync(env.file('outdir'))
      env.chown(env.file('outdir'))
      env.ok(['cp', 'plant:/d', env.file('outdir')])
      expect(readFileSync(env.file('outdir/d/f'), 'utf8')).to.equal('hi\n')
      env.ok(['cp', 'plant:/d/f', env.file('outdir/d/sub')])
      env.ok(['cp', 'plant:/etc/passwd', env.file('outdir/d/f')])
      expect(readFileSync(env.file('outdir/d/f'), 'utf8')).to.match(/^root:x:0:0/)
      // "dir/." copies what is inside
      env.ok(['cp', 'plant:/d/.', env.file('dotted')])
      expect(readdirSync(env.file('dotted')).sort()).to.deep.equal(['f', 'hard', 'rel', 'sub'])
    })

    it('streams a tar to stdout, owned by the container user', () => {
      const r = env.run(['cp', 'plant:/d', '-'])
      expect(r.code, r.stderr).to.equal(0)
      expect(listTar(r.stdout)).to.deep.equal([
        'drwxr-xr-x 0/0 d/', '-rw-r--r-- 0/0 d/f', 'hrw-r--r-- 0/0 d/hard link to d/f', 'lrwxrwxrwx 0/0 d/rel -> f', 'drwxr-xr-x 0/0 d/sub/',
      ])
    })

    it('copies into a container: -a chowns to its user, -a=false keeps the owners', () => {
      env.ok(['cp', env.file('in'), 'plant:/tmp/'])
      env.ok(['cp', env.file('hf'), 'plant:/tmp/renamed'])
      env.ok(['create', '--network', 'none', '--name', 'u', '--user', '7:8', 'bb', 'true'])
      env.ok(['cp', env.file('in'), 'u:/'])
      const tar = env.file('own.tar')
      execFileSync('tar', ['--owner=5', '--group=6', '--numeric-owner', '-C', env.file('in'), '-cf', tar, 'a'])
      env.ok(['cp', '-a=false', '-', 'u:/tmp'], {input: readFileSync(tar)})
      env.ok(['cp', '-', 'u:/root'], {input: readFileSync(tar)})
      const p = exported('plant')
      expect(p).to.include('-rw-r----- 0/0 tmp/in/a')
      expect(p).to.include('-rw-r--r-- 0/0 tmp/in/sub/b')
      expect(p).to.include('-rw-r--r-- 0/0 tmp/renamed')
      expect(catOut('plant', '/tmp/renamed')).to.equal('host file\n')
      const u = exported('u')
      expect(u).to.include('-rw-r----- 7/8 in/a')
      expect(u).to.include('drwxr-xr-x 7/8 in/sub/')
      expect(u).to.include('-rw-r----- 5/6 tmp/a')
      expect(u).to.include('-rw-r----- 7/8 root/a')
    })

    it('resolves symlinks and .. inside the container, both directions', () => {
      // out through `link -> ../../..` and `link -> /`: the container's files, not the host's
      env.ok(['cp', 'plant:/link2/etc/passwd', env.file('pw')])
      expect(readFileSync(env.file('pw'), 'utf8')).to.equal('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n')
      expect(catOut('plant', '/link1/d/f')).to.equal('hi\n')
      // in through links to a host path that exists: they land in the container's copy of that path
      env.ok(['cp', env.file('hf'), 'plant:/abs/'])
      env.ok(['cp', env.file('in'), 'plant:/rel/'])
      env.ok(['cp', env.file('hf'), 'plant:/link2/link1/tmp/viaroot'])
      victimEmpty()
      expect(catOut('plant', `${victim}/hf`)).to.equal('host file\n')
      expect(catOut('plant', `${victim}/in/a`)).to.equal('aaa\n')
      expect(catOut('plant', '/tmp/viaroot')).to.equal('host file\n')
      // and out of them
      env.ok(['cp', 'plant:/abs/.', env.file('fromabs')])
      expect(readdirSync(env.file('fromabs')).sort()).to.deep.equal(['hf', 'in'])
      victimEmpty()
    })

    it('keeps ../ entries of a tar stream inside the destination, as Podman', () => {
      const rel = `../../../../../../..${victim}/evil1`
      const file = (name: string, text: string) => [tarHeader({name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: text.length}), Buffer.from(text), padding(text.length)]
      const tar = Buffer.concat([
        tarHeader({name: 'ok/', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0}),
        ...file(rel, 'evil\n'),
        ...file(`l${victim}/evil2`, 'evil\n'),
        ...file('ok/../../../../../escape3', 'evil\n'),
        tarEnd(),
      ])
      expect(listTar(tar)).to.include(`-rw-r--r-- 0/0 ${rel}`)
      const r = env.run(['cp', '-', 'plant:/tmp'], {input: tar})
      expect(r.code, r.stderr).to.equal(0)
      victimEmpty()
      // `..` stops at /tmp; the planted link resolves in the container
      expect(catOut('plant', `/tmp${victim}/evil1`)).to.equal('evil\n')
      expect(catOut('plant', `${victim}/evil2`)).to.equal('evil\n')
      expect(catOut('plant', '/tmp/escape3')).to.equal('evil\n')
      expect(existsSync(path.join(victim, 'evil1'))).to.equal(false)
    })

    it('copies into and out of a running container', () => {
      env.ok(['run', '--network', 'none', '-d', '--name', 'live', 'bb', 'sleep', '1000'])
      try {
        env.ok(['cp', env.file('in'), 'live:/tmp/'])
        expect(catOut('live', '/tmp/in/sub/b')).to.equal('bbb\n')
        env.ok(['cp', 'live:/tmp/in', env.file('fromlive')])
        expect(readFileSync(env.file('fromlive/a'), 'utf8')).to.equal('aaa\n')
        env.ok(['cp', 'live:/bin/../../bin/busybox', env.file('bbcopy')])
        expect(statSync(env.file('bbcopy')).size).to.equal(statSync('/bin/busybox').size)
        // /proc of a running container is not copied
        expect(env.ok(['cp', 'live:/etc/hostname', '-']).length).to.be.greaterThan(0)
      } finally {
        env.ok(['rm', '-f', '-t', '0', 'live'])
      }
    })

    it('copies between containers', () => {
      env.ok(['create', '--network', 'none', '--name', 'other', 'bb', 'true'])
      env.ok(['cp', 'plant:/d', 'other:/copied'])
      env.ok(['cp', 'plant:/d/f', 'plant:/tmp/self'])
      expect(catOut('other', '/copied/f')).to.equal('hi\n')
      expect(catOut('plant', '/tmp/self')).to.equal('hi\n')
    })

    it('replaces a file by a directory only with --overwrite', () => {
      mkdirSync(env.file('ow/x'), {recursive: true})
      env.chown(env.file('ow'))
      const r = env.run(['cp', env.file('ow/x'), 'plant:/tmp/y'])
      expectError(r, 125, /^Error: copying to container: copier: put: error creating "\/tmp\/y\/x": mkdir \/tmp\/y\/x: file exists$/)
      expect(catOut('plant', '/tmp/y/x')).to.equal('file\n')
      env.ok(['cp', '--overwrite', env.file('ow/x'), 'plant:/tmp/y'])
      expect(listTar(env.ok(['cp', 'plant:/tmp/y/x', '-']))[0]).to.match(/^d.* tmp\/y\/x\/|^d.* x\/$/)
    })

    it('fails on bad input like Podman, changing nothing', () => {
      const before = exported('plant')
      expectError(env.run(['cp', env.file('hf'), 'plant:/nonexist/dir/x']), 125, /^Error: "\/nonexist\/dir\/x" could not be found on container plant: no such file or directory$/)
      expectError(env.run(['cp', env.file('hf'), 'plant:/nonexist/']), 125, /^Error: "\/nonexist\/" could not be found on container plant: no such file or directory$/)
      expectError(env.run(['cp', 'plant:/nope', env.file('x')]), 125, /^Error: "\/nope" could not be found on container plant: no such file or directory$/)
      expectError(env.run(['cp', env.file('nope'), 'plant:/tmp']), 125, /could not be found on the host: no such file or directory$/)
      expectError(env.run(['cp', 'plant:/d/f', env.file('no/such/x')]), 125, /could not be found on the host: no such file or directory$/)
      expectError(env.run(['cp', env.file('hf'), 'nosuch:/tmp']), 125, /^Error: container "nosuch" does not exist$/)
      expectError(env.run(['cp', env.file('in'), 'plant:/d/f']), 125, /^Error: destination must be a directory when copying a directory$/)
      expectError(env.run(['cp', '-', 'plant:/d/f'], {input: 'x'}), 125, /^Error: destination must be a directory when copying from stdin$/)
      expectError(env.run(['cp', '-', 'plant:/tmp'], {input: 'not a tar archive at all\n'.repeat(50)}), 125, /^Error: source must be a \(compressed\) tar archive when copying from stdin$/)
      expectError(env.run(['cp', env.file('hf'), env.file('x')]), 125, /^Error: name or ID cannot be empty$/)
      expect(existsSync(env.file('x'))).to.equal(false)
      expect(existsSync(env.file('no'))).to.equal(false)
      expect(exported('plant')).to.deep.equal(before)
      victimEmpty()
    })

    if (mode === 'root') {
      it('leaves a stopped container unmounted', () => {
        const id = env.ok(['inspect', '--format', '{{.Id}}', 'plant']).trim()
        env.ok(['cp', 'plant:/d/f', env.file('again')])
        const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
        expect(mounts).to.not.include(id)
        expect(spawnSync('true').status).to.equal(0)
      })
    }
  })
}
