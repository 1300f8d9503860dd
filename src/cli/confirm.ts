// Podman's y/N prompt before destructive commands (prune, reset).
import {createInterface} from 'node:readline'

/** Prints the question and reads one line from stdin; true for y or yes. */
export async function confirm(question: string): Promise<boolean> {
  process.stdout.write(question)
  const rl = createInterface({input: process.stdin})
  const answer = await new Promise<string>(resolve => {
    rl.once('line', resolve)
    rl.once('close', () => resolve(''))
  })
  rl.close()
  return /^y(es)?$/i.test(answer.trim())
}
