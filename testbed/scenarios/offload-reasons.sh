#!/bin/sh
# offload-reasons: /sys/kernel/mm/migrate/offload_reasons, the reasons whose
# batches may go to a migrator:
#   - the default list; bad values (unknown names, a bad name in a good
#     list) fail with EINVAL and change nothing; none, all, comma and space
#     separated lists are taken and read back by name;
#   - with mtcopy registered, three recordings (mtcopy preset) for the
#     host to check (tests/paths.sh): move_pages with syscall_or_cpuset
#     disabled (off/), enabled (on/), and NUMA-hinting faults with the
#     default list, which leaves numa_misplaced out (numa/). Every byte is
#     verified by migbench in each;
#   - with dcbm (over swdma) at min_bytes=2M, a move_pages of 2304 pages
#     (four batches of 512 and one of 256 at batch_max_pages 512) for the
#     callers section: the 1 MiB batch is declined for its size (size/).
# Output: $OUT/offload-reasons.txt, $OUT/offload-reasons/{off,on,numa,size}/.
. /scenarios/mtcopy-lib.sh

OR=$MIGRATE/offload_reasons
default="memory_hotplug syscall_or_cpuset mempolicy_mbind demotion damon"
all="compaction memory_failure memory_hotplug syscall_or_cpuset mempolicy_mbind numa_misplaced contig_range longterm_pin demotion damon"

t_begin offload-reasons
mods_reset
mem_pair
[ -e "$OR" ] || fail "no $OR: a kernel without the series' offload_reasons patch (kernel/patches)"
k0=$(kwarn)

# ---- the control
expect_eq "default offload_reasons" "$(cat $OR)" "$default"
for bad in bogus "syscall_or_cpuset bogus" syscall "all,foo" "compaction,,x"; do
	reject "offload_reasons" "$OR" "$bad"
done
accept "offload_reasons" "$OR" none
accept "offload_reasons" "$OR" all "$all"
accept "offload_reasons" "$OR" "compaction,demotion" "compaction demotion"
accept "offload_reasons" "$OR" " damon  numa_misplaced " "numa_misplaced damon"
accept "offload_reasons" "$OR" "" none
accept "offload_reasons" "$OR" "$default"

# ---- gating, recorded with mtcopy registered
modprobe mtcopy min_bytes=0 || fail "modprobe mtcopy min_bytes=0 failed"
expect_eq "migrator" "$(migrator)" mtcopy

# record NAME OFFLOAD_REASONS MIGBENCH ARGS...: one recording in $dir/NAME
# (preset $preset)
preset=mtcopy
record() {
	_n=$1
	_r=$2
	shift 2
	mkdir -p "$dir/$_n" || fail "mkdir $dir/$_n"
	wr "$OR" "$_r" >/dev/null || ko "$_n: cannot write '$_r' to $OR"
	echo "$(cat $OR)" >"$dir/$_n/offload_reasons"
	if (OUT=$dir/$_n; run_migbench -p "$preset" -- "$@") >"$dir/$_n/log" 2>&1; then
		ok "$_n: migbench $* moved and verified every page (offload_reasons: $(cat $OR))"
	else
		ko "$_n: migbench $* failed: $(tail -n 3 "$dir/$_n/log" | tr '\n' ' ')"
	fi
}

record off "mempolicy_mbind" --pages 2048 --from "$na" --to "$nb"
record on "syscall_or_cpuset" --pages 2048 --from "$na" --to "$nb"
record numa "$default" --driver numa-fault --pages 256 --from "$na" --to "$nb"
quiet_vm
wr "$OR" "$default" >/dev/null
expect_eq "offload_reasons restored" "$(cat $OR)" "$default"
rmmod mtcopy || ko "rmmod mtcopy failed"

# ---- the callers section: dcbm's size threshold, in the marker
modprobe swdma && modprobe dcbm min_bytes=2097152 ||
	fail "modprobe swdma, dcbm min_bytes=2097152 failed"
expect_eq "migrator" "$(migrator)" dcbm
wr "$MIGRATE/batch_max_pages" 512 >/dev/null
preset=dcbm
record size "$default" --pages 2304 --from "$na" --to "$nb"
quiet_vm
rmmod dcbm && rmmod swdma || ko "rmmod dcbm swdma failed"
expect_eq "kernel warnings" "$(($(kwarn) - k0))" 0
t_end
