#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/paths.sh - every migration path of the kernel, by reason (boots
# qemu once with the tier layout: nodes 0 and 1 with CPUs, node 2 a
# CPU-less slow tier described by an ACPI HMAT). The paths scenario
# records each path on its own (testbed/scenarios/paths.sh): move_pages,
# mbind, migrate_pages, NUMA-hinting faults, promotion, demotion and
# compaction, and compaction once more with the upstream preset (the trace
# of a kernel without the series). Here, for each path:
#   - migbench verified every byte and page (the scenario fails otherwise)
#     and `migscope report --json` reads the trace with nothing missing;
#   - the path really migrated: its own vmstat counter moved during the
#     recording (vmstat.before/after, taken inside it);
#   - the trace's pages of the path's reason equal that counter's delta:
#     pgmigrate_success (syscalls, compaction), numa_pages_migrated
#     (NUMA faults, promotion), pgdemote_kswapd + _direct + _khugepaged
#     (demotion); and all reasons together (outermost + nested calls)
#     equal the pgmigrate_success delta;
#   - the system-call paths show exactly one syscall of their kind;
#   - promotion counted pgpromote_success, compaction moved pages;
#   - the guest kernel logged no WARNING/BUG/Oops.
# A second boot (2node layout) runs the offload-reasons scenario: the
# control's values (in the guest), then with mtcopy registered: a reason
# left out of offload_reasons gets zero mtcopy dispatches in the trace and
# all its batches counted as declined (cause reason), an enabled one has
# every batch offloaded; NUMA-hinting faults are declined by default.
# Two more boots of the tier layout run every path with each migrator and
# offload_reasons=all: mtcopy, and dcbm over the swdma software engine.
# Every path moves and verifies every byte (in the guest), the migrator
# copied batches of the path's reason, and every batch with a copy
# dispatch went to it (with dcbm: or was declined, busy).
# memory offline: a movable pc-dimm on node 1 (testbed/run --hotplug), the
# blocks holding migbench's region offlined while its rw thread runs:
# reason memory_hotplug's pages equal pgmigrate_success, every region page
# moved. Then memory offline under migration (offline-busy), with mtcopy and
# with dcbm: move_pages loops to and from the node while its block goes
# offline; every run verified, the memory_hotplug batches handed to the
# migrator, no warning, lockdep splat or hung task.
# DAMON: DAMOS migrate_cold of the idle region and migrate_hot of the read
# one (node 0 to 1): reason damon's pages cover the region, and its bytes
# are at least what DAMOS says it applied (sz_applied; kdamond is stopped
# right after reading it), which covers the region too.
# Prints "paths: N passed, N failed".
#
# usage: tests/paths.sh
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), PATHS_OUT (results,
# default $BUILD/testbed/paths), PATHS_TIMEOUT (seconds, default 1200).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
suite=paths
. "$top/tests/lib-suite.sh"
out=${PATHS_OUT:-${BUILD:-$top/build}/testbed/paths}
timeout_s=${PATHS_TIMEOUT:-1200}
migscope=$top/analyzer/migscope
run=$out/run
all="move_pages mbind migrate_pages numa-fault compact compact@upstream promote demote damon-cold damon-hot"
layout="--layout tier --mem 3G"

suite_show() {
	tr -d '\r' | grep -E '^scenario: (----|FAILED)|^[a-z_@-]+ (ok|FAILED)$' |
		sed 's/^/  guest: /'
}

# vmd DIR NAME...: the sum of the vmstat deltas of NAME... over DIR's run
vmd() {
	local d=$1

	shift
	awk -v names=" $* " '
		FNR == NR { if (index(names, " " $1 " ")) b += $2; next }
		index(names, " " $1 " ") { a += $2 }
		END { print a - b }' "$d/vmstat.before" "$d/vmstat.after"
}

# jqr FILE FILTER [ARGS]: the filter's raw output
jqr() {
	local f=$1

	shift
	jq -r "$@" "$f" 2>/dev/null
}

# rsum FILE REASON EXPR: EXPR summed over REASON's by_reason rows (0: none)
rsum() {
	jqr "$1" --arg r "$2" "[.by_reason[] | select(.reason == \$r) | $3] | add // 0"
}

# the pages of REASON (outermost calls) in report JSON FILE
reason_pages() {
	rsum "$1" "$2" .pages_succeeded
}

# outermost and nested pages of every reason
all_pages() {
	jqr "$1" '([.by_reason[].pages_succeeded] | add // 0) +
		  ([.nested.by_reason[]?.pages] | add // 0)'
}

# eq NAME GOT WANT
eq() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		ok "$1 ($2)"
	else
		ko "$1" "got '${2:-none}', expected '$3'"
	fi
}

# gt NAME GOT MIN: GOT > MIN
gt() {
	if [ -n "$2" ] && [ "$2" -gt "$3" ] 2>/dev/null; then
		ok "$1 ($2)"
	else
		ko "$1" "got '${2:-none}', expected more than $3"
	fi
}

check_reason() {
	local p=$1 j=$2 d=$3 reason=$4 want

	shift 4
	want=$(vmd "$d" "$@")
	gt "$p: vmstat $* moved" "$want" 0
	eq "$p: trace pages of reason $reason = vmstat $*" \
		"$(reason_pages "$j" "$reason")" "$want"
}

# check_names PATH TRACE REASON: every mm_migrate_batch_begin prints its
# mode and reason by name (the MIGRATE_MODE/MIGRATE_REASON tables), and
# REASON's outermost batches are among those naming it
check_names() {
	local p=$1 t=$2 j=$3 reason=$4 lines

	lines=$(trace-cmd report "$t" 2>/dev/null | grep ' mm_migrate_batch_begin: ')
	[ -n "$lines" ] || { ko "$p: names" "no mm_migrate_batch_begin in $t"; return; }
	eq "$p: batch_begin names every mode and reason" \
		"$(printf '%s\n' "$lines" | grep -cv ' mode=MIGRATE_[A-Z_]* reason=[a-z_]* ')" 0
	gt "$p: batch_begin lines naming reason=$reason" \
		"$(printf '%s\n' "$lines" | grep -c " reason=$reason ")" \
		"$(($(rsum "$j" "$reason" '.batches') - 1))"
}

# check_damon PATH JSON DIR: reason damon against the region and DAMOS stats
check_damon() {
	local p=$1 j=$2 d=$3 m=$3/migbench.json pages applied ps

	pages=$(jqr "$m" '.pages')
	ps=$(jqr "$m" '.page_size')
	applied=$(jqr "$m" '.side_bytes')
	gt "$p: vmstat pgmigrate_success moved" "$(vmd "$d" pgmigrate_success)" 0
	gt "$p: reason damon's pages cover the region's $pages" \
		"$(reason_pages "$j" damon)" "$((pages - 1))"
	gt "$p: DAMOS sz_applied covers the region" "$applied" \
		"$((pages * ps - 1))"
	gt "$p: reason damon's bytes >= DAMOS sz_applied" \
		"$(($(reason_pages "$j" damon) * ps))" "$((applied - 1))"
}

check_syscall() {
	local p=$1 j=$2 kind=$3

	eq "$p: one $kind() syscall that migrated" \
		"$(jqr "$j" --arg k "$kind" '[.syscalls.by_syscall[] | select(.syscall == $k) | .count] | add // 0')" 1
}

check_path() {
	local p=$1 d=$run/$1 j=$run/$1/report.json

	if ! grep -qx "$p ok" "$run/paths.txt" 2>/dev/null; then
		ko "$p" "the path failed in the guest (see $run/console.log)"
		return
	fi
	if ! "$migscope" report --json "$d/trace.dat" >"$j" 2>"$d/report.err"; then
		ko "$p: report" "$(head -n 3 "$d/report.err")"
		return
	fi
	ok "$p: migscope report reads the trace"
	case $p in
	*@upstream)
		eq "$p: only the series' events are missing" \
			"$(jqr "$j" '[.missing_events[] | select(startswith("migrate_batch:") | not)] | length')" 0 ;;
	*)
		eq "$p: no event missing" "$(jqr "$j" '.missing_events | length')" 0 ;;
	esac
	eq "$p: all reasons' pages = vmstat pgmigrate_success" \
		"$(all_pages "$j")" "$(vmd "$d" pgmigrate_success)"
	case $p in
	*@upstream) ;;
	*) check_names "$p" "$d/trace.dat" "$j" "$(path_reason "$p")" ;;
	esac
	case ${p%@*} in
	move_pages)
		check_reason "$p" "$j" "$d" syscall_or_cpuset pgmigrate_success
		check_syscall "$p" "$j" move_pages ;;
	mbind)
		check_reason "$p" "$j" "$d" mempolicy_mbind pgmigrate_success
		check_syscall "$p" "$j" mbind ;;
	migrate_pages)
		check_reason "$p" "$j" "$d" syscall_or_cpuset pgmigrate_success
		check_syscall "$p" "$j" migrate_pages ;;
	numa-fault)
		check_reason "$p" "$j" "$d" numa_misplaced numa_pages_migrated ;;
	promote)
		check_reason "$p" "$j" "$d" numa_misplaced numa_pages_migrated
		gt "$p: vmstat pgpromote_success moved" \
			"$(vmd "$d" pgpromote_success)" 0 ;;
	demote)
		check_reason "$p" "$j" "$d" demotion \
			pgdemote_kswapd pgdemote_direct pgdemote_khugepaged ;;
	offline)
		check_reason "$p" "$j" "$d" memory_hotplug pgmigrate_success
		eq "$p: every region page moved, with the rw thread running" \
			"$(jqr "$d/migbench.json" '.moved_pages == .pages and .rw_mismatches == 0 and .rw_touches_during > 0')" true ;;
	damon-*)
		check_damon "$p" "$j" "$d" ;;
	compact)
		gt "$p: trace pages of reason compaction" \
			"$(reason_pages "$j" compaction)" 0
		gt "$p: vmstat compact_isolated moved" \
			"$(vmd "$d" compact_isolated)" 0
		eq "$p: migbench counted the region's moved pages" \
			"$(jqr "$d/migbench.json" '.moved_pages >= 0')" true ;;
	esac
	case $p in
	*@upstream)
		eq "$p: upstream events only (no batch)" \
			"$(jqr "$j" '[.by_reason[].batches] | add // 0')" 0 ;;
	esac
}

# mtcopy_dispatches TRACE: mtcopy:mtcopy_dispatch records in TRACE
mtcopy_dispatches() {
	trace-cmd report "$1" 2>/dev/null | grep -c ' mtcopy_dispatch: '
}

# check_gate NAME REASON WANT: in run NAME of offload-reasons, REASON's
# batches all WANT (offloaded or declined)
check_gate() {
	local n=$1 reason=$2 want=$3 d=$rrun/offload-reasons/$1 j b

	j=$d/report.json
	if ! "$migscope" report --json "$d/trace.dat" >"$j" 2>"$d/report.err"; then
		ko "gate $n: report" "$(head -n 3 "$d/report.err")"
		return
	fi
	b=$(rsum "$j" "$reason" '.batches')
	gt "gate $n: batches of $reason" "$b" 0
	if [ "$want" = declined ]; then
		eq "gate $n: every $reason batch declined for its reason" \
			"$(rsum "$j" "$reason" '.declined_batches.reason')" "$b"
		eq "gate $n: no $reason batch offloaded" \
			"$(rsum "$j" "$reason" '.offloaded_batches')" 0
		eq "gate $n: zero mtcopy dispatches in the trace" \
			"$(mtcopy_dispatches "$d/trace.dat")" 0
	else
		eq "gate $n: every $reason batch offloaded to mtcopy" \
			"$(rsum "$j" "$reason" '.offloaded_batches')" "$b"
		eq "gate $n: none declined" \
			"$(jqr "$j" '.copy_dispatch.declined | add')" 0
		eq "gate $n: one mtcopy dispatch per batch" \
			"$(mtcopy_dispatches "$d/trace.dat")" "$b"
	fi
}

# check_callers: run size of offload-reasons: dcbm at min_bytes=2M (the
# migscope:migrate marker) and a move_pages of P pages in batches of
# batch_max_pages B (migbench.json): the last batch, of P mod B pages, is
# the only one below the threshold, and the one dcbm declined for its size
check_callers() {
	local d=$rrun/offload-reasons/size j m pages bmax ps want_b rest

	j=$d/report.json
	m=$d/migbench.json
	if ! "$migscope" report --json "$d/trace.dat" >"$j" 2>"$d/report.err"; then
		ko "callers: report" "$(head -n 3 "$d/report.err")"
		return
	fi
	pages=$(jqr "$m" '.pages')
	bmax=$(jqr "$m" '.batch_max_pages')
	ps=$(jqr "$m" '.page_size')
	want_b=$(((pages + bmax - 1) / bmax))
	rest=$((pages % bmax))
	gt "callers: a last batch smaller than batch_max_pages" "$rest" 0
	eq "callers: threshold from the marker" \
		"$(jqr "$j" '.threshold | "\(.from) \(.migrator) \(.min_bytes)"')" \
		"migscope:migrate marker (at record start) dcbm 2097152"
	eq "callers: syscall batches = ceil(pages / batch_max_pages)" \
		"$(rsum "$j" syscall_or_cpuset '.batches')" "$want_b"
	eq "callers: every batch judged" \
		"$(rsum "$j" syscall_or_cpuset '.callers.judged_batches')" "$want_b"
	eq "callers: one batch below 2 MiB" \
		"$(rsum "$j" syscall_or_cpuset '.callers.below_batches')" 1
	eq "callers: its bytes = (pages mod batch_max_pages) * page size" \
		"$(rsum "$j" syscall_or_cpuset '.callers.below_bytes')" \
		"$((rest * ps))"
	eq "callers: judged bytes = pages * page size" \
		"$(rsum "$j" syscall_or_cpuset '.callers.judged_bytes')" \
		"$((pages * ps))"
	eq "callers: the batch dcbm declined for its size" \
		"$(rsum "$j" syscall_or_cpuset '.declined_batches.size')" 1
	eq "callers: syscall_or_cpuset is offloaded" \
		"$(jqr "$j" '[.by_reason[] | select(.reason == "syscall_or_cpuset") | .callers.offload] | .[0]')" true
	if "$migscope" report "$d/trace.dat" 2>/dev/null |
	   grep -q '^callers (threshold from migscope:migrate marker (at record start), migrator dcbm: min_folios 0, min_bytes 2097152;'; then
		ok "callers: the text report's section names the threshold"
	else
		ko "callers: text" "no callers line naming dcbm's threshold"
	fi
}

# the reason each path's own migrations run with
path_reason() {
	case ${1%@*} in
	move_pages|migrate_pages) echo syscall_or_cpuset ;;
	mbind) echo mempolicy_mbind ;;
	numa-fault|promote) echo numa_misplaced ;;
	demote) echo demotion ;;
	offline) echo memory_hotplug ;;
	damon-*) echo damon ;;
	compact) echo compaction ;;
	esac
}

# check_migrator_paths MIGRATOR RUN: every path of RUN, copied by MIGRATOR
check_migrator_paths() {
	local m=$1 r=$2 p d j reason b off dec

	for p in $mpaths; do
		d=$r/$p
		j=$d/report.json
		if ! grep -qx "$p ok" "$r/paths.txt" 2>/dev/null; then
			ko "$m $p" "the path failed in the guest (see $r/console.log)"
			continue
		fi
		ok "$m $p: moved, every byte verified"
		if ! "$migscope" report --json "$d/trace.dat" >"$j" 2>"$d/report.err"; then
			ko "$m $p: report" "$(head -n 3 "$d/report.err")"
			continue
		fi
		reason=$(path_reason "$p")
		b=$(rsum "$j" "$reason" '.batches')
		off=$(rsum "$j" "$reason" '.offloaded_batches')
		dec=$(rsum "$j" "$reason" '.declined_batches | add')
		gt "$m $p: batches of $reason" "$b" 0
		# a compaction run can find nothing to move (no page migrated,
		# no copy dispatched): then there is nothing to offload either
		if [ "$(reason_pages "$j" "$reason")" -gt 0 ]; then
			gt "$m $p: $reason batches offloaded to $m" "$off" 0
		else
			eq "$m $p: no $reason page migrated, no copy dispatched" \
				"$(jqr "$j" '.copy_dispatch.count')" 0
		fi
		# every batch with a copy dispatch went to the migrator (batches
		# whose folios all failed to unmap have nothing to dispatch);
		# dcbm may decline one when no channel is free (busy)
		if [ "$m" = mtcopy ]; then
			eq "$m $p: no batch copied by anyone else" \
				"$(jqr "$j" --arg m "$m" '[.by_migrator[] | select(.migrator != "none" and .migrator != $m)] | length')" 0
			eq "$m $p: none declined" "$dec" 0
		else
			eq "$m $p: batches not copied by $m were declined" \
				"$(jqr "$j" --arg m "$m" '[.by_migrator[] | select(.migrator != "none" and .migrator != $m) | .batches] | add // 0')" \
				"$(jqr "$j" '.copy_dispatch.declined | add')"
		fi
	done
}

mkdir -p "$out"
echo "paths: booting the testbed, tier layout (results in $run)"
# shellcheck disable=SC2086
boot_suite "$out" "$run" $layout --timeout "$timeout_s" paths $all
if [ ! -s "$run/paths.txt" ]; then
	ko scenario "no $run/paths.txt: $(tail -n 5 "$out/testbed-run.log" | tr '\n' ' ')"
	finish
fi
eq "every path ran" "$(wc -l <"$run/paths.txt")" "$(echo $all | wc -w)"
for p in $all; do
	check_path "$p"
done
console_results "$out" "$run"

rrun=$out/reasons
echo "paths: booting the testbed for offload-reasons (results in $rrun)"
boot_suite "$out" "$rrun" --timeout "$timeout_s" offload-reasons
guest_results "$out" "$rrun" offload-reasons
check_gate off syscall_or_cpuset declined
check_gate on syscall_or_cpuset offloaded
check_gate numa numa_misplaced declined
check_callers
console_results "$out" "$rrun"

# promote first: while node 0 has plenty of free memory, the tiering code
# promotes on the first hint fault (pgdat_free_space_enough()); later the
# 1 s hot threshold of the hint-fault latency decides, which TCG timing
# can miss (560 of 2048 folios not promoted in 300 s once, after compact
# and demote had run)
mpaths="promote move_pages mbind migrate_pages numa-fault compact demote damon-cold damon-hot"
for m in mtcopy dcbm; do
	mrun=$out/with-$m
	case $m in
	mtcopy) margs="-m mtcopy:min_bytes=0" ;;
	dcbm) margs="-m swdma -m dcbm:channels=2" ;;
	esac
	echo "paths: booting the testbed, every path with $m (results in $mrun)"
	# shellcheck disable=SC2086
	boot_suite "$out" "$mrun" $layout --timeout "$timeout_s" \
		paths $margs -r all $mpaths
	check_migrator_paths "$m" "$mrun"
	console_results "$out" "$mrun"
done

# memory offline, 2node layout with a movable DIMM on node 1: the region's
# blocks go offline and their pages to node 0, with the kernel's copy,
# mtcopy, and dcbm over swdma
for m in kernel mtcopy dcbm; do
	orun=$out/offline-$m
	case $m in
	kernel) margs= ;;
	mtcopy) margs="-m mtcopy:min_bytes=0 -r all" ;;
	dcbm) margs="-m swdma -m dcbm:channels=2 -r all" ;;
	esac
	echo "paths: booting the testbed, memory offline with $m (results in $orun)"
	# shellcheck disable=SC2086
	boot_suite "$out" "$orun" --hotplug 512M@1 --timeout "$timeout_s" \
		paths $margs offline
	if [ "$m" = kernel ]; then
		run=$orun check_path offline
	else
		mpaths=offline check_migrator_paths "$m" "$orun"
	fi
	console_results "$out" "$orun"
done

# memory offline while move_pages loops migrate to and from the node, with
# each migrator (offline-busy: its checks are the guest's)
for m in mtcopy dcbm; do
	brun=$out/offline-busy-$m
	case $m in
	mtcopy) margs="-m mtcopy:min_bytes=0" ;;
	dcbm) margs="-m swdma -m dcbm:channels=2" ;;
	esac
	echo "paths: booting the testbed, memory offline under migration with $m (results in $brun)"
	# shellcheck disable=SC2086
	boot_suite "$out" "$brun" --hotplug 512M@1 --timeout "$timeout_s" \
		offline-busy $margs
	guest_results "$out" "$brun" offline-busy
	console_results "$out" "$brun"
done
finish
