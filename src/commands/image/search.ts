import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderList} from '../../cli/output.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

interface Row {
  Index: string
  Name: string
  Description: string
  Stars: number
  Official: string
  Automated: string
  Tag: string
}

export default class ImageSearch extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Search registry for image'
  static override description = 'Search registries for a given image. Can search all the default registries or a specific registry.\n\nUsers can limit the number of results, and filter the output based on certain conditions.'
  static override aliases = ['search']
  static override usage = '[options] TERM'
  static override args = {term: Args.string({required: true, description: 'search term, optionally prefixed by a registry (registry/term)'})}
  static override flags = {
    ...authFlags,
    ...tlsFlags,
    compatible: Flags.boolean({description: 'List stars, official and automated columns (Docker compatibility)'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions provided (default [])'}),
    format: Flags.string({description: 'Change the output format to JSON or a Go template'}),
    limit: Flags.integer({description: 'Limit the number of results', default: 0}),
    'list-tags': Flags.boolean({description: 'List the tags of the input registry'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate the output'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageSearch, boolArgv(this.argv))
    const rt = await this.runtime(flags)
    const [{Registry}, {RegistriesConf}, {parseReference}] = await Promise.all([
      load.registryClient(),
      load.registryConfig(),
      load.reference(),
    ])
    const conf = RegistriesConf.load(rt.config.configDirs)
    const creds = await credsFlag(flags.creds)
    const filters = parseFilters(flags.filter ?? [])
    let term = args.term.replace(/^docker:\/\//, '')
    let registries = conf.searchRegistries
    const slash = term.indexOf('/')
    if (slash > 0 && /[.:]|^localhost$/.test(term.slice(0, slash))) {
      registries = [term.slice(0, slash)]
      term = term.slice(slash + 1)
    }
    if (registries.length === 0) throw new InvalidArgument('no registries to search: give one (REGISTRY/TERM) or set unqualified-search-registries in registries.conf')
    const limit = flags.limit > 0 ? flags.limit : 25
    const rows: Row[] = []
    const errors: string[] = []
    for (const domain of registries) {
      const reg = new Registry(domain, {conf, tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'], creds, authfile: flags.authfile})
      try {
        if (flags['list-tags']) {
          const ref = parseReference(`${domain}/${term}`)
          if (ref.tag || ref.digest) throw new InvalidArgument(`reference "${args.term}" must not have a tag or digest for --list-tags`)
          const tags = await reg.listTags(ref.path)
          for (const tag of tags.slice(0, flags.limit > 0 ? flags.limit : tags.length)) {
            rows.push({Index: domain, Name: `${domain}/${ref.path}`, Description: '', Stars: 0, Official: '', Automated: '', Tag: tag})
          }
          continue
        }
        const repos = (await reg.catalog()).filter(r => r.toLowerCase().includes(term.toLowerCase()))
        let n = 0
        for (const r of repos) {
          if (n >= limit) break
          const row: Row = {Index: domain, Name: `${domain}/${r}`, Description: '', Stars: 0, Official: '', Automated: '', Tag: ''}
          if (!filters(row)) continue
          rows.push(row)
          n++
        }
      } catch (e) {
        if (flags['list-tags'] || registries.length === 1) throw new InvalidArgument(`couldn't search registry "${domain}": ${(e as Error).message}`)
        errors.push(`couldn't search registry "${domain}": ${(e as Error).message}`)
      } finally {
        reg.close()
      }
    }
    if (rows.length === 0 && errors.length) throw new InvalidArgument(errors.join('; '))
    for (const e of errors) process.stderr.write(`time="${new Date().toISOString()}" level=error msg=${JSON.stringify(e)}\n`)
    if (flags['list-tags']) {
      if (flags.format === 'json') {
        const byName = new Map<string, string[]>()
        for (const r of rows) byName.set(r.Name, [...(byName.get(r.Name) ?? []), r.Tag])
        this.log(JSON.stringify([...byName].map(([Name, Tags]) => ({Name, Tags})), null, 4))
        return
      }
      writeOut(renderList(flags.format, rows, {defaultFormat: 'table {{.Name}}\t{{.Tag}}', headers: HEADERS}))
      return
    }
    if (!flags['no-trunc']) for (const r of rows) if (r.Description.length > 44) r.Description = r.Description.slice(0, 41) + '...'
    const def = flags.compatible
      ? 'table {{.Name}}\t{{.Description}}\t{{.Stars}}\t{{.Official}}\t{{.Automated}}'
      : 'table {{.Name}}\t{{.Description}}'
    if (rows.length === 0 && !flags.format) return
    writeOut(renderList(flags.format, rows, {defaultFormat: def, headers: HEADERS}))
  }
}

const HEADERS = {Index: 'INDEX', Name: 'NAME', Description: 'DESCRIPTION', Stars: 'STARS', Official: 'OFFICIAL', Automated: 'AUTOMATED', Tag: 'TAG'}

function parseFilters(list: string[]): (r: Row) => boolean {
  const checks: Array<(r: Row) => boolean> = []
  for (const f of list) {
    const eq = f.indexOf('=')
    const k = eq < 0 ? f : f.slice(0, eq)
    const v = eq < 0 ? '' : f.slice(eq + 1)
    if (k === 'stars') {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgument(`non-integer value for stars: ${v}`)
      checks.push(r => r.Stars >= n)
    } else if (k === 'is-official' || k === 'is-automated') {
      if (v !== 'true' && v !== 'false') throw new InvalidArgument(`non-boolean value for ${k}: ${v}`)
      const want = v === 'true'
      checks.push(r => ((k === 'is-official' ? r.Official : r.Automated) === '[OK]') === want)
    } else {
      throw new InvalidArgument(`invalid filter type "${k}"`)
    }
  }
  return r => checks.every(c => c(r))
}
