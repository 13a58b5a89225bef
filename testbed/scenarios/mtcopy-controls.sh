#!/bin/sh
# mtcopy-controls: every control of mtcopy and of the batch copy, good and
# bad values:
#   - load-time parameters out of range: modprobe fails, nothing loaded;
#   - the defaults (enable Y, threads 4, policy spread, cpus empty);
#   - /sys/module/mtcopy/parameters/{enable,threads,policy,cpus}: bad values
#     fail with EINVAL and leave the value unchanged, good values are taken
#     and read back; enable 0/1 (un)registers (migrator kernel/mtcopy);
#   - /sys/kernel/mm/migrate/{batch_copy,batch_max_pages}: the same;
#     migrator is read-only;
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
