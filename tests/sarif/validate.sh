#!/bin/sh
# Validates memaudit's SARIF with Microsoft's SARIF Multitool, with the
# rules GitHub code scanning applies on upload ("Gh") and the SARIF
# specification's own ("Sarif"):
#
#   - out/demo/report.sarif (written by `make demo-run`; audited here into
#     out/demo when it is missing), and
#   - every *.sarif the unit tests left under tests/out/ (test_cli.c writes
#     its reports there).
#
# Fails unless every file has 0 errors and 0 warnings (notes are advice
# such as "consider embedding file contents", and are not counted).
#
#   MEMAUDIT=build/memaudit tests/sarif/validate.sh [FILE.sarif...]
#
# The validator is the npm package pinned in tests/package.json, installed
# by scripts/deps.sh.  It is run directly, not through npx or its bin.js:
# bin.js spawns it with shell:true, and the ';' in --rule-kind "Gh;Sarif"
# would then end the command.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tool=$top/tests/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
memaudit=${MEMAUDIT:-$top/build/memaudit}
case $memaudit in /*) ;; *) memaudit=$PWD/$memaudit ;; esac

# A .NET program: without ICU (a fresh Debian has none) it must be told to
# use the invariant culture, or it aborts at start.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT

if [ ! -f "$tool" ]; then
	echo "validate: $tool is missing; run 'make deps' (or 'cd tests && npm ci')" >&2
	exit 2
fi
# npm 9 runs the package's postinstall (chmod u+x), npm 11 may skip it
[ -x "$tool" ] || chmod u+x "$tool"

work=$(mktemp -d "${TMPDIR:-/tmp}/memaudit-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

demo_report() {
	if [ ! -f "$top/out/demo/report.sarif" ]; then
		echo "validate: out/demo/report.sarif is missing; auditing fixtures/demo" >&2
		cp -R "$top/fixtures/demo" "$work/demo"
		make -s -C "$work/demo" clean >/dev/null
		(cd "$work/demo" && "$memaudit" audit -q -o "$top/out/demo" --fail-on none -- make -s) >&2
	fi
	echo "$top/out/demo/report.sarif"
}

# Prints "ok" or "FAIL" for each file, with the errors and warnings of the
# validator's log that are about it; argv: the log, then the files.  Exits 1
# when there is any.
report_problems() {
	node -e '
		const [logPath, ...files] = process.argv.slice(1);
		const log = JSON.parse(require("fs").readFileSync(logPath, "utf8"));
		const byFile = new Map(files.map((f) => [f, []]));
		const note = (file, text) => {
			if (!byFile.has(file)) byFile.set(file, []);
			byFile.get(file).push(text);
		};
		for (const run of log.runs || []) {
			for (const r of run.results || []) {
				const level = r.level || "warning";
				if (level !== "error" && level !== "warning") continue;
				const pl = ((r.locations || [])[0] || {}).physicalLocation || {};
				const uri = (pl.artifactLocation || {}).uri || "?";
				const file = decodeURIComponent(uri.replace(/^file:\/\//, ""));
				note(file, `${level} ${r.ruleId} at line ${(pl.region || {}).startLine}`);
			}
			for (const inv of run.invocations || [])
				for (const n of inv.toolExecutionNotifications || [])
					if (n.level !== "note") note("(validator)", `${n.level || "warning"}: ${(n.message || {}).text}`);
		}
		let bad = 0;
		for (const [file, problems] of byFile) {
			console.log(`${problems.length ? "FAIL" : "ok  "} ${file}`);
			for (const p of problems) console.log(`       ${p}`);
			bad += problems.length > 0;
		}
		process.exit(bad ? 1 : 0);
	' "$@"
}

if [ $# -eq 0 ]; then
	set -- "$(demo_report)"
	if [ -d "$top/tests/out" ]; then
		find "$top/tests/out" -name '*.sarif' | sort >"$work/list"
		while IFS= read -r f; do set -- "$@" "$f"; done <"$work/list"
	fi
fi

# absolute paths: relative ones give "No valid analysis targets"
n=0
for f in "$@"; do
	shift
	if [ ! -f "$f" ]; then
		echo "validate: no such file: $f" >&2
		exit 1
	fi
	set -- "$@" "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
	n=$((n + 1))
done

log=$work/validation.sarif
# one run for all files: the validator takes seconds to start
if ! "$tool" validate --rule-kind "Gh;Sarif" --level "Error;Warning" \
	--output "$log" "$@" >"$work/console.txt" 2>&1 ||
	! grep -q "Done. $n files\{0,1\} scanned" "$work/console.txt"; then
	echo "validate: the validator failed or skipped files:" >&2
	cat "$work/console.txt" >&2
	exit 1
fi
if report_problems "$log" "$@"; then
	echo "validate: $n SARIF files, 0 errors, 0 warnings (Gh;Sarif rules)"
else
	echo "validate: errors or warnings; the validator said:" >&2
	grep -E ": (error|warning) " "$work/console.txt" >&2 || true
	exit 1
fi
