#!/usr/bin/env bash
# Start-up as instructions, not time: the instructions executed under
# callgrind for the quick commands (root, a private store with busybox
# imported and one created container) and Node's own floor (`node -e 0`).
# peapod only: Podman's Go runtime stops under valgrind (rdtscp, an
# instruction valgrind cannot run), so the ratio to Podman stays with
# bench/startup.sh. Counts do not depend on the machine's speed or load,
# so they compare across sessions and machines where timings do not (a busy
# or slow machine compresses the time ratios). Min of RUNS (default 3).
# Counts are of every process and thread a command runs; compare them with
# each other, not with ms (callgrind is ~50x slower than a native run).
# Usage: bash bench/instructions.sh [COMMAND...]   (default: the quick commands)
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)"; exit 0; }
CG=$WORK/callgrind
mkdir -p "$CG"

# count CMD...: instructions of every process and thread CMD runs (the
# launcher's sh, nsenter, Node and its worker threads; Podman's Go threads:
# Go moves its work across threads), min of RUNS.
count() {
  local best= n
  for _ in $(seq "$RUNS"); do
    rm -f "$CG"/out*
    valgrind --tool=callgrind --trace-children=yes --separate-threads=yes --callgrind-out-file="$CG/out.%p" "$@" >/dev/null 2>&1 </dev/null
    n=$(cat "$CG"/out.* | sed -n 's/^totals: //p' | awk '{s += $1} END {print s}')
    [ -z "$best" ] || [ "$n" -lt "$best" ] && best=$n
  done
  echo "$best"
}

S="--root $WORK/pp --runroot $WORK/pp-run"
node --import tsx -e "import {busyboxTar} from '$REPO/test/e2e/fixtures.ts'; console.log(busyboxTar())" > "$WORK/tar"
"$REPO/bin/peapod" $S import "$(cat "$WORK/tar")" bb >/dev/null
"$REPO/bin/peapod" $S create --name insp bb true >/dev/null

if [ $# -gt 0 ]; then CMDS=("$@"); else CMDS=(version "ps -a" images "inspect insp" "pod ps" "volume ls" "port insp"); fi
floor=$(count node -e 0)
printf '%-14s %12s %12s %9s\n' command instructions 'over node' 'x node'
printf '%-14s %12s\n' 'node -e 0' "$floor"
for c in "${CMDS[@]}"; do
  # shellcheck disable=SC2086
  pp=$(count "$REPO/bin/peapod" $S $c)
  printf '%-14s %12s %12s %9s\n' "$c" "$pp" "$((pp - floor))" "$(awk -v a="$pp" -v b="$floor" 'BEGIN{printf "%.2f", a/b}')"
done
exit 0
