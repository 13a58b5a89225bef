#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/integrity.sh - migration integrity in the testbed (boots qemu once,
# about a minute under TCG): the integrity scenario migrates every folio
# size (4K..2M) x {legacy, batch} copy x {anon, shmem} with migbench's
# concurrent reader/writer, and checks every byte, every page's node, every
# folio's size and the vmstat pgmigrate counters (testbed/scenarios/
# integrity.sh). Here, on the host:
#   - the scenario ran to its end and wrote its result line;
#   - the matrix is complete (one line per point), and the four
#     held-reference points (migbench --hold-refs, --retry 0 and 2) ran;
#   - the guest kernel logged no WARNING:, BUG:, Oops or Call Trace on the
#     console (the 2node layout has no llc-sibling warning: any is a failure).
# A kernel without /sys/kernel/mm/migrate/batch_copy fails (the guest says
# why). Prints the guest's lines as they come, then
# "integrity: N passed, N failed" (guest checks + host checks).
#
# usage: tests/integrity.sh [-- SCENARIO ARGS]   (e.g. -- --size 16M)
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), INTEGRITY_OUT
# (results directory, default $BUILD/testbed/integrity),
# INTEGRITY_TIMEOUT (seconds, default 1800).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
suite=integrity
. "$top/tests/lib-suite.sh"
out=${INTEGRITY_OUT:-${BUILD:-$top/build}/testbed/integrity}
timeout_s=${INTEGRITY_TIMEOUT:-1800}
[ "${1:-}" = -- ] && shift

# the guest's integrity lines, as ours
suite_show() {
	tr -d '\r' | grep '^integrity: ' | sed 's/^integrity: /  guest: /'
}

mkdir -p "$out"
echo "integrity: booting the testbed (results in $out/run)"
boot_suite "$out" "$out/run" --timeout "$timeout_s" integrity "$@"

res=$out/run/integrity.txt
con=$out/run/console.log
if [ ! -s "$res" ]; then
	ko scenario "no $res: $(tail -n 5 "$out/testbed-run.log" | tr '\n' ' ')"
	finish
fi
summary=$(tail -n 1 "$res")
if ! echo "$summary" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
	ko scenario "the scenario did not finish: last line of $res: $summary"
	finish
fi
gp=${summary%% *}
gf=$(echo "$summary" | awk '{ print $3 }')
pass=$((pass + gp))
fail=$((fail + gf))
echo "integrity: guest: $gp passed, $gf failed (details: $res)"
[ "$gf" -eq 0 ] || grep '^FAIL' "$res" | sed 's/^/  /'

# the whole matrix ran: one line per point (or per point of the fallback
# matrix without batch_copy, which is a failure of its own in the guest)
points=$(grep -cE '^(ok|FAIL)  +[0-9]+[KM] (anon|shmem) (legacy|batch|default):' "$res")
want=$(grep -q '^FAIL  batch-copy:' "$res" && echo 18 || echo 36)
if [ $# -gt 0 ]; then
	ok "matrix: $points points (scenario arguments given: size not checked)"
elif [ "$points" -eq "$want" ]; then
	ok "matrix: $points points"
else
	ko matrix "$points points in $res, expected $want"
fi

# the held-reference points: 4K and 64K anon, --retry 0 and 2
held=$(grep -cE '^(ok|FAIL)  +held-[0-9]+K-retry[02]:' "$res")
if [ $# -gt 0 ]; then
	ok "held references: $held points (scenario arguments given: count not checked)"
elif [ "$held" -eq 4 ]; then
	ok "held references: 4 points"
else
	ko held "$held held-reference points in $res, expected 4"
fi

if [ "$rc" -eq 0 ] || [ "$gf" -gt 0 ]; then
	ok "testbed/run exit $rc matches the scenario"
else
	ko testbed-run "exit $rc with no failed guest check (see $out/testbed-run.log)"
fi

bad=$(console_bad "$con")
if [ -z "$bad" ]; then
	ok "console: no WARNING/BUG/Oops/Call Trace/hung task"
else
	ko console "the guest kernel complained ($(echo "$bad" | wc -l) lines; see $con):"
	echo "$bad" | head -n 20 | sed 's/^/  /'
fi
finish
