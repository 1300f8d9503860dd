// The in-namespace half of peapod's rootless port forwarder (what Podman's
// rootlessport does): started inside the container's (or the rootless)
// network namespace with `nsenter --net=NETNS node portfwd-child.cjs NETNS ID`,
// it receives listening sockets the parent bound on the host over Node's IPC
// channel, accepts on them and connects each client to the target inside
// the namespace, copying bytes both ways in the kernel's socket buffers —
// much faster than slirp4netns's user-mode TCP. CommonJS and Node built-ins
// only, to start fast and stay small; it lives as long as the container.
import net = require('node:net')

interface ListenMessage { type: 'listen'; id: number; host: string; port: number }

function serve(server: net.Server, target: {host: string; port: number}): void {
  server.on('connection', client => {
    client.setNoDelay(true)
    const upstream = net.connect({host: target.host, port: target.port})
    upstream.setNoDelay(true)
    const close = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', close)
    upstream.on('error', close)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  server.on('error', () => {})
}

process.on('message', (msg: ListenMessage | {type: 'done'}, handle?: net.Server) => {
  if (msg.type === 'listen' && handle) {
    serve(handle, {host: msg.host, port: msg.port})
    process.send!({type: 'ok', id: msg.id})
  } else if (msg.type === 'done') {
    process.disconnect()
  }
})
// Nothing else keeps it: when the listening sockets are gone (killed), it ends.
for (const sig of ['SIGINT', 'SIGHUP'] as const) process.on(sig, () => {})
