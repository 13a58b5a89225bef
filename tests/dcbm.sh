#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/dcbm.sh - the dcbm DMA migrator over the swdma software DMA engine
# in the testbed, in ONE boot of the default 2node layout (4 vCPUs, nodes
# 0 {0-1} and 1 {2-3} with memory). The guest runs (dcbm-suite):
#   dcbm-controls   every control of dcbm and swdma, bad values rejected
#                   and unchanged, good ones taken; EBUSY with mtcopy
#                   registered; min_folios/min_bytes/channels and a missing
#                   engine do what they say (declines counted)
#   dcbm-integrity  channels 1 2 4 8 16 x every folio size 4K..2M: bytes
#                   verified, every batch copied by DMA, channels, maps,
#                   descriptors and counters accounted, no warning
#   dcbm-faults     fail_every 1, 3, 17; reorder; latency; drop_every with
#                   timeout_ms=100, then recovery: every page verified,
#                   every failed batch fell back to the CPU, the counters
#                   add up to the folios migrated and to the core's
#                   mm_migrate_copy_dispatch / copy_end events
#   dcbm-unload     20 x rmmod dcbm, rmmod swdma, modprobe both while
#                   migrations run; then 5 x rmmod swdma under dcbm
# Here, on the host:
#   - every scenario ran to its end: its "N passed, N failed" counts are
#     added to ours;
#   - the console has no WARNING:, BUG:, Oops or Call Trace (this layout has
#     no llc-sibling warning; one would be ignored as for 8cpu-4l3).
# Results are from an emulated machine (qemu TCG) with a software DMA
# engine. Prints "dcbm: N passed, N failed" last; exit status non-zero on
# failure.
#
# usage: tests/dcbm.sh [-- SCENARIO[:ARG:ARG]...]   (mtcopy-suite syntax,
#        e.g. -- dcbm-controls dcbm-unload:--rounds:5)
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), DCBM_OUT (results,
# default $BUILD/testbed/dcbm), DCBM_TIMEOUT (seconds, default 900).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=${DCBM_OUT:-${BUILD:-$top/build}/testbed/dcbm}
timeout_s=${DCBM_TIMEOUT:-900}
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || set -- dcbm-controls dcbm-integrity dcbm-faults dcbm-unload
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
ko() { fail=$((fail + 1)); echo "FAIL  $1: $2"; }
finish() {
	echo "dcbm: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

# follow FILE PID: print the guest's failures and summaries while PID runs
follow() {
	local seen=0 n
	while kill -0 "$2" 2>/dev/null; do
		sleep 3
		[ -f "$1" ] || continue
		n=$(wc -l <"$1")
		if [ "$n" -gt "$seen" ]; then
			sed -n "$((seen + 1)),${n}p" "$1" | tr -d '\r' |
				grep -E '^(mtcopy|dcbm)-[a-z]+: (FAIL|[0-9]+ passed)|^scenario: (suite|FAILED)' |
				sed 's/^/  guest: /'
			seen=$n
		fi
	done
	[ -f "$1" ] && sed -n "$((seen + 1)),\$p" "$1" | tr -d '\r' |
		grep -E '^(mtcopy|dcbm)-[a-z]+: (FAIL|[0-9]+ passed)|^scenario: (suite|FAILED)' |
		sed 's/^/  guest: /'
}

# console_check FILE: WARNING/BUG/Oops/Call Trace lines outside the first
# llc-sibling topology warning block (the "cut here" line before it to the
# "end trace" line after it); the last line is "known N"
console_check() {
	tr -d '\r' <"$1" | awk '
	{ line[NR] = $0 }
	END {
		known = 0
		for (i = 1; i <= NR && !known; i++) {
			if (line[i] !~ /llc-sibling CPU #[0-9]+ is not on the same node/) continue
			if (line[i + 1] !~ /WARNING: .*topology_sane/) continue
			s = i; while (s > 1 && s > i - 3 && line[s] !~ /cut here/) s--
			e = i; while (e < NR && e < i + 60 && line[e] !~ /---\[ end trace/) e++
			for (k = s; k <= e; k++) skip[k] = 1
			known = 1
		}
		for (i = 1; i <= NR; i++)
			if (!skip[i] && line[i] ~ /WARNING:|BUG:|Oops|Call Trace/) print i ": " line[i]
		print "known " known
	}'
}

mkdir -p "$out"
run=$out/run
echo "dcbm: booting the testbed (2node; results in $run); emulated machine (qemu TCG), software DMA engine"
t0=$(date +%s)
"$top/testbed/run" --timeout "$timeout_s" --out "$run" dcbm-suite "$@" \
	>"$out/testbed-run.log" 2>&1 &
pid=$!
follow "$run/console.log" "$pid"
wait "$pid"
rc=$?
echo "dcbm: testbed/run exited $rc after $(($(date +%s) - t0)) s (log: $out/testbed-run.log)"

# ---- the guest's results
gfail=0
for s in "$@"; do
	name=${s%%:*}
	res=$run/$name.txt
	summary=$(tail -n 1 "$res" 2>/dev/null)
	if ! echo "$summary" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
		ko "$name" "did not finish (last line of $res: '${summary:-none}'; see $run/console.log)"
		gfail=$((gfail + 1))
		continue
	fi
	gp=${summary%% *}
	gf=$(echo "$summary" | awk '{ print $3 }')
	pass=$((pass + gp))
	fail=$((fail + gf))
	gfail=$((gfail + gf))
	echo "dcbm: guest $name: $gp passed, $gf failed"
	[ "$gf" -eq 0 ] || grep '^FAIL' "$res" | head -n 20 | sed 's/^/  /'
done
if [ "$rc" -eq 0 ] || [ "$gfail" -gt 0 ]; then
	ok "testbed/run exit $rc matches the scenarios"
else
	ko testbed-run "exit $rc with no failed guest check (see $out/testbed-run.log)"
fi

# ---- the console
if [ ! -s "$run/console.log" ]; then
	ko console "no $run/console.log (see $out/testbed-run.log)"
	finish
fi
cc=$(console_check "$run/console.log")
known=$(echo "$cc" | sed -n 's/^known //p')
bad=$(echo "$cc" | grep -v '^known ')
if [ -z "$bad" ]; then
	ok "console: no WARNING/BUG/Oops/Call Trace (known llc-sibling warning blocks ignored: ${known:-0})"
else
	ko console "the guest kernel complained ($(echo "$bad" | wc -l) lines; see $run/console.log):"
	echo "$bad" | head -n 20 | sed 's/^/  /'
fi
finish
