#!/bin/sh
# Tests of migbench that run on any Linux host: argument errors, --help,
# the node check, and a full run between memory nodes of this host (a move
# onto the same node when the host has only one).
#
# usage: test-migbench.sh [PATH/TO/migbench]
# Prints one line per test and closes with "N passed, N failed".

MB=${1:-${BUILD:-$(dirname "$0")/../../build}/workloads/migbench}
pass=0
fail=0
skip=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migbench-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok    $1"; }
ko() { fail=$((fail + 1)); echo "FAIL  $1: $2"; }
sk() { skip=$((skip + 1)); echo "skip  $1: $2"; }

# run NAME EXPECTED_STATUS ARGS...: run migbench, keep stdout/stderr in $tmp
run() {
	name=$1 want=$2
	shift 2
	"$MB" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		ko "$name" "exit $got, expected $want; stderr: $(cat "$tmp/err")"
		return 1
	fi
	return 0
}

# expect_err NAME STATUS PATTERN ARGS...: fails with STATUS, stderr has PATTERN
expect_err() {
	name=$1 want=$2 pat=$3
	shift 3
	run "$name" "$want" "$@" || return
	if grep -q -- "$pat" "$tmp/err"; then
		ok "$name"
	else
		ko "$name" "stderr lacks '$pat': $(cat "$tmp/err")"
	fi
}

# json_field NAME: the value of a number field of the JSON in $tmp/out
json_field() {
	sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p" "$tmp/out"
}

if [ ! -x "$MB" ]; then
	echo "no migbench at $MB: run make -C workloads" >&2
	exit 1
fi

# ---- --help --------------------------------------------------------------
if run help 0 --help; then
	missing=
	for o in --pages --size --from --to --json --help; do
		grep -q -- "$o" "$tmp/out" || missing="$missing $o"
	done
	if ! grep -q '^usage: migbench' "$tmp/out"; then
		ko help "no usage line"
	elif [ -n "$missing" ]; then
		ko help "options not described:$missing"
	elif [ -s "$tmp/err" ]; then
		ko help "stderr not empty"
	else
		ok help
	fi
fi
run help-short 0 -h && ok help-short

# ---- argument errors (exit 2) ---------------------------------------------
expect_err no-args 2 'missing --pages N or --size SIZE'
expect_err no-nodes 2 'missing --from A and --to B' --pages 1
expect_err no-to 2 'missing --from A and --to B' --pages 1 --from 0
expect_err pages-and-size 2 'either --pages or --size' --pages 1 --size 4K --from 0 --to 0
expect_err pages-zero 2 'at least 1 page' --pages 0 --from 0 --to 0
expect_err pages-negative 2 "expected a non-negative decimal number" --pages -1 --from 0 --to 0
expect_err pages-junk 2 "expected a non-negative decimal number" --pages 12x --from 0 --to 0
expect_err size-suffix 2 'optional K, M or G suffix' --size 4T --from 0 --to 0
expect_err size-unaligned 2 'not a multiple of the page size' --size 1000 --from 0 --to 0
expect_err node-range 2 'node numbers go up to 1023' --pages 1 --from 0 --to 1024
expect_err missing-value 2 "option '--pages' needs a value" --from 0 --to 0 --pages
expect_err unknown-option 2 "unknown option '--bogus'" --bogus
expect_err extra-arg 2 "unexpected argument 'extra'" --pages 1 --from 0 --to 0 extra

# ---- node checks and real runs (need NUMA sysfs) ---------------------------
hm=/sys/devices/system/node/has_memory
if [ ! -r "$hm" ]; then
	sk no-memory-node "no $hm (kernel without CONFIG_NUMA)"
	sk run-json "no $hm"
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
fi

# expand "0-1,3" into "0 1 3"
mem_nodes=$(tr ',' '\n' <"$hm" | while IFS=- read -r a b; do
	[ -n "$a" ] || continue
	seq "$a" "${b:-$a}"
done | tr '\n' ' ')
first=${mem_nodes%% *}
second=$(echo "$mem_nodes" | awk '{ print $2 }')
[ -n "$second" ] || second=$first
expect_err no-memory-node 1 "node 1023 has no memory; memory nodes: ${mem_nodes% }" \
	--pages 1 --from "$first" --to 1023

# check_json NAME PAGES FROM TO: the JSON in $tmp/out describes that run
check_json() {
	name=$1 pages=$2 from=$3 to=$4
	ps=$(json_field page_size)
	for kv in "pages=$pages" "from_node=$from" "to_node=$to" "failures=0" \
		  "calls=1" "bytes=$((pages * ps))"; do
		k=${kv%%=*} v=${kv#*=}
		if [ "$(json_field "$k")" != "$v" ]; then
			ko "$name" "$k is '$(json_field "$k")', expected $v: $(cat "$tmp/out")"
			return
		fi
	done
	if ! grep -q '^{"tool":"migbench",.*}$' "$tmp/out" ||
	   [ "$(wc -l <"$tmp/out")" -ne 1 ]; then
		ko "$name" "not one JSON object: $(cat "$tmp/out")"
		return
	fi
	if [ -z "$(json_field seconds)" ] || [ -z "$(json_field gbps)" ]; then
		ko "$name" "no seconds or gbps: $(cat "$tmp/out")"
		return
	fi
	ok "$name"
}

"$MB" --pages 1 --from "$first" --to "$first" >"$tmp/out" 2>"$tmp/err"
if grep -q 'seccomp\|CONFIG_NUMA or CONFIG_MIGRATION' "$tmp/err"; then
	sk run-json "NUMA system calls unavailable here: $(cat "$tmp/err")"
	sk run-size "same"
else
	run run-json 0 --pages 300 --from "$first" --to "$second" --json &&
		check_json run-json 300 "$first" "$second"
	run run-size 0 --size 64K --from "$second" --to "$first" --json &&
		check_json run-size 16 "$second" "$first"
	if run run-text 0 --pages 8 --from "$first" --to "$first"; then
		if grep -q '^migbench: 8 pages .* 0 failures, 1 call$' "$tmp/out"; then
			ok run-text
		else
			ko run-text "unexpected text: $(cat "$tmp/out")"
		fi
	fi
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
