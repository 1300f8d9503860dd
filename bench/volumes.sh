#!/usr/bin/env bash
# Writing 1 GiB (dd, fsync at the end) into a named volume vs into the
# container's own rootfs, peapod vs Podman on the same work, rootless (as
# BENCH_USER) and, for peapod, rootful. Rootful Podman cannot run containers
# on this host (rlimit errors), so Podman is measured rootless only, with
# --runtime runc (crun refuses the hybrid cgroups here); it falls back to the
# vfs driver here, peapod uses native overlay in its user namespace.
# The write is timed inside the container (busybox `time -f %e` around dd),
# median of RUNS runs; the whole `run --rm` is timed too.
# Usage: BENCH_USER=peapodtest bash bench/volumes.sh
source "$(dirname "$0")/lib.sh"
BENCH_USER=${BENCH_USER:-peapodtest}
RUNS=${RUNS:-5}
MB=${MB:-1024}
chmod 755 "$WORK"
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
cp "$(cat "$WORK/tar")" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
DD="time -f %e dd if=/dev/zero of=/w/f bs=1M count=$MB conv=fsync 2>&1 >/dev/null | tail -1"

# as WHO (user|root): runs CMD RUNS times; prints "median-dd-seconds median-wall-seconds"
timed() {
  local who=$1 cmd=$2 i out t0 t1 dd=() wall=()
  for i in $(seq 0 "$RUNS"); do
    t0=$(date +%s%N)
    if [ "$who" = user ]; then out=$(su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $cmd" 2>&1); else out=$(bash -c "$cmd" 2>&1); fi
    t1=$(date +%s%N)
    [ "$i" = 0 ] && continue # warm-up
    dd+=("$(echo "$out" | grep -E '^[0-9]+\.[0-9]+$' | tail -1)"); wall+=("$(( (t1 - t0) / 1000000 ))")
  done
  node -e "const m=a=>{a=a.map(Number).sort((x,y)=>x-y);return a[a.length>>1]}; console.log(m(process.argv[1].split(' ')), m(process.argv[2].split(' '))/1000)" "${dd[*]}" "${wall[*]}"
}

# LABEL WHO BASE (the engine's `run --rm ...`)
bench_engine() {
  local label=$1 who=$2 base=$3 vd vw rd rw
  read -r vd vw < <(timed "$who" "$base -v bv:/w bb sh -c 'rm -f /w/f; $DD'")
  read -r rd rw < <(timed "$who" "$base bb sh -c 'mkdir -p /w; $DD'")
  node -e "
    const mb = $MB, rate = t => (mb / t).toFixed(0).padStart(5) + ' MB/s'
    console.log('$label'.padEnd(26) + '  volume ' + rate($vd) + ' (dd ${vd}s, run ${vw}s)   rootfs ' + rate($rd) + ' (dd ${rd}s, run ${rw}s)')"
}

echo "write ${MB} MiB (dd bs=1M conv=fsync) into a named volume and into the rootfs, median of $RUNS"
if id "$BENCH_USER" >/dev/null 2>&1; then
  chown "$BENCH_USER" "$WORK"
  PP="node $REPO/bin/run.js --root $WORK/pp --runroot $WORK/pp-run"
  su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $PP import bb.tar bb >/dev/null && $PP volume create bv >/dev/null"
  bench_engine "peapod rootless ($(cat "$WORK/pp/storage.json" 2>/dev/null | tr -d ' \n{}\"' | sed 's/driver://'))" user "$PP run --rm --network=none"
  if have_podman; then
    PM="podman --root $WORK/pm --runroot $WORK/pm-run --runtime runc"
    su "$BENCH_USER" -s /bin/bash -c "cd $WORK && $PM import bb.tar bb >/dev/null 2>&1 && $PM volume create bv >/dev/null 2>&1"
    bench_engine "podman rootless ($(su "$BENCH_USER" -s /bin/bash -c "$PM info --format '{{.Store.GraphDriverName}}'" 2>/dev/null))" user "$PM run --rm --network=none"
  else
    echo "podman not installed"
  fi
else
  echo "no user $BENCH_USER: skipping rootless"
fi
if [ "$(id -u)" = 0 ]; then
  PR="node $REPO/bin/run.js --root $WORK/ppr --runroot $WORK/ppr-run"
  $PR import "$WORK/bb.tar" bb >/dev/null && $PR volume create bv >/dev/null
  bench_engine "peapod rootful ($(tr -d ' \n{}"' < "$WORK/ppr/storage.json" | sed 's/driver://'))" root "$PR run --rm --network=none"
  have_podman && echo "podman rootful: cannot run containers on this host (rlimit errors), not measured"
fi
