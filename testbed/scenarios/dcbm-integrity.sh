#!/bin/sh
# dcbm-integrity: migrate with the dcbm migrator over the swdma software DMA
# engine for every channel count x folio size, with migbench's concurrent
# reader/writer, and check every point:
#   - migbench exits 0: every byte verified, every page on the destination,
#     every folio of the asked size, no wrong read by the rw thread; its
#     JSON names dcbm as the migrator;
#   - every batch copy went to dcbm and succeeded, and the batches cover
#     every folio migbench moved (mm_migrate_copy_dispatch); per batch
#     (dcbm events): channels = min(channels, folios), one acquire, submit,
#     issue, completion, wait and release per channel, the maps cover the
#     batch's folios and bytes, dcbm_done rc=0; no event lost;
#   - the counters: folios_copied grew by the folios handed to dcbm,
#     folios_failed, folios_declined, batches_failed, batches_declined did
#     not move;
#   - the kernel logged no warning, BUG or oops during the point.
# Directions alternate between the first two memory nodes.
#
#   dcbm-integrity.sh [--size SIZE] [--channels "1 2 4 8 16"]
#                     [--sizes "4K ... 2M"] [--backings "anon"]
# Lists take spaces or commas. Defaults: 4M per point, channels 1 2 4 8 16,
# the folio sizes 4K..2M this kernel offers, anonymous memory; swdma loaded
# with its defaults (16 channels, no latency, no fault).
# Output: $OUT/dcbm-integrity.txt, $OUT/dcbm-integrity/POINT.{json,err,trace}
# of the points that failed.
# Results taken with swdma are labelled "software DMA engine".
. /scenarios/mtcopy-lib.sh

size=4M
channels="1 2 4 8 16"
sizes=
backings=anon
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--size) size=$2 ;;
	--channels) channels=$(echo "$2" | tr ',' ' ') ;;
	--sizes) sizes=$(echo "$2" | tr ',' ' ') ;;
	--backings) backings=$(echo "$2" | tr ',' ' ') ;;
	*) fail "unknown argument '$1' (dcbm-integrity.sh [--size S] [--channels L] [--sizes L] [--backings L])" ;;
	esac
	shift 2
done
sizes=$(folio_sizes "$sizes")

t_begin dcbm-integrity
mem_pair

mods_reset
if modprobe swdma && modprobe dcbm; then
	ok "modprobe swdma dcbm (software DMA engine: $(cat $SWP/channels) channels)"
else
	ko "modprobe swdma/dcbm failed"
	t_end
fi
expect_eq "migrator after modprobe" "$(migrator)" dcbm
set -f
# shellcheck disable=SC2086
tr_setup $DCBM_EVENTS
set +f
note "matrix: channels '$channels' x sizes '$sizes' x backings '$backings', $size per point, nodes $na <-> $nb, rw thread on"

n=0
nc_total=0
nc_ex=
kprev=$(kwarn)
for b in $backings; do
	for fs in $sizes; do
		for c in $channels; do
			if [ $((n % 2)) -eq 0 ]; then from=$na to=$nb; else from=$nb to=$na; fi
			n=$((n + 1))
			name=$fs-$b-c$c
			desc="$fs $b channels=$c $from->$to"
			echo "$c" 2>/dev/null >$DCP/channels || { ko "$desc: cannot set channels"; continue; }
			tr_clear
			dc_begin
			stamp
			t0=$T_NOW
			migbench --size "$size" --folio-size "$fs" --backing "$b" \
				--from "$from" --to "$to" --rw-thread --json \
				>"$dir/$name.json" 2>"$dir/$name.err"
			rc=$?
			took_since "$t0"
			took=$TOOK
			dc_end
			for f in $JFIELDS; do eval "J_$f="; done
			D_err=
			eval "$(dcbm_trace "$dir/$name.json" $TR/trace "$c")"
			nc_total=$((nc_total + ${D_nocomplete:-0}))
			[ "${D_nocomp:--}" = - ] || nc_ex="$nc_ex${nc_ex:+,}$name:$D_nocomp"
			handed=${D_handed:-0}
			skipped=${D_skipped:-0}
			why=$(mb_why "$rc" "$dir/$name.err")
			if [ -n "$why" ]; then
				:
			elif [ "$J_rw_mismatches" != 0 ]; then
				why="the rw thread read $J_rw_mismatches wrong values"
			elif [ "$J_folio_check" != ok ]; then
				why="folio sizes not checked ($J_folio_check)"
			elif [ "$J_migrator" != dcbm ]; then
				why="migbench saw migrator '$J_migrator'"
			elif [ "$D_err" != - ]; then
				why="trace:$D_err"
			elif [ "$D_other" != 0 ] || [ "$D_bfail" != 0 ]; then
				why="$D_other batches copied by another migrator, $D_bfail dcbm batches failed"
			elif [ "$handed" -eq 0 ]; then
				why="no batch went to dcbm"
			elif [ $((handed + skipped)) -ne "$J_folios" ]; then
				why="batches hold $((handed + skipped)) folios, migbench moved $J_folios"
			elif [ "$dcopied" -ne "$handed" ] || [ "$dfailed" -ne 0 ] || [ "$ddeclined" -ne 0 ] ||
			     [ "$dbfailed" -ne 0 ] || [ "$dbdeclined" -ne 0 ]; then
				why="counters +copied $dcopied +failed $dfailed +declined $ddeclined +batches_failed $dbfailed +batches_declined $dbdeclined for $handed folios handed"
			fi
			k=$(kwarn)
			if [ -z "$why" ] && [ "$k" -ne "$kprev" ]; then
				why="the kernel logged $((k - kprev)) warning/BUG/oops line(s): $(dmesg | grep -E "$KCOMPLAINTS" | tail -n $((k - kprev)) | head -n 3 | tr '\n' ' ')"
			fi
			kprev=$k
			if [ -z "$why" ]; then
				ok "$desc: $J_pages pages verified, $D_batches batches, $handed folios copied by DMA (folios_copied +$dcopied), move $J_seconds s ($took s)"
				rm -f "$dir/$name.json" "$dir/$name.err"
			else
				cat $TR/trace >"$dir/$name.trace"
				ko "$desc: $why ($took s)"
			fi
		done
	done
done

tr_off
nocomplete_check "$nc_total" "$(echo "$nc_ex" | cut -c1-200)"
k0=$(kwarn)
rmmod dcbm && rmmod swdma && ok "rmmod dcbm swdma" || ko "rmmod dcbm/swdma failed"
expect_eq "migrator after rmmod" "$(migrator)" kernel
check "no kernel warning at rmmod" "$(kwarn_since "$k0")"
t_end
