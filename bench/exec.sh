#!/usr/bin/env bash
# exec with a terminal and top, rootless (as BENCH_USER), peapod vs Podman
# on the same work (exec and healthcheck run without one: run-path.sh).
# Podman runs rootless with --runtime runc (see containers.sh).
# Usage: BENCH_USER=peapodtest bash bench/exec.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-30}
user_bench_setup exec || exit 0
as "$PP run -d --name c --health-cmd true --health-interval disable bb sleep 100000 >/dev/null"
have_podman && as "$PM run -d --name c --health-cmd true --health-interval disable bb sleep 100000 >/dev/null 2>&1"

ucompare exec-t-true "$PP exec -t c true" "$PM exec -t c true" --warmup 3 -N
ucompare top "$PP top c" "$PM top c" --warmup 2 -N

as "$PP rm -f -t 0 c >/dev/null"; have_podman && as "$PM rm -f -t 0 c >/dev/null 2>&1"
as "$PP system migrate"
