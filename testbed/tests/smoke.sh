#!/bin/sh
# Boot tests of the testbed (each boots qemu under TCG: ~10-25 s apiece).
#   testbed/tests/smoke.sh [--unpatched]
# Runs the topology scenario on both layouts, then migbench (phases preset),
# upstream and instance. With --unpatched (a kernel without the migscope
# series and without CONFIG_FTRACE_SYSCALLS), checks instead that the phases
# and upstream presets are refused with a message naming the missing events,
# and records the upstream migrate events with a reduced preset.
# Uses MIGSCOPE_KERNEL like testbed/run. Closes with "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$top/testbed/run
. "$top/tests/lib-console.sh"
out=${SMOKE_OUT:-${BUILD:-$top/build}/testbed/smoke}
pass=0
fail=0
unpatched=0
[ "${1:-}" = --unpatched ] && unpatched=1
mkdir -p "$out"

# boot NAME STATUS [testbed/run ARGS...]
boot() {
	name=$1 want=$2
	shift 2
	"$RUN" --out "$out/$name" "$@" >"$out/$name.log" 2>&1
	got=$?
	bad=$(console_bad "$out/$name/console.log" 2>/dev/null)
	if [ -n "$bad" ]; then
		fail=$((fail + 1))
		echo "FAIL  $name: the guest kernel complained (see $out/$name/console.log):"
		echo "$bad" | head -n 20 | sed 's/^/  /'
	elif [ -s "$out/$name/console.log" ]; then
		pass=$((pass + 1))
		echo "ok    $name: console has no WARNING/BUG/Oops/Call Trace/hung task"
	fi
	if [ "$got" -ne "$want" ]; then
		fail=$((fail + 1))
		echo "FAIL  $name: exit $got, expected $want (see $out/$name.log)"
		tail -n 25 "$out/$name.log"
		return 1
	fi
	return 0
}

okif() { # NAME CONDITION-STATUS MESSAGE
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok    $1"
	else
		fail=$((fail + 1))
		echo "FAIL  $1: $3"
	fi
}

# trace_has NAME FILE PATTERN: trace-cmd report of FILE matches PATTERN
trace_has() {
	trace-cmd report -i "$2" 2>/dev/null | grep -q -- "$3"
	okif "$1" $? "no '$3' in trace-cmd report -i $2"
}

boot topology-2node 0 topology && okif topology-2node 0 ""
boot topology-8cpu-4l3 0 --layout 8cpu-4l3 topology && okif topology-8cpu-4l3 0 ""

if [ "$unpatched" = 1 ]; then
	if boot phases-refused 1 migbench; then
		grep -q 'event migrate_batch is not in .*lacks the migscope series' "$out/phases-refused/console.log"
		okif phases-refused $? "no clear message in console.log"
	fi
	if boot upstream-refused 1 upstream; then
		grep -q 'syscalls:sys_enter_move_pages is not in .*CONFIG_FTRACE_SYSCALLS is off' "$out/upstream-refused/console.log"
		okif upstream-refused $? "no clear message in console.log"
	fi
	# the upstream preset less the syscall events this kernel lacks
	p=$out/upstream-nosys
	grep -v '^syscalls:' "$top/tracepoints/presets/upstream" |
		awk '$0 == "-e" { e = 1; next } e && !/^-/ { print "-e" } { e = 0; print }' >"$p"
	set -- --add "$p"
	preset="-P /run/migscope/files/upstream-nosys"
else
	if boot migbench 0 migbench; then
		trace_has migbench-batch "$out/migbench/trace.dat" 'mm_migrate_batch'
		trace_has migbench-syscall "$out/migbench/trace.dat" 'sys_enter_move_pages'
	fi
	set --
	preset=
fi

# shellcheck disable=SC2086
if boot upstream 0 "$@" upstream $preset; then
	trace_has upstream-markers "$out/upstream/trace.dat" 'migscope:end'
	trace_has upstream-call "$out/upstream/trace.dat" 'mm_migrate_pages:.*nr_succeeded=16384 nr_failed=0'
	grep -q '"failures":0,' "$out/upstream/migbench.json"
	okif upstream-json $? "$(cat "$out/upstream/migbench.json")"
fi
# shellcheck disable=SC2086
if boot instance 0 "$@" instance $preset -- --pages 1000 --from 1 --to 0; then
	trace_has instance-buffer "$out/instance/trace.dat" '^migscope: .*mm_migrate_pages:.*nr_succeeded=1000'
	trace_has instance-markers "$out/instance/trace.dat" '^migscope: .*migscope:begin v=1'
fi
# shellcheck disable=SC2086
if boot 8cpu-move 0 --layout 8cpu-4l3 "$@" upstream $preset -- --pages 2048 --from 2 --to 0; then
	grep -q '"from_node":2,"to_node":0,.*"failures":0,' "$out/8cpu-move/migbench.json"
	okif 8cpu-move $? "$(cat "$out/8cpu-move/migbench.json")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
