import {expect} from 'chai'
import {formatGoDuration, parseGoDuration} from '../../src/libpod/util/duration.js'
import {healthConfigFromFlags} from '../../src/libpod/container/healthcheck.js'
import {ttyName} from '../../src/libpod/container/top.js'

describe('Go durations (time.ParseDuration, Duration.String)', () => {
  it('parses Go duration strings to nanoseconds', () => {
    expect(parseGoDuration('30s')).to.equal(30e9)
    expect(parseGoDuration('1h30m')).to.equal(5400e9)
    expect(parseGoDuration('0.5s')).to.equal(5e8)
    expect(parseGoDuration('.5s')).to.equal(5e8)
    expect(parseGoDuration('300ms')).to.equal(3e8)
    expect(parseGoDuration('1us')).to.equal(1e3)
    expect(parseGoDuration('1µs')).to.equal(1e3)
    expect(parseGoDuration('-1s')).to.equal(-1e9)
    expect(parseGoDuration('0')).to.equal(0)
  })

  it('rejects what Go rejects, with its messages', () => {
    expect(() => parseGoDuration('bogus')).to.throw('time: invalid duration "bogus"')
    expect(() => parseGoDuration('1')).to.throw('time: missing unit in duration "1"')
    expect(() => parseGoDuration('1x')).to.throw('time: unknown unit "x" in duration "1x"')
    expect(() => parseGoDuration('')).to.throw('time: invalid duration ""')
    expect(() => parseGoDuration('.s')).to.throw('time: invalid duration ".s"')
  })

  it('prints durations as Go does', () => {
    expect(formatGoDuration(0)).to.equal('0s')
    expect(formatGoDuration(1)).to.equal('1ns')
    expect(formatGoDuration(1500)).to.equal('1.5µs')
    expect(formatGoDuration(550946590)).to.equal('550.94659ms')
    expect(formatGoDuration(1e9)).to.equal('1s')
    expect(formatGoDuration(60e9)).to.equal('1m0s')
    expect(formatGoDuration(3600e9)).to.equal('1h0m0s')
    expect(formatGoDuration(232680538746n)).to.equal('3m52.680538746s')
    expect(formatGoDuration(-1e9)).to.equal('-1s')
  })
})

describe('health check flags (makeHealthCheckFromCli)', () => {
  const test = (cmd: string) => healthConfigFromFlags({cmd})!.test
  it('turns --health-cmd into Podman\'s Test arrays', () => {
    expect(test('curl -f http://x/ || exit 1')).to.deep.equal(['CMD-SHELL', 'curl -f http://x/ || exit 1'])
    expect(test('CMD echo hi')).to.deep.equal(['CMD', 'echo', 'hi'])
    expect(test('CMD-SHELL echo hi')).to.deep.equal(['CMD-SHELL', 'echo hi'])
    expect(test('["echo","a b"]')).to.deep.equal(['CMD', 'echo', 'a b'])
    expect(test('["echo"]')).to.deep.equal(['CMD-SHELL', 'echo'])
    expect(test('none')).to.deep.equal(['NONE'])
  })

  it('has Podman\'s defaults and checks', () => {
    expect(healthConfigFromFlags({cmd: 'true'})).to.deep.equal({test: ['CMD-SHELL', 'true'], interval: 30e9, timeout: 30e9, retries: 3, startPeriod: 0})
    expect(healthConfigFromFlags({cmd: 'true', interval: 'disable'})!.interval).to.equal(0)
    expect(healthConfigFromFlags({})).to.equal(undefined)
    expect(healthConfigFromFlags({noHealthcheck: true})!.test).to.deep.equal(['NONE'])
    expect(() => healthConfigFromFlags({cmd: 'true', retries: 0})).to.throw('healthcheck-retries must be greater than 0')
    expect(() => healthConfigFromFlags({cmd: 'true', startPeriod: '-1s'})).to.throw('healthcheck-start-period must be 0 seconds or greater')
    expect(() => healthConfigFromFlags({cmd: 'true', noHealthcheck: true})).to.throw('cannot specify both --no-healthcheck and --health-cmd')
  })
})

describe('top: tty names', () => {
  it('names the devices a container has', () => {
    expect(ttyName(0)).to.equal('?')
    expect(ttyName((136 << 8) | 0)).to.equal('pts/0')
    expect(ttyName((136 << 8) | 5)).to.equal('pts/5')
    expect(ttyName((137 << 8) | 1)).to.equal('pts/257')
    expect(ttyName((4 << 8) | 1)).to.equal('tty1')
    expect(ttyName((4 << 8) | 64)).to.equal('ttyS0')
    expect(ttyName((5 << 8) | 1)).to.equal('console')
  })
})
