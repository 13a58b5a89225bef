#!/bin/sh
# dcbm-sweep: the points of bench/sweep-dcbm.sh: for every batch size
# (/sys/kernel/mm/migrate/batch_max_pages) x folio size, one migration per
# DMA channel count with dcbm over the swdma software DMA engine (recorded
# with migscope-record -p dcbm), and the same migration with the CPU (dcbm
# unloaded: migrator "kernel", recorded with -p phases), so that the batch
# size where DMA overtakes the CPU copy can be found. Figures, not a test:
# a failed point is reported and the sweep goes on. Emulated machine (qemu
# TCG), software DMA engine: compare ratios within one run only.
#
#   dcbm-sweep.sh [--size SIZE] [--sizes L] [--channels L] [--batches L]
#                 [--no-cpu]
# Lists take spaces or commas. Defaults: 8M per point, folio sizes 4K 64K
# 2M, channels 1 2 4 8 16, batch_max_pages 32 128 512 2048, CPU points on.
# A batch holds at least one folio: with 2M folios (512 pages) batch sizes
# below 512 pages all give one folio per batch.
# Output: $OUT/dcbm-sweep/POINT/{trace.dat,migbench.json,record.log}
# (POINT = FOLIO-cCHANNELS-bPAGES, channels "cpu" for the CPU points),
# $OUT/dcbm-sweep/points.txt (POINT folio_size channels batch_pages status
# seconds; channels 0 = CPU), $OUT/dcbm-sweep.txt (progress, then
# "N passed, N failed").
. /scenarios/mtcopy-lib.sh

size=8M
sizes="4K 64K 2M"
channels="1 2 4 8 16"
batches="32 128 512 2048"
cpu=1
while [ $# -gt 0 ]; do
	case $1 in
	--no-cpu) cpu=0; shift; continue ;;
	esac
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--size) size=$2 ;;
	--sizes) sizes=$(echo "$2" | tr ',' ' ') ;;
	--channels) channels=$(echo "$2" | tr ',' ' ') ;;
	--batches) batches=$(echo "$2" | tr ',' ' ') ;;
	*) fail "unknown argument '$1' (dcbm-sweep.sh [--size S] [--sizes L] [--channels L] [--batches L] [--no-cpu])" ;;
	esac
	shift 2
done
sizes=$(folio_sizes "$sizes")
set -- $(mem_nodes)
[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
from=$1
to=$2

t_begin dcbm-sweep
: >"$dir/points.txt"
mods_reset
modprobe swdma || fail "modprobe swdma failed"
bmax0=$(cat $MIGRATE/batch_max_pages)
per=$(($(echo $sizes | wc -w) * ($(echo $channels | wc -w) + cpu)))
total=$(($(echo $batches | wc -w) * per))
note "sweep: batch_max_pages '$batches' x folio sizes '$sizes' x channels '$channels'$([ $cpu = 1 ] && echo " + CPU") = $total points, $size each, node $from -> $to; emulated machine ($MIGSCOPE_EMULATED), software DMA engine"

i=0
# one PT FS CH B PRESET LABEL
one() {
	_pt=$1 _fs=$2 _ch=$3 _b=$4 _preset=$5 _label=$6 _want=$7
	i=$((i + 1))
	_d=$dir/$_pt
	mkdir -p "$_d"
	_t0=$(now_cs)
	migscope-record -p "$_preset" --emulated "$MIGSCOPE_EMULATED" -o "$_d/trace.dat" -- \
		migbench --size "$size" --folio-size "$_fs" --from "$from" --to "$to" \
		--json >"$_d/migbench.json" 2>"$_d/record.log"
	_rc=$?
	_took=$(since_cs "$_t0")
	jload "$_d/migbench.json"
	_cn=$_ch
	[ "$_ch" = cpu ] && _cn=0
	if [ "$_rc" -eq 0 ] && [ "$J_failures" = 0 ] && [ "$J_migrator" = "$_want" ] &&
	   [ "$J_batch_max_pages" = "$_b" ] && [ -s "$_d/trace.dat" ]; then
		echo "$_pt $_fs $_cn $_b ok $_took" >>"$dir/points.txt"
		ok "[$i/$total] $_fs batch_max_pages=$_b $_label: $J_gbps GB/s, emulated machine ($MIGSCOPE_EMULATED), software DMA engine ($_took s)"
	else
		echo "$_pt $_fs $_cn $_b failed $_took" >>"$dir/points.txt"
		ko "[$i/$total] $_fs batch_max_pages=$_b $_label: exit $_rc, failures '$J_failures', migrator '$J_migrator', batch_max_pages '$J_batch_max_pages': $(grep -v '^CPU\|bytes in size\|^ *$' "$_d/record.log" | tail -n 3 | tr '\n' ' ') ($_took s)"
	fi
}

for b in $batches; do
	echo "$b" >$MIGRATE/batch_max_pages || { ko "batch_max_pages=$b refused"; continue; }
	modprobe dcbm || fail "modprobe dcbm failed"
	for fs in $sizes; do
		for c in $channels; do
			echo "$c" >$DCP/channels || { ko "channels=$c refused"; continue; }
			one "$fs-c$c-b$b" "$fs" "$c" "$b" dcbm "dcbm channels=$c" dcbm
		done
	done
	rmmod dcbm || fail "rmmod dcbm failed"
	if [ $cpu = 1 ]; then
		for fs in $sizes; do
			one "$fs-ccpu-b$b" "$fs" cpu "$b" phases "CPU (migrator kernel)" kernel
		done
	fi
done
echo "$bmax0" >$MIGRATE/batch_max_pages
mods_reset
t_end
