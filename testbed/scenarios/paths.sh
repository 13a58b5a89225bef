#!/bin/sh
# paths: every way the kernel migrates, each recorded on its own with
# migscope-record, in one boot:
#   paths.sh [-m MODULE[:P=V...]]... [-p PRESET] [-r REASONS] [PATH...]
#            [-- MIGBENCH ARGS]
# -m loads a module first (a migrator: every path then runs with it);
# -r writes REASONS to /sys/kernel/mm/migrate/offload_reasons (e.g. all).
# PATH: move_pages mbind migrate_pages numa-fault promote demote compact
# offline damon-cold damon-hot
# (default: all of them that the topology allows; promote and demote need
# a CPU-less memory node in a lower tier: testbed/run --layout tier;
# offline needs movable memory: testbed/run --hotplug SIZE; damon-* need
# DAMON in the kernel);
# PATH@PRESET records PATH with that preset instead of -p's (default
# phases) into $OUT/PATH@PRESET/ (compact@upstream: the trace shape of a
# kernel without the series).
# Nodes come from the topology: F0, F1 = the first two nodes with CPUs and
# memory, S = the first memory node without CPUs:
#   move_pages, mbind, migrate_pages, numa-fault: F0 -> F1 (F0 -> S when
#   there is one fast node); promote: S -> F0; demote: F0 -> S;
#   compact: F0; offline: M (the node of the first movable memory block)
#   to S, or without S to the first other fast node, with migbench's rw
#   thread.
# Default migbench arguments: --pages 2048 (demote: 4096, compact: 8192);
# arguments after -- replace them.
# Output per PATH in $OUT/PATH/: trace.dat, migbench.json, vmstat.before
# and vmstat.after (/proc/vmstat around migbench, inside the recording);
# $OUT/paths.txt:
# one line "PATH ok|FAILED" each. Exit status 1 when any PATH failed.
. /scenarios/lib.sh

mods=
preset=phases
reasons=
paths=
margs=
while [ $# -gt 0 ]; do
	case $1 in
	-m) [ $# -ge 2 ] || fail "-m needs a module"
	    mods="$mods -m $2"; shift 2 ;;
	-p) [ $# -ge 2 ] || fail "-p needs a preset"
	    preset=$2; shift 2 ;;
	-r) [ $# -ge 2 ] || fail "-r needs a list of reasons"
	    reasons=$2; shift 2 ;;
	--) shift; margs="$*"; break ;;
	move_pages|mbind|migrate_pages|numa-fault|promote|demote|compact|offline|\
	damon-cold|damon-hot|\
	*@*) paths="$paths $1"; shift ;;
	*) fail "unknown path '$1' (move_pages mbind migrate_pages numa-fault promote demote compact offline damon-cold damon-hot)" ;;
	esac
done

if [ -n "$reasons" ]; then
	echo "$reasons" >/sys/kernel/mm/migrate/offload_reasons ||
		fail "cannot write '$reasons' to /sys/kernel/mm/migrate/offload_reasons"
	note "offload_reasons: $(cat /sys/kernel/mm/migrate/offload_reasons)"
fi

# the nodes with memory and CPUs (fast), with memory and no CPUs (slow)
fast=
slow=
for n in $(mem_nodes); do
	if [ -n "$(cat "/sys/devices/system/node/node$n/cpulist" 2>/dev/null)" ]; then
		fast="$fast $n"
	else
		slow="$slow $n"
	fi
done
set -- $fast
f0=${1:-}
f1=${2:-}
set -- $slow
s0=${1:-}
[ -n "$f0" ] || fail "no node with CPUs and memory"
m0=$(movable_node)
[ -n "$f1" ] || f1=$s0
note "fast nodes:$fast; slow nodes:${slow:- none}"
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
	[ -r "$t/nodelist" ] && note "${t##*/}: nodes $(cat "$t/nodelist")"
done
dmesg | grep -i 'demotion targets' | sed 's/^/scenario: dmesg: /'

if [ -z "$paths" ]; then
	paths="move_pages mbind migrate_pages"
	[ -n "$f1" ] && [ "$f1" != "$s0" ] && paths="$paths numa-fault"
	# compaction before demotion, which leaves node F0's free memory
	# in few large blocks that compaction has little to do with
	paths="$paths compact"
	[ -n "$s0" ] && paths="$paths promote demote"
	[ -n "$m0" ] && paths="$paths offline"
	[ -d /sys/kernel/mm/damon/admin ] && paths="$paths damon-cold damon-hot"
fi

# other_node N: the first fast node that is not N
other_node() {
	for n in $fast; do
		[ "$n" = "$1" ] || { echo "$n"; return; }
	done
}

# Where offline_pages() puts the pages of node M0's block: Linux 6.12 leaves
# M0 out and its zonelist prefers a node without CPUs at equal distance
# (measured: the tier layout's node 2), else the nearest other node
offline_to() {
	if [ -n "$s0" ] && [ "$s0" != "$m0" ]; then
		echo "$s0"
	else
		other_node "$m0"
	fi
}

# path_args PATH: migbench's node and size arguments for PATH
path_args() {
	case ${1%@*} in
	promote) echo "--driver promote --from $s0 --to $f0 ${margs:---pages 2048}" ;;
	demote) echo "--driver demote --from $f0 --to $s0 ${margs:---pages 4096}" ;;
	compact) echo "--driver compact --from $f0 ${margs:---pages 8192}" ;;
	offline) echo "--driver offline --from $m0 --to $(offline_to) --rw-thread ${margs:---pages 8192}" ;;
	*) echo "--driver $1 --from $f0 --to $f1 ${margs:---pages 2048}" ;;
	esac
}

# a path that needs a node the topology lacks fails with the layout to use
path_nodes_ok() {
	case ${1%@*} in
	promote|demote) [ -n "$s0" ] ||
		{ echo "no CPU-less memory node: use testbed/run --layout tier" >&2; return 1; } ;;
	offline) [ -n "$m0" ] ||
		{ echo "no movable memory block: use testbed/run --hotplug SIZE" >&2; return 1; } ;;
	numa-fault) [ -n "$f1" ] && [ "$f1" != "$s0" ] ||
		{ echo "numa-fault needs two nodes with CPUs and memory" >&2; return 1; } ;;
	*) [ -n "$f1" ] || { echo "$1 needs two memory nodes" >&2; return 1; } ;;
	esac
}

# run_path PATH: record PATH into $OUT/PATH (a subshell: fail exits it)
run_path() (
	d=$OUT/$1
	mkdir -p "$d" || fail "mkdir $d"
	path_nodes_ok "$1" || exit 1
	p=$preset
	case $1 in *@*) p=${1#*@} ;; esac
	OUT=$d
	# shellcheck disable=SC2046,SC2086
	run_migbench $mods -p "$p" -- $(path_args "$1")
)

: >"$OUT/paths.txt"
bad=0
for p in $paths; do
	note "---- path $p: migbench $(path_args "$p")"
	if run_path "$p"; then
		echo "$p ok" >>"$OUT/paths.txt"
	else
		echo "$p FAILED" >>"$OUT/paths.txt"
		bad=$((bad + 1))
	fi
done
cat "$OUT/paths.txt"
[ "$bad" -eq 0 ] || fail "$bad path(s) failed (see $OUT/paths.txt)"
