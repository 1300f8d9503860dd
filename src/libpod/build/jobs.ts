// --jobs: the stages of a multi-stage build run as soon as the stages they
// read (FROM, COPY --from, RUN --mount from=) are built, at most `limit` at
// once (0: no limit). The first failure stops new starts and is thrown once
// the running stages have ended.
export async function runStagesInParallel<T>(order: number[], deps: Map<number, number[]>, limit: number, build: (stage: number) => Promise<T>): Promise<Map<number, T>> {
  const done = new Map<number, T>()
  const started = new Set<number>()
  const running = new Set<Promise<void>>()
  let failure: unknown
  let failed = false
  const ready = () => order.filter(i => !started.has(i) && (deps.get(i) ?? []).every(d => done.has(d)))
  for (;;) {
    if (!failed) {
      for (const i of ready()) {
        if (limit > 0 && running.size >= limit) break
        started.add(i)
        const p: Promise<void> = build(i).then(v => { done.set(i, v) }, e => {
          if (!failed) failure = e
          failed = true
        }).finally(() => running.delete(p))
        running.add(p)
      }
    }
    if (running.size === 0) break
    await Promise.race(running)
  }
  if (failed) throw failure
  return done
}
