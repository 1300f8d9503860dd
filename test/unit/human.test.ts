import {expect} from 'chai'
import {humanDuration, humanSize} from '../../src/libpod/util/human.js'

describe('human-readable output (go-units)', () => {
  it('prints sizes with three significant digits in decimal units', () => {
    expect(humanSize(0)).to.equal('0 B')
    expect(humanSize(999)).to.equal('999 B')
    expect(humanSize(1987706)).to.equal('1.99 MB')
    expect(humanSize(12345)).to.equal('12.3 kB')
    expect(humanSize(1e9)).to.equal('1 GB')
  })

  it('prints durations as Podman does', () => {
    expect(humanDuration(500)).to.equal('Less than a second')
    expect(humanDuration(1000)).to.equal('1 second')
    expect(humanDuration(59_000)).to.equal('59 seconds')
    expect(humanDuration(60_000)).to.equal('About a minute')
    expect(humanDuration(5 * 60_000)).to.equal('5 minutes')
    expect(humanDuration(3_600_000)).to.equal('About an hour')
    expect(humanDuration(30 * 3_600_000)).to.equal('30 hours')
    expect(humanDuration(3 * 24 * 3_600_000)).to.equal('3 days')
    expect(humanDuration(20 * 24 * 3_600_000)).to.equal('2 weeks')
    expect(humanDuration(100 * 24 * 3_600_000)).to.equal('3 months')
    expect(humanDuration(800 * 24 * 3_600_000)).to.equal('2 years')
  })
})
