# SPDX-License-Identifier: GPL-2.0
#
# tests/lib-suite.sh - shared by the host side of the testbed suites that
# boot the testbed once and run a list of guest scenarios (tests/mtcopy.sh,
# tests/dcbm.sh, tests/integrity.sh). Sourced by bash after the caller set:
#   suite   the name printed before the counts ("dcbm: N passed, N failed")
#   top     the checkout
# Provides ok, ko, finish, follow, console_check (tests/lib-console.sh),
# boot_suite,
# guest_results and console_results; counts in $pass and $fail.

. "$top/scripts/lib-follow.sh"
. "$top/tests/lib-console.sh"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
ko() { fail=$((fail + 1)); echo "FAIL  $1: $2"; }
finish() {
	echo "$suite: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

# the guest lines worth showing while the testbed runs
FOLLOW_RE='^(mtcopy|dcbm)-[a-z]+: (FAIL|[0-9]+ passed)|^scenario: (suite|FAILED)'

follow_show() {
	tr -d '\r' | grep -E "$FOLLOW_RE" | sed 's/^/  guest: /'
}

# suite_show: what boot_suite shows of the console while the testbed runs;
# a suite may define its own after sourcing this file
suite_show() {
	follow_show
}

# follow FILE PID: print the guest's failures and summaries while PID runs
follow() {
	follow_file "$1" "$2" suite_show
}

# boot_suite OUT RUN TESTBED-RUN-ARGS...: run testbed/run in the
# background with its log in OUT/testbed-run.log, follow RUN/console.log,
# and leave testbed/run's exit status in $rc
boot_suite() {
	local out=$1 run=$2 t0 pid

	shift 2
	# nothing of an earlier run may be read as this one's: not its
	# console (the follower), not its scenario results (a boot that fails
	# before testbed/run empties the directory)
	[ -n "$run" ] && rm -rf "$run"
	t0=$(date +%s)
	"$top/testbed/run" --out "$run" "$@" >"$out/testbed-run.log" 2>&1 &
	pid=$!
	follow "$run/console.log" "$pid"
	wait "$pid"
	rc=$?
	echo "$suite: testbed/run exited $rc after $(($(date +%s) - t0)) s (log: $out/testbed-run.log)"
}

# guest_results OUT RUN SCENARIO[:ARG...]...: add every scenario's
# "N passed, N failed" to ours; a scenario without that last line failed;
# then check testbed/run's exit status ($rc) agrees
guest_results() {
	local out=$1 run=$2 s name res summary gp gf gfail=0

	shift 2
	for s in "$@"; do
		name=${s%%:*}
		res=$run/$name.txt
		summary=$(tail -n 1 "$res" 2>/dev/null)
		if ! echo "$summary" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
			ko "$name" "did not finish (last line of $res: '${summary:-none}'; see $run/console.log)"
			gfail=$((gfail + 1))
			continue
		fi
		gp=${summary%% *}
		gf=$(echo "$summary" | awk '{ print $3 }')
		pass=$((pass + gp))
		fail=$((fail + gf))
		gfail=$((gfail + gf))
		echo "$suite: guest $name: $gp passed, $gf failed"
		[ "$gf" -eq 0 ] || grep '^FAIL' "$res" | head -n 20 | sed 's/^/  /'
	done
	if [ "$rc" -eq 0 ] || [ "$gfail" -gt 0 ]; then
		ok "testbed/run exit $rc matches the scenarios"
	else
		ko testbed-run "exit $rc with no failed guest check (see $out/testbed-run.log)"
	fi
}

# console_results OUT RUN: the guest kernel did not complain
console_results() {
	local out=$1 run=$2 cc known bad

	if [ ! -s "$run/console.log" ]; then
		ko console "no $run/console.log (see $out/testbed-run.log)"
		return
	fi
	cc=$(console_check "$run/console.log")
	known=$(echo "$cc" | sed -n 's/^known //p')
	bad=$(echo "$cc" | grep -v '^known ')
	if [ -z "$bad" ]; then
		ok "console: no WARNING/BUG/Oops/Call Trace/hung task (known llc-sibling warning blocks ignored: ${known:-0})"
	else
		ko console "the guest kernel complained ($(echo "$bad" | wc -l) lines; see $run/console.log):"
		echo "$bad" | head -n 20 | sed 's/^/  /'
	fi
}
