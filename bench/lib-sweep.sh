# SPDX-License-Identifier: GPL-2.0
#
# bench/lib-sweep.sh - shared by the testbed sweeps (bench/sweep-mtcopy.sh,
# bench/sweep-dcbm.sh). Sourced by bash after the caller set:
#   name    the sweep, prefix of every line ("sweep-dcbm")
#   top     the checkout
#   out     the default results directory
# sweep_parse then sets out and run from the command line and leaves the
# scenario arguments in the array sargs; sweep_boot runs the scenario once
# and moves its points to $out/points; TR_AWK is the trace-cmd report
# line parser shared with the guest scenarios.

# sweep_parse HELP_LAST_LINE ARGS...: --out DIR, --no-run, --icount (sets
# icount to the testbed/run option and says so in $label), -h/--help (the
# caller's header comment up to HELP_LAST_LINE), -- SCENARIO ARGS
sweep_parse() {
	local help=$1

	shift
	run=1
	icount=
	sargs=()
	while [ $# -gt 0 ]; do
		case $1 in
		--out) [ $# -ge 2 ] || { echo "$name: --out needs a directory" >&2; exit 2; }
		       out=$2; shift 2 ;;
		--no-run) run=0; shift ;;
		--icount) icount=--icount; shift ;;
		--) shift; sargs=("$@"); break ;;
		-h|--help) sed -n "3,${help}s/^# \{0,1\}//p" "$0"; exit 0 ;;
		*) echo "$name: unknown argument '$1' (see --help)" >&2; exit 2 ;;
		esac
	done
	# the caller's label says how guest time was counted (--no-run: as
	# the run in $out was made)
	if [ -n "$icount" ] ||
	   { [ "$run" = 0 ] && grep -qs icount "$out/run/run.env"; }; then
		label="$label; icount: guest time counted in instructions"
	fi
	for t in jq trace-cmd gnuplot; do
		command -v $t >/dev/null ||
			{ echo "$name: $t not found (scripts/deps.sh)" >&2; exit 1; }
	done
}

. "$top/scripts/lib-follow.sh"

TR_AWK=$(sed -n "/^TR_AWK='/,/^'/p" "$top/testbed/scenarios/mtcopy-lib.sh" | sed '1s/^TR_AWK=.//; $d')

# sweep_show SCENARIO: the guest's progress lines of stdin, as ours
sweep_show() {
	tr -d '\r' | grep -E "^($1: |scenario: )" |
		sed "s/^$1: \(ok\|FAIL\) */$name: guest: \1 /; s/^scenario: /$name: guest: /"
}

# sweep_follow FILE PID SCENARIO: print the SCENARIO lines of FILE while
# PID runs
sweep_follow() {
	follow_file "$1" "$2" sweep_show "$3"
}

# sweep_boot SCENARIO TESTBED-RUN-ARGS...: one testbed boot running
# SCENARIO with $sargs; its points end in $out/points
sweep_boot() {
	local scen=$1 t0 pid rc

	shift
	t0=$(date +%s)
	rm -f "$out/run/console.log"	# not an earlier run's
	"$top/testbed/run" $icount "$@" --out "$out/run" "$scen" "${sargs[@]}" \
		>"$out/testbed-run.log" 2>&1 &
	pid=$!
	sweep_follow "$out/run/console.log" "$pid" "$scen"
	wait "$pid"
	rc=$?
	echo "$name: testbed/run exited $rc after $(($(date +%s) - t0)) s (log: $out/testbed-run.log)"
	rm -rf "$out/points"
	[ -d "$out/run/$scen" ] && mv "$out/run/$scen" "$out/points"
}
