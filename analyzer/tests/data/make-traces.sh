#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make-traces.sh - regenerate the small trace.dat files of this directory.
#
# Needs root and tracefs, never runs during `make check` (the .dat files are
# committed).  fakemig (fakemig.c) calls one empty function per event of
# tracepoints/events.catalog; a uprobe on each function records an event
# with that event's fields and types.  The uprobe groups are msf_*; the
# files are extracted in a private mount namespace where the tracefs
# events/ directory holds only the renamed format files (msf_migrate ->
# migrate, msf_syscalls -> syscalls, msf_batch -> migrate_batch) and
# /proc/kallsyms is one line, so each file is small and looks like a trace
# of the patched kernel.
#
# Files (all events in instance buffers; the top buffer is empty):
#   series.dat      instance "migscope": every event and the markers;
#                   instance "noise": one marker that is not migscope's.
#   series-v6.dat   series.dat converted to file version 6, uncompressed.
#   upstream.dat    calls and syscalls only; formats without migrate_batch.
#   unrecorded.dat  calls and syscalls only; formats with migrate_batch;
#                   no markers.
#   nomig.dat       move_pages syscalls only.
#
# fakemig N (not used here) repeats S1 and S2 N times: a large trace for
# timing the analyzer.
#
# Expected contents of series.dat ("migscope" instance), see fakemig.c:
#   syscalls 5, calls 6 of which 1 nested (S2's compaction, 1 page, its
#   batch 102), so 5 outermost (pages 29 succeeded, 4 failed); batches 7,
#   6 of them the outermost calls' (unmap 6, flush 5, move 5, undo 1),
#   unpaired: 4 begin without end, 4 end without begin.
set -eu

TRACEFS=/sys/kernel/tracing
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
INST=migscope

cleanup()
{
	for i in $INST noise; do
		[ -d "$TRACEFS/instances/$i" ] && rmdir "$TRACEFS/instances/$i"
	done
	remove_probes
	rm -rf "$WORK"
}

die()
{
	echo "make-traces.sh: $*" >&2
	exit 1
}

# symbol -> file offset, for a uprobe on $WORK/fakemig
offset_of()
{
	addr=$(nm "$WORK/fakemig" | awk -v s="$1" '$3 == s { print $1 }')
	[ -n "$addr" ] || die "no symbol $1"
	# file offset = vaddr - (segment vaddr - segment offset)
	seg=$(readelf -lW "$WORK/fakemig" |
	      awk '$1 == "LOAD" && / E / { print $2; print $3 }')
	seg_off=$(echo "$seg" | sed -n 1p)
	seg_vaddr=$(echo "$seg" | sed -n 2p)
	printf '0x%x\n' $((0x$addr - seg_vaddr + seg_off))
}

PROBES="
msf_syscalls/sys_enter_move_pages ms_sys_enter nr_pages=%di:u64
msf_syscalls/sys_exit_move_pages ms_sys_exit ret=%di:s64
msf_migrate/mm_migrate_pages_start ms_call_start mode=%di:s32 reason=%si:s32
msf_migrate/mm_migrate_pages ms_call_end succeeded=+0(%di):u64 failed=+8(%di):u64 thp_succeeded=+16(%di):u64 thp_failed=+24(%di):u64 thp_split=+32(%di):u64 large_folio_split=+40(%di):u64 mode=+48(%di):s32 reason=+52(%di):s32
msf_batch/mm_migrate_batch_begin ms_batch_begin id=%di:u64 mode=%si:s32 reason=%dx:s32 nr_pass=%cx:s32 folios=%r8:u32 pages=%r9:u64
msf_batch/mm_migrate_batch_end ms_batch_end id=%di:u64 succeeded=%si:u64 failed_pages=%dx:u64 rc=%cx:s32
"
PHASE_ARGS="id=%di:u64 folios=%si:u32 pages=%dx:u64 failed=%cx:u32 retried=%r8:u32"

add_probes()
{
	echo "$PROBES" | while read -r ev sym args; do
		[ -n "$ev" ] || continue
		echo "p:$ev $WORK/fakemig:$(offset_of "$sym") $args" \
			>> "$TRACEFS/uprobe_events"
	done
	for ph in unmap flush move undo; do
		echo "p:msf_batch/mm_migrate_${ph}_begin $WORK/fakemig:$(offset_of ms_${ph}_begin) id=%di:u64" \
			>> "$TRACEFS/uprobe_events"
		echo "p:msf_batch/mm_migrate_${ph}_end $WORK/fakemig:$(offset_of ms_${ph}_end) $PHASE_ARGS" \
			>> "$TRACEFS/uprobe_events"
	done
}

remove_probes()
{
	grep -E '^p:msf_' "$TRACEFS/uprobe_events" 2>/dev/null |
	while read -r def rest; do
		echo "-:${def#p:}" >> "$TRACEFS/uprobe_events"
	done
}

markers()
{
	m=$TRACEFS/instances/$INST/trace_marker
	echo 'migscope:begin v=1' > "$m"
	echo 'migscope:kernel release=6.12.0-migscope version="#1 SMP PREEMPT_DYNAMIC" machine=x86_64' > "$m"
	echo 'migscope:clock trace_clock=mono page_size=4096 ncpus=2 cpu_mhz=0' > "$m"
	echo "migscope:env $1" > "$m"
	echo 'migscope:cpu cpu=0 package=0 die=0 node=0 l3="0"' > "$m"
	echo 'migscope:cpu cpu=1 package=0 die=0 node=1 l3="1"' > "$m"
	echo 'migscope:node node=0 cpus="0" mem_kb=1048576' > "$m"
	echo 'migscope:node node=1 cpus="1" mem_kb=1048576' > "$m"
	echo 'migscope:node node=2 cpus="" mem_kb=524288' > "$m"
	echo 'migscope:end' > "$m"
}

# $1: systems whose formats go in the file, as "tracefs-name:file-name"
formats()
{
	rm -rf "$WORK/events"
	mkdir -p "$WORK/events"
	cat "$TRACEFS/events/header_page" > "$WORK/events/header_page"
	cat "$TRACEFS/events/header_event" > "$WORK/events/header_event"
	for map in ftrace:ftrace $1; do
		from=${map%%:*}
		to=${map#*:}
		for d in "$TRACEFS/events/$from"/*/; do
			e=$(basename "$d")
			mkdir -p "$WORK/events/$to/$e"
			cat "$d/format" > "$WORK/events/$to/$e/format"
		done
	done
}

extract()
{
	echo 'ffffffff81000000 T _stext' > "$WORK/kallsyms"
	: > "$WORK/printk"
	unshare -m sh -c "
		mount --bind '$WORK/kallsyms' /proc/kallsyms &&
		mount --bind '$WORK/printk' $TRACEFS/printk_formats &&
		mount --bind '$WORK/events' $TRACEFS/events &&
		trace-cmd extract $1 -o '$2'" > "$WORK/extract.log" 2>&1 ||
		{ cat "$WORK/extract.log" >&2; die "extract $2 failed"; }
}

# $1: msf_ groups to enable, $2: env marker ("" = no markers)
record()
{
	inst=$TRACEFS/instances/$INST
	[ ! -d "$inst" ] || rmdir "$inst"
	mkdir "$inst"
	echo mono > "$inst/trace_clock"
	for g in $1; do
		echo 1 > "$inst/events/$g/enable"
	done
	[ -z "$2" ] || markers "$2"
	"$WORK/fakemig"
	for g in $1; do
		echo 0 > "$inst/events/$g/enable"
	done
}

[ "$(id -u)" -eq 0 ] || die "needs root (uprobes, tracefs, mount namespace)"
[ -w "$TRACEFS/uprobe_events" ] || mount -t tracefs nodev "$TRACEFS"
trap cleanup EXIT
gcc -O1 -Wall -Wextra -o "$WORK/fakemig" "$HERE/fakemig.c"
remove_probes
add_probes

ALL="msf_syscalls:syscalls msf_migrate:migrate msf_batch:migrate_batch"
UPSTREAM="msf_syscalls:syscalls msf_migrate:migrate"

record "msf_syscalls msf_migrate msf_batch" \
	'hypervisor=1 emulated="qemu-tcg"'
mkdir "$TRACEFS/instances/noise"
echo 'hello: not a migscope marker' > "$TRACEFS/instances/noise/trace_marker"
formats "$ALL"
extract "-B $INST -B noise" "$HERE/series.dat"
trace-cmd convert -i "$HERE/series.dat" --file-version 6 \
	--compression none -o "$HERE/series-v6.dat" > /dev/null

record "msf_syscalls msf_migrate" 'hypervisor=0'
formats "$UPSTREAM"
extract "-B $INST" "$HERE/upstream.dat"

record "msf_syscalls msf_migrate" ""
formats "$ALL"
extract "-B $INST" "$HERE/unrecorded.dat"

record "msf_syscalls" 'hypervisor=0'
formats "$ALL"
extract "-B $INST" "$HERE/nomig.dat"

ls -l "$HERE"/*.dat
