# Helpers shared by the testbed scenarios (sourced; busybox sh).
# Scenarios check every step explicitly (set -e semantics, spelled out):
# a failed step calls fail, which names it and exits non-zero.

OUT=${OUT:-/out}
# the timing label of every trace (testbed/run sets it; --icount changes it)
: "${MIGSCOPE_EMULATED:=qemu-tcg}"

fail() {
	echo "scenario: FAILED: $*" >&2
	exit 1
}

note() {
	echo "scenario: $*"
}

# expand_list "0-2,5": "0 1 2 5"
expand_list() {
	echo "$1" | tr ',' '\n' | while IFS=- read -r a b; do
		[ -n "$a" ] || continue
		i=$a
		while [ "$i" -le "${b:-$a}" ]; do
			printf '%s ' "$i"
			i=$((i + 1))
		done
	done
}

# mem_nodes: the nodes with memory, space separated
mem_nodes() {
	[ -r /sys/devices/system/node/has_memory ] ||
		fail "no /sys/devices/system/node/has_memory: kernel without CONFIG_NUMA"
	expand_list "$(cat /sys/devices/system/node/has_memory)"
}

# run_migbench [-m MODULE[:PARAM=V...]]... [-B INSTANCE] [-p PRESET | -P FILE]
#              [--] [MIGBENCH ARGS...]
# Loads each MODULE (modprobe MODULE PARAM=V ..., in order), then records
# vm_settle: wait until the migration counters of /proc/vmstat held still
# for 300 ms (at most 5 s): kswapd may still be demoting after migbench
vm_settle() {
	_i=0
	_a=$(grep -E '^(pgmigrate_success|pgdemote_)' /proc/vmstat)
	while [ $_i -lt 16 ]; do
		usleep 300000
		_b=$(grep -E '^(pgmigrate_success|pgdemote_)' /proc/vmstat)
		[ "$_a" = "$_b" ] && return 0
		_a=$_b
		_i=$((_i + 1))
	done
}

# migbench under migscope-record into $OUT/trace.dat; migbench's JSON goes
# to $OUT/migbench.json, /proc/vmstat just before and after it (inside the
# recording) to $OUT/vmstat.before and $OUT/vmstat.after. Default migbench
# arguments: 16384 pages (64 MiB) from the first to the second memory node.
run_migbench() {
	rec=
	while [ $# -gt 0 ]; do
		case $1 in
		-m) [ $# -ge 2 ] || fail "-m needs a module"
		    mod=$(echo "$2" | tr ':' ' ')	# MODULE P=V P=V
		    # shellcheck disable=SC2086
		    modprobe $mod ||
			fail "modprobe $mod failed (a kernel without the series' modules? see dmesg.txt)"
		    note "loaded $mod"
		    shift 2 ;;
		-B|-p|-P) [ $# -ge 2 ] || fail "$1 needs a value"
			  rec="$rec $1 $2"; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	if [ $# -eq 0 ]; then
		set -- $(mem_nodes)
		[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
		set -- --pages 16384 --from "$1" --to "$2"
	fi
	vm_settle	# nothing of the previous path in this one's counters
	note "migscope-record$rec --emulated '$MIGSCOPE_EMULATED' -o $OUT/trace.dat -- migbench $* --json"
	# $rec holds option words without spaces: split on purpose
	# shellcheck disable=SC2086
	migscope-record $rec --emulated "$MIGSCOPE_EMULATED" -o "$OUT/trace.dat" -- \
		sh -c 'cat /proc/vmstat >"$0/vmstat.before"
		       migbench "$@" --json; rc=$?
		       . /scenarios/lib.sh; vm_settle
		       cat /proc/vmstat >"$0/vmstat.after"; exit $rc' \
		"$OUT" "$@" >"$OUT/migbench.json"
	rc=$?
	if [ "$rc" -gt 128 ] && [ "$rc" -ne 255 ]; then
		fail "migbench was killed by signal $((rc - 128)) (9: the OOM killer? see dmesg.txt; use fewer pages or --mem)"
	fi
	[ "$rc" -eq 0 ] || fail "migscope-record/migbench exited with status $rc"
	[ -s "$OUT/migbench.json" ] || fail "migbench wrote no JSON"
	[ -s "$OUT/trace.dat" ] || fail "no $OUT/trace.dat"
	cat "$OUT/migbench.json"
	grep -q '"failures":0,' "$OUT/migbench.json" ||
		fail "migbench reports failures: $(cat "$OUT/migbench.json")"
	note "trace.dat: $(wc -c <"$OUT/trace.dat") bytes"
}

# movable_node: the node of the first memory block in ZONE_MOVABLE ("" when
# there is none: testbed/run --hotplug SIZE@NODE adds one)
movable_node() {
	for _b in /sys/devices/system/memory/memory*; do
		[ "$(cat "$_b/valid_zones" 2>/dev/null)" = Movable ] || continue
		for _n in "$_b"/node*; do
			[ -e "$_n" ] && { echo "${_n##*/node}"; return; }
		done
	done
}

# json_field NAME FILE: the value of a field of the one-line JSON object in
# FILE (migbench --json): a number, true/false/null, or a string unquoted
json_field() {
	sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$2"
}

# kernel_complaints: how many such lines the kernel log holds so far.
# What the kernel must never log: WARN and BUG lines (lockdep, sleeping
# in atomic context, list debugging, KFENCE and KASAN reports all print one
# of them), oopses, call traces and the hung-task detector. The host's copy
# is KERNEL_COMPLAINTS in tests/lib-console.sh.
KCOMPLAINTS='WARNING:|BUG:|Oops|Call Trace|blocked for more than'
kernel_complaints() {
	dmesg | grep -c -E "$KCOMPLAINTS"
}
