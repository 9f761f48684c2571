#!/bin/sh
# Installs the Debian packages named on the command line that are not
# installed yet, then the npm tools the tests use (tests/package.json).
# A no-op when everything is there; needs root (or sudo) only when something
# is missing.
#
# A package counts as present when dpkg has it, or when a command of its
# name is on PATH: Node.js from NodeSource ships npm inside its nodejs
# package and conflicts with Debian's npm, which apt would otherwise try to
# install (and fail) on every run.
set -eu

# The command a package provides, for packages that provide one.
command_of() {
	case $1 in
	nodejs) echo node ;;
	lib*) ;;
	*) echo "$1" ;;
	esac
}

present() {
	cmd=$(command_of "$1")
	if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; then
		return 0
	fi
	[ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1
}

missing=""
for p in "$@"; do
	present "$p" || missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# bear's interceptor talks to its collector over gRPC at "localhost", which
# gRPC's own resolver looks up in /etc/hosts.  Minimal roots (debootstrap,
# some containers) have no /etc/hosts at all, and `memaudit audit -- make`
# then fails before compiling anything: give localhost its standard entry.
if ! getent hosts localhost >/dev/null 2>&1 || [ ! -e /etc/hosts ]; then
	echo "deps: adding the standard localhost entry to /etc/hosts (bear needs it)"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' | $sudo tee -a /etc/hosts >/dev/null
fi

# npm tools for the tests (the SARIF validator, playwright-core for the
# browser tests), pinned by tests/package-lock.json.  Works with Debian 12's
# own Node 18 / npm 9: the validator is a self-contained .NET program with
# no engines requirement, and playwright-core 1.55 allows Node >= 18 (it
# drives Debian's chromium; it downloads no browser of its own).
top=$(cd "$(dirname "$0")/.." && pwd)
validator=$top/tests/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
playwright=$top/tests/node_modules/playwright-core/package.json
if [ -f "$top/tests/package.json" ] && { [ ! -f "$validator" ] || [ ! -f "$playwright" ]; }; then
	echo "deps: installing npm tools into tests/node_modules"
	(cd "$top/tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
# npm 9 runs the package's postinstall (chmod u+x); newer npm may not.
if [ -f "$validator" ] && [ ! -x "$validator" ]; then
	chmod u+x "$validator"
fi
exit 0
