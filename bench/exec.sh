#!/usr/bin/env bash
# exec latency, rootless (as BENCH_USER), peapod vs Podman on the same work:
# `exec CTR true` into a running container, plus top and a health check.
# Podman runs rootless with --runtime runc (see containers.sh).
# Usage: BENCH_USER=peapodtest bash bench/exec.sh
source "$(dirname "$0")/lib.sh"
BENCH_USER=${BENCH_USER:-peapodtest}
id "$BENCH_USER" >/dev/null 2>&1 || { echo "no user $BENCH_USER: skipping exec benches"; exit 0; }
RUNS=${RUNS:-30}
chown "$BENCH_USER" "$WORK"
as() { su "$BENCH_USER" -s /bin/bash -c "unset NODE_EXTRA_CA_CERTS; export XDG_RUNTIME_DIR=$WORK/xdg; mkdir -p -m 700 \$XDG_RUNTIME_DIR; cd $WORK && $*"; }
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
cp "$(cat "$WORK/tar")" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
PP="node $REPO/bin/run.js --root $WORK/pp --runroot $WORK/pp-run"
PM="podman --root $WORK/pm --runroot $WORK/pm-run --runtime runc"
as "$PP import bb.tar bb >/dev/null && $PP run -d --name c --health-cmd true --health-interval disable bb sleep 100000 >/dev/null"
have_podman && as "$PM import bb.tar bb >/dev/null 2>&1 && $PM run -d --name c --health-cmd true --health-interval disable bb sleep 100000 >/dev/null 2>&1"

ucompare() {
  local name=$1 pp=$2 pm=$3; shift 3
  local args=(-N --style none --runs "$RUNS" --export-json "$WORK/$name.json" "$@" "$pp")
  have_podman && [ -n "$pm" ] && args+=("$pm")
  as "hyperfine $(printf '%q ' "${args[@]}")" >/dev/null
  node "$BENCH_DIR/report.js" "$name" "$WORK/$name.json"
}

ucompare exec-true "$PP exec c true" "$PM exec c true" --warmup 3
ucompare exec-t-true "$PP exec -t c true" "$PM exec -t c true" --warmup 3
ucompare top "$PP top c" "$PM top c" --warmup 2
ucompare healthcheck-run "$PP healthcheck run c" "$PM healthcheck run c" --warmup 2

as "$PP rm -f -t 0 c >/dev/null"; have_podman && as "$PM rm -f -t 0 c >/dev/null 2>&1"
as "$PP system migrate"
