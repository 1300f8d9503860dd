import {expect} from 'chai'
import {normalizeLocalName, parseReference} from '../../src/libpod/image/reference.js'
import {findImage} from '../../src/libpod/image/lookup.js'
import type {ImageDoc} from '../../src/libpod/image/images.js'

describe('image references', () => {
  it('parses domain, path, tag and digest', () => {
    expect(parseReference('quay.io/a/b:1.0')).to.deep.equal({domain: 'quay.io', path: 'a/b', tag: '1.0', digest: undefined})
    expect(parseReference('localhost:5000/x')).to.include({domain: 'localhost:5000', path: 'x'})
    expect(parseReference('busybox')).to.include({domain: '', path: 'busybox'})
    const d = 'sha256:' + 'a'.repeat(64)
    expect(parseReference(`x/y@${d}`)).to.include({path: 'x/y', digest: d})
  })

  it('rejects malformed names', () => {
    for (const bad of ['', 'UPPER', 'a b', 'x:', ':tag', 'a//b', 'x@sha256:zz', '-a']) {
      expect(() => parseReference(bad), bad).to.throw(/invalid reference format/)
    }
  })

  it('gives unqualified local names localhost/ and :latest', () => {
    expect(normalizeLocalName('foo')).to.equal('localhost/foo:latest')
    expect(normalizeLocalName('a/b:c')).to.equal('localhost/a/b:c')
    expect(normalizeLocalName('quay.io/x')).to.equal('quay.io/x:latest')
  })
})

describe('image lookup', () => {
  const img = (id: string, names: string[]): ImageDoc => ({id, names, digests: [], digest: '', manifest: '', manifestMediaType: '', config: '{}', layers: [], added: ''})
  const a = img('a'.repeat(64), ['localhost/foo:latest'])
  const b = img('ab' + 'c'.repeat(62), ['docker.io/library/busybox:latest', 'quay.io/x/tool:1'])
  const images = [a, b]

  it('finds by full ID, prefix and sha256: prefix', () => {
    expect(findImage(images, 'a'.repeat(64))).to.equal(a)
    expect(findImage(images, 'abc')).to.equal(b)
    expect(findImage(images, 'sha256:abcc')).to.equal(b)
  })

  it('takes a short hex word as a name before an ID prefix, as Podman 4.3.1 (`save bb` with an ID starting bb)', () => {
    const named = img('f'.repeat(64), ['localhost/ab:latest'])
    expect(findImage([a, b, named], 'ab')).to.equal(named)
    expect(findImage([a, b, named], 'sha256:ab')).to.equal(b)
    expect(findImage([a, b, named], 'abc')).to.equal(b)
  })

  it('rejects an ambiguous short ID', () => {
    expect(() => findImage(images, 'a')).to.throw(/ambiguous/)
  })

  it('finds short names through localhost/, the search registries and repository suffixes', () => {
    expect(findImage(images, 'foo')).to.equal(a)
    expect(findImage(images, 'foo:latest')).to.equal(a)
    expect(findImage(images, 'busybox')).to.equal(b)
    expect(findImage(images, 'tool:1')).to.equal(b)
    expect(findImage(images, 'tool')).to.equal(undefined)
    expect(findImage(images, 'nope')).to.equal(undefined)
  })
})
