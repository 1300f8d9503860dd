#!/usr/bin/env bash
# inspect and ps -a of 100 and 1000 containers, rootless (as BENCH_USER),
# peapod vs Podman on the same work (the run path: run-path.sh; memory per
# container: monitor-memory.sh). Rootful Podman cannot run containers on this host (rlimit
# errors) and crun refuses hybrid cgroups, so Podman runs rootless with
# --runtime runc. Usage: BENCH_USER=peapodtest bash bench/containers.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-10}
user_bench_setup container || exit 0

as "$PP create --name insp bb true >/dev/null"; have_podman && as "$PM create --name insp bb true >/dev/null 2>&1"
ucompare inspect "$PP inspect insp" "$PM inspect insp 2>/dev/null" --warmup 2

for n in 100 1000; do
  have=$(as "$PP ps -aq | wc -l")
  as "for i in \$(seq $((have+1)) $n); do $PP create bb true >/dev/null; done"
  have_podman && { have=$(as "$PM ps -aq 2>/dev/null | wc -l"); as "for i in \$(seq $((have+1)) $n); do $PM create bb true >/dev/null 2>&1; done"; }
  ucompare "ps-a-$n" "$PP ps -a" "$PM ps -a 2>/dev/null" --warmup 1
done
as "$PP rm -af >/dev/null"; have_podman && as "$PM rm -af >/dev/null 2>&1"

as "$PP rm -af -t 0 >/dev/null"
as "$PP system migrate"
