#!/bin/sh
# function-sizes.sh: the longest functions of memaudit's own C code, for
# review (the house style wants short functions; ../shared/style.md).  A
# function is a line that starts a definition at column 0 and ends at the
# next line that is a lone "}".  Prints those over LIMIT lines (default 60),
# longest first, and exits 1 when any is over HARD lines (default 150).
#
#   scripts/function-sizes.sh [LIMIT [HARD]]
set -eu
limit=${1:-60}
hard=${2:-150}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$(for f in core/*.c analyzers/*/*.c reporters/*.c cmd/*.c; do
	awk -v file="$f" '
		/^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ { name = $0; start = NR; next }
		/^\{/ && start == NR - 1 { open = start; next }
		/^\}/ && open { n = NR - open + 1; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name);
			print n "\t" file ":" open "\t" name; open = 0 }
	' "$f"
done | sort -rn)
echo "$out" | awk -v l="$limit" -F'\t' '$1 > l { print }'
echo "$out" | awk -v h="$hard" -F'\t' '$1 > h { bad = 1 } END { exit bad }'
