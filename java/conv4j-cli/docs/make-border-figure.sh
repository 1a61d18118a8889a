#!/usr/bin/env bash
# Regenerates border-zero-vs-reflect.png: the sample image under a 9x9 box blur with zero and reflect borders.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root="$here/../../.."; tmp=$(mktemp -d)
for i in 1 2 3 4 5 6 7 8 9; do echo "1 1 1 1 1 1 1 1 1"; done | awk '{for(i=1;i<=NF;i++) printf "%s%s", 1/81, (i<NF?" ":"\n")}' > "$tmp/box9.txt"
for b in zero reflect; do "$root/conv4j" filter --kernel-file "$tmp/box9.txt" --border "$b" --out "$tmp/$b" > /dev/null; done
java "$here/BorderFigure.java" "$tmp/zero/sample-box9.png" "$tmp/reflect/sample-box9.png" "$here/border-zero-vs-reflect.png"
rm -rf "$tmp"
