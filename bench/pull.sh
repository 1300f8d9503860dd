#!/usr/bin/env bash
# `pull` of a ~200 MB, 5-layer image from a local registry (Debian's
# docker-registry on 127.0.0.1) into an empty store, then the re-pull of the
# image once it is present; rootful, overlay, side by side with Podman.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
command -v docker-registry >/dev/null || { echo "pull: docker-registry is not installed"; exit 0; }
command -v skopeo >/dev/null || { echo "pull: skopeo is not installed"; exit 0; }

# The image: an OCI layout built from local files (no network), gzip'd layers.
node --input-type=module - "$WORK/layout" <<'JS'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, readdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {gzipSync} from 'node:zlib'

const out = process.argv[2]
const work = mkdtempSync(path.join(os.tmpdir(), 'peapod-mklayout-'))
mkdirSync(path.join(out, 'blobs/sha256'), {recursive: true})
const sha = b => 'sha256:' + createHash('sha256').update(b).digest('hex')
const put = b => {
  const d = sha(b)
  writeFileSync(path.join(out, 'blobs/sha256', d.slice(7)), b)
  return d
}
const layers = []
const diffIds = []
function layer(name, fill) {
  const root = path.join(work, name)
  mkdirSync(root, {recursive: true})
  fill(root)
  const tar = path.join(work, `${name}.tar`)
  execFileSync('tar', ['--numeric-owner', '--sort=name', '-C', root, '-cf', tar, '.'])
  const t = readFileSync(tar)
  diffIds.push(sha(t))
  const gz = gzipSync(t)
  layers.push({mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(gz), size: gz.length})
  rmSync(root, {recursive: true, force: true})
  rmSync(tar)
}
/** Copies files of `src` (recursively, in name order) until `limit` bytes. */
function copyUpTo(src, dest, limit) {
  let total = 0
  const walk = (s, d) => {
    for (const f of readdirSync(s).sort()) {
      if (total >= limit) return
      const sp = path.join(s, f)
      const st = lstatSync(sp, {throwIfNoEntry: false})
      if (!st) continue
      if (st.isSymbolicLink()) {
        symlinkSync(readlinkSync(sp), path.join(d, f))
      } else if (st.isDirectory()) {
        mkdirSync(path.join(d, f), {recursive: true})
        walk(sp, path.join(d, f))
      } else if (st.isFile()) {
        copyFileSync(sp, path.join(d, f))
        total += st.size
      }
    }
  }
  mkdirSync(dest, {recursive: true})
  walk(src, dest)
}
layer('base', root => {
  for (const d of ['bin', 'etc', 'tmp']) mkdirSync(path.join(root, d))
  copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'))
  symlinkSync('busybox', path.join(root, 'bin/sh'))
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
})
layer('python', root => copyUpTo('/usr/lib/python3.11', path.join(root, 'usr/lib/python3.11'), 60e6))
layer('bin', root => copyUpTo('/usr/bin', path.join(root, 'usr/bin'), 50e6))
layer('libs', root => copyUpTo('/usr/lib/x86_64-linux-gnu', path.join(root, 'usr/lib/x86_64-linux-gnu'), 50e6))
layer('share', root => copyUpTo('/usr/share', path.join(root, 'usr/share'), 40e6))
const config = JSON.stringify({
  architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
  config: {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh']},
  rootfs: {type: 'layers', diff_ids: diffIds},
  history: diffIds.map(() => ({created: '2024-01-01T00:00:00Z', created_by: 'bench'})),
})
const cfg = put(config)
const manifest = JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg, size: config.length}, layers})
const md = put(manifest)
writeFileSync(path.join(out, 'index.json'), JSON.stringify({schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: md, size: manifest.length, annotations: {'org.opencontainers.image.ref.name': 'latest'}}]}))
writeFileSync(path.join(out, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}')
rmSync(work, {recursive: true, force: true})
JS

# A private registry on a free port; stopped on exit.
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cat > "$WORK/registry.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: 127.0.0.1:$PORT
YML
docker-registry serve "$WORK/registry.yml" >/dev/null 2>&1 &
REG_PID=$!
trap 'kill $REG_PID 2>/dev/null; wait $REG_PID 2>/dev/null; stop_pauses; rm -rf "$WORK"' EXIT
# Wait until the port accepts connections.
for _ in $(seq 1 500); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 $REG_PID 2>/dev/null || { echo "pull: the registry did not start"; exit 1; }
  sleep 0.02
done
IMG=127.0.0.1:$PORT/bench:latest
skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/layout:latest" "docker://$IMG"
du -sb "$WORK/registry" | awk '{printf "image: %.0f MB compressed in the registry, ", $1/1e6}'
python3 - "$WORK/layout" <<'PY' 2>/dev/null || true
import json, subprocess, sys, gzip, os
d = sys.argv[1]
idx = json.load(open(f"{d}/index.json"))
m = json.load(open(f"{d}/blobs/sha256/{idx['manifests'][0]['digest'][7:]}"))
total = 0
for l in m['layers']:
    with gzip.open(f"{d}/blobs/sha256/{l['digest'][7:]}") as f:
        while True:
            b = f.read(1 << 20)
            if not b: break
            total += len(b)
print(f"{total/1e6:.0f} MB uncompressed, {len(m['layers'])} layers")
PY

PP="$PEAPOD --root $WORK/pp --runroot $WORK/pp-run --storage-driver overlay"
PM="podman --root $WORK/pm --runroot $WORK/pm-run --storage-driver overlay"
compare pull-200MB-empty-store \
  "$PP pull -q --tls-verify=false $IMG" \
  "$PM pull -q --tls-verify=false $IMG" \
  --prepare "rm -rf $WORK/pp $WORK/pm"
# Re-pull of a present image (only the manifest is fetched).
$PP pull -q --tls-verify=false "$IMG" >/dev/null
have_podman && $PM pull -q --tls-verify=false "$IMG" >/dev/null
RUNS=${REPULL_RUNS:-20} compare pull-present \
  "$PP pull -q --tls-verify=false $IMG" \
  "$PM pull -q --tls-verify=false $IMG"
rm -rf "$WORK/pp" "$WORK/pm"
