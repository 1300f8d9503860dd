// parseToml blanks whole-line comments before smol-toml parses (start-up:
// the shipped containers.conf is nearly all comments). The tables, and the
// errors with their line numbers, must be smol-toml's own for the text as it is.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {parseToml} from '../../src/libpod/config/toml.js'

const {parse} = createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml')

/** parseToml's outcome and smol-toml's on the raw text: the same tables, or the same error at the same place. */
function same(text: string): void {
  const outcome = (f: () => unknown): unknown => {
    try {
      return {ok: f()}
    } catch (e) {
      // What readToml reports (the message's first line) and where: the context lines after it quote the text
      const {message, line, column} = e as Error & {line?: number; column?: number}
      return {error: message.split('\n')[0], line, column}
    }
  }
  expect(outcome(() => parseToml(text))).to.deep.equal(outcome(() => parse(text)))
}

describe('parseToml (comment lines blanked)', () => {
  it('gives the shipped containers.conf as smol-toml does', function () {
    const file = '/usr/share/containers/containers.conf'
    if (!existsSync(file)) this.skip()
    same(readFileSync(file, 'utf8'))
  })

  it('the same tables for comments anywhere a line can hold one', () => {
    same('# top\n[a]\n  # indented\nx = 1 # trailing\n\t#tab\nlist = [\n  1,\n  # inside an array\n  2,\n]\n#\n[b.c]\ny = "#not a comment"\n')
    same('key = "v"\n#ünïcödé comment\n')
  })

  it('leaves a text with multi-line strings alone: a # line there is content', () => {
    const text = 's = """\nline\n# kept\n"""\nt = \'\'\'\n# kept too\n\'\'\'\n'
    same(text)
    expect(parseToml(text)).to.deep.equal({s: 'line\n# kept\n', t: '# kept too\n'})
  })

  it('keeps errors and their line numbers', () => {
    same('# one\n# two\n[a]\nx = = 1\n')
    same('# c\n[a]\n[a]\n')
    same('# c\nbad line\n')
  })

  it('leaves comments TOML refuses (control characters) and CR line ends to the parser', () => {
    same('# bad \x01 char\nx = 1\n')
    same('# c\r\nx = 1\r\n')
    same('# c\rx = 1\n')
    same('# c\u2028x = 1\n')
  })
})
