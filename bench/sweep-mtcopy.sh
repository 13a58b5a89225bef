#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/sweep-mtcopy.sh - mtcopy throughput and placement: ONE testbed boot
# with --layout 8cpu-4l3 (8 vCPUs, L3 domains {0-1} {2-3} {4-5} {6-7},
# memory on nodes 0 and 2) runs the mtcopy-sweep scenario: folio sizes x
# threads 1 2 4 8 x policies spread fill src dst, each point one migration
# node 0 -> 2 recorded with migscope-record -p mtcopy (trace.dat +
# migbench.json kept per point). Then, on the host, one CSV row per point:
#
#   folio_size,threads,policy,gbps,copy_fraction,l3_<cpus>...
#
#   gbps           migbench.json .gbps (bytes / wall time of move_pages)
#   copy_fraction  copy phase time / migrate_pages() time:
#                  `analyzer/migscope report --json` .copy_fraction when the
#                  analyzer has it, else computed here from `trace-cmd
#                  report`: sum of mm_migrate_copy_begin..copy_end over the
#                  sum of the outermost mm_migrate_pages_start..
#                  mm_migrate_pages of each task
#   l3_<cpus>      share of the copy workers' busy time on that L3 domain:
#                  `analyzer/migscope ccd --json` .l3_domains[].share, else
#                  from `trace-cmd report`: mtcopy_worker_begin..end per
#                  CPU, grouped by the trace's migscope:cpu l3= markers
#
# and plots/placement.gp draws GB/s vs threads, one line per policy, one
# panel per folio size. Rows are sorted by folio size, policy, threads.
# Figures, not a test: nothing is asserted. Emulated machine (qemu TCG):
# compare ratios within one run only. Default subset: folio sizes 4K 64K
# 2M (of 4K..2M) at 16M per point: 48 recorded points, each costs 5 to 15 s
# under TCG (trace-cmd record on 8 vCPUs); pass -- --sizes ... for more.
#
# usage: bench/sweep-mtcopy.sh [--out DIR] [--no-run] [--icount] [-- SCENARIO ARGS]
#   --out DIR   results (default $BUILD/bench/sweep-mtcopy)
#   --no-run    recompute the CSV and the plot from the run in DIR
#   --icount    testbed/run --icount: reproducible guest time, counted in
#               instructions; but the vCPUs then run one at a time, so the
#               threads' speedup is in instructions, not host parallelism
#               (off by default: placement is what this sweep is about)
#   SCENARIO ARGS: mtcopy-sweep.sh's (--size, --sizes, --threads,
#               --policies), e.g. -- --sizes 4K,2M --threads 1,8
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), SWEEP_TIMEOUT
# (seconds, default 3600).
# Output in DIR: sweep-mtcopy.csv, placement.png, points/POINT/{trace.dat,
# migbench.json}, sources.txt (where each figure came from), README.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
name=sweep-mtcopy
out=${BUILD:-$top/build}/bench/sweep-mtcopy
timeout_s=${SWEEP_TIMEOUT:-3600}
migscope=$top/analyzer/migscope
label="emulated machine (qemu TCG)"
. "$top/bench/lib-sweep.sh"
sweep_parse 44 "$@"
set -- "${sargs[@]}"

mkdir -p "$out"
T0=$(date +%s)
if [ "$run" = 1 ]; then
	echo "sweep-mtcopy: booting the testbed (8cpu-4l3), $label; results in $out"
	sweep_boot mtcopy-sweep --layout 8cpu-4l3 --disk 2G --timeout "$timeout_s"
fi
pts=$out/points/points.txt
[ -s "$pts" ] || { echo "sweep-mtcopy: no points in $out/points (see $out/testbed-run.log)" >&2; exit 1; }

# fallback DAT: "copy_fraction X" and "l3 CPUS BUSY_NS SHARE" lines from
# `trace-cmd report`
fallback() {
	trace-cmd report -t "$1" 2>/dev/null | awk "$TR_AWK"'
	tr_parse() == 0 { next }
	EV == "marker" && MSG ~ /^migscope:cpu / {
		c = F["cpu"] + 0; l = F["l3"]; gsub(/"/, "", l); if (l == "" || l == "-") l = c ""
		l3[c] = l; if (!(l in first) || c < first[l]) first[l] = c
		next
	}
	EV == "mm_migrate_pages_start" { pid = COMM; sub(/.*-/, "", pid); if (depth[pid]++ == 0) mp0[pid] = TS; next }
	EV == "mm_migrate_pages" {
		pid = COMM; sub(/.*-/, "", pid)
		if (depth[pid] > 0 && --depth[pid] == 0) mp += TS - mp0[pid]
		next
	}
	EV == "mm_migrate_copy_begin" { cb[F["id"]] = TS; next }
	EV == "mm_migrate_copy_end" { if (F["id"] in cb) copy += TS - cb[F["id"]]; next }
	EV == "mtcopy_worker_begin" { wb[F["id"] "," F["worker"]] = TS; next }
	EV == "mtcopy_worker_end" {
		k = F["id"] "," F["worker"]
		if (k in wb) { busy[l3[F["cpu"] + 0]] += TS - wb[k]; total += TS - wb[k] }
		next
	}
	END {
		printf "copy_fraction %s\n", (mp > 0 ? sprintf("%.4f", copy / mp) : "")
		for (l in first) printf "l3 %s %.0f %.4f %d\n", l, busy[l] * 1e9, (total > 0 ? busy[l] / total : 0), first[l]
	}' | sort -k5,5n
}

# the L3 domains of the run (column names), from the first trace
first=$(awk '$5 == "ok" { print $1; exit }' "$pts")
[ -n "$first" ] || { echo "sweep-mtcopy: no successful point" >&2; exit 1; }
doms=$(fallback "$out/points/$first/trace.dat" | awk '$1 == "l3" { print $2 }')
have_report=0 have_ccd=0
if [ -x "$migscope" ]; then
	"$migscope" report --json "$out/points/$first/trace.dat" 2>/dev/null |
		jq -e '.copy_fraction | numbers' >/dev/null 2>&1 && have_report=1
	"$migscope" ccd --json "$out/points/$first/trace.dat" 2>/dev/null |
		jq -e '.l3_domains[0].share | numbers' >/dev/null 2>&1 && have_ccd=1
fi
src_cf=$([ $have_report = 1 ] && echo "analyzer/migscope report --json .copy_fraction" || echo "fallback: computed by bench/sweep-mtcopy.sh from trace-cmd report (analyzer/migscope report --json has no .copy_fraction here)")
src_l3=$([ $have_ccd = 1 ] && echo "analyzer/migscope ccd --json .l3_domains[].share" || echo "fallback: computed by bench/sweep-mtcopy.sh from trace-cmd report (analyzer/migscope ccd --json has no .l3_domains here)")
echo "sweep-mtcopy: copy_fraction from $src_cf"
echo "sweep-mtcopy: L3 shares from $src_l3"

csv=$out/sweep-mtcopy.csv
rows=$out/.rows
: >"$rows"
: >"$out/.fallbacks"
header="folio_size,threads,policy,gbps,copy_fraction"
for d in $doms; do header="$header,l3_$d"; done
n=$(awk '$5 == "ok"' "$pts" | wc -l)
i=0
while read -r pt fs t p status secs; do
	[ "$status" = ok ] || { echo "sweep-mtcopy: $pt: failed in the guest, no row"; continue; }
	i=$((i + 1))
	dat=$out/points/$pt/trace.dat
	gbps=$(jq -r .gbps "$out/points/$pt/migbench.json")
	fb=$(fallback "$dat")
	cf=
	[ $have_report = 1 ] &&
		cf=$("$migscope" report --json "$dat" 2>/dev/null | jq -r '.copy_fraction // empty' 2>/dev/null)
	if [ -z "$cf" ]; then
		cf=$(echo "$fb" | awk '$1 == "copy_fraction" { print $2 }')
		[ $have_report = 1 ] && echo "sweep-mtcopy: $pt: analyzer report failed, copy_fraction from trace-cmd report" &&
			echo "$pt copy_fraction: fallback" >>"$out/.fallbacks"
	fi
	cj=
	[ $have_ccd = 1 ] && cj=$("$migscope" ccd --json "$dat" 2>/dev/null)
	shares=
	for d in $doms; do
		s=
		[ -n "$cj" ] && s=$(echo "$cj" | jq -r --arg c "$d" '.l3_domains[] | select(.cpus == $c) | .share // empty' 2>/dev/null)
		if [ -z "$s" ]; then
			s=$(echo "$fb" | awk -v c="$d" '$1 == "l3" && $2 == c { print $4 }')
			[ $have_ccd = 1 ] && echo "$pt l3_$d: fallback" >>"$out/.fallbacks"
		fi
		shares="$shares,${s:-0}"
	done
	echo "$fs,$t,$p,$gbps,$cf$shares" >>"$rows"
	echo "sweep-mtcopy: [$i/$n] $fs threads=$t policy=$p: $gbps GB/s, copy fraction $cf, L3 busy shares ${shares#,} ($label)"
done <"$pts"

# sort: folio size (bytes), policy, threads
{
	echo "# mtcopy sweep, $label: compare ratios within one run only"
	echo "$header"
	awk -F, '{
		s = $1; m = 1
		if (s ~ /K$/) m = 1024; else if (s ~ /M$/) m = 1048576
		sub(/[KM]$/, "", s)
		printf "%012d\t%s\t%04d\t%s\n", s * m, $3, $2, $0
	}' "$rows" | sort | cut -f4
} >"$csv"
rm -f "$rows"

sizes=$(awk -F, 'NR > 2 && !seen[$1]++ { printf "%s ", $1 }' "$csv")
policies=$(awk -F, 'NR > 2 && !seen[$3]++ { printf "%s ", $3 }' "$csv")
if gnuplot -e "file='$csv'; out='$out/placement.png'; sizes='$sizes'; policies='$policies'; note='$label'" \
	"$top/plots/placement.gp" 2>"$out/gnuplot.log"; then
	echo "sweep-mtcopy: plot $out/placement.png"
else
	echo "sweep-mtcopy: gnuplot failed: $(head -n 5 "$out/gnuplot.log")"
fi
{
	echo "copy_fraction: $src_cf"
	echo "l3 shares: $src_l3"
	[ -s "$out/.fallbacks" ] && sed 's/^/computed from trace-cmd report instead (analyzer call failed): /' "$out/.fallbacks"
} >"$out/sources.txt"
rm -f "$out/.fallbacks"
{
	echo "mtcopy sweep - $label: compare ratios within one run only"
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "command: bench/sweep-mtcopy.sh${*:+ -- $*}"
	echo "migscope: $(migscope_version)"
	sed 's/^/kernel: /' "${BUILD:-$top/build}/kernel-out/version.txt" 2>/dev/null
	echo "testbed: --layout 8cpu-4l3 (8 vCPUs, -cpu EPYC, TCG; L3 domains $(echo $doms))"
	echo "qemu: $(qemu-system-x86_64 --version | head -n 1)"
	echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "points: $(wc -l <"$pts") ($(grep -c ' ok ' "$pts") ok); see points/points.txt"
	cat "$out/sources.txt"
	echo "files: sweep-mtcopy.csv (rows by folio size, policy, threads), placement.png, points/POINT/{trace.dat,migbench.json}"
} >"$out/README"
echo "sweep-mtcopy: wrote $csv ($((n)) rows) in $(($(date +%s) - T0)) s; $label"
