// The format code decides ASCII names and templates without Unicode regexes
// (start-up cost); a non-ASCII template or name takes the Unicode path and
// must behave as Go's text/template and camelcase.Split do.
import {expect} from 'chai'
import {compileTemplate} from '../../src/libpod/format/template.js'
import {headerRow, renderRows, splitCamelCase} from '../../src/libpod/format/table.js'
import {TemplateError} from '../../src/libpod/define/errors.js'

const run = (src: string, data?: unknown): string => compileTemplate(src, {name: 'x'}).execute(data)

describe('format: ASCII fast paths and the Unicode paths agree', () => {
  it('fields, variables and identifiers lex the same in an ASCII and a non-ASCII template', () => {
    const data = {Name: 'a', Ñame: 'b', N_1: 'c'}
    expect(run('{{.Name}} {{.N_1}}', data)).to.equal('a c')
    expect(run('{{.Name}} {{.Ñame}} {{.N_1}} é', data)).to.equal('a b c é')
    expect(run('{{$x := .Name}}{{$x}}', data)).to.equal('a')
    expect(run('{{$é := .Ñame}}{{$é}}', data)).to.equal('b')
    expect(run('{{printf "%s" .Name}}', data)).to.equal('a')
  })

  it('a bad character or number is refused in both forms', () => {
    for (const src of ['{{.Name#}}', '{{.Ñame#}}', '{{3x}}', '{{3é}}']) {
      expect(() => run(src, {Name: 'a', Ñame: 'b'}), src).to.throw(TemplateError)
    }
  })

  it('an object whose keys all start upper-case (ASCII or not) is a struct, else a map', () => {
    // a struct's missing field is an error; a map's missing key is <no value>
    expect(() => run('{{.B}}', {A: 1})).to.throw(TemplateError, 'type struct')
    expect(() => run('{{.C}}', {A: 1, Éb: 2})).to.throw(TemplateError, 'type struct')
    expect(run('{{.Éb}}', {Éb: 2, A: 1})).to.equal('2')
    expect(run('{{.B}}', {a: 1})).to.equal('<no value>')
    expect(run('{{.C}}', {A: 1, éb: 2})).to.equal('<no value>')
    expect(run('{{.C}}', {A: 1, _b: 2})).to.equal('<no value>')
  })

  it('splitCamelCase: ASCII classes as Unicode ones', () => {
    expect(splitCamelCase('RepoDigests')).to.deep.equal(['Repo', 'Digests'])
    expect(splitCamelCase('PDFLoader')).to.deep.equal(['PDF', 'Loader'])
    expect(splitCamelCase('IPv6Gateway')).to.deep.equal(['I', 'Pv', '6', 'Gateway'])
    expect(splitCamelCase('ÉtatÀJour')).to.deep.equal(['État', 'À', 'Jour'])
    expect(splitCamelCase('a_b')).to.deep.equal(['a', '_', 'b'])
  })

  it('headers for fields a format names, ASCII or not, even with no rows', () => {
    expect(renderRows('table {{.CreatedAt}}\t{{.Ñame}}', [])).to.equal('CREATED AT  ÑAME\n')
    expect(renderRows('table {{.CreatedAt}}', [])).to.equal('CREATED AT\n')
    expect([...headerRow({Ñame: 1}).values()]).to.deep.equal(['ÑAME'])
  })
})
