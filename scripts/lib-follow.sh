# SPDX-License-Identifier: GPL-2.0
#
# scripts/lib-follow.sh - sourced by the host scripts that watch a testbed
# run (tests/lib-suite.sh, bench/lib-sweep.sh, tests/integrity.sh,
# scripts/demo.sh).

# follow_file FILE PID FILTER [ARG...]: while PID runs, and once more when
# it has ended, pipe the lines FILE gained through "FILTER ARG..." (a
# command or function reading stdin), every 3 seconds
follow_file() {
	local file=$1 pid=$2 seen=0 n

	shift 2
	while kill -0 "$pid" 2>/dev/null; do
		sleep 3
		[ -f "$file" ] || continue
		n=$(wc -l <"$file")
		if [ "$n" -gt "$seen" ]; then
			sed -n "$((seen + 1)),${n}p" "$file" | "$@"
			seen=$n
		fi
	done
	[ -f "$file" ] && sed -n "$((seen + 1)),\$p" "$file" | "$@"
}

# migscope_version: the commit that ran, "-dirty" when a tracked file
# outside results/ differs from it (what a run writes does not count)
migscope_version() {
	local rev

	rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
	if [ -n "$(git -C "$top" status --porcelain --untracked-files=no -- . ':(exclude)results' 2>/dev/null)" ]; then
		rev=$rev-dirty
	fi
	echo "$rev"
}
