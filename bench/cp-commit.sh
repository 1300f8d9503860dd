#!/usr/bin/env bash
# cp of a 100 MB directory each way and commit of a container with 100 MB
# of changes, rootless (as BENCH_USER), peapod vs Podman (--runtime runc).
# Rootless Podman 4.3.1 falls back to vfs on this host; peapod uses native
# overlay in its user namespace. Usage: BENCH_USER=ptest bash bench/cp-commit.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
user_bench_setup cp/commit || exit 0
# 100 MB: 50 files of 1 MiB, 20 of 2.5 MiB, 2000 small files in 20 directories
as "mkdir -p data/big data/mid && for i in \$(seq 50); do head -c 1048576 /dev/urandom > data/big/\$i; done &&
    for i in \$(seq 20); do head -c 2621440 /dev/urandom > data/mid/\$i; done &&
    for d in \$(seq 20); do mkdir -p data/small/\$d; for f in \$(seq 100); do echo \$d-\$f > data/small/\$d/\$f; done; done"
echo "data: $(du -sh "$WORK/data" | cut -f1)"
as "$PP create --network none --name c bb true >/dev/null"
have_podman && as "$PM create --network none --name c bb true >/dev/null 2>&1"

ucompare cp-100mb-in "$PP cp data c:/tmp/" "$PM cp data c:/tmp/ 2>/dev/null" --warmup 1
ucompare cp-100mb-out "$PP cp c:/tmp/data out-pp" "$PM cp c:/tmp/data out-pm 2>/dev/null" --warmup 1 --prepare "rm -rf out-pp out-pm"

# a container whose changes are 100 MB (the data copied in above)
ucompare commit-100mb "$PP commit -q c img >/dev/null" "$PM commit -q c img >/dev/null 2>&1" --warmup 1
as "$PP rm -af >/dev/null; $PP rmi -af >/dev/null 2>&1; $PP system migrate" || true
have_podman && as "$PM rm -af >/dev/null 2>&1; $PM rmi -af >/dev/null 2>&1" || true
