#!/usr/bin/env bash
# Image-path throughput: ./conv4j spark-filter (Spark MASTER, default local[2]) vs the single-process
# ./conv4j filter (2 decoder/encoder threads here) on the same IMAGES generated 1080p JPEGs and KERNELS.
# Both write every PNG; both outputs are compared byte for byte on a sample. Each side's wall time is the
# whole command (JVM and Spark start-up included); each also prints its own in-run images/s.
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
rm -rf "$work/filter" "$work/spark"
t0=$(date +%s.%N)
"$root/conv4j" filter --in "$work/in" --out "$work/filter" --kernels "$kernels"
t1=$(date +%s.%N)
"$root/conv4j" spark-filter --in "$work/in" --out "$work/spark" --kernels "$kernels" --master "$master"
t2=$(date +%s.%N)
for f in $(cd "$work/filter" && ls | sort | awk 'NR % 50 == 1'); do cmp "$work/filter/$f" "$work/spark/$f"; done
awk -v n="$images" -v a="$t0" -v b="$t1" -v c="$t2" -v m="$master" 'BEGIN {
  s = b - a; p = c - b;
  printf "whole command, %d images: filter %.1f s (%.2f images/s), spark-filter %s %.1f s (%.2f images/s): Spark takes %.2fx the time\n",
         n, s, n / s, m, p, n / p, p / s }'
