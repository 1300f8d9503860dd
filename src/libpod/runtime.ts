// Runtime: the one entry point into the engine. Opens the config and the
// store; commands call its members and never touch the store's files.
import {loadConfig, type Config, type GlobalOptions} from './config/config.js'
import {loadRegistriesConf, searchRegistriesOf} from './config/registries.js'
import {lookupImage} from './image/lookup.js'
import type {ImageDoc} from './image/images.js'
import {ContainerStore} from './container/store.js'
import {containerRuntime, type OciRuntime} from './oci/runtime.js'
import {Store} from './storage/store.js'
import {log, type Logger} from './util/log.js'

export class Runtime {
  private registriesCache?: string[]

  readonly containers: ContainerStore
  /** The process's logger, at the level --log-level asked for. */
  readonly logger: Logger = log

  /** One OCI runtime for every container (unit tests: oci/fake.ts); unset, each container's is chosen. */
  fixedOci?: OciRuntime

  private constructor(readonly config: Config, readonly store: Store) {
    this.containers = new ContainerStore(config.graphRoot)
  }

  static open(opts: GlobalOptions = {}): Runtime {
    log.setLevel(opts.logLevel)
    const config = loadConfig(opts)
    return new Runtime(config, Store.open(config))
  }

  /** The OCI runtime a container runs with (--runtime wins over its own choice); no container: the default. */
  oci(c?: {runtime?: string; network?: string}): OciRuntime {
    return this.fixedOci ?? containerRuntime(this.config, c)
  }

  /** unqualified-search-registries from registries.conf (docker.io when unset). */
  get searchRegistries(): string[] {
    if (!this.registriesCache) {
      const {registries} = searchRegistriesOf(loadRegistriesConf(this.config.configDirs, {rootless: this.config.rootless}).tables)
      this.registriesCache = registries.length ? registries : ['docker.io']
    }
    return this.registriesCache
  }

  listImages(): ImageDoc[] {
    return this.store.images.list()
  }

  lookupImage(nameOrId: string): ImageDoc {
    return lookupImage(this.store.images.list(), nameOrId, this.searchRegistries)
  }

  /** IDs of the containers using an image. */
  imageUsers(imageId: string): string[] {
    return this.containers.list().filter(c => c.config.imageId === imageId).map(c => c.config.id)
  }
}
