#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/overhead.sh - what the migscope tracepoints cost: migration
# throughput for 4K and 2M folios with (a) tracing off, (b) trace-cmd
# recording with the migscope events disabled, (c) the migrate_batch and
# upstream migrate events enabled, in ONE testbed boot (the overhead
# scenario, testbed/scenarios/overhead.sh); prints a progress line per run
# and a table of median GB/s with their run-to-run spread and the ratios
# b/a and c/a.
# Figures, not a test: nothing is asserted. The testbed is an emulated
# machine (qemu TCG): the ratios are meaningful within one run only.
# By default the guest runs with testbed/run --icount (single-threaded
# TCG, guest time counted in instructions): the three modes run the same
# single-threaded migration, so icount loses nothing here and removes the
# host's noise (5 identical runs on 2 host cores spread by 23 to 317 %
# under multi-threaded TCG, by 0.4 to 5.8 % under icount: results/overhead).
# --no-icount times in host time.
#
# usage: bench/overhead.sh [--no-icount] [--reps N] [--size SIZE]
#                          [--sizes "4K 2M"]
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), OVERHEAD_OUT
# (results directory, default $BUILD/bench/overhead), OVERHEAD_TIMEOUT
# (seconds, default 3600).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=${OVERHEAD_OUT:-${BUILD:-$top/build}/bench/overhead}
timeout_s=${OVERHEAD_TIMEOUT:-3600}
case ${1:-} in -h|--help) sed -n '3,25s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
icount=--icount
if [ "${1:-}" = --no-icount ]; then
	icount=
	shift
fi

# follow FILE PID: print the overhead progress lines of FILE while PID runs
follow() {
	local seen=0 n
	while kill -0 "$2" 2>/dev/null; do
		sleep 2
		[ -f "$1" ] || continue
		n=$(grep -c '^overhead: .*, repetition [0-9]' "$1")
		if [ "$n" -gt "$seen" ]; then
			grep '^overhead: .*, repetition [0-9]' "$1" | tr -d '\r' | sed -n "$((seen + 1)),${n}p"
			seen=$n
		fi
	done
	[ -f "$1" ] && grep '^overhead: .*, repetition [0-9]' "$1" | tr -d '\r' | sed -n "$((seen + 1)),\$p"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

mkdir -p "$out"
rm -f "$out/run/console.log"	# the follower must not read an earlier run's
echo "overhead: booting the testbed (emulated machine, qemu TCG${icount:+ with -icount: guest time in instructions}); results in $out/run"
load0=$(load)
"$top/testbed/run" $icount --timeout "$timeout_s" --out "$out/run" overhead "$@" \
	>"$out/testbed-run.log" 2>&1 &
pid=$!
follow "$out/run/console.log" "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 0 ] || [ ! -s "$out/run/overhead.txt" ]; then
	echo "overhead: the run failed (testbed/run exit $rc):" >&2
	tail -n 25 "$out/testbed-run.log" >&2
	exit 1
fi
echo
cat "$out/run/overhead.txt"
echo "host: $(nproc) CPUs, load average $load0 before, $(load) after (other work on the host adds noise)"
echo
echo "every run: $out/run/overhead.csv"
