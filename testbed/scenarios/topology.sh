#!/bin/sh
# topology: print the guest's CPU / node / L3 topology and check it against
# what testbed/run asked qemu for (MIGSCOPE_EXPECT_* from /run/migscope/env):
#   MIGSCOPE_EXPECT_CPUS       online CPU list          (e.g. 0-3)
#   MIGSCOPE_EXPECT_NODES      node:cpulist per node    (e.g. "0:0-1 1:2-3")
#   MIGSCOPE_EXPECT_MEM_NODES  has_memory               (e.g. 0-1)
#   MIGSCOPE_EXPECT_L3         the L3 domains' CPU lists (e.g. "0-1 2-3")
# L3 domains are grouped by cache/index3/shared_cpu_list (index3/id is not a
# domain id under qemu). Output: $OUT/topology.txt.
. /scenarios/lib.sh

sys=/sys/devices/system
errors=0
bad() {
	echo "topology: MISMATCH: $*"
	errors=$((errors + 1))
}

# l3_of CPU: shared_cpu_list of the CPU's level-3 cache, or -
l3_of() {
	for c in $sys/cpu/cpu$1/cache/index*; do
		[ "$(cat "$c/level" 2>/dev/null)" = 3 ] || continue
		cat "$c/shared_cpu_list"
		return
	done
	echo -
}

node_of() {
	for n in $sys/cpu/cpu$1/node*; do
		[ -e "$n" ] && { echo "${n##*/node}"; return; }
	done
	echo -
}

show() {
	echo "kernel:     $(uname -r)"
	echo "online:     $(cat $sys/cpu/online)"
	echo "has_cpu:    $(cat $sys/node/has_cpu 2>/dev/null)"
	echo "has_memory: $(cat $sys/node/has_memory 2>/dev/null)"
	for c in $(expand_list "$(cat $sys/cpu/online)"); do
		t=$sys/cpu/cpu$c/topology
		echo "cpu $c: package $(cat $t/physical_package_id) die $(cat $t/die_id 2>/dev/null || echo -) node $(node_of "$c") l3 $(l3_of "$c")"
	done
	for n in $sys/node/node[0-9]*; do
		echo "node ${n##*/node}: cpus '$(cat "$n/cpulist")' $(grep MemTotal "$n/meminfo" | awk '{ print $4, $5 }')"
	done
	thp=/sys/kernel/mm/transparent_hugepage
	[ -d $thp ] && echo "thp:        $(cat $thp/enabled); sizes: $(ls $thp | sed -n 's/^hugepages-//p' | tr '\n' ' ')"
}

show | tee "$OUT/topology.txt" || fail "cannot write $OUT/topology.txt"

[ -d $sys/node ] || fail "no $sys/node: kernel without CONFIG_NUMA"

if [ -n "$MIGSCOPE_EXPECT_CPUS" ]; then
	got=$(cat $sys/cpu/online)
	[ "$got" = "$MIGSCOPE_EXPECT_CPUS" ] ||
		bad "online CPUs $got, expected $MIGSCOPE_EXPECT_CPUS"
fi

for nc in $MIGSCOPE_EXPECT_NODES; do
	n=${nc%%:*} want=${nc#*:}
	if [ ! -d $sys/node/node$n ]; then
		bad "no node $n"
		continue
	fi
	got=$(cat $sys/node/node$n/cpulist)
	[ "$got" = "$want" ] || bad "node $n has CPUs '$got', expected '$want'"
done
if [ -n "$MIGSCOPE_EXPECT_NODES" ]; then
	want=$(echo $MIGSCOPE_EXPECT_NODES | wc -w)
	got=$(ls -d $sys/node/node[0-9]* | wc -l)
	[ "$got" -eq "$want" ] || bad "$got nodes online, expected $want"
fi

if [ -n "$MIGSCOPE_EXPECT_MEM_NODES" ]; then
	got=$(cat $sys/node/has_memory)
	[ "$got" = "$MIGSCOPE_EXPECT_MEM_NODES" ] ||
		bad "has_memory is $got, expected $MIGSCOPE_EXPECT_MEM_NODES"
fi

if [ -n "$MIGSCOPE_EXPECT_L3" ]; then
	got=$(for c in $(expand_list "$(cat $sys/cpu/online)"); do l3_of "$c"; done |
		sort -u | tr '\n' ' ')
	want=$(printf '%s\n' $MIGSCOPE_EXPECT_L3 | sort -u | tr '\n' ' ')
	[ "$got" = "$want" ] || bad "L3 domains are '$got', expected '$want'"
fi

if dmesg | grep -q "llc-sibling.*is not on the same node"; then
	note "the kernel warned that an L3 (LLC) sibling is on another node: qemu TCG has no topoext, so the kernel's LLC guess spans the socket; it ignores the cross-node part, and the L3 domains above are what sysfs and migscope-record report"
fi

[ "$errors" -eq 0 ] || fail "$errors topology mismatch(es)"
note "topology as expected: nodes '$MIGSCOPE_EXPECT_NODES', memory nodes $MIGSCOPE_EXPECT_MEM_NODES, L3 domains '$MIGSCOPE_EXPECT_L3'"
