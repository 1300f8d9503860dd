// `inspect` of any object, as Podman's: a name is looked up as a container,
// an image, a volume, a network and a pod in turn (Podman 4.3.1 skips
// networks there, a gap later Podman closed); --type narrows it with each
// kind's own message for a missing name; --latest takes the latest container.
import {expect} from 'chai'
import {Env, type Mode} from './helpers.js'
import {busyboxEnv} from './fixtures.js'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`inspect of any object (${mode})`, function () {
    let env: Env
    busyboxEnv(mode, e => { env = e })

    it('finds containers, images, volumes, networks and pods; each renders as its own inspect', () => {
      env.ok(['create', '--name', 'ic', 'bb', 'true'])
      env.ok(['volume', 'create', 'iv'])
      env.ok(['network', 'create', 'in'])
      env.ok(['pod', 'create', '--name', 'ip', '--infra=false'])
      const docs = JSON.parse(env.ok(['inspect', 'ic', 'bb', 'iv', 'in', 'ip']))
      expect(docs).to.have.length(5)
      expect(docs[0].Name).to.equal('ic')
      expect(docs[1].RepoTags).to.deep.equal(['localhost/bb:latest'])
      expect(docs[2]).to.deep.equal(JSON.parse(env.ok(['volume', 'inspect', 'iv']))[0])
      expect(docs[3]).to.deep.equal(JSON.parse(env.ok(['network', 'inspect', 'in']))[0])
      expect(docs[4]).to.deep.equal(JSON.parse(env.ok(['pod', 'inspect', 'ip'])))
      expect(env.ok(['inspect', '--format', '{{.Name}}', 'iv', 'in', 'ip']).split('\n')).to.deep.equal(['iv', 'in', 'ip', ''])
      expect(env.ok(['inspect', '--type', 'volume', '--format', '{{.Mountpoint}}', 'iv']).trim()).to.equal(JSON.parse(env.ok(['volume', 'inspect', 'iv']))[0].Mountpoint)
      // a container comes first: a volume of the same name is found only with --type volume
      env.ok(['volume', 'create', 'ic'])
      expect(env.ok(['inspect', '--format', '{{.Driver}}', 'ic']).trim()).to.not.equal('local')
      expect(env.ok(['inspect', '--type', 'volume', '--format', '{{.Driver}}', 'ic']).trim()).to.equal('local')
      env.ok(['volume', 'rm', 'iv', 'ic'])
      env.ok(['network', 'rm', 'in'])
      env.ok(['pod', 'rm', 'ip'])
      env.ok(['rm', 'ic'])
    })

    it('--type names the kind in the message for a missing name, after printing what it found', () => {
      env.ok(['volume', 'create', 'mv'])
      const cases: Array<[string, string]> = [
        ['container', 'no such container zz'],
        ['image', 'zz: image not known'],
        ['volume', 'no such volume zz'],
        ['network', 'network zz: unable to find network with name or ID zz: network not found'],
        ['pod', 'no such pod zz'],
        ['all', 'no such object: "zz"'],
      ]
      for (const [type, msg] of cases) {
        const r = env.run(['inspect', '--type', type, 'zz'])
        expect(r, type).to.include({code: 125, stdout: '[]\n', stderr: `Error: inspecting object: ${msg}\n`})
      }
      const r = env.run(['inspect', '--type', 'volume', '--format', '{{.Name}}', 'mv', 'zz'])
      expect(r).to.include({code: 125, stdout: 'mv\n'})
      expect(env.run(['inspect', '--type', 'pod', 'mv']).stderr).to.equal('Error: inspecting object: no such pod mv\n')
      env.ok(['volume', 'rm', 'mv'])
    })

    it('--latest inspects the latest container; refuses names, other types, and an empty store', () => {
      expect(env.run(['inspect', '-l'])).to.include({code: 125, stderr: 'Error: inspecting object: no containers to inspect: no such container\n'})
      env.ok(['create', '--name', 'l1', 'bb', 'true'])
      env.ok(['create', '--name', 'l2', 'bb', 'true'])
      expect(env.ok(['inspect', '-l', '--format', '{{.Name}}']).trim()).to.equal('l2')
      expect(env.ok(['inspect', '--latest', '--type', 'container', '--format', '{{.Name}}']).trim()).to.equal('l2')
      expect(env.run(['inspect', '-l', 'l1'])).to.include({code: 125, stderr: 'Error: --latest and arguments cannot be used together\n'})
      expect(env.run(['inspect', '-l', '--type', 'image'])).to.include({code: 125, stderr: 'Error: latest is not supported for type "image"\n'})
      env.ok(['rm', 'l1', 'l2'])
    })
  })
}
