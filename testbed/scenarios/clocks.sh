#!/bin/sh
# clocks: one migbench run of 512 pages recorded with plain trace-cmd (no
# migscope markers) under the clocks whose handling the analyzer tests:
#   $OUT/tsc.dat     -C x86-tsc: timestamps are TSC cycles
#   $OUT/local.dat   -C local: per-CPU clocks
# and each one's NAME.migbench.json.  trace-cmd record --tsc2nsec is tried
# too; under TCG the guest marks its TSC unstable and trace-cmd refuses
# it ("TSC to nanosecond is not supported"), so analyzer/tests/data's
# tsc2nsec.dat is made from tsc.dat by mk-tsc2nsec.py.
. /scenarios/lib.sh
set -- $(mem_nodes)
[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
from=$1 to=$2
ev="-e migrate_batch -e migrate:mm_migrate_pages_start -e migrate:mm_migrate_pages -e syscalls:sys_enter_move_pages -e syscalls:sys_exit_move_pages"
note "trace_clock: $(cat /sys/kernel/tracing/trace_clock)"
note "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
dmesg | grep 'tsc:'
for c in x86-tsc local; do
	name=${c%-*}
	[ "$c" = x86-tsc ] && name=tsc
	# shellcheck disable=SC2086
	trace-cmd record -C "$c" $ev -o "$OUT/$name.dat" \
		migbench --pages 512 --from "$from" --to "$to" --json \
		>"$OUT/$name.migbench.json" ||
		fail "trace-cmd record -C $c failed"
	grep -q '"failures":0,' "$OUT/$name.migbench.json" ||
		fail "migbench: $(cat "$OUT/$name.migbench.json")"
done
# shellcheck disable=SC2086
if trace-cmd record --tsc2nsec $ev -o "$OUT/tsc2nsec.dat" \
	migbench --pages 512 --from "$from" --to "$to" >/dev/null 2>&1; then
	note "trace-cmd record --tsc2nsec works here: $OUT/tsc2nsec.dat"
else
	note "trace-cmd record --tsc2nsec refused (unstable TSC)"
fi
exit 0
