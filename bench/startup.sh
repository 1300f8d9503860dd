#!/usr/bin/env bash
# CLI start-up: the everyday quick commands, root and rootless, peapod (as
# installed: bin/peapod) and Podman 4.3.1 side by side. Prints one table:
# wall-time medians, CPU time (user+sys, mean) and both ratios. On a busy
# machine the CPU ratio is the steadier figure.
# Root: Podman cannot run containers on this host (rlimit errors), so `top`
# is measured rootless only and root's `inspect`/`port` use a created one.
# Usage: bash bench/startup.sh   (RUNS=20 by default; BENCH_USER=peapodtest)
source "$(dirname "$0")/lib.sh"
LAUNCH=${PEAPOD_LAUNCH:-$REPO/bin/peapod} # PEAPOD_LAUNCH="node OTHER/bin/run.js": another build
OUT=$WORK/startup
mkdir -p "$OUT"

# row MODE NAME PEAPOD_CMD PODMAN_CMD: one hyperfine run of both, alternating.
row() {
  local mode=$1 name=$2 pp=$3 pm=$4
  local args=(-N --style none --runs "$RUNS" --warmup 3 --export-json "$OUT/$mode-$name.json" "$pp")
  have_podman && args+=("$pm")
  if [ "$mode" = root ]; then
    hyperfine "${args[@]}" >/dev/null
  else
    chmod 777 "$OUT"
    as "hyperfine $(printf '%q ' "${args[@]}")" >/dev/null
  fi
}

# root: private stores, busybox imported, `insp` and `web` created
S="--root $WORK/rpp --runroot $WORK/rpp-run"
P="--root $WORK/rpm --runroot $WORK/rpm-run --storage-driver vfs"
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
cp "$(cat "$WORK/tar")" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
$LAUNCH $S import "$WORK/bb.tar" bb >/dev/null
have_podman && podman $P import "$WORK/bb.tar" bb >/dev/null 2>&1
root_prep() { # insp and web, created
  $LAUNCH $S create --name insp bb true >/dev/null
  $LAUNCH $S create --name web -p 18090:80 bb true >/dev/null
  have_podman && { podman $P create --name insp bb true >/dev/null 2>&1; podman $P create --name web -p 18090:80 bb true >/dev/null 2>&1; }
}
root_prep
# ps -a on "empty" stores has insp and web: run it before those exist
$LAUNCH $S rm -f insp web >/dev/null; have_podman && podman $P rm -f insp web >/dev/null 2>&1
row root ps-a-empty "$LAUNCH $S ps -a" "podman $P ps -a"
root_prep
row root version "$LAUNCH version" "podman version"
row root images "$LAUNCH $S images" "podman $P images"
row root inspect "$LAUNCH $S inspect insp" "podman $P inspect insp"
row root pod-ps "$LAUNCH $S pod ps" "podman $P pod ps"
row root volume-ls "$LAUNCH $S volume ls" "podman $P volume ls"
row root port "$LAUNCH $S port web" "podman $P port web"
for i in $(seq 98); do $LAUNCH $S create bb true >/dev/null; done
have_podman && for i in $(seq 98); do podman $P create bb true >/dev/null 2>&1; done
row root ps-a-100 "$LAUNCH $S ps -a" "podman $P ps -a"
# Podman's root containers hold locks in /dev/shm/libpod_lock (2048, shared by every root store):
# removed, not left to the rm -rf of $WORK, or runs soon fail with "exceeded num_locks".
have_podman && podman $P rm -af >/dev/null 2>&1

# rootless (as BENCH_USER): the pause process is up (user_bench_setup's import)
if user_bench_setup start-up; then
  PPL="$LAUNCH --root $WORK/pp --runroot $WORK/pp-run"
  row rootless ps-a-empty "$PPL ps -a" "$PM ps -a"
  as "$PPL create --name insp bb true >/dev/null && $PPL run -d --name web bb sleep 1000 >/dev/null"
  have_podman && as "$PM create --name insp bb true >/dev/null 2>&1; $PM run -d --name web bb sleep 1000 >/dev/null 2>&1"
  row rootless version "$LAUNCH version" "podman version"
  row rootless images "$PPL images" "$PM images"
  row rootless inspect "$PPL inspect insp" "$PM inspect insp"
  row rootless pod-ps "$PPL pod ps" "$PM pod ps"
  row rootless volume-ls "$PPL volume ls" "$PM volume ls"
  row rootless port "$PPL port web" "$PM port web"
  row rootless top "$PPL top web" "$PM top web"
  as "for i in \$(seq 98); do $PPL create bb true >/dev/null; done"
  have_podman && as "for i in \$(seq 98); do $PM create bb true >/dev/null 2>&1; done"
  row rootless ps-a-100 "$PPL ps -a" "$PM ps -a"
  as "$PPL rm -af -t 0 >/dev/null"; have_podman && as "$PM rm -af -t 0 >/dev/null 2>&1"
fi
node "$BENCH_DIR/startup-table.js" "$OUT"
