#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/run.sh FUZZER CORPUS WORKDIR SECONDS - run the libFuzzer target for
# SECONDS from the committed CORPUS (read only: new inputs go to
# WORKDIR/corpus), then print executions, crashes and hangs, and a last
# line "fuzz: N passed, N failed" for scripts/run-tests.  A crash or an
# invariant broken leaves its input in WORKDIR (crash-*, timeout-*, oom-*)
# and fails.
set -u
fuzzer=$1 corpus=$2 work=$3 secs=$4
log=$work/fuzz.log

mkdir -p "$work/corpus"
rm -f "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*
echo "fuzz: $fuzzer for ${secs}s from $corpus ($(ls "$corpus" | wc -l) seeds), log $log"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/" \
	"$work/corpus" "$corpus" > "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
crashes=$(ls "$work"/crash-* "$work"/oom-* "$work"/leak-* 2>/dev/null | wc -l)
hangs=$(ls "$work"/timeout-* 2>/dev/null | wc -l)
echo "fuzz: ${runs:-0} executions in ${secs}s, $crashes crashes, $hangs hangs, corpus $(ls "$work/corpus" | wc -l) inputs"
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ]; then
	grep -E 'ERROR|invariant broken|runtime error|SUMMARY' "$log" | head -5
	for f in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do
		[ -e "$f" ] && echo "fuzz: input kept: $f"
	done
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
echo "fuzz: 1 passed, 0 failed"
