#!/usr/bin/env bash
# Container lifecycle, rootless (as BENCH_USER), peapod vs Podman on the
# same work. Rootful Podman cannot run containers on this host (rlimit
# errors) and crun refuses hybrid cgroups, so Podman runs rootless with
# --runtime runc. Usage: BENCH_USER=peapodtest bash bench/containers.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-10}
user_bench_setup container || exit 0

ucompare run-rm-true "$PP run --rm --network=none bb true" "$PM run --rm --network=none bb true 2>/dev/null" --warmup 2
ucompare create-start-rm "$PP create --name c bb true >/dev/null && $PP start c >/dev/null && $PP rm -f c >/dev/null" \
  "$PM create --name c bb true >/dev/null 2>&1 && $PM start c >/dev/null 2>&1 && $PM rm -f c >/dev/null 2>&1" --warmup 1
as "$PP create --name insp bb true >/dev/null"; have_podman && as "$PM create --name insp bb true >/dev/null 2>&1"
ucompare inspect "$PP inspect insp" "$PM inspect insp 2>/dev/null" --warmup 2

for n in 100 1000; do
  have=$(as "$PP ps -aq | wc -l")
  as "for i in \$(seq $((have+1)) $n); do $PP create bb true >/dev/null; done"
  have_podman && { have=$(as "$PM ps -aq 2>/dev/null | wc -l"); as "for i in \$(seq $((have+1)) $n); do $PM create bb true >/dev/null 2>&1; done"; }
  ucompare "ps-a-$n" "$PP ps -a" "$PM ps -a 2>/dev/null" --warmup 1
done
as "$PP rm -af >/dev/null"; have_podman && as "$PM rm -af >/dev/null 2>&1"

# logs of 100k lines
as "$PP run --name lg bb sh -c 'seq 1 100000' >/dev/null"; have_podman && as "$PM run --name lg bb sh -c 'seq 1 100000' >/dev/null 2>&1"
ucompare logs-100k "$PP logs lg" "$PM logs lg 2>/dev/null" --warmup 1

# 20 parallel run --rm
RUNS=3 ucompare parallel-20 "bash -c 'for i in \$(seq 20); do $PP run --rm --network=none bb true & done; wait'" \
  "bash -c 'for i in \$(seq 20); do $PM run --rm --network=none bb true 2>/dev/null & done; wait'"

# memory per running container: PSS of the monitor and the runtime waiting on it
as "for i in \$(seq 10); do $PP run -d bb sleep 1000 >/dev/null; done"
pss=0; n=0
for pid in $(pgrep -f "conmon/main.cjs .*$WORK/pp-run"); do
  kids=$(pgrep -P "$pid" | tr '\n' ' ')
  for p in $pid $kids; do v=$(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup 2>/dev/null); pss=$((pss + ${v:-0})); done
  n=$((n+1))
done
[ "$n" -gt 0 ] && echo "memory per running container (monitor + runtime PSS, $n running): $((pss / n / 1024)) MiB"
if have_podman; then
  as "for i in \$(seq 10); do $PM run -d bb sleep 1000 >/dev/null 2>&1; done"
  pss=0; n=0
  for pid in $(pgrep -f "conmon .*$WORK/pm"); do v=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup); pss=$((pss+v)); n=$((n+1)); done
  [ "$n" -gt 0 ] && echo "podman conmon PSS per container ($n running): $((pss / n)) KiB"
  as "$PM rm -af -t 0 >/dev/null 2>&1"
fi
as "$PP rm -af -t 0 >/dev/null"
as "$PP system migrate"
