#!/usr/bin/env bash
# Memory per running container, rootless (as BENCH_USER): each monitor plus
# any runtime process it keeps resident (runc, script), N running at once
# (default 5), beside N idle Nodes (`node -e 'setInterval(()=>{},1e6)'`, the
# floor) running at the same time, and Podman's conmon. From
# /proc/PID/smaps_rollup: PSS, and USS (private pages: what the process alone
# costs, unaffected by whatever else runs on the machine).
# Usage: BENCH_USER=peapodtest N=5 bash bench/monitor-memory.sh
source "$(dirname "$0")/lib.sh"
N=${N:-5}
user_bench_setup monitor-memory || exit 0
# "PSS USS" in KiB
mem() { awk '/^Pss:/ {p=$2} /^Private_(Clean|Dirty):/ {u+=$2} END {print p+0, u+0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0 0; }

# The floor: N idle Node processes, as BENCH_USER, left running beside the monitors.
as "for i in \$(seq $N); do env -u NODE_EXTRA_CA_CERTS node -e 'setInterval(()=>{},1e6)' $WORK/idle-node & done"
as "for i in \$(seq $N); do $PP run -d bb sleep 1000 >/dev/null; done"
sleep 1
ip=0; iu=0; n=0
for p in $(pgrep -f "setInterval.* $WORK/idle-node"); do read -r a b < <(mem "$p"); ip=$((ip + a)); iu=$((iu + b)); n=$((n + 1)); done
[ "$n" -gt 0 ] && ip=$((ip / n)) iu=$((iu / n))
printf 'idle node, %d at once:             %6d KiB PSS, %6d KiB USS each\n' "$n" "$ip" "$iu"
mp=0; mu=0; rt=0; n=0
for m in $(pgrep -f "conmon/main.cjs .*$WORK/pp-run"); do
  read -r a b < <(mem "$m"); mp=$((mp + a)); mu=$((mu + b)); n=$((n + 1))
  for k in $(pgrep -P "$m"); do
    case $(cat /proc/$k/comm) in runc*|script) read -r a b < <(mem "$k"); rt=$((rt + a));; esac
  done
done
if [ "$n" -gt 0 ]; then
  printf 'peapod monitor, %d running:        %6d KiB PSS, %6d KiB USS each (+ resident runtime %d KiB PSS)\n' "$n" $((mp / n)) $((mu / n)) $((rt / n))
  printf 'monitor - idle node:              %+6d KiB PSS, %+6d KiB USS\n' $((mp / n - ip)) $((mu / n - iu))
fi
# The idle Nodes stop only now: until the monitors are measured they share
# Node's pages with them, as they did when the idle ones were measured.
pkill -f "setInterval.* $WORK/idle-node" || true
as "$PP rm -af -t 0 >/dev/null"
if have_podman; then
  as "for i in \$(seq $N); do $PM run -d bb sleep 1000 >/dev/null 2>&1; done"
  t=0; n=0
  for p in $(pgrep -f "conmon .*$WORK/pm"); do read -r a b < <(mem "$p"); t=$((t + a)); n=$((n + 1)); done
  [ "$n" -gt 0 ] && printf 'podman conmon, %d running:         %6d KiB PSS each\n' "$n" $((t / n))
  as "$PM rm -af -t 0 >/dev/null 2>&1"
fi
as "$PP system migrate" >/dev/null 2>&1 || true
