// The in-namespace half of peapod's rootless port forwarder (what Podman's
// rootlessport does): started inside the container's (or the rootless)
// network namespace with `nsenter --net=NETNS node portfwd-child.cjs NETNS ID`,
// it receives listening sockets the parent bound on the host over Node's IPC
// channel, accepts on them and connects each client to the target inside
// the namespace, copying bytes both ways in the kernel's socket buffers —
// much faster than slirp4netns's user-mode TCP. CommonJS and Node built-ins
// only, to start fast and stay small; it lives as long as the container.
import net = require('node:net')
import stream = require('node:stream')

// Keep more in flight per direction than the 16 KiB default: fewer pauses
// between reading a 64 KiB chunk and the other socket draining it.
const HWM = Number(process.env.PEAPOD_PORTFWD_HWM) || 1 << 22
stream.setDefaultHighWaterMark(false, HWM)

interface ListenMessage { type: 'listen'; id: number; host: string; port: number }

/** How much one read from the container may bring: more than libuv's 64 KiB, fewer system calls. */
const READ_SIZE = 1 << 21

function serve(server: net.Server, target: {host: string; port: number}): void {
  server.on('connection', client => {
    // Container → client, the heavy direction for servers: large reads into
    // one buffer, copied once and written on (paused while the client lags).
    const buf = Buffer.allocUnsafe(READ_SIZE)
    let upstream: net.Socket
    const close = () => {
      client.destroy()
      upstream.destroy()
    }
    upstream = net.connect({host: target.host, port: target.port, onread: {buffer: buf, callback: (n: number) => {
      if (client.write(Buffer.from(buf.subarray(0, n)))) return true
      client.once('drain', () => upstream.resume())
      upstream.pause()
      return false
    }}})
    upstream.on('end', () => client.end())
    client.on('error', close)
    upstream.on('error', close)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => {
      if (!client.writableEnded) client.end()
    })
    client.pipe(upstream)
  })
  server.on('error', () => {})
}

let done = false
process.on('message', (msg: ListenMessage | {type: 'done'}, handle?: net.Server) => {
  if (msg.type === 'listen' && handle) {
    serve(handle, {host: msg.host, port: msg.port})
    process.send!({type: 'ok', id: msg.id})
  } else if (msg.type === 'done') {
    done = true
    process.disconnect()
  }
})
// The parent gone before it said done (killed mid-way): it never recorded this pid, nothing
// would ever stop this forwarder, and the ports it holds would stay taken.
process.on('disconnect', () => {
  if (!done) process.exit(0)
})
// Nothing else keeps it: when the listening sockets are gone (killed), it ends.
for (const sig of ['SIGINT', 'SIGHUP'] as const) process.on(sig, () => {})
