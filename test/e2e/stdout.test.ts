// A command's output goes to fd 1 directly (src/cli/stdout.ts), not through
// process.stdout: the bytes must arrive whole through a pipe that is full
// and non-blocking (the writer hands the rest to process.stdout on EAGAIN),
// a reader that went away must not turn into an error (EPIPE, as oclif's
// own handler), and --noout still silences it.
import {spawnSync} from 'node:child_process'
import {expect} from 'chai'
import {Env, unavailable, type Mode} from './helpers.js'

// Runs ARGV with stdout on a pipe of one page made non-blocking, reading it
// only once the child has filled it (FIONREAD says a page is waiting), so
// the child's next write meets EAGAIN. Prints what arrived, then the exit code.
const FULL_PIPE = `
import fcntl, os, select, struct, subprocess, sys, termios
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
os.set_blocking(w, False)
p = subprocess.Popen(sys.argv[1:], stdout=w, env=dict(os.environ))
os.close(w)
while struct.unpack('i', fcntl.ioctl(r, termios.FIONREAD, b'\\0\\0\\0\\0'))[0] < 4096 and p.poll() is None:
    select.select([], [], [], 0.01)
data = b''
while True:
    chunk = os.read(r, 65536)
    if not chunk: break
    data += chunk
sys.stdout.buffer.write(data)
sys.stderr.write('exit %d\\n' % p.wait())
`
// Runs ARGV with stdout on a pipe whose reader is already closed.
const CLOSED_PIPE = `
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, env=dict(os.environ))
os.close(w)
err = p.stderr.read()
sys.stdout.write('exit %d stderr %r\\n' % (p.wait(), err.decode()))
`

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`standard output (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
    })
    after(() => env?.cleanup())

    const python = (script: string, args: string[]) => {
      const c = env.command(args)
      return spawnSync('python3', ['-c', script, c.file, ...c.argv], {env: c.env, cwd: env.dir, encoding: 'utf8'})
    }

    it('arrives whole through a full non-blocking pipe', () => {
      const expected = env.ok(['completion', 'bash'])
      expect(expected.length).to.be.greaterThan(8192)
      const r = python(FULL_PIPE, ['completion', 'bash'])
      expect(r.stderr).to.equal('exit 0\n')
      expect(r.stdout).to.equal(expected)
    })

    it('ends quietly when the reader has gone', () => {
      for (const args of [['completion', 'bash'], ['version'], ['ps', '-a']]) {
        expect(python(CLOSED_PIPE, args).stdout, args.join(' ')).to.equal("exit 0 stderr ''\n")
      }
    })

    it('--noout silences it', () => {
      expect(env.ok(['--noout', 'completion', 'bash'])).to.equal('')
      expect(env.ok(['--noout', 'version'])).to.equal('')
    })
  })
}
