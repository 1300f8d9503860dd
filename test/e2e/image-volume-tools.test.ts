// The commands of issue 12's last part, checked against Podman 4.3.1 on this
// machine: image diff, image mount/unmount and volume mount/unmount (rootless
// only inside `unshare`), image tree, generate spec, container runlabel,
// image trust show/set, manifest annotate --os-features.
import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {spawnSync} from 'node:child_process'
import {BIN, expectError} from './helpers.js'
import {busyboxEnvs, busyboxTar} from './fixtures.js'

describe('image and volume tools', function () {
  const envs = busyboxEnvs()

  for (const mode of ['root', 'rootless'] as const) {
    describe(mode, function () {
      const e = () => {
        const x = envs.get(mode)
        if (!x) this.ctx.skip()
        return x!.env
      }
      before(function () {
        if (!envs.get(mode)) this.skip()
      })

      it('image diff lists the top layer\'s files, as text and json; errors as Podman', function () {
        const env = e()
        const text = env.ok(['image', 'diff', 'bb']).split('\n')
        expect(text).to.include.members(['A /bin', 'A /bin/busybox'])
        const json = JSON.parse(env.ok(['image', 'diff', '--format', 'json', 'bb']))
        expect(json.added).to.include('/bin/busybox')
        expectError(env.run(['image', 'diff', 'nosuch']), 125, /^Error: nosuch not found: nosuch: image not known$/)
        expectError(env.run(['image', 'diff']), 125, /^Error: accepts between 1 and 2 arg\(s\), received 0$/)
      })

      it('image mount/unmount: the image\'s files read-only, listed, unmounted; rootless only inside unshare', function () {
        const env = e()
        const id = env.ok(['image', 'inspect', '--format', '{{.Id}}', 'bb']).trim()
        const inNs = (args: string[]) => mode === 'root' ? env.run(args) : env.run(['unshare', process.execPath, BIN, '--root', env.root, '--runroot', env.runroot, ...args])
        if (mode === 'rootless') {
          expectError(env.run(['image', 'mount', 'bb']), 125, /^Error: cannot run command "peapod image mount" in rootless mode, must execute `peapod unshare` first$/)
          expectError(env.run(['volume', 'mount', 'x']), 125, /^Error: cannot run command "peapod volume mount" in rootless mode, must execute `peapod unshare` first$/)
        }
        const mnt = inNs(['image', 'mount', 'bb'])
        expect(mnt.code, mnt.stderr).to.equal(0)
        const dir = mnt.stdout.trim()
        expect(dir).to.match(/\/overlay\/[0-9a-f]{64}\/merged$/)
        // Inside the namespace the tree is there and read-only.
        const probe = mode === 'root'
          ? {ls: existsSync(path.join(dir, 'bin/busybox'))}
          : {ls: env.run(['unshare', 'test', '-f', path.join(dir, 'bin/busybox')]).code === 0}
        expect(probe.ls).to.equal(true)
        const touch = mode === 'root' ? env.run(['unshare', 'true']) : env.run(['unshare', 'touch', path.join(dir, 'new')])
        if (mode === 'rootless') expect(touch.stderr).to.match(/Read-only file system/)
        const list = inNs(['image', 'mount'])
        expect(list.stdout).to.match(new RegExp(`^localhost/bb:latest\\s+${dir.replace(/[/.]/g, '\\$&')}$`, 'm'))
        const json = JSON.parse(inNs(['image', 'mount', '--format', 'json']).stdout) as Array<{id: string; Repositories: string[]}>
        const mine = json.find(m => m.id === id)!
        expect(mine).to.include({id, mountpoint: dir})
        expect(mine.Repositories).to.deep.equal(['localhost/bb:latest'])
        expectError(inNs(['image', 'mount', '--format', '{{.ID}}']), 125, /^Error: unknown --format argument: "\{\{\.ID\}\}"$/)
        expectError(inNs(['image', 'mount', '-a', 'bb']), 125, /^Error: when using the --all switch, you may not pass any image names or IDs$/)
        expectError(inNs(['image', 'mount', 'nosuch']), 125, /^Error: nosuch: image not known$/)
        const un = inNs(['image', 'unmount', 'bb'])
        expect(un.stdout).to.equal(id + '\n')
        expect(inNs(['image', 'mount']).stdout).to.equal('')
        expectError(env.run(['image', 'unmount']), 125, /^Error: image name or ID must be specified$/)
        expectError(env.run(['image', 'unmount', 'nosuch']), 125, /^Error: nosuch: image not known$/)
      })

      it('image mount keeps a mount count on the top layer as Podman 4.3.1 (root: podman\'s own outputs compared): two mounts need two unmounts, or --force; --all takes one off each mounted image', function () {
        const env = e()
        const inNs = (args: string[]) => mode === 'root' ? env.run(args) : env.run(['unshare', process.execPath, BIN, '--root', env.root, '--runroot', env.runroot, ...args])
        // mc: a layer of this test's own; mc2 shares it (a label only), so they share one count
        const ctx = env.file('mc-ctx')
        mkdirSync(ctx, {recursive: true})
        writeFileSync(path.join(ctx, 'f'), `mount count ${mode}\n`)
        writeFileSync(path.join(ctx, 'Containerfile'), 'FROM localhost/bb\nCOPY f /mc\n')
        writeFileSync(path.join(ctx, 'C2'), 'FROM localhost/mc\nLABEL x=1\n')
        env.chown(ctx)
        const steps = (cmd: (args: string[]) => {stdout: string; stderr: string; code: number | null}) => {
          for (const b of [['-t', 'mc', ctx], ['-t', 'mc2', '-f', path.join(ctx, 'C2'), ctx]]) {
            const r = cmd(['build', '-q', ...b])
            expect(r.code, r.stderr).to.equal(0)
          }
          const ids = ['mc', 'mc2'].map(n => cmd(['image', 'inspect', '--format', '{{.Id}}', n]).stdout.trim())
          const dir = cmd(['image', 'inspect', '--format', '{{.GraphDriver.Data.UpperDir}}', 'mc']).stdout.trim().replace(/\/diff$/, '/merged')
          const norm = (t: string) => t.trim().split('\n').map(l => l.replaceAll(dir, 'DIR').replaceAll(ids[0], 'MC').replaceAll(ids[1], 'MC2').replace(/\s+/g, ' ').trim()).sort().join(', ')
          const out: string[] = []
          const step = (args: string[]) => out.push(`${args.join(' ')} => ${norm(cmd(args).stdout)}`.trim())
          const ls = () => out.push(`list => ${norm(cmd(['image', 'mount']).stdout)}`.trim())
          step(['image', 'mount', 'mc']); step(['image', 'mount', 'mc']); ls()
          step(['image', 'unmount', 'mc']); ls()
          step(['image', 'unmount', 'mc2']); ls()
          step(['image', 'unmount', 'mc']) // not mounted: nothing printed
          step(['image', 'mount', 'mc']); step(['image', 'mount', 'mc2']); step(['image', 'mount', 'mc'])
          step(['image', 'unmount', '--force', 'mc']); ls()
          step(['image', 'mount', 'mc']); step(['image', 'mount', 'mc']); step(['image', 'mount', 'mc'])
          step(['image', 'unmount', '--all']); ls()
          // one left: the first image (the oldest) takes it, the second is no longer mounted then
          step(['image', 'unmount', '--all']); ls()
          return {text: out.join('\n'), dir}
        }
        const ours = steps(inNs)
        expect(ours.text).to.equal([
          'image mount mc => DIR', 'image mount mc => DIR', 'list => localhost/mc2:latest DIR, localhost/mc:latest DIR',
          'image unmount mc => MC', 'list => localhost/mc2:latest DIR, localhost/mc:latest DIR',
          'image unmount mc2 => MC2', 'list =>',
          'image unmount mc =>',
          'image mount mc => DIR', 'image mount mc2 => DIR', 'image mount mc => DIR',
          'image unmount --force mc => MC', 'list =>',
          'image mount mc => DIR', 'image mount mc => DIR', 'image mount mc => DIR',
          'image unmount --all => MC, MC2', 'list => localhost/mc2:latest DIR, localhost/mc:latest DIR',
          'image unmount --all => MC', 'list =>',
        ].join('\n'))
        const mounts = mode === 'root' ? readFileSync('/proc/self/mounts', 'utf8') : env.ok(['unshare', 'cat', '/proc/self/mounts'])
        expect(mounts).to.not.include(ours.dir)
        env.ok(['rmi', 'mc2', 'mc'])
        if (mode !== 'root' || spawnSync('podman', ['--version']).status !== 0) return
        // Podman 4.3.1 as root (image mounts and a COPY build run no container, which its rlimits refuse here)
        const pm = ['--root', env.file('podman-root'), '--runroot', env.file('podman-run'), '--storage-driver', 'overlay']
        const podman = (args: string[]) => {
          const r = spawnSync('podman', [...pm, ...args], {encoding: 'utf8'})
          return {stdout: r.stdout, stderr: r.stderr, code: r.status}
        }
        try {
          podman(['import', busyboxTar(), 'localhost/bb'])
          expect(steps(podman).text).to.equal(ours.text)
        } finally {
          podman(['image', 'unmount', '--all', '--force'])
          podman(['rmi', '-af'])
        }
      })

      it('volume mount/unmount: the _data path, a tmpfs volume really mounted', function () {
        const env = e()
        const inNs = (args: string[]) => mode === 'root' ? env.run(args) : env.run(['unshare', process.execPath, BIN, '--root', env.root, '--runroot', env.runroot, ...args])
        env.ok(['volume', 'create', 'plain'])
        env.ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=2m', 'tmpv'])
        const p = inNs(['volume', 'mount', 'plain'])
        expect(p.stdout).to.equal(path.join(env.root, 'volumes/plain/_data') + '\n')
        const t = inNs(['volume', 'mount', 'tmpv']).stdout.trim()
        expect(t).to.equal(path.join(env.root, 'volumes/tmpv/_data'))
        const mounts = mode === 'root' ? readFileSync('/proc/self/mounts', 'utf8') : env.ok(['unshare', 'cat', '/proc/self/mounts'])
        expect(mounts).to.match(new RegExp(`^tmpfs ${t.replace(/[/.]/g, '\\$&')} tmpfs .*size=2048k`, 'm'))
        expect(inNs(['volume', 'unmount', 'tmpv']).stdout).to.equal('tmpv\n')
        const after = mode === 'root' ? readFileSync('/proc/self/mounts', 'utf8') : env.ok(['unshare', 'cat', '/proc/self/mounts'])
        expect(after).not.to.include(` ${t} `)
        expectError(inNs(['volume', 'mount', 'nosuch']), 125, /^Error: no volume with name "nosuch" found: no such volume$/)
        expectError(env.run(['volume', 'unmount']), 125, /^Error: accepts 1 arg\(s\), received 0$/)
        env.ok(['volume', 'rm', 'plain', 'tmpv'])
      })
    })
  }

  it('image tree: the layers top first, with the images they top; --whatrequires', function () {
    const env = [...envs.values()][0].env
    const id = env.ok(['image', 'inspect', '--format', '{{.Id}}', 'bb']).trim()
    const layer = env.ok(['image', 'inspect', '--format', '{{index .RootFS.Layers 0}}', 'bb']).trim()
    const out = env.ok(['image', 'tree', 'bb']).split('\n')
    expect(out[0]).to.equal(`Image ID: ${id.slice(0, 12)}`)
    expect(out[1]).to.equal('Tags:     [localhost/bb:latest]')
    expect(out[2]).to.match(/^Size:     \d+(\.\d+)?[kM]B$/)
    expect(out[3]).to.equal('Image Layers')
    expect(out[4]).to.match(/^└── ID: [0-9a-f]{12} Size: +\d+(\.\d+)?[kM]B Top Layer of: \[localhost\/bb:latest\]$/)
    expect(layer).to.match(/^sha256:/)
    // A child image (one more layer) shows under --whatrequires.
    const ctx = env.file('treectx')
    env.ok(['run', '--name', 'treec', 'bb', 'touch', '/added'])
    env.ok(['commit', '-q', 'treec', 'child'])
    env.ok(['rm', 'treec'])
    const child = env.ok(['image', 'tree', 'child']).split('\n')
    expect(child[4]).to.match(/^├── ID: [0-9a-f]{12} Size: .* Top Layer of: \[localhost\/child:latest\]$/)
    expect(child[5]).to.match(/^└── ID: [0-9a-f]{12} .*Top Layer of: \[localhost\/bb:latest\]$/)
    const req = env.ok(['image', 'tree', '--whatrequires', 'bb']).split('\n')
    expect(req[4]).to.match(/^├── ID: .*Top Layer of: \[localhost\/bb:latest\]$/)
    expect(req[5]).to.match(/^└── ID: .*Top Layer of: \[localhost\/child:latest\]$/)
    env.ok(['rmi', 'child'])
    expect(ctx).to.be.a('string')
    expectError(env.run(['image', 'tree', 'nosuch']), 125, /^Error: nosuch: image not known$/)
  })

  it('generate spec: the container or pod as SpecGenerator JSON; compact, to a file, --name=false', function () {
    const env = [...envs.values()][0].env
    env.ok(['create', '--name', 'specc', '-e', 'A=1', '-w', '/tmp', '--label', 'k=v', 'bb', 'sleep', '5'])
    env.ok(['pod', 'create', '--name', 'specp', '--label', 'pk=pv'])
    const spec = JSON.parse(env.ok(['generate', 'spec', 'specc']))
    expect(spec).to.include({name: 'specc-clone', work_dir: '/tmp', image: env.ok(['image', 'inspect', '--format', '{{.Id}}', 'bb']).trim()})
    expect(spec.command).to.deep.equal(['sleep', '5'])
    expect(spec.env).to.deep.equal({A: '1'})
    expect(spec.labels).to.deep.equal({k: 'v'})
    expect(spec.netns).to.deep.equal({nsmode: 'bridge'})
    expect(spec.containerCreateCommand).to.include('specc')
    const compact = env.ok(['generate', 'spec', '-c', '--name=false', 'specc'])
    expect(compact.trim().split('\n')).to.have.length(1)
    expect(JSON.parse(compact).name).to.equal('specc')
    const pod = JSON.parse(env.ok(['generate', 'spec', 'specp']))
    expect(pod).to.include({name: 'specp-clone'})
    expect(pod.labels).to.deep.equal({pk: 'pv'})
    const f = env.file('spec.json')
    expect(env.ok(['generate', 'spec', '-f', f, 'specc'])).to.equal(f + '\n')
    expect(JSON.parse(readFileSync(f, 'utf8')).name).to.equal('specc-clone')
    expectError(env.run(['generate', 'spec', 'nosuch']), 125, /^Error: could not find a pod or container with the id nosuch$/)
    expectError(env.run(['generate', 'spec']), 125, /^Error: accepts 1 arg\(s\), received 0$/)
    env.ok(['rm', 'specc'])
    env.ok(['pod', 'rm', 'specp'])
  })

  it('container runlabel: the label\'s command with IMAGE/NAME/$PWD, --display, a nested peapod on the same store, --replace', function () {
    const env = [...envs.values()][0].env
    const cf = env.file('Containerfile.label')
    writeFileSync(cf, 'FROM bb\nLABEL install="podman run --name NAME -e X=\\$PWD IMAGE /bin/busybox echo installed"\nLABEL show="/bin/echo IMAGE NAME \\${IMAGE} =NAME"\n')
    env.ok(['build', '-q', '-t', 'lbl', '-f', cf, env.dir])
    expect(env.ok(['container', 'runlabel', '--display', 'install', 'lbl'])).to.equal(`command: peapod run --name lbl -e X=${env.dir} localhost/lbl:latest /bin/busybox echo installed\n`)
    expect(env.ok(['container', 'runlabel', '--display', '--name', 'foo', 'install', 'lbl'])).to.include('--name foo ')
    expect(env.ok(['container', 'runlabel', 'show', 'lbl', 'a', 'b'])).to.equal('localhost/lbl:latest lbl localhost/lbl:latest =lbl a b\n')
    // The nested `podman run` is this peapod, on this store.
    expect(env.ok(['container', 'runlabel', 'install', 'lbl'])).to.equal('installed\n')
    expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).split('\n')).to.include('lbl')
    const again = env.run(['container', 'runlabel', 'install', 'lbl'])
    expect(again.code).to.equal(125)
    expect(again.stderr).to.match(/^Error: `peapod run --name lbl .*` failed: exit status 125$/m)
    expect(env.ok(['container', 'runlabel', '--replace', 'install', 'lbl'])).to.equal('installed\n')
    expectError(env.run(['container', 'runlabel', 'nolabel', 'lbl']), 125, /^Error: cannot find the value of label: nolabel in image: lbl$/)
    expectError(env.run(['container', 'runlabel', 'install']), 125, /^Error: requires at least 2 arg\(s\), only received 1$/)
    env.ok(['rm', '-f', '-t', '0', 'lbl'])
    env.ok(['rmi', 'lbl'])
  })

  it('image trust set/show edit policy.json as Podman does, and pull honours it', function () {
    const env = [...envs.values()][0].env
    const policy = env.file('trust-policy.json')
    writeFileSync(policy, JSON.stringify({default: [{type: 'insecureAcceptAnything'}]}))
    env.chown(policy)
    const p = ['--policypath', policy]
    env.ok(['image', 'trust', 'set', ...p, '-t', 'reject', 'localhost:5999'])
    env.ok(['image', 'trust', 'set', ...p, '-t', 'accept', 'quay.io/foo'])
    env.ok(['image', 'trust', 'set', ...p, '-f', '/etc/key.gpg', 'example.com'])
    expect(JSON.parse(readFileSync(policy, 'utf8'))).to.deep.equal({
      default: [{type: 'insecureAcceptAnything'}],
      transports: {docker: {
        'example.com': [{type: 'signedBy', keyType: 'GPGKeys', keyPath: '/etc/key.gpg'}],
        'localhost:5999': [{type: 'reject'}],
        'quay.io/foo': [{type: 'insecureAcceptAnything'}],
      }},
    })
    expect(readFileSync(policy, 'utf8')).to.match(/^\{\n {4}"default": \[\n {8}\{\n {12}"type": "insecureAcceptAnything"/)
    expect(env.ok(['image', 'trust', 'show', ...p])).to.equal([
      'TRANSPORT   NAME            TYPE        ID          STORE',
      'all         default         accept                  ',
      'repository  example.com     signed                  ',
      'repository  localhost:5999  reject                  ',
      'repository  quay.io/foo     accept                  ', ''].join('\n'))
    const json = JSON.parse(env.ok(['image', 'trust', 'show', '--json', ...p]))
    expect(json[0]).to.deep.equal({transport: 'all', name: '* (default)', repo_name: 'default', type: 'accept'})
    expect(env.ok(['image', 'trust', 'show', '--raw', ...p])).to.equal(readFileSync(policy, 'utf8') + '\n')
    expectError(env.run(['image', 'trust', 'set', ...p, 'example.org']), 125, /^Error: at least one public key must be defined for type 'signedBy'$/)
    expectError(env.run(['image', 'trust', 'set', ...p, '-t', 'bogus', 'example.org']), 125, /^Error: invalid choice: bogus \(choose from 'accept', 'reject', 'signedBy', 'sigstoreSigned'\)$/)
    expect(env.ok(['image', 'trust', 'show', ...p, 'docker.io']).split('\n')).to.have.length(6) // REGISTRY shows it all, as Podman
    expectError(env.run(['image', 'trust', 'show', '--policypath', env.file('none.json')]), 125, /^Error: open .*none\.json: no such file or directory$/)
    // The rejected scope: pull refuses before any connection.
    const r = env.run(['pull', '-q', '--signature-policy', policy, 'localhost:5999/x'])
    expect(r.code).to.equal(125)
    expect(r.stderr).to.match(/Source image rejected: Running image docker:\/\/localhost:5999\/x:latest is rejected by policy/)
  })

  it('manifest annotate --os-features sets the instance\'s platform os.features', function () {
    const env = [...envs.values()][0].env
    env.ok(['manifest', 'create', 'mlist'])
    env.ok(['manifest', 'add', 'mlist', 'containers-storage:localhost/bb:latest'])
    const digest = JSON.parse(env.ok(['manifest', 'inspect', 'mlist'])).manifests[0].digest
    env.ok(['manifest', 'annotate', '--os-features', 'f1', '--os-features', 'f2', '--os-version', '1.0', 'mlist', digest])
    const platform = JSON.parse(env.ok(['manifest', 'inspect', 'mlist'])).manifests[0].platform
    expect(platform['os.features']).to.deep.equal(['f1', 'f2'])
    expect(platform['os.version']).to.equal('1.0')
    env.ok(['manifest', 'rm', 'mlist'])
  })

  it('system df -v: an image with a child shares all of itself; the child shares its parent\'s size', function () {
    const env = [...envs.values()][0].env
    env.ok(['run', '--name', 'dfsrc', 'bb', 'touch', '/grown'])
    env.ok(['commit', '-q', 'dfsrc', 'dfchild'])
    env.ok(['rm', 'dfsrc'])
    const rows = env.ok(['system', 'df', '-v']).split('\n')
    const row = (repo: string) => rows.find(r => r.startsWith(repo + ' '))!.split(/\s{2,}/)
    const [, , , , size, shared, unique] = row('localhost/bb')
    expect(shared).to.equal(size)
    expect(unique).to.equal('0B')
    const child = row('localhost/dfchild')
    expect(child[5]).to.equal(size)
    expect(child[6]).to.not.equal('0B')
    env.ok(['rmi', 'dfchild'])
  })
})
