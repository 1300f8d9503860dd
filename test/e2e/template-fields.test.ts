// Template fields Podman 4.3.1 offers (and its completion lists) that gave
// `<no value>` here: images {{.IsDangling}} {{.IsReadOnly}} {{.ParentId}}
// {{.RepoTags}}, pod ps {{.InfraId}}, history {{.CreatedSince}} (and its
// --human=false times, which carried milliseconds Podman does not print). The values
// are Podman's for the same store.
import {expect} from 'chai'
import {Env, unavailable} from './helpers.js'
import {busyboxTar} from './fixtures.js'

describe('template fields as Podman names them (root)', function () {
  let env: Env

  before(function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
    env.ok(['import', busyboxTar(), 'bb'])
  })
  after(() => {
    env?.removeContainers()
    env?.cleanup()
  })

  it('images: IsDangling, IsReadOnly, ParentId, RepoTags', () => {
    expect(env.ok(['images', '--format', '{{.IsDangling}}|{{.IsReadOnly}}|{{.ParentId}}|{{.RepoTags}}']).trim()).to.equal('false|false||[localhost/bb:latest]')
    // The JSON form is Podman's ImageSummary: no template-only names in it.
    expect(env.ok(['images', '--format', 'json'])).not.to.match(/IsDangling|IsReadOnly/)
  })

  it('pod ps: InfraId is the infra container\'s short ID', () => {
    env.ok(['pod', 'create', '--name', 'p'])
    const infra = env.ok(['pod', 'inspect', 'p', '--format', '{{.InfraContainerID}}']).trim()
    expect(env.ok(['pod', 'ps', '--format', '{{.InfraId}}']).trim()).to.equal(infra.slice(0, 12))
    env.ok(['pod', 'rm', '-f', 'p'])
  })

  it('history: CreatedSince is Created (a human age; with --human=false the time in whole seconds)', () => {
    expect(env.ok(['history', 'bb', '--format', '{{.CreatedSince}}|{{.Created}}']).trim()).to.match(/^(.+ ago)\|\1$/)
    expect(env.ok(['history', '--human=false', 'bb', '--format', '{{.CreatedSince}}|{{.Created}}']).trim())
      .to.match(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\|\1$/)
  })
})
