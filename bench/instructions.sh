#!/usr/bin/env bash
# Start-up as instructions, not time: the instructions peapod and Podman
# 4.3.1 execute for the quick commands, root and rootless, side by side with
# the ratio, and Node's own floor (`node -e 0`). Counts do not depend on the
# machine's speed or load, so they compare across sessions and machines where
# timings do not (a slow or busy machine compresses the time ratios: Node's
# floor is most of both). Counted with valgrind's lackey (every instruction
# of every process and thread a command runs: the launcher's sh, nsenter,
# Node and its worker threads; Podman's Go threads). On an idle machine both
# run at about the same instructions per ms (`node -e 0` 86 M in 22 ms,
# Podman's quick commands 71-82 M in 21-24 ms), so the ratio estimates the
# time ratio of bench/startup.sh without the noise; kernel time is not in it.
#
# Podman under valgrind needs two things, neither of which changes its work:
# - a copy of its binary in which Go's cputicks reads the TSC with RDTSC
#   instead of RDTSCP (valgrind cannot run RDTSCP; both are one instruction
#   and cputicks only feeds the scheduler's statistics);
# - GOMAXPROCS=1: with more, Go's idle threads spin, which valgrind (running
#   one thread at a time) turns into 80 M to 5 G instructions from one run
#   of the same command to the next; with one they vary by a few percent.
#   GODEBUG=asyncpreemptoff=1 spares valgrind Go's preemption signals.
# Median of RUNS (default 3). Compare counts with each other, not with ms.
# Usage: bash bench/instructions.sh [COMMAND...]   (default: the quick commands)
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)"; exit 0; }

# Podman: the patched copy, when Podman is installed and its cputicks found.
PODMAN_CG=
if have_podman; then
  PODMAN_CG=$WORK/podman-cg
  if ! python3 - "$(command -v podman)" "$PODMAN_CG" <<'EOF'; then PODMAN_CG=; echo "instructions.sh: no RDTSCP to replace in podman: peapod only"; fi
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
# cputicks: RDTSCP; SHLQ $32, DX (the only RDTSCP followed by its use)
i = b.find(bytes.fromhex('0f01f948c1e220'))
if i < 0 or b.find(bytes.fromhex('0f01f948c1e220'), i + 1) >= 0: sys.exit(1)
b[i:i + 3] = bytes.fromhex('0f3190')  # RDTSC; NOP
open(sys.argv[2], 'wb').write(b)
EOF
  [ -n "$PODMAN_CG" ] && chmod 755 "$PODMAN_CG"
fi

# count MODE CMD...: instructions of every process and thread CMD runs,
# median of RUNS. (Node's start varies by 5-15 M from run to run: V8 draws
# its hash secrets at random, testing random numbers for primality. The
# median keeps that cost as a user pays it; a min would pick the luckiest.)
count() {
  local mode=$1 n out all=(); shift
  local cmd="valgrind --tool=lackey --trace-children=yes $(printf '%q ' "$@")"
  for _ in $(seq "$RUNS"); do
    if [ "$mode" = root ]; then out=$(GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 bash -c "$cmd" 2>&1 >/dev/null </dev/null)
    else out=$(as "GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 $cmd" 2>&1 >/dev/null </dev/null); fi
    n=$(sed -n 's/.*guest instrs: *\([0-9,]*\)$/\1/p' <<<"$out" | tr -d , | awk '{s += $1} END {print s + 0}')
    [ "$n" -gt 0 ] || { echo "instructions.sh: nothing counted for $*: $out" | tail -3 >&2; echo 0; return; }
    all+=("$n")
  done
  printf '%s\n' "${all[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

M() { awk -v n="$1" 'BEGIN{printf "%.1f", n / 1e6}'; }
row() { # MODE NAME PEAPOD_ARGS PODMAN_ARGS
  local mode=$1 name=$2 pp pm ratio=
  # shellcheck disable=SC2086
  pp=$(count "$mode" "$REPO/bin/peapod" $3)
  if [ -n "$PODMAN_CG" ]; then
    # shellcheck disable=SC2086
    pm=$(count "$mode" "$PODMAN_CG" $4)
    [ "$pm" -gt 0 ] && ratio=$(awk -v a="$pp" -v b="$pm" 'BEGIN{printf "%.2f", a/b}')
  fi
  printf '%-12s %-9s %10s %10s %7s\n' "$name" "$mode" "$(M "$pp")" "${pm:+$(M "$pm")}" "$ratio"
}

printf '%-12s %-9s %10s %10s %7s\n' command mode 'peapod M' 'Podman M' ratio
printf '%-12s %-9s %10s\n' 'node -e 0' root "$(M "$(count root node -e 0)")"

S="--root $WORK/rpp --runroot $WORK/rpp-run"
P="--root $WORK/rpm --runroot $WORK/rpm-run --storage-driver vfs"
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
cp "$(cat "$WORK/tar")" "$WORK/bb.tar"; chmod 644 "$WORK/bb.tar"
"$REPO/bin/peapod" $S import "$WORK/bb.tar" bb >/dev/null
have_podman && podman $P import "$WORK/bb.tar" bb >/dev/null 2>&1
wanted() { [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; }

# root: Podman cannot run containers on this host (rlimit errors), so `top`
# is counted rootless only and `inspect`/`port` use created containers.
name=ps-a-empty; wanted "$@" && row root ps-a-empty "$S ps -a" "$P ps -a"
"$REPO/bin/peapod" $S create --name insp bb true >/dev/null
"$REPO/bin/peapod" $S create --name web -p 18090:80 bb true >/dev/null
have_podman && { podman $P create --name insp bb true >/dev/null 2>&1; podman $P create --name web -p 18090:80 bb true >/dev/null 2>&1; }
for name in version images inspect pod-ps volume-ls port; do
  wanted "$@" || continue
  case $name in
    version) row root version version version ;;
    inspect) row root inspect "$S inspect insp" "$P inspect insp" ;;
    port) row root port "$S port web" "$P port web" ;;
    *) row root "$name" "$S ${name/-/ }" "$P ${name/-/ }" ;;
  esac
done
name=ps-a-100
if wanted "$@"; then
  for _ in $(seq 98); do "$REPO/bin/peapod" $S create bb true >/dev/null; done
  have_podman && for _ in $(seq 98); do podman $P create bb true >/dev/null 2>&1; done
  row root ps-a-100 "$S ps -a" "$P ps -a"
fi
# Podman's root containers hold locks in /dev/shm/libpod_lock, shared by every root store: removed.
have_podman && podman $P rm -af >/dev/null 2>&1

if user_bench_setup instruction; then
  PPA="--root $WORK/pp --runroot $WORK/pp-run"
  PMA="--root $WORK/pm --runroot $WORK/pm-run --runtime runc"
  name=ps-a-empty; wanted "$@" && row rootless ps-a-empty "$PPA ps -a" "$PMA ps -a"
  as "$PP create --name insp bb true >/dev/null && $PP run -d --name web bb sleep 1000 >/dev/null"
  have_podman && as "$PM create --name insp bb true >/dev/null 2>&1; $PM run -d --name web bb sleep 1000 >/dev/null 2>&1"
  for name in version images inspect pod-ps volume-ls port top; do
    wanted "$@" || continue
    case $name in
      version) row rootless version version version ;;
      inspect | port | top) row rootless "$name" "$PPA $name $( [ $name = inspect ] && echo insp || echo web)" "$PMA $name $( [ $name = inspect ] && echo insp || echo web)" ;;
      *) row rootless "$name" "$PPA ${name/-/ }" "$PMA ${name/-/ }" ;;
    esac
  done
  name=ps-a-100
  if wanted "$@"; then
    as "for i in \$(seq 98); do $PP create bb true >/dev/null; done"
    have_podman && as "for i in \$(seq 98); do $PM create bb true >/dev/null 2>&1; done"
    row rootless ps-a-100 "$PPA ps -a" "$PMA ps -a"
  fi
  as "$PP rm -af -t 0 >/dev/null"; have_podman && as "$PM rm -af -t 0 >/dev/null 2>&1"
fi
exit 0
