#!/usr/bin/env bash
# CLI start-up: `version` and `images` on an empty store, rootful.
source "$(dirname "$0")/lib.sh"
S="--root $WORK/pp --runroot $WORK/pp-run"
P="--root $WORK/pm --runroot $WORK/pm-run --storage-driver vfs"
$PEAPOD $S images >/dev/null
have_podman && podman $P images >/dev/null 2>&1
compare version "$PEAPOD version" "podman version" --warmup 3
compare images-empty "$PEAPOD $S images" "podman $P images" --warmup 3
