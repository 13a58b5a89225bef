#!/bin/sh
# Host tests of testbed/run's argument checks (nothing is booted).
# Closes with "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$top/testbed/run
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# t NAME STATUS PATTERN ARGS...: testbed/run ARGS exits STATUS, stderr has PATTERN
t() {
	name=$1 want=$2 pat=$3
	shift 3
	"$RUN" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail=$((fail + 1))
		echo "FAIL  $name: exit $got, expected $want: $(cat "$tmp/err")"
	elif ! grep -q -- "$pat" "$tmp/err" "$tmp/out"; then
		fail=$((fail + 1))
		echo "FAIL  $name: output lacks '$pat': $(cat "$tmp/err")"
	else
		pass=$((pass + 1))
		echo "ok    $name"
	fi
}

t help 0 'usage: testbed/run' --help
t no-scenario 2 'no scenario given.*topology'
t bad-scenario 2 "no scenario 'nosuch'" nosuch
t lib-not-scenario 2 "no scenario 'lib'" lib
t mtcopy-lib-not-scenario 2 "no scenario 'mtcopy-lib'" mtcopy-lib
t scenario-list-no-libs 2 'mtcopy-integrity mtcopy-placement'
t bad-option 2 "unknown option '--bogus'" --bogus topology
t no-value 2 'option --mem needs a value' --mem
t bad-layout 2 "unknown layout 'x'" --layout x topology
t bad-timeout 2 '--timeout 0: expected seconds' --timeout 0 topology
t bad-mem 2 '--mem lots: expected a size' --mem lots topology
t bad-cpus 2 "node 0 CPUs 'a'" --nodes a,2-3 topology
t cpu-twice 2 'CPU 1 in two nodes' --nodes 0-1,1-3 topology
t cpu-range 2 "outside 0-3" --nodes 0-1,2-4 topology
t cpu-missing 2 'places 3 of 4 CPUs' --nodes 0-1,2 topology
t no-mem-node 2 'no node has memory' --nodes 0-1:0,2-3:0 topology
t no-share 2 'leaves nothing' --mem 1G --nodes 0-1:1G,2-3 topology
MIGSCOPE_KERNEL=$tmp/none t no-kernel 2 "no kernel at $tmp/none: build it with 'make kernel'" topology
mkdir -p "$tmp/busy" && touch "$tmp/busy/precious" && : >"$tmp/k"
MIGSCOPE_KERNEL=$tmp/k QEMU=true t out-not-empty 2 'not empty and not an earlier testbed run' --out "$tmp/busy" topology
[ -f "$tmp/busy/precious" ] || { fail=$((fail + 1)); echo "FAIL  out-not-empty: file removed"; }

# --icount: single-threaded TCG counting instructions, and the label
# the guest's traces carry (qemu.cmd is written before qemu runs)
check_cmd() {
	name=$1
	shift
	rm -rf "$tmp/ic"
	MIGSCOPE_KERNEL=$tmp/k QEMU=true "$RUN" --keep --out "$tmp/ic" "$@" topology \
		>/dev/null 2>&1
	cmd=$(cat "$tmp/ic/qemu.cmd" 2>/dev/null)
	echo "$cmd" >"$tmp/cmd"
	cat "$tmp/ic/run.env" >"$tmp/env" 2>/dev/null
}
check_cmd icount --icount
if grep -q -- '-accel tcg.\{1,2\}thread=single -icount shift=3.\{1,2\}sleep=off' "$tmp/cmd" &&
   grep -q "MIGSCOPE_EMULATED='qemu-tcg icount shift=3 (guest time counted in instructions)'" "$tmp/env"; then
	pass=$((pass + 1)); echo "ok    icount"
else
	fail=$((fail + 1)); echo "FAIL  icount: $(cat "$tmp/cmd") / env: $(cat "$tmp/env")"
fi
check_cmd default
if grep -q -- '-accel tcg.\{1,2\}thread=multi ' "$tmp/cmd" && ! grep -q icount "$tmp/cmd" &&
   grep -q "MIGSCOPE_EMULATED='qemu-tcg'" "$tmp/env"; then
	pass=$((pass + 1)); echo "ok    no-icount"
else
	fail=$((fail + 1)); echo "FAIL  no-icount: $(cat "$tmp/cmd") / env: $(cat "$tmp/env")"
fi
# --layout tier: two CPU nodes and a CPU-less one, with an HMAT that makes
# the CPU-less node slow (its initiator is node 0)
check_cmd tier --layout tier
tr -d '\\' <"$tmp/cmd" >"$tmp/cmd.plain"
mv "$tmp/cmd.plain" "$tmp/cmd"
if grep -q -- '-machine hmat=on' "$tmp/cmd" &&
   grep -q -- '-numa node,nodeid=2,memdev=m2,initiator=0 ' "$tmp/cmd" &&
   grep -q -- 'hmat-lb,initiator=0,target=2,hierarchy=memory,data-type=access-latency,latency=100 ' "$tmp/cmd" &&
   grep -q -- 'hmat-lb,initiator=1,target=1,hierarchy=memory,data-type=access-bandwidth,bandwidth=10G ' "$tmp/cmd" &&
   ! grep -q -- 'initiator=2' "$tmp/cmd" &&
   grep -q "MIGSCOPE_HMAT='1'" "$tmp/env"; then
	pass=$((pass + 1)); echo "ok    tier-hmat"
else
	fail=$((fail + 1)); echo "FAIL  tier-hmat: $(cat "$tmp/cmd") / env: $(cat "$tmp/env")"
fi
check_cmd default-no-hmat
if ! grep -q -- 'hmat' "$tmp/cmd" && grep -q "MIGSCOPE_HMAT='0'" "$tmp/env"; then
	pass=$((pass + 1)); echo "ok    no-hmat"
else
	fail=$((fail + 1)); echo "FAIL  no-hmat: $(cat "$tmp/cmd")"
fi

# --hotplug: a pc-dimm on the named node, room for it in maxmem, and the
# guest onlines it movable so that it can be offlined again
t bad-hotplug 2 '--hotplug lots: expected SIZE' --hotplug lots topology
t bad-hotplug-node 2 "node '7' is not one of" --hotplug 512M@7 topology
check_cmd hotplug --hotplug 512M@1
tr -d '\\' <"$tmp/cmd" >"$tmp/cmd.plain"
mv "$tmp/cmd.plain" "$tmp/cmd"
if grep -q -- '-m [0-9]*M,slots=2,maxmem=[0-9]*M ' "$tmp/cmd" &&
   grep -q -- 'memory-backend-ram,id=dimm0,size=512M ' "$tmp/cmd" &&
   grep -q -- 'pc-dimm,id=dimm0,memdev=dimm0,node=1 ' "$tmp/cmd" &&
   grep -q -- 'memhp_default_state=online_movable' "$tmp/cmd"; then
	pass=$((pass + 1)); echo "ok    hotplug-dimm"
else
	fail=$((fail + 1)); echo "FAIL  hotplug-dimm: $(cat "$tmp/cmd")"
fi
check_cmd default-no-hotplug
if ! grep -q -- 'pc-dimm\|memhp_default_state' "$tmp/cmd"; then
	pass=$((pass + 1)); echo "ok    no-hotplug"
else
	fail=$((fail + 1)); echo "FAIL  no-hotplug: $(cat "$tmp/cmd")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
