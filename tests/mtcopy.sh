#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/mtcopy.sh - the mtcopy migrator in the testbed, in ONE boot of the
# 8cpu-4l3 layout with a fifth, CPU-less memory node (the shape of a CXL
# tier): nodes 0 {0-1} mem, 1 {2-3}, 2 {4-5} mem, 3 {6-7}, 4 {} 256M;
# L3 domains {0-1} {2-3} {4-5} {6-7}. The guest runs (mtcopy-suite):
#   mtcopy-controls   every control, bad values rejected and unchanged,
#                     good ones taken; EBUSY with dcbm registered
#   mtcopy-integrity  threads 1 2 4 8 x spread fill src dst x every folio
#                     size 4K..2M: bytes verified, every batch copied by
#                     mtcopy, workers and bytes accounted, no warning
#   mtcopy-placement  every (threads, policy, direction) point recorded
#                     with trace-cmd (migscope-record)
#   mtcopy-busy       a CPU hog on every vCPU: mtcopy's migration within
#                     1.3 x the kernel's copy; prints the hogs' lost
#                     throughput with each copy
#   mtcopy-unload     50 x modprobe/rmmod mtcopy while migrations run
# Here, on the host:
#   - every scenario ran to its end: its "N passed, N failed" counts are
#     added to ours;
#   - placement: `trace-cmd report` of the recorded traces; for every point
#     the CPU of every worker is computed from the topology in the trace's
#     migscope:cpu/node markers and the placement rules (spread: worker i
#     on L3 domain i mod D, its (i / D)-th CPU; fill: the CPUs of domain 0,
#     then 1, ...; dst/src: the CPUs of the destination/source node, spread
#     when it has none; cpus: the list, spread when never set; CPUs wrap),
#     and compared, for workers 1.. (worker 0 is the calling task, which
#     copies its share itself: not a kworker, wherever it runs), with the
#     mtcopy_worker_begin/end cpu field, the ring
#     buffer CPU column and the bound kworker's CPU (kworker/N:...; work
#     run by the workqueue's rescuer kworker/R-mtcopy, which happens when
#     the pool cannot start a worker in time, is counted and shown, its CPU
#     still checked); the mtcopy_dispatch policy must name the policy used
#     and the thread count;
#   - the console has no WARNING:, BUG:, Oops or Call Trace apart from the
#     one known llc-sibling topology warning of this layout at boot.
# Prints "mtcopy: N passed, N failed" last; exit status non-zero on failure.
#
# usage: tests/mtcopy.sh [-- SCENARIO[:ARG:ARG]...]   (mtcopy-suite syntax,
#        e.g. -- mtcopy-controls mtcopy-unload:--rounds:10)
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), MTCOPY_OUT (results,
# default $BUILD/testbed/mtcopy), MTCOPY_TIMEOUT (seconds, default 900).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
suite=mtcopy
. "$top/tests/lib-suite.sh"
out=${MTCOPY_OUT:-${BUILD:-$top/build}/testbed/mtcopy}
timeout_s=${MTCOPY_TIMEOUT:-900}
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || set -- mtcopy-controls mtcopy-integrity mtcopy-placement mtcopy-busy mtcopy-unload
command -v trace-cmd >/dev/null || { ko host "trace-cmd not found (apt-get install trace-cmd)"; finish; }

# placement_check: read `trace-cmd report -t` of one placement trace on
# stdin; one line per point: "ok NAME: ..." or "FAIL NAME: ..."
placement_check() {
	awk '
	function strip(v) { gsub(/"/, "", v); return v }
	# cpumask LIST ARR: the online CPUs of LIST, ascending, into ARR[0..n-1]
	function cpumask(list, arr,   n, np, parts, i, r, k, set) {
		n = 0
		if (list == "" || list == "-") return 0
		np = split(list, parts, ",")
		for (i = 1; i <= np; i++) {
			if (split(parts[i], r, "-") == 2) { for (k = r[1] + 0; k <= r[2] + 0; k++) set[k] = 1 }
			else if (parts[i] != "") set[parts[i] + 0] = 1
		}
		for (k = 0; k <= maxcpu; k++) if ((k in set) && (k in online)) arr[n++] = k
		return n
	}
	function domains(   c, key, d, n, m, j) {
		D = 0
		for (c = 0; c <= maxcpu; c++) {
			if (!(c in online)) continue
			key = (l3[c] == "" || l3[c] == "-") ? c "" : l3[c]
			if (key in domof) continue
			domof[key] = D
			n = cpumask(key, m)
			dom_n[D] = n
			for (j = 0; j < n; j++) dom_c[D, j] = m[j]
			D++
		}
	}
	# place NAME: expected CPU of every worker of point NAME into want[NAME, i];
	# returns the policy used
	function place(name, nt, pn, from, to, cl,   n, m, i, u, k, d, total) {
		if (!D) domains()
		u = pn
		n = -1
		if (pn == "dst") n = cpumask(nodecpus[to], m)
		else if (pn == "src") n = cpumask(nodecpus[from], m)
		else if (pn == "cpus") n = cpumask(cl, m)
		if (n > 0) {
			for (i = 0; i < nt; i++) want[name, i] = m[i % n]
			return u
		}
		if (n == 0) u = "spread"
		if (u == "fill") {
			total = 0
			for (d = 0; d < D; d++) total += dom_n[d]
			for (i = 0; i < nt; i++) {
				k = i % total
				for (d = 0; k >= dom_n[d]; d++) k -= dom_n[d]
				want[name, i] = dom_c[d, k]
			}
		} else {
			for (i = 0; i < nt; i++) {
				d = i % D
				want[name, i] = dom_c[d, int(i / D) % dom_n[d]]
			}
		}
		return u
	}
	function bad(p, msg) { if (!(p in err)) err[p] = ""; if (length(err[p]) < 600) err[p] = err[p] " " msg ";" }
	'"$TR_AWK"'
	tr_parse() == 0 { next }
	EV == "marker" && MSG ~ /^migscope:cpu / {
		c = F["cpu"] + 0; online[c] = 1; l3[c] = strip(F["l3"]); if (c > maxcpu) maxcpu = c
		next
	}
	EV == "marker" && MSG ~ /^migscope:node / { nodecpus[F["node"]] = strip(F["cpus"]); next }
	EV == "marker" && MSG ~ /^migscope:point / {
		cur = F["name"]; np++; order[np] = cur
		T[cur] = F["threads"] + 0; pol[cur] = F["policy"]
		used[cur] = place(cur, T[cur], F["policy"], F["from"], F["to"], F["cpus"])
		next
	}
	EV == "marker" && MSG ~ /^migscope:point-end / { cur = ""; next }
	EV == "mtcopy_dispatch" {
		id = F["id"]
		if (cur == "") { stray++; next }
		pt[id] = cur; nb[cur]++; batches[cur] = batches[cur] " " id
		if (F["threads"] != T[cur]) bad(cur, "batch " id " threads=" F["threads"])
		if (F["policy"] != used[cur]) bad(cur, "batch " id " policy=" F["policy"] ", expected " used[cur])
		next
	}
	EV == "mtcopy_worker_begin" || EV == "mtcopy_worker_end" {
		id = F["id"]; w = F["worker"] + 0
		if (!(id in pt)) { stray++; next }
		p = pt[id]; e = want[p, w]
		what = (EV == "mtcopy_worker_begin") ? "begin" : "end"
		if (w == 0 || COMM !~ /^kworker/) {
			# the calling task copies worker 0 share, and the share
			# of a worker that had not started when it was done
			# (taken back), wherever it runs
			if (F["cpu"] != CPU) bad(p, "batch " id " worker " w " " what " cpu=" F["cpu"] " on ring-buffer CPU " CPU)
			if (w == 0 && COMM ~ /^kworker/) bad(p, "batch " id " worker 0 ran in " COMM ", expected the calling task")
			if (w > 0 && what == "begin") taken[p]++
			if (what == "begin") { if (++seen[id, w] > 1) bad(p, "batch " id " worker " w " began twice"); nbeg[id]++ }
			else nend[id]++
			next
		}
		if (F["cpu"] != e) bad(p, "batch " id " worker " w " " what " cpu=" F["cpu"] ", expected " e)
		if (CPU != e) bad(p, "batch " id " worker " w " " what " on ring-buffer CPU " CPU ", expected " e)
		if (COMM ~ /^kworker\/[0-9]+:/) {
			k = COMM; sub(/^kworker\//, "", k); sub(/:.*/, "", k)
			if (k != e) bad(p, "batch " id " worker " w " ran in " COMM ", expected a kworker of CPU " e)
		} else if (COMM ~ /^kworker\/R-mtcop/) {
			# the mtcopy workqueue rescuer (WQ_MEM_RECLAIM): it runs
			# work the pool could not start a worker for in time, on
			# the CPU of the pool (checked above)
			if (what == "begin") rescued[p]++
		} else bad(p, "batch " id " worker " w " ran in " COMM ", not a CPU-bound kworker")
		if (what == "begin") { if (++seen[id, w] > 1) bad(p, "batch " id " worker " w " began twice"); nbeg[id]++ }
		else nend[id]++
		next
	}
	END {
		for (i = 1; i <= np; i++) {
			p = order[i]
			if (!nb[p]) bad(p, "no mtcopy_dispatch")
			nw = split(batches[p], ids, " ")
			for (j = 1; j <= nw; j++)
				if (nbeg[ids[j]] != T[p] || nend[ids[j]] != T[p])
					bad(p, "batch " ids[j] ": " nbeg[ids[j]] + 0 " worker begins, " nend[ids[j]] + 0 " ends for " T[p] " threads")
			cpus = "caller"
			for (w = 1; w < T[p]; w++) cpus = cpus "," want[p, w]
			if (p in err) print "FAIL " p ": threads=" T[p] " policy=" pol[p] ":" err[p]
			else printf "ok %s: policy %s%s, %d batches, workers 0..%d on CPUs %s (cpu field, ring-buffer CPU and kworker agree%s%s)\n", p, pol[p], (used[p] != pol[p] ? " (used " used[p] ")" : ""), nb[p], T[p] - 1, cpus, (rescued[p] ? "; " rescued[p] " work item(s) run by the workqueue rescuer kworker/R-mtcopy" : ""), (taken[p] ? "; " taken[p] " share(s) taken back by the calling task" : "")
		}
		if (stray) print "FAIL stray: " stray " mtcopy events outside the points"
	}'
}
# the tracefs/report line parser shared with the guest scenarios
TR_AWK=$(sed -n "/^TR_AWK='/,/^'/p" "$top/testbed/scenarios/mtcopy-lib.sh" | sed '1s/^TR_AWK=.//; $d')
[ -n "$TR_AWK" ] || { ko host "cannot read TR_AWK from testbed/scenarios/mtcopy-lib.sh"; finish; }

mkdir -p "$out"
run=$out/run
echo "mtcopy: booting the testbed (8cpu-4l3 + CPU-less node 4; results in $run)"
boot_suite "$out" "$run" --layout 8cpu-4l3 --nodes "0-1,2-3:0,4-5,6-7:0,:256M" \
	--timeout "$timeout_s" mtcopy-suite "$@"
guest_results "$out" "$run" "$@"

# ---- placement, on the host
pdir=$run/mtcopy-placement
if [ -f "$pdir/points.txt" ]; then
	: >"$out/placement.txt"
	for dat in "$pdir"/*.dat; do
		[ -f "$dat" ] || continue
		if ! trace-cmd report -t "$dat" >"$dat.report" 2>"$dat.report.err"; then
			ko "placement $(basename "$dat")" "trace-cmd report failed: $(head -n 2 "$dat.report.err")"
			continue
		fi
		placement_check <"$dat.report" >>"$out/placement.txt"
	done
	while read -r line; do
		case $line in
		ok\ *) ok "placement ${line#ok }" ;;
		*) l=${line#FAIL }; ko "placement ${l%%:*}" "${l#*: }" ;;
		esac
	done <"$out/placement.txt"
	# every point of the scenario was checked
	while read -r g name rest; do
		grep -q "^\(ok\|FAIL\) $name:" "$out/placement.txt" ||
			ko "placement $name" "not in any trace"
	done <"$pdir/points.txt"
elif printf '%s\n' "$@" | grep -q '^mtcopy-placement'; then
	ko placement "no $pdir/points.txt: the scenario did not run"
fi

console_results "$out" "$run"
finish
