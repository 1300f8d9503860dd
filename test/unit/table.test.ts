// Podman's table output. Expected outputs marked "podman" were produced by
// Podman 4.3.1 for the same rows (podman images/ps with a scratch store).
import {expect} from 'chai'
import {
  compileFormat, enforceRange, fieldNames, headerRow, isJSONFormat, isTableFormat, normalizeFormat, renderRows, splitCamelCase,
  tabwrite, tabwriteText,
} from '../../src/libpod/format/table.js'
import {TemplateError} from '../../src/libpod/define/errors.js'

const images = [
  {Repository: 'localhost/alpha', Tag: '1.0', ID: '59e39614f2de', Created: 'Less than a second ago', Size: '11.3 kB', Labels: {}},
  {Repository: 'quay.io/some/really-long-repository-name', Tag: 'latest', ID: '59e39614f2de', Created: 'Less than a second ago', Size: '11.3 kB', Labels: {}},
  {Repository: 'localhost/b', Tag: 'x', ID: '59e39614f2de', Created: 'Less than a second ago', Size: '11.3 kB', Labels: {}},
]
const imageHeaders = {ID: 'IMAGE ID'}
const render = (format: string, rows: object[] = images, headers: Record<string, string> = imageHeaders): string =>
  renderRows(format, rows, headers, {name: 'images'})

describe('table', () => {
  describe('format detection', () => {
    it('isTableFormat needs the "table " prefix, as Podman', () => {
      expect(isTableFormat('table {{.ID}}')).to.equal(true)
      expect(isTableFormat('{{.ID}}')).to.equal(false)
      expect(isTableFormat('tablex {{.ID}}')).to.equal(false)
      expect(isTableFormat(' table {{.ID}}')).to.equal(false)
    })

    it('isJSONFormat matches json, {{json .}} and {{ json }}', () => {
      for (const f of ['json', ' json ', '{{json .}}', '{{ json . }}', '{{json}}']) expect(isJSONFormat(f), f).to.equal(true)
      for (const f of ['{{json .ID}}', 'jsonx', '{{.}}']) expect(isJSONFormat(f), f).to.equal(false)
    })
  })

  describe('normalizeFormat', () => {
    // containers/common TestNormalizeFormat
    const cases: [string, string][] = [
      ['{{.ID}}\t{{.ID}}', '{{.ID}}\t{{.ID}}\n'],
      ['{{.ID}}\\t{{.ID}}', '{{.ID}}\t{{.ID}}\n'],
      ['{{.ID}} {{.ID}}', '{{.ID}} {{.ID}}\n'],
      ['table {{.ID}}\\t{{.ID}}', '{{.ID}}\t{{.ID}}\n'],
      ['table {{.ID}} {{.ID}}', '{{.ID}}\t{{.ID}}\n'],
      ['{{.ID}}\\n', '{{.ID}}\n'],
      ['table {{.ID}}\\n{{.Tag}}', '{{.ID}}\n{{.Tag}}\n'],
      ['table {{.ID}} table {{.Tag}}', '{{.ID}}\t{{.Tag}}\n'],
    ]
    for (const [input, want] of cases) it(JSON.stringify(input), () => expect(normalizeFormat(input)).to.equal(want))
  })

  describe('enforceRange', () => {
    it('wraps formats without a range (containers/common TestTemplate_EnforceRange)', () => {
      const ranged = '{{range .}}foobar was here{{end -}}'
      expect(enforceRange(ranged)).to.equal(ranged)
      expect(enforceRange('foobar was here')).to.equal(ranged)
      expect(enforceRange('{{range .}}foobar was here{{end}}')).to.equal('{{range .}}foobar was here{{end}}')
      expect(enforceRange('{{ range . }}x{{ end }}')).to.equal('{{ range . }}x{{ end }}')
    })
  })

  describe('headers', () => {
    it('splitCamelCase follows Go camelcase.Split', () => {
      const cases: [string, string[]][] = [
        ['', []], ['lowercase', ['lowercase']], ['Class', ['Class']], ['MyClass', ['My', 'Class']], ['MyC', ['My', 'C']],
        ['HTML', ['HTML']], ['PDFLoader', ['PDF', 'Loader']], ['AString', ['A', 'String']],
        ['SimpleXMLParser', ['Simple', 'XML', 'Parser']], ['vimRPCPlugin', ['vim', 'RPC', 'Plugin']],
        ['GL11Version', ['GL', '11', 'Version']], ['99Bottles', ['99', 'Bottles']], ['May5', ['May', '5']],
        ['BFG9000', ['BFG', '9000']], ['BöseÜberraschung', ['Böse', 'Überraschung']], ['Two  spaces', ['Two', '  ', 'spaces']],
        ['ID', ['ID']], ['ParentId', ['Parent', 'Id']], ['RepoDigests', ['Repo', 'Digests']],
      ]
      for (const [input, want] of cases) expect(splitCamelCase(input), input).to.deep.equal(want)
    })

    it('headerRow derives headers from fields and upper-cases overrides (report.Headers)', () => {
      const h = headerRow({FieldA: true, Fieldb: true, CreatedAt: 1}, {Fieldb: 'field b'})
      expect([...h]).to.deep.equal([['FieldA', 'FIELD A'], ['Fieldb', 'FIELD B'], ['CreatedAt', 'CREATED AT']])
      expect(headerRow(undefined, {}, ['ReadOnly']).get('ReadOnly')).to.equal('READ ONLY')
    })
  })

  describe('tabwriter', () => {
    const podman = (text: string): string => tabwriteText(text)

    it('pads every column but the last to max(cell + padding, minwidth)', () => {
      expect(podman('REPOSITORY\tTAG\nlocalhost/alpha\t1.0\n')).to.equal('REPOSITORY       TAG\nlocalhost/alpha  1.0\n')
      expect(podman('a\tb\tc\n')).to.equal('a           b           c\n')
    })

    it('treats the text after the last tab as outside any column', () => {
      expect(podman('a\tb\t\n')).to.equal('a           b           \n') // podman: 'table {{.ID}}\t' pads
      expect(podman('a\tb\t')).to.equal('a           b') // unterminated empty last cell is dropped (Go tabwriter test 5c)
    })

    it('aligns columns only across consecutive lines that have them', () => {
      // podman images --format 'table {{.Tag}}\n{{.Repository}}\t{{.Tag}}'
      const text = 'TAG\nREPOSITORY\tTAG\n1.0\nlocalhost/alpha\t1.0\nlatest\nquay.io/x/long-name\tlatest\n'
      expect(podman(text)).to.equal('TAG\nREPOSITORY  TAG\n1.0\nlocalhost/alpha  1.0\nlatest\nquay.io/x/long-name  latest\n')
      // A column's block ends where a line has fewer cells; deeper columns restart.
      expect(podman('a\tbbbbbbbbbbbbbbbb\tc\nd\te\nf\tg\th\n')).to.equal(
        'a           bbbbbbbbbbbbbbbb  c\nd           e\nf           g           h\n',
      )
    })

    it('matches containers/common formatter tests', () => {
      const ids = 'Identity\tValue\nc061a0839e\tone\nf10fc2e11057\ttwo\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tthree\n'
      expect(podman(ids)).to.equal(
        'Identity                          Value\nc061a0839e                        one\nf10fc2e11057                      two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  three\n',
      )
      expect(tabwriteText(ids, {minwidth: 8, tabwidth: 1, padding: 1, padchar: ' ', debug: true})).to.equal(
        'Identity                         |Value\nc061a0839e                       |one\nf10fc2e11057                     |two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a |three\n',
      )
      const podmanOrigin = 'Value\tIdent\nIdentity\tID\nValue\tIdent\nc061a0839e\tIDf10fc2e11057\tID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tID\n'
      expect(podman(podmanOrigin)).to.equal(
        'Value       Ident\nIdentity    ID\nValue       Ident\nc061a0839e  IDf10fc2e11057  ID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  ID\n',
      )
    })

    it('follows Go tabwriter edge cases', () => {
      const dots = {minwidth: 8, tabwidth: 0, padding: 1, padchar: '.'}
      expect(tabwriteText('', dots)).to.equal('')
      expect(tabwriteText('\n\n\n', dots)).to.equal('\n\n\n')
      expect(tabwriteText('a\nb\nc', dots)).to.equal('a\nb\nc')
      expect(tabwriteText('\t', dots)).to.equal('')
      expect(tabwriteText('*\t*', dots)).to.equal('*.......*')
      expect(tabwriteText('*\t*\n', dots)).to.equal('*.......*\n')
      expect(tabwriteText('\t\n', dots)).to.equal('........\n')
      expect(tabwriteText('1\t2\t3\t4\n11\t222\t3333\t44444\n', {...dots, minwidth: 1, padding: 0})).to.equal('1.2..3...4\n11222333344444\n')
      expect(tabwriteText('a\t\tb', {...dots, minwidth: 4, padding: 0})).to.equal('a.......b')
    })

    it('pads with tabs when padchar is a tab (Go ExampleWriter_Init)', () => {
      const text = 'a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n'
      expect(tabwriteText(text, {minwidth: 0, tabwidth: 8, padding: 0, padchar: '\t'})).to.equal(
        'a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n',
      )
    })

    it('measures width in code points and restarts at form feeds', () => {
      expect(podman('é\tx\nab\ty\n')).to.equal('é           x\nab          y\n')
      expect(podman('aaaaaaaaaaaaaaaa\tb\fc\td\n')).to.equal('aaaaaaaaaaaaaaaa  b\nc           d\n')
    })

    it('tabwrite aligns a list of lines', () => {
      expect(tabwrite(['ID\tNAME', 'abc\tweb'])).to.deep.equal(['ID          NAME', 'abc         web'])
      expect(tabwrite([])).to.deep.equal([])
    })
  })

  describe('renderRows', () => {
    it('renders podman images', () => {
      // podman images (default format)
      expect(render('table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}', images, {ID: 'IMAGE ID', Created: 'CREATED'})).to.equal(
        'REPOSITORY                                TAG         IMAGE ID      CREATED                 SIZE\n' +
          'localhost/alpha                           1.0         59e39614f2de  Less than a second ago  11.3 kB\n' +
          'quay.io/some/really-long-repository-name  latest      59e39614f2de  Less than a second ago  11.3 kB\n' +
          'localhost/b                               x           59e39614f2de  Less than a second ago  11.3 kB\n',
      )
    })

    it('turns command-line \\t escapes into columns', () => {
      // podman: --format 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}' (a literal backslash-t)
      expect(render('table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}')).to.equal(
        'REPOSITORY                                TAG         IMAGE ID\n' +
          'localhost/alpha                           1.0         59e39614f2de\n' +
          'quay.io/some/really-long-repository-name  latest      59e39614f2de\n' +
          'localhost/b                               x           59e39614f2de\n',
      )
    })

    it('renders podman ps with an empty column', () => {
      const ps = [
        {ID: '41ed0c9e7db9', Image: 'localhost/alpha:1.0', Command: '/f', Created: 'Less than a second ago', Status: 'Created', Ports: '', Names: 'web-server-1'},
        {ID: '50e0911013e1', Image: 'localhost/b:x', Command: '/f arg1', Created: 'Less than a second ago', Status: 'Created', Ports: '', Names: 'db'},
      ]
      const f = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Created}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'
      expect(renderRows(f, ps, {ID: 'CONTAINER ID', Created: 'CREATED'})).to.equal(
        'CONTAINER ID  IMAGE                COMMAND     CREATED                 STATUS      PORTS       NAMES\n' +
          '41ed0c9e7db9  localhost/alpha:1.0  /f          Less than a second ago  Created                 web-server-1\n' +
          '50e0911013e1  localhost/b:x        /f arg1     Less than a second ago  Created                 db\n',
      )
    })

    it('matches podman for conditional and trailing cells', () => {
      expect(render('table {{.Tag}}\\t{{if eq .Tag "x"}}{{else}}{{.Repository}}{{end}}\\t{{.Tag}}')).to.equal(
        'TAG         REPOSITORY                                TAG\n' +
          '1.0         localhost/alpha                           1.0\n' +
          'latest      quay.io/some/really-long-repository-name  latest\n' +
          'x                                                     x\n',
      )
      expect(render('table {{.Tag}}{{if eq .Tag "latest"}}\\t{{.Repository}}\\t{{end}}')).to.equal(
        'TAG\n1.0\nlatest      quay.io/some/really-long-repository-name  \nx\n',
      )
      expect(render('table {{.Tag}}\\t{{.Tag}}\\t\\t{{.Tag}}')).to.equal(
        'TAG         TAG                     TAG\n1.0         1.0                     1.0\nlatest      latest                  latest\nx           x                       x\n',
      )
    })

    it('makes spaces in a table format column breaks, as podman', () => {
      expect(render('table {{.Repository}} {{.Tag}}').split('\n')[0]).to.equal('REPOSITORY                                TAG')
      expect(render('table {{"a b"}}\\t{{.ID}}').split('\n')[0]).to.equal('a           b           IMAGE ID')
    })

    it('renders the header from the header map, so {{.}} shows the map', () => {
      expect(render('table {{.}}', [], {ID: 'IMAGE ID', Tag: 'TAG'})).to.equal('map[ID:IMAGE ID Tag:TAG]\n')
      expect(render('table {{.ID | printf "%.5s"}}', [])).to.equal('IMAGE\n')
    })

    it('prints just the header for no rows', () => {
      expect(render('table {{.Repository}}\t{{.Tag}}', [])).to.equal('REPOSITORY  TAG\n')
    })

    it('derives missing headers from field names', () => {
      expect(renderRows('table {{.CreatedAt}}\t{{.ReadOnly}}\t{{.ID}}', [{CreatedAt: 'now', ReadOnly: false, ID: 'i'}])).to.equal(
        'CREATED AT  READ ONLY   ID\nnow         false       i\n',
      )
      expect(renderRows('table {{.Image}}\t{{$x := .Names}}{{$x}}', [])).to.equal('IMAGE       NAMES\n')
      // As in Podman the header pass runs the same template on strings: nested fields cannot work there.
      expect(() => renderRows('table {{.State.Status}}', [])).to.throw(TemplateError, "can't evaluate field Status in type string")
    })

    it('omits the header with noHeading', () => {
      expect(renderRows('table {{.Tag}}\t{{.ID}}', images, {}, {noHeading: true})).to.equal(
        '1.0         59e39614f2de\nlatest      59e39614f2de\nx           59e39614f2de\n',
      )
    })

    it('renders non-table formats per row without alignment', () => {
      // podman images --format '{{.Repository}}\t{{.Tag}}'
      expect(render('{{.Repository}}\\t{{.Tag}}')).to.equal(
        'localhost/alpha\t1.0\nquay.io/some/really-long-repository-name\tlatest\nlocalhost/b\tx\n',
      )
      expect(render('{{.Tag}}\n')).to.equal('1.0\nlatest\nx\n')
      expect(render('{{.Tag}}', [])).to.equal('')
    })

    it('runs a format that has its own range once over all rows', () => {
      expect(render('{{range .}}{{.Tag}},{{end}}')).to.equal('1.0,latest,x,\n')
      expect(render('{{len .Labels}}')).to.equal('0\n0\n0\n')
    })

    it('falls back to the raw format when escape substitution breaks it', () => {
      // podman info --format '{{printf "a\nb"}}': a \n inside a string literal stays an escape.
      expect(render('{{printf "%s\\n" .Tag}}')).to.equal('1.0\nlatest\nx\n')
    })

    it('reports template errors with the command name and Podman positions', () => {
      const err = (f: string): string => {
        try {
          render(f)
        } catch (e) {
          expect(e).to.be.instanceOf(TemplateError)
          return (e as Error).message
        }
        return ''
      }
      // All three are podman's messages for the same formats.
      expect(err('table {{.Labels.foo}}\\t{{.ID}}')).to.equal('template: images:1:20: executing "images" at <.Labels.foo>: can\'t evaluate field foo in type string')
      expect(err('table {{.Names | join ","}}')).to.equal('template: images:1:27: executing "images" at <",">: can\'t handle "," for arg of type []string')
      expect(err('{{.Foo')).to.equal("template: images:1: bad character U+007B '{'")
      expect(err('{{.Nope}}')).to.equal('template: images:1:13: executing "images" at <.Nope>: can\'t evaluate field Nope in type struct')
    })

    it('compiles each format once', () => {
      expect(compileFormat('{{.ID}}', 'images')).to.equal(compileFormat('{{.ID}}', 'images'))
      expect(compileFormat('{{.ID}}', 'ps')).to.not.equal(compileFormat('{{.ID}}', 'images'))
    })
  })

  describe('an empty table', () => {
    // What the template gives for the header row alone (renderRows without its shortcut).
    const viaTemplate = (format: string, headers: Record<string, string>): string =>
      tabwriteText(compileFormat(format).execute([headerRow(undefined, headers, fieldNames(format))]))
    const formats = [
      'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
      'table {{.ID}} {{.RepoDigests}}  {{ .Size }}', 'table {{.ID}}\\t{{.Size}}\\n{{.Tag}}', 'table x {{.ID}} }} y',
      'table {{.ID}} table {{.Tag}}', 'table {{.ID}}\t{{.CreatedAt}}\t', 'table ', 'table {{.ID}}\n\n{{.Tag}}\n',
    ]
    for (const f of formats) {
      it(`${JSON.stringify(f)}: the header row the template renders`, () => {
        expect(renderRows(f, [], imageHeaders)).to.equal(viaTemplate(f, imageHeaders))
        expect(renderRows(f, [], imageHeaders, {noHeading: true})).to.equal('')
      })
    }

    it('a format with any other action still compiles: its errors are reported with no rows', () => {
      expect(renderRows('table {{.ID}} {{if .Tag}}t{{end}}', [], {})).to.equal(viaTemplate('table {{.ID}} {{if .Tag}}t{{end}}', {}))
      expect(() => renderRows('table {{.ID}} {{.Tag', [], {})).to.throw(TemplateError)
      expect(() => renderRows('table {{.ID}} {{.Tag', [], {}, {noHeading: true})).to.throw(TemplateError)
    })
  })
})
