// Parsers and printers of events, info, df and the global flags.
import {expect} from 'chai'
import {eventFilter} from '../../src/libpod/events/filter.js'
import {eventsLogPath, eventTime, tmpDirOf} from '../../src/libpod/events/log.js'
import {eventMillis} from '../../src/libpod/events/read.js'
import {goTimeOf, humanReadable, templateData} from '../../src/libpod/events/format.js'
import type {EngineEvent} from '../../src/libpod/events/types.js'
import {infoTemplateData, uptimeText} from '../../src/libpod/system/info.js'
import {dfSize, reclaimable} from '../../src/cli/df-format.js'
import {withGoAliases} from '../../src/cli/output.js'
import {hookMatches} from '../../src/libpod/spec/hooks.js'
import {liftGlobalFlags, GLOBALS_ENV} from '../../src/cli/argv.js'
import {compileTemplate} from '../../src/libpod/format/template.js'

const ctr: EngineEvent = {ID: 'abcdef0123456789'.repeat(4), Image: 'localhost/bb:latest', Name: 'web', Status: 'died', Time: '2026-12-06T19:38:54.0973581Z', Type: 'container', PodID: 'p0d', ContainerExitCode: 3, Attributes: {team: 'blue'}}
const vol: EngineEvent = {Name: 'data', Status: 'create', Time: '2026-12-06T19:38:55Z', Type: 'volume', Attributes: null}
const img: EngineEvent = {ID: 'f'.repeat(64), Name: 'localhost/bb:latest', Status: 'tag', Time: '2026-12-06T19:38:56.5Z', Type: 'image', Attributes: null}

describe('events', () => {
  it('times: Go\'s RFC 3339 with nanoseconds, and its String() form', () => {
    expect(eventTime(Date.UTC(2026, 11, 6, 19, 38, 54, 97), 358100n)).to.equal('2026-12-06T19:38:54.0973581Z')
    expect(eventTime(Date.UTC(2026, 11, 6, 19, 38, 54, 0), 0n)).to.equal('2026-12-06T19:38:54Z')
    expect(goTimeOf('2026-12-06T19:38:54.0973581Z')).to.equal('2026-12-06 19:38:54.0973581 +0000 UTC')
    expect(goTimeOf('2026-12-06T19:38:55Z')).to.equal('2026-12-06 19:38:55 +0000 UTC')
    expect(eventMillis('2026-12-06T19:38:54.0973581Z')).to.be.closeTo(Date.UTC(2026, 11, 6, 19, 38, 54, 97) + 0.3581, 1e-3)
  })

  it('prints Podman\'s human-readable lines by type', () => {
    expect(humanReadable(ctr, true)).to.equal('2026-12-06 19:38:54.0973581 +0000 UTC container died abcdef012345 (image=localhost/bb:latest, name=web, pod_id=p0d, team=blue)')
    expect(humanReadable(vol, true)).to.equal('2026-12-06 19:38:55 +0000 UTC volume create data')
    expect(humanReadable(img, false)).to.equal(`2026-12-06 19:38:56.5 +0000 UTC image tag ${'f'.repeat(64)} localhost/bb:latest`)
    expect(humanReadable({Name: '', Status: 'renumber', Time: '2026-12-06T19:38:55Z', Type: 'system', Attributes: null}, true)).to.equal('2026-12-06 19:38:55 +0000 UTC system renumber')
  })

  it('templates see every field of Podman\'s Event', () => {
    const t = compileTemplate('{{.Status}} {{.ContainerExitCode}} {{.PodID}} {{index .Attributes "team"}} {{.Network}}|')
    expect(t.execute(templateData(ctr, false))).to.equal('died 3 p0d blue |')
    expect(() => compileTemplate('{{.Nope}}').execute(templateData(ctr, false))).to.throw(/can't evaluate field Nope/)
  })

  it('filters: same key ORed, different keys ANDed; container by name or ID prefix; label; die for died', () => {
    expect(eventFilter(['container=web'])(ctr)).to.equal(true)
    expect(eventFilter(['container=abcdef'])(ctr)).to.equal(true)
    expect(eventFilter(['container=other'])(ctr)).to.equal(false)
    expect(eventFilter(['event=create', 'event=died'])(ctr)).to.equal(true)
    expect(eventFilter(['event=die'])(ctr)).to.equal(true)
    expect(eventFilter(['type=container', 'event=create'])(ctr)).to.equal(false)
    expect(eventFilter(['label=team=blue'])(ctr)).to.equal(true)
    expect(eventFilter(['label=team'])(ctr)).to.equal(true)
    expect(eventFilter(['label=team=red'])(ctr)).to.equal(false)
    expect(eventFilter(['volume=da'])(vol)).to.equal(true)
    expect(eventFilter(['image=localhost/bb:latest'])(img)).to.equal(true)
    expect(eventFilter(['image=ffff'])(img)).to.equal(true)
    expect(eventFilter(['pod=web'])(ctr)).to.equal(false)
    expect(() => eventFilter(['colour=red'])).to.throw('colour is an invalid filter')
    expect(() => eventFilter(['container'])).to.throw(/invalid filter/)
  })

  it('the log lives where Podman keeps it: tmp_dir/events/events.log, or events_logfile_path', () => {
    expect(eventsLogPath({rootless: false, engine: {}})).to.equal('/run/libpod/events/events.log')
    expect(eventsLogPath({rootless: false, tmpDir: '/x', engine: {tmp_dir: '/y'}})).to.equal('/x/events/events.log')
    expect(eventsLogPath({rootless: false, engine: {tmp_dir: '/y'}})).to.equal('/y/events/events.log')
    expect(eventsLogPath({rootless: true, engine: {events_logfile_path: '/z/e.log'}})).to.equal('/z/e.log')
    const saved = process.env.XDG_RUNTIME_DIR
    process.env.XDG_RUNTIME_DIR = '/run/user/1001'
    try {
      expect(tmpDirOf({rootless: true, engine: {}})).to.equal('/run/user/1001/libpod/tmp')
    } finally {
      if (saved === undefined) delete process.env.XDG_RUNTIME_DIR
      else process.env.XDG_RUNTIME_DIR = saved
    }
  })
})

describe('info, df and templates', () => {
  it('info\'s template view uses Go field names and keeps maps', () => {
    const d = infoTemplateData({host: {ociRuntime: {name: 'runc'}, idMappings: {uidmap: null, gidmap: [{container_id: 0, host_id: 1001, size: 1}]}, security: {rootless: true, seccompEnabled: true, capabilities: 'CAP_KILL'}, cgroupVersion: 'v1', cpus: 2},
      store: {graphStatus: {'Supports d_type': 'true'}, imageStore: {number: 3}}, version: {Version: '1'}})
    const t = (s: string) => compileTemplate(s).execute(d)
    expect(t('{{.Host.OCIRuntime.Name}} {{.Host.CgroupsVersion}} {{.Host.CPUs}} {{.Host.Security.SECCOMPEnabled}} {{.Host.Security.DefaultCapabilities}}')).to.equal('runc v1 2 true CAP_KILL')
    expect(t('{{.Host.IDMappings.UIDMap}} {{range .Host.IDMappings.GIDMap}}{{.HostID}}{{end}}')).to.equal('[] 1001')
    expect(t('{{index .Store.GraphStatus "Supports d_type"}} {{.Store.ImageStore.Number}} {{.Version.Version}}')).to.equal('true 3 1')
  })

  it('uptime as Podman prints it', () => {
    expect(uptimeText(51084)).to.equal('14h 11m 24.00s (Approximately 0.59 days)')
  })

  it('df sizes: four digits, no space; reclaimable with its share', () => {
    expect(dfSize(0)).to.equal('0B')
    expect(dfSize(1998000)).to.equal('1.998MB')
    expect(dfSize(702600)).to.equal('702.6kB')
    expect(reclaimable(2700000, 2700000)).to.equal('2.7MB (100%)')
    expect(reclaimable(0, 0)).to.equal('0B (0%)')
  })

  it('{{.ID}} and {{.Id}} both work on inspect data; JSON is unchanged', () => {
    const o = withGoAliases({Id: 'abc', Name: 'x'})
    expect(compileTemplate('{{.ID}} {{.Id}}').execute(o)).to.equal('abc abc')
    expect(JSON.stringify(o)).to.equal('{"Id":"abc","Name":"x"}')
  })
})

describe('OCI hooks: when a hook applies', () => {
  const c = {annotations: {'io.x': 'yes'}, command: ['/bin/sh'], hasBindMounts: false}
  it('always, annotations, commands and bind mounts (any one is enough)', () => {
    expect(hookMatches({always: true}, c)).to.equal(true)
    expect(hookMatches({annotations: {'^io\\.x$': '^y'}}, c)).to.equal(true)
    expect(hookMatches({annotations: {'^io\\.x$': '^n'}}, c)).to.equal(false)
    expect(hookMatches({commands: ['sh$']}, c)).to.equal(true)
    expect(hookMatches({commands: ['^/bin/bash$']}, c)).to.equal(false)
    expect(hookMatches({hasBindMounts: true}, c)).to.equal(false)
    expect(hookMatches({hasBindMounts: true}, {...c, hasBindMounts: true})).to.equal(true)
  })
})

describe('global flags before the command', () => {
  it('lifts the new value, list and boolean flags', () => {
    const saved = process.env[GLOBALS_ENV]
    delete process.env[GLOBALS_ENV]
    try {
      const rest = liftGlobalFlags(['--tmpdir', '/t', '--runtime-flag', 'debug', '--runtime-flag=log-format=json', '--hooks-dir', '/h', '--noout', '--volumepath=/v', 'ps', '-a'])
      expect(rest).to.deep.equal(['ps', '-a'])
      expect(JSON.parse(process.env[GLOBALS_ENV]!)).to.deep.equal({tmpdir: '/t', 'runtime-flag': ['debug', 'log-format=json'], 'hooks-dir': ['/h'], noout: true, volumepath: '/v'})
    } finally {
      if (saved === undefined) delete process.env[GLOBALS_ENV]
      else process.env[GLOBALS_ENV] = saved
    }
  })
})
