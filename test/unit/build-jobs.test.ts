// --jobs' scheduler (no containers): stages start once the stages they read
// are built, never more than the limit at once (0: no limit), and the first
// failure is thrown after the running stages end, with no new start.
import {expect} from 'chai'
import {runStagesInParallel} from '../../src/libpod/build/jobs.js'

/** A build of stages that records how many ran at once; each stage ends when released. */
function harness() {
  let running = 0
  let peak = 0
  const order: string[] = []
  const gates = new Map<number, () => void>()
  const build = (i: number) => new Promise<number>(resolve => {
    running++
    peak = Math.max(peak, running)
    order.push(`start ${i}`)
    gates.set(i, () => {
      running--
      order.push(`end ${i}`)
      resolve(i * 10)
    })
  })
  return {build, order, gates, peak: () => peak}
}

/** Releases started stages in index order until the scheduler is done. */
async function drive(h: ReturnType<typeof harness>, p: Promise<unknown>): Promise<void> {
  let done = false
  void p.finally(() => { done = true }).catch(() => {})
  while (!done) {
    await new Promise(r => setImmediate(r))
    const next = [...h.gates.keys()].sort((a, b) => a - b)[0]
    if (next !== undefined) {
      const g = h.gates.get(next)!
      h.gates.delete(next)
      g()
    }
  }
}

describe('build --jobs: the stage scheduler', function () {
  it('runs independent stages together up to the limit, a dependent one after its inputs', async function () {
    const h = harness()
    const deps = new Map([[0, []], [1, []], [2, []], [3, [0, 1]]])
    const p = runStagesInParallel([0, 1, 2, 3], deps, 2, h.build)
    await drive(h, p)
    const got = await p
    expect(h.peak()).to.equal(2)
    expect([...got.entries()].sort()).to.deep.equal([[0, 0], [1, 10], [2, 20], [3, 30]])
    expect(h.order.indexOf('start 3')).to.be.greaterThan(h.order.indexOf('end 1'))
  })

  it('0 means no limit; 1 builds one stage at a time', async function () {
    const all = harness()
    const deps = new Map([[0, []], [1, []], [2, []]])
    const p = runStagesInParallel([0, 1, 2], deps, 0, all.build)
    await drive(all, p)
    await p
    expect(all.peak()).to.equal(3)
    const one = harness()
    const q = runStagesInParallel([0, 1, 2], deps, 1, one.build)
    await drive(one, q)
    await q
    expect(one.peak()).to.equal(1)
  })

  it('a failure stops new starts and is thrown', async function () {
    const started: number[] = []
    const deps = new Map([[0, []], [1, [0]]])
    let err: unknown
    try {
      await runStagesInParallel([0, 1], deps, 2, async i => {
        started.push(i)
        throw new Error(`stage ${i} failed`)
      })
    } catch (e) {
      err = e
    }
    expect((err as Error).message).to.equal('stage 0 failed')
    expect(started).to.deep.equal([0])
  })
})
