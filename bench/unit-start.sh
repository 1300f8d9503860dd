#!/usr/bin/env bash
# A generated unit's ExecStart, rootless: `peapod start CTR` as units ran it
# before (bin/run.js: Node, then a second Node inside the user namespace)
# and as they run it now (bin/peapod: Node once, inside the namespace, from
# the bundle's code cache). In a user unit's environment (systemd's PATH,
# XDG_RUNTIME_DIR, nothing else), the pause process alive; the container is
# stopped (untimed, --prepare) before each start. Prints hyperfine's wall
# median and mean user/system CPU per command, then the Node processes one
# start execs (strace -f -e trace=execve).
# Usage: bash bench/unit-start.sh   (as root; RUNS=10 by default)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-10}
user_bench_setup "unit start" || exit 0
U=$(id -u "$BENCH_USER")
G="--root $WORK/pp --runroot $WORK/pp-run"
# a user unit's environment
UENV="env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$WORK USER=$BENCH_USER LOGNAME=$BENCH_USER XDG_RUNTIME_DIR=$WORK/xdg"
unit() { $UENV setpriv --reuid="$U" --regid="$(id -g "$BENCH_USER")" --init-groups -- "$@"; }
as "$PP create --name m --network=none bb sleep 1000 >/dev/null"
ExecStart=$(as "cd $WORK && $PP generate systemd --name m" | sed -n 's/^ExecStart=//p')
echo "generated: ExecStart=$ExecStart"
BEFORE="$REPO/bin/run.js $G start m" # the unit's line before: run.js, started through its shebang (env node)
AFTER="$REPO/bin/peapod $G start m"  # the unit's line now: the launcher
STOP="$REPO/bin/peapod $G stop -t 0 m"
unit $REPO/bin/peapod $G ps >/dev/null # the pause process is up, as it is once any command ran
unit hyperfine -N --style none --runs "$RUNS" --prepare "$STOP" --export-json "$WORK/unit-start.json" \
  -n "before: bin/run.js start" "$BEFORE" -n "after: bin/peapod start" "$AFTER" >/dev/null
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results
const ms = s => (s * 1000).toFixed(0).padStart(5) + " ms"
console.log("command".padEnd(28) + "  wall med    user mean   sys mean   cpu mean")
for (const x of r) console.log(x.command.padEnd(28) + "  " + ms(x.median) + "   " + ms(x.user) + "   " + ms(x.system) + "   " + ms(x.user + x.system))
' "$WORK/unit-start.json"
for cmd in "$BEFORE" "$AFTER"; do
  unit $STOP >/dev/null
  # strace -f would wait for the monitor too: it is let go (-I1: SIGTERM detaches) once the command itself has exited
  rm -f "$WORK/trace"
  strace -I1 -f -q -s 256 -e trace=execve -o "$WORK/trace" $UENV setpriv --reuid="$U" --regid="$(id -g "$BENCH_USER")" --init-groups -- $cmd >/dev/null &
  tracer=$!
  until first=$(awk '{print $1; exit}' "$WORK/trace" 2>/dev/null) && [ -n "$first" ] && grep -Eq "^$first +\+\+\+ exited" "$WORK/trace"; do sleep 0.1; done
  kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
  cli=$(grep -c 'execve("[^"]*/node", .*/bin/run\.c\?js".* = 0$' "$WORK/trace" || true)
  all=$(grep -c 'execve("[^"]*/node", .* = 0$' "$WORK/trace" || true)
  echo "\`${cmd%% *} ... start m\`: $cli Node start(s) of the command, $((all - cli)) of the container's monitor; execs: $(grep 'execve(.* = 0$' "$WORK/trace" | sed 's/.*execve("\([^"]*\)".*/\1/' | xargs -n1 basename | paste -sd' ')"
done
unit $STOP >/dev/null
as "$PP rm -f -t 0 m >/dev/null"
