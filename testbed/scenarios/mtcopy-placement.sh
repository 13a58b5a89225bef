#!/bin/sh
# mtcopy-placement: record, with trace-cmd (migscope-record -p mtcopy), where
# mtcopy's workers run for each (threads, policy, direction) point, so that
# the host can compare the CPU of every worker with the CPU the placement
# rules give for the topology (tests/mtcopy.sh does; this scenario checks
# that every migration passed and every trace was written).
#
# Points (4K folios unless named; nodes A, B: the first two memory nodes
# with CPUs; C: the first memory node without CPUs, if any):
#   spread, fill, src, dst  x  A->B, B->A  x  threads 1 2 4 8, and
#                              threads 8 with 2M folios (folios < threads:
#                              every folio cut into runs)
#   cpus                       A->B: threads 4 with the list never set
#                              (empty: spread; the first point, on a fresh
#                              module), cpus=3,5-6 threads 1 2 4 8,
#                              cpus=<last CPU> threads 2
#   dst A->C, src C->A         threads 1 2 4 8: no CPU on C, spread is used
# Before each point the recorded command writes the trace marker
#   migscope:point name=NAME threads=T policy=P from=A to=B folio_size=S cpus=L
# (cpus=- when the list was never set) and after it
#   migscope:point-end name=NAME rc=RC
# so a trace holding several points can be split; the topology markers of
# migscope-record (migscope:cpu / migscope:node) describe the machine.
#
#   mtcopy-placement.sh [--traces one|group|point] [--size SIZE]
# --traces: one trace for all points (default), one per (policy, direction)
# group, or one per point. Under TCG with 8 vCPUs a migscope-record costs
# 5 to 10 s whatever it records (trace-cmd start/stop, the topology
# markers), so 54 per-point traces would take 5 minutes or more; measured
# in the guest: 5 migrations under `migscope-record -p mtcopy` 13 s, under
# `trace-cmd record -e mtcopy` 4.8 s, bare 1.6 s. The events recorded: the
# mtcopy system, mm_migrate_batch_begin (batch ids) and
# mm_migrate_copy_dispatch, with the markers: a lean preset
# ($OUT/mtcopy-placement/preset) rather than the mtcopy preset, whose
# phase and syscall events tell nothing about placement.
# Output: $OUT/mtcopy-placement.txt ("N passed, N failed" last),
# $OUT/mtcopy-placement/GROUP.dat (traces), POINT.json, POINT.err,
# points.txt (every point: group name threads policy from to size cpus).
. /scenarios/mtcopy-lib.sh

# ---- the recorded command: run the points of one group -------------------------
if [ "${1:-}" = --inner ]; then
	pts=$2
	d=$3
	while read -r g name t p from to fs cpus; do
		echo "$t" >$MTP/threads
		echo "$p" >$MTP/policy
		[ "$cpus" = - ] || echo "$cpus" >$MTP/cpus
		tr_mark "migscope:point name=$name threads=$t policy=$p from=$from to=$to folio_size=$fs cpus=$cpus"
		migbench --size "$size_inner" --folio-size "$fs" --from "$from" --to "$to" \
			--json >"$d/$name.json" 2>"$d/$name.err"
		rc=$?
		tr_mark "migscope:point-end name=$name rc=$rc"
		echo "$name $rc" >>"$d/status"
	done <"$pts"
	exit 0
fi

traces=one
size=4M
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--traces) traces=$2 ;;
	--size) size=$2 ;;
	*) fail "unknown argument '$1' (mtcopy-placement.sh [--traces one|group|point] [--size S])" ;;
	esac
	shift 2
done
case $traces in one|group|point) ;; *) fail "--traces $traces: one, group or point" ;; esac

t_begin mtcopy-placement
: >"$dir/status"

# memory nodes with and without CPUs
withcpu=
cpuless=
for n in $(mem_nodes); do
	if [ -n "$(cat /sys/devices/system/node/node$n/cpulist)" ]; then
		withcpu="$withcpu $n"
	else
		cpuless="$cpuless $n"
	fi
done
set -- $withcpu
[ $# -ge 2 ] || fail "need two memory nodes with CPUs, have:$withcpu"
A=$1
B=$2
C=$(echo $cpuless | cut -d' ' -f1)
last_cpu=$(expand_list "$(cat /sys/devices/system/cpu/online)" | awk '{ print $NF }')
note "nodes: A=$A B=$B${C:+ C=$C (no CPU)}; L3 domains: $(cat /sys/devices/system/cpu/cpu*/cache/index3/shared_cpu_list | sort -u -n | tr '\n' ' ')"

# the points, one line each: group name threads policy from to folio_size cpus
pl=$dir/points.txt
: >"$pl"
echo "cpus-unset t4-cpus_unset-${A}to$B 4 cpus $A $B 4K -" >>"$pl"
for p in spread fill src dst; do
	for dirn in "$A $B" "$B $A"; do
		set -- $dirn
		g=$p-$1to$2
		for t in 1 2 4 8; do
			echo "$g t$t-$p-$1to$2 $t $p $1 $2 4K -" >>"$pl"
		done
		echo "$g t8-$p-$1to$2-2M 8 $p $1 $2 2M -" >>"$pl"
	done
done
g=cpus-${A}to$B
for t in 1 2 4 8; do
	echo "$g t$t-cpus_3_5-6-${A}to$B $t cpus $A $B 4K 3,5-6" >>"$pl"
done
echo "$g t2-cpus_$last_cpu-${A}to$B 2 cpus $A $B 4K $last_cpu" >>"$pl"
if [ -n "$C" ]; then
	for t in 1 2 4 8; do
		echo "fallback-dst-${A}to$C t$t-dst-${A}to$C $t dst $A $C 4K -" >>"$pl"
		echo "fallback-src-${C}to$A t$t-src-${C}to$A $t src $C $A 4K -" >>"$pl"
	done
else
	note "no memory node without CPUs: the dst/src fallback points are not run"
fi
case $traces in
point) awk '{ $1 = $2; print }' "$pl" >"$pl.tmp" && mv "$pl.tmp" "$pl" ;;
one) awk '{ $1 = "placement"; print }' "$pl" >"$pl.tmp" && mv "$pl.tmp" "$pl" ;;
esac
note "$(wc -l <"$pl") points in $(awk '{ print $1 }' "$pl" | sort -u | wc -l) trace(s), $size each"
preset=$dir/preset
printf '%s\n' -e mtcopy -e migrate_batch:mm_migrate_batch_begin \
	-e migrate_batch:mm_migrate_copy_dispatch -C mono -b 2048 >"$preset"

mods_reset
modprobe mtcopy min_bytes=0 || { ko "modprobe mtcopy failed"; t_end; }
export size_inner=$size
k0=$(kwarn)
for g in $(awk '!seen[$1]++ { print $1 }' "$pl"); do
	grep "^$g " "$pl" >"$dir/$g.points"
	# the "cpus never set" point needs a fresh module
	if grep -q '^[^ ]* t4-cpus_unset' "$dir/$g.points"; then
		rmmod mtcopy && modprobe mtcopy min_bytes=0 || ko "$g: reloading mtcopy failed"
	fi
	t0=$(uptime_s)
	migscope-record -P "$preset" --emulated "$MIGSCOPE_EMULATED" -o "$dir/$g.dat" -- \
		sh /scenarios/mtcopy-placement.sh --inner "$dir/$g.points" "$dir" \
		>"$dir/$g.record.log" 2>&1
	rc=$?
	took=$(elapsed "$t0")
	if [ "$rc" -ne 0 ] || [ ! -s "$dir/$g.dat" ]; then
		ko "$g: migscope-record exit $rc, trace $(wc -c <"$dir/$g.dat" 2>/dev/null || echo 0) bytes ($took s): $(tail -n 3 "$dir/$g.record.log" | tr '\n' ' ')"
	else
		ok "$g: trace $(wc -c <"$dir/$g.dat") bytes, $(wc -l <"$dir/$g.points") points ($took s)"
	fi
	rm -f "$dir/$g.points"
done

# every point: migbench passed
while read -r g name t p from to fs cpus; do
	j=$dir/$name.json
	rc=$(awk -v n="$name" '$1 == n { print $2 }' "$dir/status")
	why=
	if [ -z "$rc" ]; then
		why="did not run"
	elif [ "$rc" -ne 0 ]; then
		why="migbench exit $rc: $(head -n 3 "$dir/$name.err" | tr '\n' ' ')"
	elif [ "$(jfield failures "$j")" != 0 ]; then
		why="$(jfield failures "$j") pages not moved"
	elif [ "$(jfield migrator "$j")" != mtcopy ]; then
		why="migrator '$(jfield migrator "$j")'"
	fi
	check "$name: migbench $fs $from->$to threads=$t policy=$p cpus=$cpus" "$why"
done <"$pl"
check "no kernel warning during the points" "$(kwarn_since "$k0")"
mods_reset
t_end
