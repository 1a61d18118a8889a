#!/usr/bin/env bash
# A new user's first project, exactly as README.md tells it, sharing no Maven state with this machine:
#  1. A fresh local repository. To save downloads it is seeded with the build's local repository
#     (CONV4J_SEED_REPO, default settings.localRepository) EXCEPT org/conv4j: every conv4j artifact in it
#     comes from step 2.
#  2. The README's install command (the indented line after <!-- ci:install -->), into that repository.
#  3. A fresh project in a temporary directory: its dependencies are the README's ```xml blocks after
#     <!-- ci:dependencies -->, and each ```java block after <!-- ci:run expect="LINE" --> becomes a main
#     class (the block's import lines, then the rest as the body of main). Built and run with no C/C++
#     compiler on PATH and a fresh JavaCPP cache; each must print exactly LINE. A README edit that breaks
#     an example breaks CI.
#  4. java/examples/sobel against the same repository, then once more without its native jar: the error
#     must name the missing artifact.
#  5. The installed jars: each names a module of its own (Automatic-Module-Name, accepted by the JDK), the
#     libraries have -sources and -javadoc jars, conv4j-platform names this platform only, and the JNI jar
#     passes .ci/native-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
readme=$root/README.md
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
libraries="conv4j conv4j-image conv4j-spark"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
passed=0
step_start=$SECONDS
pass() { echo "consumer: ok ($((SECONDS - step_start)) s): $*"; passed=$((passed + 1)); step_start=$SECONDS; }
fail() { echo "consumer: FAILED: $*" >&2; exit 1; }

# --- README.md -> install command, dependency blocks, java mains ------------------------------------------
project=$work/project
mkdir -p "$project/src/main/java"
awk -v out="$work" -v src="$project/src/main/java" '
  function die(msg) { printf "README.md:%d: %s\n", NR, msg > "/dev/stderr"; bad = 1; exit 1 }
  function emit_java(   n, i, head, body, in_head) {
    n = split(block, lines, "\n"); head = ""; body = ""; in_head = 1
    for (i = 1; i < n; i++) {
      if (in_head && lines[i] ~ /^(import [A-Za-z0-9_.*]+;)?[ \t]*$/) { head = head lines[i] "\n"; continue }
      in_head = 0; body = body "        " lines[i] "\n"
    }
    cls = "ReadmeLine" start
    printf "%s// README.md line %d\npublic final class %s {\n    public static void main(String[] args) throws Exception {\n%s    }\n}\n", \
      head, start, cls, body > (src "/" cls ".java")
    printf "%s\t%s\n", cls, expect >> (out "/runs.tsv")
  }
  inside && $0 == "```" {
    if (want == "xml") printf "%s", block >> (out "/dependencies.xml"); else emit_java()
    inside = 0; want = ""; next
  }
  inside { block = block $0 "\n"; next }
  /^<!-- ci:/ {
    if (want != "") die("marker inside a marked section")
    if ($0 ~ /^<!-- ci:install -->$/) want = "install"
    else if ($0 ~ /^<!-- ci:dependencies -->$/) want = "xml"
    else if ($0 ~ /^<!-- ci:run expect="[^"]+" -->$/) { want = "java"; expect = $0; sub(/^<!-- ci:run expect="/, "", expect); sub(/" -->$/, "", expect) }
    else if ($0 ~ /^<!-- ci:compile spark -->$/) { }  # compiled by conv4j-spark ReadmeSparkExamplesTest, not run here
    else die("unknown marker " $0)
    next
  }
  want != "" && !inside {
    if ($0 ~ /^[ \t]*$/) next
    if (want == "install") {
      if ($0 !~ /^    mvn /) die("<!-- ci:install --> must be followed by an indented mvn command")
      cmd = $0; sub(/^ +/, "", cmd); print cmd >> (out "/install.txt"); want = ""; next
    }
    if ($0 != "```" want) die("a marker must be followed by a ```" want " block")
    inside = 1; start = NR; block = ""; next
  }
  END { if (!bad && (want != "" || inside)) { print "README.md: a marker at the end has no block" > "/dev/stderr"; exit 1 } }
' "$readme" || fail "README.md markers (above)"
[ -s "$work/install.txt" ] && [ "$(wc -l < "$work/install.txt")" -eq 1 ] \
  || fail "README.md needs exactly one <!-- ci:install --> command"
[ -s "$work/dependencies.xml" ] || fail "README.md has no <!-- ci:dependencies --> block"
[ -s "$work/runs.tsv" ] || fail "README.md has no <!-- ci:run expect=\"...\" --> java block"
read -ra install < "$work/install.txt"
echo "== consumer: README: '${install[*]}', $(wc -l < "$work/runs.tsv") java example(s)"

# --- 1, 2: fresh repository, the README's install command ----------------------------------------------
seed=${CONV4J_SEED_REPO:-$(mvn -B -q -Dstyle.color=never help:evaluate -Dexpression=settings.localRepository -DforceStdout \
                           | sed 's/\x1b\[[0-9;]*m//g')}
echo "== consumer: seed $repo from $seed (all but org/conv4j)"
mkdir -p "$repo"
if [ -d "$seed" ]; then tar -C "$seed" --exclude=./org/conv4j -cf - . | tar -C "$repo" -xf -; fi
[ ! -e "$repo/org/conv4j" ] || fail "the seeded repository holds org/conv4j"
pass "seeded $(du -sh "$repo" | cut -f1) of third-party artifacts"
echo "== consumer: ${install[*]} -Dmaven.repo.local=$repo"
"${install[@]}" -Dmaven.repo.local="$repo" > "$work/install.log" 2>&1 \
  || { tail -40 "$work/install.log"; fail "the README's install command"; }
pass "the README's install command"

installed=$repo/org/conv4j
platform_pom=$installed/conv4j-platform/$version/conv4j-platform-$version.pom
[ -f "$platform_pom" ] || fail "no $platform_pom"
platforms=$(sed -n 's:.*<classifier>\(.*\)</classifier>.*:\1:p' "$platform_pom" | sort -u)
[ "$(wc -w <<<"$platforms")" -eq 1 ] || fail "installed conv4j-platform should name one platform, names: $platforms"
platform=$platforms
if grep -q '<profiles>\|\${' "$platform_pom"; then fail "installed conv4j-platform pom has profiles or properties"; fi
pass "installed conv4j-platform depends on $platform only, written out"

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
nocc=$work/bin
for tool in cc c++ gcc g++ clang ld; do
  if PATH=$nocc command -v $tool >/dev/null; then fail "$tool still on the compiler-free PATH"; fi
done

# --- 3: the README's snippets as a project ----------------------------------------------------------------
cat > "$project/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.conv4j.readme</groupId>
  <artifactId>readme-examples</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
$(cat "$work/dependencies.xml")
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
    </plugins>
  </build>
</project>
EOF
echo "== consumer: build the README's examples with PATH=$nocc (no cc, g++, ld)"
(cd "$project" && PATH=$nocc mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$repo" compile dependency:build-classpath \
   -Dmdep.outputFile=target/classpath.txt) || fail "building the README's examples ($project)"
cp="$project/target/classes:$(cat "$project/target/classpath.txt")"
while IFS=$'\t' read -r cls expect; do
  out=$(PATH=$nocc java -Dorg.bytedeco.javacpp.cachedir="$work/cache-$cls" -cp "$cp" "$cls" < /dev/null) \
    || fail "README.md line ${cls#ReadmeLine}: the example exited with $?"
  echo "$out"
  [ "$out" = "$expect" ] || fail "README.md line ${cls#ReadmeLine}: expected $expect"
  pass "README.md line ${cls#ReadmeLine} prints $expect"
done < "$work/runs.tsv"

# --- 4: java/examples/sobel ------------------------------------------------------------------------------
example=$root/java/examples/sobel
echo "== consumer: build java/examples/sobel with PATH=$nocc"
(cd "$example" && PATH=$nocc mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$repo" package -Dconv4j.version="$version") \
  || fail "building java/examples/sobel"
lib=$example/target/lib
ls "$lib"
if ls "$lib" | grep -v -- "-$platform\.jar$" | grep -E -- '-(linux|macosx|windows)-[a-z0-9_]+\.jar$'; then
  fail "the example's runtime classpath holds other platforms' jars (above)"
fi
native_jar=conv4j-$version-$platform.jar
[ -f "$lib/$native_jar" ] || fail "$native_jar missing from the example's runtime classpath"
expected='[[160,160,160],[240,240,240],[320,320,320]]'
out=$(PATH=$nocc java -Dorg.bytedeco.javacpp.cachedir="$work/cache" -jar "$example/target/conv4j-example-sobel-1.jar")
echo "$out"
[ "$out" = "$expected" ] || fail "java/examples/sobel: expected $expected"
[ -n "$(find "$work/cache" -name 'libjniConv4jNative.so')" ] || fail "native library not extracted into the fresh cache"
pass "java/examples/sobel with a fresh JavaCPP cache"

mkdir "$work/missing"
cp -r "$example/target/conv4j-example-sobel-1.jar" "$lib" "$work/missing/" && rm "$work/missing/lib/$native_jar"
set +e
err=$(PATH=$nocc java -Dorg.bytedeco.javacpp.cachedir="$work/cache2" -jar "$work/missing/conv4j-example-sobel-1.jar" 2>&1 >/dev/null)
status=$?
set -e
echo "$err"
want="org.conv4j:conv4j:$version:$platform"
[ $status -eq 1 ] && [[ $err == *"$want"* ]] || fail "without $native_jar: expected exit 1 and a message naming $want, got exit $status"
pass "without $native_jar the message names $want"

# --- 5: the installed jars ----------------------------------------------------------------------------------
names=()
while IFS= read -r j; do
  name=$(unzip -p "$j" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Automatic-Module-Name: *//p')
  [ -n "$name" ] || fail "${j#"$installed"/}: no Automatic-Module-Name"
  jar --describe-module --file "$j" 2>&1 | grep -q "^$name@" || fail "${j#"$installed"/}: the JDK rejects module name $name"
  names+=("$name")
done < <(find "$installed" -name '*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' | sort)
dups=$(printf '%s\n' "${names[@]}" | sort | uniq -d)
[ -z "$dups" ] || fail "module names used by more than one jar: $dups"
pass "${#names[@]} jars, each with a module name of its own: ${names[*]}"
for a in $libraries; do
  for kind in sources javadoc; do
    [ -s "$installed/$a/$version/$a-$version-$kind.jar" ] || fail "no $a-$version-$kind.jar installed"
  done
done
pass "-sources and -javadoc jars for $libraries"
bash .ci/native-check.sh "$installed/conv4j/$version/$native_jar"
pass "native-check of the installed $native_jar"
echo "consumer: $passed passed, 0 failed"
