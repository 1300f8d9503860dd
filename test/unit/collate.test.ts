// collate() orders as localeCompare does (src/libpod/util/collate.ts).
import {expect} from 'chai'
import {collate} from '../../src/libpod/util/collate.js'

describe('collate: localeCompare\'s order, without ICU where it is known', () => {
  const sign = (n: number) => Math.sign(n)
  const pick = (alphabet: string, n: number) => Array.from({length: n}, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')

  it('agrees with localeCompare on ids, names, tags, timestamps and mixed strings', () => {
    const cases: string[] = ['', 'a', 'A', 'ab', 'a-b', 'a.b', 'a/b', 'a_b', 'a:b', 'a1', 'a-1', 'web', 'Web', 'web-1', 'web1', 'web_1', 'web.1',
      'localhost/bb', 'localhost:5000/bb', 'docker.io/library/busybox', 'latest', '1.36', '<none>', 'é', 'e', 'f',
      '2026-12-07T01:47:08.098Z', '2026-12-07T01:47:08.1Z', '2026-12-07T01:47:08Z', '2026-12-07T01:47:09.000Z', '2026-12-07T01:47:08.098+01:00']
    for (let i = 0; i < 300; i++) {
      cases.push(pick('0123456789abcdef', 1 + (i % 12)), pick('abz09-./', 1 + (i % 6)), pick('aZ_-.:/09 ', 1 + (i % 5)))
      const t = new Date(Date.UTC(2000 + (i % 30), i % 12, 1 + (i % 28), i % 24, i % 60, (i * 7) % 60, (i * 13) % 1000)).toISOString()
      cases.push(t)
    }
    for (const a of cases) for (const b of cases.slice(0, 120)) {
      expect(sign(collate(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).to.equal(sign(a.localeCompare(b)))
    }
  })
})
