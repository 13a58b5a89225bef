#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The event contract: boot the test kernel in the testbed, copy its event
# format files out, and compare them and `migscope catalog` with
# tracepoints/events.catalog.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BUILD:-$top/build}/runs/catalog
rm -rf "$out"
. "$top/tests/lib-console.sh"
if ! "$top/testbed/run" --out "$out" formats; then
	echo "catalog: could not boot the testbed to read the event formats"
	echo "catalog: 0 passed, 1 failed"
	exit 1
fi
bad=$(console_bad "$out/console.log")
if [ -n "$bad" ]; then
	echo "FAIL  console: the guest kernel complained (see $out/console.log):"
	echo "$bad" | head -n 20 | sed 's/^/  /'
	echo "catalog: 0 passed, 1 failed"
	exit 1
fi
"$top/analyzer/migscope" catalog > "$out/analyzer.catalog" || {
	echo "catalog: 'migscope catalog' failed"
	echo "catalog: 0 passed, 1 failed"
	exit 1
}
exec "$top/tracepoints/check-catalog" "$out/formats" "$out/analyzer.catalog"
