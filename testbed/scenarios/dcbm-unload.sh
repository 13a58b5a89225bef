#!/bin/sh
# dcbm-unload: unload and reload dcbm and the swdma engine repeatedly while
# migrations run. A background loop runs migbench without pause (8M, folio
# sizes 4K, 64K, 2M, 16K in turn, both directions, with the rw thread).
#   ROUNDS rounds, in the documented order: rmmod dcbm, rmmod swdma,
#     modprobe swdma (every fourth round with fail_every=7, so that failing
#     batches are in flight too), modprobe dcbm (channels varied);
#   ENGINE rounds, the engine first: rmmod swdma while dcbm is registered
#     and copying (EBUSY while a batch holds channels: retried), a pause in
#     which dcbm finds no channel (batches declined, copied by the CPU),
#     modprobe swdma. Every other engine round swdma holds its module exit
#     for 300 ms (unload_delay_ms) before unregistering, so that dcbm
#     requests channels from a going provider (the dmaengine double
#     list_del fixed by the series' dmaengine patch).
# Checks:
#   - every rmmod and modprobe succeeds (rmmod swdma after retries on
#     EBUSY, counted), the migrator reads dcbm / kernel as it should;
#   - every migbench of the loop passed (bytes verified), the loop ran;
#   - batch copies by dcbm and by the kernel both happened; how many rmmod
#     dcbm overlapped a dcbm batch copy is reported and must be >= 1;
#   - no kernel warning, BUG or oops; afterwards dcbm copies a verified
#     migration with all its folios copied by DMA.
#
#   dcbm-unload.sh [--rounds N] [--engine-rounds N] [--size SIZE]
# Defaults: 20 rounds, 5 engine rounds, 8M.
# Output: $OUT/dcbm-unload.txt, $OUT/dcbm-unload/ (loop JSON, trace).
. /scenarios/mtcopy-lib.sh

rounds=20
erounds=5
size=8M
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--rounds) rounds=$2 ;;
	--engine-rounds) erounds=$2 ;;
	--size) size=$2 ;;
	*) fail "unknown argument '$1' (dcbm-unload.sh [--rounds N] [--engine-rounds N] [--size S])" ;;
	esac
	shift 2
done

t_begin dcbm-unload
mem_pair
mods_reset
k0=$(kwarn)
modprobe swdma && modprobe dcbm || { ko "modprobe swdma/dcbm failed"; t_end; }
tr_setup migrate_batch:mm_migrate_batch_begin migrate_batch:mm_migrate_copy_begin \
	migrate_batch:mm_migrate_copy_dispatch

loop_start "$dir" "$size" "$na" "$nb"
note "migration loop running (pid $lpid); $rounds rounds dcbm then swdma, $erounds rounds swdma first"

# rmmod_retry MODULE: rmmod, retried for up to 10 s while it fails with
# EBUSY (a batch holds channels of the engine); sets busy_tries
rmmod_retry() {
	busy_tries=0
	while :; do
		_e=$(rmmod "$1" 2>&1) && return 0
		case $_e in
		*busy*|*Busy*|*BUSY*|*"in use"*|*"temporarily unavailable"*) ;;
		*) echo "$_e"; return 1 ;;
		esac
		busy_tries=$((busy_tries + 1))
		[ $busy_tries -lt 100 ] || { echo "$_e (100 tries)"; return 1; }
		usleep 100000
	done
}

errs=0
busy_total=0
t0=$(now_cs)
n=1
while [ $n -le $rounds ]; do
	usleep $(((n % 3 + 1) * 100000))
	tr_mark "migscope:unload rmmod-begin n=$n"
	e=$(rmmod dcbm 2>&1) || { errs=$((errs + 1)); ko "round $n: rmmod dcbm: $e"; }
	tr_mark "migscope:unload rmmod-end n=$n"
	[ "$(migrator)" = kernel ] || { errs=$((errs + 1)); ko "round $n: migrator '$(migrator)' after rmmod dcbm"; }
	e=$(rmmod_retry swdma) || { errs=$((errs + 1)); ko "round $n: rmmod swdma: $e"; }
	busy_total=$((busy_total + busy_tries))
	if [ $((n % 4)) -eq 0 ]; then swopt="fail_every=7"; else swopt=; fi
	# shellcheck disable=SC2086
	e=$(modprobe swdma $swopt 2>&1) || { errs=$((errs + 1)); ko "round $n: modprobe swdma $swopt: $e"; }
	ch=$((1 << (n % 5)))
	e=$(modprobe dcbm channels=$ch 2>&1) || { errs=$((errs + 1)); ko "round $n: modprobe dcbm channels=$ch: $e"; }
	[ "$(migrator)" = dcbm ] || { errs=$((errs + 1)); ko "round $n: migrator '$(migrator)' after modprobe dcbm"; }
	n=$((n + 1))
done
[ $errs -eq 0 ] && ok "$rounds rounds rmmod dcbm, rmmod swdma, modprobe swdma, modprobe dcbm ($(since_cs "$t0") s; rmmod swdma retried $busy_total times on EBUSY)"
echo 0 >$SWP/fail_every

errs=0
busy_total=0
d0=$(cat $DCP/batches_declined)
t0=$(now_cs)
n=1
while [ $n -le $erounds ]; do
	usleep $(((n % 3 + 1) * 100000))
	# every other round, swdma waits 300 ms in its module exit: dcbm's
	# channel requests meet a going module whose device is still listed
	[ $((n % 2)) -eq 0 ] && echo 300 >$SWP/unload_delay_ms
	e=$(rmmod_retry swdma) || { errs=$((errs + 1)); ko "engine round $n: rmmod swdma: $e"; }
	busy_total=$((busy_total + busy_tries))
	[ "$(migrator)" = dcbm ] || { errs=$((errs + 1)); ko "engine round $n: migrator '$(migrator)' without the engine"; }
	usleep 400000
	e=$(modprobe swdma 2>&1) || { errs=$((errs + 1)); ko "engine round $n: modprobe swdma: $e"; }
	n=$((n + 1))
done
d1=$(cat $DCP/batches_declined)
[ $errs -eq 0 ] && ok "$erounds rounds rmmod swdma under dcbm, modprobe swdma ($(since_cs "$t0") s; rmmod retried $busy_total times on EBUSY; $((d1 - d0)) batches declined without an engine)"

loop_stop
cat $TR/trace >"$dir/trace.txt"
tr_off

loop_check

lost=$(tr_lost "$dir/trace.txt")
[ -z "$lost" ] || ko "$lost trace events lost: the counts are incomplete"
res=$(unload_overlaps dcbm "$dir/trace.txt")
set -- $res
note "batch copies: dcbm $1 (rc != 0: $4, fault rounds), kernel $2, other $3; rmmod dcbm traced $5, overlapping a dcbm copy $6; events lost ${lost:-0}"
[ "$1" -gt 0 ] && [ "$2" -gt 0 ] && ok "batches copied by dcbm ($1) and by the kernel ($2) during the rounds" ||
	ko "batch copies during the rounds: dcbm $1, kernel $2 (expected both)"
[ "$3" -eq 0 ] || ko "$3 batch copies by another migrator"
[ "$5" -eq "$rounds" ] || ko "$5 rmmod dcbm in the trace, expected $rounds"
[ "$6" -ge 1 ] && ok "$6 of $rounds rmmod dcbm ran while dcbm was copying a batch" ||
	ko "no rmmod dcbm overlapped a dcbm batch copy: the race was not exercised"

check "no kernel warning during the rounds" "$(kwarn_since "$k0")"

# afterwards: dcbm copies every folio of a verified migration
echo 16 >$DCP/channels
dc_begin
if migbench --size "$size" --from "$na" --to "$nb" --json >"$dir/after.json" 2>"$dir/after.err"; then
	dc_end
	set -- "$dcopied" "$dfailed" "$ddeclined"
	f=$(jfield folios "$dir/after.json")
	[ "$1" -eq "$f" ] && [ "$2" -eq 0 ] && [ "$3" -eq 0 ] &&
		ok "after the rounds: a verified migration, all $f folios copied by DMA" ||
		ko "after the rounds: $f folios, counters +copied $1 +failed $2 +declined $3"
else
	ko "after the rounds: migbench failed: $(head -n 3 "$dir/after.err" | tr '\n' ' ')"
fi
mods_reset
check "no kernel warning at the end" "$(kwarn_since "$k0")"
t_end
