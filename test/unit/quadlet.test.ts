import {expect} from 'chai'
import {existsSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, readlinkSync, rmSync, readdirSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {UnitFile} from '../../src/libpod/quadlet/unitfile.js'
import {splitString, WHITESPACE, escapeWords} from '../../src/libpod/quadlet/split.js'
import {runGenerator, parseGeneratorArgs} from '../../src/libpod/quadlet/generator.js'

const P = '/usr/bin/podman'

/** Run the generator over `files` (relative paths → text); dry-run output split per service. */
function generate(files: Record<string, string>, opts: {isUser?: boolean; dryRun?: boolean; env?: Record<string, string>} = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quadlet-test-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    writeFileSync(path.join(dir, name), text)
  }
  const out: string[] = []
  const err: string[] = []
  const outputDir = path.join(dir, 'out')
  const rc = runGenerator({
    isUser: opts.isUser ?? false, dryRun: opts.dryRun ?? true, verbose: false, noKmsg: true, outputDir, argv0: '/usr/lib/systemd/system-generators/peapod-system-generator',
    env: {QUADLET_UNIT_DIRS: dir, PODMAN: P, ...opts.env}, stdout: s => out.push(s), stderr: s => err.push(s),
  })
  const services: Record<string, string> = {}
  const parts = out.join('').split(/^---(.+)---\n/m)
  for (let i = 1; i + 1 < parts.length; i += 2) services[parts[i]!] = parts[i + 1]!.slice(0, -1)
  return {rc, services, err: err.join(''), dir, outputDir, cleanup: () => rmSync(dir, {recursive: true, force: true})}
}

const DEFAULT_DEPS = 'Wants=network-online.target\nAfter=network-online.target\n'

describe('Quadlet unit files (parser and writer)', () => {
  it('reads groups, keys, comments and writes them back', () => {
    const text = '# top\n[Unit]\nDescription=x\n# c\nAfter=a\n\n[Service]\nExecStart=/bin/true\n'
    const f = UnitFile.parse(text)
    expect(f.toString()).to.equal(text)
    expect(f.lookup('Unit', 'Description')).to.equal('x')
    expect(f.listGroups()).to.deep.equal(['Unit', 'Service'])
  })

  it('joins continuation lines, drops comments inside them, trims spaces around =', () => {
    const f = UnitFile.parse('[Container]\nExec=a \\\n# inner comment\n  b \\\n  c\nImage  =  busybox  \n')
    expect(f.lookup('Container', 'Exec')).to.equal('a b c')
    expect(f.lookup('Container', 'Image')).to.equal('busybox')
  })

  it('merges repeated groups, keeps repeated keys, resets a list on an empty assignment', () => {
    const f = UnitFile.parse('[A]\nK=1\n[B]\nX=y\n[A]\nK=2\nK=\nK=3\nK=4\n')
    expect(f.listGroups()).to.deep.equal(['A', 'B'])
    expect(f.lookupAll('A', 'K')).to.deep.equal(['3', '4'])
    expect(f.lookup('A', 'K')).to.equal('4')
  })

  it('strips one pair of surrounding double quotes on lookup; booleans as systemd', () => {
    const f = UnitFile.parse('[A]\nQ="a b"\nU="a\nB1=yes\nB2=On\nB3=0\n')
    expect(f.lookup('A', 'Q')).to.equal('a b')
    expect(f.lookup('A', 'U')).to.equal('"a')
    expect([f.lookupBoolean('A', 'B1'), f.lookupBoolean('A', 'B2'), f.lookupBoolean('A', 'B3'), f.lookupBoolean('A', 'none')]).to.deep.equal([true, true, false, undefined])
  })

  it('rejects what systemd rejects, with Quadlet\'s messages', () => {
    expect(() => UnitFile.parse('K=v\n')).to.throw('key file does not start with a group')
    expect(() => UnitFile.parse('[A]\nnot a pair\n')).to.throw('file contains line 2: “not a pair” which is not a key-value pair, group, or comment')
    expect(() => UnitFile.parse('[A\n')).to.throw('which is not a key-value pair')
  })

  it('splits exec lines as systemd (quotes, C escapes) and escapes them back', () => {
    const words = splitString(`a "b c" 'd e' f\\x41 g\\sh \\u00e9`, WHITESPACE, {relax: true, unquote: true, cunescape: true})
    expect(words).to.deep.equal(['a', 'b c', 'd e', 'fA', 'g h', 'é'])
    expect(() => splitString('a\\ b', WHITESPACE, {relax: true, unquote: true, cunescape: true})).to.throw('unsupported escape char')
    expect(escapeWords(['echo', 'a b', 'say "hi"', 'back\\slash', 'tab\there'])).to.equal(`echo "a b" "say \\"hi\\"" "back\\\\slash" "tab\\there"`)
    const round = escapeWords(['x', 'it\'s', 'new\nline'])
    expect(splitString(round, WHITESPACE, {relax: true, unquote: true, cunescape: true})).to.deep.equal(['x', 'it\'s', 'new\nline'])
  })

  it('lists drop-in directories from most to least specific', () => {
    const f = UnitFile.parse('[Container]\n', 'foo-bar@inst.container')
    expect(f.dropinDirNames()).to.deep.equal(['foo-bar@inst.container.d', 'foo-bar@.container.d', 'foo-@.container.d', 'foo-.container.d', 'container.d'])
  })
})

describe('Quadlet generator (golden outputs)', () => {
  it('.container: the service Podman\'s Quadlet writes', () => {
    const g = generate({'web.container': '[Unit]\nDescription=Web\n\n[Container]\nImage=docker.io/library/busybox:latest\nExec=sleep "1000 2"\nEnvironment=FOO=bar "BAZ=a b"\nPublishPort=8080:80\nLabel=a=b\nAddCapability=NET_ADMIN\nDropCapability=ALL\nVolume=/srv/data:/data:Z\nUser=1000\nGroup=1000\nNoNewPrivileges=true\nReadOnly=true\nRunInit=yes\nHealthCmd=/bin/true\nAutoUpdate=registry\n\n[Service]\nRestart=always\n\n[Install]\nWantedBy=default.target\n'})
    expect(g.rc).to.equal(0)
    expect(g.services['web.service']).to.equal(`[Unit]
${DEFAULT_DEPS}Description=Web
SourcePath=${g.dir}/web.container
RequiresMountsFor=%t/containers
RequiresMountsFor=/srv/data

[X-Container]
Image=docker.io/library/busybox:latest
Exec=sleep "1000 2"
Environment=FOO=bar "BAZ=a b"
PublishPort=8080:80
Label=a=b
AddCapability=NET_ADMIN
DropCapability=ALL
Volume=/srv/data:/data:Z
User=1000
Group=1000
NoNewPrivileges=true
ReadOnly=true
RunInit=yes
HealthCmd=/bin/true
AutoUpdate=registry

[Service]
Restart=always
Environment=PODMAN_SYSTEMD_UNIT=%n
KillMode=mixed
ExecStop=${P} rm -v -f -i systemd-%N
ExecStopPost=-${P} rm -v -f -i systemd-%N
Delegate=yes
Type=notify
NotifyAccess=all
SyslogIdentifier=%N
ExecStart=${P} run --name systemd-%N --replace --rm --cgroups=split --init --sdnotify=conmon -d --security-opt=no-new-privileges --cap-drop all --cap-add net_admin --read-only --user 1000:1000 -v /srv/data:/data:Z --label io.containers.autoupdate=registry --publish 8080:80 --env "BAZ=a b" --env FOO=bar --label a=b --health-cmd /bin/true docker.io/library/busybox:latest sleep "1000 2"

[Install]
WantedBy=default.target
`)
    g.cleanup()
  })

  it('.container: Notify, ContainerName, oneshot, templates, Rootfs, PodmanArgs/GlobalArgs, ExecReload', () => {
    const g = generate({
      'n.container': '[Container]\nImage=localhost/x\nNotify=true\nContainerName=named\nGlobalArgs=--log-level=debug\nPodmanArgs=--tty "--env=A=b c"\nReloadSignal=SIGHUP\n',
      'h.container': '[Container]\nImage=localhost/x\nNotify=healthy\n',
      'o.container': '[Container]\nRootfs=/srv/root\n[Service]\nType=oneshot\n',
      't@.container': '[Container]\nImage=localhost/x\n',
    })
    expect(g.rc).to.equal(0)
    const n = g.services['n.service']!
    expect(n).to.include(`ExecReload=${P} --log-level=debug kill --signal SIGHUP named\n`)
    expect(n).to.include(`ExecStart=${P} --log-level=debug run --name named --replace --rm --cgroups=split --sdnotify=container -d --tty "--env=A=b c" localhost/x\n`)
    expect(g.services['h.service']).to.include('--sdnotify=healthy -d localhost/x')
    const o = g.services['o.service']!
    expect(o).to.include(`ExecStart=${P} run --name systemd-%N --replace --rm --cgroups=split --rootfs /srv/root\n`)
    expect(o).to.not.include('NotifyAccess')
    expect(g.services['t@.service']).to.include('run --name systemd-%p_%i ')
    g.cleanup()
  })

  it('.volume, .network, .image: oneshot services that create the resource', () => {
    const g = generate({
      'data.volume': '[Volume]\nUser=1000\nGroup=10\nLabel=x=y\nDevice=/dev/sdb\nType=ext4\nOptions=noatime\nCopy=false\n',
      'named.volume': '[Volume]\nVolumeName=mine\n',
      'net.network': '[Network]\nSubnet=10.9.0.0/24\nGateway=10.9.0.1\nIPRange=10.9.0.128/25\nInternal=true\nDriver=bridge\nDNS=9.9.9.9\nNetworkDeleteOnStop=true\n',
      'img.image': '[Image]\nImage=quay.io/x/y:1\nAllTags=false\nArch=arm64\nTLSVerify=false\n',
    })
    expect(g.rc).to.equal(0)
    expect(g.services['data-volume.service']).to.equal(`[X-Volume]
User=1000
Group=10
Label=x=y
Device=/dev/sdb
Type=ext4
Options=noatime
Copy=false

[Unit]
${DEFAULT_DEPS}SourcePath=${g.dir}/data.volume
RequiresMountsFor=%t/containers

[Service]
ExecStart=${P} volume create --ignore --opt nocopy --opt device=/dev/sdb --opt type=ext4 --opt o=uid=1000,gid=10,noatime --label x=y systemd-data
SyslogIdentifier=%N
Type=oneshot
RemainAfterExit=yes
`)
    expect(g.services['named-volume.service']).to.include(`ExecStart=${P} volume create --ignore mine\n`)
    const net = g.services['net-network.service']!
    expect(net).to.include(`ExecStopPost=${P} network rm systemd-net\n`)
    expect(net).to.include(`ExecStart=${P} network create --ignore --internal --driver bridge --dns 9.9.9.9 --subnet 10.9.0.0/24 --gateway 10.9.0.1 --ip-range 10.9.0.128/25 systemd-net\n`)
    expect(g.services['img-image.service']).to.include(`ExecStart=${P} image pull --arch arm64 --all-tags=false --tls-verify=false quay.io/x/y:1\n`)
    g.cleanup()
  })

  it('dependencies between Quadlet files become service names with Requires/After', () => {
    const g = generate({
      'app.container': '[Unit]\nAfter=db.container\n[Container]\nImage=app.image\nVolume=data.volume:/data\nNetwork=net.network\nMount=type=volume,source=data.volume,destination=/m\n',
      'db.container': '[Container]\nImage=localhost/db\nContainerName=db\nNetwork=app.container\n',
      'app.image': '[Image]\nImage=quay.io/x/app:1\nImageTag=localhost/app:1\n',
      'data.volume': '[Volume]\n',
      'net.network': '[Network]\nNetworkName=appnet\n',
    })
    expect(g.rc).to.equal(0)
    const app = g.services['app.service']!
    expect(app).to.include('After=db.service\n')
    expect(app).to.include('Requires=app-image.service\nAfter=app-image.service\n')
    expect(app).to.include('Requires=net-network.service\nAfter=net-network.service\n')
    expect(app).to.include('Requires=data-volume.service\nAfter=data-volume.service\n')
    expect(app).to.include(' --network appnet ')
    expect(app).to.include(' -v systemd-data:/data ')
    expect(app).to.include(' --mount type=volume,source=systemd-data,destination=/m ')
    expect(app).to.match(/ localhost\/app:1\n/)
    expect(g.services['db.service']).to.include(' --network container:systemd-app ')
    g.cleanup()
  })

  it('.pod and its member containers', () => {
    const g = generate({
      'p.pod': '[Pod]\nPublishPort=8080:80\nNetwork=host\n',
      'a.container': '[Container]\nImage=localhost/x\nPod=p.pod\n',
      'b.container': '[Container]\nImage=localhost/x\nPod=p.pod\nStartWithPod=false\n',
    })
    expect(g.rc).to.equal(0)
    expect(g.services['p-pod.service']).to.equal(`[X-Pod]
PublishPort=8080:80
Network=host

[Unit]
${DEFAULT_DEPS}SourcePath=${g.dir}/p.pod
RequiresMountsFor=%t/containers
Wants=a.service
Before=a.service

[Service]
SyslogIdentifier=%N
ExecStart=${P} pod start systemd-p
ExecStop=${P} pod stop --ignore --time=10 systemd-p
ExecStopPost=${P} pod rm --ignore --force systemd-p
ExecStartPre=${P} pod create --infra-conmon-pidfile=%t/%N.pid --replace --exit-policy stop --publish 8080:80 --network host --infra-name systemd-p-infra --name systemd-p
Environment=PODMAN_SYSTEMD_UNIT=%n
Type=forking
Restart=on-failure
PIDFile=%t/%N.pid
`)
    expect(g.services['a.service']).to.include('BindsTo=p-pod.service\nAfter=p-pod.service\n')
    expect(g.services['a.service']).to.include(' --pod systemd-p localhost/x')
    g.cleanup()
  })

  it('.kube and .build', () => {
    const g = generate({
      'k.kube': '[Kube]\nYaml=k.yaml\nAutoUpdate=registry\nAutoUpdate=c1/local\nConfigMap=cm.yaml\nPublishPort=80:80\nKubeDownForce=true\nSetWorkingDirectory=yaml\n',
      'b.build': '[Build]\nImageTag=localhost/built\nFile=Containerfile\nSetWorkingDirectory=unit\nPull=never\nLabel=l=1\n',
      'c.container': '[Container]\nImage=b.build\n',
    })
    expect(g.rc).to.equal(0)
    const k = g.services['k.service']!
    expect(k).to.include('KillMode=mixed\nEnvironment=PODMAN_SYSTEMD_UNIT=%n\nType=notify\nNotifyAccess=all\nSyslogIdentifier=%N\n')
    expect(k).to.include(`ExecStart=${P} kube play --replace --service-container=true --annotation=io.containers.autoupdate=registry --annotation=io.containers.autoupdate/c1=local --configmap ${g.dir}/cm.yaml --publish 80:80 ${g.dir}/k.yaml\n`)
    expect(k).to.include(`ExecStopPost=${P} kube down --force ${g.dir}/k.yaml\n`)
    expect(k).to.include(`WorkingDirectory=${g.dir}\n`)
    const b = g.services['b-build.service']!
    expect(b).to.include(`ExecStart=${P} build --pull=never --tag localhost/built --label l=1 --file Containerfile ${g.dir}\n`)
    expect(b).to.include('Type=oneshot\n')
    expect(b).to.not.include('RemainAfterExit')
    expect(g.services['c.service']).to.include('Requires=b-build.service\nAfter=b-build.service\n')
    g.cleanup()
  })

  it('the 6.0 reference\'s newer keys and the .artifact type; the removed Remap keys are unsupported', () => {
    const g = generate({
      'c.container': '[Container]\nImage=localhost/x\nAppArmor=alt\nHttpProxy=false\nMount=type=artifact,source=cfg.artifact,destination=/etc/config\n',
      'v.volume': '[Volume]\nUID=1234\nGID=5678\n',
      'b.build': '[Build]\nImageTag=localhost/b\nFile=/srv/Containerfile\nBuildArg=foo=bar\nIgnoreFile=/srv/.ign\n',
      'i.image': '[Image]\nImage=quay.io/x/y\nPolicy=always\n',
      'p.pod': '[Pod]\nStopTimeout=20\n',
      'cfg.artifact': '[Artifact]\nArtifact=quay.io/x/art:1\nQuiet=true\nRetry=5\n',
      'old.container': '[Container]\nImage=localhost/x\nRemapUsers=auto\n',
    })
    expect(g.rc).to.equal(1)
    expect(g.err).to.include(`converting "old.container": unsupported key 'RemapUsers' in group 'Container'`)
    const c = g.services['c.service']!
    expect(c).to.include(' --http-proxy=false ')
    expect(c).to.include(' --security-opt apparmor=alt ')
    expect(c).to.include(' --mount type=artifact,source=quay.io/x/art:1,destination=/etc/config ')
    expect(c).to.include('Requires=cfg-artifact.service\nAfter=cfg-artifact.service\n')
    expect(g.services['cfg-artifact.service']).to.include(`ExecStart=${P} artifact pull --retry 5 --quiet quay.io/x/art:1\n`)
    expect(g.services['cfg-artifact.service']).to.include('[X-Artifact]\n')
    expect(g.services['v-volume.service']).to.include(`ExecStart=${P} volume create --ignore --uid 1234 --gid 5678 systemd-v\n`)
    expect(g.services['b-build.service']).to.include(`ExecStart=${P} build --ignorefile /srv/.ign --tag localhost/b --build-arg foo=bar --file /srv/Containerfile\n`)
    expect(g.services['i-image.service']).to.include(' --policy always quay.io/x/y\n')
    expect(g.services['p-pod.service']).to.include(`ExecStop=${P} pod stop --ignore --time=20 systemd-p\n`)
    g.cleanup()
  })

  it('an unknown key, a missing Image, a conflict: that file is skipped, the others generated, exit 1', () => {
    const g = generate({
      'bad.container': '[Container]\nImage=localhost/x\nBogus=1\n',
      'noimage.container': '[Container]\nExec=true\n',
      'both.container': '[Container]\nImage=localhost/x\nRootfs=/r\n',
      'good.container': '[Container]\nImage=localhost/x\n',
    })
    expect(g.rc).to.equal(1)
    expect(Object.keys(g.services)).to.deep.equal(['good.service'])
    expect(g.err).to.include(`converting "bad.container": unsupported key 'Bogus' in group 'Container' in ${g.dir}/bad.container`)
    expect(g.err).to.include('converting "noimage.container": no Image or Rootfs key specified')
    expect(g.err).to.include('converting "both.container": the Image And Rootfs keys conflict can not be specified together')
    g.cleanup()
  })

  it('warns about short image names', () => {
    const g = generate({'s.container': '[Container]\nImage=busybox\n'})
    expect(g.rc).to.equal(0)
    expect(g.err).to.include('Warning: s.container specifies the image "busybox" which not a fully qualified image name.')
    g.cleanup()
  })

  it('user mode waits on podman-user-wait-network-online.service; DefaultDependencies=no drops it', () => {
    const g = generate({'u.container': '[Container]\nImage=localhost/x\n', 'n.container': '[Quadlet]\nDefaultDependencies=no\n[Container]\nImage=localhost/x\n'}, {isUser: true})
    expect(g.services['u.service']).to.include('[Unit]\nWants=podman-user-wait-network-online.service\nAfter=podman-user-wait-network-online.service\n')
    expect(g.services['n.service']).to.not.include('network-online')
    expect(g.services['n.service']).to.include('[X-Quadlet]\nDefaultDependencies=no\n')
    g.cleanup()
  })

  it('drop-ins: the unit\'s, the truncated-dash and the type-wide directories, by file name', () => {
    const g = generate({
      'foo-bar.container': '[Container]\nImage=localhost/x\n',
      'foo-bar.container.d/10-env.conf': '[Container]\nEnvironment=A=1\n',
      'foo-.container.d/20-label.conf': '[Container]\nLabel=l=2\n',
      'container.d/10-env.conf': '[Container]\nEnvironment=SHADOWED=1\n',
      'container.d/30-all.conf': '[Service]\nRestart=always\n',
    })
    const s = g.services['foo-bar.service']!
    expect(s).to.include('--env A=1 --label l=2')
    expect(s).to.not.include('SHADOWED')
    expect(s).to.include('Restart=always')
    g.cleanup()
  })

  it('searches subdirectories; the first file of a name wins', () => {
    const g = generate({'a/x.container': '[Container]\nImage=localhost/first\n', 'b/x.container': '[Container]\nImage=localhost/second\n'})
    expect(g.services['x.service']).to.include('localhost/first')
    g.cleanup()
  })

  it('writes the units with their header and [Install] symlinks', () => {
    const g = generate({'w.container': '[Container]\nImage=localhost/x\n[Install]\nWantedBy=multi-user.target\nAlias=alias.service\n', 't@.container': '[Container]\nImage=localhost/x\n[Install]\nWantedBy=default.target\nDefaultInstance=one\n'}, {dryRun: false})
    expect(g.rc).to.equal(0)
    const text = readFileSync(path.join(g.outputDir, 'w.service'), 'utf8')
    expect(text.startsWith('# Automatically generated by /usr/lib/systemd/system-generators/peapod-system-generator\n# \n[X-Container]\n')).to.equal(true)
    expect(readlinkSync(path.join(g.outputDir, 'multi-user.target.wants/w.service'))).to.equal('../w.service')
    expect(readlinkSync(path.join(g.outputDir, 'alias.service'))).to.equal('w.service')
    expect(readlinkSync(path.join(g.outputDir, 'default.target.wants/t@one.service'))).to.equal('../t@.service')
    expect(readdirSync(g.outputDir).sort()).to.deep.equal(['alias.service', 'default.target.wants', 'multi-user.target.wants', 't@.service', 'w.service'])
    g.cleanup()
  })

  it('follows symlinked directories once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'quadlet-link-'))
    mkdirSync(path.join(dir, 'real'))
    writeFileSync(path.join(dir, 'real/l.container'), '[Container]\nImage=localhost/x\n')
    const top = path.join(dir, 'top')
    mkdirSync(top)
    symlinkSync(path.join(dir, 'real'), path.join(top, 'link'))
    const out: string[] = []
    const rc = runGenerator({isUser: false, dryRun: true, verbose: false, noKmsg: true, argv0: 'q', env: {QUADLET_UNIT_DIRS: top, PODMAN: P}, stdout: s => out.push(s), stderr: () => {}})
    expect(rc).to.equal(0)
    expect(out.join('')).to.include('---l.service---')
    rmSync(dir, {recursive: true, force: true})
  })

  it('parses Podman quadlet\'s command line', () => {
    const r = parseGeneratorArgs('/usr/lib/systemd/user-generators/peapod-user-generator', ['-v', '--no-kmsg-log', '/run/out', '/run/early', '/run/late'])
    expect(r).to.deep.include({version: false})
    expect('opts' in r && r.opts).to.deep.equal({isUser: true, dryRun: false, verbose: true, noKmsg: true, outputDir: '/run/out'})
    const s = parseGeneratorArgs('peapod-quadlet', ['-dryrun', '-user=false'])
    expect('opts' in s && s.opts.isUser).to.equal(false)
    expect('opts' in s && s.opts.dryRun).to.equal(true)
    expect(parseGeneratorArgs('x', ['-bogus'])).to.deep.equal({error: 'flag provided but not defined: -bogus'})
  })

  it('exits 1 with "missing output directory argument" without one', () => {
    const err: string[] = []
    expect(runGenerator({isUser: false, dryRun: false, verbose: false, noKmsg: true, argv0: 'q', env: {QUADLET_UNIT_DIRS: '/nonexistent'}, stderr: s => err.push(s)})).to.equal(1)
    expect(err.join('')).to.match(/quadlet-generator\[\d+\]: missing output directory argument/)
  })
})

describe('quadlet install/list/print/rm (files)', () => {
  it('installs a file, a directory (an app) and a .quadlets file; lists, prints and removes them', async () => {
    const {installQuadlets, listQuadlets, printQuadlet, removeQuadlets} = await import('../../src/libpod/quadlet/manage.js')
    const src = mkdtempSync(path.join(os.tmpdir(), 'quadlet-src-'))
    const dir = path.join(src, 'installed')
    mkdirSync(path.join(src, 'app'))
    writeFileSync(path.join(src, 'app/a.container'), '[Container]\nImage=localhost/x\nPod=mypod.pod\n')
    writeFileSync(path.join(src, 'app/mypod.pod'), '[Pod]\n')
    writeFileSync(path.join(src, 'app/conf.txt'), 'asset\n')
    writeFileSync(path.join(src, 'v.volume'), '# c\n[Volume]\n')
    writeFileSync(path.join(src, 'w.quadlets'), '# FileName=web\n[Container]\nImage=localhost/x\n---\n# FileName=store\n[Volume]\n')
    expect(installQuadlets([path.join(src, 'app')], {}, dir).map(p => path.basename(p))).to.deep.equal(['a.container', 'conf.txt', 'mypod.pod'])
    expect(installQuadlets([path.join(src, 'v.volume')], {}, dir)).to.deep.equal([path.join(dir, 'v.volume')])
    expect(() => installQuadlets([path.join(src, 'v.volume')], {}, dir)).to.throw('a Quadlet with name v.volume already exists, refusing to overwrite')
    installQuadlets([path.join(src, 'v.volume')], {replace: true}, dir)
    expect(installQuadlets([path.join(src, 'w.quadlets')], {}, dir).map(p => path.basename(p))).to.deep.equal(['web.container', 'store.volume'])
    expect(listQuadlets(dir).map(r => [r.Name, r.UnitName, r.App, r.Pod])).to.deep.equal([
      ['a.container', 'a.service', 'app', 'mypod.pod'], ['mypod.pod', 'mypod-pod.service', 'app', ''],
      ['store.volume', 'store-volume.service', 'w', ''], ['v.volume', 'v-volume.service', '', ''], ['web.container', 'web.service', 'w', '']])
    expect(listQuadlets(dir)[0]!.Status).to.equal(existsSync('/run/systemd/system') ? listQuadlets(dir)[0]!.Status : 'Not loaded')
    expect(printQuadlet('v.volume', dir)).to.equal('# c\n[Volume]\n')
    expect(() => printQuadlet('nosuch.volume', dir)).to.throw('quadlet "nosuch.volume" not found')
    // a Quadlet of an app takes the app with it, assets included
    expect(removeQuadlets(['a.container'], {}, dir)).to.deep.equal(['a.container'])
    expect(readdirSync(dir).sort()).to.deep.equal(['.w.app', 'store.volume', 'v.volume', 'web.container'])
    expect(() => removeQuadlets(['nosuch'], {}, dir)).to.throw('unable to find quadlet "nosuch"')
    expect(removeQuadlets(['nosuch'], {ignore: true}, dir)).to.deep.equal([])
    removeQuadlets(['w'], {}, dir)
    expect(readdirSync(dir)).to.deep.equal(['v.volume'])
    removeQuadlets([], {all: true}, dir)
    expect(readdirSync(dir)).to.deep.equal([])
    rmSync(src, {recursive: true, force: true})
  })
})
