#!/usr/bin/env bash
# Release assembly (the GitHub workflow's release job): given a folder holding conv4j-VERSION-PLATFORM.jar
# for every platform that java/conv4j-platform/pom.xml lists, install the classes-only jar, every
# classifier jar and conv4j-platform into the local Maven repository, resolving conv4j-platform with no
# -Djavacpp.platform (so all platforms must be there), and copy the org/conv4j tree to OUT as a staging
# repository. conv4j-platform is built with -P!built-platforms: its pom is installed as written (every
# platform, bytedeco's -Djavacpp.platform profiles for the consumer), not flattened to one platform as a
# plain mvn install does. Usage: .ci/release.sh NATIVES_DIR OUT_DIR [more Maven options for conv4j-platform]
set -euo pipefail
natives=$(cd "$1" && pwd)
mkdir -p "$2" && out=$(cd "$2" && pwd)
shift 2
cd "$(dirname "$0")/.."
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
# The platform list lives in one place: the aggregator's javacpp.platform.* properties.
platforms=$(sed -n 's:^ *<javacpp\.platform\.\([a-z0-9_-]*\)>\1</.*:\1:p' java/conv4j-platform/pom.xml)
missing=0
for p in $platforms; do
  [ -f "$natives/conv4j-$version-$p.jar" ] || { echo "release: no conv4j-$version-$p.jar in $natives" >&2; missing=1; }
done
[ $missing -eq 0 ]

# Parent pom and the classes-only jar (the natives come from the platform runners, not from here).
mvn -B -q install -DskipTests -Dconv4j.native.skip=true -pl java/conv4j -am
for p in $platforms; do
  mvn -B -q install:install-file -Dfile="$natives/conv4j-$version-$p.jar" -DgroupId=org.conv4j \
    -DartifactId=conv4j -Dversion="$version" -Dclassifier="$p" -Dpackaging=jar -DgeneratePom=false
done
mvn -B -q install -f java/conv4j-platform/pom.xml '-P!built-platforms' "$@"
mvn -B dependency:tree -f java/conv4j-platform/pom.xml '-P!built-platforms' -Dincludes=org.conv4j "$@" | grep 'org.conv4j:'

repo=$(mvn -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout -Dstyle.color=never \
       | sed 's/\x1b\[[0-9;]*m//g')
rm -rf "$out/org/conv4j" && mkdir -p "$out/org" && cp -r "$repo/org/conv4j" "$out/org/"
find "$out" -name '*.jar' -exec ls -l {} +
