#!/usr/bin/env bash
# Start-up against an earlier revision: builds REV (default: main's first
# parent, HEAD~1) in a temporary worktree and times both side by side, root
# and rootless: version, ps -a, images, run --rm --network=none.
# Usage: bash bench/vs-rev.sh [REV]
source "$(dirname "$0")/lib.sh"
REV=${1:-HEAD~1}
OLD=$WORK/old
git -C "$REPO" worktree add -q --detach "$OLD" "$REV"
trap 'git -C "$REPO" worktree remove --force "$OLD"; stop_pauses; rm -rf "$WORK"' EXIT
ln -s "$REPO/node_modules" "$OLD/node_modules"
(cd "$OLD" && npm run build >/dev/null 2>&1)
chmod -R o+rX "$OLD"
O="node $OLD/bin/run.js"
ROOTLESS=0
user_bench_setup vs-rev && ROOTLESS=1
export BENCH_LABELS="$REV,HEAD"
have_podman() { true; } # both sides are peapod here
compare "version" "$O version" "$PEAPOD version" --warmup 3
compare "ps-a" "$O --root $WORK/o --runroot $WORK/or ps -a" "$PEAPOD --root $WORK/n --runroot $WORK/nr ps -a" --warmup 3
compare "images" "$O --root $WORK/o --runroot $WORK/or images" "$PEAPOD --root $WORK/n --runroot $WORK/nr images" --warmup 3
if [ $ROOTLESS = 1 ]; then
  OO="node $OLD/bin/run.js --root $WORK/po --runroot $WORK/po-run"
  as "$OO import bb.tar bb >/dev/null"
  ucompare "run-rm-rootless" "$OO run --rm --network=none bb true" "$PP run --rm --network=none bb true" --warmup 3 -N
fi
