# Shared bench helpers: time peapod and (when installed) Podman on the same
# work with hyperfine, then print both medians and the ratio.
# Benchmarks run without NODE_EXTRA_CA_CERTS, as a user's shell would.
set -euo pipefail
unset NODE_EXTRA_CA_CERTS
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
PEAPOD="node $REPO/bin/run.js"
RUNS=${RUNS:-20}
WORK=$(mktemp -d /tmp/peapod-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
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
