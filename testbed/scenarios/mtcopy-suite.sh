#!/bin/sh
# mtcopy-suite: run several mtcopy-* (or dcbm-*) scenarios in one boot, so
# that tests/mtcopy.sh and tests/dcbm.sh pay for one guest boot only.
#
#   mtcopy-suite.sh [NAME[:ARG[:ARG...]]]...
#     NAME: a scenario (mtcopy-controls, dcbm-faults, ...), its arguments
#     separated by ':' (lists take commas), e.g.
#     mtcopy-unload:--rounds:20  mtcopy-integrity:--sizes:4K,2M
#   default: mtcopy-controls mtcopy-integrity mtcopy-placement mtcopy-busy mtcopy-unload
#
# Each scenario writes its own $OUT/NAME.txt ending in "N passed, N failed";
# a scenario that stops early (a failed step) is reported here. Output:
# $OUT/SUITE.txt (mtcopy-suite, or dcbm-suite when sourced by
# dcbm-suite.sh), one line per scenario: NAME STATUS SECONDS.
. /scenarios/mtcopy-lib.sh

[ $# -gt 0 ] || set -- mtcopy-controls mtcopy-integrity mtcopy-placement mtcopy-busy mtcopy-unload
suite=$OUT/$(basename "$0" .sh).txt
: >"$suite" || fail "cannot write $suite"
rc_all=0
for s in "$@"; do
	name=${s%%:*}
	args=
	[ "$name" = "$s" ] || args=$(echo "${s#*:}" | tr ':' ' ')
	[ -r "/scenarios/$name.sh" ] || fail "no scenario $name"
	note "suite: $name $args"
	t0=$(now_cs)
	# shellcheck disable=SC2086
	OUT=$OUT sh "/scenarios/$name.sh" $args
	rc=$?
	took=$(since_cs "$t0")
	echo "$name $rc $took" >>"$suite"
	note "suite: $name exited $rc after $took s"
	[ "$rc" -eq 0 ] || rc_all=1
	mods_reset
done
exit $rc_all
