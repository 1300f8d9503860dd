#!/usr/bin/env bash
# Writing 1 GiB (dd, fsync at the end) into a named volume vs into the
# container's own rootfs, peapod vs Podman on the same work, rootless (as
# BENCH_USER) and, for peapod, rootful. Rootful Podman cannot run containers
# on this host (rlimit errors), so Podman is measured rootless only, with
# --runtime runc (crun refuses the hybrid cgroups here); it falls back to the
# vfs driver here, peapod uses native overlay in its user namespace.
# The write is timed inside the container (busybox `time -f %e` around dd),
# the whole `run --rm` too; medians of RUNS rounds, the cases round-robin.
# Usage: BENCH_USER=peapodtest bash bench/volumes.sh
source "$(dirname "$0")/lib.sh"
BENCH_USER=${BENCH_USER:-peapodtest}
RUNS=${RUNS:-5}
MB=${MB:-1024}
chmod 755 "$WORK"
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
cp "$(cat "$WORK/tar")" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
DD="time -f %e dd if=/dev/zero of=/w/f bs=1M count=$MB conv=fsync 2>&1 >/dev/null | tail -1"

# The cases, run round-robin (one run of each per round) so that a busy
# moment of the machine hits them all alike: LABEL|WHO|COMMAND.
CASES=()
add_engine() { # LABEL WHO BASE (the engine's `run --rm ...`)
  CASES+=("$1 volume|$2|$3 -v bv:/w bb sh -c 'rm -f /w/f; $DD'")
  CASES+=("$1 rootfs|$2|$3 bb sh -c 'mkdir -p /w; $DD'")
}

echo "write ${MB} MiB (dd bs=1M conv=fsync) into a named volume and into the rootfs, median of $RUNS, round-robin"
if id "$BENCH_USER" >/dev/null 2>&1; then
  chown "$BENCH_USER" "$WORK"
  PP="node $REPO/bin/run.js --root $WORK/pp --runroot $WORK/pp-run"
  su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $PP import bb.tar bb >/dev/null && $PP volume create bv >/dev/null"
  add_engine "peapod rootless ($(tr -d ' \n{}"' < "$WORK/pp/storage.json" | sed 's/driver://'))" user "$PP run --rm --network=none"
  if have_podman; then
    PM="podman --root $WORK/pm --runroot $WORK/pm-run --runtime runc"
    su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $PM import bb.tar bb >/dev/null 2>&1 && $PM volume create bv >/dev/null 2>&1"
    add_engine "podman rootless ($(su "$BENCH_USER" -s /bin/bash -c "$PM info --format '{{.Store.GraphDriverName}}'" 2>/dev/null))" user "$PM run --rm --network=none"
  else
    echo "podman not installed"
  fi
else
  echo "no user $BENCH_USER: skipping rootless"
fi
if [ "$(id -u)" = 0 ]; then
  PR="node $REPO/bin/run.js --root $WORK/ppr --runroot $WORK/ppr-run"
  $PR import "$WORK/bb.tar" bb >/dev/null && $PR volume create bv >/dev/null
  add_engine "peapod rootful ($(tr -d ' \n{}"' < "$WORK/ppr/storage.json" | sed 's/driver://'))" root "$PR run --rm --network=none"
fi

# the disk itself, for scale: the same dd on the host, no container
CASES+=("host, no container|root|busybox time -f %e dd if=/dev/zero of=$WORK/hostf bs=1M count=$MB conv=fsync 2>&1 >/dev/null | tail -1; rm -f $WORK/hostf")

declare -A DDS WALLS
for i in $(seq 0 "$RUNS"); do
  for c in "${CASES[@]}"; do
    IFS='|' read -r label who cmd <<< "$c"
    t0=$(date +%s%N)
    if [ "$who" = user ]; then out=$(su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $cmd" 2>&1); else out=$(bash -c "$cmd" 2>&1); fi
    t1=$(date +%s%N)
    [ "$i" = 0 ] && continue # warm-up
    DDS[$label]+="$(echo "$out" | grep -E '^[0-9]+\.[0-9]+$' | tail -1) "
    WALLS[$label]+="$(( (t1 - t0) / 1000000 )) "
  done
done
for c in "${CASES[@]}"; do
  label=${c%%|*}
  node -e "
    const med = s => { const a = s.trim().split(/\s+/).map(Number).sort((x, y) => x - y); return a[a.length >> 1] }
    const dd = med(process.argv[1]), wall = med(process.argv[2]) / 1000
    console.log(process.argv[3].padEnd(34) + (($MB / dd).toFixed(0) + ' MB/s').padStart(10) + '   dd ' + dd.toFixed(2) + ' s   whole run --rm ' + wall.toFixed(2) + ' s')" "${DDS[$label]}" "${WALLS[$label]}" "$label"
done
[ "$(id -u)" = 0 ] && have_podman && echo "podman rootful: cannot run containers on this host (rlimit errors), not measured"
exit 0
