#!/usr/bin/env bash
# A first look at peapod on a fresh Debian 12 machine: installs what it
# needs, builds it, builds a tiny busybox image from local files, and shows
# it in peapod's store. Run it as root or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get install -y -qq --no-install-recommends runc uidmap catatonit busybox-static attr \
  slirp4netns netavark aardvark-dns iptables golang-github-containers-common >/dev/null
# A user needs subordinate IDs for rootless use (Debian's useradd adds them).
if [ "$(id -u)" -ne 0 ] && ! grep -q "^$(id -un):" /etc/subuid; then
  $SUDO usermod --add-subuids 100000-165535 --add-subgids 100000-165535 "$(id -un)"
fi
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
peapod() { node bin/run.js "$@"; }

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc"
cp /bin/busybox "$work/rootfs/bin/"
for a in sh ls echo cat id uname; do ln -s busybox "$work/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$work/rootfs/etc/passwd"
tar -C "$work/rootfs" -cf "$work/busybox.tar" .

peapod import --change CMD=/bin/sh "$work/busybox.tar" busybox
peapod images
peapod image inspect --format '{{.Id}} {{.Architecture}} {{.Config.Cmd}}' busybox
peapod save -o "$work/busybox-saved.tar" busybox
echo "saved and reloaded:"; peapod load -i "$work/busybox-saved.tar"

# A container from that image: runs through peapod's monitor and runc.
peapod run --rm busybox sh -c 'echo "hello from a peapod container: $(uname -s) $(id -u)"'
peapod run -d --name demo busybox sh -c 'echo logged; sleep 60' >/dev/null
peapod ps
peapod logs demo
peapod rm -f demo >/dev/null
