#!/bin/sh
# mtcopy-controls: every control of mtcopy and of the batch copy, good and
# bad values:
#   - load-time parameters out of range: modprobe fails, nothing loaded;
#   - the defaults (enable Y, threads 4, policy spread, cpus empty,
#     min_bytes 1048576);
#   - /sys/module/mtcopy/parameters/{enable,threads,policy,cpus}: bad values
#     fail with EINVAL and leave the value unchanged, good values are taken
#     and read back; enable 0/1 (un)registers (migrator kernel/mtcopy);
#   - /sys/kernel/mm/migrate/{batch_copy,batch_max_pages}: the same;
#     migrator is read-only;
#   - min_bytes: a 1 MiB batch under min_bytes=2M is declined (the core's
#     mm_migrate_copy_dispatch declined=size, no mtcopy_dispatch), a 2 MiB
#     one is taken; min_bytes=0, threads=4: a batch of 2 4K folios gets 2
#     workers, not 4 (no empty work item); worker 0 is the calling task
#     (migbench), the others kworkers or, for a share it took back from a
#     worker that had not started, the calling task; bytes verified;
#   - only one migrator: with dcbm registered, enable=1 fails with EBUSY
#     (enable stays N, migrator stays dcbm) and loading mtcopy fails with
#     EBUSY; once dcbm is gone, enable=1 registers mtcopy.
# Output: $OUT/mtcopy-controls.txt.
. /scenarios/mtcopy-lib.sh

t_init mtcopy-controls
mods_reset
k0=$(kwarn)
ncpus=$(expand_list "$(cat /sys/devices/system/cpu/possible)" | wc -w)

# ---- load-time parameters
for bad in threads=0 threads=65 threads=abc policy=bogus cpus=$ncpus enable=2; do
	if e=$(modprobe mtcopy "$bad" 2>&1); then
		ko "modprobe mtcopy $bad succeeded"
		rmmod mtcopy
	elif [ -d /sys/module/mtcopy ]; then
		ko "modprobe mtcopy $bad failed but the module is loaded"
	else
		ok "modprobe mtcopy $bad refused: $(echo "$e" | tail -n 1)"
	fi
done
if modprobe mtcopy threads=8 policy=fill; then
	expect_eq "modprobe mtcopy threads=8 policy=fill: threads" "$(cat $MTP/threads)" 8
	expect_eq "modprobe mtcopy threads=8 policy=fill: policy" "$(cat $MTP/policy)" fill
	rmmod mtcopy || ko "rmmod mtcopy failed"
else
	ko "modprobe mtcopy threads=8 policy=fill failed"
fi

if ! modprobe mtcopy; then
	ko "modprobe mtcopy failed"
	t_end
fi
ok "modprobe mtcopy"
expect_eq "default enable" "$(cat $MTP/enable)" Y
expect_eq "default threads" "$(cat $MTP/threads)" 4
expect_eq "default policy" "$(cat $MTP/policy)" spread
expect_eq "default cpus (empty)" "$(cat $MTP/cpus)" ""
expect_eq "default min_bytes" "$(cat $MTP/min_bytes)" 1048576
expect_eq "migrator after modprobe" "$(migrator)" mtcopy

# ---- enable
# a boolean (kstrtobool): y/n, 1/0, on/off; anything else is refused
for v in 2 -1 abc "" x o; do reject enable $MTP/enable "$v"; done
accept enable $MTP/enable n N
accept enable $MTP/enable on Y
accept enable $MTP/enable off N
accept enable $MTP/enable Y Y
accept enable $MTP/enable 0 N
expect_eq "migrator with enable=0" "$(migrator)" kernel
accept enable $MTP/enable 0 N
accept enable $MTP/enable 1 Y
expect_eq "migrator with enable=1" "$(migrator)" mtcopy
accept enable $MTP/enable 1 Y
expect_eq "migrator after enable=1 twice" "$(migrator)" mtcopy

# ---- threads
for v in 0 65 -1 abc 4.5 "" 4294967297 0x; do reject threads $MTP/threads "$v"; done
for v in 1 64 8 4; do accept threads $MTP/threads "$v"; done

# ---- policy
for v in bogus "" SPREAD "spread fill" spreadx cpu; do reject policy $MTP/policy "$v"; done
for v in fill dst src cpus spread; do accept policy $MTP/policy "$v"; done

# ---- cpus
for v in "" abc $ncpus 0-999 3-1 -1 "0-1,x"; do reject cpus $MTP/cpus "$v"; done
accept cpus $MTP/cpus 0
accept cpus $MTP/cpus "1,3" "1,3"
accept cpus $MTP/cpus "0-$((ncpus - 1))"
accept cpus $MTP/cpus "$((ncpus - 1))"

# ---- min_bytes
for v in -1 abc "" 18446744073709551616 1.5; do reject min_bytes $MTP/min_bytes "$v"; done
for v in 18446744073709551615 0 1048576; do accept min_bytes $MTP/min_bytes "$v"; done

# shares_point NAME MIN_BYTES THREADS SIZE: migbench SIZE of 4K folios A->B
# under the events; sets S_disp (mtcopy_dispatch lines), S_thr (their
# threads=), S_size (copy_dispatch declined=size lines), S_w0 (comm of
# worker 0's begin lines), S_wk (comms of the other workers)
set -- $(mem_nodes)
sa=$1 sb=$2
shares_point() {
	echo "$2" >$MTP/min_bytes
	echo "$3" >$MTP/threads
	tr_setup mtcopy:mtcopy_dispatch mtcopy:mtcopy_worker_begin \
		migrate_batch:mm_migrate_copy_dispatch
	if ! migbench --size "$4" --folio-size 4K --from "$sa" --to "$sb" \
		>"$OUT/mtcopy-controls.$1.out" 2>&1; then
		S_err="migbench failed: $(head -n 2 "$OUT/mtcopy-controls.$1.out" | tr '\n' ' ')"
	else
		S_err=
	fi
	cp $TR/trace "$OUT/mtcopy-controls.$1.trace"
	tr_off
	_t=$OUT/mtcopy-controls.$1.trace
	S_disp=$(grep -c ' mtcopy_dispatch: ' "$_t")
	S_thr=$(sed -n 's/.* mtcopy_dispatch: .*threads=\([0-9]*\).*/\1/p' "$_t" | sort -u | tr '\n' ' ')
	S_size=$(grep ' mm_migrate_copy_dispatch: ' "$_t" | grep -c 'declined=size')
	S_w0=$(grep ' mtcopy_worker_begin: .*worker=0 ' "$_t" | sed 's/^ *\(.*\)-[0-9]* *\[.*/\1/' | sort -u | tr '\n' ' ')
	S_wk=$(grep ' mtcopy_worker_begin: ' "$_t" | grep -v 'worker=0 ' | sed 's/^ *\(.*\)-[0-9]* *\[.*/\1/' | sed 's/\/.*//' | sort -u | tr '\n' ' ')
}
shares_point below 2097152 4 1M
check "min_bytes=2M, a 1 MiB batch: declined (size), no mtcopy dispatch" \
	"$S_err$( [ "$S_disp" -eq 0 ] && [ "$S_size" -eq 1 ] || echo "$S_disp dispatches, $S_size declined=size")"
shares_point at 2097152 4 2M
check "min_bytes=2M, a 2 MiB batch: taken by 4 workers" \
	"$S_err$( [ "$S_disp" -eq 1 ] && [ "$S_size" -eq 0 ] && [ "$S_thr" = "4 " ] || echo "$S_disp dispatches (threads $S_thr), $S_size declined=size")"
check "worker 0 is the calling task (migbench); the others kworkers, or the calling task when it took their share back" \
	"$( [ "$S_w0" = "migbench " ] && case "$S_wk" in "kworker "|"migbench "|"kworker migbench "|"migbench kworker ") true ;; *) false ;; esac || echo "worker 0 ran in '$S_w0', the others in '$S_wk'")"
shares_point few 0 4 8K
check "threads=4, a batch of 2 4K folios: 2 workers, no empty work item" \
	"$S_err$( [ "$S_disp" -eq 1 ] && [ "$S_thr" = "2 " ] || echo "$S_disp dispatches, threads $S_thr")"
echo 4 >$MTP/threads
echo 1048576 >$MTP/min_bytes

# ---- the batch copy controls
reject batch_copy $MIGRATE/batch_copy 2
reject batch_copy $MIGRATE/batch_copy -1
reject batch_copy $MIGRATE/batch_copy abc
reject batch_copy $MIGRATE/batch_copy ""
accept batch_copy $MIGRATE/batch_copy 0
accept batch_copy $MIGRATE/batch_copy y 1
accept batch_copy $MIGRATE/batch_copy off 0
accept batch_copy $MIGRATE/batch_copy on 1
accept batch_copy $MIGRATE/batch_copy 1
for v in 0 262145 -1 abc ""; do reject batch_max_pages $MIGRATE/batch_max_pages "$v"; done
accept batch_max_pages $MIGRATE/batch_max_pages 1
accept batch_max_pages $MIGRATE/batch_max_pages 262144
accept batch_max_pages $MIGRATE/batch_max_pages 512
reject migrator $MIGRATE/migrator dcbm "Permission denied"

# ---- one migrator at a time
accept enable $MTP/enable 0 N
if modprobe swdma && modprobe dcbm; then
	ok "modprobe swdma dcbm with mtcopy loaded, enable=0"
	expect_eq "migrator with dcbm" "$(migrator)" dcbm
	reject "enable with dcbm registered" $MTP/enable 1 "Device or resource busy"
	expect_eq "migrator still" "$(migrator)" dcbm
	rmmod mtcopy || ko "rmmod mtcopy (enable=0) failed"
	if e=$(modprobe mtcopy 2>&1); then
		ko "modprobe mtcopy with dcbm registered succeeded"
	elif echo "$e" | grep -q "Device or resource busy"; then
		ok "modprobe mtcopy with dcbm registered: EBUSY"
	else
		ko "modprobe mtcopy with dcbm registered: $e (expected EBUSY)"
	fi
	[ -d /sys/module/mtcopy ] && ko "mtcopy is loaded after a refused modprobe"
	expect_eq "migrator after the refused modprobe" "$(migrator)" dcbm
	if modprobe mtcopy enable=0; then
		ok "modprobe mtcopy enable=0 with dcbm registered"
	else
		ko "modprobe mtcopy enable=0 with dcbm registered failed"
	fi
	rmmod dcbm || ko "rmmod dcbm failed"
	expect_eq "migrator after rmmod dcbm" "$(migrator)" kernel
	accept "enable once dcbm is gone" $MTP/enable 1 Y
	expect_eq "migrator" "$(migrator)" mtcopy
	rmmod swdma || ko "rmmod swdma failed"
else
	ko "modprobe swdma/dcbm failed: cannot test EBUSY"
fi

check "no kernel warning" "$(kwarn_since "$k0")"
mods_reset
t_end
