import {expect} from 'chai'
import {parseBlkio} from '../../src/libpod/stats/cgroup.js'
import {bytesSize, humanSize, percent} from '../../src/libpod/stats/format.js'
import {renderStats} from '../../src/libpod/stats/render.js'
import {emptyStats} from '../../src/libpod/stats/sample.js'
import type {Container} from '../../src/libpod/container/types.js'

describe('stats output (Podman 4.3.1)', () => {
  it('prints sizes as go-units HumanSize and BytesSize (%.4g)', () => {
    expect(humanSize(0)).to.equal('0B')
    expect(humanSize(1_030_000)).to.equal('1.03MB')
    expect(humanSize(25_040_000_000)).to.equal('25.04GB')
    expect(humanSize(21_274_624)).to.equal('21.27MB')
    expect(bytesSize(1536)).to.equal('1.5KiB')
    expect(bytesSize(25_280_000_000)).to.equal('23.54GiB')
  })

  it('prints percentages as floatToPercentString, mantissa only for e-notation', () => {
    expect(percent(0)).to.equal('0.00%')
    expect(percent(12.345)).to.equal('12.35%')
    expect(percent(0.0001)).to.equal('0.00%')
    expect(percent(5e-5)).to.equal('5.00%')
  })

  it('sums read and write bytes of blkio files', () => {
    expect(parseBlkio('8:0 Read 4096\n8:0 Write 512\n8:0 Sync 1\n8:16 Read 4\nTotal 4612\n')).to.deep.equal({read: 4100, write: 512})
    expect(parseBlkio('Total 0\n')).to.deep.equal({read: 0, write: 0})
  })

  it('renders a stopped container with zeros, and JSON with a one-space indent', () => {
    const c = {config: {id: 'a'.repeat(64), name: 'sx'}, state: {status: 'exited'}} as unknown as Container
    const table = renderStats([emptyStats(c)]).split('\n')
    expect(table[0]).to.equal('ID            NAME        CPU %       MEM USAGE / LIMIT  MEM %       NET IO      BLOCK IO    PIDS        CPU TIME    AVG CPU %')
    expect(table[1]).to.equal('aaaaaaaaaaaa  sx          0.00%       0B / 0B            0.00%       0B / 0B     0B / 0B     0           0s          0.00%')
    expect(renderStats([emptyStats(c)], {format: 'json'})).to.equal(
      '[\n {\n  "id": "aaaaaaaaaaaa",\n  "name": "sx",\n  "cpu_time": "0s",\n  "cpu_percent": "0.00%",\n  "avg_cpu": "0.00%",\n  "mem_usage": "0B / 0B",\n' +
      '  "mem_percent": "0.00%",\n  "net_io": "0B / 0B",\n  "block_io": "0B / 0B",\n  "pids": "0"\n }\n]\n')
    expect(renderStats([], {format: 'json'})).to.equal('[]\n')
  })
})

describe('pod stats output (Podman 4.3.1)', () => {
  it('shows a row of "--" under the default header when there is nothing, and nothing with a --format', async () => {
    const {renderPodStats} = await import('../../src/libpod/stats/pod.js')
    expect(renderPodStats([])).to.equal(
      'POD         CID         NAME        CPU %       MEM USAGE/ LIMIT  MEM %       NET IO      BLOCK IO    PIDS\n' +
      '--          --          --          --          --                --          --          --          --\n')
    expect(renderPodStats([], '{{.Name}}')).to.equal('')
    expect(renderPodStats([], 'json')).to.equal('[]\n')
  })
})
