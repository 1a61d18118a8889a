#!/usr/bin/env bash
# conv4j bench: the JMH benchmarks of every backend over shapes.csv (see README, "Benchmarks").
#   ./conv4j bench | benchmarks/run.sh [--cases a,b] [--backends native,java,reference,sgemm] [--threads 1|all] [--quick] [--csv FILE] [--report DIR]
# Builds benchmarks/target/benchmarks.jar when missing or older than the sources. JAVA: java binary. OpenBLAS chooses its kernel itself here: the
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides of the environment are dropped for this command only;
# the table reports the kernel it got. With --report, the single-core FMA peak is measured first
# (benchmarks/tools/fma_peak.cpp, needs g++) for the report's machine line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/benchmarks/target/benchmarks.jar
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root/java/conv4j/pom.xml" "$root/benchmarks/pom.xml" "$root/java/conv4j/src/main" "$root/java/conv4j-image/src/main" \
          "$root/benchmarks/src/main" "$root/native" "$root/cmake" -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "conv4j bench: building $jar ..." >&2
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip) >&2
fi
props=()
if [[ " $* " == *" --report "* ]] && command -v g++ >/dev/null; then
  tool=$(mktemp -d)
  g++ -O2 -o "$tool/fma_peak" "$root/benchmarks/tools/fma_peak.cpp"
  peak=$("$tool/fma_peak" | awk '{print $1}')
  rm -rf "$tool"
  props+=("-Dconv4j.bench.fmaPeak=$peak")
fi
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
  "${JAVA:-java}" --enable-native-access=ALL-UNNAMED "${props[@]}" -cp "$jar" org.conv4j.bench.BenchMain "$@"
