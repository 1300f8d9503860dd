# Shared bench helpers: time peapod and (when installed) Podman on the same
# work with hyperfine, then print both medians and the ratio.
# Benchmarks run without NODE_EXTRA_CA_CERTS, as a user's shell would.
set -euo pipefail
unset NODE_EXTRA_CA_CERTS
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# PEAPOD_REPO: bench another checkout (built) with these scripts, e.g. main for before/after figures.
REPO=${PEAPOD_REPO:-$(cd "$BENCH_DIR/.." && pwd)}
PEAPOD="node $REPO/bin/run.js"
RUNS=${RUNS:-20}
WORK=$(mktemp -d /tmp/peapod-bench-XXXXXX)
# The rootless benches' pause processes (peapod's and Podman's, one each per
# run, under $WORK/xdg) would outlive the run: stopped with it.
stop_pauses() {
  local f
  for f in "$WORK"/xdg/peapod/pause.pid "$WORK"/xdg/libpod/tmp/pause.pid; do
    [ -r "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
}
trap 'stop_pauses; rm -rf "$WORK"' EXIT
have_podman() { command -v podman >/dev/null 2>&1; }

# compare NAME PEAPOD_CMD PODMAN_CMD [hyperfine options...]
compare() {
  local name=$1 pp=$2 pm=$3; shift 3
  local cmds=("$pp")
  have_podman && [ -n "$pm" ] && cmds+=("$pm")
  hyperfine -N --style none --runs "$RUNS" --export-json "$WORK/$name.json" "$@" "${cmds[@]}" >/dev/null 2>&1 ||
    hyperfine --style none --runs "$RUNS" --export-json "$WORK/$name.json" "$@" "${cmds[@]}" >/dev/null
  node "$BENCH_DIR/report.js" "$name" "$WORK/$name.json"
}

# Rootless side-by-side setup (containers, exec, cp-commit, network):
# `as CMD` runs CMD as BENCH_USER in $WORK with its own XDG_RUNTIME_DIR;
# PP/PM are peapod and Podman (--runtime runc: crun refuses hybrid cgroups
# here) on stores in $WORK, both with the busybox image `bb` imported.
# Returns 1 (the caller exits) when there is no such user.
user_bench_setup() { # WHAT
  BENCH_USER=${BENCH_USER:-peapodtest}
  id "$BENCH_USER" >/dev/null 2>&1 || { echo "no user $BENCH_USER: skipping $1 benches"; return 1; }
  chown "$BENCH_USER" "$WORK"
  mkdir -p -m 700 "$WORK/xdg" && chown "$BENCH_USER" "$WORK/xdg"
  node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
  cp "$(cat "$WORK/tar")" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
  # As installed (bin/peapod: rootless, one Node start inside the namespace);
  # PEAPOD_LAUNCH="node $REPO/bin/run.js" for the Node-twice path.
  PP="${PEAPOD_LAUNCH:-$REPO/bin/peapod} --root $WORK/pp --runroot $WORK/pp-run"
  PM="podman --root $WORK/pm --runroot $WORK/pm-run --runtime runc"
  as "$PP import bb.tar bb >/dev/null"
  if have_podman; then as "$PM import bb.tar bb >/dev/null 2>&1"; fi
}
as() { su "$BENCH_USER" -s /bin/bash -c "unset NODE_EXTRA_CA_CERTS; export XDG_RUNTIME_DIR=$WORK/xdg; cd $WORK && $*"; }

# ucompare NAME PEAPOD_CMD PODMAN_CMD [hyperfine options...]: compare, as BENCH_USER
ucompare() {
  local name=$1 pp=$2 pm=$3; shift 3
  local args=(--style none --runs "$RUNS" --export-json "$WORK/$name.json" "$@" "$pp")
  have_podman && [ -n "$pm" ] && args+=("$pm")
  as "hyperfine $(printf '%q ' "${args[@]}")" >/dev/null
  node "$BENCH_DIR/report.js" "$name" "$WORK/$name.json"
}
