#!/usr/bin/env bash
# Run by the javacpp plugin in buildCommand mode (java/conv4j/pom.xml, execution javacpp-cmake).
# The plugin has extracted the OpenBLAS preset and exported BUILD_PATH (its root first) and the
# JavaCPP platform properties (PLATFORM, PLATFORM_COMPILER, ...). We only forward them to CMake.
set -euo pipefail
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
openblas_root=${BUILD_PATH%%:*}
args=(-S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DOPENBLAS_ROOT="$openblas_root"
      -DCONV4J_PLATFORM="${PLATFORM:-}")
if [ -n "${PLATFORM_COMPILER:-}" ] && [ "${PLATFORM_COMPILER}" != "g++" ]; then
  args+=(-DCMAKE_CXX_COMPILER="$PLATFORM_COMPILER")
fi
mkdir -p "$build_dir"
cmake "${args[@]}" > "$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" --target conv4j_core -j 2
