#!/usr/bin/env bash
# Image-path throughput: ./conv4j spark-filter (Spark MASTER, default local[2]) vs the single-process
# ./conv4j filter (2 decoder/encoder threads here) on the same IMAGES generated 1080p JPEGs and KERNELS.
# Both write every PNG; both outputs are compared byte for byte on a sample. Each side's wall time is the
# whole command (JVM and Spark start-up included), run twice in the order A B B A; each also prints its
# own in-run images/s.
# Usage: java/conv4j-spark/bench-images.sh [IMAGES=500] [KERNELS=sobel-x] [MASTER=local[2]]   (work dir: $BENCH_DIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
images=${1:-500} kernels=${2:-sobel-x} master=${3:-local[2]}
work=${BENCH_DIR:-/tmp/conv4j-bench-images}
mkdir -p "$work"
if [ "$(find "$work/in" -name '*.jpg' 2>/dev/null | wc -l)" != "$images" ]; then
  rm -rf "$work/in"
  echo "generating $images 1920x1080 JPEGs in $work/in ..."
  java "$root/java/conv4j-spark/bench/GenerateImages.java" "$work/in" "$images"
fi
"$root/conv4j" filter --help >/dev/null; "$root/conv4j" spark-filter --help >/dev/null   # build both jars first
# A B B A: the machine's load drifts, so each command runs once early and once late, and the sums compare.
run() { # run KIND OUT: one whole command, its wall seconds appended to $work/times
  local t0 t1; rm -rf "$work/$2"; t0=$(date +%s.%N)
  if [ "$1" = filter ]; then "$root/conv4j" filter --in "$work/in" --out "$work/$2" --kernels "$kernels"
  else "$root/conv4j" spark-filter --in "$work/in" --out "$work/$2" --kernels "$kernels" --master "$master"; fi
  t1=$(date +%s.%N); echo "$1 $t0 $t1" >> "$work/times"
}
rm -f "$work/times"
run filter filter; run spark spark; run spark spark; run filter filter
for f in $(cd "$work/filter" && ls | sort | awk 'NR % 50 == 1'); do cmp "$work/filter/$f" "$work/spark/$f"; done
awk -v n="$images" -v m="$master" '{ s[$1] += $3 - $2; printf "%s: %.1f s (%.2f images/s)\n", $1, $3 - $2, n / ($3 - $2) }
  END { printf "whole commands, %d images, A B B A: filter %.2f images/s, spark-filter %s %.2f images/s: Spark takes %.2fx the time of filter\n",
        n, 2 * n / s["filter"], m, 2 * n / s["spark"], s["spark"] / s["filter"] }' "$work/times"
