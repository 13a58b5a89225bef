#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/sweep-dcbm.sh - DMA batch copy (dcbm over the swdma software DMA
# engine) against the CPU copy: ONE testbed boot (default 2node layout)
# runs the dcbm-sweep scenario: batch_max_pages 32 128 512 2048 x folio
# sizes x DMA channels 1 2 4 8 16, plus the same migrations with the CPU
# (dcbm unloaded, migrator "kernel"), each point one migration node 0 -> 1
# recorded with migscope-record (-p dcbm, or -p phases for the CPU points;
# trace.dat + migbench.json kept per point). Then, on the host, one CSV row
# per point, sorted by folio size, batch size, channels:
#
#   folio_size,channels,batch_pages,gbps,migrator,bytes,batches,
#   batch_bytes,copy_ns,copy_gbps,acquire_ns,map_ns,submit_ns,issue_ns,
#   transfer_ns,wait_ns,release_ns,setup_ns,teardown_ns,dma_ns
#
#   channels    DMA channels, 0 for the CPU points
#   gbps        migbench.json .gbps (bytes / wall time of move_pages)
#   bytes       migbench.json .bytes; batches: copy phases in the trace
#               (mm_migrate_copy_end); batch_bytes: bytes handed to the
#               copier per batch (mm_migrate_copy_dispatch)
#   copy_ns     mean copy phase per batch (mm_migrate_copy_begin..end);
#               copy_gbps = batch_bytes / copy_ns: the copy alone, where DMA
#               and CPU differ
#   stages      `analyzer/migscope dma --json` when the analyzer has it,
#               else computed here from `trace-cmd report` with the same
#               definitions (migscope-dma(1)): acquire, map, submit, issue,
#               transfer, wait, release are means per channel-batch;
#               setup_ns (dispatch -> last issue), teardown_ns (last wait ->
#               last release), dma_ns (dispatch -> done) means per batch
#   (stage columns are empty for the CPU points)
#
# plots/dma-stages.gp draws, per KiB copied, the stacked setup / transfer
# (dma - setup - teardown) / teardown bar of every DMA point next to the
# CPU copy of the same batch size; and
# crossover.txt lists, per folio size and batch_max_pages, the CPU copy
# against the best channel count, by copy phase and by whole call;
# dma-crossover.txt and .json are `migscope dma --crossover` over the
# points: by the batch sizes actually formed and the channels granted.
# Figures, not a test: nothing is asserted. Emulated machine (qemu TCG),
# software DMA engine: compare ratios within one run only. Default subset:
# folio sizes 4K 64K 2M at 8M per point (72 recorded points, 3 to 10 s
# each under TCG); pass -- --sizes ... for more.
#
# usage: bench/sweep-dcbm.sh [--out DIR] [--no-run] [--icount] [-- SCENARIO ARGS]
#   --out DIR   results (default $BUILD/bench/sweep-dcbm)
#   --no-run    recompute the CSV, crossover and plot from the run in DIR
#   --icount    testbed/run --icount: reproducible guest time, counted in
#               instructions (the software engine's copy threads then share
#               one host thread with the vCPUs)
#   SCENARIO ARGS: dcbm-sweep.sh's (--size, --sizes, --channels, --batches,
#               --no-cpu), e.g. -- --sizes 4K --batches 32,512
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), SWEEP_TIMEOUT
# (seconds, default 3600).
# Output in DIR: sweep-dcbm.csv, dma-stages.png, crossover.txt,
# dma-crossover.{txt,json},
# points/POINT/{trace.dat,migbench.json}, sources.txt, README.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
name=sweep-dcbm
out=${BUILD:-$top/build}/bench/sweep-dcbm
timeout_s=${SWEEP_TIMEOUT:-3600}
migscope=$top/analyzer/migscope
label="emulated machine (qemu TCG), software DMA engine"
. "$top/bench/lib-sweep.sh"
sweep_parse 57 "$@"
set -- "${sargs[@]}"

mkdir -p "$out"
T0=$(date +%s)
if [ "$run" = 1 ]; then
	echo "sweep-dcbm: booting the testbed (2node), $label; results in $out"
	sweep_boot dcbm-sweep --disk 2G --timeout "$timeout_s"
fi
pts=$out/points/points.txt
[ -s "$pts" ] || { echo "sweep-dcbm: no points in $out/points (see $out/testbed-run.log)" >&2; exit 1; }

# stages DAT: "key value" lines computed from `trace-cmd report`, with the
# definitions of migscope-dma(1): stage times are means per channel-batch
# (acquire, map, submit, issue, release: the task's previous dcbm event of
# the batch -> the event; transfer: dcbm_issue -> dcbm_complete of the
# channel, 0 without a complete event or when stamped before the issue,
# none when the wait timed out; wait: max(complete, previous task event) ->
# dcbm_wait); setup (dispatch -> last issue), teardown (last wait -> last
# release), dma (dispatch -> done) and copy (mm_migrate_copy_begin -> end)
# are means per batch; batches counts the copy phases, bytes their bytes.
stages() {
	trace-cmd report -t "$1" 2>/dev/null | awk "$TR_AWK"'
	function st(name, v) { sum[name] += v; cnt[name]++ }
	tr_parse() == 0 { next }
	{ id = F["id"]; k = id SUBSEP F["chan"] }
	EV == "mm_migrate_copy_begin" { cb[id] = TS; next }
	EV == "mm_migrate_copy_end" { if (id in cb) { copy += TS - cb[id]; ncopy++ }; next }
	EV == "mm_migrate_copy_dispatch" { cbytes += F["bytes"]; next }
	EV == "dcbm_dispatch" { last[id] = TS; d0[id] = TS; ndisp++; next }
	EV == "dcbm_acquire" { st("acquire", TS - last[id]); last[id] = TS; next }
	EV == "dcbm_map" { st("map", TS - last[id]); last[id] = TS; next }
	EV == "dcbm_submit" { st("submit", TS - last[id]); last[id] = TS; next }
	EV == "dcbm_issue" { st("issue", TS - last[id]); last[id] = TS; iss[k] = TS; lastiss[id] = TS; next }
	EV == "dcbm_complete" { cmp[k] = TS; next }
	EV == "dcbm_wait" {
		if (F["rc"] == -110) { st("wait", TS - last[id]) }
		else {
			t = last[id]; if ((k in cmp) && cmp[k] > t) t = cmp[k]
			st("wait", TS - t)
			d = (k in cmp) ? cmp[k] - iss[k] : 0
			st("transfer", d > 0 ? d : 0)
			if (!(k in cmp)) untraced++
		}
		last[id] = TS; lastwait[id] = TS; next
	}
	EV == "dcbm_release" { st("release", TS - last[id]); last[id] = TS; lastrel[id] = TS; next }
	EV == "dcbm_done" {
		if (id in d0) {
			nb++; setup += lastiss[id] - d0[id]; dma += TS - d0[id]
			if (id in lastwait) teardown += lastrel[id] - lastwait[id]
		}
		next
	}
	EV == "dcbm_decline" { declines++; next }
	function mean(n) { return cnt[n] ? sum[n] / cnt[n] * 1e9 : 0 }
	END {
		printf "batches %d\nbytes %d\ncopy_ns %.0f\n", ncopy, cbytes, (ncopy ? copy / ncopy * 1e9 : 0)
		printf "acquire_ns %.0f\nmap_ns %.0f\nsubmit_ns %.0f\nissue_ns %.0f\n", mean("acquire"), mean("map"), mean("submit"), mean("issue")
		printf "transfer_ns %.0f\nwait_ns %.0f\nrelease_ns %.0f\n", mean("transfer"), mean("wait"), mean("release")
		printf "setup_ns %.0f\nteardown_ns %.0f\ndma_ns %.0f\n", (nb ? setup / nb * 1e9 : 0), (nb ? teardown / nb * 1e9 : 0), (nb ? dma / nb * 1e9 : 0)
		printf "declines %d\nuntraced %d\n", declines, untraced
	}'
}
kvget() { echo "$2" | awk -v k="$1" '$1 == k { print $2 }'; }

first=$(awk '$5 == "ok" && $3 != 0 { print $1; exit }' "$pts")
have_dma=0
if [ -n "$first" ] && [ -x "$migscope" ] &&
   "$migscope" dma --json "$out/points/$first/trace.dat" 2>/dev/null |
	jq -e '.stages.acquire_ns | numbers' >/dev/null 2>&1; then
	have_dma=1
fi
src_st=$([ $have_dma = 1 ] && echo "analyzer/migscope dma --json (.stages.*, .setup_ns, .teardown_ns, .dma_ns)" || echo "fallback: computed by bench/sweep-dcbm.sh from trace-cmd report with the definitions of migscope-dma(1) (analyzer/migscope dma --json has no .stages here)")
echo "sweep-dcbm: stage times from $src_st"
echo "sweep-dcbm: copy_ns, batches, batch_bytes from trace-cmd report (mm_migrate_copy_begin/end, copy_dispatch)"

csv=$out/sweep-dcbm.csv
rows=$out/.rows
: >"$rows"
header="folio_size,channels,batch_pages,gbps,migrator,bytes,batches,batch_bytes,copy_ns,copy_gbps,acquire_ns,map_ns,submit_ns,issue_ns,transfer_ns,wait_ns,release_ns,setup_ns,teardown_ns,dma_ns"
n=$(awk '$5 == "ok"' "$pts" | wc -l)
i=0
nocomp_total=0
: >"$out/.fallbacks"
while read -r pt fs ch b status secs; do
	[ "$status" = ok ] || { echo "sweep-dcbm: $pt: failed in the guest, no row"; continue; }
	i=$((i + 1))
	dat=$out/points/$pt/trace.dat
	js=$out/points/$pt/migbench.json
	gbps=$(jq -r .gbps "$js")
	bytes=$(jq -r .bytes "$js")
	mig=$(jq -r .migrator "$js")
	st=$(stages "$dat")
	batches=$(kvget batches "$st")
	bb=$(awk -v b="$(kvget bytes "$st")" -v n="$batches" 'BEGIN { if (n > 0) printf "%.0f", b / n }')
	copy=$(kvget copy_ns "$st")
	cg=$(awk -v b="$bb" -v c="$copy" 'BEGIN { if (c > 0) printf "%.6f", b / c }')
	if [ "$ch" = 0 ]; then
		vals=",,,,,,,,,,"
		what="CPU"
	else
		dj=
		[ $have_dma = 1 ] && dj=$("$migscope" dma --json "$dat" 2>/dev/null)
		if [ -n "$dj" ] && echo "$dj" | jq -e '.stages.acquire_ns | numbers' >/dev/null 2>&1; then
			vals=$(echo "$dj" | jq -r '[.stages.acquire_ns, .stages.map_ns, .stages.submit_ns,
				.stages.issue_ns, .stages.transfer_ns, .stages.wait_ns, .stages.release_ns,
				.setup_ns, .teardown_ns, .dma_ns] | map(if . == null then "" else (. | round | tostring) end) | "," + join(",")')
			nc=$(echo "$dj" | jq -r '.notes.complete_untraced // 0')
		else
			[ $have_dma = 1 ] && echo "$pt: fallback" >>"$out/.fallbacks"
			vals=
			for k in acquire_ns map_ns submit_ns issue_ns transfer_ns wait_ns release_ns setup_ns teardown_ns dma_ns; do
				vals="$vals,$(kvget $k "$st")"
			done
			nc=$(kvget untraced "$st")
		fi
		what="dcbm channels=$ch"
		nocomp_total=$((nocomp_total + ${nc:-0}))
	fi
	echo "$fs,$ch,$b,$gbps,$mig,$bytes,$batches,$bb,$copy,$cg$vals" >>"$rows"
	echo "sweep-dcbm: [$i/$n] $fs batch_max_pages=$b $what: $gbps GB/s, copy phase $cg GB/s in $batches batches ($label)"
done <"$pts"
[ "$nocomp_total" -eq 0 ] ||
	echo "sweep-dcbm: note: $nocomp_total DMA channel-batch(es) had no dcbm_complete event (dcbm emits it only in the descriptor callback): their transfer counts as 0 in transfer_ns"

{
	echo "# dcbm sweep, $label: compare ratios within one run only; channels 0 = CPU copy (dcbm unloaded)"
	echo "$header"
	awk -F, '{
		s = $1; m = 1
		if (s ~ /K$/) m = 1024; else if (s ~ /M$/) m = 1048576
		sub(/[KM]$/, "", s)
		printf "%012d\t%08d\t%04d\t%s\n", s * m, $3, $2, $0
	}' "$rows" | sort | cut -f4
} >"$csv"
rm -f "$rows"

# the crossover: per folio size and batch size, the CPU against the best
# channel count
{
	echo "DMA (dcbm, software DMA engine) against the CPU copy, $label"
	echo "copy GB/s: bytes / copy phase time; call GB/s: bytes / move_pages time"
	echo "rows are the knobs set (batch_max_pages, dcbm channels); dma-crossover.txt"
	echo "(migscope dma --crossover) groups by the batches formed and channels granted"
	echo
	awk -F, 'NR > 2 {
		k = $1 "," $3
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		if ($2 == 0) { cpu[k] = $10; cpucall[k] = $4 }
		else {
			if ($10 > best[k]) { best[k] = $10; bestch[k] = $2 }
			if ($4 > bestcall[k]) { bestcall[k] = $4; bestcallch[k] = $2 }
		}
	}
	END {
		printf "%-6s %6s  %10s %16s %7s  %10s %16s %7s\n", "folio", "batch", "CPU copy", "best DMA copy", "DMA/CPU", "CPU call", "best DMA call", "DMA/CPU"
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, f, ",")
			printf "%-6s %6s  %10.4f %9.4f (c%-2s) %7.2f  %10.4f %9.4f (c%-2s) %7.2f\n", f[1], f[2],
				cpu[k], best[k], bestch[k], (cpu[k] > 0 ? best[k] / cpu[k] : 0),
				cpucall[k], bestcall[k], bestcallch[k], (cpucall[k] > 0 ? bestcall[k] / cpucall[k] : 0)
			if (cpu[k] > 0 && best[k] > cpu[k] && !(f[1] in cross)) cross[f[1]] = f[2]
			sizes[f[1]] = 1
		}
		print ""
		for (s in sizes)
			if (s in cross) printf "folio %s: DMA copy overtakes the CPU copy from batch_max_pages %s (of the sizes swept)\n", s, cross[s]
			else printf "folio %s: DMA copy does not overtake the CPU copy at any batch size swept\n", s
	}' "$csv"
} >"$out/crossover.txt"
sed 's/^/sweep-dcbm: /' "$out/crossover.txt"

# the same question asked of the analyzer, over the batches actually formed
# (a batch never holds fewer pages than one folio) and the channels granted
# (at most one per folio of the batch)
rm -f "$out/dma-crossover.txt" "$out/dma-crossover.json"
if [ -x "$migscope" ] &&
   "$migscope" dma --crossover "$out/points" >"$out/dma-crossover.txt" 2>"$out/dma-crossover.err" &&
   "$migscope" dma --crossover --json "$out/points" >"$out/dma-crossover.json" 2>>"$out/dma-crossover.err"; then
	sed -n '/^DMA overtakes/,$s/^/sweep-dcbm: migscope: /p' "$out/dma-crossover.txt"
	rm -f "$out/dma-crossover.err"
else
	echo "sweep-dcbm: migscope dma --crossover failed (make -C analyzer?): $(head -n 3 "$out/dma-crossover.err" 2>/dev/null)"
fi

sizes=$(awk -F, 'NR > 2 && !seen[$1]++ { printf "%s ", $1 }' "$csv")
if gnuplot -e "file='$csv'; out='$out/dma-stages.png'; sizes='$sizes'; note='$label'" \
	"$top/plots/dma-stages.gp" 2>"$out/gnuplot.log"; then
	echo "sweep-dcbm: plot $out/dma-stages.png"
else
	echo "sweep-dcbm: gnuplot failed: $(head -n 5 "$out/gnuplot.log")"
fi
{
	echo "stage times: $src_st"
	echo "copy_ns, batches, batch_bytes: trace-cmd report (mm_migrate_copy_begin/end, mm_migrate_copy_dispatch)"
	[ "$nocomp_total" -eq 0 ] || echo "note: $nocomp_total DMA channel-batch(es) without a dcbm_complete event, transfer counted as 0"
	[ -s "$out/.fallbacks" ] && sed 's/^/computed from trace-cmd report instead (analyzer call failed): /' "$out/.fallbacks"
} >"$out/sources.txt"
rm -f "$out/.fallbacks"
{
	echo "dcbm sweep - $label: compare ratios within one run only"
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "command: bench/sweep-dcbm.sh${*:+ -- $*}"
	echo "migscope: $(migscope_version)"
	sed 's/^/kernel: /' "${BUILD:-$top/build}/kernel-out/version.txt" 2>/dev/null
	echo "testbed: default 2node layout (4 vCPUs, -cpu EPYC, TCG); DMA engine: swdma (software memcpy in a workqueue, 16 channels, no latency or bandwidth cap)"
	echo "qemu: $(qemu-system-x86_64 --version | head -n 1)"
	echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "points: $(wc -l <"$pts") ($(grep -c ' ok ' "$pts") ok); see points/points.txt"
	cat "$out/sources.txt"
	echo "files: sweep-dcbm.csv, crossover.txt, dma-crossover.{txt,json}, dma-stages.png, points/POINT/{trace.dat,migbench.json}"
} >"$out/README"
echo "sweep-dcbm: wrote $csv ($n rows) in $(($(date +%s) - T0)) s; $label"
