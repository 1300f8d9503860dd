#!/bin/sh
# Installs peapod's systemd integration, as Podman's packages do:
#   - the Quadlet generators: peapod-system-generator and peapod-user-generator
#     (links to bin/quadlet.js) in systemd's generator directories, so that
#     .container/.volume/.network/.kube/.pod/.image/.build files in
#     /etc/containers/systemd (root) or ~/.config/containers/systemd (users)
#     become services at boot and on `systemctl daemon-reload`;
#   - peapod-restart.service, peapod-kube@.service, peapod-auto-update.service
#     and .timer, for the system and for users (`systemctl --user`).
# Usage: scripts/install-systemd.sh [--prefix DIR] [--dry-run]
#   DIR defaults to /usr (units in DIR/lib/systemd/{system,user}, generators in
#   DIR/lib/systemd/{system,user}-generators). Run as root; then
#   `systemctl daemon-reload` (and `systemctl --user daemon-reload` per user).
set -eu
prefix=/usr
dry=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --dry-run) dry=echo; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--dry-run]" >&2; exit 2 ;;
  esac
done
repo=$(cd "$(dirname "$0")/.." && pwd -P)
peapod="$repo/bin/peapod" # the launcher, as a user's shell runs it
quadlet="$repo/bin/quadlet.js"
sd="$prefix/lib/systemd"
for d in system user system-generators user-generators; do $dry mkdir -p "$sd/$d"; done
$dry ln -sf "$quadlet" "$sd/system-generators/peapod-system-generator"
$dry ln -sf "$quadlet" "$sd/user-generators/peapod-user-generator"
for scope in system user; do
  for f in "$repo"/contrib/systemd/*.in; do
    out="$sd/$scope/$(basename "$f" .in)"
    if [ -n "$dry" ]; then echo "sed s|@@PEAPOD@@|$peapod|g $f > $out"; else sed "s|@@PEAPOD@@|$peapod|g" "$f" > "$out"; fi
  done
  $dry cp "$repo/contrib/systemd/peapod-auto-update.timer" "$sd/$scope/"
done
