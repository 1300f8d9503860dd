// A command the build's index names runs directly (src/cli/direct.ts, on the
// light half of oclif: src/cli/oclif-bundles.ts); PEAPOD_OCLIF_DISPATCH=1
// sends the same command line through oclif's execute() (the full bundle,
// Config.load). Issue 16: the two must give the same stdout, stderr and exit
// code, for answers and for errors (bad flags, bad values, missing and extra
// arguments, engine errors).
import {expect} from 'chai'
import {Env, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

// A listing's relative times may tick between the two runs ("9 seconds ago",
// then "10 seconds ago"), and a table's column widths with them.
const norm = (s: string) => s.replace(/(About an? \w+|Less than a second|\d+ \w+) ago/g, 'X ago').replace(/Up (About an? \w+|Less than a second|\d+ \w+)/g, 'Up X').replace(/ {2,}/g, '  ')

const LINES: string[][] = [
  ['version'], ['version', '--format', '{{.Client.Version}}'], ['version', '--bogus'], ['version', 'extra'], ['version', '-f'],
  ['ps'], ['ps', '-a'], ['ps', '-aq'], ['ps', '-a', '--format', '{{.Names}} {{.Image}} {{.Command}}'], ['ps', '--format'],
  ['ps', '-a', '--no-trunc', '--format', '{{.ID}}'], ['ps', '-n'], ['ps', '--last', 'x'], ['ps', 'extra'], ['ps', '--filter', 'bogus=1'],
  ['ps', '-a', '--sort', 'bogus'], ['ps', '--no-such-flag'], ['ps', '-Z'], ['container', 'ls', '-a', '--format', 'json'], ['container', 'list', '--all', '-q'],
  ['images'], ['images', '-q'], ['images', '--format', '{{.Repository}}:{{.Tag}}'], ['images', '--filter', 'bogus=1'], ['image', 'ls', '--noheading'],
  ['inspect', 'c1'], ['inspect', 'nosuch'], ['inspect'], ['inspect', '--type', 'container', '--format', '{{.Name}}', 'c1'], ['inspect', '--type', 'bogus', 'c1'],
  ['inspect', '-f', '{{.State.Status}}', 'c1', 'nosuch'], ['container', 'inspect', '--size', 'c1', '--format', '{{.Name}}'],
  ['pod', 'ps'], ['pod', 'ps', '--format', '{{.Name}}'], ['pod', 'ps', '--filter', 'bogus'], ['pod', 'inspect', 'p1', '--format', '{{.Name}}'],
  ['volume', 'ls'], ['volume', 'ls', '-q'], ['volume', 'ls', '--filter', 'name=v1'], ['volume', 'ls', 'extra'], ['volume', 'inspect', 'v1', 'nosuch'],
  ['port', 'c1'], ['port', 'c1', '80'], ['port', 'nosuch'], ['port'], ['port', '-a', 'c1'],
  ['top', 'c1'], ['top', 'nosuch'], ['top'],
  ['container', 'exists', 'c1'], ['container', 'exists', 'nosuch'], ['network', 'ls'], ['secret', 'ls'],
  ['rm', 'nosuch'], ['create', '--bogus', 'bb'], ['create', '--cpus=x', 'bb', 'true'], ['run'], ['stop', '--time', 'x', 'c1'],
  ['kill', '-s', 'BOGUS', 'nosuch'], ['logs', '--tail', 'x', 'c1'], ['pod', 'create', '--bogus'], ['volume', 'create', '--bogus'],
  ['run', '--pull', 'bogus', 'bb', 'true'], ['create', '--restart', 'bogus', 'bb'], ['ps', '--', '-a'],
]

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`direct dispatch gives what oclif's dispatch gives (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
      env.ok(['create', '--name', 'c1', '-p', '18093:80', 'bb', 'true'])
      env.ok(['pod', 'create', '--name', 'p1', '--infra=false'])
      env.ok(['volume', 'create', 'v1'])
    })
    after(() => {
      env?.removeContainers()
      env?.cleanup()
    })

    it('the same stdout, stderr and exit code for each command line', function () {
      // ~130 command lines, each run twice (one through oclif's full load): slow on a busy machine.
      this.timeout(600_000)
      const lines = mode === 'root' ? LINES : LINES.filter(l => ['version', 'ps', 'images', 'volume', 'pod', 'inspect'].includes(l[0]))
      for (const args of lines) {
        const direct = env.run(args)
        const oclif = env.run(args, {env: {PEAPOD_OCLIF_DISPATCH: '1'}})
        const what = `peapod ${args.join(' ')}`
        expect(direct.code, `${what}: ${direct.stderr}`).to.equal(oclif.code)
        expect(norm(direct.stdout), what).to.equal(norm(oclif.stdout))
        expect(direct.stderr, what).to.equal(oclif.stderr)
      }
    })

    it('a missing argument is never read from piped stdin (Podman does not read it)', () => {
      for (const [args, msg] of [[['inspect'], /^Error: no names or ids specified$/m], [['logs'], /^Error: /m], [['images'], /^REPOSITORY/]] as [string[], RegExp][]) {
        const piped = env.run(args, {input: 'c1\n'})
        const plain = env.run(args)
        expect(piped.code, args.join(' ')).to.equal(plain.code)
        expect(piped.stdout + piped.stderr, args.join(' ')).to.match(msg)
        expect(piped.stderr, args.join(' ')).to.equal(plain.stderr)
      }
    })
  })
}
