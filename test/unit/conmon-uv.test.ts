import {expect} from 'chai'
import {spawnSync as cpSpawnSync} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync, constants} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import * as uv from '../../src/conmon/uv.cjs'

type Exit = {code: number | null; signal: NodeJS.Signals | null}

function collect(s: uv.Stream): Promise<string> {
  let text = ''
  s.onData(b => (text += b.toString()))
  return new Promise(resolve => s.onEnd(() => resolve(text)))
}

function exited(c: uv.Child): Promise<Exit> {
  return new Promise(resolve => c.onExit((code, signal) => resolve({code, signal})))
}

/** Both ends of a new FIFO, opened without blocking. */
function fifo(dir: string, name: string): {r: number; w: number} {
  const file = path.join(dir, name)
  expect(cpSpawnSync('mkfifo', [file]).status).to.equal(0)
  const keep = openSync(file, constants.O_RDWR)
  const r = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  const w = openSync(file, constants.O_WRONLY)
  closeSync(keep)
  rmSync(file)
  return {r, w}
}

describe('the monitor\'s libuv handles (conmon/uv.cts)', () => {
  let dir: string
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'peapod-uv-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('spawns with env and pipes; exit code, then close once the pipes end', async () => {
    const c = uv.spawn('sh', ['-c', 'echo out $FOO; echo err >&2; read x; echo got $x; exit 7'], {stdio: ['pipe', 'pipe', 'pipe'], env: {PATH: process.env.PATH, FOO: 'bar'}})
    expect(c.pid).to.be.greaterThan(0)
    const out = collect(c.stdio[1]!)
    const err = collect(c.stdio[2]!)
    c.stdio[0]!.end('line\n')
    const closed = new Promise<void>(resolve => c.onClose(resolve))
    expect(await exited(c)).to.deep.equal({code: 7, signal: null})
    await closed
    expect(await out).to.equal('out bar\ngot line\n')
    expect(await err).to.equal('err\n')
  })

  it('reports a signal, and passes fds as given', async () => {
    const file = path.join(dir, 'fd-out')
    const fd = openSync(file, 'w')
    const c = uv.spawn('sh', ['-c', 'echo to-fd-3 >&3; kill -TERM $$'], {stdio: ['ignore', 'ignore', 'ignore', fd], env: process.env})
    closeSync(fd)
    expect(await exited(c)).to.deep.equal({code: null, signal: 'SIGTERM'})
    expect(readFileSync(file, 'utf8')).to.equal('to-fd-3\n')
  })

  it('throws child_process\'s message when the program is missing', () => {
    expect(() => uv.spawn('peapod-no-such-program', [], {stdio: ['ignore'], env: process.env})).to.throw('spawn peapod-no-such-program ENOENT')
  })

  it('detached: a new session', async () => {
    const c = uv.spawn('sh', ['-c', 'ps -o sid= -p $$ | tr -d " "'], {stdio: ['ignore', 'pipe', 'ignore'], env: process.env, detached: true})
    const out = collect(c.stdio[1]!)
    await exited(c)
    expect(Number((await out).trim())).to.equal(c.pid)
  })

  it('spawnSync: status and output, never throws', () => {
    const r = uv.spawnSync('sh', ['-c', 'echo oops >&2; exit 3'], {stdio: ['ignore', 'ignore', 'pipe'], env: process.env})
    expect(r.status).to.equal(3)
    expect(r.output[2]?.toString()).to.equal('oops\n')
    const missing = uv.spawnSync('peapod-no-such-program', [], {stdio: ['ignore', 'ignore', 'ignore'], env: process.env})
    expect(missing.status).to.equal(null)
    expect(missing.error?.message).to.match(/ENOENT/)
  })

  it('reads a FIFO to EOF, pauses and resumes', async () => {
    const {r, w} = fifo(dir, 'f1')
    const s = uv.Stream.fromFd(r)
    const chunks: string[] = []
    s.onData(b => chunks.push(b.toString()))
    s.pause()
    const c = uv.spawn('sh', ['-c', 'echo one; echo two'], {stdio: ['ignore', w, 'ignore'], env: process.env})
    closeSync(w)
    await exited(c)
    expect(chunks).to.deep.equal([])
    s.resume()
    await new Promise<void>(resolve => s.onEnd(resolve))
    expect(chunks.join('')).to.equal('one\ntwo\n')
    expect(s.ended).to.equal(true)
  })

  it('writes a FIFO; end() flushes and closes it (the reader sees EOF)', async () => {
    const {r, w} = fifo(dir, 'f2')
    const s = uv.Stream.fromFd(w)
    const c = uv.spawn('cat', [], {stdio: [r, 'pipe', 'ignore'], env: process.env})
    closeSync(r)
    const out = collect(c.stdio[1]!)
    const big = Buffer.alloc(256 * 1024, 'x')
    const drained = new Promise<void>(resolve => s.onDrain(resolve))
    expect(s.write(big)).to.equal(false)
    expect(s.writableLength).to.be.greaterThan(0)
    await drained
    s.end('end\n')
    const closed = new Promise<void>(resolve => s.onClose(resolve))
    expect(await exited(c)).to.deep.equal({code: 0, signal: null})
    await closed
    expect((await out).length).to.equal(big.length + 4)
  })

  it('serves a unix socket: data both ways; end() waits for the client to close', async () => {
    const sockPath = path.join(dir, 'sock')
    let server!: uv.Server
    const conn = new Promise<uv.Stream>(resolve => (server = uv.listenUnix(sockPath, resolve)))
    const client = net.connect(sockPath)
    const s = await conn
    const got: string[] = []
    s.onData(b => got.push(b.toString()))
    let clientText = ''
    client.on('data', b => {
      clientText += b.toString()
      if (clientText === 'hello bye') client.end('ack')
    })
    client.write('ping')
    await new Promise<void>(resolve => {
      const t = setInterval(() => got.length && (clearInterval(t), resolve()), 5)
    })
    expect(got.join('')).to.equal('ping')
    s.write('hello ')
    let closed = false
    const onClose = new Promise<void>(resolve => s.onClose(() => ((closed = true), resolve())))
    s.end('bye')
    await onClose
    expect(closed).to.equal(true)
    expect(got.join('')).to.equal('pingack')
    expect(clientText).to.equal('hello bye')
    server.close()
    expect(() => uv.listenUnix(path.join(dir, 'nodir', 'sock'), () => {})).to.throw(/^listen E[A-Z]+: .+ \/.*nodir\/sock$/)
  })
})

describe('conmon/uv.cts under Node\'s deprecation flags', () => {
  for (const flags of [['--pending-deprecation'], ['--no-deprecation'], ['--throw-deprecation', '--pending-deprecation']]) {
    it(`loads and spawns quietly with ${flags.join(' ')}`, () => {
      const entry = path.join(path.dirname(new URL(import.meta.url).pathname), '../../dist/conmon/uv.cjs')
      const r = cpSpawnSync(process.execPath, [...flags, '-e', `require(${JSON.stringify(entry)}).spawnSync('true', [], {stdio: ['ignore'], env: process.env})`], {encoding: 'utf8', env: {PATH: process.env.PATH}})
      expect(r.stderr).to.equal('')
      expect(r.status).to.equal(0)
    })
  }
})
