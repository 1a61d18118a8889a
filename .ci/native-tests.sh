#!/usr/bin/env bash
# Builds and runs the native unit tests (native/test) with ctest, plainly and under
# AddressSanitizer + UndefinedBehaviorSanitizer. cblas is the org.bytedeco:openblas preset's
# libopenblas (the library the JNI binding loads), extracted from the Maven local repository, which
# `mvn -B verify` (or `mvn dependency:resolve`) has filled; OPENBLAS_ROOT=<dir with include/cblas.h and
# libopenblas.so.0> overrides it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${CONV4J_NATIVE_TEST_DIR:-$root/target/native-tests}
mkdir -p "$out"
if [ -z "${OPENBLAS_ROOT:-}" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-x86_64 ;;
    Linux-aarch64) platform=linux-arm64 ;;
    *) echo "native-tests: no preset mapping for $(uname -s)-$(uname -m); set OPENBLAS_ROOT" >&2; exit 2 ;;
  esac
  javacpp=$(sed -n 's:.*<javacpp.version>\(.*\)</javacpp.version>.*:\1:p' "$root/pom.xml")
  version=0.3.31-$javacpp
  jar=${MAVEN_REPO:-$HOME/.m2/repository}/org/bytedeco/openblas/$version/openblas-$version-$platform.jar
  [ -f "$jar" ] || { echo "native-tests: $jar missing; run mvn -B verify first" >&2; exit 2; }
  (cd "$out" && rm -rf org && jar xf "$jar" "org/bytedeco/openblas/$platform/")
  OPENBLAS_ROOT=$out/org/bytedeco/openblas/$platform
fi
for variant in plain sanitize; do
  build=$out/$variant
  san=OFF; [ $variant = sanitize ] && san=ON
  cmake -S "$root/cmake" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONV4J_TESTS=ON \
        -DCONV4J_SANITIZE=$san -DOPENBLAS_ROOT="$OPENBLAS_ROOT" > "$build.configure.log" 2>&1 \
    || { cat "$build.configure.log"; exit 1; }
  cmake --build "$build" -j 2
  # LD_LIBRARY_PATH: libopenblas.so.0 finds the preset's libgfortran beside it.
  # Every vector body the CPU has: the widest, then the AVX2 and baseline ones (CONV4J_VECTOR_ISA, conv4j.h).
  for isa in "" avx2 baseline; do
    echo "== native-tests $variant${isa:+, CONV4J_VECTOR_ISA=$isa}"
    CONV4J_VECTOR_ISA=$isa LD_LIBRARY_PATH="$OPENBLAS_ROOT${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      ctest --test-dir "$build" --output-on-failure
  done
done
