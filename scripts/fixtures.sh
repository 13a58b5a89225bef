#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/fixtures.sh DIR   (make fixtures)
#
# Re-record the analyzer's fixture traces in the testbed, small on purpose:
#   phases.dat    series events + upstream events (2048 pages)
#   upstream.dat  upstream events only: the shape of an unpatched kernel
#   instance.dat  upstream events recorded into a tracefs instance (-B)
# and the clock traces of analyzer/tests/data (clocks() below).
# Each comes with NAME.migbench.json, migbench's own figures, which the
# fixture tests compare the analyzer's output with.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
dir=${1:?usage: scripts/fixtures.sh DIR}

record() {
	local name=$1 out=$build/runs/fixture-$1

	shift
	echo "fixtures: recording $name"
	rm -rf "$out"
	"$top/testbed/run" --out "$out" "$@"
	cp "$out/trace.dat" "$dir/$name.dat"
	cp "$out/migbench.json" "$dir/$name.migbench.json"
}

# The clock traces of analyzer/tests/data (tests/data/README.md):
# tsc.dat, local.dat, and tsc2nsec.dat made from tsc.dat at the TSC rate
# the guest's kernel detected.
clocks() {
	local out=$build/runs/fixture-clocks data=$top/analyzer/tests/data khz

	echo "fixtures: recording the clock traces"
	rm -rf "$out"
	"$top/testbed/run" --out "$out" clocks
	for n in tsc local; do
		cp "$out/$n.dat" "$out/$n.migbench.json" "$data/"
	done
	khz=$(sed -n 's/.*tsc: Detected \([0-9.]*\) MHz.*/\1/p' "$out/dmesg.txt" |
		awk '{ printf "%.0f", $1 * 1000 }')
	[ -n "$khz" ] || { echo "fixtures: no TSC rate in $out/dmesg.txt" >&2; exit 1; }
	trace-cmd convert --file-version 6 --compression none \
		-i "$out/tsc.dat" -o "$out/tsc-v6.dat"
	"$data/mk-tsc2nsec.py" "$out/tsc-v6.dat" "$data/tsc2nsec.dat" "$khz"
	echo "fixtures: TSC at $khz kHz: update test_clocks (test-cli.c) if it changed"
}

mkdir -p "$dir"
clocks
record phases migbench --pages 2048 --from 0 --to 1
record upstream upstream --pages 1024 --from 0 --to 1
record instance instance --pages 1024 --from 0 --to 1
ls -l "$dir"
