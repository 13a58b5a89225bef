#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/demo.sh DIR PAGES...   (make demo)
#
# For each page count: boot the testbed, migrate PAGES base pages from node
# 0 to node 1 with migbench under migscope-record, then write into DIR the
# phase report (text, JSON, CSV), migbench's own figures, the trace, and a
# stacked-bar plot of the phase breakdown of all runs. Then the first page
# count once more with the dcbm migrator over the swdma software DMA engine
# (4 channels): its trace and `migscope dma` (text, JSON). ENVIRONMENT
# records exactly what ran. Timings are emulated-machine (qemu TCG)
# timings; the DMA engine is a software test engine.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
migscope=$top/analyzer/migscope
. "$top/scripts/lib-follow.sh"
version=$(migscope_version)	# before this run writes results/
dir=${1:?usage: scripts/demo.sh DIR PAGES...}
shift
[ $# -gt 0 ] || set -- 16384 65536
note="emulated machine (qemu TCG, $(nproc) host cores): compare ratios within one run only"

mkdir -p "$dir"
csvs=()
labels=()
for pages in "$@"; do
	run=$build/runs/demo-$pages
	name=4K-x$pages
	echo "demo: [$name] booting the testbed, migrating $pages pages (node 0 -> 1)"
	rm -rf "$run"
	"$top/testbed/run" --out "$run" migbench --pages "$pages" --from 0 --to 1
	cp "$run/trace.dat" "$dir/$name.trace.dat"
	cp "$run/migbench.json" "$dir/$name.migbench.json"
	"$migscope" report "$run/trace.dat" > "$dir/$name.report.txt"
	"$migscope" report --json "$run/trace.dat" > "$dir/$name.report.json"
	"$migscope" report --csv "$run/trace.dat" > "$dir/$name.phases.csv"
	csvs+=("$dir/$name.phases.csv")
	labels+=("$pages×4K")
	echo "demo: [$name] migbench: $(cat "$run/migbench.json")"
	cat "$dir/$name.report.txt"
done

gnuplot -e "files='${csvs[*]}'; labels='${labels[*]}'; out='$dir/phase-breakdown.png'; note='$note'" \
	"$top/plots/phase-breakdown.gp"

# The DMA path: dcbm over the swdma software engine, 4 channels.
pages=$1
run=$build/runs/demo-dcbm
name=dcbm-4ch-4K-x$pages
echo "demo: [$name] booting the testbed, migrating $pages pages with dcbm (4 channels, software DMA engine)"
rm -rf "$run"
"$top/testbed/run" --out "$run" migbench -m swdma -m dcbm:channels=4 -p dcbm -- \
	--pages "$pages" --from 0 --to 1
cp "$run/trace.dat" "$dir/$name.trace.dat"
cp "$run/migbench.json" "$dir/$name.migbench.json"
"$migscope" dma "$run/trace.dat" > "$dir/$name.dma.txt"
"$migscope" dma --json "$run/trace.dat" > "$dir/$name.dma.json"
"$migscope" report "$run/trace.dat" > "$dir/$name.report.txt"
echo "demo: [$name] migbench: $(cat "$run/migbench.json")"
cat "$dir/$name.dma.txt"

{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "command: make demo DEMO_PAGES=\"$*\""
	echo "migscope: $version"
	sed 's/^/kernel: /' "$build/kernel-out/version.txt"
	echo "qemu: $(qemu-system-x86_64 --version | head -1)"
	echo "testbed: default layout (testbed/run --help): 4 vCPUs, -cpu EPYC, TCG"
	echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "host kernel: $(uname -r)"
	echo "trace-cmd: $(dpkg-query -W -f='${Version}' trace-cmd)"
	echo "timings: $note"
	echo "dma: dcbm-4ch-*: dcbm over swdma, a software memcpy DMA engine for testing (not hardware)"
} > "$dir/ENVIRONMENT"
echo "demo: wrote $dir (plot: $dir/phase-breakdown.png)"
