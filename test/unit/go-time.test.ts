// ps's Go time strings (.Created/.CreatedAt): the zone-name formatter is made
// once per TZ, and follows a TZ changed at run time.
import {expect} from 'chai'
import {goTime} from '../../src/libpod/container/ps-row.js'

describe('goTime', () => {
  const saved = process.env.TZ
  after(() => {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  it('prints UTC, and a zone set later, with the offset and zone name of each date', () => {
    process.env.TZ = 'UTC'
    expect(goTime(new Date('2026-07-01T10:00:00.250Z'))).to.equal('2026-07-01 10:00:00.25 +0000 UTC')
    process.env.TZ = 'Europe/Berlin'
    const summer = goTime(new Date('2026-07-01T10:00:00Z'))
    const winter = goTime(new Date('2026-01-01T10:00:00Z'))
    expect(summer).to.match(/^2026-07-01 12:00:00 \+0200 \S+$/)
    expect(winter).to.match(/^2026-01-01 11:00:00 \+0100 \S+$/)
    const zone = (d: Date): string => new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(d).find(x => x.type === 'timeZoneName')!.value
    expect(summer.split(' ').pop()).to.equal(zone(new Date('2026-07-01T10:00:00Z')))
    expect(winter.split(' ').pop()).to.equal(zone(new Date('2026-01-01T10:00:00Z')))
    process.env.TZ = 'America/New_York'
    expect(goTime(new Date('2026-01-01T10:00:00Z'))).to.match(/^2026-01-01 05:00:00 -0500 \S+$/)
    expect(goTime(new Date('2026-01-01T10:00:00Z')).split(' ').pop()).to.equal(zone(new Date('2026-01-01T10:00:00Z')))
  })
})
