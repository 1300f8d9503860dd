// Networking end to end, as root and as the rootless test user, with the
// real helpers: slirp4netns and pasta (rootless), netavark + aardvark-dns
// (rootful, and rootless inside the shared rootless netns). Only addresses
// on this machine: loopback and namespaces the tests create.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import path from 'node:path'
import {Containers, Env, processes, unavailable, waitUntil, type Mode, expectError, fetchUntil, freePort} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const HTTPD = (text: string) => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8080 -h /www`]

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`networking (${mode})`, function () {
    let env: Env
    let ct: Containers

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'bb'])
      env.ok(['import', '--change', 'EXPOSE 8080', busyboxTar(), 'bbx'])
    })
    after(() => {
      if (!env) return
      // Whatever a failed test left running: its netns, helpers, rules and bridges go with it.
      env.run(['rm', '-a', '-f', '-t', '0'])
      env.run(['network', 'prune', '-f'])
      env.cleanup()
    })

    const runDir = () => path.join(env.runroot, 'networks')
    /** The netns files and helper processes (slirp4netns, pasta, aardvark-dns, the port forwarder) of this suite. */
    const netLeftovers = () => {
      const nsDir = path.join(env.runroot, 'netns')
      const stateDir = path.join(runDir(), 'containers')
      return {
        netns: existsSync(nsDir) ? readdirSync(nsDir) : [],
        states: existsSync(stateDir) ? readdirSync(stateDir) : [],
        nsMounts: ct.mounts().filter(m => m.includes('/netns')),
        helpers: processes().filter(p => p.cmdline.includes(env.dir) && /slirp4netns|pasta|aardvark-dns|portfwd-child/.test(p.cmdline)).map(p => p.cmdline),
        rootlessNetns: existsSync(path.join(runDir(), 'rootless-netns', 'netns')),
      }
    }
    const expectNoLeftovers = async () => {
      let last: unknown
      await waitUntil('no network leftovers', () => {
        const l = netLeftovers()
        last = l
        return l.netns.length === 0 && l.states.length === 0 && l.nsMounts.length === 0 && l.helpers.length === 0 && !l.rootlessNetns
      }).catch(() => {
        throw new Error(`network leftovers: ${JSON.stringify(last)}`)
      })
      await ct.settled()
    }
    const iptables = () => (mode === 'root' ? execFileSync('iptables-save', {encoding: 'utf8'}) : '')
    const hostLinks = () => execFileSync('ip', ['-o', 'link'], {encoding: 'utf8'})

    it('--network none has only lo, and no resolv.conf', () => {
      const out = env.ok(['run', '--rm', '--network', 'none', 'bb', 'sh', '-c', 'ls /sys/class/net; test -e /etc/resolv.conf || echo no-resolv; grep -c 127.0.0.1 /etc/hosts'])
      expect(out.split('\n').filter(Boolean)).to.deep.equal(['lo', 'no-resolv', String(1 + (readFileSync('/etc/hosts', 'utf8').match(/^127\.0\.0\.1\s/mg) ?? []).length)])
    })

    it('the default network reaches the container: an address, a route, DNS and hosts entries', () => {
      const out = env.ok(['run', '--rm', '--name', 'dflt', '--hostname', 'hh', 'bb', 'sh', '-c', 'ls /sys/class/net; ip route; cat /etc/hosts; cat /etc/resolv.conf'])
      const lines = out.split('\n')
      if (mode === 'rootless') {
        // slirp4netns: tap0 10.0.2.100, DNS at 10.0.2.3 first
        expect(lines).to.include('tap0')
        expect(out).to.match(/default via 10\.0\.2\.2 dev tap0/)
        expect(out).to.match(/^10\.0\.2\.100\thh dflt$/m)
        expect(out).to.match(/^nameserver 10\.0\.2\.3$/m)
      } else {
        // netavark: eth0 on the `podman` bridge, 10.88.0.0/16
        expect(lines).to.include('eth0')
        expect(out).to.match(/default via 10\.88\.0\.1 dev eth0/)
        expect(out).to.match(/^10\.88\.\d+\.\d+\thh dflt$/m)
        expect(out).to.match(/^10\.88\.0\.1\thost\.containers\.internal$/m)
      }
    })

    it('publishes a port: the host fetches from busybox httpd, port/ps/inspect show it, rm leaves nothing', async function () {
      const hostPort = await freePort()
      const id = env.ok(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${hostPort}:8080`, 'bb', ...HTTPD('hello-from-peapod')]).trim()
      expect(await fetchUntil(`http://127.0.0.1:${hostPort}/`)).to.equal('hello-from-peapod\n')
      expect(env.ok(['port', 'web'])).to.equal(`8080/tcp -> 127.0.0.1:${hostPort}\n`)
      expect(env.ok(['port', 'web', '8080'])).to.equal(`127.0.0.1:${hostPort}\n`)
      expectError(env.run(['port', 'web', '81']), 125, /failed to find published port "81"/)
      expect(env.ok(['ps', '--format', '{{.Names}} {{.Ports}}'])).to.equal(`web 127.0.0.1:${hostPort}->8080/tcp\n`)
      const insp = JSON.parse(env.ok(['inspect', 'web']))[0]
      expect(insp.NetworkSettings.Ports).to.deep.equal({'8080/tcp': [{HostIp: '127.0.0.1', HostPort: String(hostPort)}]})
      expect(insp.HostConfig.PortBindings).to.deep.equal(insp.NetworkSettings.Ports)
      expect(insp.HostConfig.NetworkMode).to.equal(mode === 'root' ? 'bridge' : 'slirp4netns')
      expect(insp.NetworkSettings.SandboxKey).to.equal(path.join(env.runroot, 'netns', `netns-${id}`))
      let hostVeth = ''
      if (mode === 'root') {
        expect(insp.NetworkSettings.IPAddress).to.match(/^10\.88\./)
        expect(insp.NetworkSettings.Networks.podman.IPAddress).to.equal(insp.NetworkSettings.IPAddress)
        expect(iptables()).to.include(id)
        const idx = env.ok(['exec', 'web', 'cat', '/sys/class/net/eth0/iflink']).trim()
        hostVeth = hostLinks().split('\n').find(l => l.startsWith(`${idx}: `))?.split(':')[1].trim().split('@')[0] ?? ''
        expect(hostVeth).to.match(/^veth/)
      } else {
        expect(netLeftovers().helpers.some(c => c.includes('slirp4netns'))).to.equal(true)
      }
      env.ok(['rm', '-f', '-t', '0', 'web'])
      await expectNoLeftovers()
      if (mode === 'root') {
        expect(iptables()).to.not.include(id)
        expect(iptables()).to.not.match(new RegExp(`--dport ${hostPort} `))
        expect(hostLinks()).to.not.match(new RegExp(`: ${hostVeth}@`))
      }
      // the port is free again
      await new Promise<void>((resolve, reject) => {
        const s: Server = createServer().once('error', reject).listen(hostPort, '127.0.0.1', () => s.close(() => resolve()))
      })
    })

    it('-P publishes the image\'s EXPOSE on a random port; a range with -p', async () => {
      const [a, b] = [await freePort(), await freePort()]
      env.ok(['run', '-d', '--name', 'pall', '-P', 'bbx', ...HTTPD('random-port')])
      const line = env.ok(['port', 'pall']).trim()
      const m = /^8080\/tcp -> 0\.0\.0\.0:(\d+)$/.exec(line)
      expect(m, line).to.not.equal(null)
      expect(await fetchUntil(`http://127.0.0.1:${m![1]}/`)).to.equal('random-port\n')
      const insp = JSON.parse(env.ok(['inspect', 'pall']))[0]
      expect(insp.HostConfig.PublishAllPorts).to.equal(true)
      env.ok(['rm', '-f', '-t', '0', 'pall'])
      // two ports, one of them a range of one: as ps prints them
      if (Math.abs(a - b) > 0) {
        env.ok(['create', '--name', 'rng', '-p', `${a}:8080/udp`, '-p', `${b}:9090`, 'bb', 'true'])
        expect(env.ok(['ps', '-a', '--format', '{{.Ports}}'])).to.equal(`0.0.0.0:${a}->8080/udp, 0.0.0.0:${b}->9090/tcp\n`)
        env.ok(['rm', 'rng'])
      }
      await expectNoLeftovers()
    })

    it('two containers on a user network talk by name and alias (aardvark-dns)', async () => {
      expect(env.ok(['network', 'create', 'pnet'])).to.equal('pnet\n')
      const hostPort = await freePort()
      env.ok(['run', '-d', '--name', 'srv', '--network', 'pnet', '--network-alias', 'websrv', '-p', `${hostPort}:8080`, 'bb', ...HTTPD('by-name')])
      await fetchUntil(`http://127.0.0.1:${hostPort}/`)
      const out = env.ok(['run', '--rm', '--network', 'pnet', 'bb', 'sh', '-c', 'wget -q -O- http://srv:8080/ && wget -q -O- http://websrv:8080/ && cat /etc/resolv.conf'])
      expect(out).to.match(/^by-name\nby-name\n/)
      expect(out).to.match(/^search dns\.podman/m)
      const net = JSON.parse(env.ok(['inspect', 'srv']))[0].NetworkSettings.Networks.pnet
      expect(net.IPAddress).to.match(/^10\.\d+\.\d+\.\d+$/)
      expect(net.Aliases).to.include('websrv')
      expect(env.ok(['ps', '--format', '{{.Names}} {{.Networks}}'])).to.equal('srv pnet\n')
      // in use: rm refuses without -f (exit 2), -f removes the container too
      const bridge = env.ok(['network', 'inspect', '--format', '{{.NetworkInterface}}', 'pnet']).trim()
      if (mode === 'root') expect(hostLinks()).to.include(`: ${bridge}:`)
      expectError(env.run(['network', 'rm', 'pnet']), 2, /"pnet" has associated containers with it\. Use -f to forcibly delete containers and pods: network is being used/)
      expect(env.ok(['network', 'rm', '-f', '-t', '0', 'pnet'])).to.equal('pnet\n')
      expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      await expectNoLeftovers()
      // netavark removes the bridge with its last container
      expect(hostLinks()).to.not.include(`: ${bridge}:`)
    })

    it('network create/ls/inspect/exists/connect/disconnect/prune in netavark\'s JSON format', () => {
      expect(env.ok(['network', 'create', '--subnet', '10.131.7.0/24', '--gateway', '10.131.7.254', '--ip-range', '10.131.7.128/25',
        '--label', 'k=v', '--opt', 'mtu=1400', '--internal', 'n1'])).to.equal('n1\n')
      env.ok(['network', 'create', '--disable-dns', 'n2'])
      const file = JSON.parse(readFileSync(path.join(env.root, 'networks', 'n1.json'), 'utf8'))
      expect(Object.keys(file)).to.deep.equal(['name', 'id', 'driver', 'network_interface', 'created', 'subnets', 'ipv6_enabled', 'internal', 'dns_enabled', 'labels', 'options', 'ipam_options'])
      expect(file).to.deep.include({name: 'n1', driver: 'bridge', internal: true, dns_enabled: true, labels: {k: 'v'}, options: {mtu: '1400'}, ipam_options: {driver: 'host-local'}})
      expect(file.subnets).to.deep.equal([{subnet: '10.131.7.0/24', gateway: '10.131.7.254', lease_range: {start_ip: '10.131.7.128', end_ip: '10.131.7.254'}}])
      const inspected = env.ok(['network', 'inspect', 'n1'])
      expect(inspected).to.match(/^\[\n {5}\{\n {10}"name": "n1",/)
      expect(JSON.parse(inspected)[0]).to.deep.equal(file)
      expect(env.ok(['network', 'inspect', '--format', '{{.Name}} {{.Driver}} {{.Internal}} {{.DNSEnabled}}', 'n2'])).to.equal('n2 bridge false false\n')
      expect(env.ok(['network', 'ls', '-q'])).to.equal('n1\nn2\npodman\n')
      expect(env.ok(['network', 'ls'])).to.match(/^NETWORK ID\s+NAME\s+DRIVER\n[0-9a-f]{12}\s+n1\s+bridge\n/)
      expect(env.ok(['network', 'ls', '--filter', 'label=k=v', '--format', '{{.Name}} {{.Labels}}'])).to.equal('n1 k=v\n')
      expect(JSON.parse(env.ok(['network', 'ls', '--format', 'json'])).map((n: {name: string}) => n.name)).to.deep.equal(['n1', 'n2', 'podman'])
      expect(env.ok(['network', 'inspect', '--format', '{{.ID}}', 'podman']).trim()).to.equal('2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9')
      expect(env.run(['network', 'exists', 'n1']).code).to.equal(0)
      expect(env.run(['network', 'exists', 'nope']).code).to.equal(1)
      // connect/disconnect a created container (bridge mode)
      env.ok(['create', '--name', 'cc', '--network', 'n2', 'bb', 'true'])
      env.ok(['network', 'connect', '--alias', 'al', 'n1', 'cc'])
      expect(Object.keys(JSON.parse(env.ok(['inspect', 'cc']))[0].NetworkSettings.Networks)).to.deep.equal(['n2', 'n1'])
      expectError(env.run(['network', 'rm', 'n1']), 2, /network is being used/)
      env.ok(['network', 'disconnect', 'n1', 'cc'])
      expect(Object.keys(JSON.parse(env.ok(['inspect', 'cc']))[0].NetworkSettings.Networks)).to.deep.equal(['n2'])
      expect(env.ok(['network', 'prune', '-f'])).to.equal('n1\n')
      env.ok(['rm', 'cc'])
      expect(env.ok(['network', 'rm', 'n2'])).to.equal('n2\n')
      expectError(env.run(['network', 'rm', 'podman']), 125, /default network podman cannot be removed/)
      expectError(env.run(['network', 'rm', 'nope']), 1, /unable to find network with name or ID nope: network not found/)
    })

    it('a static --ip and --mac-address, --add-host, --dns*, --no-hosts', () => {
      env.ok(['network', 'create', '--subnet', '10.131.9.0/24', 'sn'])
      const out = env.ok(['run', '--rm', '--network', 'sn', '--ip', '10.131.9.77', '--mac-address', '92:d0:c6:0a:29:33', '--add-host', 'foo:192.0.2.77',
        '--dns', '192.0.2.53', '--dns-search', 'example.test', '--dns-option', 'ndots:3', 'bb', 'sh', '-c', 'ip -o -4 addr show eth0; cat /sys/class/net/eth0/address; cat /etc/hosts /etc/resolv.conf'])
      expect(out).to.match(/inet 10\.131\.9\.77\/24/)
      expect(out).to.include('92:d0:c6:0a:29:33')
      expect(out).to.match(/^192\.0\.2\.77\tfoo$/m)
      expect(out).to.match(/^nameserver 192\.0\.2\.53$/m)
      expect(out).to.match(/^search .*example\.test/m)
      expect(out).to.match(/^options ndots:3$/m)
      expect(env.ok(['run', '--rm', '--no-hosts', 'bb', 'sh', '-c', 'test -e /etc/hosts && echo yes || echo no'])).to.equal('no\n')
      env.ok(['network', 'rm', 'sn'])
    })

    it('--network container:ID shares the namespace; host shares the host\'s', async () => {
      env.ok(['run', '-d', '--name', 'owner', 'bb', ...HTTPD('shared-ns')])
      const got = await waitUntil('httpd in the shared netns', () => {
        const r = env.run(['run', '--rm', '--network', 'container:owner', 'bb', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'])
        return r.code === 0 && r.stdout
      })
      expect(got).to.equal('shared-ns\n')
      env.ok(['rm', '-f', '-t', '0', 'owner'])
      const hostNs = execFileSync('readlink', ['/proc/self/ns/net'], {encoding: 'utf8'})
      expect(env.ok(['run', '--rm', '--network', 'host', 'bb', 'readlink', '/proc/self/ns/net'])).to.equal(hostNs)
      await expectNoLeftovers()
    })

    if (mode === 'rootless') {
      it('pasta: a published port answers, and pasta goes with the container', async () => {
        const hostPort = await freePort()
        env.ok(['run', '-d', '--name', 'pw', '--network', 'pasta', '-p', `${hostPort}:8080`, 'bb', ...HTTPD('via-pasta')])
        expect(await fetchUntil(`http://127.0.0.1:${hostPort}/`)).to.equal('via-pasta\n')
        expect(netLeftovers().helpers.some(c => c.includes('pasta'))).to.equal(true)
        env.ok(['rm', '-f', '-t', '0', 'pw'])
        await expectNoLeftovers()
      })
    }

    it('bad input: one line, exit 125, nothing set up', async () => {
      // a host port already in use
      const busy = createServer()
      const port = await new Promise<number>(resolve => busy.listen(0, () => resolve((busy.address() as {port: number}).port)))
      try {
        expectError(env.run(['run', '--rm', '-p', `${port}:8080`, 'bb', 'true']), 125, new RegExp(`listen tcp 0\\.0\\.0\\.0:${port}: bind: address already in use`))
      } finally {
        busy.close()
      }
      expectError(env.run(['run', '--rm', '--network', 'nosuch', 'bb', 'true']), 125, /unable to find network with name or ID nosuch: network not found/)
      expectError(env.run(['run', '--rm', '-p', '80:abc', 'bb', 'true']), 125, /parsing container port: invalid port number/)
      expectError(env.run(['run', '--rm', '-p', '8000-8002:80-81', 'bb', 'true']), 125, /host and container port ranges have different lengths: 3 vs 2/)
      expectError(env.run(['run', '--rm', '--add-host', 'foo', 'bb', 'true']), 125, /bad format for add-host: "foo"/)
      expectError(env.run(['run', '--rm', '--network', 'none', '--ip', '10.0.0.2', 'bb', 'true']), 125, /static ip\/mac address can only be used with Bridge mode networking/)
      env.ok(['network', 'create', '--subnet', '10.131.11.0/24', 'ov1'])
      expectError(env.run(['network', 'create', '--subnet', '10.131.0.0/16', 'ov2']), 125, /subnet 10\.131\.0\.0\/16 is already used on the host or by another config/)
      expectError(env.run(['network', 'create', 'ov1']), 125, /network name ov1 already used: network already exists/)
      expectError(env.run(['network', 'create', '--subnet', '10.131.12.0/33', 'ov3']), 125, /invalid CIDR address/)
      env.ok(['network', 'rm', 'ov1'])
      expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      await expectNoLeftovers()
    })
  })
}
