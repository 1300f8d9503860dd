// A user's NODE_EXTRA_CA_CERTS, loaded when a TLS connection needs it rather
// than at Node's start-up. Node reads that file before any JavaScript runs
// (~45 ms here for the 144 certificates of ca-certificates.crt), and most
// commands make no TLS connection. bin/peapod moves it aside into
// PEAPOD_EXTRA_CA_CERTS; src/main.ts hands it to deferExtraCaCerts(), which
// puts NODE_EXTRA_CA_CERTS back for the processes peapod starts (containers
// with --env-host, the monitor) and has this process add the certificates
// itself: the registry client (extraCaCertificates()) and fetch().
import {readFileSync} from 'node:fs'

let deferredFile: string | undefined
let certs: string[] | undefined

/**
 * Records FILE as the extra CA certificates Node did not load, and puts
 * NODE_EXTRA_CA_CERTS back in the environment for child processes.
 */
export function deferExtraCaCerts(file: string): void {
  deferredFile = file
  process.env.NODE_EXTRA_CA_CERTS = file
  delete process.env.PEAPOD_EXTRA_CA_CERTS
  wrapFetch()
}

/** The file whose certificates this process must add itself, if any. */
export function deferredExtraCaFile(): string | undefined {
  return deferredFile
}

/**
 * The deferred extra CA certificates (PEM, one per entry), read once; []
 * when Node loaded them at start-up itself (nothing to add). An unreadable
 * file is reported as Node reports it, and ignored as Node ignores it.
 */
export function extraCaCertificates(): string[] {
  if (!deferredFile) return []
  if (certs) return certs
  try {
    certs = readFileSync(deferredFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  } catch (e) {
    process.emitWarning(`Ignoring extra certs from \`${deferredFile}\`, load failed: ${(e as Error).message}`)
    certs = []
  }
  return certs
}

/** The CA list for a verifying TLS client: the system's plus the deferred extras and EXTRA. */
export function caWithExtras(extra: string[] = []): string[] | undefined {
  const more = extraCaCertificates()
  if (!more.length && !extra.length) return undefined
  // node:tls loads only here: src/main.ts imports this module on every start.
  const tls = process.getBuiltinModule('node:tls')
  return [...tls.rootCertificates, ...more, ...extra]
}

const DISPATCHER = Symbol.for('undici.globalDispatcher.1')

/**
 * fetch() (Node's own undici) with the deferred certificates: on the first
 * call, its global agent is replaced by one that trusts them (what undici's
 * setGlobalDispatcher does), then every call goes to the real fetch.
 */
function wrapFetch(): void {
  const real = globalThis.fetch
  let ready: Promise<void> | undefined
  const prepare = async () => {
    const ca = caWithExtras()
    if (!ca) return
    await real('data:,') // loads undici, which installs its global agent
    const g = globalThis as unknown as Record<symbol, {constructor: new (o: object) => unknown} | undefined>
    const Agent = g[DISPATCHER]?.constructor
    if (Agent) g[DISPATCHER] = new Agent({connect: {ca}}) as never
  }
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    await (ready ??= prepare())
    return real(...args)
  }
}
