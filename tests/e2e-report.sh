#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end: boot the patched kernel in the testbed, run migbench under
# migscope-record (phases preset), and check `migscope report` against
# migbench's own figures. Then the same with the upstream preset, the shape
# of a trace from a kernel without the series, and migbench's mbind and
# migrate_pages(2) drivers.
#
#   E2E_PAGES=N   pages to migrate (default 32768, 128 MiB)

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib-console.sh"
build=${BUILD:-$top/build}
migscope=$top/analyzer/migscope
pages=${E2E_PAGES:-32768}
phases="unmap flush move undo"
pass=0
fail=0

t() {
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok: $2"
	else
		fail=$((fail + 1))
		echo "FAIL: $2"
	fi
}

# jq_true FILE [JQ OPTIONS] FILTER: the filter yields true
jq_true() {
	local f=$1

	shift
	[ "$(jq -r "$@" "$f" 2>/dev/null)" = true ]
	echo $?
}

run_testbed() {
	local out=$1

	shift
	rm -rf "$out"
	"$top/testbed/run" --out "$out" "$@"
}

# The guest's kernel log must hold no warning, BUG or oops.
check_console() {
	local log=$1/console.log

	if console_bad "$log" | grep .; then
		t 1 "no WARN/BUG in the guest kernel log ($log)"
	else
		t 0 "no WARN/BUG in the guest kernel log"
	fi
}

check_phases_run() {
	local out=$build/runs/e2e-phases j m sec ph
	local args=(migbench --pages "$pages" --from 0 --to 1)

	echo "--- phases preset: ${args[*]}"
	run_testbed "$out" "${args[@]}"
	t $? "testbed run: migbench $pages pages, node 0 -> 1, recorded"
	m=$out/migbench.json
	[ -s "$m" ] || { t 1 "migbench.json present"; return; }
	check_console "$out"

	j=$out/report.json
	"$migscope" report --json "$out/trace.dat" > "$j"
	t $? "migscope report --json exits 0"
	"$migscope" report "$out/trace.dat" > "$out/report.txt"
	t $? "migscope report (text) exits 0"
	cat "$out/report.txt"

	t "$(jq_true "$j" '.series == true')" "the trace has the series' events"
	t "$(jq -n --slurpfile r "$j" --slurpfile m "$m" \
		'$r[0].calls.pages_succeeded == $m[0].pages' | grep -qx true; echo $?)" \
		"pages migrated: analyzer $(jq .calls.pages_succeeded "$j") = migbench $(jq .pages "$m")"
	t "$(jq -n --slurpfile r "$j" --slurpfile m "$m" \
		'$r[0].calls.bytes == $m[0].bytes' | grep -qx true; echo $?)" \
		"bytes migrated: analyzer $(jq .calls.bytes "$j") = migbench $(jq .bytes "$m")"
	t "$(jq_true "$j" '.calls.pages_failed == 0')" "no failed pages"
	for ph in $phases; do
		t "$(jq_true "$j" "[.phases[] | select(.phase == \"$ph\" and .count > 0)] | length == 1")" \
			"phase '$ph' appears ($(jq "[.phases[] | select(.phase == \"$ph\")][0].count" "$j") times)"
		grep -q "^ *$ph " "$out/report.txt"
		t $? "phase '$ph' is a row of the text report"
	done
	t "$(jq_true "$j" '[.phases[] | select(.phase == "move")][0].pages == .calls.pages_succeeded')" \
		"the move phase moved every migrated page"
	grep -q '^ *unattributed ' "$out/report.txt"
	t $? "the text report shows unattributed time"
	t "$(jq_true "$j" '.unattributed.total_ns >= 0 and
		.unattributed.total_ns + .nested.total_ns
		+ ([.phases[].total_ns] | add) == .calls.total_ns')" \
		"phases + nested calls + unattributed = migrate_pages() total"
	t "$(jq_true "$j" '.calls.total_ns <= .syscalls.total_ns')" \
		"migrate_pages() time lies within the move_pages() syscall"

	# The analyzer's time for the move_pages() call against migbench's
	# CLOCK_MONOTONIC around the same syscall: within 5% above 10 ms.
	sec=$(jq .seconds "$m")
	if jq -e '.seconds > 0.010' "$m" >/dev/null; then
		t "$(jq -n --slurpfile r "$j" --argjson s "$sec" \
			'($r[0].syscalls.total_ns / 1e9 - $s) / $s | fabs <= 0.05' |
			grep -qx true; echo $?)" \
			"call time: analyzer $(jq '.syscalls.total_ns / 1e6' "$j") ms vs migbench $(jq '.seconds * 1e3' "$m") ms (within 5%)"
	else
		t 1 "migbench's call took ${sec}s, under 10 ms: raise E2E_PAGES"
	fi
	t "$(jq_true "$j" '.syscalls.count == 1 and .calls.count >= 1')" \
		"one move_pages() syscall, $(jq .calls.count "$j") migrate_pages() call(s)"

	t "$(jq_true "$j" --arg rel "$(cat "$(dirname "${MIGSCOPE_KERNEL:-${MIGSCOPE_KERNEL_OUT:-$build/kernel-out}/bzImage}")/release")" \
		'.kernel.release == $rel')" \
		"report names the kernel: $(jq -r .kernel.release "$j")"
	t "$(jq_true "$j" '.environment.emulated != null')" \
		"timings labelled as emulated: $(jq -r .environment.timing_label "$j")"
	grep -qi 'emulated' "$out/report.txt"
	t $? "the text report labels the timings as emulated"
	t "$(jq_true "$j" '(.topology.nodes | length) >= 2 and (.topology.l3_domains | length) >= 2')" \
		"topology: $(jq '.topology.nodes | length' "$j") nodes, $(jq '.topology.l3_domains | length' "$j") L3 domains"
	t "$(jq_true "$j" '.unpaired.begin_without_end == 0 and .unpaired.end_without_begin == 0')" \
		"every begin has its end"

	"$migscope" report --csv "$out/trace.dat" > "$out/report.csv"
	t $? "migscope report --csv exits 0"
	t "$([ "$(grep -cE '^(unmap|flush|move|undo|unattributed),' "$out/report.csv")" -eq 5 ]; echo $?)" \
		"CSV has a row per phase and unattributed"
}

check_upstream_run() {
	local out=$build/runs/e2e-upstream j m

	echo "--- upstream preset (no series events recorded)"
	run_testbed "$out" upstream --pages 4096 --from 0 --to 1
	t $? "testbed run with the upstream preset"
	m=$out/migbench.json
	[ -s "$m" ] || { t 1 "migbench.json present"; return; }
	j=$out/report.json
	"$migscope" report --json "$out/trace.dat" > "$j"
	t $? "report on an upstream-only trace exits 0"
	t "$(jq_true "$j" '.series == false and (.missing_events | length) > 0')" \
		"the report says which events are missing"
	t "$(jq_true "$j" '.record_hint | test("migrate_batch")')" \
		"and how to record them: $(jq -r .record_hint "$j")"
	t "$(jq -n --slurpfile r "$j" --slurpfile m "$m" \
		'$r[0].calls.pages_succeeded == $m[0].pages' | grep -qx true; echo $?)" \
		"per-call page count without the series: $(jq .calls.pages_succeeded "$j")"
}

# migbench --driver mbind|migrate_pages (phases preset, which records every
# migrating syscall): the syscall layer names the syscall, nothing is
# reported missing, and the trace's pages of the syscall's migrate reason
# are what /proc/vmstat counted around the call (pgmigrate_success).
check_driver_run() {
	local driver=$1 reason=$2 out=$build/runs/e2e-$1 j m

	echo "--- migbench --driver $driver"
	run_testbed "$out" migbench --driver "$driver" --pages 2048 --from 0 --to 1
	t $? "testbed run with migbench --driver $driver"
	m=$out/migbench.json
	[ -s "$m" ] || { t 1 "migbench.json present"; return; }
	j=$out/report.json
	"$migscope" report --json "$out/trace.dat" > "$j"
	t $? "report on a $driver trace exits 0"
	t "$(jq_true "$j" '.missing_events == [] and .record_hint == null')" \
		"$driver: no event reported missing"
	t "$(jq_true "$j" --arg d "$driver" \
		'[.syscalls.by_syscall[] | select(.syscall == $d and .count == 1)] | length == 1')" \
		"$driver: one $driver() syscall with a migration: $(jq -c .syscalls.by_syscall "$j")"
	t "$(jq -n --slurpfile r "$j" --slurpfile m "$m" --arg why "$reason" \
		'[$r[0].by_reason[] | select(.reason == $why)][0].pages_succeeded
		 == $m[0].pgmigrate_success' | grep -qx true; echo $?)" \
		"$driver: pages of reason $reason = vmstat pgmigrate_success ($(jq .pgmigrate_success "$m"))"
	t "$(jq -n --slurpfile r "$j" --slurpfile m "$m" --arg d "$driver" \
		'([$r[0].syscalls.by_syscall[] | select(.syscall == $d)][0].total_ns
		  / 1e9 - $m[0].seconds) / $m[0].seconds | fabs <= 0.1' |
		grep -qx true; echo $?)" \
		"$driver: syscall time within 10% of migbench's own"
	check_console "$out"
}

check_phases_run
check_upstream_run
check_driver_run mbind mempolicy_mbind
check_driver_run migrate_pages syscall_or_cpuset
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
