#!/usr/bin/env bash
# The kernels' narrower vector bodies on this x86-64 machine: the native kernels are compiled once per vector
# unit (native/src/multiversion.h) and run the widest the CPU has, so `mvn verify` alone tests one body.
# CONV4J_VECTOR_ISA lowers the choice (conv4j.h); NativeLibraryTest asserts the body each run reached.
# The tests that reach every native kernel: ONNX conformance, borders, epilogues, special values, the depthwise,
# small-reduction, separable and Winograd paths, and 2,000 differential problems. Run after `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
tests=NativeLibraryTest,KnownAnswerTest,OnnxConformanceTest,BorderTest,EpilogueTest,SpecialValuesTest
tests+=,DepthwisePathTest,DirectSmallReductionPathTest,SeparableTest,WinogradTest,WinogradCheckedTest,DifferentialTest
for isa in avx2 baseline; do
  echo "== vector body $isa: $tests"
  CONV4J_VECTOR_ISA=$isa mvn -B -q -o surefire:test -pl java/conv4j -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false
done
