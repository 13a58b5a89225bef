# SPDX-License-Identifier: GPL-2.0
#
# Every migration path by reason: left, the batch size each reason hands
# migrate_pages_batch() (folios per batch: p50, p99 and max as a bar from
# p50 to max with a mark at p99, the mean as a point; log scale); right,
# the share of the reason's migrate_pages() time by phase (stacked to
# 100 %, "other" = nested calls and unattributed time). One row per
# (path, reason) of the CSV that scripts/demo.sh writes from `migscope
# report --json` (by_reason) of each path's trace:
#
#   label,calls,pages,batches,mean,p50,p99,max,unmap,flush,copy,move,undo,other
#
#   gnuplot -e "data='by-reason.csv'; out='by-reason.png'; note='...'" \
#           plots/by-reason.gp

if (!exists("data")) {
	print "by-reason.gp: set data='by-reason.csv'"
	exit status 1
}
if (!exists("out")) out = "by-reason.png"
if (!exists("note")) note = ""

set terminal pngcairo size 1200,560 font "sans,10"
set output out
set datafile separator ","
set multiplot layout 1,2 title "Every migration path, by migrate reason\n{/*0.85 ".note."}" enhanced

# left: folios per batch
set title "folios per batch (p50 to max, mark: p99; point: mean)"
set logscale y 2
set yrange [0.5:2048]
set ylabel "folios per batch"
set xtics rotate by -35 left noenhanced
set grid ytics
set key top center horizontal
set offsets 0.5, 0.5, 0, 0
set boxwidth 0.3
plot data using 0:6:6:8:8:xtic(1) skip 1 with candlesticks lw 2 title "p50 .. max", \
     data using 0:7 skip 1 with points pt 7 ps 1.2 title "p99", \
     data using 0:5 skip 1 with points pt 2 ps 1.5 title "mean"

# right: phase shares
unset logscale y
set offsets 0, 0, 0, 0
set title "% of the reason's migrate\\_pages() time by phase" enhanced
set ylabel "% of time"
set yrange [0:105]
set ytics 10
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set key outside right top vertical
plot data using (100 * $9):xtic(1) skip 1 title "unmap", \
     '' using (100 * $10) skip 1 title "flush", \
     '' using (100 * $11) skip 1 title "copy", \
     '' using (100 * $12) skip 1 title "move", \
     '' using (100 * $13) skip 1 title "undo", \
     '' using (100 * $14) skip 1 title "other"
unset multiplot
