#!/bin/sh
# static-vs-parse.sh: how much does memaudit's static pass cost over the
# parse it cannot avoid?  In one run, over every entry of a compile database:
#
#   (a) clang -fsyntax-only, each entry with its own flags, N at a time
#   (b) memaudit audit --rules none   (libclang parse only: no checkers)
#   (c) memaudit audit                (the full static pass, all reports)
#
# and for each: wall seconds, CPU seconds (user+sys of the whole process
# tree) and peak RSS (the largest process).  Prints a table and the ratios.
# Needs only a C compiler (for bench/rusage.c), clang and a built memaudit.
#
#   bench/static-vs-parse.sh CODEBASE_DIR [options]
#   bench/static-vs-parse.sh --compile-db FILE [options]
#
# See bench/README.md for the codebases and docs/benchmarks.md for results.
set -eu

me=static-vs-parse.sh
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

usage() {
	cat <<EOF
usage: $me CODEBASE_DIR [options]
   or: $me --compile-db FILE [options]

    --compile-db FILE   the compile database (default: CODEBASE_DIR/compile_commands.json)
    -j, --jobs N        parallelism for clang and memaudit (default: all cores, $(nproc_))
    --repeat K          run each measurement K times and report the median (default: 1)
    --memaudit PATH     the memaudit binary (default: \$MEMAUDIT, else $top/build/memaudit)
    --clang PATH        the clang driver for (a) (default: \$CLANG, else clang)
    --keep DIR          keep logs, per-TU numbers and memaudit's reports in DIR
    -h, --help          show this help
EOF
}

die() {
	echo "$me: $*" >&2
	exit 2
}

nproc_() {
	getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1
}

codebase='' db='' jobs='' repeat=1 keep=''
memaudit=${MEMAUDIT:-} clang=${CLANG:-clang}
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	--compile-db) [ $# -ge 2 ] || die "--compile-db needs a file"; db=$2; shift ;;
	--compile-db=*) db=${1#*=} ;;
	-j|--jobs) [ $# -ge 2 ] || die "$1 needs a number"; jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	--jobs=*) jobs=${1#*=} ;;
	--repeat) [ $# -ge 2 ] || die "--repeat needs a number"; repeat=$2; shift ;;
	--repeat=*) repeat=${1#*=} ;;
	--memaudit) [ $# -ge 2 ] || die "--memaudit needs a path"; memaudit=$2; shift ;;
	--clang) [ $# -ge 2 ] || die "--clang needs a path"; clang=$2; shift ;;
	--keep) [ $# -ge 2 ] || die "--keep needs a directory"; keep=$2; shift ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) [ -z "$codebase" ] || die "one CODEBASE_DIR only (got '$codebase' and '$1')"; codebase=$1 ;;
	esac
	shift
done

# --- the inputs ------------------------------------------------------------
if [ -z "$codebase" ] && [ -z "$db" ]; then
	usage >&2
	die "give a CODEBASE_DIR or --compile-db FILE"
fi
if [ -n "$codebase" ] && [ ! -d "$codebase" ]; then
	die "'$codebase' is not a directory"
fi
if [ -z "$db" ]; then
	db=$codebase/compile_commands.json
	[ -e "$db" ] || die "no compile database: '$db' does not exist.
  Generate one in the codebase (e.g. 'bear -- make'), or pass --compile-db FILE; see bench/README.md."
fi
[ -e "$db" ] || die "no compile database: '$db' does not exist"
[ -f "$db" ] || die "compile database '$db' is not a regular file"
[ -r "$db" ] || die "compile database '$db' is not readable"
[ -s "$db" ] || die "compile database '$db' is empty"
db=$(cd "$(dirname "$db")" && pwd)/$(basename "$db")
[ -n "$codebase" ] || codebase=$(dirname "$db")
name=$(basename "$(cd "$codebase" && pwd)")

case $jobs in
'') jobs=$(nproc_) ;;
*[!0-9]*|0) die "-j takes a positive number, not '$jobs'" ;;
esac
case $repeat in
*[!0-9]*|0|'') die "--repeat takes a positive number, not '$repeat'" ;;
esac

if [ -z "$memaudit" ]; then
	memaudit=$top/build/memaudit
	[ -x "$memaudit" ] || die "no memaudit at '$memaudit': build it ('make'), or give --memaudit PATH or MEMAUDIT=PATH"
fi
[ -x "$memaudit" ] || die "'$memaudit' is not an executable memaudit"
command -v "$clang" >/dev/null 2>&1 || die "no clang ('$clang'): install clang, or give --clang PATH or CLANG=PATH"

# --- the helper --------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/static-vs-parse.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
cc=
for c in "${CC:-}" cc gcc clang; do
	if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then
		cc=$c
		break
	fi
done
[ -n "$cc" ] || die "no C compiler to build bench/rusage.c (set CC)"
"$cc" -O2 -o "$tmp/rusage" "$here/rusage.c" || die "could not compile $here/rusage.c with $cc"

out=${keep:-$tmp/keep}
mkdir -p "$out"
rm -f "$out"/clang-per-tu.*.txt "$out"/[abc].raw "$out"/[bc].log
: >"$out/clang.log"

# --- the runs ----------------------------------------------------------------
field() { # FILE KEY: the value of KEY=VALUE in rusage's output
	tr ' ' '\n' <"$1" | sed -n "s/^$2=//p" | head -n 1
}
# Interleaved (a b c, a b c, ...) so that all three see the same machine state.
run() { # LABEL ROUND COMMAND...
	label=$1 round=$2
	shift 2
	"$tmp/rusage" -o "$tmp/$label.$round" -- "$@" 2>>"$out/$label.log"
}

echo "$me: $name: $(basename "$db") with -j $jobs, $repeat round(s)" >&2
no_b=''   # set when this memaudit does not accept --rules none
r=1
while [ "$r" -le "$repeat" ]; do
	echo "$me: round $r/$repeat: (a) clang -fsyntax-only" >&2
	"$tmp/rusage" -o "$tmp/a.$r" -j "$jobs" --log "$out/clang.log" --per-tu "$out/clang-per-tu.$r.txt" \
		--compdb "$db" -- "$clang" || die "could not run clang over the compile database (see above)"
	if [ -z "$no_b" ]; then
		echo "$me: round $r/$repeat: (b) memaudit --rules none" >&2
		rm -rf "$out/parse-only"
		run b "$r" "$memaudit" audit --compile-db "$db" --rules none -q --format json -o "$out/parse-only" -j "$jobs"
		if [ "$(field "$tmp/b.$r" status)" = 2 ] && grep -q "rule 'none'" "$out/b.log"; then
			no_b=1
			rm -f "$tmp/b.$r"
			echo "$me: this memaudit rejects '--rules none' (the parse-only run):" >&2
			sed 's/^/  /' "$out/b.log" >&2
			echo "$me: measuring (a) and (c) only; (b) needs a memaudit whose --rules accepts 'none'" >&2
		fi
	fi
	echo "$me: round $r/$repeat: (c) memaudit full static pass" >&2
	rm -rf "$out/full"
	run c "$r" "$memaudit" audit --compile-db "$db" -q -o "$out/full" -j "$jobs"
	r=$((r + 1))
done

# --- checks ------------------------------------------------------------------
measured="b c"
[ -z "$no_b" ] || measured=c
units=$(field "$tmp/a.1" units)
clang_failed=$(field "$tmp/a.1" failed)
for l in $measured; do
	st=$(field "$tmp/$l.1" status)
	# 0: clean, 1: findings at --fail-on, 3: some TUs failed (reports
	# written, marked partial); anything else is a failed run
	if [ "$st" != 0 ] && [ "$st" != 1 ] && [ "$st" != 3 ]; then
		echo "$me: memaudit ($l) exited with status $st:" >&2
		sed 's/^/  /' "$out/$l.log" >&2
		die "memaudit failed"
	fi
done
json_int() { # FILE KEY: the first "KEY": N in a memaudit JSON report
	sed -n "s/.*\"$2\":[[:space:]]*\([0-9][0-9]*\).*/\1/p" "$1" | head -n 1
}
ma_total=$(json_int "$out/full/report.json" total)
ma_failed=$(json_int "$out/full/report.json" failed)
ma_findings=$(json_int "$out/full/report.json" findings)
po_failed=n/a
[ -n "$no_b" ] || po_failed=$(json_int "$out/parse-only/report.json" failed)

# --- medians and the table ---------------------------------------------------
median() { # LABEL KEY
	for f in "$tmp/$1".*; do field "$f" "$2"; done | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cpu_of() { # FILE: user+sys
	awk -v u="$(field "$1" user)" -v s="$(field "$1" sys)" 'BEGIN { printf "%.3f\n", u + s }'
}
for l in a $measured; do
	for f in "$tmp/$l".*; do
		echo "cpu=$(cpu_of "$f")" >>"$f"
	done
done
wall_a=$(median a wall) cpu_a=$(median a cpu) rss_a=$(median a maxrss_kb)
wall_c=$(median c wall) cpu_c=$(median c cpu) rss_c=$(median c maxrss_kb)
wall_b='' cpu_b='' rss_b=''
if [ -z "$no_b" ]; then
	wall_b=$(median b wall) cpu_b=$(median b cpu) rss_b=$(median b maxrss_kb)
fi
# the largest TU by clang's peak RSS: its numbers alone (median over rounds)
largest_file=$(sort -k4,4n "$out/clang-per-tu.1.txt" | tail -n 1 | cut -d' ' -f6-)
tu_median() { # rss|cpu: the largest TU's number, median over the rounds
	for f in "$out"/clang-per-tu.*.txt; do
		awk -v file="$largest_file" -v what="$1" 'substr($0, index($0, $6)) == file {
			if (what == "rss") print $4; else print $2 + $3 }' "$f"
	done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
largest_rss=$(tu_median rss)
largest_cpu=$(tu_median cpu)
model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo
printf '%s: %s translation units (%s), -j %s, median of %s run(s)\n' "$name" "$units" "$db" "$jobs" "$repeat"
printf 'machine: %s cores%s; %s; %s\n' "$(nproc_)" "${model:+, $model}" \
	"$("$memaudit" --version 2>/dev/null | head -n 1)" "$("$clang" --version 2>/dev/null | head -n 1)"
printf '%-40s %10s %10s %14s\n' "" "wall s" "CPU s" "peak RSS MiB"
row() { printf '%-40s %10.2f %10.2f %14.1f\n' "$1" "$2" "$3" "$(awk -v k="$4" 'BEGIN { print k / 1024 }')"; }
row "(a) clang -fsyntax-only" "$wall_a" "$cpu_a" "$rss_a"
if [ -n "$no_b" ]; then
	printf '%-40s %10s %10s %14s\n' "(b) memaudit parse-only (--rules none)" n/a n/a n/a
else
	row "(b) memaudit parse-only (--rules none)" "$wall_b" "$cpu_b" "$rss_b"
fi
row "(c) memaudit full static pass" "$wall_c" "$cpu_c" "$rss_c"
echo
printf '%-40s %10s %10s %14s\n' "ratio" "wall" "CPU" "peak RSS"
ratio() { printf '%-40s %9.2fx %9.2fx %13.2fx\n' "$1" \
	"$(awk -v x="$2" -v y="$3" 'BEGIN { print (y > 0 ? x / y : 0) }')" \
	"$(awk -v x="$4" -v y="$5" 'BEGIN { print (y > 0 ? x / y : 0) }')" \
	"$(awk -v x="$6" -v y="$7" 'BEGIN { print (y > 0 ? x / y : 0) }')"; }
ratio "memaudit / clang-fsyntax-only  (c/a)" "$wall_c" "$wall_a" "$cpu_c" "$cpu_a" "$rss_c" "$rss_a"
if [ -z "$no_b" ]; then
	ratio "memaudit / parse-only          (c/b)" "$wall_c" "$wall_b" "$cpu_c" "$cpu_b" "$rss_c" "$rss_b"
	ratio "parse-only / clang-fsyntax-only (b/a)" "$wall_b" "$wall_a" "$cpu_b" "$cpu_a" "$rss_b" "$rss_a"
fi
echo
printf 'largest TU by clang peak RSS: %s: %.1f MiB, %.2f s CPU (clang -fsyntax-only on it alone)\n' \
	"$largest_file" "$(awk -v k="$largest_rss" 'BEGIN { print k / 1024 }')" "$largest_cpu"
printf 'memaudit: %s of %s TUs failed to parse (parse-only run: %s); %s findings; clang: %s of %s entries exited non-zero\n' \
	"${ma_failed:-?}" "${ma_total:-?}" "${po_failed:-?}" "${ma_findings:-?}" "$clang_failed" "$units"
awk -v c="$cpu_c" -v a="$cpu_a" 'BEGIN { r = a > 0 ? c / a : 0;
	printf "target CPU(c) <= 1.5 x CPU(a): %s (%.2fx)\n", r <= 1.5 ? "met" : "NOT met", r }'
if [ "$clang_failed" != 0 ]; then
	echo "note: clang -fsyntax-only failed on $clang_failed entries; its first errors:" >&2
	grep 'error:' "$out/clang.log" | head -n 5 | sed 's/^/  /' >&2
fi
if [ "${ma_failed:-0}" != 0 ]; then
	echo "note: memaudit could not parse $ma_failed TUs; its report says:" >&2
	sed -n '/"failures":/,/\]/p' "$out/full/report.json" | head -n 20 | sed 's/^/  /' >&2
fi
if [ -n "$keep" ]; then
	for l in a $measured; do cat "$tmp/$l".* >"$out/$l.raw"; done
	echo "kept logs, per-TU numbers and reports in $out" >&2
fi
