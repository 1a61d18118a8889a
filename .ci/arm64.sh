#!/usr/bin/env bash
# linux-arm64, built and tested on this x86-64 machine: cross-compile the native library with Debian's
# aarch64 g++, then run the test suite on an arm64 JVM under qemu-user-static. The JVM lives in a private
# root made with apt-get download + dpkg-deb -x (the host's dpkg never gets the arm64 architecture, which
# would drag the host JDK along). Idempotent: tools and the root are installed once and reused.
# Emulation makes the whole suite cost ~6 min (12,500 property tries, 100,000-call memory test, concurrency),
# so by default a smoke subset runs: known answers, ONNX conformance, borders, epilogues, special values,
# the depthwise, small-reduction, separable and Winograd paths (NEON bodies) and 2,000 differential problems. CONV4J_ARM64_TESTS=all runs everything; any other
# value is a surefire -Dtest list.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

need=()
command -v aarch64-linux-gnu-g++ >/dev/null || need+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
command -v readelf >/dev/null || need+=(binutils)
if [ ${#need[@]} -gt 0 ]; then
  echo "== arm64: apt-get install ${need[*]}"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

root=${CONV4J_ARM64_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/conv4j/arm64-root}
jdk=$root/usr/lib/jvm/java-17-openjdk-arm64
if [ ! -f "$root/.complete" ]; then
  echo "== arm64: private root $root (openjdk-17-jre-headless:arm64, zlib1g:arm64)"
  rm -rf "$root" && mkdir -p "$root/.apt/lists/partial" "$root/.apt/cache/archives/partial" "$root/.apt/debs"
  apt=(-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o APT::Sandbox::User=root
       -o Dir::State::Lists="$root/.apt/lists" -o Dir::Cache="$root/.apt/cache")
  $sudo apt-get "${apt[@]}" update -qq
  (cd "$root/.apt/debs" && $sudo apt-get "${apt[@]}" download -q openjdk-17-jre-headless:arm64 zlib1g:arm64)
  for deb in "$root"/.apt/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  # glibc, libstdc++ and libgcc_s come from the cross toolchain.
  mkdir -p "$root/lib/aarch64-linux-gnu"
  for f in /usr/aarch64-linux-gnu/lib/*.so*; do ln -sfn "$f" "$root/lib/aarch64-linux-gnu/"; done
  ln -sfn /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 "$root/lib/ld-linux-aarch64.so.1"
  # The JDK's conf/ links point at /etc/...: keep them inside the root.
  find "$root/usr" -type l -lname '/etc/*' | while IFS= read -r l; do ln -sfn "$root$(readlink "$l")" "$l"; done
  rm -rf "$root/.apt"
  # Surefire's -Djvm: a java that runs the arm64 JVM under emulation ("release" tells surefire its version).
  mkdir -p "$root/qemu-java/bin"
  cp "$jdk/release" "$root/qemu-java/"
  printf '#!/bin/sh\nQEMU_LD_PREFIX=%s exec qemu-aarch64-static %s/bin/java "$@"\n' "$root" "$jdk" \
    > "$root/qemu-java/bin/java"
  chmod +x "$root/qemu-java/bin/java"
  touch "$root/.complete"
fi
"$root/qemu-java/bin/java" -version 2>&1 | head -1

smoke=KnownAnswerTest,OnnxConformanceTest,BorderTest,EpilogueTest,SpecialValuesTest,DepthwisePathTest,DifferentialTest,ValidationTest,NativeLibraryTest,SeparableTest,DirectSmallReductionPathTest,WinogradCheckedTest,WinogradTest#withinOwnBoundOnRandomProblems+withinOwnBoundOnDynamicRangeAndCancellation+constantWeightPlanMatchesPerCallPlanBitForBit
selection=${CONV4J_ARM64_TESTS:-$smoke}
echo "== arm64: cross-build and test under qemu ($selection)"
tests=()
[ "$selection" != all ] && tests=(-Dtest="$selection" -Dsurefire.failIfNoSpecifiedTests=false)
start=$SECONDS
log=java/conv4j/target/arm64-build.log
rm -rf java/conv4j/target/surefire-reports && mkdir -p java/conv4j/target
# -P '!jdk22-segments': that profile runs SegmentsTest on the host's x86-64 Temurin 25, which cannot load
# the arm64 natives this build makes (the JDK 22 class is tested by the x86-64 build).
if ! mvn -B -pl java/conv4j -am verify -Djavacpp.platform=linux-arm64 -P '!jdk22-segments' \
     -Dorg.bytedeco.javacpp.platform.compiler=aarch64-linux-gnu-g++ \
     -Djvm="$root/qemu-java/bin/java" "${tests[@]}" > "$log" 2>&1; then
  tail -100 "$log"; echo "arm64: build or tests failed (log: $log)" >&2; exit 1
fi
grep -E '^\[INFO\] (Tests run:|BUILD)' "$log"
echo "arm64: build + emulated tests took $((SECONDS - start)) s"

# The reports must say the tests ran on an aarch64 JVM, not silently on the host.
reports=(java/conv4j/target/surefire-reports/TEST-*.xml)
if grep -L 'name="os.arch" value="aarch64"' "${reports[@]}" | grep .; then
  echo "arm64: the reports above did not run on aarch64" >&2; exit 1
fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
bash .ci/native-check.sh "$PWD/java/conv4j/target/conv4j-$version-linux-arm64.jar"
sed -n 's/^\[INFO\] Tests run: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\), Skipped: \([0-9]*\)$/\1 \2 \3 \4/p' "$log" \
  | tail -1 | { read -r run fail err skip; echo "arm64: $((run - fail - err - skip)) passed, $((fail + err)) failed, $skip skipped"; }
