#!/bin/sh
# Installs the Debian packages named on the command line that are not
# installed yet, then the npm tools the tests use (tests/package.json).
# A no-op when everything is there; needs root (or sudo) only when something
# is missing.
set -eu

missing=""
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm tools for the tests (SARIF validator), pinned by tests/package-lock.json.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$top/tests/package.json" ] && [ ! -x "$top/tests/node_modules/.bin/sarif-multitool-linux" ]; then
	echo "deps: installing npm tools into tests/node_modules"
	(cd "$top/tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
