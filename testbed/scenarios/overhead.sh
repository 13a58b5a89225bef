#!/bin/sh
# overhead: migration throughput with the migscope events off and on, for
# bench/overhead.sh (figures, not a test). For each folio size, each
# repetition runs migbench three ways, interleaved:
#   (a) off     no trace-cmd at all
#   (b) idle    trace-cmd recording (through migscope-record) only an event
#               that does not fire during migration ($IDLE_EVENT): tracing
#               machinery on, migscope events disabled
#   (c) events  trace-cmd recording the migrate_batch events and the
#               upstream per-call migrate events ($EVENTS)
# and reports the median GB/s (migbench: bytes / time of the move_pages
# call) of each, with the ratios b/a and c/a.
#
#   overhead.sh [--reps N] [--size SIZE] [--sizes "4K 2M"]
# Defaults: 5 repetitions, 64M per run, folio sizes 4K and 2M.
# Output: $OUT/overhead.txt (the table), $OUT/overhead.csv (every run:
# folio,mode,rep,gbps,seconds). Timings are qemu TCG timings: ratios within
# one run only.
# shellcheck source=lib.sh
. /scenarios/lib.sh

reps=5
size=64M
sizes="4K 2M"
IDLE_EVENT=${IDLE_EVENT:-oom:mark_victim}
EVENTS=${EVENTS:-migrate_batch migrate:mm_migrate_pages_start migrate:mm_migrate_pages}
while [ $# -gt 0 ]; do
	case $1 in
	--reps) [ $# -ge 2 ] || fail "--reps needs a value"; reps=$2; shift 2 ;;
	--size) [ $# -ge 2 ] || fail "--size needs a value"; size=$2; shift 2 ;;
	--sizes) [ $# -ge 2 ] || fail "--sizes needs a value"; sizes=$2; shift 2 ;;
	*) fail "unknown argument '$1' (overhead.sh [--reps N] [--size S] [--sizes L])" ;;
	esac
done
case $reps in ''|*[!0-9]*|0) fail "--reps $reps: expected a positive number" ;; esac

# the node list, split on purpose
# shellcheck disable=SC2046
set -- $(mem_nodes)
[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
from=$1
to=$2
csv=$OUT/overhead.csv
txt=$OUT/overhead.txt
tmp=/tmp/overhead
mkdir -p "$tmp" || fail "cannot create $tmp"
echo "folio,mode,rep,gbps,seconds" >"$csv" || fail "cannot write $csv"

# presets for migscope-record: one trace-cmd argument per line
# (printf: busybox echo takes -e as an option)
printf '%s\n' -e "$IDLE_EVENT" -C mono -b 8192 >"$tmp/idle.preset"
{
	for e in $EVENTS; do
		printf '%s\n' -e "$e"
	done
	printf '%s\n' -C mono -b 8192
} >"$tmp/events.preset"

echo 0 >/proc/sys/kernel/numa_balancing 2>/dev/null
echo 0 >/proc/sys/vm/compaction_proactiveness 2>/dev/null

# run MODE FOLIO REP: one migbench run; prints its GB/s
run() {
	mode=$1 fs=$2 rep=$3
	set -- migbench --folio-size "$fs" --size "$size" --from "$from" --to "$to" --json
	case $mode in
	a) "$@" >"$tmp/out.json" 2>"$tmp/err" ;;
	b) migscope-record -P "$tmp/idle.preset" --emulated "$MIGSCOPE_EMULATED" \
		-o "$tmp/trace.dat" -- "$@" >"$tmp/out.json" 2>"$tmp/err" ;;
	c) migscope-record -P "$tmp/events.preset" --emulated "$MIGSCOPE_EMULATED" \
		-o "$tmp/trace.dat" -- "$@" >"$tmp/out.json" 2>"$tmp/err" ;;
	esac
	rc=$?
	rm -f "$tmp/trace.dat"
	if [ "$rc" -ne 0 ]; then
		cat "$tmp/err" >&2
		fail "$fs ($mode) repetition $rep: exit status $rc"
	fi
	gbps=$(json_field gbps "$tmp/out.json")
	secs=$(json_field seconds "$tmp/out.json")
	[ -n "$gbps" ] || fail "$fs ($mode) repetition $rep: no gbps in $(cat "$tmp/out.json")"
	echo "$fs,$mode,$rep,$gbps,$secs" >>"$csv"
	echo "$gbps"
}

label() {
	case $1 in
	a) echo "tracing off" ;;
	b) echo "trace-cmd, migscope events disabled" ;;
	c) echo "trace-cmd, migscope events enabled" ;;
	esac
}

for fs in $sizes; do
	rep=1
	while [ "$rep" -le "$reps" ]; do
		for mode in a b c; do
			g=$(run "$mode" "$fs" "$rep") || exit 1
			echo "overhead: $fs ($mode) $(label $mode), repetition $rep/$reps: $g GB/s"
		done
		rep=$((rep + 1))
	done
done

# median FOLIO MODE
median() {
	awk -F, -v f="$1" -v m="$2" '$1 == f && $2 == m { print $4 }' "$csv" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# spread FOLIO MODE: (max - min) / median of the repetitions, in %: the
# run-to-run noise a ratio must stand above
spread() {
	awk -F, -v f="$1" -v m="$2" -v med="$(median "$1" "$2")" '
		$1 == f && $2 == m { if (n++ == 0 || $4 < lo) lo = $4; if ($4 > hi) hi = $4 }
		END { printf "%.1f\n", (med > 0 ? 100 * (hi - lo) / med : 0) }' "$csv"
}

bc_state=$(cat /sys/kernel/mm/migrate/batch_copy 2>/dev/null || echo "n/a (kernel without the batch-copy patches)")
{
	echo "migscope tracing overhead: emulated machine ($MIGSCOPE_EMULATED); ratios within this run only"
	echo "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) vCPUs, node $from -> $to, $size per run, $reps repetitions (median)"
	echo "batch_copy $bc_state, migrator $(cat /sys/kernel/mm/migrate/migrator 2>/dev/null || echo n/a)"
	echo "(a) tracing off: no trace-cmd"
	echo "(b) trace-cmd record -e $IDLE_EVENT (migscope events disabled)"
	echo "(c) trace-cmd record -e $(echo "$EVENTS" | sed 's/ / -e /g')"
	echo "spread: (max - min) / median of the $reps repetitions of a mode; a ratio"
	echo "further from 1 than the larger spread of its two modes is above the noise"
	printf '%-6s %10s %7s %10s %7s %10s %7s %7s %7s\n' folio "a GB/s" spread \
		"b GB/s" spread "c GB/s" spread "b/a" "c/a"
	for fs in $sizes; do
		a=$(median "$fs" a)
		b=$(median "$fs" b)
		c=$(median "$fs" c)
		awk -v f="$fs" -v a="$a" -v b="$b" -v c="$c" \
		    -v sa="$(spread "$fs" a)" -v sb="$(spread "$fs" b)" \
		    -v sc="$(spread "$fs" c)" 'BEGIN {
			printf "%-6s %10.4f %6.1f%% %10.4f %6.1f%% %10.4f %6.1f%% %7.3f %7.3f\n",
				f, a, sa, b, sb, c, sc,
				(a > 0 ? b / a : 0), (a > 0 ? c / a : 0) }'
	done
} >"$txt" || fail "cannot write $txt"
sed 's/^/overhead: /' "$txt"
