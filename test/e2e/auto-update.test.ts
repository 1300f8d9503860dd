// `auto-update` without systemd as PID 1: which containers it looks at, the
// local policy, --dry-run, --format, its errors, and the rollback when the
// unit cannot be restarted (here systemctl cannot reach a systemd). The
// restart under a real systemd is in systemd-pid1.test.ts.
import {expect} from 'chai'
import {busyboxEnvs} from './fixtures.js'
import type {Env} from './helpers.js'
import {writeFileSync} from 'node:fs'
import {RegistryServer} from './registry-server.js'

describe('auto-update', function () {
  const envs = busyboxEnvs()

  for (const mode of ['root', 'rootless'] as const) {
    describe(mode, () => {
      let env: Env
      before(function () {
        const e = envs.get(mode)
        if (!e) this.skip()
        env = e.env
      })
      afterEach(() => {
        env?.run(['rm', '-af', '-t', '0'])
      })

      /** A running container under unit `unit` with `labels`, on image `image`. */
      const runUnder = (unit: string | undefined, labels: string[], image: string, name: string) =>
        env.run(['run', '-d', '--name', name, ...labels.flatMap(l => ['--label', l]), image, 'sleep', '1000'], {env: unit ? {PODMAN_SYSTEMD_UNIT: unit} : {}})

      it('looks only at running containers with a policy; --dry-run says pending once the local image changed; --format', () => {
        env.ok(['tag', 'bb', 'localhost/au1'])
        expect(runUnder('au1.service', ['io.containers.autoupdate=local'], 'localhost/au1', 'au1').code).to.equal(0)
        expect(runUnder('other.service', [], 'bb', 'plain').code).to.equal(0)
        env.ok(['create', '--name', 'stopped', '--label', 'io.containers.autoupdate=local', 'bb', 'true'])
        const id = env.ok(['inspect', '--format', '{{.Id}}', 'au1']).trim()
        expect(env.ok(['auto-update', '--dry-run'])).to.equal(
          'UNIT         CONTAINER           IMAGE                 POLICY      UPDATED\n' +
          `au1.service  ${id.slice(0, 12)} (au1)  localhost/au1:latest  local       false\n`)
        // nothing changed: a real run restarts nothing
        expect(env.ok(['auto-update', '--format', '{{.Updated}}'])).to.equal('false\n')
        // a new image under the name
        env.ok(['commit', '-q', '--change', 'LABEL v=2', 'au1', 'localhost/au1'])
        expect(env.ok(['auto-update', '--dry-run', '--format', '{{.Unit}} {{.ContainerName}} {{.ContainerID}} {{.Image}} {{.Policy}} {{.Updated}}']))
          .to.equal(`au1.service au1 ${id} localhost/au1:latest local pending\n`)
        const json = JSON.parse(env.ok(['auto-update', '--dry-run', '--format', 'json'])) as Array<Record<string, string>>
        expect(json).to.deep.equal([{Unit: 'au1.service', Container: `${id.slice(0, 12)} (au1)`, ContainerID: id, ContainerName: 'au1', Image: 'localhost/au1:latest', Policy: 'local', Updated: 'pending'}])
        env.ok(['rmi', '-f', 'localhost/au1'])
      })

      it('a failed restart rolls the image name back (--rollback, the default) or leaves it (--rollback=false); exit 125', () => {
        env.ok(['tag', 'bb', 'localhost/au2'])
        expect(runUnder('au2.service', ['io.containers.autoupdate=local'], 'localhost/au2', 'au2').code).to.equal(0)
        const old = env.ok(['inspect', '--format', '{{.Id}}', 'localhost/au2']).trim()
        const fresh = env.ok(['commit', '-q', '--change', 'LABEL v=2', 'au2', 'localhost/au2']).trim()
        expect(fresh).to.not.include(old)
        // no systemd here: systemctl restart fails, then the rollback's restart fails too
        let r = env.run(['auto-update', '--rollback=false', '--format', '{{.Unit}} {{.Updated}}'])
        expect(r.code).to.equal(125)
        expect(r.stdout).to.equal('au2.service failed\n')
        expect(r.stderr).to.match(/^Error: restarting unit au2.service for container [0-9a-f]{64}: restarting unit au2.service: /)
        expect(env.ok(['inspect', '--format', '{{.Id}}', 'localhost/au2']).trim()).to.not.equal(old)
        r = env.run(['auto-update', '--format', '{{.Unit}} {{.Updated}}'])
        expect(r.code).to.equal(125)
        expect(r.stdout).to.equal('au2.service failed\n')
        expect(r.stderr).to.match(/during rollback: restarting unit au2.service: /)
        // the rollback gave the name back to the image the container runs
        expect(env.ok(['inspect', '--format', '{{.Id}}', 'localhost/au2']).trim()).to.equal(old)
      })

      it('Podman\'s errors: a bad policy, no unit label; the others are still reported', () => {
        expect(runUnder('x.service', ['io.containers.autoupdate=sometimes'], 'bb', 'bad').code).to.equal(0)
        expect(runUnder(undefined, ['io.containers.autoupdate=local'], 'bb', 'nounit').code).to.equal(0)
        expect(runUnder('ok.service', ['io.containers.autoupdate=local'], 'bb', 'good').code).to.equal(0)
        expect(runUnder('off.service', ['io.containers.autoupdate=disabled'], 'bb', 'off').code).to.equal(0)
        const nounit = env.ok(['inspect', '--format', '{{.Id}}', 'nounit']).trim()
        const r = env.run(['auto-update', '--dry-run', '--format', '{{.Unit}} {{.Updated}}'])
        expect(r.code).to.equal(125)
        expect(r.stdout).to.equal('ok.service false\n')
        const lines = r.stderr.split('\n')
        expect(lines[0]).to.equal('Error: 2 errors occurred:')
        expect(lines.slice(1).sort()).to.deep.equal([
          '',
          `\t* auto-updating container "${nounit}": no PODMAN_SYSTEMD_UNIT label found`,
          '\t* invalid auto-update policy "sometimes": valid policies are ["disabled" "image" "local" "registry"]',
        ])
      })
    })
  }

  it('root: the registry policy compares the registry\'s digest, pulls the new image, and rolls back when the unit cannot restart', async function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const env = e.env
    const reg = await RegistryServer.start()
    try {
      const conf = env.file('registries.conf')
      writeFileSync(conf, `[[registry]]\nlocation = "${reg.host}"\ninsecure = true\n`)
      const vars = {CONTAINERS_REGISTRIES_CONF: conf, PODMAN_SYSTEMD_UNIT: 'reg.service'}
      const ok = (args: string[]) => {
        const r = env.run(args, {env: vars})
        if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`)
        return r.stdout
      }
      const ref = `${reg.host}/au:latest`
      ok(['push', '-q', 'bb', ref])
      ok(['pull', '-q', ref])
      ok(['run', '-d', '--name', 'regc', '--label', 'io.containers.autoupdate=registry', ref, 'sleep', '1000'])
      expect(ok(['auto-update', '--dry-run', '--format', '{{.Unit}} {{.Image}} {{.Policy}} {{.Updated}}'])).to.equal(`reg.service ${ref} registry false\n`)
      // a new image behind the tag
      ok(['commit', '-q', '--change', 'LABEL v=2', 'regc', 'localhost/v2'])
      ok(['push', '-q', 'localhost/v2', ref])
      const old = ok(['inspect', '--format', '{{.Id}}', ref]).trim()
      expect(ok(['auto-update', '--dry-run', '--format', '{{.Updated}}'])).to.equal('pending\n')
      // pulled; no systemd here, so the restart fails and the rollback gives the tag back to the old image
      const r = env.run(['auto-update', '--format', '{{.Updated}}'], {env: vars})
      expect(r.stdout).to.equal('failed\n')
      expect(r.stderr).to.match(/during rollback/)
      expect(ok(['inspect', '--format', '{{.Id}}', ref]).trim()).to.equal(old)
      const v2 = ok(['inspect', '--format', '{{.Id}}', 'localhost/v2']).trim()
      expect(ok(['images', '-q', '--no-trunc'])).to.include(v2)
      env.run(['rm', '-f', '-t', '0', 'regc'])
    } finally {
      await reg.stop()
    }
  })
})
