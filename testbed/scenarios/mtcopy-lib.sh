# Helpers shared by the mtcopy-* and dcbm-* scenarios (sourced after
# lib.sh; busybox sh). Not a scenario itself.
#
# Results: t_init NAME opens $OUT/NAME.txt; ok/ko append one line each (and
# echo it on the console as "NAME: ok ..." / "NAME: FAIL ..."); t_end
# appends "N passed, N failed" and exits non-zero when a check failed.

case $0 in
*/mtcopy-lib.sh)
	echo "mtcopy-lib.sh: helpers for the mtcopy-* and dcbm-* scenarios, not a scenario" >&2
	exit 2 ;;
esac

. /scenarios/lib.sh

TR=/sys/kernel/tracing
MIGRATE=/sys/kernel/mm/migrate
MTP=/sys/module/mtcopy/parameters
DCP=/sys/module/dcbm/parameters
SWP=/sys/module/swdma/parameters

# ---- results ------------------------------------------------------------------

t_init() {
	t_name=$1
	t_res=$OUT/$1.txt
	: >"$t_res" || fail "cannot write $t_res"
	t_pass=0
	t_fail=0
}
# t_begin NAME: t_init NAME, a directory $dir = $OUT/NAME for the
# scenario's files, NUMA balancing and proactive compaction off (quiet_vm)
t_begin() {
	t_init "$1"
	dir=$OUT/$1
	mkdir -p "$dir" || fail "cannot create $dir"
	quiet_vm
}

# mem_pair: na and nb, the first two memory nodes; fails without two
mem_pair() {
	set -- $(mem_nodes)
	[ $# -ge 2 ] || fail "need two memory nodes, have: $*"
	na=$1
	nb=$2
}

t_line() {
	echo "$*" >>"$t_res"
	echo "$t_name: $*"
}
ok() { t_pass=$((t_pass + 1)); t_line "ok    $*"; }
ko() { t_fail=$((t_fail + 1)); t_line "FAIL  $*"; }
# check DESCRIPTION WHY: ok when WHY is empty, else a failure naming WHY
check() {
	if [ -z "$2" ]; then ok "$1"; else ko "$1: $2"; fi
}
t_end() {
	t_line "$t_pass passed, $t_fail failed"
	[ "$t_fail" -eq 0 ]
	exit
}

# ---- small tools ----------------------------------------------------------------

# jfield NAME FILE: a field of migbench's one-line JSON (number, bool, string)
jfield() {
	sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$2"
}

# kwarn: warning, BUG, oops and call trace lines in the kernel log so far
# (compare before and after a step: the boot-time llc-sibling warning of
# the 8cpu-4l3 layout is in every count alike)
kwarn() {
	kernel_complaints
}

# kwarn_since N: "" when the count is still N, else a description
kwarn_since() {
	_k=$(kwarn)
	[ "$_k" -eq "$1" ] && return 0
	echo "the kernel logged $((_k - $1)) warning/BUG/oops line(s):"
	dmesg | grep -E "$KCOMPLAINTS" | tail -n $((_k - $1)) | head -n 5
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }

# now_cs: uptime in centiseconds; since_cs CS: seconds since CS as "S.C"
now_cs() {
	read -r _up _rest </proc/uptime
	echo "${_up%.*}${_up#*.}"	# uptime >= 1 s: no leading zero
}
since_cs() {
	_d=$(($(now_cs) - $1))
	echo "$((_d / 100)).$((_d % 100 / 10))"
}
# The same without a fork (the per-point loops run hundreds of times under
# TCG, where every fork counts): stamp sets T_NOW (centiseconds),
# took_since CS sets TOOK (seconds since CS, "S.C")
stamp() {
	read -r _up _rest </proc/uptime
	T_NOW=${_up%.*}${_up#*.}
}
took_since() {
	stamp
	_d=$((T_NOW - $1))
	TOOK="$((_d / 100)).$((_d % 100 / 10))"
}

# JSON_AWK: awk rules for a program reading migbench's JSON file first and
# then other files: J[name] holds the JSON fields, jdump() prints them as
# shell assignments J_<name>='value' (for eval), JSON fields and values
# being plain (no comma, quote or brace inside).
JSON_AWK='
FNR == NR && FILENAME == ARGV[1] {
	line = $0; gsub(/[{}]/, "", line)
	nj = split(line, jkv, ",")
	for (ji = 1; ji <= nj; ji++) {
		jp = index(jkv[ji], ":")
		if (jp < 2) continue
		jk = substr(jkv[ji], 1, jp - 1); jv = substr(jkv[ji], jp + 1)
		gsub(/"/, "", jk); gsub(/"/, "", jv)
		J[jk] = jv
	}
	next
}
function jdump(   k) {
	for (k in J) if (k ~ /^[a-z_0-9]+$/) printf "J_%s=\047%s\047\n", k, J[k]
}
'

# jload FILE: migbench's JSON fields as shell variables J_<name> (one sed)
JFIELDS="pages folios failures rw_mismatches rw_touches_during folio_check migrator seconds gbps pgmigrate_success pgmigrate_fail batch_max_pages"
jload() {
	for _f in $JFIELDS; do eval "J_$_f="; done
	[ -s "$1" ] || return 1
	eval "$(sed -n 's/[{}]//g; s/"\([a-z_0-9]*\)":"\{0,1\}\([^,"]*\)"\{0,1\}/J_\1='"'"'\2'"'"'/g; s/,J_/; J_/g; p' "$1")"
}

# mb_why RC ERRFILE: why a migbench point failed, from its exit status, its
# stderr and the J_pages/J_failures of its JSON (jload/dcbm_trace); ""
# when it did not
mb_why() {
	if [ "$1" -ne 0 ]; then
		echo "migbench exit $1: $(grep -v '^migbench: note:' "$2" | head -n 3 | tr '\n' ' ')"
	elif [ -z "$J_pages" ]; then
		echo "migbench wrote no JSON"
	elif [ "$J_failures" != 0 ]; then
		echo "$J_failures pages not moved"
	fi
}

# set_params "SWDMA k=v..." "DCBM k=v...": write each to the module's
# parameter; prints what could not be set
set_params() {
	for _kv in $1; do
		wr "$SWP/${_kv%%=*}" "${_kv#*=}" >/dev/null || echo "cannot set swdma $_kv;"
	done
	for _kv in $2; do
		wr "$DCP/${_kv%%=*}" "${_kv#*=}" >/dev/null || echo "cannot set dcbm $_kv;"
	done
}

# parse_only SCENARIO ARGS...: --only "NAME ..." (or NAME,NAME) into $only;
# selected NAME: whether the point NAME runs (every point without --only)
parse_only() {
	_s=$1
	shift
	only=
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || fail "$1 needs a value"
		case $1 in
		--only) only=$(echo "$2" | tr ',' ' ') ;;
		*) fail "unknown argument '$1' ($_s.sh [--only NAMES])" ;;
		esac
		shift 2
	done
}
selected() {
	[ -z "$only" ] && return 0
	case " $only " in *" $1 "*) return 0 ;; esac
	return 1
}

# wr FILE VALUE: write VALUE and a newline to FILE; prints the shell's error
# message when the write fails; status of the write
wr() {
	_err=$( { echo "$2" >"$1"; } 2>&1 )
	_rc=$?
	[ -z "$_err" ] || echo "$_err"
	return $_rc
}

# reject LABEL FILE VALUE [ERROR]: writing VALUE must fail with ERROR (an
# extended regex of the message; default "Invalid argument") and leave the
# value unchanged
reject() {
	_want=${4:-Invalid argument}
	_before=$(cat "$2" 2>&1)
	_e=$(wr "$2" "$3")
	_rc=$?
	_after=$(cat "$2" 2>&1)
	if [ "$_rc" -eq 0 ]; then
		ko "$1: writing '$3' succeeded (value now '$_after'), expected: $_want"
	elif ! echo "$_e" | grep -qE "$_want"; then
		ko "$1: writing '$3' failed with '$_e', expected: $_want"
	elif [ "$_after" != "$_before" ]; then
		ko "$1: '$3' rejected but the value changed from '$_before' to '$_after'"
	else
		ok "$1: '$3' rejected (${_e##*: }), value stays '$_after'"
	fi
}

# accept LABEL FILE VALUE [READBACK]: writing VALUE must succeed and read
# back as READBACK (default VALUE)
accept() {
	_want=${4-$3}
	_e=$(wr "$2" "$3")
	_rc=$?
	_after=$(cat "$2" 2>&1)
	if [ "$_rc" -ne 0 ]; then
		ko "$1: writing '$3' failed: $_e"
	elif [ "$_after" != "$_want" ]; then
		ko "$1: wrote '$3', reads back '$_after', expected '$_want'"
	else
		ok "$1: '$3' accepted, reads '$_after'"
	fi
}

# expect_eq LABEL GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1: $2"; else ko "$1: got '$2', expected '$3'"; fi
}

migrator() { cat $MIGRATE/migrator 2>/dev/null || echo "?"; }

# mods_reset: unload the migrators and the engine (dcbm before swdma)
mods_reset() {
	for m in dcbm mtcopy swdma; do
		[ -d /sys/module/$m ] || continue
		_i=0
		while [ -d /sys/module/$m ] && [ $_i -lt 50 ]; do
			rmmod $m 2>/dev/null && break
			_i=$((_i + 1))
			usleep 100000
		done
		[ -d /sys/module/$m ] && fail "cannot unload $m"
	done
	return 0
}

# quiet_vm: NUMA balancing and proactive compaction off (they migrate pages
# too and would blur the counters)
quiet_vm() {
	echo 0 >/proc/sys/kernel/numa_balancing 2>/dev/null
	echo 0 >/proc/sys/vm/compaction_proactiveness 2>/dev/null
	return 0
}

# folio_sizes [LIST]: the sizes of LIST (default: 4K..2M) that this kernel
# offers (4K always; an mTHP size needs its hugepages-NkB directory)
folio_sizes() {
	_out=
	for _s in ${1:-4K 16K 32K 64K 128K 256K 512K 1M 2M}; do
		case $_s in
		4K) _out="$_out 4K"; continue ;;
		*K) _kb=${_s%K} ;;
		*M) _kb=$((${_s%M} * 1024)) ;;
		*) continue ;;
		esac
		[ -d /sys/kernel/mm/transparent_hugepage/hugepages-${_kb}kB ] &&
			_out="$_out $_s"
	done
	echo $_out
}

# med: the median of the numbers on stdin, one per line (0 for none)
med() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}

# ---- tracefs, without trace-cmd ---------------------------------------------------
# The checks inside the guest read the tracefs text buffer directly: cheap
# next to a trace-cmd record (seconds per call under TCG).

# tr_setup EVENT...: trace exactly these events (set_event syntax,
# system:event), empty buffer, tracing on
tr_setup() {
	echo 0 >$TR/tracing_on
	: >$TR/set_event
	echo "${TR_BUF_KB:-4096}" >$TR/buffer_size_kb ||
		fail "cannot set $TR/buffer_size_kb"
	for _e in "$@"; do
		echo "$_e" >>$TR/set_event || fail "cannot enable event $_e"
	done
	: >$TR/trace
	echo 1 >$TR/tracing_on
}
tr_clear() { : >$TR/trace; }
tr_mark() { echo "$*" >$TR/trace_marker; }
tr_off() {
	echo 0 >$TR/tracing_on
	: >$TR/set_event
	: >$TR/trace
}
# tr_lost FILE: events lost to a full buffer ("" when none)
tr_lost() {
	sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' "$1" |
		awk '$2 > $1 { print $2 - $1 }'
}

# The awk prologue that parses one line of tracefs text or `trace-cmd
# report` output: sets EV (event name; "marker" for trace_marker lines,
# whose text is in MSG), TS (seconds), CPU (the ring buffer's CPU), COMM,
# and F[key] for every key=value field.
TR_AWK='
function tr_parse(   i, j, p) {
	EV = ""; MSG = ""; CPU = -1; COMM = ""
	for (p in F) delete F[p]
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^\[[0-9]+\]$/ && CPU < 0) {
			CPU = substr($i, 2, length($i) - 2) + 0
			COMM = $1; for (j = 2; j < i; j++) COMM = COMM " " $j
			continue
		}
		if (CPU >= 0 && $i ~ /^[0-9]+\.[0-9]+:$/) {
			TS = substr($i, 1, length($i) - 1) + 0
			EV = $(i + 1); sub(/:$/, "", EV)
			j = i + 2
			if (EV == "print") { EV = $(j); sub(/:$/, "", EV); j++ }
			if (EV == "tracing_mark_write") {
				EV = "marker"; MSG = $(j)
				for (p = j + 1; p <= NF; p++) MSG = MSG " " $p
			}
			for (; j <= NF; j++) {
				p = index($j, "=")
				if (p > 1) F[substr($j, 1, p - 1)] = substr($j, p + 1)
			}
			return 1
		}
	}
	return 0
}
'

# ---- migrations in the background ----------------------------------------------

# loop_start DIR SIZE NODE_A NODE_B: run migbench without pause in the
# background until loop_stop: SIZE bytes, folio sizes 4K, 64K, 2M, 16K in
# turn, both directions, with the rw thread; run I leaves DIR/loop-I.json
# and .err and a line "I EXIT FOLIO FROM TO" in DIR/loop.status. Sets lpid.
loop_start() {
	loop_dir=$1
	rm -f "$loop_dir/stop"
	: >"$loop_dir/loop.status"
	loop_run "$@" &
	lpid=$!
}

loop_run() {
	_i=0
	while [ ! -e "$1/stop" ]; do
		case $((_i % 4)) in
		0) _a=$3 _b=$4 _fs=4K ;;
		1) _a=$4 _b=$3 _fs=64K ;;
		2) _a=$3 _b=$4 _fs=2M ;;
		3) _a=$4 _b=$3 _fs=16K ;;
		esac
		migbench --size "$2" --folio-size "$_fs" --from "$_a" --to "$_b" \
			--rw-thread --json >"$1/loop-$_i.json" 2>"$1/loop-$_i.err"
		echo "$_i $? $_fs $_a $_b" >>"$1/loop.status"
		_i=$((_i + 1))
	done
}

loop_stop() {
	touch "$loop_dir/stop"
	wait $lpid
}

# loop_check: every migbench of the loop passed (exit 0, no failure, no
# wrong read by the rw thread) and the loop ran at least 5 times
loop_check() {
	_runs=$(wc -l <"$loop_dir/loop.status")
	_bad=
	while read -r _i _rc _fs _a _b; do
		_j=$loop_dir/loop-$_i.json
		if [ "$_rc" -ne 0 ]; then
			_bad="$_bad; run $_i ($_fs $_a->$_b) exit $_rc: $(grep -v '^migbench: note:' "$loop_dir/loop-$_i.err" | head -n 2 | tr '\n' ' ')"
		elif [ "$(jfield failures "$_j")" != 0 ] || [ "$(jfield rw_mismatches "$_j")" != 0 ]; then
			_bad="$_bad; run $_i ($_fs $_a->$_b) failures $(jfield failures "$_j") rw_mismatches $(jfield rw_mismatches "$_j")"
		fi
	done <"$loop_dir/loop.status"
	check "every migbench of the loop passed ($_runs runs, bytes verified)" "${_bad#; }"
	if [ "$_runs" -ge 5 ]; then
		ok "the loop ran $_runs migrations during the rounds"
	else
		ko "the loop ran only $_runs migrations"
	fi
}

# unload_overlaps MIGRATOR TRACE: from a tracefs dump of copy_begin,
# copy_dispatch and the "migscope:unload rmmod-begin/-end" markers, print
# "COPIES KERNEL OTHER BAD RMMODS OVERLAPS": batch copies by MIGRATOR, by
# the kernel, by another migrator; copies with rc != 0; rmmods traced;
# rmmods that ran while MIGRATOR was copying a batch
unload_overlaps() {
	awk -v mig="$1" "$TR_AWK"'
	tr_parse() == 0 { next }
	EV == "mm_migrate_copy_begin" { cb[F["id"]] = TS }
	EV == "mm_migrate_copy_dispatch" {
		if (F["rc"] != 0) bad++
		if (F["migrator"] == mig) { nm++; s[nm] = cb[F["id"]]; e[nm] = TS }
		else if (F["migrator"] == "kernel") nk++
		else other++
	}
	EV == "marker" && MSG ~ /^migscope:unload rmmod-begin/ { rb = TS }
	EV == "marker" && MSG ~ /^migscope:unload rmmod-end/ {
		nr++
		for (k = 1; k <= nm; k++)
			if (s[k] != "" && s[k] < TS && e[k] > rb) { ov++; break }
	}
	END { printf "%d %d %d %d %d %d\n", nm, nk, other, bad, nr, ov }' "$2"
}

# ---- dcbm ------------------------------------------------------------------------

DCBM_COUNTERS="folios_copied folios_failed folios_declined batches_failed batches_declined folios_held folios_held_now"

# dc_begin / dc_end: read the five counters before and after a step; dc_end
# sets dcopied dfailed ddeclined dbfailed dbdeclined (the growth)
dc_read() {
	read -r _c1 <$DCP/folios_copied
	read -r _c2 <$DCP/folios_failed
	read -r _c3 <$DCP/folios_declined
	read -r _c4 <$DCP/batches_failed
	read -r _c5 <$DCP/batches_declined
}
dc_begin() {
	dc_read
	_b1=$_c1 _b2=$_c2 _b3=$_c3 _b4=$_c4 _b5=$_c5
}
dc_end() {
	dc_read
	dcopied=$((_c1 - _b1)) dfailed=$((_c2 - _b2)) ddeclined=$((_c3 - _b3))
	dbfailed=$((_c4 - _b4)) dbdeclined=$((_c5 - _b5))
}

# The events dcbm_trace reads
DCBM_EVENTS="migrate_batch:mm_migrate_batch_begin migrate_batch:mm_migrate_batch_end
migrate_batch:mm_migrate_copy_dispatch migrate_batch:mm_migrate_copy_end dcbm:*"

# dcbm_trace JSON TRACE CHANNELS: read migbench's JSON (J_* as jdump) and
# summarize a tracefs text dump of DCBM_EVENTS, printed as shell
# assignments D_<key>=value for eval:
#   handed   folios handed to dcbm (mm_migrate_copy_dispatch migrator=dcbm)
#   skipped  folios of those batches left to the per-folio path
#   other    batch copies by another migrator
#   batches  batch copies by dcbm; bfail: of which rc != 0; ffail: their folios
#   ce_ok    folios of mm_migrate_copy_end (copied), ce_fail: failed
#   timeouts dcbm_wait rc=-110; declines: dcbm_decline events
#   desc     descriptors submitted (dcbm_submit); maxms: the longest batch
#            from dcbm_dispatch to dcbm_done, in ms
#   moved_bad batches whose batch_end reports failed pages or fewer pages
#            than batch_begin (a copy failure that did not fall back)
#   nocomplete channels without a dcbm_complete event whose wait did not
#            time out; nocomp: the first few as batch/chan/rc. (dcbm emits
#            dcbm_complete where the channel's pending count drops to zero:
#            in the last descriptor callback, or in dcbm_start when every
#            descriptor completed before it dropped its bias reference.)
#   err      "-" or what is wrong: events lost; per dcbm_dispatch,
#            channels = min(CHANNELS, folios), one acquire/submit/issue/
#            wait/release per channel, maps adding up to the batch's folios
#            and bytes, at most one completion per channel,
#            dcbm_done rc = the core's copy rc (declined batches: only
#            counted)
dcbm_trace() {
	awk -v C="$3" "$JSON_AWK$TR_AWK"'
	function bad(m) { if (length(err) < 400) err = err " " m ";" }
	/^# entries-in-buffer\/entries-written:/ { split($3, a, "/"); lost = a[2] - a[1] }
	tr_parse() == 0 { next }
	EV == "mm_migrate_batch_begin" { bpages[F["id"]] = F["pages"] }
	EV == "mm_migrate_batch_end" {
		if (F["failed_pages"] != 0 || F["succeeded"] != bpages[F["id"]]) moved_bad++
	}
	EV == "mm_migrate_copy_dispatch" {
		id = F["id"]
		if (F["migrator"] != "dcbm") { other++; next }
		batches++; handed += F["folios"]; skipped += F["skipped"]; crc[id] = F["rc"]
		if (F["rc"] != 0) { bfail++; ffail += F["folios"] }
	}
	EV == "mm_migrate_copy_end" { ce_ok += F["folios"]; ce_fail += F["failed"] }
	EV == "dcbm_decline" { declines++; dec[F["id"]] = 1 }
	EV == "dcbm_dispatch" {
		id = F["id"]; ids[id] = 1
		ch[id] = F["channels"]; fo[id] = F["folios"]; by[id] = F["bytes"]; t0[id] = TS
		want = (C + 0 < F["folios"] + 0) ? C + 0 : F["folios"] + 0
		if (F["channels"] != want) bad("batch " id " channels=" F["channels"] " for " F["folios"] " folios, expected " want)
	}
	EV == "dcbm_acquire" { if (F["rc"] == 0) acq[F["id"]]++; else acqfail[F["id"]]++ }
	EV == "dcbm_map" {
		mf[F["id"]] += F["folios"]; mb[F["id"]] += F["bytes"]
		if (F["rc"] != 0) bad("batch " F["id"] " chan " F["chan"] " map rc=" F["rc"])
	}
	EV == "dcbm_submit" {
		sub_n[F["id"]]++; desc += F["descriptors"]
		if (F["rc"] != 0) bad("batch " F["id"] " chan " F["chan"] " submit rc=" F["rc"])
		if (F["descriptors"] < 1) bad("batch " F["id"] " chan " F["chan"] " no descriptor")
	}
	EV == "dcbm_issue" { iss[F["id"]]++ }
	EV == "dcbm_complete" { cmp[F["id"], F["chan"]]++ }
	EV == "dcbm_wait" {
		wt[F["id"]]++; wrc[F["id"], F["chan"]] = F["rc"]
		if (F["rc"] == -110) timeouts++
	}
	EV == "dcbm_release" { rel[F["id"]]++ }
	EV == "dcbm_done" {
		drc[F["id"]] = F["rc"]
		if (F["id"] in t0 && (TS - t0[F["id"]]) * 1000 > maxms) maxms = (TS - t0[F["id"]]) * 1000
	}
	END {
		for (id in ids) {
			if (id in dec) continue
			c = ch[id] + 0
			if (acq[id] != c) bad("batch " id ": " acq[id] + 0 " channels acquired of " c)
			if (mf[id] != fo[id] || mb[id] != by[id]) bad("batch " id ": maps cover " mf[id] + 0 " folios " mb[id] + 0 " bytes of " fo[id] " / " by[id])
			if (sub_n[id] != acq[id] || iss[id] != acq[id] || wt[id] != acq[id] || rel[id] != acq[id])
				bad("batch " id ": " sub_n[id] + 0 " submits, " iss[id] + 0 " issues, " wt[id] + 0 " waits, " rel[id] + 0 " releases for " acq[id] + 0 " channels")
			for (k = 0; k < acq[id]; k++) {
				if (cmp[id, k] > 1) bad("batch " id " chan " k ": " cmp[id, k] " completions")
				if (cmp[id, k] == 1 || !((id SUBSEP k) in wrc)) continue
				if (wrc[id, k] == -110) continue
				# no completion event, the wait did not time out
				nocomplete++
				if (length(nocomp) < 120) nocomp = nocomp (nocomp == "" ? "" : ",") id "/" k "/rc=" wrc[id, k]
			}
			if (!(id in drc)) bad("batch " id ": no dcbm_done")
			else if (drc[id] != crc[id]) bad("batch " id ": dcbm_done rc=" drc[id] ", copy_dispatch rc=" crc[id])
		}
		if (lost > 0) bad(lost " events lost")
		jdump()
		printf "D_handed=%d D_skipped=%d D_other=%d D_batches=%d D_bfail=%d D_ffail=%d D_ce_ok=%d D_ce_fail=%d D_timeouts=%d D_declines=%d D_moved_bad=%d D_nocomplete=%d D_desc=%d D_maxms=%d\n",
			handed, skipped, other, batches, bfail, ffail, ce_ok, ce_fail, timeouts, declines, moved_bad, nocomplete, desc, maxms
		printf "D_nocomp=\047%s\047\nD_err=\047%s\047\n", (nocomp == "" ? "-" : nocomp), (err == "" ? "-" : err)
	}' "$1" "$2"
}
# nocomplete_check TOTAL EXAMPLES: one check over a scenario's points: every
# channel that was not timed out has its dcbm_complete event
nocomplete_check() {
	if [ "$1" -eq 0 ]; then
		ok "every DMA channel that did not time out has a dcbm_complete event"
	else
		ko "dcbm_complete missing for $1 channel(s) whose wait did not time out (batch/chan/rc: $2): every path that drops the channel's pending count to zero must emit it (kernel: drivers/migoffcopy/dcbm.c dcbm_desc_done and dcbm_start); the analyzer cannot time those transfers"
	fi
}

