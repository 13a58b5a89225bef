#!/bin/sh
# formats: copy the event format files of the booted kernel to
# $OUT/formats/SYSTEM/EVENT/format (for tracepoints/check-catalog).
#   formats.sh [SYSTEM...]      default: every event system
# Also writes $OUT/formats/available_events and $OUT/formats/release.
. /scenarios/lib.sh

ev=/sys/kernel/tracing/events
[ -d "$ev" ] || fail "no $ev: tracefs not mounted or kernel without CONFIG_EVENT_TRACING"
dst=$OUT/formats
# The migrators' events exist once their modules are loaded. Only one
# migrator registers at a time: load them disabled.
for m in "mtcopy enable=0" swdma "dcbm enable=0"; do
	# shellcheck disable=SC2086
	modprobe $m || fail "modprobe $m failed"
done
mkdir -p "$dst" || fail "cannot create $dst"
[ $# -gt 0 ] || set -- $(cd "$ev" && for s in *; do [ -d "$s" ] && echo "$s"; done)

n=0
for sys in "$@"; do
	[ -d "$ev/$sys" ] || fail "no event system $sys in $ev"
	for f in "$ev/$sys"/*/format; do
		[ -r "$f" ] || continue
		e=${f%/format}
		e=${e##*/}
		mkdir -p "$dst/$sys/$e" || fail "cannot create $dst/$sys/$e"
		cat "$f" >"$dst/$sys/$e/format" || fail "cannot copy $f"
		n=$((n + 1))
	done
done
cat /sys/kernel/tracing/available_events >"$dst/available_events" ||
	fail "cannot read available_events"
uname -r >"$dst/release"
note "copied $n format files of $# systems to $dst"
