#!/usr/bin/env bash
# The consumer example as a user would have it (java/examples/sobel): install conv4j for linux-x86_64 into
# the local Maven repository, then build and run the example with no C/C++ compiler on PATH and a fresh
# JavaCPP cache. Also checks that a missing platform jar is reported by artifact name.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
platform=linux-x86_64
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== example: mvn install conv4j $version (-Djavacpp.platform=$platform)"
mvn -B -q install -DskipTests -Djavacpp.platform=$platform
bash .ci/native-check.sh "$root/java/conv4j/target/conv4j-$version-$platform.jar"

# A PATH with everything on this machine except compilers, assemblers and linkers.
mkdir "$work/bin"
for dir in /usr/local/bin /usr/bin /bin; do
  for f in "$dir"/*; do
    name=${f##*/}
    case $name in
      cc|c++|cpp|gcc*|g++*|cpp-*|clang*|c89*|c99*|tcc|ld|ld.*|as|*-gcc*|*-g++*|*-cpp*|*-cc|*-c++|*-ld|*-ld.*|*-as) continue ;;
    esac
    [ -e "$work/bin/$name" ] || ln -s "$f" "$work/bin/$name"
  done
done
nocc_path=$work/bin
for tool in cc c++ gcc g++ clang ld; do
  if PATH=$nocc_path command -v $tool >/dev/null; then echo "example: $tool still on PATH" >&2; exit 1; fi
done

example=$root/java/examples/sobel
echo "== example: build java/examples/sobel with PATH=$nocc_path (no cc, g++, ld)"
(cd "$example" && PATH=$nocc_path mvn -B -q package -Dconv4j.version="$version")

lib=$example/target/lib
ls "$lib"
if ls "$lib" | grep -E -- '-(linux-arm64|macosx-[a-z0-9_]+|windows-[a-z0-9_]+)\.jar$'; then
  echo "example: -Djavacpp.platform=$platform still pulled other platforms' jars (above)" >&2; exit 1
fi
native_jar=conv4j-$version-$platform.jar
[ -f "$lib/$native_jar" ] || { echo "example: $native_jar missing from the runtime classpath" >&2; exit 1; }

echo "== example: run with a fresh JavaCPP cache"
expected='[[160,160,160],[240,240,240],[320,320,320]]'
out=$(PATH=$nocc_path java -Dorg.bytedeco.javacpp.cachedir="$work/cache" -jar "$example/target/conv4j-example-sobel-1.jar")
echo "$out"
[ "$out" = "$expected" ] || { echo "example: expected $expected" >&2; exit 1; }
[ -n "$(find "$work/cache" -name 'libjniConv4jNative.so')" ] \
  || { echo "example: native library was not extracted into the fresh cache" >&2; exit 1; }

echo "== example: run without $native_jar"
mkdir "$work/missing"
cp -r "$example/target/conv4j-example-sobel-1.jar" "$lib" "$work/missing/" && rm "$work/missing/lib/$native_jar"
set +e
err=$(PATH=$nocc_path java -Dorg.bytedeco.javacpp.cachedir="$work/cache2" -jar "$work/missing/conv4j-example-sobel-1.jar" 2>&1 >/dev/null)
status=$?
set -e
echo "$err"
want="org.conv4j:conv4j:$version:$platform"
if [ $status -ne 1 ] || [[ $err != *"$want"* ]]; then
  echo "example: expected exit 1 and a message naming $want, got exit $status" >&2; exit 1
fi
echo "example: 2 passed, 0 failed"
