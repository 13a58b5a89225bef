#!/bin/sh
# mtcopy-threshold: the batch size from which mtcopy's copy phase is no
# slower than the kernel's own batch copy (bench/mtcopy-threshold.sh runs it
# and keeps the figures; mtcopy's min_bytes default comes from it).
#   mtcopy-threshold.sh [--reps N] [--threads T] [--sizes "16K 64K ..."]
# For every size (4K folios, one batch each: at most batch_max_pages), N
# migrations A->B and back with the kernel's copy (mtcopy enable=0) and N
# with mtcopy (threads T, min_bytes=0), alternating; the copy phase of each
# batch from mm_migrate_copy_begin/end. Prints, per size, the median copy
# phase of each and their ratio, then the smallest size whose ratio is at
# most 1 ("crossover"); with mtcopy, the median latency from mtcopy_dispatch
# to the last queued worker's first event (the cost of waking workers).
# Output: $OUT/mtcopy-threshold.txt (the table), mtcopy-threshold/ (traces).
# Emulated machine (qemu TCG): the figures are this host's, not hardware's.
. /scenarios/mtcopy-lib.sh

reps=9 threads=4 sizes="16K 32K 64K 128K 256K 512K 1M 2M"
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--reps) reps=$2 ;;
	--threads) threads=$2 ;;
	--sizes) sizes=$2 ;;
	*) fail "unknown argument '$1' (mtcopy-threshold.sh [--reps N] [--threads T] [--sizes LIST])" ;;
	esac
	shift 2
done

t_begin mtcopy-threshold
mem_pair
mods_reset
modprobe mtcopy min_bytes=0 threads="$threads" || fail "modprobe mtcopy failed"

# copy_us TRACE: the copy phase of every batch, in microseconds, one per line
copy_us() {
	awk "$TR_AWK"'
	tr_parse() == 0 { next }
	EV == "mm_migrate_copy_begin" { t0[F["id"]] = TS }
	EV == "mm_migrate_copy_end" && (F["id"] in t0) { printf "%d\n", (TS - t0[F["id"]]) * 1e6 }' "$1"
}

# wake_us TRACE: per mtcopy batch, mtcopy_dispatch to the latest first event
# of a queued worker (1..), in microseconds
wake_us() {
	awk "$TR_AWK"'
	tr_parse() == 0 { next }
	EV == "mtcopy_dispatch" { t0[F["id"]] = TS; last[F["id"]] = TS }
	EV == "mtcopy_worker_begin" && F["worker"] > 0 && (F["id"] in t0) {
		if (TS > last[F["id"]]) last[F["id"]] = TS
	}
	END { for (id in t0) if (last[id] > t0[id]) printf "%d\n", (last[id] - t0[id]) * 1e6 }' "$1"
}

t_line "# size kernel_us mtcopy_us ratio wake_us (medians of $reps; 4K folios; mtcopy threads=$threads; emulated machine, qemu TCG)"
cross=-
for sz in $sizes; do
	: >"$dir/$sz.kernel" ; : >"$dir/$sz.mtcopy"; : >"$dir/$sz.wake"
	i=0
	while [ $i -lt "$reps" ]; do
		for mode in kernel mtcopy; do
			if [ $mode = kernel ]; then echo 0 >$MTP/enable; else echo 1 >$MTP/enable; fi
			tr_setup migrate_batch:mm_migrate_copy_begin migrate_batch:mm_migrate_copy_end \
				migrate_batch:mm_migrate_batch_begin mtcopy:mtcopy_dispatch mtcopy:mtcopy_worker_begin
			migbench --size "$sz" --folio-size 4K --from "$na" --to "$nb" >/dev/null 2>"$dir/err" ||
				fail "migbench --size $sz ($mode) failed: $(head -n 2 "$dir/err")"
			echo 0 >$TR/tracing_on
			copy_us $TR/trace >>"$dir/$sz.$mode"
			[ $mode = mtcopy ] && wake_us $TR/trace >>"$dir/$sz.wake"
			tr_off
		done
		i=$((i + 1))
	done
	k=$(med <"$dir/$sz.kernel") m=$(med <"$dir/$sz.mtcopy") w=$(med <"$dir/$sz.wake")
	r=$(awk -v k="$k" -v m="$m" 'BEGIN { printf "%.2f", (k > 0) ? m / k : 0 }')
	t_line "$sz $k $m $r $w"
	if [ "$cross" = - ] && awk -v r="$r" 'BEGIN { exit !(r > 0 && r <= 1) }'; then
		cross=$sz
	fi
done
t_line "crossover $cross"
if [ "$(wc -l <"$dir/$(echo "$sizes" | awk '{ print $NF }').mtcopy")" -ge "$reps" ]; then
	ok "every size measured $reps times with each copy"
else
	ko "some batches were not measured"
fi
mods_reset
t_end
