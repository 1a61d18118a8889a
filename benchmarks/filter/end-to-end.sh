#!/usr/bin/env bash
# The main job end to end, conv4j against OpenCV on the same images in the same minutes (issue 16):
#   benchmarks/filter/end-to-end.sh IN_DIR [BEFORE_JAR]
# IN_DIR: JPEGs (without one: 30 generated 1080p images, java/conv4j-spark/bench/GenerateImages.java).
# Runs `./conv4j filter` (and BEFORE_JAR's filter, if given, e.g. an older conv4j-cli.jar) and
# ../shared/bench/peers/opencv_filter.py (Debian python3-opencv) with /usr/bin/time: wall, CPU seconds
# (user + sys) and peak RSS, then compares every output's pixels with OpenCV's decoder (0 must differ
# between conv4j runs). Prints one line per run; the machine's load average is printed with each.
# VARIANTS="--png-filter paeth;--png-compression 0": more conv4j runs, one per ';'-separated set of flags.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
in=${1:-}
before=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$in" ]; then
  in=$work/in
  java "$root/java/conv4j-spark/bench/GenerateImages.java" "$in" 30
fi
peer=${OPENCV_FILTER:-$root/../shared/bench/peers/opencv_filter.py}
jar=$root/java/conv4j-cli/target/conv4j-cli.jar
[ -f "$jar" ] || (cd "$root" && ./conv4j --version >/dev/null)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
     "$(grep -o -m1 'avx512f' /proc/cpuinfo || echo no-avx512), images: $(ls "$in" | wc -l) in $in"
run() { # name, command...
  local name=$1; shift
  local out=$work/out-$name
  rm -rf "$out"
  echo "== $name (load $(cut -d' ' -f1-3 /proc/loadavg))"
  /usr/bin/time -f "$name: %e s wall, %U + %S CPU s, %M KB peak RSS" "$@" 2>&1 | grep -E "s wall|throughput|^time:|opencv:"
  echo "$name: output $(du -sm "$out" | cut -f1) MB in $(ls "$out" | wc -l) files"
}
[ -n "$before" ] && run before java --enable-native-access=ALL-UNNAMED -jar "$before" filter --in "$in" --out "$work/out-before"
run conv4j java --enable-native-access=ALL-UNNAMED -jar "$jar" filter --in "$in" --out "$work/out-conv4j"
IFS=';' read -ra variants <<< "${VARIANTS:-}"
for i in "${!variants[@]}"; do
  echo "variant$i: ${variants[$i]}"
  # shellcheck disable=SC2086
  run "variant$i" java --enable-native-access=ALL-UNNAMED -jar "$jar" filter --in "$in" --out "$work/out-variant$i" ${variants[$i]}
done
[ -f "$peer" ] && run opencv /usr/bin/python3 "$peer" "$in" "$work/out-opencv" "$(nproc)"
if [ -n "$before" ]; then
  /usr/bin/python3 - "$work/out-before" "$work/out-conv4j" <<'PY'
import cv2, glob, os, sys
a, b = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(a + '/*.png'))
bad = [f for f in files if not os.path.exists(os.path.join(b, os.path.basename(f)))
       or (cv2.imread(f, cv2.IMREAD_UNCHANGED) != cv2.imread(os.path.join(b, os.path.basename(f)), cv2.IMREAD_UNCHANGED)).any()]
print(f"pixels: {len(files)} PNGs of before compared with conv4j's, {len(bad)} differ")
sys.exit(1 if bad or not files else 0)
PY
fi
