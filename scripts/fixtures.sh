#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/fixtures.sh DIR   (make fixtures)
#
# Re-record the analyzer's fixture traces in the testbed, small on purpose:
#   phases.dat    series events + upstream events (2048 pages)
#   upstream.dat  upstream events only: the shape of an unpatched kernel
#   instance.dat  upstream events recorded into a tracefs instance (-B)
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

mkdir -p "$dir"
record phases migbench --pages 2048 --from 0 --to 1
record upstream upstream --pages 1024 --from 0 --to 1
record instance instance --pages 1024 --from 0 --to 1
ls -l "$dir"
