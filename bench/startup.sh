#!/usr/bin/env bash
# CLI start-up: `version` and `images` on an empty store, rootful.
source "$(dirname "$0")/lib.sh"
S="--root $WORK/rpp --runroot $WORK/rpp-run"
P="--root $WORK/rpm --runroot $WORK/rpm-run --storage-driver vfs"
$PEAPOD $S images >/dev/null
have_podman && podman $P images >/dev/null 2>&1
compare version "$PEAPOD version" "podman version" --warmup 3
compare images-empty "$PEAPOD $S images" "podman $P images" --warmup 3
# rootless (as BENCH_USER): the same, `images` on an empty store of the user's
if user_bench_setup start-up; then
  E="--root $WORK/ppe --runroot $WORK/ppe-run"
  as "$PP version >/dev/null && node $REPO/bin/run.js $E images >/dev/null"
  ucompare version-rootless "node $REPO/bin/run.js version" "podman version" --warmup 3 -N
  ucompare images-empty-rootless "node $REPO/bin/run.js $E images" "podman --root $WORK/pme --runroot $WORK/pme-run images" --warmup 3 -N
fi
