// Network: the public object over a network's document. Removing one that
// containers use is the Runtime's work (src/libpod/runtime/networks.ts).
import type {Runtime} from '../runtime.js'
import type {ConnectOptions} from './manage.js'
import type {NetworkDoc} from './types.js'

export class Network {
  constructor(private readonly rt: Runtime, readonly doc: NetworkDoc) {}

  get name(): string {
    return this.doc.name
  }

  get id(): string {
    return this.doc.id
  }

  /** Removes it; in use, refused unless forced (then its containers are removed first). */
  async remove(opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
    return (await import('../runtime/networks.js')).removeNetwork(this.rt, this.name, opts)
  }

  /** Connects a container (live when it runs). */
  async connect(container: string, opts: ConnectOptions = {}): Promise<void> {
    const {connectNetwork} = await import('./manage.js')
    await connectNetwork(this.rt, this.name, container, opts)
  }

  async disconnect(container: string): Promise<void> {
    const {disconnectNetwork} = await import('./manage.js')
    await disconnectNetwork(this.rt, this.name, container)
  }
}
