#!/usr/bin/env bash
# Run by the javacpp plugin in buildCommand mode (java/conv4j/pom.xml, execution javacpp-cmake).
# The plugin has extracted the OpenBLAS preset and exported BUILD_PATH (its root first) and the
# JavaCPP platform properties (PLATFORM, PLATFORM_COMPILER, ...). We only forward them to CMake.
set -euo pipefail
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
args=(-S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCONV4J_PLATFORM="${PLATFORM:-}")
case "${PLATFORM:-}" in
  # BUILD_PATH is ;-separated there; NMake (in the MSVC environment JavaCPP needs anyway) is single-config,
  # so conv4j_core.lib lands in the build dir where the javacpp linkPath expects it.
  windows-*) openblas_root=${BUILD_PATH%%;*}; args+=(-G "NMake Makefiles") ;;
  *) openblas_root=${BUILD_PATH%%:*} ;;
esac
args+=(-DOPENBLAS_ROOT="$openblas_root")
if [ -n "${PLATFORM_COMPILER:-}" ] && [ "${PLATFORM_COMPILER}" != "g++" ]; then
  args+=(-DCMAKE_CXX_COMPILER="$PLATFORM_COMPILER")
fi
mkdir -p "$build_dir"
cmake "${args[@]}" > "$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" --target conv4j_core -j 2
