#!/usr/bin/env bash
# Runs the peer harness (../shared/bench/peers/run.sh: oneDNN and PyTorch on shapes.csv, ~3 min) from a copy, so
# that it also runs on a CPU without AVX-512: the harness's FMA-peak probe (src/peak.c) times its AVX-512 loop
# unconditionally and dies with SIGILL there (seen on an AVX2-only EPYC, 2026-12-03), which stops run.sh before any peer runs.
# The copy skips that one loop when the CPU lacks avx512f and changes nothing else.
#   benchmarks/tools/peers.sh [--cases a,b,...] [OUT_DIR] > peers.txt   (by hand only: builds and tests never run it)
# --cases keeps only those rows of the copy's shapes.csv (names as in shapes.csv), so that the peers and
# `./conv4j bench --cases` can alternate on a few cases within minutes on a shared machine.
# SHARED (default ../shared next to the project) is the folder that holds bench/peers.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$root/../shared}
[ -f "$shared/bench/peers/run.sh" ] || { echo "peers.sh: no $shared/bench/peers/run.sh (set SHARED)" >&2; exit 2; }
cases=""
if [ "${1:-}" = --cases ]; then cases=$2; shift 2; fi
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r "$shared/bench" "$copy/bench"
peak=$copy/bench/peers/src/peak.c
grep -q 'for (int kind = 0; kind < 2; kind++) {' "$peak" \
  || { echo "peers.sh: $peak changed; run $shared/bench/peers/run.sh directly" >&2; exit 2; }
sed -i 's/for (int kind = 0; kind < 2; kind++) {/for (int kind = 0; kind < (__builtin_cpu_supports("avx512f") ? 2 : 1); kind++) {/' "$peak"
if [ -n "$cases" ]; then
  csv=$copy/bench/shapes.csv
  awk -F, -v keep="$cases" 'BEGIN { n = split(keep, k, ","); for (i = 1; i <= n; i++) want[k[i]] = 1 }
       /^#/ || ($1 in want) { print; if (!/^#/) found[$1] = 1 }
       END { for (c in want) if (!(c in found)) { print "peers.sh: no case " c " in shapes.csv" > "/dev/stderr"; exit 2 } }' \
      "$shared/bench/shapes.csv" > "$csv"
fi
bash "$copy/bench/peers/run.sh" "$@"
