#!/bin/sh
# mtcopy-sweep: the points of bench/sweep-mtcopy.sh: for every folio size x
# thread count x placement policy, one migration from the first to the
# second memory node recorded with migscope-record -p mtcopy, with mtcopy's
# threads and policy set for it. Figures, not a test: a failed point is
# reported and the sweep goes on. Emulated machine (qemu TCG): compare
# ratios within one run only.
#
#   mtcopy-sweep.sh [--size SIZE] [--sizes L] [--threads L] [--policies L]
#                   [--from A --to B]
# Lists take spaces or commas. Defaults: 16M per point, folio sizes 4K 64K
# 2M, threads 1 2 4 8, policies spread fill src dst, first -> second memory
# node.
# Output: $OUT/mtcopy-sweep/POINT/{trace.dat,migbench.json,record.log}
# (POINT = FOLIO-tTHREADS-POLICY), $OUT/mtcopy-sweep/points.txt (one line
# per point: POINT folio_size threads policy status seconds),
# $OUT/mtcopy-sweep.txt (progress lines, then "N passed, N failed").
. /scenarios/mtcopy-lib.sh

size=16M
sizes="4K 64K 2M"
threads="1 2 4 8"
policies="spread fill src dst"
from=
to=
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--size) size=$2 ;;
	--sizes) sizes=$(echo "$2" | tr ',' ' ') ;;
	--threads) threads=$(echo "$2" | tr ',' ' ') ;;
	--policies) policies=$(echo "$2" | tr ',' ' ') ;;
	--from) from=$2 ;;
	--to) to=$2 ;;
	*) fail "unknown argument '$1' (mtcopy-sweep.sh [--size S] [--sizes L] [--threads L] [--policies L] [--from A --to B])" ;;
	esac
	shift 2
done
sizes=$(folio_sizes "$sizes")
if [ -z "$from" ] || [ -z "$to" ]; then
	set -- $(mem_nodes)
	[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
	from=${from:-$1}
	to=${to:-$2}
fi

t_begin mtcopy-sweep
: >"$dir/points.txt"
mods_reset
modprobe mtcopy min_bytes=0 || fail "modprobe mtcopy min_bytes=0 failed"
total=$(($(echo $sizes | wc -w) * $(echo $threads | wc -w) * $(echo $policies | wc -w)))
note "sweep: folio sizes '$sizes' x threads '$threads' x policies '$policies' = $total points, $size each, node $from -> $to; emulated machine ($MIGSCOPE_EMULATED)"
i=0
for fs in $sizes; do
	for t in $threads; do
		for p in $policies; do
			i=$((i + 1))
			pt=$fs-t$t-$p
			d=$dir/$pt
			mkdir -p "$d"
			echo "$t" >$MTP/threads && echo "$p" >$MTP/policy ||
				{ ko "[$i/$total] $pt: cannot set threads/policy"; continue; }
			t0=$(now_cs)
			migscope-record -p mtcopy --emulated "$MIGSCOPE_EMULATED" -o "$d/trace.dat" -- \
				migbench --size "$size" --folio-size "$fs" --from "$from" --to "$to" \
				--json >"$d/migbench.json" 2>"$d/record.log"
			rc=$?
			took=$(since_cs "$t0")
			jload "$d/migbench.json"
			if [ "$rc" -eq 0 ] && [ "$J_failures" = 0 ] && [ "$J_migrator" = mtcopy ] && [ -s "$d/trace.dat" ]; then
				echo "$pt $fs $t $p ok $took" >>"$dir/points.txt"
				ok "[$i/$total] $fs threads=$t policy=$p $from->$to: $J_gbps GB/s, emulated machine ($MIGSCOPE_EMULATED) ($took s)"
			else
				echo "$pt $fs $t $p failed $took" >>"$dir/points.txt"
				ko "[$i/$total] $fs threads=$t policy=$p: exit $rc, failures '$J_failures', migrator '$J_migrator': $(grep -v '^CPU\|bytes in size\|^ *$' "$d/record.log" | tail -n 3 | tr '\n' ' ') ($took s)"
			fi
		done
	done
done
mods_reset
t_end
