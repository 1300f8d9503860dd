// Containerfile parsing and Docker's word rules (no containers): continuations,
// comments inside them, flags, heredocs, the escape directive, JSON forms,
// variable expansion with its modifiers and quotes, ignore patterns.
import {expect} from 'chai'
import {parseContainerfile} from '../../src/libpod/build/parse.js'
import {expandWord, expandWords, keyValues} from '../../src/libpod/build/expand.js'
import {ignoreMatcher} from '../../src/libpod/build/context.js'
import {BuildError} from '../../src/libpod/define/errors.js'

describe('build: Containerfile parsing', function () {
  it('splits stages, header ARGs, flags, continuations and the exec form', function () {
    const cf = parseContainerfile([
      'ARG V=1',
      'FROM --platform=linux/amd64 busybox:$V AS Builder',
      'RUN --mount=type=cache,target=/c --network=none echo a \\',
      '  # a comment inside the continuation',
      '  b',
      'CMD ["x", "y z"]',
      'FROM builder',
      'COPY --from=builder --chown=1:2 /a /b/',
    ].join('\n'), 'Containerfile')
    expect(cf.headerArgs.map(a => a.args)).to.deep.equal(['V=1'])
    expect(cf.stages).to.have.length(2)
    expect(cf.stages[0]).to.include({name: 'builder', base: 'busybox:$V', line: 2, platform: 'linux/amd64'})
    const run = cf.stages[0].instructions[0]
    expect(run.keyword).to.equal('RUN')
    expect(run.line).to.equal(3)
    expect(run.flags).to.deep.equal([{name: 'mount', value: 'type=cache,target=/c'}, {name: 'network', value: 'none'}])
    expect(run.args).to.equal('echo a   b')
    expect(cf.stages[0].instructions[1].json).to.deep.equal(['x', 'y z'])
    expect(cf.stages[1].instructions[0].flags.map(f => f.name)).to.deep.equal(['from', 'chown'])
  })

  it('collects heredoc bodies (<<-, quoted names) and refuses an unterminated one', function () {
    const cf = parseContainerfile('FROM busybox\nRUN <<EOF\necho $A\nEOF\nCOPY <<-"X" /f\n\tliteral $B\n\tX\nENV Z=1\n', 'Containerfile')
    const [run, copy, env] = cf.stages[0].instructions
    expect(run.heredocs).to.deep.equal([{name: 'EOF', content: 'echo $A\n', quoted: false}])
    expect(copy.heredocs).to.deep.equal([{name: 'X', content: 'literal $B\n', quoted: true}])
    expect(env.keyword).to.equal('ENV')
    expect(env.line).to.equal(8)
    expect(() => parseContainerfile('FROM busybox\nRUN <<EOF\necho\n', 'Containerfile')).to.throw(BuildError, /^Containerfile:2: unterminated heredoc <<EOF/)
  })

  it('names the file and line of an unknown instruction, and wants FROM first', function () {
    expect(() => parseContainerfile('FROM a\n\nFROBNICATE x\n', 'Dockerfile')).to.throw(BuildError, /^Dockerfile:3: unknown instruction: FROBNICATE$/)
    expect(() => parseContainerfile('RUN x\n', 'Containerfile')).to.throw(BuildError, /^Containerfile:1: no FROM before RUN/)
  })

  it('honours the escape directive', function () {
    const cf = parseContainerfile('# escape=`\nFROM busybox\nRUN echo a `\n  b\n', 'Containerfile')
    expect(cf.escape).to.equal('`')
    expect(cf.stages[0].instructions[0].args).to.equal('echo a   b')
  })
})

describe('build: Docker word rules', function () {
  const vars = new Map([['A', 'x'], ['E', ''], ['S', 'a b']])
  it('expands $VAR, ${VAR} and the modifiers', function () {
    expect(expandWord('$A-${A}', vars)).to.equal('x-x')
    expect(expandWord('${U:-def} ${E:-def} ${E-def} ${U-def}', vars)).to.equal('def def  def')
    expect(expandWord('${A:+set} ${E:+set} ${E+set} ${U+set}', vars)).to.equal('set  set ')
    expect(() => expandWord('${U:?must be set}', vars)).to.throw(/U: must be set/)
  })

  it('keeps single quotes literal, escapes in double quotes, and splits words', function () {
    expect(expandWord("'$A' \"$A\" \\$A", vars)).to.equal('$A x $A')
    expect(expandWords('one "two three" $S', vars)).to.deep.equal(['one', 'two three', 'a b'])
    expect(expandWords("'' x", vars)).to.deep.equal(['', 'x'])
  })

  it('reads KEY=VALUE pairs (and the old KEY VALUE form), counting the names used', function () {
    const used = new Set<string>()
    expect(keyValues('K=$A "L M"="v w" N=\'$A\'', vars, '\\', 'ENV', used)).to.deep.equal([['K', 'x'], ['L M', 'v w'], ['N', '$A']])
    expect([...used]).to.deep.equal(['A'])
    expect(keyValues('K value with spaces', vars, '\\', 'ENV')).to.deep.equal([['K', 'value with spaces']])
    expect(keyValues('NAME', vars, '\\', 'ARG', undefined, true)).to.deep.equal([['NAME', undefined]])
  })
})

describe('build: ignore files', function () {
  it('follows Docker\'s patterns: **, exceptions, directories', function () {
    const ig = ignoreMatcher(['# comment', '**/*.key', 'build', '!build/keep.txt', 'tmp/'])
    expect(ig('a/b/c.key')).to.equal(true)
    expect(ig('x.key')).to.equal(true)
    expect(ig('build')).to.equal(false) // walked: an exception lies below
    expect(ig('build/other.o')).to.equal(true)
    expect(ig('build/keep.txt')).to.equal(false)
    expect(ig('tmp')).to.equal(true)
    expect(ig('src/main.c')).to.equal(false)
  })
})
