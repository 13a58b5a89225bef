# SPDX-License-Identifier: GPL-2.0
#
# DMA copy stages: one stacked bar per sweep point, the DMA batch copy time
# per KiB copied split into setup (dispatch to the last issue: channel
# acquisition, scatterlists and DMA map, descriptor prep and submit,
# issue), transfer (the rest of dispatch -> done but the teardown: the
# engine copying while the task waits) and teardown (last wait to last
# release: unmap, channel release); the CPU copy phase of the same
# migration (dcbm unloaded) as one bar per batch size, for the crossover.
# Per-batch means over the batch's bytes, so batch sizes compare. One
# panel per folio size. Fed by bench/sweep-dcbm.sh's CSV (columns by name:
# folio_size, channels (0: the CPU), batch_pages, batch_bytes, copy_ns,
# setup_ns, teardown_ns, dma_ns), rows of one folio size together.
#
#   gnuplot -e "file='sweep-dcbm.csv'; out='dma-stages.png'; \
#               sizes='4K 64K 2M'; note='emulated machine (qemu TCG), software DMA engine'" \
#           plots/dma-stages.gp
#
# sizes: the panels (default 4K 64K 2M); note: printed under the title.

if (!exists("file")) {
	print "dma-stages.gp: set file='sweep-dcbm.csv'"
	exit status 1
}
if (!exists("out")) out = "dma-stages.png"
if (!exists("sizes")) sizes = "4K 64K 2M"
if (!exists("note")) note = ""

n = words(sizes)
set terminal pngcairo size 1100,(n * 330 + 70) font "sans,9"
set output out
set datafile separator ","
set multiplot layout n,1 title "batch copy time per KiB: DMA setup / transfer / teardown, and the CPU copy\n{/*0.9 ".note."}" enhanced
set style fill solid 0.85 border -1
set boxwidth 0.8
set ylabel "ns per KiB copied"
set yrange [0:*]
set xtics rotate by 60 right font ",8"
set grid ytics
set key outside right top vertical

num(c) = (strcol(c) eq "" ? 0 : column(c))
is(fs) = (strcol("folio_size") eq fs)
dma(fs) = (is(fs) && strcol("channels") ne "0")
kib = '(num("batch_bytes") / 1024.0)'
lbl = '(strcol("channels") eq "0" ? "CPU" : "c".strcol("channels"))." b".strcol("batch_pages")'

do for [i=1:n] {
	fs = word(sizes, i)
	stats file using (strcol("folio_size") eq fs ? $0 : NaN) nooutput
	set xrange [STATS_min - 0.6 : STATS_max + 0.6]
	set title "folio size ".fs." (c: DMA channels, b: batch_max_pages)" noenhanced
	plot file using 0:(dma(fs) ? num("dma_ns") / @kib : NaN):xtic(@lbl) \
		with boxes lc rgb "#c0504d" title "teardown", \
	     '' using 0:(dma(fs) ? (num("dma_ns") - num("teardown_ns")) / @kib : NaN) with boxes lc rgb "#4f81bd" title "transfer", \
	     '' using 0:(dma(fs) ? num("setup_ns") / @kib : NaN) with boxes lc rgb "#9bbb59" title "setup", \
	     '' using 0:(is(fs) && strcol("channels") eq "0" ? num("copy_ns") / @kib : NaN) with boxes lc rgb "#7f7f7f" title "CPU copy"
}
unset multiplot
