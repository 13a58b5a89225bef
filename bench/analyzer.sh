#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/analyzer.sh - how fast migscope reads a trace, against the floor:
# `migscope report` (text, to /dev/null), a bare libtracecmd iteration of
# the same file (bench/bare-iter.c: every record, common_type only) and
# `trace-cmd report` (to /dev/null), on a large synthetic trace at 1x and
# 4x its events, uncompressed (version 6) and zstd (version 7).
# Prints a progress line per step to stderr and a table: events, wall and
# CPU seconds (each the best of --reps runs), events/s (wall), peak RSS,
# the ratios to the bare iteration (wall, CPU) and the RSS above the bare
# iteration's (the analyzer's own heap: it must not grow with the events).
# Figures, not a test: nothing is asserted except that the synthetic
# traces hold K and 4K times the demo trace's migrate_pages() calls.
#
# The traces are bench/mkbig.c copies of the demo trace's ring-buffer
# pages, repeated K (--k, default 48: 3.2 M events) and 4K times and
# shifted in time; no root, no tracefs, no testbed.
#
# usage: bench/analyzer.sh [--reps N] [--k K] [--trace DEMO.dat]
# Environment: BUILD (default build/), the traces and tools go to
# $BUILD/bench/analyzer/.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${BUILD:-$top/build}/bench/analyzer
reps=3
k=48
src=$top/results/demo/4K-x65536.trace.dat
migscope=$top/analyzer/migscope

while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift 2 ;;
	--k) k=$2; shift 2 ;;
	--trace) src=$2; shift 2 ;;
	-h|--help) sed -n '3,23s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "bench-analyzer: unknown argument $1" >&2; exit 2 ;;
	esac
done

say() { echo "bench-analyzer: $*" >&2; }

# build NAME [LIBS...]: bench/NAME.c into $dir/bin/NAME when newer
build() {
	local name=$1 bin=$dir/bin/$1 flags=()

	shift
	[ $# -eq 0 ] || read -ra flags <<<"$(pkg-config --cflags --libs "$@")"
	[ "$bin" -nt "$top/bench/$name.c" ] && return 0
	say "building $name"
	cc -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE \
		-o "$bin" "$top/bench/$name.c" "${flags[@]}"
}

# calls TRACE: the outermost migrate_pages() calls migscope finds
calls() {
	"$migscope" report "$1" |
		sed -n 's/^migrate_pages() calls (outermost): \([0-9]*\),.*/\1/p'
}

# make_traces: X1, X4 (version 6, uncompressed) and their zstd copies
make_traces() {
	local base=$dir/base-v6.dat want got n x

	if [ ! "$base" -nt "$src" ]; then
		say "converting $src to version 6, uncompressed"
		trace-cmd convert --file-version 6 --compression none \
			-i "$src" -o "$base" >/dev/null 2>&1
	fi
	want=$(calls "$base")
	for x in 1 4; do
		n=$((k * x))
		if [ ! -s "$dir/${x}x-none.dat" ] ||
		   [ "$(cat "$dir/${x}x.k" 2>/dev/null)" != "$n" ] ||
		   [ "$base" -nt "$dir/${x}x-none.dat" ]; then
			say "writing ${x}x: the demo pages $n times"
			"$dir/bin/mkbig" "$base" "$dir/${x}x-none.dat" "$n" \
				>/dev/null
			say "compressing ${x}x (zstd, version 7)"
			trace-cmd convert --compression zstd \
				-i "$dir/${x}x-none.dat" \
				-o "$dir/${x}x-zstd.dat" >/dev/null 2>&1
			echo "$n" >"$dir/${x}x.k"
		fi
		got=$(calls "$dir/${x}x-zstd.dat")
		if [ "$got" != $((want * n)) ]; then
			say "${x}x: $got migrate_pages() calls, not $n x $want"
			exit 1
		fi
	done
}

# best LABEL CMD...: the fastest of $reps runs, wall and CPU time apart,
# and the highest peak RSS: "WALL CPU KIB"
best() {
	local label=$1 i line w c kib bw='' bc='' bk=0

	shift
	for i in $(seq "$reps"); do
		line=$("$dir/bin/runstat" "$@" 2>/dev/null | tail -1) || {
			say "$label failed"
			exit 1
		}
		read -r w c kib <<<"$line"
		say "$label run $i: $w s wall, $c s CPU, $((kib / 1024)) MiB"
		awk "BEGIN { exit !(\"$bw\" == \"\" || $w < $bw + 0) }" && bw=$w
		awk "BEGIN { exit !(\"$bc\" == \"\" || $c < $bc + 0) }" && bc=$c
		[ "$kib" -gt "$bk" ] && bk=$kib
	done
	echo "$bw $bc $bk"
}

# row TRACE EVENTS PROGRAM "WALL CPU KIB" "BARE: WALL CPU KIB"
row() {
	echo "$1 $2 $3 $4 $5" | awk '{
		printf "%-8s %9d  %-17s %7.3f %7.3f %9.2f %8.1f %6.3f %6.3f %8.1f\n",
		       $1, $2, $3 " " $4, $5, $6, $2 / $5 / 1e6, $7 / 1024,
		       $5 / $8, $6 / $9, ($7 - $10) / 1024
	}'
}

mkdir -p "$dir/bin"
[ -x "$migscope" ] || { say "no $migscope: make analyzer first"; exit 1; }
build mkbig
build runstat
build bare-iter libtracecmd libtraceevent
make_traces

printf '%-8s %9s  %-17s %7s %7s %9s %8s %6s %6s %8s\n' trace events \
	program wall-s cpu-s "Mevents/s" "RSS MiB" "/bare" "cpu" "RSS-bare"
for x in 1 4; do
	for c in none zstd; do
		f=$dir/${x}x-$c.dat
		ev=$("$dir/bin/bare-iter" "$f")
		bare=$(best "${x}x $c bare-iter" "$dir/bin/bare-iter" "$f")
		ms=$(best "${x}x $c migscope" "$migscope" report "$f")
		tc=$(best "${x}x $c trace-cmd" trace-cmd report "$f")
		row "${x}x-$c" "$ev" "bare libtracecmd" "$bare" "$bare"
		row "${x}x-$c" "$ev" "migscope report" "$ms" "$bare"
		row "${x}x-$c" "$ev" "trace-cmd report" "$tc" "$bare"
	done
done
