import {expect} from 'chai'
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PassThrough} from 'node:stream'
import {PeapodError} from '../../src/libpod/define/errors.js'
import {Logger, log} from '../../src/libpod/util/log.js'
import {ProcessFailure, run, runSync, runTo} from '../../src/libpod/util/process.js'

async function failure(p: Promise<unknown>): Promise<ProcessFailure> {
  try {
    await p
  } catch (e) {
    expect(e).to.be.instanceOf(ProcessFailure)
    return e as ProcessFailure
  }
  throw new Error('expected a ProcessFailure')
}

function syncFailure(fn: () => unknown): ProcessFailure {
  try {
    fn()
  } catch (e) {
    expect(e).to.be.instanceOf(ProcessFailure)
    return e as ProcessFailure
  }
  throw new Error('expected a ProcessFailure')
}

describe('the process runner (util/process.ts)', () => {
  it('returns a helper\'s output as it wrote it', async () => {
    expect(await run(['sh', '-c', 'printf "a\\nb\\n"; echo warn >&2'])).to.deep.equal({stdout: 'a\nb\n', stderr: 'warn\n', status: 0})
    expect((await run(['cat'], {input: 'in put'})).stdout).to.equal('in put')
    expect((await run(['pwd'], {cwd: '/tmp'})).stdout).to.equal('/tmp\n')
  })

  it('fails `false` with its exit status', async () => {
    const e = await failure(run(['false']))
    expect(e).to.be.instanceOf(PeapodError)
    expect(e.message).to.equal('false: exit status 1')
    expect(e.status).to.equal(1)
    expect(e.notFound).to.equal(false)
  })

  it('folds the helper\'s stderr into the error', async () => {
    const e = await failure(run(['sh', '-c', 'echo first >&2; echo boom >&2; exit 3']))
    expect(e.message).to.equal('sh: boom')
    expect(e.detail).to.equal('boom')
    expect(e.status).to.equal(3)
    expect(e.stderr).to.equal('first\nboom\n')
    expect(e.argv).to.deep.equal(['sh', '-c', 'echo first >&2; echo boom >&2; exit 3'])
  })

  it('says when the program is missing, or killed', async () => {
    const e = await failure(run(['/nonexistent/helper']))
    expect(e.notFound).to.equal(true)
    expect(e.status).to.equal(undefined)
    expect(e.message).to.match(/^\/nonexistent\/helper: .*ENOENT/)
    const k = await failure(run(['sh', '-c', 'kill -TERM $$']))
    expect(k.signal).to.equal('SIGTERM')
    expect(k.message).to.equal('sh: killed by SIGTERM')
    const t = await failure(run(['sleep', '5'], {timeout: 50}))
    expect(t.signal).to.equal('SIGTERM')
  })

  it('accepts exit statuses the caller calls success', async () => {
    expect((await run(['sh', '-c', 'exit 1'], {okStatus: [1]})).status).to.equal(1)
  })

  it('streams stdout to a descriptor or a stream', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'process-test-'))
    try {
      const file = path.join(dir, 'out')
      const fd = openSync(file, 'w')
      await runTo(['sh', '-c', 'cat; echo done'], fd, {input: 'x\n'})
      closeSync(fd)
      expect(readFileSync(file, 'utf8')).to.equal('x\ndone\n')
      const sink = new PassThrough()
      const chunks: Buffer[] = []
      sink.on('data', (b: Buffer) => chunks.push(b))
      await runTo(['echo', 'streamed'], sink)
      expect(Buffer.concat(chunks).toString()).to.equal('streamed\n')
      const e = await failure(runTo(['sh', '-c', 'echo no >&2; exit 2'], sink))
      expect(e.message).to.equal('sh: no')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('has a synchronous form with the same errors', () => {
    expect(runSync(['echo', 'hi']).stdout).to.equal('hi\n')
    expect(syncFailure(() => runSync(['false'])).message).to.equal('false: exit status 1')
    const e = syncFailure(() => runSync(['sh', '-c', 'echo boom >&2; exit 3']))
    expect([e.message, e.status]).to.deep.equal(['sh: boom', 3])
    expect(syncFailure(() => runSync(['/nonexistent/helper'])).notFound).to.equal(true)
  })

  it('logs each call at debug level', async () => {
    const lines: string[] = []
    const saved = (log as unknown as {write: (l: string) => void}).write
    ;(log as unknown as {write: (l: string) => void}).write = l => lines.push(l)
    log.setLevel('debug')
    try {
      await run(['true', 'arg'])
      runSync(['true'])
    } finally {
      log.setLevel('warn')
      ;(log as unknown as {write: (l: string) => void}).write = saved
    }
    expect(lines).to.have.length(2)
    expect(lines[0]).to.match(/^time="[^"]+" level=debug msg="running true arg"\n$/)
    expect(new Logger().enabled('debug')).to.equal(false)
  })
})
