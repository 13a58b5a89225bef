#!/bin/sh
# offline-busy: memory offline while other migrations run, with a migrator.
#   offline-busy.sh [-m MODULE[:P=V...]]... [--rounds N]
# Needs a movable memory block (testbed/run --hotplug SIZE@NODE). Loads the
# modules (the migrator: mtcopy, or swdma and dcbm), offloads every reason
# (offload_reasons=all), then runs together:
#   - migbench --driver offline: the region on the block's node M, the
#     block offlined (Linux migrates its pages away, reason memory_hotplug,
#     with the migrator) and onlined again, with migbench's rw thread;
#   - a loop of migbench move_pages of 4 MiB between M and another memory
#     node, back and forth, until the offline is done (at least N rounds).
# Checks: every migbench verified its data and placement (exit 0); the
# loop ran during the offline; the trace has memory_hotplug batches, each
# handed to the migrator (dcbm may decline one: busy); no kernel warning,
# lockdep splat or hung task (the CPU hotplug lock is held by offline
# while it migrates: a migrator must not take it again).
# Output: $OUT/offline-busy.txt, offline-busy/ (JSON, errors, trace).
. /scenarios/mtcopy-lib.sh

rounds=3
mig=
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	-m) mod=$(echo "$2" | tr ':' ' ')
	    # shellcheck disable=SC2086
	    modprobe $mod || fail "modprobe $mod failed"
	    case $2 in swdma*) ;; *) mig=${2%%:*} ;; esac ;;
	--rounds) rounds=$2 ;;
	*) fail "unknown argument '$1' (offline-busy.sh [-m MODULE[:P=V...]]... [--rounds N])" ;;
	esac
	shift 2
done

t_begin offline-busy
[ -n "$mig" ] || fail "no migrator loaded (-m mtcopy, or -m swdma -m dcbm)"
expect_eq "migrator" "$(migrator)" "$mig"
echo all >$MIGRATE/offload_reasons || fail "cannot write offload_reasons"
m0=$(movable_node)
[ -n "$m0" ] || fail "no movable memory block: use testbed/run --hotplug SIZE@NODE"
other=
for n in $(mem_nodes); do
	[ "$n" = "$m0" ] || { other=$n; break; }
done
[ -n "$other" ] || fail "no memory node besides $m0"
k0=$(kwarn)
tr_setup migrate_batch:mm_migrate_batch_begin migrate_batch:mm_migrate_copy_dispatch

loopdone=$dir/loop.done
: >"$dir/loop.status"
(
	i=0
	while [ ! -e "$loopdone" ] || [ $i -lt "$rounds" ]; do
		if [ $((i % 2)) -eq 0 ]; then f=$other t=$m0; else f=$m0 t=$other; fi
		migbench --size 4M --from "$f" --to "$t" --json >"$dir/loop.$i.json" 2>"$dir/loop.$i.err"
		echo "$i $?" >>"$dir/loop.status"
		i=$((i + 1))
	done
) &
loop=$!
migbench --driver offline --from "$m0" --to "$other" --rw-thread --pages 8192 --json \
	>"$dir/offline.json" 2>"$dir/offline.err"
orc=$?
n_during=$(wc -l <"$dir/loop.status")
: >"$loopdone"
wait $loop
echo 0 >$TR/tracing_on
cp $TR/trace "$dir/trace"
tr_off

check "migbench --driver offline $m0 -> $other with $mig, rw thread: verified" \
	"$([ $orc -eq 0 ] || echo "exit $orc: $(grep -v '^migbench: note:' "$dir/offline.err" | head -n 2 | tr '\n' ' ')")"
nl=$(wc -l <"$dir/loop.status")
nbad=$(awk '$2 != 0' "$dir/loop.status" | wc -l)
check "move_pages loop $other <-> $m0 during the offline: $nl runs ($n_during while it ran), all verified" \
	"$([ "$nbad" -eq 0 ] && [ "$n_during" -ge 1 ] || echo "$nbad of $nl failed, $n_during during the offline: $(cat "$dir"/loop.*.err 2>/dev/null | grep -v note: | head -n 2 | tr '\n' ' ')")"
eval "$(awk "$TR_AWK"'
	tr_parse() == 0 { next }
	EV == "mm_migrate_batch_begin" && F["reason"] == "memory_hotplug" { hp[F["id"]] = 1; n++ }
	EV == "mm_migrate_copy_dispatch" && (F["id"] in hp) {
		if (F["migrator"] == M && (F["declined"] == "no" || F["declined"] == "busy")) ok++
		else other++
	}
	END { printf "H_batches=%d H_ok=%d H_other=%d\n", n, ok, other }' M="$mig" "$dir/trace")"
check "memory_hotplug batches with $mig: $H_batches, $H_ok handed to it" \
	"$([ "$H_batches" -ge 1 ] && [ "$H_other" -eq 0 ] && [ "$H_ok" -ge 1 ] || echo "$H_batches batches, $H_ok to $mig, $H_other elsewhere")"
check "no kernel warning, lockdep splat or hung task" "$(kwarn_since "$k0")"
t_end
