#!/bin/sh
# dcbm-engines: dcbm against what hardware DMA engines do, modelled by swdma
# (load-time and run-time parameters), with the data checked after the
# migration and again after the engine's late writes could have landed
# (migbench --settle: the complement of the pattern is written over every
# page, and checked once the wait is over).
# Points (NAME: swdma load, swdma run, dcbm; folio size x size; expected):
#   intr-4K, intr-2M     intr_only=1 (only DMA_PREP_INTERRUPT descriptors
#                        call back, as idxd): every batch copied by DMA, no
#                        timeout
#   seg-2M               max_seg_size=65536: every batch copied by DMA, in
#                        descriptors of 64 KiB (bytes / 65536 of them)
#   ring-4K              ring_size=4, 2 channels: every batch copied by DMA,
#                        one descriptor per folio
#   late-term-4K         late_every=64 late_ms=2000, timeout_ms=300: the
#                        late channels time out and are terminated; the
#                        batch falls back to the CPU; nothing held
#   noterm-declined-4K   terminate=0, require_terminate=1: no channel
#                        qualifies, every batch declined (no_channel)
#   noterm-held-4K       terminate=0, require_terminate=0, late_every=64
#                        late_ms=2000, timeout_ms=300: channels that cannot
#                        be stopped time out, dcbm holds their destination
#                        folios (folios_held grows), the core retries the
#                        folios with new destinations, the late writes land
#                        in the held folios, not in the user's; then
#                        folios_held_now drops back to 0
#   deadline-64K         drop_every=1, 16 channels, timeout_ms=300: every
#                        channel times out, and each batch waits one
#                        deadline (at most 2 s from dcbm_dispatch to
#                        dcbm_done), not 16 x 300 ms one after another
# Every point: migbench exits 0 (every page on the target, every byte
# verified, also after --settle), pgmigrate_success = pages; the trace is
# consistent (dcbm_trace); the counters add up (+copied +failed +declined
# = folios handed to dcbm); no kernel warning. Before the dcbm rework,
# intr-*, seg-2M and ring-4K failed every batch (the first two after a 5 s
# timeout per channel), noterm-held-4K corrupted the user's pages (the
# late write landed after the CPU copy: --settle fails) and deadline-64K
# took 4.8 s per batch.
#
#   dcbm-engines.sh [--only "NAME ..."]
# Output: $OUT/dcbm-engines.txt, $OUT/dcbm-engines/POINT.{json,err,trace}.
# Software DMA engine (swdma) on an emulated machine: models, not hardware.
. /scenarios/mtcopy-lib.sh

parse_only dcbm-engines "$@"

t_begin dcbm-engines
mem_pair
loaded=

# engine LOADARGS: swdma loaded with LOADARGS (reloaded when they change),
# dcbm on top
engine() {
	[ "$loaded" = "x$1" ] && [ -d /sys/module/dcbm ] && return 0
	# a held channel holds both modules
	[ -d /sys/module/dcbm ] && held_drain 10000
	mods_reset
	# shellcheck disable=SC2086
	modprobe swdma $1 && modprobe dcbm || return 1
	loaded="x$1"
}

# held_drain MS: wait up to MS ms for folios_held_now to drop to 0
held_drain() {
	_i=0
	while [ "$(cat $DCP/folios_held_now)" -ne 0 ] && [ $_i -lt $(($1 / 100)) ]; do
		usleep 100000
		_i=$((_i + 1))
	done
	[ "$(cat $DCP/folios_held_now)" -eq 0 ]
}

# expectation EXPECT: sets why when the point's outcome is not EXPECT
expectation() {
	case $1 in
	dma-all) [ "$bfail" -eq 0 ] && [ "$timeouts" -eq 0 ] && [ "$dcopied" -eq "$handed" ] ||
		why="$bfail of $batches batches failed, $timeouts timeouts, $dcopied of $handed folios copied by DMA; expected all" ;;
	desc=*) [ "$bfail" -eq 0 ] && [ "$D_desc" -eq "${1#desc=}" ] ||
		why="$bfail batches failed, $D_desc descriptors; expected none failed, ${1#desc=} descriptors" ;;
	quiesced) [ "$bfail" -ge 1 ] && [ "$timeouts" -ge 1 ] && [ "$dheld" -eq 0 ] ||
		why="$bfail batches failed, $timeouts timeouts, $dheld folios held; expected failures after timeouts, none held" ;;
	declined) [ "$ddeclined" -eq "$handed" ] && [ "$dcopied" -eq 0 ] ||
		why="$ddeclined of $handed folios declined, $dcopied copied by DMA; expected all declined" ;;
	held) if [ "$dheld" -lt 1 ] || [ "$timeouts" -lt 1 ]; then
			why="$dheld folios held, $timeouts timeouts; expected held folios after timeouts"
		elif ! held_drain 10000; then
			why="$(cat $DCP/folios_held_now) folios still held 10 s after the run: the late completions did not release them"
		elif ! dmesg | grep -q 'dcbm: .* cannot be stopped and did not complete'; then
			why="no 'cannot be stopped' warning in the kernel log"
		fi ;;
	deadline) [ "$bfail" -eq "$batches" ] && [ "$timeouts" -ge 16 ] && [ "$D_maxms" -le 2000 ] ||
		why="$bfail of $batches batches failed, $timeouts timeouts, longest batch $D_maxms ms; expected all failed, every channel timed out, at most 2000 ms per batch" ;;
	esac
}

# point NAME "SWDMA-LOAD" "SWDMA k=v..." "DCBM k=v..." FS SIZE "MIGBENCH-ARGS" EXPECT
n=0
point() {
	name=$1 load=$2 swset=$3 dcset=$4 fs=$5 size=$6 mbargs=$7 expect=$8
	selected "$name" || return 0
	if [ $((n % 2)) -eq 0 ]; then from=$na to=$nb; else from=$nb to=$na; fi
	n=$((n + 1))
	desc="$name (swdma ${load:-defaults}; $swset; $dcset; $fs x $size $from->$to)"
	engine "$load" || { ko "$desc: cannot load swdma $load / dcbm"; loaded=; return; }
	set -f
	# shellcheck disable=SC2086
	tr_setup $DCBM_EVENTS
	set +f
	why=$(set_params "$swset" "$dcset")
	[ -z "$why" ] || { ko "$desc: $why"; return; }
	k0=$(kwarn)
	read -r h0 <$DCP/folios_held
	dc_begin
	stamp
	t0=$T_NOW
	# shellcheck disable=SC2086
	migbench --size "$size" --folio-size "$fs" --from "$from" --to "$to" \
		$mbargs --json >"$dir/$name.json" 2>"$dir/$name.err"
	rc=$?
	took_since "$t0"
	took=$TOOK
	dc_end
	read -r h1 <$DCP/folios_held
	dheld=$((h1 - h0))
	echo 0 >$TR/tracing_on
	for kvp in $swset; do
		case ${kvp%%=*} in late_ms) v=1000 ;; *) v=0 ;; esac
		echo $v >"$SWP/${kvp%%=*}"
	done
	for f in $JFIELDS; do eval "J_$f="; done
	D_err=
	eval "$(dcbm_trace "$dir/$name.json" $TR/trace "$(cat $DCP/channels)")"
	handed=${D_handed:-0} batches=$D_batches bfail=$D_bfail timeouts=$D_timeouts
	why=$(mb_why "$rc" "$dir/$name.err")
	if [ -n "$why" ]; then
		:
	elif [ "$D_err" != - ]; then
		why="trace:$D_err"
	elif [ "$handed" -eq 0 ]; then
		why="no batch went to dcbm"
	elif [ $((dcopied + dfailed + ddeclined)) -ne "$handed" ]; then
		why="counters: +copied $dcopied +failed $dfailed +declined $ddeclined, $handed folios handed to dcbm"
	elif [ "$dheld" -gt "$dfailed" ]; then
		why="counters: +held $dheld is more than +failed $dfailed"
	else
		expectation "$expect"
	fi
	[ -z "$why" ] && why=$(kwarn_since "$k0")
	if [ -z "$why" ]; then
		ok "$desc: $J_pages pages verified${mbargs:+ ($mbargs)}; $batches batches, $bfail failed, $timeouts timeouts, $D_desc descriptors, longest $D_maxms ms; +copied $dcopied +failed $dfailed (+held $dheld) +declined $ddeclined = $handed handed ($took s)"
	else
		cat $TR/trace >"$dir/$name.trace"
		ko "$desc: $why ($took s)"
	fi
	tr_off
}

dflt="channels=4 timeout_ms=5000 require_terminate=1"
late="late_every=64 late_ms=2000"
settle="--settle 3000 --retry 5"
point intr-4K "" "intr_only=1" "$dflt" 4K 4M "" dma-all
point intr-2M "" "intr_only=1" "$dflt" 2M 8M "" dma-all
point seg-2M "max_seg_size=65536" "" "$dflt" 2M 8M "" desc=128
point ring-4K "" "ring_size=4" "channels=2 timeout_ms=5000" 4K 4M "" desc=1024
point late-term-4K "" "$late" "channels=4 timeout_ms=300" 4K 2M "$settle" quiesced
point noterm-declined-4K "terminate=0" "" "$dflt" 4K 2M "" declined
point noterm-held-4K "terminate=0" "$late" "channels=4 timeout_ms=300 require_terminate=0" 4K 2M "$settle" held
point deadline-64K "" "drop_every=1" "channels=16 timeout_ms=300 require_terminate=1" 64K 4M "" deadline

tr_off
k0=$(kwarn)
if held_drain 10000 && mods_reset; then
	ok "rmmod dcbm swdma once nothing is held"
else
	ko "rmmod dcbm/swdma failed ($(cat $DCP/folios_held_now 2>/dev/null) folios held)"
fi
check "no kernel warning at rmmod" "$(kwarn_since "$k0")"
t_end
