#!/usr/bin/env bash
# `load` of a ~100 MB multi-layer docker-archive into an empty store, rootful.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
node "$BENCH_DIR/make-archive.js" "$WORK/img.tar"
ls -la "$WORK/img.tar" | awk '{printf "archive: %.0f MB\n", $5/1e6}'
compare load-100MB \
  "bash -c 'rm -rf $WORK/pp; $PEAPOD --root $WORK/pp --runroot $WORK/pp-run load -q -i $WORK/img.tar'" \
  "bash -c 'rm -rf $WORK/pm; podman --root $WORK/pm --runroot $WORK/pm-run --storage-driver overlay load -q -i $WORK/img.tar'"
rm -rf "$WORK/pm" "$WORK/pp"
