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
# (4 channels): its trace and `migscope dma` (text, JSON). Then every
# migration path of the kernel in one boot of the tier layout (syscalls,
# NUMA faults, compaction, promotion, demotion, memory offline, DAMON;
# testbed/scenarios/paths.sh):
# each path's trace and report in DIR/paths/, the by-reason table
# (by-reason.txt, by-reason.csv) and its figure (by-reason.png: batch size
# and phase shares per reason). ENVIRONMENT records exactly what ran. Timings are emulated-machine (qemu TCG)
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

# ms VERB [OPTIONS] TRACE: migscope on the trace copied into DIR, named by
# its path from the top of the tree, so that the outputs name the
# committed file (results/demo/...), not this machine's build directory
ms() {
	local t=${*: -1}

	(cd "$top" && "$migscope" "${@:1:$#-1}" "$(realpath --relative-to="$top" "$t")")
}

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
	ms report "$dir/$name.trace.dat" > "$dir/$name.report.txt"
	ms report --json "$dir/$name.trace.dat" > "$dir/$name.report.json"
	ms report --csv "$dir/$name.trace.dat" > "$dir/$name.phases.csv"
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
ms dma "$dir/$name.trace.dat" > "$dir/$name.dma.txt"
ms dma --json "$dir/$name.trace.dat" > "$dir/$name.dma.json"
ms report "$dir/$name.trace.dat" > "$dir/$name.report.txt"
echo "demo: [$name] migbench: $(cat "$run/migbench.json")"
cat "$dir/$name.dma.txt"

# Every migration path, by reason: one boot of the tier layout.
paths="move_pages mbind migrate_pages numa-fault compact promote demote offline damon-cold damon-hot"
run=$build/runs/demo-paths
echo "demo: [paths] booting the testbed (tier layout: nodes 0, 1 and a CPU-less slow node 2, a movable 512M DIMM on node 1), recording every migration path"
rm -rf "$run"
# shellcheck disable=SC2086
"$top/testbed/run" --layout tier --mem 3G --hotplug 512M@1 --timeout 1200 \
	--out "$run" paths $paths
mkdir -p "$dir/paths"
csv=$dir/by-reason.csv
echo "label,calls,pages,batches,mean,p50,p99,max,unmap,flush,copy,move,undo,other" >"$csv"
for p in $paths; do
	cp "$run/$p/trace.dat" "$dir/paths/$p.trace.dat"
	cp "$run/$p/migbench.json" "$dir/paths/$p.migbench.json"
	ms report "$dir/paths/$p.trace.dat" >"$dir/paths/$p.report.txt"
	ms report --json "$dir/paths/$p.trace.dat" >"$dir/paths/$p.report.json"
	jq -r --arg p "$p" '.by_reason[] | [($p + ": " + .reason), .calls,
		.pages_succeeded, .batches, .batch_folios.mean, .batch_folios.p50,
		.batch_folios.p99, .batch_folios.max, .phase_share.unmap,
		.phase_share.flush, .phase_share.copy, .phase_share.move,
		.phase_share.undo,
		(if .total_ns > 0 then (.nested_ns + .unattributed_ns) / .total_ns else 0 end)]
		| @csv' "$dir/paths/$p.report.json" | tr -d '"' >>"$csv"
done
{
	echo "Every migration path, by migrate reason (outermost migrate_pages() calls of each path's trace)"
	echo "timings: $note"
	echo
	printf '%-34s %7s %7s %7s %6s %5s %5s %5s %6s %6s %6s %6s\n' \
		"path: reason" calls pages batches mean p50 p99 max unmap flush copy move
	tail -n +2 "$csv" | awk -F, '{
		printf "%-34s %7d %7d %7d %6.1f %5d %5d %5d %5.1f%% %5.1f%% %5.1f%% %5.1f%%\n",
			$1, $2, $3, $4, $5, $6, $7, $8, 100 * $9, 100 * $10, 100 * $11, 100 * $12 }'
	echo
	echo "batch size in folios per batch (mean, p50, p99, max); phase columns: % of the reason's time"
} >"$dir/by-reason.txt"
gnuplot -e "data='$csv'; out='$dir/by-reason.png'; note='$note'" "$top/plots/by-reason.gp"
cat "$dir/by-reason.txt"

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
	echo "paths: testbed/run --layout tier --mem 3G --hotplug 512M@1 (nodes 0 {0-1}, 1 {2-3}, 2 CPU-less, HMAT: node 2 the slow tier; a movable DIMM on node 1) paths $paths"
} > "$dir/ENVIRONMENT"
echo "demo: wrote $dir (plots: $dir/phase-breakdown.png, $dir/by-reason.png)"
