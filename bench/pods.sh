#!/usr/bin/env bash
# Pods, rootless (as BENCH_USER), peapod vs Podman on the same work: create a
# pod, create 3 members, start the pod (infra first, then the members), and
# `pod rm -f`. Podman runs rootless with --runtime runc (crun refuses this
# host's hybrid cgroups). Usage: BENCH_USER=peapodtest bash bench/pods.sh
source "$(dirname "$0")/lib.sh"
BENCH_USER=${BENCH_USER:-peapodtest}
id "$BENCH_USER" >/dev/null 2>&1 || { echo "no user $BENCH_USER: skipping pod benches"; exit 0; }
RUNS=${RUNS:-5}
chown "$BENCH_USER" "$WORK"
as() { su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $*"; }
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
TAR=$(cat "$WORK/tar"); cp "$TAR" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
PP="node $REPO/bin/run.js --root $WORK/pp --runroot $WORK/pp-run"
PM="podman --root $WORK/pm --runroot $WORK/pm-run --runtime runc"
as "$PP import bb.tar bb >/dev/null"
have_podman && as "$PM import bb.tar bb >/dev/null 2>&1"

ucompare() {
  local name=$1 pp=$2 pm=$3; shift 3
  local args=(--style none --runs "$RUNS" --export-json "$WORK/$name.json" "$@" "$pp")
  have_podman && [ -n "$pm" ] && args+=("$pm")
  as "hyperfine $(printf '%q ' "${args[@]}")" >/dev/null
  node "$BENCH_DIR/report.js" "$name" "$WORK/$name.json"
}

# one round: pod create, 3 members, pod start, pod rm -f
round() { # CLI [stderr redirect]
  local c=$1 q=${2:-}
  echo "$c pod create --name bp >/dev/null $q && for i in 1 2 3; do $c create --pod bp bb sleep 1000 >/dev/null $q; done && $c pod start bp >/dev/null $q && $c pod rm -f -t 0 bp >/dev/null $q"
}
# The pause image is built on first use: once before timing, for both.
as "$(round "$PP")"; have_podman && as "$(round "$PM" '2>/dev/null')"
ucompare pod-create-start3-rm "bash -c '$(round "$PP")'" "bash -c '$(round "$PM" '2>/dev/null')'" --warmup 1
as "$PP pod rm -af -t 0 >/dev/null"; have_podman && as "$PM pod rm -af -t 0 >/dev/null 2>&1"
as "$PP system migrate"
