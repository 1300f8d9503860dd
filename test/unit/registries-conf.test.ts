// config/registries.ts: which registries.conf files are read, in Podman's
// order, and how later files override earlier ones.
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {loadRegistriesConf, registriesConfSource, searchRegistriesOf} from '../../src/libpod/config/registries.js'
import {RegistriesConf} from '../../src/libpod/image/registry/config.js'

describe('config/registries: registries.conf precedence', () => {
  let tmp: string, user: string, sys: string, share: string
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, text)
  }
  const search = (dirs: string[], opts: {rootless?: boolean; env?: NodeJS.ProcessEnv}) =>
    searchRegistriesOf(loadRegistriesConf(dirs, opts).tables)

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-regconf-'))
    user = path.join(tmp, 'user/containers')
    sys = path.join(tmp, 'etc/containers')
    share = path.join(tmp, 'usr/share/containers')
    for (const d of [user, sys, share]) mkdirSync(d, {recursive: true})
  })
  afterEach(() => rmSync(tmp, {recursive: true, force: true}))

  it('system main file, then system and user drop-ins in lexical order, later keys winning', () => {
    write(path.join(sys, 'registries.conf'), 'unqualified-search-registries = ["sys.example"]\n')
    write(path.join(sys, 'registries.conf.d/20-b.conf'), 'unqualified-search-registries = ["b.example"]\n')
    write(path.join(sys, 'registries.conf.d/10-a.conf'), 'unqualified-search-registries = ["a.example"]\n')
    write(path.join(sys, 'registries.conf.d/notes.txt'), 'not toml [')
    write(path.join(user, 'registries.conf.d/05-user.conf'), '[aliases]\nfoo = "x.example/foo"\n')
    const src = registriesConfSource([user, sys, share], {rootless: true, env: {}})
    expect(src.mainFile).to.equal(path.join(sys, 'registries.conf'))
    expect(src.files).to.deep.equal([
      path.join(sys, 'registries.conf'),
      path.join(sys, 'registries.conf.d/10-a.conf'),
      path.join(sys, 'registries.conf.d/20-b.conf'),
      path.join(user, 'registries.conf.d/05-user.conf'),
    ])
    expect(search([user, sys, share], {rootless: true, env: {}})).to.deep.equal({registries: ['b.example'], origin: path.join(sys, 'registries.conf.d/20-b.conf')})
  })

  it('rootless: the user\'s registries.conf replaces the system\'s, its drop-ins too', () => {
    write(path.join(sys, 'registries.conf'), 'unqualified-search-registries = ["sys.example"]\n')
    write(path.join(sys, 'registries.conf.d/10-a.conf'), 'unqualified-search-registries = ["a.example"]\n')
    write(path.join(user, 'registries.conf'), 'unqualified-search-registries = ["user.example"]\n')
    const src = registriesConfSource([user, sys, share], {rootless: true, env: {}})
    expect(src.files).to.deep.equal([path.join(user, 'registries.conf')])
    expect(search([user, sys, share], {rootless: true, env: {}}).registries).to.deep.equal(['user.example'])
  })

  it('rootful: the first config dir is a system dir, not a user\'s', () => {
    write(path.join(sys, 'registries.conf'), 'unqualified-search-registries = ["sys.example"]\n')
    write(path.join(share, 'registries.conf'), 'unqualified-search-registries = ["share.example"]\n')
    expect(search([sys, share], {rootless: false, env: {}}).registries).to.deep.equal(['sys.example'])
    rmSync(path.join(sys, 'registries.conf'))
    expect(search([sys, share], {rootless: false, env: {}}).registries).to.deep.equal(['share.example'])
  })

  it('CONTAINERS_REGISTRIES_CONF names the main file; the drop-ins still apply', () => {
    const env = path.join(tmp, 'mine.conf')
    write(env, 'unqualified-search-registries = ["env.example"]\n[aliases]\nfoo = "env.example/foo"\n')
    write(path.join(user, 'registries.conf'), 'unqualified-search-registries = ["user.example"]\n')
    write(path.join(sys, 'registries.conf.d/10-a.conf'), '[aliases]\nfoo = "dropin.example/foo"\n')
    const src = registriesConfSource([user, sys, share], {rootless: true, env: {CONTAINERS_REGISTRIES_CONF: env}})
    expect(src.mainFile).to.equal(env)
    expect(src.files).to.deep.equal([env, path.join(sys, 'registries.conf.d/10-a.conf')])
    expect(search([user, sys, share], {rootless: true, env: {CONTAINERS_REGISTRIES_CONF: env}}).registries).to.deep.equal(['env.example'])
  })

  it('V1 [registries.search] counts as the search list', () => {
    write(path.join(sys, 'registries.conf'), '[registries.search]\nregistries = ["v1.example"]\n')
    expect(search([sys], {rootless: false, env: {}})).to.deep.equal({registries: ['v1.example'], origin: path.join(sys, 'registries.conf')})
  })

  it('names the system file in messages when there is none', () => {
    expect(registriesConfSource([user, sys, share], {rootless: true, env: {}})).to.deep.equal({mainFile: path.join(sys, 'registries.conf'), files: []})
  })

  it('RegistriesConf reads the same files: aliases and search registries agree with the loader', () => {
    const saved = process.env.CONTAINERS_REGISTRIES_CONF
    delete process.env.CONTAINERS_REGISTRIES_CONF
    try {
      write(path.join(sys, 'registries.conf'), 'unqualified-search-registries = ["sys.example"]\n[aliases]\nfoo = "sys.example/foo"\n')
      write(path.join(sys, 'registries.conf.d/10-a.conf'), 'unqualified-search-registries = ["a.example"]\n[aliases]\nfoo = "a.example/foo"\n')
      const conf = RegistriesConf.load([user, sys, share], true)
      expect(conf.searchRegistries).to.deep.equal(['a.example'])
      expect(conf.searchOrigin).to.equal(path.join(sys, 'registries.conf.d/10-a.conf'))
      expect(conf.aliases.get('foo')?.value).to.equal('a.example/foo')
      expect(conf.mainFile).to.equal(path.join(sys, 'registries.conf'))
    } finally {
      if (saved !== undefined) process.env.CONTAINERS_REGISTRIES_CONF = saved
    }
  })
})
