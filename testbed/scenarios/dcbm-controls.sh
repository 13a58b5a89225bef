#!/bin/sh
# dcbm-controls: every control of dcbm and of the swdma engine, good and
# bad values, and what the thresholds do:
#   - load-time values out of range: modprobe fails, nothing loaded
#     (swdma channels 0 / 65 / abc; dcbm channels 0 / 17, timeout_ms 0);
#   - the defaults (dcbm: enable Y, channels 16, min_folios 0, min_bytes 0,
#     timeout_ms 5000, require_terminate Y, counters 0);
#   - dcbm enable/channels/min_folios/min_bytes/timeout_ms: bad values fail
#     with EINVAL and leave the value unchanged, good values (the bounds
#     included) are taken and read back; enable 0/1 (un)registers;
#   - the seven counters are read-only (the write fails, value unchanged);
#     require_terminate a boolean;
#   - swdma: channels, terminate and max_seg_size are read-only at run
#     time (load time: terminate=0 and max_seg_size=65536 read back);
#     latency_us, bandwidth_mbps, fail_every, drop_every, unload_delay_ms,
#     late_every, ring_size take unsigned integers (overflow: EINVAL or
#     ERANGE, these are plain uint parameters), late_ms too (garbage
#     refused); reorder and intr_only booleans;
#   - only one migrator: with mtcopy registered, dcbm enable=1 fails with
#     EBUSY and loading dcbm fails with EBUSY;
#   - the thresholds: min_folios above the batch size and min_bytes above
#     its bytes decline every batch (dcbm_decline reason=below_minimum, the
#     declined counters grow by the folios, nothing copied by DMA, data
#     verified); channels=3 dispatches 3 channels; without the engine
#     (rmmod swdma) batches are declined with reason=no_channel.
# Output: $OUT/dcbm-controls.txt.
. /scenarios/mtcopy-lib.sh

t_init dcbm-controls
quiet_vm
mem_pair
mods_reset
k0=$(kwarn)

# refuse MODULE ARGS...: modprobe must fail and load nothing
refuse() {
	_m=$1
	shift
	if _e=$(modprobe "$_m" "$@" 2>&1); then
		ko "modprobe $_m $* succeeded"
		[ "$_m" = swdma ] && rmmod dcbm 2>/dev/null
		rmmod "$_m"
	elif [ -d "/sys/module/$_m" ]; then
		ko "modprobe $_m $* failed but the module is loaded"
	else
		ok "modprobe $_m $* refused: $(echo "$_e" | tail -n 1)"
	fi
}

# ---- swdma
refuse swdma channels=0
refuse swdma channels=65
refuse swdma channels=abc
refuse swdma fail_every=-1
refuse swdma terminate=maybe
refuse swdma max_seg_size=-1
if modprobe swdma channels=4 terminate=0 max_seg_size=65536; then
	expect_eq "swdma channels=4" "$(cat $SWP/channels)" 4
	expect_eq "swdma terminate=0" "$(cat $SWP/terminate)" N
	expect_eq "swdma max_seg_size=65536" "$(cat $SWP/max_seg_size)" 65536
	for p in channels terminate max_seg_size; do
		reject "swdma $p (read-only)" $SWP/$p 8 "Permission denied"
	done
	rmmod swdma || ko "rmmod swdma failed"
else
	ko "modprobe swdma channels=4 terminate=0 max_seg_size=65536 failed"
fi
modprobe swdma || { ko "modprobe swdma failed"; t_end; }
expect_eq "swdma default channels" "$(cat $SWP/channels)" 16
expect_eq "swdma default terminate" "$(cat $SWP/terminate)" Y
expect_eq "swdma default max_seg_size" "$(cat $SWP/max_seg_size)" 0
expect_eq "swdma default late_ms" "$(cat $SWP/late_ms)" 1000
for p in latency_us bandwidth_mbps fail_every drop_every unload_delay_ms \
	 late_every ring_size; do
	for v in -1 abc "" 1.5; do reject "swdma $p" $SWP/$p "$v"; done
	# a plain uint module parameter: kstrtouint's ERANGE on overflow
	reject "swdma $p" $SWP/$p 4294967296 "Invalid argument|out of range"
	accept "swdma $p" $SWP/$p 4294967295
	accept "swdma $p" $SWP/$p 5
	accept "swdma $p" $SWP/$p 0
done
for v in -1 abc "" 1.5; do reject "swdma late_ms" $SWP/late_ms "$v"; done
accept "swdma late_ms" $SWP/late_ms 1000
for p in reorder intr_only; do
	for v in 2 maybe ""; do reject "swdma $p" $SWP/$p "$v"; done
	accept "swdma $p" $SWP/$p 1 Y
	accept "swdma $p" $SWP/$p 0 N
done

# ---- dcbm load time
refuse dcbm channels=0
refuse dcbm channels=17
refuse dcbm timeout_ms=0
refuse dcbm enable=2
modprobe dcbm || { ko "modprobe dcbm failed"; t_end; }
ok "modprobe dcbm"
expect_eq "migrator" "$(migrator)" dcbm
expect_eq "default enable" "$(cat $DCP/enable)" Y
expect_eq "default channels" "$(cat $DCP/channels)" 16
expect_eq "default min_folios" "$(cat $DCP/min_folios)" 0
expect_eq "default min_bytes" "$(cat $DCP/min_bytes)" 0
expect_eq "default timeout_ms" "$(cat $DCP/timeout_ms)" 5000
expect_eq "default require_terminate" "$(cat $DCP/require_terminate)" Y
for c in $DCBM_COUNTERS; do
	expect_eq "counter $c at load" "$(cat $DCP/$c)" 0
	reject "counter $c (read-only)" $DCP/$c 5 "Permission denied"
done

# ---- dcbm run time
# a boolean (kstrtobool): y/n, 1/0, on/off; anything else is refused
for v in 2 -1 abc "" x; do reject enable $DCP/enable "$v"; done
accept enable $DCP/enable n N
accept enable $DCP/enable Y Y
accept enable $DCP/enable 0 N
expect_eq "migrator with enable=0" "$(migrator)" kernel
accept enable $DCP/enable 1 Y
expect_eq "migrator with enable=1" "$(migrator)" dcbm
for v in 0 17 -1 abc "" 4294967296 2x; do reject channels $DCP/channels "$v"; done
for v in 1 16 8; do accept channels $DCP/channels "$v"; done
for v in -1 abc "" 4294967296; do reject min_folios $DCP/min_folios "$v"; done
for v in 4294967295 3 0; do accept min_folios $DCP/min_folios "$v"; done
for v in -1 abc "" 18446744073709551616; do reject min_bytes $DCP/min_bytes "$v"; done
for v in 18446744073709551615 65536 0; do accept min_bytes $DCP/min_bytes "$v"; done
for v in 0 600001 -1 abc "" 4294967296; do reject timeout_ms $DCP/timeout_ms "$v"; done
for v in 1 600000 5000; do accept timeout_ms $DCP/timeout_ms "$v"; done
for v in 2 -1 abc ""; do reject require_terminate $DCP/require_terminate "$v"; done
accept require_terminate $DCP/require_terminate 0 N
accept require_terminate $DCP/require_terminate y Y

# ---- one migrator at a time
accept enable $DCP/enable 0 N
if modprobe mtcopy; then
	ok "modprobe mtcopy with dcbm loaded, enable=0"
	expect_eq "migrator with mtcopy" "$(migrator)" mtcopy
	reject "dcbm enable with mtcopy registered" $DCP/enable 1 "Device or resource busy"
	rmmod dcbm || ko "rmmod dcbm (enable=0) failed"
	if e=$(modprobe dcbm 2>&1); then
		ko "modprobe dcbm with mtcopy registered succeeded"
	elif echo "$e" | grep -q "Device or resource busy"; then
		ok "modprobe dcbm with mtcopy registered: EBUSY"
	else
		ko "modprobe dcbm with mtcopy registered: $e (expected EBUSY)"
	fi
	[ -d /sys/module/dcbm ] && ko "dcbm is loaded after a refused modprobe"
	expect_eq "migrator after the refused modprobe" "$(migrator)" mtcopy
	rmmod mtcopy || ko "rmmod mtcopy failed"
	modprobe dcbm || ko "modprobe dcbm after mtcopy failed"
	expect_eq "migrator" "$(migrator)" dcbm
else
	ko "modprobe mtcopy failed: cannot test EBUSY"
	accept enable $DCP/enable 1 Y
fi

# ---- what the thresholds do
set -f
# shellcheck disable=SC2086
tr_setup $DCBM_EVENTS
set +f
# thr NAME SETTINGS FOLIO_SIZE SIZE EXPECT: EXPECT is below_minimum,
# no_channel (every batch declined for that reason) or channels=N
thr() {
	_name=$1 _set=$2 _fs=$3 _size=$4 _exp=$5
	for _kv in $_set; do echo "${_kv#*=}" >$DCP/${_kv%%=*} || { ko "$_name: cannot set $_kv"; return; }; done
	tr_clear
	dc_begin
	migbench --size "$_size" --folio-size "$_fs" --from "$na" --to "$nb" --json \
		>"$OUT/dcbm-controls-$_name.json" 2>"$OUT/dcbm-controls-$_name.err"
	_rc=$?
	dc_end
	set -- "$dcopied" "$dfailed" "$ddeclined" "$dbfailed" "$dbdeclined"
	cat $TR/trace >"$OUT/dcbm-controls-$_name.trace"
	jload "$OUT/dcbm-controls-$_name.json"
	_nd=$(grep -c 'dcbm_decline: .*reason='"${_exp}" "$OUT/dcbm-controls-$_name.trace")
	_nc=$(grep -c 'mm_migrate_copy_dispatch: .*migrator=dcbm' "$OUT/dcbm-controls-$_name.trace")
	_why=
	if [ "$_rc" -ne 0 ] || [ "$J_failures" != 0 ]; then
		_why="migbench exit $_rc, failures '$J_failures': $(head -n 2 "$OUT/dcbm-controls-$_name.err" | tr '\n' ' ')"
	else
		case $_exp in
		below_minimum|no_channel)
			if [ "$_nd" -ne "$_nc" ] || [ "$_nc" -eq 0 ]; then
				_why="$_nd of $_nc batches declined with reason=$_exp"
			elif [ "$1" -ne 0 ] || [ "$2" -ne 0 ] || [ "$3" -ne "$J_folios" ] || [ "$5" -ne "$_nc" ]; then
				_why="counters +copied $1 +failed $2 +declined $3 +batches_declined $5 for $J_folios folios in $_nc batches"
			fi ;;
		channels=*)
			if [ "$(grep -c "dcbm_dispatch: .*${_exp} " "$OUT/dcbm-controls-$_name.trace")" -ne "$_nc" ] || [ "$_nc" -eq 0 ]; then
				_why="not every batch dispatched with $_exp: $(grep -m 1 dcbm_dispatch "$OUT/dcbm-controls-$_name.trace")"
			elif [ "$1" -ne "$J_folios" ]; then
				_why="counters +copied $1 for $J_folios folios"
			fi ;;
		esac
	fi
	check "$_name ($_set; $_fs x $_size): $_exp" "$_why"
	rm -f "$OUT/dcbm-controls-$_name.trace"
}
thr min_folios "min_folios=1000" 4K 4M below_minimum
thr min_folios-2M "min_folios=2 min_bytes=0" 2M 4M below_minimum
thr min_bytes "min_folios=0 min_bytes=4194304" 4K 4M below_minimum
thr channels-3 "min_bytes=0 channels=3" 64K 4M channels=3
if rmmod_ok=$(rmmod swdma 2>&1); then
	expect_eq "migrator without the engine" "$(migrator)" dcbm
	thr no-engine "channels=16" 16K 4M no_channel
	modprobe swdma || ko "modprobe swdma failed"
else
	ko "rmmod swdma under dcbm failed: $rmmod_ok"
fi
tr_off

check "no kernel warning" "$(kwarn_since "$k0")"
mods_reset
t_end
