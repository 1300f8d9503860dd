// Go text/template behaviour. Expected strings (output and error messages)
// were checked against Podman 4.3.1 (Go 1.19) where Go's behaviour is observable.
import {expect} from 'chai'
import {compileTemplate, fmtValue, goJSON, goMap, parseTree, plainRangeSource, plainRangeTemplate, plainRangeTree} from '../../src/libpod/format/template.js'
import {TemplateError} from '../../src/libpod/define/errors.js'

const run = (src: string, data?: unknown, name?: string): string => compileTemplate(src, {name}).execute(data)

/** The TemplateError message a template produces (parse or execute). */
function errorOf(src: string, data?: unknown, name = 'x'): string {
  try {
    run(src, data, name)
  } catch (e) {
    expect(e).to.be.instanceOf(TemplateError)
    return (e as Error).message
  }
  throw new Error(`template ${src} did not fail`)
}

const image = {ID: 'abc123', Repository: 'docker.io/library/alpine', Tag: 'latest', Size: 7340032,
  Names: ['alpine', 'base'], Labels: {maintainer: 'me', 'io.x.y': 'z'}, State: {Status: 'running', Pid: 42, Running: true}}

describe('template', () => {
  describe('actions', () => {
    it('prints fields, nested fields and dot', () => {
      expect(run('{{.ID}} {{.State.Status}}', image)).to.equal('abc123 running')
      expect(run('{{.}}', 'plain')).to.equal('plain')
      expect(run('<{{.}}>', undefined)).to.equal('<<no value>>')
    })

    it('leaves text outside actions untouched', () => {
      expect(run('no actions\there', image)).to.equal('no actions\there')
      expect(run('', image)).to.equal('')
    })

    it('looks up map keys with field syntax', () => {
      expect(run('{{.Labels.maintainer}}', image)).to.equal('me')
      expect(run('{{.Labels.missing}}', image)).to.equal('<no value>')
      expect(run('{{.a.b}}', {a: new Map([['b', 2]])})).to.equal('2')
      expect(run('{{.x}}', Object.assign(Object.create(null), {x: 1}))).to.equal('1')
    })

    it('yields <no value> through nil values', () => {
      expect(run('{{.Gone.Deeper}}', {Gone: null})).to.equal('<no value>')
      expect(run('{{.Labels.a.b}}', {Labels: {}})).to.equal('<no value>')
    })

    it('declares, assigns and scopes variables', () => {
      expect(run('{{$x := .Tag}}{{$x}}', image)).to.equal('latest')
      expect(run('{{$x := 1}}{{$x = "two"}}{{$x}}', image)).to.equal('two')
      expect(run('{{$a := "q"}}{{if $a}}{{$a := "inner"}}{{$a}}{{end}}{{$a}}', image)).to.equal('innerq')
      expect(run('{{$x := .State}}{{$x.Status}}', image)).to.equal('running')
      expect(run('{{range .Names}}{{$.Tag}}{{end}}', image)).to.equal('latestlatest')
    })

    it('pipes values into the last argument', () => {
      expect(run('{{join .Names ","}}', image)).to.equal('alpine,base')
      // As in Go, the piped value is the *last* argument: join(",", .Names) is a type error (Podman fails too).
      expect(errorOf('{{.Names | join ","}}', image)).to.match(/at <",">: can't handle "," for arg of type \[\]string$/)
      expect(run('{{.Tag | printf "%s!"}}', image)).to.equal('latest!')
      expect(run('{{3 | printf "%d %d" 4}}', image)).to.equal('4 3')
      expect(run('{{.Tag | printf "%s" | len}}', image)).to.equal('6')
    })

    it('evaluates parenthesised pipelines and fields of their results', () => {
      expect(run('{{(printf "%s-%s" "a" "b") | upper}}', image)).to.equal('A-B')
      expect(run('{{printf "%d" (len .Names)}}', image)).to.equal('2')
      expect(run('{{(.State).Status}}', image)).to.equal('running')
      expect(run('{{(index .Names 1)}}', image)).to.equal('base')
    })

    it('parses literals', () => {
      expect(run('{{"esc\\t\\"q\\" \\x41\\u00e9\\101"}}')).to.equal('esc\t"q" AéA')
      expect(run('{{`raw\\n`}}')).to.equal('raw\\n')
      expect(run("{{'a'}} {{'\\n'}}")).to.equal('97 10')
      expect(run('{{0x1F}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{-3}} {{+4}} {{.5}} {{1e3}} {{1.0}}')).to.equal('31 15 15 5 1000 -3 4 0.5 1000 1')
      expect(run('{{true}} {{false}}')).to.equal('true false')
      expect(run('{{printf "%v" nil}}')).to.equal('<nil>')
    })

    it('trims whitespace next to {{- and -}}', () => {
      expect(run('a  \n {{- "b" -}} \n\t c')).to.equal('abc')
      expect(run('{{- "  x  " -}}   |   {{- 3 -}}   y')).to.equal('  x  |3y')
      expect(run('{{-3}}')).to.equal('-3') // no space: a number, not a trim marker
      expect(run('{{ .Tag  -}}  .', image)).to.equal('latest.')
    })

    it('skips comments', () => {
      expect(run('a {{/* comment */}} b {{- /* c2 */ -}} c')).to.equal('a  bc')
      expect(run('{{/* multi\nline */}}x')).to.equal('x')
    })

    it('accepts newlines inside actions', () => {
      expect(run('{{printf\n"%s"\n.Tag}}', image)).to.equal('latest')
    })
  })

  describe('control structures', () => {
    it('if / else if / else', () => {
      const t = compileTemplate('{{if eq .N 1}}one{{else if eq .N 2}}two{{else if .N}}many{{else}}none{{end}}')
      expect([1, 2, 3, 0].map(N => t.execute({N}))).to.deep.equal(['one', 'two', 'many', 'none'])
    })

    it('with sets dot and has an else branch', () => {
      expect(run('{{with .State}}{{.Status}}{{end}}', image)).to.equal('running')
      expect(run('{{with .Labels.none}}yes{{else}}no{{end}}', image)).to.equal('no')
      expect(run('{{with $s := .State.Status}}{{$s}}{{end}}', image)).to.equal('running')
      expect(run('{{with .A}}a{{else with .B}}{{.}}{{end}}', {A: '', B: 'b'})).to.equal('b')
    })

    it('ranges over arrays with index and element', () => {
      expect(run('{{range .Names}}[{{.}}]{{end}}', image)).to.equal('[alpine][base]')
      expect(run('{{range $i, $n := .Names}}{{if $i}},{{end}}{{$i}}={{$n}}{{end}}', image)).to.equal('0=alpine,1=base')
      expect(run('{{range $n := .Names}}{{$n}};{{end}}', image)).to.equal('alpine;base;')
    })

    it('ranges over objects and Maps in sorted key order', () => {
      expect(run('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', image)).to.equal('io.x.y=z;maintainer=me;')
      const m = new Map<string, number>([['b', 2], ['a', 1]])
      expect(run('{{range $k, $v := .}}{{$k}}{{$v}}{{end}}', m)).to.equal('a1b2')
      expect(run('{{range .}}{{.}}{{end}}', {z: 1, a: 2})).to.equal('21')
    })

    it('runs the else branch of an empty range', () => {
      expect(run('{{range .}}x{{else}}empty{{end}}', [])).to.equal('empty')
      expect(run('{{range .}}x{{else}}empty{{end}}', null)).to.equal('empty')
      expect(run('{{range .}}x{{else}}empty{{end}}', {})).to.equal('empty')
    })

    it('supports break and continue', () => {
      const list = ['a', 'b', 'c']
      expect(run('{{range .}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}', list)).to.equal('ac')
      expect(run('{{range .}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', list)).to.equal('a')
    })

    it('ranges over an integer (Go 1.22)', () => {
      expect(run('{{range $i := 3}}{{$i}}{{end}}')).to.equal('012')
    })

    it('nests ranges', () => {
      const data = [{Name: 'a', Ports: [1, 2]}, {Name: 'b', Ports: []}]
      expect(run('{{range .}}{{$n := .Name}}{{range .Ports}}{{$n}}:{{.}} {{end}}{{end}}', data)).to.equal('a:1 a:2 ')
    })
  })

  describe('truthiness', () => {
    const truthy = (v: unknown): string => run('{{if .}}T{{else}}F{{end}}', v)
    it('treats zero values and empty collections as false', () => {
      for (const v of ['', 0, false, null, undefined, [], {}, new Map(), new Set()]) expect(truthy(v), String(v)).to.equal('F')
    })
    it('treats everything else, and every struct, as true', () => {
      for (const v of ['x', 1, -1, 0.5, true, [0], {a: 0}, new Map([[1, 1]]), {Empty: ''}, new Date(0)]) {
        expect(truthy(v), String(v)).to.equal('T')
      }
    })
    it('and/or return the deciding value and short-circuit', () => {
      expect(run('{{and 1 2}} {{and 0 2}} [{{or 0 ""}}] {{or "" "y"}} {{not ""}} {{not "x"}}')).to.equal('2 0 [] y true false')
      // The second operand would fail if evaluated.
      expect(run('{{or 1 .Missing.Deep}}', {})).to.equal('1')
      expect(run('{{and 0 (index 3 3)}}')).to.equal('0')
      expect(run('{{"x" | and 1}}')).to.equal('x')
    })
  })

  describe('printing values like fmt %v', () => {
    it('prints scalars', () => {
      expect(run('{{.}}', 42)).to.equal('42')
      expect(run('{{.}}', 1.5)).to.equal('1.5')
      expect(run('{{.}}', 1700000000)).to.equal('1700000000')
      expect(run('{{.}}', 0.00001)).to.equal('1e-05')
      expect(run('{{.}}', 1e21)).to.equal('1e+21')
      expect(run('{{.}}', 1234567.5)).to.equal('1.2345675e+06')
      expect(run('{{.}}', true)).to.equal('true')
      expect(run('{{.}}', null)).to.equal('<no value>')
    })

    it('prints arrays, maps and structs', () => {
      expect(run('{{.}}', ['a', 'b', 'c'])).to.equal('[a b c]')
      expect(run('{{.}}', [1, null, ['x']])).to.equal('[1 <nil> [x]]')
      expect(run('{{.}}', {b: 2, a: 'x', c: [1]})).to.equal('map[a:x b:2 c:[1]]')
      expect(run('{{.}}', new Map<unknown, unknown>([[10, 'x'], [9, 'y']]))).to.equal('map[9:y 10:x]')
      expect(run('{{.}}', {Name: 'n', Size: 3, Tags: ['t']})).to.equal('{n 3 [t]}')
      expect(run('{{printf "%+v" .}}', {Name: 'n', Size: 3, In: {A: 1}})).to.equal('{Name:n Size:3 In:{A:1}}')
      expect(run('{{.}}', new Set(['s']))).to.equal('[s]')
    })

    it('prints dates as ISO strings and uses String() and Error messages', () => {
      expect(run('{{.}}', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).to.equal('2024-01-02T03:04:05.000Z')
      class Ver {
        constructor(readonly Major: number) {}
        toString(): string {
          return `v${this.Major}`
        }
      }
      expect(run('{{.}} {{printf "%s" .}}', new Ver(4))).to.equal('v4 v4')
      expect(run('{{.}}', new Error('boom'))).to.equal('boom')
    })

    it('exports fmtValue', () => {
      expect(fmtValue({k: ['v']})).to.equal('map[k:[v]]')
      expect(fmtValue(null)).to.equal('<nil>')
    })
  })

  describe('structs and maps', () => {
    it('fails on unknown struct fields like Go', () => {
      expect(errorOf('{{.Foo}}', image, 'images')).to.equal(
        'template: images:1:2: executing "images" at <.Foo>: can\'t evaluate field Foo in type struct',
      )
      expect(errorOf('{{.State.Foo}}', image)).to.equal('template: x:1:8: executing "x" at <.State.Foo>: can\'t evaluate field Foo in type struct')
    })

    it('is case-sensitive', () => {
      expect(errorOf('{{.id}}', image)).to.match(/can't evaluate field id in type struct$/)
    })

    it('names class types and tagged objects in errors', () => {
      class ImageSummary {
        ID = 'x'
      }
      expect(errorOf('{{.Nope}}', new ImageSummary())).to.match(/in type ImageSummary$/)
      expect(errorOf('{{.Nope}}', {ID: 1, [Symbol.toStringTag]: 'entities.ImageSummary'})).to.match(/in type entities.ImageSummary$/)
    })

    it('cannot take fields of non-objects', () => {
      expect(errorOf('{{.Tag.Foo}}', image)).to.match(/can't evaluate field Foo in type string$/)
      expect(errorOf('{{.Names.Foo}}', image)).to.match(/can't evaluate field Foo in type \[\]string$/)
      expect(errorOf('{{.Size.Foo}}', image)).to.match(/can't evaluate field Foo in type int$/)
    })

    it('treats lower-case keyed, empty and goMap objects as maps', () => {
      expect(run('{{.missing}}', {present: 1})).to.equal('<no value>')
      expect(run('{{.Missing}}', {})).to.equal('<no value>')
      expect(run('{{.Other}}', goMap({Maintainer: 'x'}))).to.equal('<no value>')
      expect(run('{{.}}', goMap({B: 1, A: 2}))).to.equal('map[A:2 B:1]')
    })

    it('calls methods and getters, with arguments', () => {
      class Container {
        constructor(private readonly names: string[]) {}
        get First(): string {
          return this.names[0]!
        }
        Names(): string {
          return this.names.join(',')
        }
        Label(key: string): string {
          return `label:${key}`
        }
        Fail(): string {
          throw new Error('nope')
        }
      }
      const c = new Container(['a', 'b'])
      expect(run('{{.First}} {{.Names}} {{.Label "k"}} {{"p" | .Label}}', c)).to.equal('a a,b label:k label:p')
      expect(errorOf('{{.Fail}}', c)).to.equal('template: x:1:2: executing "x" at <.Fail>: error calling Fail: nope')
      expect(errorOf('{{.First 1}}', c)).to.match(/First has arguments but cannot be invoked as function$/)
      expect(errorOf('{{.constructor}}', c)).to.match(/can't evaluate field constructor in type Container$/)
    })
  })

  describe('functions', () => {
    it('len counts bytes, elements and keys', () => {
      expect(run('{{len "héllo"}} {{len .Names}} {{len .Labels}} {{len .Gone}}', {...image, Gone: null})).to.equal('6 2 2 0')
      expect(errorOf('{{len 3}}')).to.equal('template: x:1:2: executing "x" at <len 3>: error calling len: len of type int')
    })

    it('index', () => {
      expect(run('{{index .Names 1}} {{index .Labels "io.x.y"}} [{{index .Labels "nope"}}] {{index "héllo" 1}}', image)).to.equal('base z [] 195')
      expect(run('{{index . 0 1}}', [['a', 'b']])).to.equal('b')
      expect(errorOf('{{index .Names 2}}', image)).to.match(/error calling index: index out of range: 2$/)
      expect(errorOf('{{index 3 1}}')).to.match(/error calling index: can't index item of type int$/)
      expect(errorOf('{{index .Names "a"}}', image)).to.match(/cannot index slice\/array with type string$/)
    })

    it('slice', () => {
      expect(run('{{slice "héllo" 0 3}} {{slice "abcdef" 2}} {{slice "abc" 1 2}} {{slice .Names 1}} {{slice "abc"}}', image)).to.equal('hé cdef b [base] abc')
      expect(errorOf('{{slice "abc" 2 1}}')).to.match(/error calling slice: invalid slice index: 2 > 1$/)
      expect(errorOf('{{slice 3 1}}')).to.match(/can't slice item of type int$/)
      expect(errorOf('{{slice "abc" 1 2 3}}')).to.match(/cannot 3-index slice a string$/)
    })

    it('comparisons', () => {
      expect(run('{{eq 1 1}} {{eq "a" "b" "a"}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}')).to.equal('true true true true true true false')
      expect(run('{{eq nil nil}} {{eq 1 nil}} {{eq .Tag "latest"}}', image)).to.equal('true false true')
      expect(errorOf('{{lt true false}}')).to.match(/error calling lt: invalid type for comparison$/)
      expect(errorOf('{{eq 1 "a"}}')).to.equal('template: x:1:2: executing "x" at <eq 1 "a">: error calling eq: incompatible types for comparison')
      expect(errorOf('{{eq .Names .Names}}', image)).to.match(/non-comparable type/)
    })

    it('print and println', () => {
      expect(run('{{print 1 2 "a" 3 "b" "c"}}|{{println 1 "a"}}|{{print}}|{{print nil 1}}|{{print "a" nil}}')).to.equal('1 2a3bc|1 a\n||<nil> 1|a<nil>')
    })

    it('Podman string helpers', () => {
      expect(run('{{upper "abc"}} {{lower "ABC"}} {{title "hello wOrld-foo o\'neil"}}')).to.equal("ABC abc Hello WOrld-Foo O'Neil")
      expect(run('{{split "a::b" "::"}} {{split "héllo" ""}} {{len (split "a,b,c" ",")}}')).to.equal('[a b] [h é l l o] 3')
      expect(run('{{pad "x" 2 3}}|{{pad "" 2 3}}|')).to.equal('  x   ||')
      expect(run('{{truncate "abcdef" 3}} {{truncate "ab" 3}} {{truncate "abc" 3}}', image)).to.equal('abc ab abc')
      expect(run('{{join .Names ", "}}|{{join .None ","}}|', {...image, None: null})).to.equal('alpine, base||')
    })

    it('json marshals compactly like encoding/json', () => {
      expect(run('{{json .}}', {b: 1, a: [true, null], c: 'x<y>&'})).to.equal('{"a":[true,null],"b":1,"c":"x<y>&"}')
      expect(run('{{json .}}', {Z: 1, A: {y: 2, x: 1}})).to.equal('{"Z":1,"A":{"x":1,"y":2}}')
      expect(run('{{json .Names}} {{json nil}} {{json 1.5}} {{json "\u2028"}}', image)).to.equal('["alpine","base"] null 1.5 "\\u2028"')
      expect(goJSON(new Date(0))).to.equal('"1970-01-01T00:00:00.000Z"')
      expect(goJSON({a: undefined, b: 1})).to.equal('{"b":1}')
    })

    it('checks argument types like Go', () => {
      expect(errorOf('{{upper 3}}')).to.equal('template: x:1:8: executing "x" at <3>: expected string; found 3')
      expect(errorOf('{{join "a" ","}}')).to.equal('template: x:1:7: executing "x" at <"a">: can\'t handle "a" for arg of type []string')
      expect(errorOf('{{truncate "x" "y"}}')).to.equal('template: x:1:15: executing "x" at <"y">: expected integer; found "y"')
      expect(errorOf('{{.ID | truncate 4}}', image)).to.match(/at <4>: expected string; found 4$/)
      expect(errorOf('{{upper .Size}}', image)).to.match(/at <.Size>: wrong type for value; expected string; got int$/)
      expect(errorOf('{{pad "x" -1 0}}')).to.match(/error calling pad: strings: negative Repeat count$/)
    })

    it('checks argument counts', () => {
      expect(errorOf('{{and}}')).to.equal('template: x:1:2: executing "x" at <and>: wrong number of args for and: want at least 1 got 0')
      expect(errorOf('{{upper "a" "b"}}')).to.match(/wrong number of args for upper: want 1 got 2$/)
      expect(errorOf('{{"a" | lower "b"}}')).to.match(/wrong number of args for lower: want 1 got 2$/)
    })

    it('accepts extra functions', () => {
      const t = compileTemplate('{{shout .}} {{upper "x"}}', {funcs: {shout: (s: string) => `${s}!`, upper: () => 'mine'}})
      expect(t.execute('hi')).to.equal('hi! mine')
    })
  })

  describe('printf', () => {
    const cases: [string, string][] = [
      ['{{printf "%05s|%-5s|%5.1s|%.2s|%x|% x|%#x|%X" "ab" "ab" "xyz" "héllo" "hé" "hi" "hi" "hi"}}', '000ab|ab   |    x|hé|68c3a9|68 69|0x6869|6869'],
      ['{{printf "%+d|% d|%05d|%-5d|%5d|%x|%#x|%#o|%o|%b|%08.3f|%+.2e|%G|%E" 5 5 -42 3 -3 -255 255 8 8 5 3.14159 12345.678 1e-7 1.5}}',
        '+5| 5|-0042|3    |   -3|-ff|0xff|010|10|101|0003.142|+1.23e+04|1E-07|1.500000E+00'],
      ['{{printf "%v|%s|%d|%q" (split "a b" " ") (split "a b" " ") (split "a b" " ") (split "a b" " ")}}', '[a b]|[a b]|[%!d(string=a) %!d(string=b)]|["a" "b"]'],
      ['{{printf "%5v|%-4v|" (split "a b" " ") true}}', '[    a     b]|true|'],
      ['{{printf "%t|%t" 1 true}}', '%!t(int=1)|true'],
      ['{{printf "%s"}}', '%!s(MISSING)'],
      ['{{printf "%d" 1 2 "x"}}', '1%!(EXTRA int=2, string=x)'],
      ['{{printf "%z" 3}}', '%!z(int=3)'],
      ['{{printf "%"}}', '%!(NOVERB)'],
      ['{{printf "100%%"}}', '100%'],
      ['{{printf "%q" "tab\\there\\x01\\u00e9\\u2028"}}', '"tab\\there\\x01é\\u2028"'],
      ['{{printf "%c%c|%U|%#U|%q" 72 0x1F600 0x1F600 65 3}}', "H😀|U+1F600|U+0041 'A'|'\\x03'"],
      ['{{printf "%6.2f|%.0f|%g|%g|%g|%.3g|%v|%v" 3.14159 2.5 100000.0 1000000.0 0.0001 1234.5678 0.000012 -1.5}}', '  3.14|2|100000|1e+06|0.0001|1.23e+03|1.2e-05|-1.5'],
      ['{{printf "%T %T %T %T %T" 1 1.5 "s" true .}}', 'int float64 string bool []string'],
      ['{{printf "%*d|%-*d|%.*f" 5 1 4 2 2 3.14159}}', '    1|2   |3.14'],
      ['{{printf "%.1f %.1f %.1f %.2f %.0f %.0f %.2e %.1e" 0.25 0.35 2.25 1.005 0.5 1.5 1.125 2.5}}', '0.2 0.3 2.2 1.00 0 2 1.12e+00 2.5e+00'],
      ['{{printf "%v %v %v" 0.1 100000.5 1234567.5}}', '0.1 100000.5 1.2345675e+06'],
      ['{{printf "%g %g %.4g %.10g %G" 1e-5 12345678.9 3.14159 2.0 1e100}}', '1e-05 1.23456789e+07 3.142 2 1E+100'],
      ['{{printf "%x %X %o %b %c" -1 3054 64 10 9731}}', '-1 BEE 100 1010 ☃'],
      ['{{printf "%8.3s|%-8q|%08.2f|%+08d|%x" "abcdef" "hi" -3.14159 42 "héllo"}}', '     abc|"hi"    |-0003.14|+0000042|68c3a96c6c6f'],
      ['{{printf "%d|%s|%d %s" 1.5 true nil nil}}', '%!d(float64=1.5)|%!s(bool=true)|%!d(<nil>) %!s(<nil>)'],
    ]
    for (const [src, want] of cases) {
      it(src, () => expect(run(src, ['x'])).to.equal(want))
    }
  })

  describe('parse errors', () => {
    const cases: [string, string][] = [
      ['{{.Foo', 'template: x:1: unclosed action'],
      ['{{.Foo}', 'template: x:1: bad character U+007D \'}\''],
      ['{{foo .X}}', 'template: x:1: function "foo" not defined'],
      ['{{if .X}}', 'template: x:1: unexpected EOF'],
      ['{{end}}', 'template: x:1: unexpected {{end}}'],
      ['{{else}}', 'template: x:1: unexpected {{else}}'],
      ['{{.X)}}', 'template: x:1: unexpected ")" in command'],
      ['{{"abc}}', 'template: x:1: unterminated quoted string'],
      ['{{`abc}}', 'template: x:1: unterminated raw quoted string'],
      ['{{$x}}', 'template: x:1: undefined variable "$x"'],
      ['{{range $i, $v, $w := .}}{{end}}', 'template: x:1: too many declarations in range'],
      ['{{if $a, $b := .}}{{end}}', 'template: x:1: too many declarations in if'],
      ['{{(.X}}', 'template: x:1: unclosed left paren'],
      ['{{}}', 'template: x:1: missing value for command'],
      ['{{if}}{{end}}', 'template: x:1: missing value for if'],
      ['{{/* c */ .X}}', 'template: x:1: comment ends before closing delimiter'],
      ['{{/* c', 'template: x:1: unclosed comment'],
      ['{{ .X | 3 }}', 'template: x:1: non executable command in pipeline stage 2'],
      ["{{'ab'}}", "template: x:1: malformed character constant: 'ab'"],
      ['{{"\\q"}}', 'template: x:1: invalid syntax'],
      ['{{1x}}', 'template: x:1: bad number syntax: "1x"'],
      ['{{3.Foo}}', 'template: x:1: bad number syntax: "3.F"'],
      ['{{.Tag.}}', 'template: x:1: unexpected <.> in operand'],
      ['{{.Tag :}}', 'template: x:1: expected :='],
      ['{{range .}}{{else if .}}{{end}}', 'template: x:1: unexpected <if> in input'],
      ['{{with $x := .}}{{end}}{{$x}}', 'template: x:1: undefined variable "$x"'],
      ['{{break}}', 'template: x:1: {{break}} outside {{range}}'],
      ['{{"a".B}}', 'template: x:1: unexpected . after term "\\"a\\""'],
      ['a\nb\n{{end}}', 'template: x:3: unexpected {{end}}'],
      ['{{define "t"}}{{end}}', 'template: x:1: {{define}} is not supported'],
    ]
    for (const [src, want] of cases) {
      it(JSON.stringify(src), () => expect(errorOf(src)).to.equal(want))
    }
  })

  describe('execution errors', () => {
    it('report position and node like Go', () => {
      expect(errorOf('{{3 4}}')).to.equal('template: x:1:2: executing "x" at <3>: can\'t give argument to non-function 3')
      expect(errorOf('{{nil}}')).to.equal('template: x:1:2: executing "x" at <nil>: nil is not a command')
      expect(errorOf('{{.Tag "x" | printf "%s"}}', image)).to.match(/at <.Tag>: Tag has arguments but cannot be invoked as function$/)
      expect(errorOf('{{range .}}{{end}}', {Struct: 1})).to.equal('template: x:1:8: executing "x" at <.>: range can\'t iterate over {1}')
      expect(errorOf('line1\n  {{.A.B.C}}', {A: {B: 'str'}})).to.equal('template: x:2:6: executing "x" at <.A.B.C>: can\'t evaluate field C in type string')
    })

    it('is a PeapodError with Podman\'s exit code', () => {
      try {
        run('{{.Nope}}', image)
      } catch (e) {
        expect((e as TemplateError).exitCode).to.equal(125)
        expect((e as Error).message.startsWith('template:')).to.equal(true)
        return
      }
      expect.fail('no error')
    })
  })

  describe('compiled templates', () => {
    it('parse once and execute many times independently', () => {
      const t = compileTemplate('{{$n := .}}{{range .}}{{.}}{{end}}/{{len $n}}', {name: 'rows'})
      expect(t.name).to.equal('rows')
      expect(t.source).to.equal('{{$n := .}}{{range .}}{{.}}{{end}}/{{len $n}}')
      expect(t.execute(['a', 'b'])).to.equal('ab/2')
      expect(t.execute([])).to.equal('/0')
    })
  })

  describe('a plain range template (every list\'s default table format)', () => {
    const cases: string[][] = [
      ['', 'ID', '\t', 'Image', '\t', 'Names', '\n'], ['x ', 'A', ''], ['', 'A', '', 'B', '}} y\n'], [''], ['text only\n'], ['\n', 'Long_Name9', '\t\t\n'],
    ]
    for (const parts of cases) {
      it(`${JSON.stringify(plainRangeSource(parts))}: the tree the parser gives, and the same output and errors`, () => {
        expect(JSON.stringify(plainRangeTree(parts))).to.equal(JSON.stringify(parseTree(plainRangeSource(parts))))
        const built = plainRangeTemplate(parts, {name: 'ps'})
        const parsed = compileTemplate(plainRangeSource(parts), {name: 'ps'})
        const rows = [{ID: 'a', Image: 'b', Names: 'c', A: 1, B: [2], Long_Name9: new Map([['k', 'v']])}, {ID: 'd', Image: 'e', Names: 'f', A: 'x', B: 'y', Long_Name9: 'z'}]
        expect(built.execute(rows)).to.equal(parsed.execute(rows))
        expect(built.source).to.equal(parsed.source)
        const err = (t: typeof built): string => { try { t.execute([{Other: 1}]); return 'no error' } catch (e) { return (e as Error).message } }
        expect(err(built)).to.equal(err(parsed))
      })
    }
  })
})
