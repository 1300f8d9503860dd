// Property tests (fast-check) of the text formats peapod reads from users:
// Kubernetes YAML (parsed and planned into pods and containers),
// Containerfiles (parsed, every instruction's words and pairs expanded),
// Quadlet unit files (the whole generator over a directory of them),
// containers.conf/storage.conf (loaded, then the runtime and network
// settings taken from them) and registries.conf (loaded, short names
// resolved, pull endpoints listed). Inputs are the seed files of
// test/fuzz-corpus/<format>/, mutated: spans cut and duplicated, tokens
// of the format inserted, characters replaced. The property: a result or
// a typed error (PeapodError; the generator's exit code), never an
// uncaught exception. FUZZ_RUNS raises the count; crashes found are kept
// as regression cases below.
import {expect} from 'chai'
import fc from 'fast-check'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {InvalidArgument, PeapodError} from '../../src/libpod/define/errors.js'
import {Runtime} from '../../src/libpod/runtime.js'
import {planPlay} from '../../src/libpod/kube/play.js'
import {parseContainerfile} from '../../src/libpod/build/parse.js'
import {expandWords, keyValues, rawWords} from '../../src/libpod/build/expand.js'
import {runGenerator} from '../../src/libpod/quadlet/generator.js'
import {loadConfig} from '../../src/libpod/config/config.js'
import {containerRuntime} from '../../src/libpod/oci/runtime.js'
import {networkSettings} from '../../src/libpod/network/config.js'
import {RegistriesConf, resolvePullName} from '../../src/libpod/image/registry/config.js'
import {parseReference} from '../../src/libpod/image/reference.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fuzz-corpus')

function seeds(dir: string): Array<{name: string; text: string}> {
  return readdirSync(path.join(CORPUS, dir)).sort().map(name => ({name, text: readFileSync(path.join(CORPUS, dir, name), 'utf8')}))
}

type Op = {k: 'cut'; at: number; len: number} | {k: 'dup'; at: number; len: number; to: number} | {k: 'ins'; at: number; tok: string} |
  {k: 'chr'; at: number; ch: string} | {k: 'line'; at: number; tok: string}

// (unbiased: fast-check's bias to the bounds would put most mutations at the very start)
const at = fc.noBias(fc.double({min: 0, max: 1, noNaN: true, maxExcluded: true}))
function ops(dict: string[]): fc.Arbitrary<Op[]> {
  const tok = fc.oneof({weight: 4, arbitrary: fc.constantFrom(...dict)}, fc.string({maxLength: 8}), fc.constantFrom('\n', '\r\n', '\t', '\0', '\\', '"', "'", '\u00e9', '\u{1F600}', '\uFFFD', ' '.repeat(40), 'x'.repeat(3000)))
  return fc.array(fc.oneof(
    fc.record({k: fc.constant('cut' as const), at, len: fc.nat(120)}),
    fc.record({k: fc.constant('dup' as const), at, len: fc.nat(200), to: at}),
    {weight: 3, arbitrary: fc.record({k: fc.constant('ins' as const), at, tok})},
    fc.record({k: fc.constant('chr' as const), at, ch: fc.constantFrom(...dict.filter(t => t.length === 1), ' ', ':', '=', '"', '\n', '[', ']', '{', '}', '$', '-')}),
    fc.record({k: fc.constant('line' as const), at, tok}),
  ), {minLength: 1, maxLength: 3})
}

function mutate(text: string, list: Op[]): string {
  let s = text
  const pos = (f: number) => Math.floor(f * s.length)
  for (const o of list) {
    const i = pos(o.at)
    switch (o.k) {
      case 'cut': s = s.slice(0, i) + s.slice(i + o.len); break
      case 'dup': {
        const j = pos(o.to)
        s = s.slice(0, j) + s.slice(i, i + o.len) + s.slice(j)
        break
      }
      case 'ins': s = s.slice(0, i) + o.tok + s.slice(i); break
      case 'chr': s = s.slice(0, i) + o.ch + s.slice(i + 1); break
      case 'line': {
        const lines = s.split('\n')
        lines[Math.floor(o.at * lines.length)] = o.tok
        s = lines.join('\n')
      }
    }
  }
  return s
}

/** A seed of the corpus, mutated (a few kept as they are). */
function input(dir: string, dict: string[]): fc.Arbitrary<{seed: string; text: string}> {
  const all = seeds(dir)
  return fc.tuple(fc.constantFrom(...all), fc.oneof({weight: 1, arbitrary: fc.constant([] as Op[])}, {weight: 6, arbitrary: ops(dict)}))
    .map(([s, o]) => ({seed: s.name, text: mutate(s.text, o)}))
}

/** Runs fn; a PeapodError is an answer, anything else a crash (with the input in the message). */
function typedOnly(what: string, text: string, fn: () => void, ok: (e: unknown) => boolean = e => e instanceof PeapodError): 'ok' | 'refused' {
  try {
    fn()
    return 'ok'
  } catch (e) {
    if (ok(e)) {
      if (process.env.FUZZ_DEBUG) console.log(`${what}: ${String((e as Error).message).split('\n')[0].slice(0, 100)}`)
      return 'refused'
    }
    throw new Error(`${what}: uncaught ${(e as Error)?.stack ?? e}\n--- input ---\n${text.slice(0, 2000)}`)
  }
}

const KUBE_DICT = ['apiVersion: v1', 'kind: Pod', 'kind: Deployment', 'kind: List', 'items:', 'spec:', 'containers:', '- name: x', 'image: busybox', 'metadata:',
  'name:', 'null', '~', '[]', '{}', '- ', ': ', '&a ', '*a', '<<: *a', '!!binary', '!!str', '!!int', '---', '...', 'yes', 'on', '0x1F', '1e400', '-1', '3.5',
  'hostPort: 99999', 'containerPort: -1', 'protocol: SCTP', 'value:', 'valueFrom:', 'configMapKeyRef:', 'secretKeyRef:', 'volumes:', 'hostPath:', 'path:',
  'volumeMounts:', 'mountPath:', 'subPath: ../..', 'replicas: 3', 'template:', 'command:', 'args:', 'env:', 'memory: 1Zi', 'cpu: abc', 'runAsUser: -5',
  'securityContext:', 'capabilities:', 'restartPolicy: Sometimes', 'hostNetwork: true', 'hostname:', 'annotations:', 'labels:', '  ', '    ', '"', "'", '#', '|', '>', '%YAML 1.2']
const CF_DICT = ['FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'WORKDIR', 'USER', 'ONBUILD', 'HEALTHCHECK', 'SHELL', 'CMD', 'ENTRYPOINT', 'EXPOSE', 'VOLUME',
  ' AS ', '--from=', '--chown=', '--chmod=', '--mount=type=', '--network=', '--platform=', '<<EOF', '<<-EOT', 'EOF', '\\\n', '`\n', '# escape=`', '# escape=\\',
  '${', '}', '$', ':-', ':+', ':?', '${A:-${B}}', '$$', '=', '"', "'", '[', ']', '["a",', '\\', ' ', '\t', '\n', 'A=b', 'x y']
const QUADLET_DICT = ['[Container]', '[Volume]', '[Network]', '[Pod]', '[Kube]', '[Image]', '[Build]', '[Unit]', '[Service]', '[Install]', 'Image=', 'Exec=',
  'Volume=', 'Network=', 'Pod=', 'PublishPort=', 'Environment=', 'Label=', 'Yaml=', 'ImageTag=', 'Mount=', 'Secret=', 'PodmanArgs=', 'UserNS=', 'User=',
  'Group=', 'RemapUsers=', 'Notify=', 'AutoUpdate=', 'HealthCmd=', 'Tmpfs=', '%h', '%n', '%%', '%', '\\', '\\\n', '"', "'", '=', '#', ';', '\n', ' ',
  'x.volume', 'y.network', 'q.pod', 'z.image', 'w.build', '.container']
const TOML_DICT = ['[containers]', '[engine]', '[network]', '[engine.runtimes]', '[[registry]]', '[[registry.mirror]]', '[aliases]', '[registries.search]',
  'runtime = ', 'netns = ', 'default_subnet_pools = ', 'helper_binaries_dir = ', 'dns_bind_port = ', 'network_config_dir = ', 'default_network = ',
  'prefix = ', 'location = ', 'insecure = ', 'blocked = ', 'mirror-by-digest-only = ', 'pull-from-mirror = ', 'short-name-mode = ',
  'unqualified-search-registries = ', 'registries = ', 'driver = ', 'mount_program = ',
  '"', "'", '"""', '[', ']', '{', '}', '=', ',', '.', '1', '-1', '1e999', 'true', 'nan', 'inf', '1979-05-27T07:32:00Z', '[1, "a"]', '{a = 1}', '"*"',
  '"*.x"', '"a/b:c"', '"[::1]:5000"', '"localhost:5000/x"', '""', '[]', '{}', '#', '\n']

describe('fuzz: Kubernetes YAML, Containerfiles, Quadlet, containers.conf, registries.conf (fast-check)', function () {
  this.timeout(600_000)
  let tmp: string
  let rt: Runtime
  const savedEnv = {...process.env}
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-fuzz-in-'))
    rt = await Runtime.open({root: path.join(tmp, 'root'), runroot: path.join(tmp, 'run'), storageDriver: 'vfs'})
  })
  after(() => {
    for (const k of ['CONTAINERS_CONF', 'CONTAINERS_STORAGE_CONF', 'CONTAINERS_REGISTRIES_CONF']) {
      if (savedEnv[k] === undefined) delete process.env[k]
      else process.env[k] = savedEnv[k]
    }
    rmSync(tmp, {recursive: true, force: true})
  })

  it('regressions found by fuzzing', function () {
    // a merge key whose alias is not a map: the YAML library threw a plain Error
    expect(() => planPlay(rt, '<<: *a\nkind: Pod\n')).to.throw(InvalidArgument, /^multi doc yaml could not be split: yaml: /)
    expect(() => planPlay(rt, 'a: &a 1\n<<: *a\nkind: Pod\n')).to.throw(InvalidArgument, /Merge sources must be maps/)
  })

  it('Kubernetes YAML: planned into pods or refused with a typed error', function () {
    const seen = {ok: 0, refused: 0}
    fc.assert(fc.property(input('kube', KUBE_DICT), ({text}) => {
      seen[typedOnly('kube play', text, () => planPlay(rt, text, {}))]++
    }), {numRuns: RUNS})
    console.log(`      ${RUNS} YAML inputs: ${seen.ok} planned, ${seen.refused} refused`)
    expect(seen.ok).to.be.greaterThan(0)
  })

  it('Containerfiles: parsed and expanded, or refused with a typed error', function () {
    const seen = {ok: 0, refused: 0}
    const vars = new Map([['A', 'a'], ['B', ''], ['VERSION', '1'], ['PATH', '/bin']])
    fc.assert(fc.property(input('containerfile', CF_DICT), ({text}) => {
      seen[typedOnly('Containerfile', text, () => {
        const cf = parseContainerfile(text, 'Containerfile')
        for (const st of cf.stages) {
          for (const ins of st.instructions) {
            if (typeof ins.args !== 'string') continue
            expandWords(ins.args, vars, cf.escape)
            rawWords(ins.args, cf.escape)
            if (['ENV', 'LABEL', 'ARG'].includes(ins.keyword)) keyValues(ins.args, vars, cf.escape, ins.keyword, undefined, ins.keyword === 'ARG')
          }
        }
      })]++
    }), {numRuns: RUNS})
    console.log(`      ${RUNS} Containerfiles: ${seen.ok} parsed, ${seen.refused} refused`)
    expect(seen.ok).to.be.greaterThan(0)
  })

  it('Quadlet unit files: the generator writes units or reports errors, never throws', function () {
    let n = 0
    const codes = new Map<number, number>()
    const units = fc.array(input('quadlet', QUADLET_DICT), {minLength: 1, maxLength: 4})
    fc.assert(fc.property(units, fc.boolean(), (list, isUser) => {
      const dir = path.join(tmp, `q${n++}`)
      mkdirSync(dir)
      for (const u of list) writeFileSync(path.join(dir, u.seed), u.text)
      try {
        const rc = runGenerator({isUser, dryRun: true, verbose: false, noKmsg: true, argv0: 'peapod-generator',
          env: {QUADLET_UNIT_DIRS: dir, PODMAN: '/usr/bin/peapod', HOME: '/root'}, stdout: () => {}, stderr: () => {}})
        codes.set(rc, (codes.get(rc) ?? 0) + 1)
      } catch (e) {
        throw new Error(`quadlet generator: uncaught ${(e as Error)?.stack ?? e}\n${list.map(u => `--- ${u.seed} ---\n${u.text.slice(0, 1500)}`).join('\n')}`)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    }), {numRuns: RUNS})
    console.log(`      ${RUNS} unit directories: exit codes ${[...codes].map(([c, k]) => `${c}: ${k}`).join(', ')}`)
  })

  it('containers.conf and storage.conf: the runtime and network settings, or a ConfigError', function () {
    const seen = {ok: 0, refused: 0}
    let n = 0
    fc.assert(fc.property(input('containers-conf', TOML_DICT), ({seed, text}) => {
      const file = path.join(tmp, `c${n++}.conf`)
      writeFileSync(file, text)
      const storage = seed === 'storage.conf'
      if (storage) {
        process.env.CONTAINERS_STORAGE_CONF = file
        delete process.env.CONTAINERS_CONF
      } else {
        process.env.CONTAINERS_CONF = file
        delete process.env.CONTAINERS_STORAGE_CONF
      }
      seen[typedOnly(seed, text, () => {
        const config = loadConfig({root: path.join(tmp, 'root'), runroot: path.join(tmp, 'run')})
        void config.containers
        void config.engine
        try {
          containerRuntime(config)
        } catch (e) {
          // no such runtime here is an answer too
          if (!(e instanceof PeapodError)) throw e
        }
        networkSettings({config} as unknown as Runtime)
      })]++
      rmSync(file)
    }), {numRuns: RUNS})
    delete process.env.CONTAINERS_CONF
    delete process.env.CONTAINERS_STORAGE_CONF
    console.log(`      ${RUNS} config files: ${seen.ok} loaded, ${seen.refused} refused`)
    expect(seen.ok).to.be.greaterThan(0)
  })

  it('registries.conf: short names resolved and endpoints listed, or a ConfigError', function () {
    const seen = {ok: 0, refused: 0}
    let n = 0
    fc.assert(fc.property(input('registries-conf', TOML_DICT), fc.constantFrom('busybox', 'myimg', 'docker.io/library/busybox', 'a.example.com/x:1', 'localhost:5000/x'), ({text}, name) => {
      const file = path.join(tmp, `r${n++}.conf`)
      writeFileSync(file, text)
      process.env.CONTAINERS_REGISTRIES_CONF = file
      seen[typedOnly('registries.conf', text, () => {
        const conf = RegistriesConf.load([path.join(tmp, 'none')], false)
        const res = resolvePullName(conf, name, false)
        for (const c of res.candidates) conf.pullEndpoints(c)
        conf.pullEndpoints(parseReference('docker.io/library/busybox:latest'))
      })]++
      rmSync(file)
    }), {numRuns: RUNS})
    delete process.env.CONTAINERS_REGISTRIES_CONF
    console.log(`      ${RUNS} registries.conf files: ${seen.ok} loaded, ${seen.refused} refused`)
    expect(seen.ok).to.be.greaterThan(0)
  })
})
