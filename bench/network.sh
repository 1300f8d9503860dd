#!/usr/bin/env bash
# The cost of networking, rootless (as BENCH_USER), peapod vs Podman:
# `run --rm` with the default network (slirp4netns) against --network none,
# and TCP throughput through a published port (a 100 MB file served by
# busybox httpd, fetched from the host with curl).
# Usage: BENCH_USER=peapodtest bash bench/network.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-10}
user_bench_setup network || exit 0

ucompare run-rm-none "$PP run --rm --network=none bb true" "$PM run --rm --network=none bb true 2>/dev/null" --warmup 2
ucompare run-rm-default-net "$PP run --rm bb true" "$PM run --rm bb true 2>/dev/null" --warmup 2

# published port throughput: 100 MB through slirp4netns' port forwarding
mkdir -p "$WORK/www" && head -c 100000000 /dev/zero > "$WORK/www/big" && chown -R "$BENCH_USER" "$WORK/www"
as "$PP run -d --name web -p 18080:80 -v $WORK/www:/www bb httpd -f -p 80 -h /www >/dev/null"
have_podman && as "$PM run -d --name web -p 18081:80 -v $WORK/www:/www bb httpd -f -p 80 -h /www >/dev/null 2>&1"
for port in 18080 18081; do for i in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/big" -r 0-0 && break; sleep 0.1; done; done
RUNS=5 compare port-100MB "curl -sf -o /dev/null http://127.0.0.1:18080/big" "$(have_podman && echo "curl -sf -o /dev/null http://127.0.0.1:18081/big")" --warmup 1
as "$PP rm -f web >/dev/null"; have_podman && as "$PM rm -f web >/dev/null 2>&1"
as "$PP system migrate >/dev/null 2>&1 || true"
