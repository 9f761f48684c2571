#!/bin/sh
# dynamic-overhead.sh: what does memaudit add to a Valgrind run?  In one
# run, on a generated program that reports N different memcheck errors
# (N functions, each reading one byte past its own heap block):
#
#   (a) valgrind --tool=memcheck --xml=yes ... ./prog   (the options memaudit uses)
#   (b) memaudit audit --rules none --run ./prog          (spawn, read the XML, merge, write reports)
#
# (b)'s static part is a parse of a one-line file (on a thread of its own
# while Valgrind runs, as in every audit with --run).  Prints wall and CPU
# seconds (whole process trees) for each, the ratio b/a, and how many
# findings (b) reported.  Issue 5's bar: b/a <= 1.05 with N >= 10000.
# Valgrind's own time varies by a few tenths of a second from one run to
# the next on a busy machine, so it also prints memaudit's own CPU in (b)
# (its process and threads, not Valgrind's: rusage's self=) against the
# CPU of the Valgrind that ran under it, both from the same runs.
#
#   bench/dynamic-overhead.sh [--errors N] [--repeat K] [--memaudit PATH]
set -eu

me=dynamic-overhead.sh
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
errors=10000
repeat=1
memaudit=${MEMAUDIT:-$top/build/memaudit}

die() {
	echo "$me: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--errors) errors=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	--memaudit) memaudit=$2; shift 2 ;;
	-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
[ -x "$memaudit" ] || die "no memaudit at $memaudit (build it with make, or give --memaudit)"
command -v valgrind >/dev/null || die "valgrind is not installed"
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-dynbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$cc" -O2 -o "$tmp/rusage" "$here/rusage.c" || die "could not compile $here/rusage.c"

# The program: N functions, each with its own out-of-bounds read.
cd "$tmp"
{
	echo '#include <stdlib.h>'
	echo 'static volatile int sink;'
	i=0
	while [ $i -lt "$errors" ]; do
		echo "static void f$i(void) { char *b = malloc(8); sink = b[8]; free(b); }"
		i=$((i + 1))
	done
	echo 'int main(void) {'
	i=0
	while [ $i -lt "$errors" ]; do
		echo "	f$i();"
		i=$((i + 1))
	done
	echo '	return 0; }'
} > prog.c
"$cc" -g -gdwarf-4 -O0 -o prog prog.c || die "could not compile the generated program"
echo 'int stub;' > stub.c
printf '[{"directory":"%s","file":"%s/stub.c","arguments":["cc","-c","stub.c"]}]\n' "$tmp" "$tmp" > db.json

field() { # FILE KEY
	tr ' ' '\n' < "$1" | sed -n "s/^$2=//p"
}

median() { # numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

round=1
while [ $round -le "$repeat" ]; do
	echo "$me: round $round/$repeat: (a) valgrind" >&2
	rm -rf xml && mkdir xml
	./rusage -o "a.$round" -- valgrind --tool=memcheck --xml=yes --xml-file="$tmp/xml/%p.xml" \
		--log-file="$tmp/xml/.valgrind.%p.log" \
		--trace-children=yes --child-silent-after-fork=yes --num-callers=30 --error-limit=no \
		--leak-check=full --show-leak-kinds=definite,indirect,possible ./prog >/dev/null 2>&1
	echo "$me: round $round/$repeat: (b) memaudit --run" >&2
	./rusage -o "b.$round" -- "$memaudit" audit --compile-db db.json --rules none --run ./prog \
		-q --format json -o out --fail-on none >/dev/null 2>&1
	round=$((round + 1))
done

for x in a b; do
	for k in wall user sys self; do
		for f in $x.*; do field "$f" $k; done | median > "$x.$k"
	done
	echo "$(cat $x.user) $(cat $x.sys)" | awk '{ printf "%.2f\n", $1 + $2 }' > "$x.cpu"
done
# memaudit's own share of each (b) run, then their median
for f in b.[0-9]*; do
	echo "$(field "$f" user) $(field "$f" sys) $(field "$f" self)" | awk '{ printf "%.4f\n", $3 / ($1 + $2 - $3) }'
done | median > b.share
found=$(grep -o '"pass":[[:space:]]*"memcheck"' out/report.json | wc -l)
xmlsize=$(du -sk xml | cut -f1)
printf '%d different errors, XML %d KiB; median of %d run(s)\n' "$errors" "$xmlsize" "$repeat"
printf '%-40s %8s %8s\n' "" "wall s" "CPU s"
printf '%-40s %8.2f %8.2f\n' "(a) valgrind, by hand" "$(cat a.wall)" "$(cat a.cpu)"
printf '%-40s %8.2f %8.2f\n' "(b) memaudit audit --run" "$(cat b.wall)" "$(cat b.cpu)"
awk -v aw="$(cat a.wall)" -v bw="$(cat b.wall)" -v ac="$(cat a.cpu)" -v bc="$(cat b.cpu)" \
	'BEGIN { printf "%-40s %7.3fx %7.3fx\n", "ratio b/a", bw / aw, bc / ac }'
awk -v self="$(cat b.self)" -v share="$(cat b.share)" 'BEGIN {
	printf "%-40s %8s %8.2f\n", "(b) of which memaudit itself", "", self
	printf "%-40s %8s %7.3fx\n", "ratio (b) / its Valgrind, same runs", "", 1 + share }'
echo "memaudit reported $found memcheck findings"
