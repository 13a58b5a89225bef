#!/bin/sh
# mtcopy-unload: load and unload mtcopy repeatedly while migrations run.
# A background loop runs migbench without pause (8M, folio sizes 4K, 64K,
# 2M, 16K in turn, both directions, with the rw thread); meanwhile, ROUNDS
# times: modprobe mtcopy (threads and policy varied), wait a little, rmmod
# mtcopy. Checks:
#   - every modprobe and every rmmod succeeds, and the migrator reads
#     mtcopy after each load and kernel after each unload;
#   - every migbench of the loop passed (every byte verified, every page
#     moved, no wrong read by the rw thread), and the loop ran;
#   - batches were copied both by mtcopy and by the kernel during the loop
#     (tracefs: mm_migrate_copy_dispatch), all with rc=0;
#   - how many rmmods overlapped an mtcopy batch copy (from the trace: the
#     rmmod's begin/end markers against copy_begin..copy_dispatch of the
#     batches mtcopy copied) is reported; at least one must, or the test
#     did not exercise the race;
#   - no kernel warning, BUG or oops; afterwards mtcopy loads and copies
#     a verified migration.
#
#   mtcopy-unload.sh [--rounds N] [--size SIZE]     (default 50, 8M)
# Output: $OUT/mtcopy-unload.txt, $OUT/mtcopy-unload/ (loop JSON, trace).
. /scenarios/mtcopy-lib.sh

rounds=50
size=8M
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--rounds) rounds=$2 ;;
	--size) size=$2 ;;
	*) fail "unknown argument '$1' (mtcopy-unload.sh [--rounds N] [--size S])" ;;
	esac
	shift 2
done

t_begin mtcopy-unload
mem_pair
ncpus=$(expand_list "$(cat /sys/devices/system/cpu/online)" | wc -w)
mods_reset
k0=$(kwarn)
tr_setup migrate_batch:mm_migrate_batch_begin migrate_batch:mm_migrate_copy_begin \
	migrate_batch:mm_migrate_copy_dispatch

loop_start "$dir" "$size" "$na" "$nb"
note "migration loop running (pid $lpid); $rounds rounds of modprobe/rmmod mtcopy"

t0=$(uptime_s)
load_fail=0
unload_fail=0
state_bad=0
n=1
while [ $n -le $rounds ]; do
	case $((n % 5)) in
	0) opts="threads=1 policy=spread" ;;
	1) opts="threads=2 policy=fill" ;;
	2) opts="threads=$ncpus policy=dst" ;;
	3) opts="threads=4 policy=src" ;;
	4) opts="threads=3 policy=cpus cpus=1-$((ncpus - 1))" ;;
	esac
	# shellcheck disable=SC2086
	if ! e=$(modprobe mtcopy $opts min_bytes=0 2>&1); then
		load_fail=$((load_fail + 1))
		ko "round $n: modprobe mtcopy $opts failed: $e"
	elif [ "$(migrator)" != mtcopy ]; then
		state_bad=$((state_bad + 1))
		ko "round $n: migrator '$(migrator)' after modprobe, expected mtcopy"
	fi
	usleep $(((n % 3 + 1) * 100000))
	tr_mark "migscope:unload rmmod-begin n=$n"
	if ! e=$(rmmod mtcopy 2>&1); then
		unload_fail=$((unload_fail + 1))
		ko "round $n: rmmod mtcopy failed: $e"
	fi
	tr_mark "migscope:unload rmmod-end n=$n"
	if [ -d /sys/module/mtcopy ] || [ "$(migrator)" != kernel ]; then
		state_bad=$((state_bad + 1))
		ko "round $n: after rmmod: /sys/module/mtcopy $([ -d /sys/module/mtcopy ] && echo exists || echo gone), migrator '$(migrator)'"
	fi
	usleep 50000
	n=$((n + 1))
done
took=$(elapsed "$t0")
loop_stop
cat $TR/trace >"$dir/trace.txt"
tr_off

[ $load_fail -eq 0 ] && ok "$rounds x modprobe mtcopy succeeded"
[ $unload_fail -eq 0 ] && ok "$rounds x rmmod mtcopy succeeded ($took s)"
[ $state_bad -eq 0 ] && ok "migrator read mtcopy after every load, kernel after every unload"

loop_check

lost=$(tr_lost "$dir/trace.txt")
[ -z "$lost" ] || ko "$lost trace events lost: the overlap count below is incomplete"
res=$(unload_overlaps mtcopy "$dir/trace.txt")
set -- $res
note "batch copies: mtcopy $1, kernel $2, other $3, rc!=0 $4; rmmods traced $5, overlapping an mtcopy copy $6"
[ "$1" -gt 0 ] && [ "$2" -gt 0 ] && ok "batches copied by mtcopy ($1) and by the kernel ($2) during the rounds" ||
	ko "batch copies during the rounds: mtcopy $1, kernel $2 (expected both)"
[ "$3" -eq 0 ] && [ "$4" -eq 0 ] && ok "every batch copy succeeded (rc=0)" ||
	ko "batch copies: $3 by another migrator, $4 with rc != 0"
[ "$5" -eq "$rounds" ] || ko "$5 rmmods in the trace, expected $rounds"
[ "$6" -ge 1 ] && ok "$6 of $rounds rmmods ran while mtcopy was copying a batch" ||
	ko "no rmmod overlapped an mtcopy batch copy: the race was not exercised"

check "no kernel warning during the rounds" "$(kwarn_since "$k0")"

# afterwards: mtcopy still works
if modprobe mtcopy min_bytes=0 && migbench --size "$size" --from "$na" --to "$nb" --rw-thread --json \
	>"$dir/after.json" 2>"$dir/after.err" && [ "$(jfield migrator "$dir/after.json")" = mtcopy ]; then
	ok "after the rounds: modprobe mtcopy and a verified migration with it"
else
	ko "after the rounds: $(cat "$dir/after.err" 2>/dev/null | head -n 3 | tr '\n' ' ')"
fi
mods_reset
check "no kernel warning at the end" "$(kwarn_since "$k0")"
t_end
