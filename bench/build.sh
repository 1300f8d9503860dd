#!/usr/bin/env bash
# `build`, rootless (as BENCH_USER), peapod vs Podman on the same 3-stage
# Containerfile (~20 RUN/COPY steps, ~50 MB of files in the context):
# a full build (--no-cache) and a rebuild after one file changed (the cache
# serves every step before that file's COPY). Podman uses --runtime runc
# (crun refuses hybrid cgroups here). Never a timed test: run by hand.
# Usage: BENCH_USER=peapodtest RUNS=3 bash bench/build.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
user_bench_setup build || exit 0

CTX=$WORK/ctx
mkdir -p "$CTX/app" "$CTX/data"
for i in $(seq 1 50); do head -c 1048576 /dev/urandom > "$CTX/data/blob$i.bin"; done
for i in $(seq 1 20); do echo "source $i" > "$CTX/app/src$i.txt"; done
echo 0 > "$CTX/app/changed.txt"
cat > "$CTX/Containerfile" <<'CF'
FROM bb AS deps
ARG LEVEL=3
ENV DEPS=/deps
WORKDIR /deps
COPY data/ ./data/
RUN du -s data > size.txt
RUN for i in $(seq 1 $LEVEL); do echo "dep $i" >> deps.txt; done
RUN mkdir -p lib && cp deps.txt lib/

FROM bb AS build
WORKDIR /src
COPY app/ ./
RUN cat src*.txt > all.txt
COPY --from=deps /deps/lib /src/lib
RUN ls -R > tree.txt
RUN cat changed.txt >> all.txt
RUN wc -l all.txt > count.txt

FROM bb
LABEL org.example.bench=build
COPY --from=build /src/all.txt /src/count.txt /app/
COPY --from=deps /deps/size.txt /app/
RUN echo ready > /app/ready
ENV APP=/app
WORKDIR /app
CMD ["cat", "/app/all.txt"]
CF
chown -R "$BENCH_USER" "$CTX"

ucompare build-full "$PP build --no-cache -q -t b ctx >/dev/null" "$PM build --no-cache -q -t b ctx >/dev/null 2>&1" --warmup 1
as "$PP build -q -t b ctx >/dev/null"; have_podman && as "$PM build -q -t b ctx >/dev/null 2>&1"
ucompare build-one-file-changed "$PP build -q -t b ctx >/dev/null" "$PM build -q -t b ctx >/dev/null 2>&1" \
  --prepare "date +%s%N > $CTX/app/changed.txt"
