#!/usr/bin/env bash
# Release hygiene of one classifier jar (conv4j-VERSION-PLATFORM.jar): prints the jar size and, for every
# .so in it, its size, NEEDED libraries, RUNPATH and glibc / libstdc++ symbol-version floors; fails if a
# RUNPATH or RPATH holds anything but $ORIGIN (a build machine's path would leak into the release).
set -euo pipefail
jar=$1
command -v readelf >/dev/null || { echo "native-check: readelf (binutils) not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && jar xf "$jar" 2>/dev/null || unzip -q "$jar")
printf '%s: %s bytes\n' "${jar##*/}" "$(stat -c %s "$jar")"
found=0
while IFS= read -r so; do
  found=1
  dyn=$(readelf -d -W "$so")
  paths=$(sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p' <<<"$dyn")
  needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dyn" | paste -sd' ')
  floor() { readelf --dyn-syms -W "$so" | grep -o "@$1_[0-9.]*" | sed "s/@$1_//" | sort -uV | tail -1; }
  printf '  %s: %s bytes, %s; NEEDED %s; RUNPATH %s; needs GLIBC %s, GLIBCXX %s\n' "${so#"$tmp"/}" \
    "$(stat -c %s "$so")" "$(readelf -h "$so" | sed -n 's/ *Machine: *//p')" "$needed" "${paths:-none}" \
    "$(floor GLIBC)" "$(floor GLIBCXX)"
  tr ':' '\n' <<<"$paths" | while IFS= read -r p; do
    case $p in
      ''|'$ORIGIN'|'$ORIGIN/') ;;
      *) echo "native-check: ${so##*/} has a non-\$ORIGIN RUNPATH entry: $p" >&2; exit 1 ;;
    esac
  done
done < <(find "$tmp" -name '*.so*' -type f)
[ $found -eq 1 ] || { echo "native-check: no .so in $jar" >&2; exit 1; }
