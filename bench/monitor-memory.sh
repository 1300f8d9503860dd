#!/usr/bin/env bash
# Memory per running container, rootless (as BENCH_USER): PSS of each monitor
# plus any runtime process it keeps resident (runc, script), N running at once
# (default 5), beside an idle Node (`node -e 'setInterval(()=>{},1e6)'`, the
# floor) and Podman's conmon. PSS from /proc/PID/smaps_rollup.
# Usage: BENCH_USER=peapodtest N=5 bash bench/monitor-memory.sh
source "$(dirname "$0")/lib.sh"
N=${N:-5}
user_bench_setup monitor-memory || exit 0
pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

# The floor: N idle Node processes at once.
pids=()
for i in $(seq "$N"); do env -u NODE_EXTRA_CA_CERTS node -e 'setInterval(()=>{},1e6)' & pids+=($!); done
sleep 1; t=0; for p in "${pids[@]}"; do t=$((t + $(pss "$p"))); done
kill "${pids[@]}"; wait 2>/dev/null || true
printf 'idle node, %d at once:           %6d KiB PSS each\n' "$N" $((t / N))

as "for i in \$(seq $N); do $PP run -d bb sleep 1000 >/dev/null; done"
sleep 1
mon=0; rt=0; n=0
for m in $(pgrep -f "conmon/main.cjs .*$WORK/pp-run"); do
  mon=$((mon + $(pss "$m"))); n=$((n + 1))
  for k in $(pgrep -P "$m"); do
    case $(cat /proc/$k/comm) in runc*|script) rt=$((rt + $(pss "$k")));; esac
  done
done
[ "$n" -gt 0 ] && printf 'peapod monitor, %d running:        %6d KiB PSS each (+ resident runtime %d KiB) = %d KiB\n' "$n" $((mon / n)) $((rt / n)) $(((mon + rt) / n))
as "$PP rm -af -t 0 >/dev/null"
if have_podman; then
  as "for i in \$(seq $N); do $PM run -d bb sleep 1000 >/dev/null 2>&1; done"
  t=0; n=0
  for p in $(pgrep -f "conmon .*$WORK/pm"); do t=$((t + $(pss "$p"))); n=$((n + 1)); done
  [ "$n" -gt 0 ] && printf 'podman conmon, %d running:         %6d KiB PSS each\n' "$n" $((t / n))
  as "$PM rm -af -t 0 >/dev/null 2>&1"
fi
as "$PP system migrate" >/dev/null 2>&1 || true
