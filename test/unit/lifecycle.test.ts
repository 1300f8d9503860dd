// The lifecycle/environment flags → typed spec, their checks, the restart
// policy's verdict, and the secret store as a library (no root needed).
import {expect} from 'chai'
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parseRestartFlag, parseSecretFlag, parseSysctlFlags, toLifecycleSpec} from '../../src/cli/lifecycle-spec.js'
import {shouldRestart} from '../../src/libpod/container/life.js'
import type {ContainerConfig, ContainerState} from '../../src/libpod/container/types.js'
import {InvalidArgument, NoSuchSecret, SecretExists} from '../../src/libpod/define/errors.js'
import {Secrets} from '../../src/libpod/secret/secrets.js'
import {validateLifecycle} from '../../src/libpod/specgen/lifecycle.js'

describe('lifecycle flags', () => {
  it('--secret: name alone, options, env type', () => {
    expect(parseSecretFlag('pw')).to.deep.equal({source: 'pw', type: 'mount'})
    expect(parseSecretFlag('pw,target=/etc/k,uid=5,gid=6,mode=0400')).to.deep.equal({source: 'pw', type: 'mount', target: '/etc/k', uid: 5, gid: 6, mode: 0o400})
    expect(parseSecretFlag('source=pw,type=env,target=X')).to.deep.equal({source: 'pw', type: 'env', target: 'X'})
    expect(() => parseSecretFlag('pw,type=foo')).to.throw(InvalidArgument, 'type foo is invalid: parsing secret')
    expect(() => parseSecretFlag('pw,mode=9')).to.throw(InvalidArgument, 'mode 9 invalid: parsing secret')
    expect(() => parseSecretFlag('type=env,target=x')).to.throw(InvalidArgument, 'no source found')
  })

  it('--restart: policies and retry counts as Podman parses them', () => {
    expect(parseRestartFlag('always')).to.deep.equal({name: 'always'})
    expect(parseRestartFlag('on-failure:3')).to.deep.equal({name: 'on-failure', maxRetries: 3})
    expect(() => parseRestartFlag('on-failure:x')).to.throw(InvalidArgument, 'strconv.Atoi')
    expect(() => parseRestartFlag('always:1')).to.throw(InvalidArgument, 'only be specified with on-failure')
    expect(() => validateLifecycle({restartPolicy: {name: 'bogus' as never}})).to.throw(InvalidArgument, '"bogus" is not a valid restart policy')
    expect(() => validateLifecycle({restartPolicy: {name: 'always'}, remove: true})).to.throw(InvalidArgument, 'conflicts with --restart')
    expect(() => validateLifecycle({restartPolicy: {name: 'on-failure'}, remove: true})).to.not.throw()
  })

  it('--sysctl and the rest of the flags into the typed spec', () => {
    expect(parseSysctlFlags(['net.ipv4.ip_forward=1', 'kernel.msgmax=8192'])).to.deep.equal({'net.ipv4.ip_forward': '1', 'kernel.msgmax': '8192'})
    expect(() => validateLifecycle({sysctl: {'kernel.hostname': 'x'}})).to.throw(InvalidArgument, "sysctl 'kernel.hostname' is not allowed")
    expect(toLifecycleSpec({timeout: '5', 'unsetenv-all': true, unsetenv: ['PATH'], tz: 'UTC', 'http-proxy': false, requires: ['a,b']})).to.deep.equal(
      {timeout: 5, unsetEnvAll: true, unsetEnv: ['PATH'], timezone: 'UTC', httpProxy: false, requires: ['a', 'b']})
    expect(toLifecycleSpec({timeout: '0', 'http-proxy': true, 'read-only-tmpfs': true})).to.deep.equal({})
  })

  it('the restart policy\'s verdict', () => {
    const config = (name: string, maxRetries?: number) => ({life: {restartPolicy: {name, maxRetries}}}) as unknown as ContainerConfig
    const state = (exitCode: number, restartCount = 0, stoppedByUser = false): ContainerState => ({status: 'exited', exitCode, restartCount, stoppedByUser})
    expect(shouldRestart(config('always'), state(0))).to.equal(true)
    expect(shouldRestart(config('always'), state(0, 0, true))).to.equal(false)
    expect(shouldRestart(config('on-failure'), state(0))).to.equal(false)
    expect(shouldRestart(config('on-failure', 2), state(1, 1))).to.equal(true)
    expect(shouldRestart(config('on-failure', 2), state(1, 2))).to.equal(false)
    expect(shouldRestart(config('no'), state(1))).to.equal(false)
    expect(shouldRestart({} as ContainerConfig, state(1))).to.equal(false)
  })
})

describe('Secrets (library)', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-secrets-')) })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('create, list, lookup by name/ID/prefix, read, remove', async () => {
    const s = new Secrets(dir)
    const a = await s.create('db-pass', Buffer.from('hunter2'), {labels: {app: 'x'}})
    expect(a.id).to.match(/^[0-9a-f]{25}$/)
    expect(statSync(path.join(dir, 'secrets/filedriver/secretsdata.json')).mode & 0o777).to.equal(0o600)
    expect(s.lookup('db-pass').id).to.equal(a.id)
    expect(s.lookup(a.id.slice(0, 5)).name).to.equal('db-pass')
    expect(s.read('db-pass').toString()).to.equal('hunter2')
    expect(s.inspect('db-pass').Spec.Labels).to.deep.equal({app: 'x'})
    await s.create('other', Buffer.from([0, 1, 2]))
    expect(s.list().map(x => x.name)).to.deep.equal(['db-pass', 'other'])
    expect(s.read('other')).to.deep.equal(Buffer.from([0, 1, 2]))
    try {
      await s.create('db-pass', Buffer.from('x'))
      expect.fail('created twice')
    } catch (e) {
      expect(e).to.be.instanceOf(SecretExists)
    }
    expect(await s.remove('db-pass')).to.equal(a.id)
    expect(() => s.lookup('db-pass')).to.throw(NoSuchSecret, 'no secret with name or id "db-pass": no such secret')
    expect(s.exists('other')).to.equal(true)
  })
})
