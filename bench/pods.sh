#!/usr/bin/env bash
# Pods, rootless (as BENCH_USER), peapod vs Podman on the same work: create a
# pod, create 3 members, start the pod (infra first, then the members), and
# `pod rm -f`. Podman runs rootless with --runtime runc (crun refuses this
# host's hybrid cgroups). Usage: BENCH_USER=peapodtest bash bench/pods.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
user_bench_setup pod || exit 0

# one round: pod create, 3 members, pod start, pod rm -f
round() { # CLI [stderr redirect]
  local c=$1 q=${2:-}
  echo "$c pod create --name bp >/dev/null $q && for i in 1 2 3; do $c create --pod bp bb sleep 1000 >/dev/null $q; done && $c pod start bp >/dev/null $q && $c pod rm -f -t 0 bp >/dev/null $q"
}
# The pause image is built on first use: once before timing, for both.
as "$(round "$PP")"; have_podman && as "$(round "$PM" '2>/dev/null')"
ucompare pod-create-start3-rm "bash -c '$(round "$PP")'" "bash -c '$(round "$PM" '2>/dev/null')'" --warmup 1
as "$PP pod rm -af -t 0 >/dev/null"; have_podman && as "$PM pod rm -af -t 0 >/dev/null 2>&1"
as "$PP system migrate"
