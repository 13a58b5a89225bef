#!/bin/sh
# dcbm-faults: fault injection in the swdma software DMA engine under dcbm.
# Points (NAME: swdma settings, dcbm settings, folio size x size, expected
# batch failures: all / some (>= 1) / none / any):
#   fail1-4K, fail1-2M          fail_every=1 (every descriptor fails): all
#   fail3-4K (all), fail3-2M    fail_every=3; 2M: one descriptor per batch,
#                               4 batches: some
#   fail17-4K (all), fail17-1M  fail_every=17; 1M x 24M: 2 descriptors per
#                               batch, 24 descriptors: some
#   reorder-4K, reorder-64K     reorder=1 (completions out of order): none
#   latency-64K                 latency_us=200: none
#   drop3-2M                    drop_every=3, timeout_ms=100: some, with
#                               timeouts (dcbm_wait rc=-110)
#   drop50-4K                   drop_every=50, timeout_ms=100, channels 8:
#                               all, with timeouts
#   recover-4K                  no fault, timeout_ms=5000, channels 16 after
#                               the timeouts: none, 16 channels acquired
# Every point (no rw thread: a batch's pages must all move in it):
#   - migbench exits 0 (every byte verified, every page moved), and
#     pgmigrate_success = pages;
#   - every failure fell back: every batch of the trace ended with all its
#     pages moved (mm_migrate_batch_end), dcbm_done rc = the core's copy rc;
#   - the counters add up: +copied +failed +declined = folios handed to dcbm
#     (mm_migrate_copy_dispatch migrator=dcbm) = folios migbench moved
#     (minus folios left to the per-folio path); +failed = folios of the
#     batches whose copy failed = mm_migrate_copy_end failed; +copied =
#     mm_migrate_copy_end folios; +batches_failed = failed batch copies;
#   - the expected failures (and timeouts) happened; no kernel warning.
#
#   dcbm-faults.sh [--only "NAME ..."]
# Output: $OUT/dcbm-faults.txt, $OUT/dcbm-faults/POINT.{json,err,trace}.
# Software DMA engine (swdma): fault injection, not hardware faults.
. /scenarios/mtcopy-lib.sh

parse_only dcbm-faults "$@"

t_begin dcbm-faults
mem_pair

mods_reset
if modprobe swdma && modprobe dcbm; then
	ok "modprobe swdma dcbm"
else
	ko "modprobe swdma/dcbm failed"
	t_end
fi
set -f
# shellcheck disable=SC2086
tr_setup $DCBM_EVENTS
set +f

swdma_clear() {
	for _p in fail_every drop_every latency_us bandwidth_mbps; do echo 0 >$SWP/$_p; done
	echo 0 >$SWP/reorder
}

# point NAME "SWDMA k=v..." "DCBM k=v..." FOLIO_SIZE SIZE EXPECT
n=0
nc_total=0
nc_ex=
point() {
	name=$1 swset=$2 dcset=$3 fs=$4 size=$5 expect=$6
	selected "$name" || return 0
	if [ $((n % 2)) -eq 0 ]; then from=$na to=$nb; else from=$nb to=$na; fi
	n=$((n + 1))
	desc="$name ($swset; $dcset; $fs x $size $from->$to)"
	swdma_clear
	why=$(set_params "$swset" "$dcset")
	[ -z "$why" ] || { ko "$desc: $why"; return; }
	tr_clear
	k0=$(kwarn)
	dc_begin
	stamp
	t0=$T_NOW
	migbench --size "$size" --folio-size "$fs" --from "$from" --to "$to" --json \
		>"$dir/$name.json" 2>"$dir/$name.err"
	rc=$?
	took_since "$t0"
	took=$TOOK
	swdma_clear
	dc_end
	for f in $JFIELDS; do eval "J_$f="; done
	D_err=
	eval "$(dcbm_trace "$dir/$name.json" $TR/trace "$(cat $DCP/channels)")"
	nc_total=$((nc_total + ${D_nocomplete:-0}))
	[ "${D_nocomp:--}" = - ] || nc_ex="$nc_ex${nc_ex:+,}$name:$D_nocomp"
	handed=${D_handed:-0} batches=$D_batches bfail=$D_bfail ffail=$D_ffail timeouts=$D_timeouts
	why=$(mb_why "$rc" "$dir/$name.err")
	if [ -n "$why" ]; then
		:
	elif [ "$J_pgmigrate_success" != "$J_pages" ]; then
		why="pgmigrate_success +$J_pgmigrate_success for $J_pages pages"
	elif [ "$J_migrator" != dcbm ]; then
		why="migbench saw migrator '$J_migrator'"
	elif [ "$D_err" != - ]; then
		why="trace:$D_err"
	elif [ "$D_moved_bad" != 0 ]; then
		why="$D_moved_bad batches did not move all their pages: a failure did not fall back"
	elif [ "$D_other" != 0 ]; then
		why="$D_other batches copied by another migrator"
	elif [ "$handed" -eq 0 ]; then
		why="no batch went to dcbm"
	elif [ $((handed + D_skipped)) -ne "$J_folios" ]; then
		why="batches hold $((handed + D_skipped)) folios, migbench moved $J_folios"
	elif [ $((dcopied + dfailed + ddeclined)) -ne "$handed" ]; then
		why="counters: +copied $dcopied +failed $dfailed +declined $ddeclined = $((dcopied + dfailed + ddeclined)), $handed folios handed to dcbm"
	elif [ "$dfailed" -ne "$ffail" ] || [ "$dfailed" -ne "$D_ce_fail" ]; then
		why="counters: +failed $dfailed, folios of failed batch copies $ffail, copy_end failed $D_ce_fail"
	elif [ "$dcopied" -ne "$D_ce_ok" ]; then
		why="counters: +copied $dcopied, copy_end folios $D_ce_ok"
	elif [ "$dbfailed" -ne "$bfail" ]; then
		why="counters: +batches_failed $dbfailed, failed batch copies $bfail"
	elif [ "$ddeclined" -ne 0 ] || [ "$dbdeclined" -ne 0 ]; then
		why="counters: +declined $ddeclined +batches_declined $dbdeclined (no decline expected)"
	else
		case $expect in
		all) [ "$bfail" -eq "$batches" ] || why="$bfail of $batches batches failed, expected all" ;;
		all-timeout) [ "$bfail" -eq "$batches" ] && [ "$timeouts" -ge 1 ] ||
			why="$bfail of $batches batches failed, $timeouts timeouts; expected all, with timeouts" ;;
		some) [ "$bfail" -ge 1 ] || why="no batch failed: the faults were not injected" ;;
		some-timeout) [ "$bfail" -ge 1 ] && [ "$timeouts" -ge 1 ] ||
			why="$bfail batches failed, $timeouts timeouts; expected some, with timeouts" ;;
		none) [ "$bfail" -eq 0 ] || why="$bfail batches failed, expected none" ;;
		none-16) if [ "$bfail" -ne 0 ]; then why="$bfail batches failed, expected none"
			elif ! grep -q 'dcbm_dispatch: .*channels=16' $TR/trace; then why="no batch used 16 channels"
			fi ;;
		esac
	fi
	[ -z "$why" ] && why=$(kwarn_since "$k0")
	if [ -z "$why" ]; then
		ok "$desc: $J_pages pages verified; $batches batches, $bfail failed ($ffail folios fell back to the CPU), $timeouts timeouts; counters +copied $dcopied +failed $dfailed +declined $ddeclined = $handed handed ($took s)"
	else
		cat $TR/trace >"$dir/$name.trace"
		ko "$desc: $why ($took s)"
	fi
}

dflt="channels=16 timeout_ms=5000"
point fail1-4K "fail_every=1" "$dflt" 4K 4M all
point fail1-2M "fail_every=1" "$dflt" 2M 8M all
point fail3-4K "fail_every=3" "$dflt" 4K 4M all
point fail3-2M "fail_every=3" "$dflt" 2M 8M some
point fail17-4K "fail_every=17" "channels=4 timeout_ms=5000" 4K 4M all
point fail17-1M "fail_every=17" "$dflt" 1M 24M some
point reorder-4K "reorder=1" "channels=4 timeout_ms=5000" 4K 4M none
point reorder-64K "reorder=1" "channels=2 timeout_ms=5000" 64K 8M none
point latency-64K "latency_us=200" "$dflt" 64K 4M none
point drop3-2M "drop_every=3" "channels=16 timeout_ms=100" 2M 8M some-timeout
point drop50-4K "drop_every=50" "channels=8 timeout_ms=100" 4K 4M all-timeout
point recover-4K "" "$dflt" 4K 4M none-16

tr_off
nocomplete_check "$nc_total" "$(echo "$nc_ex" | cut -c1-200)"
swdma_clear
k0=$(kwarn)
rmmod dcbm && rmmod swdma && ok "rmmod dcbm swdma after the faults" || ko "rmmod dcbm/swdma failed"
check "no kernel warning at rmmod" "$(kwarn_since "$k0")"
t_end
