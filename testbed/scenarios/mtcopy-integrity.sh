#!/bin/sh
# mtcopy-integrity: migrate with the mtcopy migrator for every thread count x
# placement policy x folio size, with migbench's concurrent reader/writer,
# and check every point:
#   - migbench exits 0: every byte verified, every page on the destination,
#     every folio of the asked size before and after, no wrong read by the
#     rw thread; its JSON names mtcopy as the migrator;
#   - tracefs (read directly, no trace-cmd): every batch copy went to mtcopy
#     and succeeded (mm_migrate_copy_dispatch migrator=mtcopy rc=0), the
#     batches cover every folio migbench moved; every mtcopy_dispatch has the
#     asked thread count and policy and the right split mode (split =
#     folios < threads); per batch exactly one begin and one end per worker,
#     on the CPU the event names, all rc=0, and the workers' bytes add up to
#     the batch's bytes; no event lost;
#   - the kernel logged no warning, BUG or oops during the point.
# Directions alternate between the first two memory nodes (A->B, B->A).
#
#   mtcopy-integrity.sh [--size SIZE] [--threads "1 2 4 8"]
#                       [--policies "spread fill src dst"]
#                       [--sizes "4K 16K ... 2M"] [--backings "anon"]
# Lists take spaces or commas. Defaults: 4M per point, threads 1 2 4 8, policies spread fill src dst, the
# folio sizes 4K..2M this kernel offers, anonymous memory.
# Output: $OUT/mtcopy-integrity.txt (one line per point, then "N passed,
# N failed"), $OUT/mtcopy-integrity/POINT.{json,err,trace} of the points
# that failed.
. /scenarios/mtcopy-lib.sh

size=4M
threads="1 2 4 8"
policies="spread fill src dst"
sizes=
backings=anon
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || fail "$1 needs a value"
	case $1 in
	--size) size=$2 ;;
	--threads) threads=$(echo "$2" | tr ',' ' ') ;;
	--policies) policies=$(echo "$2" | tr ',' ' ') ;;
	--sizes) sizes=$(echo "$2" | tr ',' ' ') ;;
	--backings) backings=$(echo "$2" | tr ',' ' ') ;;
	*) fail "unknown argument '$1' (mtcopy-integrity.sh [--size S] [--threads L] [--policies L] [--sizes L] [--backings L])" ;;
	esac
	shift 2
done
sizes=$(folio_sizes "$sizes")

t_begin mtcopy-integrity
mem_pair

mods_reset
if modprobe mtcopy min_bytes=0; then
	ok "modprobe mtcopy"
else
	ko "modprobe mtcopy failed"
	t_end
fi
expect_eq "migrator after modprobe" "$(migrator)" mtcopy
tr_setup migrate_batch:mm_migrate_batch_begin \
	migrate_batch:mm_migrate_copy_dispatch mtcopy:mtcopy_dispatch \
	mtcopy:mtcopy_worker_begin mtcopy:mtcopy_worker_end
note "matrix: threads '$threads' x policies '$policies' x sizes '$sizes' x backings '$backings', $size per point, nodes $na <-> $nb, rw thread on"

# fs_pages SIZE: base pages (4K) of a folio of SIZE (4K, 16K, ..., 2M)
fs_pages() {
	case $1 in
	*K) echo $((${1%K} / 4)) ;;
	*M) echo $((${1%M} * 256)) ;;
	esac
}

# check_point JSON TRACE THREADS POLICY PAGES: shell assignments for eval:
# J_* (migbench's JSON) and TC, "N batches, F folios" or "ERR what is
# wrong"; PAGES: base pages per folio
check_point() {
	awk -v T="$3" -v P="$4" -v PF="$5" "$JSON_AWK$TR_AWK"'
	/^# entries-in-buffer\/entries-written:/ {
		split($3, a, "/"); if (a[2] + 0 > a[1] + 0) err = err " " a[2] - a[1] " events lost;"
	}
	tr_parse() == 0 { next }
	EV == "mm_migrate_copy_dispatch" {
		ncd++; folios += F["folios"]; skipped += F["skipped"]
		if (F["migrator"] != "mtcopy") err = err " batch " F["id"] " copied by " F["migrator"] ";"
		if (F["rc"] != 0) err = err " batch " F["id"] " copy rc=" F["rc"] ";"
	}
	EV == "mtcopy_dispatch" {
		id = F["id"]; ids[id] = 1; nmd++
		mdbytes[id] = F["bytes"]
		# whole folios to T workers; fewer folios than T: runs of
		# every folio if it has T pages, else one worker per folio
		if (F["folios"] + 0 >= T + 0) { et[id] = T; sp = 0 }
		else if (PF + 0 >= T + 0) { et[id] = T; sp = 1 }
		else { et[id] = F["folios"]; sp = 0 }
		if (F["threads"] != et[id]) err = err " batch " id " threads=" F["threads"] ", expected " et[id] ";"
		if (F["policy"] != P) err = err " batch " id " policy=" F["policy"] ";"
		if (F["split"] != sp) err = err " batch " id " split=" F["split"] " with " F["folios"] " folios;"
	}
	EV == "mtcopy_worker_begin" {
		id = F["id"]; nb[id]++; wb[id "," F["worker"]]++
		if (F["cpu"] != CPU) err = err " worker " F["worker"] " of " id " says cpu " F["cpu"] ", ran on " CPU ";"
	}
	EV == "mtcopy_worker_end" {
		id = F["id"]; ne[id]++; wbytes[id] += F["bytes"]
		if (F["rc"] != 0) err = err " worker " F["worker"] " of " id " rc=" F["rc"] ";"
		if (F["cpu"] != CPU) err = err " worker " F["worker"] " of " id " ended on " CPU ";"
	}
	END {
		for (id in ids) {
			if (nb[id] != et[id] || ne[id] != et[id])
				err = err " batch " id ": " nb[id] + 0 " worker begins, " ne[id] + 0 " ends;"
			for (w = 0; w < et[id]; w++)
				if (wb[id "," w] != 1) err = err " batch " id " worker " w " began " wb[id "," w] + 0 " times;"
			if (wbytes[id] != mdbytes[id])
				err = err " batch " id ": workers copied " wbytes[id] + 0 " of " mdbytes[id] " bytes;"
		}
		if (ncd == 0) err = err " no batch copy traced;"
		if (nmd != ncd) err = err " " nmd + 0 " mtcopy_dispatch for " ncd + 0 " batch copies;"
		if (folios + skipped != J["folios"]) err = err " batches hold " folios + skipped " folios, migbench moved " J["folios"] ";"
		if (skipped) err = err " " skipped " folios skipped the batch copy;"
		jdump()
		gsub(/\047/, "", err)
		if (err == "") printf "TC=\047%d batches, %d folios\047\n", ncd, folios
		else printf "TC=\047ERR%s\047\n", err
	}' "$1" "$2"
}

n=0
kprev=$(kwarn)
for b in $backings; do
	for fs in $sizes; do
		for p in $policies; do
			for t in $threads; do
				if [ $((n % 2)) -eq 0 ]; then from=$na to=$nb; else from=$nb to=$na; fi
				n=$((n + 1))
				name=$fs-$b-t$t-$p
				desc="$fs $b threads=$t policy=$p $from->$to"
				{ echo "$t" >$MTP/threads && echo "$p" >$MTP/policy; } 2>/dev/null ||
					{ ko "$desc: cannot set threads/policy"; continue; }
				tr_clear
				stamp
				t0=$T_NOW
				migbench --size "$size" --folio-size "$fs" --backing "$b" \
					--from "$from" --to "$to" --rw-thread --json \
					>"$dir/$name.json" 2>"$dir/$name.err"
				rc=$?
				took_since "$t0"
				for f in $JFIELDS; do eval "J_$f="; done
				TC=
				eval "$(check_point "$dir/$name.json" $TR/trace "$t" "$p" "$(fs_pages "$fs")")"
				why=$(mb_why "$rc" "$dir/$name.err")
				if [ -n "$why" ]; then
					:
				elif [ "$J_rw_mismatches" != 0 ]; then
					why="the rw thread read $J_rw_mismatches wrong values"
				elif [ "$J_folio_check" != ok ]; then
					why="folio sizes not checked ($J_folio_check)"
				elif [ "$J_migrator" != mtcopy ]; then
					why="migbench saw migrator '$J_migrator'"
				else
					case $TC in ERR*|'') why="trace:${TC#ERR}" ;; esac
				fi
				k=$(kwarn)
				if [ -z "$why" ] && [ "$k" -ne "$kprev" ]; then
					why="the kernel logged $((k - kprev)) warning/BUG/oops line(s): $(dmesg | grep -E "$KCOMPLAINTS" | tail -n $((k - kprev)) | head -n 3 | tr '\n' ' ')"
				fi
				kprev=$k
				took=$TOOK
				if [ -z "$why" ]; then
					ok "$desc: $J_pages pages verified, $TC, move $J_seconds s ($took s)"
					rm -f "$dir/$name.json" "$dir/$name.err"
				else
					cat $TR/trace >"$dir/$name.trace"
					ko "$desc: $why ($took s)"
				fi
			done
		done
	done
done

tr_off
k0=$(kwarn)
if rmmod mtcopy; then ok "rmmod mtcopy"; else ko "rmmod mtcopy failed"; fi
expect_eq "migrator after rmmod" "$(migrator)" kernel
check "no kernel warning at rmmod" "$(kwarn_since "$k0")"
t_end
