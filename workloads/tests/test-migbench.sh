#!/bin/sh
# Tests of migbench that run on any Linux host: argument errors, --help,
# the node check, full runs between memory nodes of this host (a move onto
# the same node when the host has only one) with every backing and the rw
# thread, and the sysfs knob handling (THP controls, batch_copy) against a
# fake sysfs tree (MIGBENCH_SYSFS_MM), so the host's own THP settings are
# never touched. The real folio sizes are tested in the testbed
# (testbed/scenarios/integrity.sh).
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

# json_word NAME: the value of a string or true/false field, unquoted
json_word() {
	sed -n "s/.*\"$1\":\"\{0,1\}\([a-z_]*\).*/\1/p" "$tmp/out"
}

if [ ! -x "$MB" ]; then
	echo "no migbench at $MB: run make -C workloads" >&2
	exit 1
fi

# ---- --help --------------------------------------------------------------
if run help 0 --help; then
	missing=
	for o in --pages --size --folios --from --to --folio-size --backing \
		 --rw-thread --batch-copy --retry --hold-refs --settle --json --help MIGBENCH_SYSFS_MM \
		 --driver --strict move_pages mbind migrate_pages; do
		grep -q -- "$o" "$tmp/out" || missing="$missing $o"
	done
	if ! grep -q '^usage: migbench' "$tmp/out"; then
		ko help "no usage line"
	elif ! grep -q 'time ONE migration system call' "$tmp/out"; then
		ko help "the first paragraph does not say what is timed"
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
expect_err no-args 2 'missing --pages N, --size SIZE or --folios N'
expect_err no-nodes 2 'missing --from A and --to B' --pages 1
expect_err no-to 2 'missing --from A and --to B' --pages 1 --from 0
expect_err pages-and-size 2 'give one of --pages, --size and --folios' --pages 1 --size 4K --from 0 --to 0
expect_err size-and-folios 2 'give one of --pages, --size and --folios' --folios 1 --size 4K --from 0 --to 0
expect_err pages-zero 2 '--pages 0: expected at least 1' --pages 0 --from 0 --to 0
expect_err folios-zero 2 '--folios 0: expected at least 1' --folios 0 --from 0 --to 0
expect_err pages-negative 2 "expected a non-negative decimal number" --pages -1 --from 0 --to 0
expect_err pages-junk 2 "expected a non-negative decimal number" --pages 12x --from 0 --to 0
expect_err size-suffix 2 'optional K, M or G suffix' --size 4T --from 0 --to 0
expect_err size-unaligned 2 'not a multiple of the page size' --size 1000 --from 0 --to 0
expect_err node-range 2 'node numbers go up to 1023' --pages 1 --from 0 --to 1024
expect_err missing-value 2 "option '--pages' needs a value" --from 0 --to 0 --pages
expect_err unknown-option 2 "unknown option '--bogus'" --bogus
expect_err extra-arg 2 "unexpected argument 'extra'" --pages 1 --from 0 --to 0 extra
expect_err folio-size-odd 2 'expected a power of two from the page size (4K) to the PMD size (2M)' \
	--folio-size 12K --pages 3 --from 0 --to 0
expect_err folio-size-big 2 'to the PMD size (2M)' --folio-size 4M --folios 1 --from 0 --to 0
expect_err folio-size-small 2 'to the PMD size (2M)' --folio-size 1K --folios 1 --from 0 --to 0
expect_err size-not-folios 2 'not a multiple of the folio size (2M)' \
	--folio-size 2M --size 1M --from 0 --to 0
expect_err pages-not-folios 2 'not a multiple of the folio size (64K)' \
	--folio-size 64K --pages 17 --from 0 --to 0
expect_err memfd-mthp 2 'a memfd (a shmem file) takes only 4K or 2M folios' \
	--backing memfd --folio-size 64K --folios 1 --from 0 --to 0
expect_err backing-bad 2 "--backing 'file': expected anon, shmem or memfd" \
	--backing file --pages 1 --from 0 --to 0
expect_err batch-copy-bad 2 "--batch-copy '2': expected 0 (legacy per-folio copy) or 1" \
	--batch-copy 2 --pages 1 --from 0 --to 0
expect_err retry-range 2 "--retry 101: expected 0 to 100 calls" \
	--retry 101 --pages 1 --from 0 --to 0
expect_err retry-bad 2 "--retry 'x': expected a non-negative decimal number" \
	--retry x --pages 1 --from 0 --to 0
expect_err hold-range 2 "--hold-refs 17: expected 1 to 16 folios" \
	--hold-refs 17 --pages 32 --from 0 --to 0
expect_err hold-zero 2 "--hold-refs 0: expected 1 to 16 folios" \
	--hold-refs 0 --pages 1 --from 0 --to 0
expect_err settle-zero 2 "--settle 0: expected 1 to 600000 ms" \
	--settle 0 --pages 1 --from 0 --to 0
expect_err settle-range 2 "--settle 600001: expected 1 to 600000 ms" \
	--settle 600001 --pages 1 --from 0 --to 0
expect_err hold-more 2 "--hold-refs 3: the run has only 2 folio(s)" \
	--hold-refs 3 --pages 2 --from 0 --to 0
expect_err driver-bad 2 "--driver 'move': expected move_pages, mbind, migrate_pages, numa-fault, promote, demote, compact, offline, damon-cold or damon-hot" \
	--driver move --pages 1 --from 0 --to 0
expect_err driver-missing 2 "option '--driver' needs a value" --pages 1 --from 0 --to 0 --driver
expect_err strict-move-pages 2 '--strict goes with --driver mbind .*not --driver move_pages: drop --strict or use --driver mbind' \
	--strict --pages 1 --from 0 --to 0
expect_err strict-migrate-pages 2 '--strict goes with --driver mbind .*not --driver migrate_pages' \
	--driver migrate_pages --strict --pages 1 --from 0 --to 0
# the kernel-driven drivers: their options, and only theirs
expect_err kdriver-rw-thread 2 '--driver compact: --rw-thread, --hold-refs and --retry go with the system-call drivers' \
	--driver compact --rw-thread --pages 1 --from 0
expect_err kdriver-hold-refs 2 '--driver demote: --rw-thread, --hold-refs and --retry go with the system-call drivers' \
	--driver demote --hold-refs 1 --pages 1 --from 0 --to 1
expect_err kdriver-timeout-move-pages 2 '--timeout, --compact and --filler go with the kernel-driven drivers .*not --driver move_pages' \
	--timeout 5 --pages 1 --from 0 --to 0
expect_err kdriver-timeout-zero 2 '--timeout 0: expected at least 1' \
	--driver numa-fault --timeout 0 --pages 1 --from 0 --to 1
expect_err kdriver-compact-numa-fault 2 '--compact and --filler go with --driver compact, not --driver numa-fault' \
	--driver numa-fault --compact all --pages 1 --from 0 --to 1
expect_err kdriver-compact-bad 2 "--compact 'bogus': expected node, all or proactive" \
	--driver compact --compact bogus --pages 1 --from 0
expect_err kdriver-filler-zero 2 '--filler 0: expected at least two pages' \
	--driver compact --filler 0 --pages 1 --from 0
expect_err kdriver-compact-two-nodes 2 '--driver compact --from 0 --to 1: compaction moves folios within one node: give --to 0 or no --to' \
	--driver compact --pages 1 --from 0 --to 1
expect_err kdriver-offline-same-node 2 '--driver offline --from 0 --to 0: the kernel has nothing to move' \
	--driver offline --pages 1 --from 0 --to 0
expect_err kdriver-offline-hold-refs 2 '--driver offline: --rw-thread, --hold-refs and --retry go with the system-call drivers' \
	--driver offline --hold-refs 1 --pages 1 --from 0
expect_err kdriver-damon-same-node 2 '--driver damon-cold --from 1 --to 1: the kernel has nothing to move' \
	--driver damon-cold --pages 1 --from 1 --to 1
expect_err kdriver-damon-rw-thread 2 '--driver damon-hot: --rw-thread, --hold-refs and --retry go with the system-call drivers' \
	--driver damon-hot --rw-thread --pages 1 --from 0 --to 1
expect_err kdriver-same-node 2 '--driver promote --from 0 --to 0: the kernel has nothing to move' \
	--driver promote --pages 1 --from 0 --to 0
expect_err kdriver-missing-from 2 'missing --from A and --to B' \
	--driver compact --pages 1
expect_err retry-mbind 2 '--retry goes with --driver move_pages .*not --driver mbind: drop --retry or use --driver move_pages' \
	--driver mbind --retry 2 --pages 1 --from 0 --to 0
# an explicit --retry 0 is refused too: the option has no meaning there
expect_err retry-migrate-pages 2 '--retry goes with --driver move_pages .*not --driver migrate_pages' \
	--retry 0 --driver migrate_pages --pages 1 --from 0 --to 0
# the last --driver wins, as for every other option
expect_err driver-last-wins 2 '--strict goes with --driver mbind .*not --driver move_pages' \
	--driver mbind --driver move_pages --strict --pages 1 --from 0 --to 0

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
		  "not_migrated=0" "retries=0" "retried_folios=0" \
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
	if [ "$(json_word driver)/$(json_word strict)/$(json_word eio)" = move_pages/false/false ]; then
		ok run-json-driver
	else
		ko run-json-driver "default driver fields: $(cat "$tmp/out")"
	fi
	# every driver and backing (a move onto the same node on a 1-node host)
	for d in move_pages mbind migrate_pages; do
		for b in anon shmem memfd; do
			run "driver-$d-$b" 0 --driver "$d" --backing "$b" --pages 256 \
				--from "$first" --to "$second" --rw-thread --json || continue
			if [ "$(json_word driver)" != "$d" ] || [ "$(json_word backing)" != "$b" ] ||
			   [ "$(json_field rw_mismatches)" != 0 ]; then
				ko "driver-$d-$b" "unexpected JSON: $(cat "$tmp/out")"
			else
				check_json "driver-$d-$b" 256 "$first" "$second"
			fi
		done
	done
	if run driver-mbind-strict 0 --driver mbind --strict --pages 64 \
		--from "$first" --to "$second" --json; then
		if [ "$(json_word strict)/$(json_word eio)" = true/false ]; then
			check_json driver-mbind-strict 64 "$first" "$second"
		else
			ko driver-mbind-strict "strict/eio: $(cat "$tmp/out")"
		fi
	fi
	if run driver-mbind-text 0 --driver mbind --strict --pages 8 --from "$first" --to "$first"; then
		if grep -q "^migbench: driver mbind --strict: returned 0, 0 folio(s) not on node $first afterwards\$" "$tmp/out"; then
			ok driver-mbind-text
		else
			ko driver-mbind-text "unexpected text: $(cat "$tmp/out")"
		fi
	fi
	if run driver-migrate-pages-text 0 --driver migrate_pages --pages 8 --from "$first" --to "$first"; then
		if grep -q '^migbench: driver migrate_pages (the whole process): returned 0, vmstat pgmigrate_success +[-0-9]* for the region.s 8 pages$' "$tmp/out"; then
			ok driver-migrate-pages-text
		else
			ko driver-migrate-pages-text "unexpected text: $(cat "$tmp/out")"
		fi
	fi
	run run-size 0 --size 64K --from "$second" --to "$first" --json &&
		check_json run-size 16 "$second" "$first"
	run run-folios 0 --folios 24 --from "$first" --to "$second" --json &&
		check_json run-folios 24 "$first" "$second"
	if run run-text 0 --pages 8 --from "$first" --to "$first"; then
		if grep -q '^migbench: 8 pages .* 0 failures, 1 call$' "$tmp/out"; then
			ok run-text
		else
			ko run-text "unexpected text: $(cat "$tmp/out")"
		fi
	fi
	# --settle rewrites every page and checks it again after the wait
	if run settle 0 --pages 64 --from "$first" --to "$second" --settle 50; then
		if grep -q -- '--settle: the pages changed' "$tmp/err"; then
			ko settle "a mismatch without any late writer: $(cat "$tmp/err")"
		else
			ok settle
		fi
	fi
	# every backing, with the rw thread reading and writing during the move
	for b in anon shmem memfd; do
		run "rw-$b" 0 --pages 2000 --from "$first" --to "$second" \
			--backing "$b" --rw-thread --json || continue
		if [ "$(sed -n 's/.*"backing":"\([a-z]*\)".*/\1/p' "$tmp/out")" != "$b" ] ||
		   ! grep -q '"rw_thread":true,' "$tmp/out" ||
		   [ "$(json_field rw_mismatches)" != 0 ] ||
		   [ "$(json_field rw_passes)" -lt 1 ] ||
		   [ "$(json_field failures)" != 0 ]; then
			ko "rw-$b" "unexpected JSON: $(cat "$tmp/out")"
		else
			ok "rw-$b"
		fi
	done
	if run rw-text 0 --pages 64 --from "$first" --to "$first" --rw-thread; then
		if grep -q '^migbench: rw thread: [0-9]* passes, [0-9]* pages touched ([0-9]* during the move), 0 wrong reads$' "$tmp/out"; then
			ok rw-text
		else
			ko rw-text "unexpected text: $(cat "$tmp/out")"
		fi
	fi
	# the vmstat deltas are there (numbers, or -1 without CONFIG_MIGRATION)
	run vmstat-json 0 --pages 16 --from "$first" --to "$second" --json &&
	if [ -n "$(json_field pgmigrate_success)" ] &&
	   [ -n "$(json_field pgmigrate_fail)" ]; then
		ok vmstat-json
	else
		ko vmstat-json "no pgmigrate fields: $(cat "$tmp/out")"
	fi
fi

# ---- sysfs knobs, against a fake /sys/kernel/mm --------------------------------
# mkfake: a fake sysfs tree shaped like Linux 6.12's (with the batch-copy
# patches when $1 = batch)
mkfake() {
	rm -rf "$tmp/mm"
	thp=$tmp/mm/transparent_hugepage
	mkdir -p "$thp"
	echo 'always [madvise] never' >"$thp/enabled"
	echo 'always within_size advise [never] deny force' >"$thp/shmem_enabled"
	for kb in 8 16 32 64 128 256 512 1024 2048; do
		mkdir "$thp/hugepages-${kb}kB"
		[ "$kb" = 8 ] ||
			echo 'always inherit madvise [never]' >"$thp/hugepages-${kb}kB/enabled"
		echo 'always inherit within_size advise [never]' >"$thp/hugepages-${kb}kB/shmem_enabled"
	done
	if [ "${1:-}" = batch ]; then
		mkdir -p "$tmp/mm/migrate"
		echo 1 >"$tmp/mm/migrate/batch_copy"
		echo 512 >"$tmp/mm/migrate/batch_max_pages"
		echo kernel >"$tmp/mm/migrate/migrator"
	fi
	( cd "$tmp/mm" && find . -type f | sort | while read -r f; do
		printf '%s %s\n' "$f" "$(sed 's/.*\[\(.*\)\].*/\1/' "$f")"
	done ) >"$tmp/mm.before"
}

# fake_restored NAME: every fake knob holds its first value again
fake_restored() {
	now=$( cd "$tmp/mm" && find . -type f | sort | while read -r f; do
		printf '%s %s\n' "$f" "$(sed 's/.*\[\(.*\)\].*/\1/' "$f")"
	done )
	if [ "$now" = "$(cat "$tmp/mm.before")" ]; then
		ok "$1"
	else
		ko "$1" "knobs not restored: $(echo "$now" | diff "$tmp/mm.before" - | grep '^[<>]' | tr '\n' ' ')"
	fi
}

if [ ! -r "$hm" ] || grep -q 'seccomp\|CONFIG_NUMA or CONFIG_MIGRATION' "$tmp/err"; then
	sk knobs "NUMA system calls unavailable here"
else
	export MIGBENCH_SYSFS_MM="$tmp/mm"
	mkfake
	expect_err no-batch-copy 1 'no .*/migrate/batch_copy: kernel without the batch-copy patches' \
		--batch-copy 1 --pages 4 --from "$first" --to "$first"
	expect_err no-8k-anon 1 'its anonymous folio sizes are: 16K 32K 64K 128K 256K 512K 1M 2M' \
		--folio-size 8K --folios 2 --from "$first" --to "$first"
	fake_restored no-8k-anon-restored

	mkfake batch
	if run batch-copy-0 0 --batch-copy 0 --pages 4 --from "$first" --to "$first" --json; then
		if [ "$(json_field batch_copy)" = 0 ] && [ "$(json_field batch_max_pages)" = 512 ] &&
		   grep -q '"migrator":"kernel"' "$tmp/out"; then
			ok batch-copy-0
		else
			ko batch-copy-0 "unexpected JSON: $(cat "$tmp/out")"
		fi
	fi
	fake_restored batch-copy-restored
	run batch-copy-default 0 --pages 4 --from "$first" --to "$first" --json &&
		if [ "$(json_field batch_copy)" = 1 ]; then ok batch-copy-default; else
			ko batch-copy-default "batch_copy is not 1: $(cat "$tmp/out")"; fi

	# 64K through fake knobs: the real kernel keeps its own settings, so
	# this host gives 64K folios only by chance; a mismatch must be loud
	mkfake batch
	"$MB" --folio-size 64K --folios 8 --from "$first" --to "$first" \
		--batch-copy 0 --json >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if grep -q 'cannot check the folio sizes' "$tmp/err"; then
		sk folio-mismatch "kpageflags unusable here: $(cat "$tmp/err")"
	elif [ "$rc" -eq 0 ] && [ "$(json_field folio_size)" = 65536 ]; then
		ok folio-mismatch	# the host gave 64K folios by itself
	elif [ "$rc" -eq 1 ] && grep -q 'FOLIO SIZE MISMATCH before the move: asked for 8 folios of 64K (anon); the kernel gave: [0-9]* x ' "$tmp/err" &&
	     grep -q 'hugepages-64kB/enabled=madvise (was never)' "$tmp/err" &&
	     grep -q 'migrate/batch_copy=0 (was 1)' "$tmp/err"; then
		ok folio-mismatch
	else
		ko folio-mismatch "exit $rc; stderr: $(cat "$tmp/err")"
	fi
	fake_restored folio-mismatch-restored

	# shmem: top-level shmem_enabled and per-size shmem_enabled, restored
	mkfake
	"$MB" --backing shmem --folio-size 32K --folios 4 --from "$first" --to "$first" \
		>"$tmp/out" 2>"$tmp/err"
	if [ $? -le 1 ]; then ok shmem-knobs; else ko shmem-knobs "$(cat "$tmp/err")"; fi
	fake_restored shmem-knobs-restored

	# SIGTERM while the knobs are set: the handler restores them
	mkfake batch
	"$MB" --folio-size 64K --size 1G --from "$first" --to "$first" --batch-copy 0 \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while [ $i -lt 300 ] && ! grep -qx madvise "$tmp/mm/transparent_hugepage/hugepages-64kB/enabled"; do
		sleep 0.01
		i=$((i + 1))
	done
	if grep -qx madvise "$tmp/mm/transparent_hugepage/hugepages-64kB/enabled"; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		rc=$?
		if [ "$rc" -eq 143 ] && grep -q 'signal: restoring sysfs knobs' "$tmp/err"; then
			fake_restored sigterm-restored
		elif [ "$rc" -ne 143 ]; then
			sk sigterm-restored "migbench ended (exit $rc) before SIGTERM arrived"
			fake_restored sigterm-exit-restored
		else
			ko sigterm-restored "no restore message: $(cat "$tmp/err")"
		fi
	else
		wait "$pid" 2>/dev/null
		sk sigterm-restored "migbench never showed the changed knob"
	fi
	unset MIGBENCH_SYSFS_MM
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
