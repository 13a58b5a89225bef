# SPDX-License-Identifier: GPL-2.0
#
# tests/lib-console.sh - what a guest kernel must never log, for every host
# script that boots the testbed (POSIX sh; sourced). The guest's own copy
# of the pattern is KCOMPLAINTS in testbed/scenarios/lib.sh.
#
#   KERNEL_COMPLAINTS  an extended regex: WARN and BUG lines (lockdep,
#                      sleeping in atomic context, list debugging, KFENCE
#                      and KASAN reports all print one of them), oopses,
#                      call traces, and the hung-task detector's
#                      "blocked for more than"
#   console_check FILE those lines outside the first llc-sibling topology
#                      warning block (the "cut here" line before it to the
#                      "end trace" line after it), as "LINE: text"; the
#                      last line is "known N" (N: that block was there)
#   console_bad FILE   the same without the "known" line

KERNEL_COMPLAINTS='WARNING:|BUG:|Oops|Call Trace|blocked for more than'

console_check() {
	tr -d '\r' <"$1" | awk -v re="$KERNEL_COMPLAINTS" '
	{ line[NR] = $0 }
	END {
		known = 0
		for (i = 1; i <= NR && !known; i++) {
			if (line[i] !~ /llc-sibling CPU #[0-9]+ is not on the same node/) continue
			if (line[i + 1] !~ /WARNING: .*topology_sane/) continue
			s = i; while (s > 1 && s > i - 3 && line[s] !~ /cut here/) s--
			e = i; while (e < NR && e < i + 60 && line[e] !~ /---\[ end trace/) e++
			for (k = s; k <= e; k++) skip[k] = 1
			known = 1
		}
		for (i = 1; i <= NR; i++)
			if (!skip[i] && line[i] ~ re) print i ": " line[i]
		print "known " known
	}'
}

console_bad() {
	console_check "$1" | grep -v '^known '
}
