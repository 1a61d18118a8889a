#!/usr/bin/env bash
# Alternated same-run rounds on a shared machine, whose speed drifts by tens of percent from one minute to the next:
# each round runs the peers on a few cases (peers.sh --cases), then `./conv4j bench` on the same cases, and prints
# that round's ratios (peer_ratios.py), so that a result is a spread over rounds rather than one lucky minute.
#   benchmarks/tools/alternate.sh ROUNDS OUT_DIR --cases a,b [./conv4j bench options, e.g. --threads 1 --weights constant]
# Writes OUT_DIR/round-N/{peers.txt,conv4j.csv,ratios.md}. By hand only, like peers.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 4 ] && [ "$3" = --cases ] || { echo "usage: alternate.sh ROUNDS OUT_DIR --cases a,b [bench options]" >&2; exit 2; }
rounds=$1 out=$2 cases=$4
shift 4
for ((i = 1; i <= rounds; i++)); do
  d=$out/round-$i
  mkdir -p "$d"
  echo "round $i: peers, $(date -u +%H:%M:%S) UTC" >&2
  "$here/peers.sh" --cases "$cases" "$d/peers" > "$d/peers.txt"
  echo "round $i: conv4j, $(date -u +%H:%M:%S) UTC" >&2
  "$root/conv4j" bench --backends native --cases "$cases" "$@" --csv "$d/conv4j.csv" > "$d/conv4j.log" 2>&1 \
    || { cat "$d/conv4j.log" >&2; exit 1; }
  python3 "$here/peer_ratios.py" --peers "$d/peers.txt" --conv4j "$d/conv4j.csv" --backends native > "$d/ratios.md"
  echo "## round $i"
  cat "$d/ratios.md"
done
