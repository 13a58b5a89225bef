#!/bin/sh
# integrity: migrate folios of every size with the legacy and the batch copy,
# anonymous and shmem, with a thread reading and writing the region during
# the move, and check every point:
#   migbench exits 0 (every byte verified, every page on the destination
#   after at most 3 untimed --retry calls for folios the kernel gave up on,
#   every folio of the asked size before and after, no wrong read by the rw
#   thread), the rw thread touched pages during the move, the vmstat deltas
#   pgmigrate_success == pages migrated (Linux 6.12 counts base pages) and
#   pgmigrate_fail == 0 -- or, when the timed call left N folios unmigrated
#   (move_pages returned N: under the rw thread a folio's references may
#   not settle within migrate_pages' retries), success + fail == pages and
#   fail >= N folios' pages --, batch_copy reads back as asked, and the kernel
#   logged no warning, BUG or oops during the point.
# Then, for 4K and 64K anon (when in the matrix), migbench --hold-refs 4
# with --retry 0 and --retry 2: the kernel's report of folios it could not
# migrate is checked, and the retry moves them.
#
#   integrity.sh [--size SIZE] [--sizes "4K 16K ..."] [--backings "anon shmem"]
#                [--modes "legacy batch"]
# Defaults: 32M per point, 9 folio sizes x 2 backings x 2 copy modes.
# Without /sys/kernel/mm/migrate/batch_copy (kernel without the batch-copy
# patches) legacy and batch cannot be told apart: that is one failed check,
# and the matrix runs once per size and backing with the kernel's only copy.
# Without pgmigrate_success in /proc/vmstat (CONFIG_VM_EVENT_COUNTERS off)
# the counters cannot be compared: also one failed check, and the points
# check everything else.
# NUMA balancing and proactive compaction are turned off for the run (they
# migrate pages too and would move the vmstat counters).
# Output: $OUT/integrity.txt (one line per point, then "N passed, N failed"),
# $OUT/integrity/POINT.json and POINT.err (migbench's output).
# shellcheck source=lib.sh
. /scenarios/lib.sh

size=32M
sizes="4K 16K 32K 64K 128K 256K 512K 1M 2M"
backings="anon shmem"
modes="legacy batch"
while [ $# -gt 0 ]; do
	case $1 in
	--size) [ $# -ge 2 ] || fail "--size needs a value"; size=$2; shift 2 ;;
	--sizes) [ $# -ge 2 ] || fail "--sizes needs a value"; sizes=$2; shift 2 ;;
	--backings) [ $# -ge 2 ] || fail "--backings needs a value"; backings=$2; shift 2 ;;
	--modes) [ $# -ge 2 ] || fail "--modes needs a value"; modes=$2; shift 2 ;;
	*) fail "unknown argument '$1' (integrity.sh [--size S] [--sizes L] [--backings L] [--modes L])" ;;
	esac
done

# the node list, split on purpose
# shellcheck disable=SC2046
set -- $(mem_nodes)
[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
from=$1
to=$2
res=$OUT/integrity.txt
dir=$OUT/integrity
mkdir -p "$dir" || fail "cannot create $dir"
: >"$res" || fail "cannot write $res"
pass=0
nfail=0
transient=0

# result LINE: one line of integrity.txt, echoed on the console
result() {
	echo "$*" >>"$res"
	echo "integrity: $*"
}
ok() { pass=$((pass + 1)); result "ok    $*"; }
ko() { nfail=$((nfail + 1)); result "FAIL  $*"; }

echo 0 >/proc/sys/kernel/numa_balancing 2>/dev/null
echo 0 >/proc/sys/vm/compaction_proactiveness 2>/dev/null

knob=/sys/kernel/mm/migrate/batch_copy
if [ -e "$knob" ]; then
	note "batch_copy $(cat $knob), batch_max_pages $(cat /sys/kernel/mm/migrate/batch_max_pages 2>/dev/null), migrator $(cat /sys/kernel/mm/migrate/migrator 2>/dev/null)"
else
	ko "batch-copy: no $knob: kernel without the batch-copy patches: legacy and batch copy cannot be told apart (running the matrix with the kernel's only copy path)"
	modes=default
fi
if grep -q '^pgmigrate_success ' /proc/vmstat; then
	vmstat=1
else
	vmstat=0
	ko "vmstat: no pgmigrate_success in /proc/vmstat: kernel without CONFIG_VM_EVENT_COUNTERS: the counters cannot be compared with migbench's (the points check everything else)"
fi
note "matrix: sizes '$sizes' x backings '$backings' x modes '$modes', $size per point, node $from -> $to, with the rw thread"

# point FOLIO_SIZE BACKING MODE
point() {
	fs=$1 b=$2 m=$3
	name=$fs-$b-$m
	case $m in
	legacy) bc="--batch-copy 0" want_bc=0 ;;
	batch) bc="--batch-copy 1" want_bc=1 ;;
	*) bc='' want_bc='' ;;
	esac
	k0=$(kernel_complaints)
	t0=$(cut -d' ' -f1 /proc/uptime)
	# $bc is two words or none: split on purpose
	# shellcheck disable=SC2086
	migbench --folio-size "$fs" --size "$size" --from "$from" --to "$to" \
		--backing "$b" --rw-thread --retry 3 $bc --json >"$dir/$name.json" 2>"$dir/$name.err"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	k1=$(kernel_complaints)
	j=$dir/$name.json
	why=
	if [ "$rc" -ne 0 ]; then
		why="migbench exit $rc: $(grep -v '^migbench: note:' "$dir/$name.err" | head -n 3 | tr '\n' ' ')"
	elif [ ! -s "$j" ]; then
		why="migbench wrote no JSON"
	else
		pages=$(json_field pages "$j")
		succ=$(json_field pgmigrate_success "$j")
		pfail=$(json_field pgmigrate_fail "$j")
		during=$(json_field rw_touches_during "$j")
		nm=$(json_field not_migrated "$j")
		fp=$(($(json_field folio_size "$j") / $(json_field page_size "$j")))
		if [ "$(json_field failures "$j")" != 0 ]; then
			why="$(json_field failures "$j") pages not moved"
		elif [ "$(json_field rw_mismatches "$j")" != 0 ]; then
			why="the rw thread read $(json_field rw_mismatches "$j") wrong values"
		elif [ "$(json_field folio_check "$j")" != ok ]; then
			why="folio sizes not checked"
		elif [ -z "$nm" ]; then
			why="no not_migrated in migbench's JSON"
		elif [ "$vmstat" = 1 ] && [ "$nm" = 0 ] && [ "$succ" != "$pages" ]; then
			why="vmstat pgmigrate_success +$succ, migbench migrated $pages pages"
		elif [ "$vmstat" = 1 ] && [ "$nm" = 0 ] && [ "$pfail" != 0 ]; then
			why="vmstat pgmigrate_fail +$pfail"
		elif [ "$vmstat" = 1 ] && [ "$nm" != 0 ] &&
		     { [ $((succ + pfail)) -ne "$pages" ] || [ "$pfail" -lt $((nm * fp)) ]; }; then
			why="move_pages left $nm folio(s) unmigrated but vmstat says pgmigrate_success +$succ, pgmigrate_fail +$pfail for $pages pages"
		elif [ -n "$want_bc" ] && [ "$(json_field batch_copy "$j")" != "$want_bc" ]; then
			why="batch_copy read $(json_field batch_copy "$j") during the run, expected $want_bc"
		elif [ -z "$during" ] || [ "$during" -eq 0 ]; then
			why="the rw thread touched no page during the move"
		fi
	fi
	if [ -z "$why" ] && [ "$k1" -ne "$k0" ]; then
		why="the kernel logged $((k1 - k0)) warning/BUG/oops line(s) during this point (dmesg.txt)"
	fi
	took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	if [ -n "$why" ]; then
		ko "$fs $b $m: $why (${took} s)"
		sed 's/^/    /' "$dir/$name.err"
	else
		[ "$vmstat" = 1 ] && vm="pgmigrate_success +$succ" || vm="no vmstat"
		if [ "$nm" != 0 ]; then
			transient=$((transient + 1))
			vm="$vm, pgmigrate_fail +$pfail: $nm folio(s) left by the timed call (transient, under the rw thread), moved by $(json_field retries "$j") untimed retry call(s)"
		fi
		ok "$fs $b $m: $pages pages in $(json_field folios "$j") folios, move $(json_field seconds "$j" | cut -c1-6) s, $vm, rw thread $during pages touched during the move, 0 wrong reads (${took} s)"
	fi
}

# held FOLIO_SIZE RETRY: migbench --hold-refs 4 keeps a reference to 4
# folios during the timed call: move_pages must return 4, leave exactly
# those folios' pages behind (pgmigrate_fail), and with --retry move them
# after the references are dropped; without, migbench must fail naming
# them. Every byte is verified either way.
held() {
	fs=$1 r=$2
	name=held-$fs-retry$r
	migbench --folio-size "$fs" --folios 64 --from "$from" --to "$to" \
		--hold-refs 4 --retry "$r" --json >"$dir/$name.json" 2>"$dir/$name.err"
	rc=$?
	j=$dir/$name.json
	if [ ! -s "$j" ]; then
		ko "$name: migbench --hold-refs 4 --retry $r exited $rc with no JSON: $(head -n 3 "$dir/$name.err" | tr '\n' ' ')"
		return
	fi
	fp=$(($(json_field folio_size "$j") / $(json_field page_size "$j")))
	got="exit $rc, not_migrated $(json_field not_migrated "$j"), retries $(json_field retries "$j"), failures $(json_field failures "$j"), pgmigrate_fail +$(json_field pgmigrate_fail "$j")"
	if [ "$r" -eq 0 ]; then
		want="exit 1, not_migrated 4, retries 0, failures $((4 * fp)), pgmigrate_fail +$((4 * fp))"
	else
		want="exit 0, not_migrated 4, retries 1, failures 0, pgmigrate_fail +$((4 * fp))"
	fi
	[ "$vmstat" = 1 ] || { got=${got%, pgmigrate_fail*}; want=${want%, pgmigrate_fail*}; }
	if [ "$got" != "$want" ]; then
		ko "$name: migbench --hold-refs 4 --retry $r: $got; expected $want"
		sed 's/^/    /' "$dir/$name.err"
	elif [ "$r" -eq 0 ] && ! grep -q 'move_pages returned 4' "$dir/$name.err"; then
		ko "$name: migbench did not name the 4 folios move_pages left: $(head -n 3 "$dir/$name.err" | tr '\n' ' ')"
	else
		sp=$(sed -n 's/.*: \([0-9]*\) smaller folio(s) inside folios that --retry moved.*/\1/p' "$dir/$name.err")
		ok "$name: 4 held folios not migrated by the timed call ($got${sp:+; the kernel split them into $sp smaller folios on the retry})"
	fi
}

for fs in 4K 64K; do
	case " $sizes " in *" $fs "*) ;; *) continue ;; esac
	case " $backings " in *" anon "*) ;; *) continue ;; esac
	held "$fs" 0
	held "$fs" 2
done

for fs in $sizes; do
	for b in $backings; do
		for m in $modes; do
			point "$fs" "$b" "$m"
		done
	done
done

[ "$transient" -eq 0 ] || note "integrity: $transient point(s) with folios the timed move_pages call did not migrate (moved by migbench --retry; data verified)"
result "$pass passed, $nfail failed"
[ "$nfail" -eq 0 ] || fail "$nfail integrity check(s) failed (see $res)"
note "integrity: all $pass checks passed"
