#!/usr/bin/env bash
# The container run path, rootless (as BENCH_USER), peapod vs Podman in one
# hyperfine run each: run --rm, run -d, create+start+rm, exec, healthcheck
# run, 20 parallel run --rm, logs of 100k lines. Each line: wall medians and
# ratio, then CPU time (user+sys of the command and what it waits for).
# The `-all` lines run the command under reap.pl, which waits for every
# process it leaves (peapod's monitor and exit command, Podman's conmon and
# its cleanup): their CPU time is the whole work of the command.
# Usage: BENCH_USER=peapodtest bash bench/run-path.sh [run-rm|run-d|create-start-rm|exec|parallel|logs...]
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-15}
user_bench_setup run-path || exit 0
R="perl $BENCH_DIR/reap.pl"
WANT="$*"
if [ -z "$WANT" ] || [[ " $WANT " == *" run-rm "* ]]; then
  ucompare run-rm-true "$PP run --rm --network=none bb true" "$PM run --rm --network=none bb true" --warmup 2 -N
  ucompare run-rm-true-all "$R $PP run --rm --network=none bb true" "$R $PM run --rm --network=none bb true" --warmup 1 -N
fi
if [ -z "$WANT" ] || [[ " $WANT " == *" run-d "* ]]; then
  ucompare run-d "$PP run -d --network=none bb sleep 1000" "$PM run -d --network=none bb sleep 1000" --warmup 1 -N
  as "$PP rm -af -t 0 >/dev/null"; have_podman && as "$PM rm -af -t 0 >/dev/null 2>&1"
fi
if [ -z "$WANT" ] || [[ " $WANT " == *" create-start-rm "* ]]; then
  ucompare create-start-rm "$PP create --network=none --name c bb true >/dev/null && $PP start c >/dev/null && $PP rm -f c >/dev/null" \
    "$PM create --network=none --name c bb true >/dev/null 2>&1 && $PM start c >/dev/null 2>&1 && $PM rm -f c >/dev/null 2>&1" --warmup 1
  ucompare create-start-rm-all "$R sh -c '$PP create --network=none --name c bb true >/dev/null && $PP start c >/dev/null && $PP rm -f c >/dev/null'" \
    "$R sh -c '$PM create --network=none --name c bb true >/dev/null 2>&1 && $PM start c >/dev/null 2>&1 && $PM rm -f c >/dev/null 2>&1'" --warmup 1
fi
if [ -z "$WANT" ] || [[ " $WANT " == *" exec "* ]]; then
  as "$PP run -d --network=none --name e --health-cmd true --health-interval disable bb sleep 100000 >/dev/null"
  have_podman && as "$PM run -d --network=none --name e --health-cmd true --health-interval disable bb sleep 100000 >/dev/null 2>&1"
  ucompare exec-true "$PP exec e true" "$PM exec e true" --warmup 3 -N
  ucompare healthcheck-run "$PP healthcheck run e" "$PM healthcheck run e" --warmup 2 -N
  as "$PP rm -f -t 0 e >/dev/null"; have_podman && as "$PM rm -f -t 0 e >/dev/null 2>&1"
fi
if [ -z "$WANT" ] || [[ " $WANT " == *" parallel "* ]]; then
  RUNS=3 ucompare parallel-20-all "$R bash -c 'for i in \$(seq 20); do $PP run --rm --network=none bb true & done; wait'" \
    "$R bash -c 'for i in \$(seq 20); do $PM run --rm --network=none bb true 2>/dev/null & done; wait'"
fi
if [ -z "$WANT" ] || [[ " $WANT " == *" logs "* ]]; then
  as "$PP run --network=none --name lg bb seq 1 100000 >/dev/null"; have_podman && as "$PM run --network=none --name lg bb seq 1 100000 >/dev/null 2>&1"
  ucompare logs-100k "$PP logs lg" "$PM logs lg" --warmup 1 -N --output=pipe
fi
as "$PP rm -af -t 0 >/dev/null"; have_podman && as "$PM rm -af -t 0 >/dev/null 2>&1"
as "$PP system migrate" >/dev/null 2>&1 || true
