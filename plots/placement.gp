# SPDX-License-Identifier: GPL-2.0
#
# mtcopy placement: migration throughput (GB/s) against copy threads, one
# line per placement policy, one panel per folio size (seed 000's placement
# table as a figure). Fed by bench/sweep-mtcopy.sh's CSV:
#   folio_size,threads,policy,gbps,copy_fraction,l3_...
# with the rows of one folio size and policy together, threads ascending
# (the sweep writes them so; a line joins consecutive rows).
#
#   gnuplot -e "file='sweep-mtcopy.csv'; out='placement.png'; \
#               sizes='4K 64K 2M'; policies='spread fill src dst'; \
#               note='emulated machine (qemu TCG)'" plots/placement.gp
#
# sizes, policies: the panels and the lines (defaults: 4K 64K 2M and
# spread fill src dst); note: printed under the title.

if (!exists("file")) {
	print "placement.gp: set file='sweep-mtcopy.csv'"
	exit status 1
}
if (!exists("out")) out = "placement.png"
if (!exists("sizes")) sizes = "4K 64K 2M"
if (!exists("policies")) policies = "spread fill src dst"
if (!exists("note")) note = ""

n = words(sizes)
set terminal pngcairo size (n * 420 + 60),460 font "sans,10"
set output out
set datafile separator ","
set datafile missing "NaN"
set multiplot layout 1,n title "mtcopy: migration throughput by copy threads and placement\n{/*0.85 ".note."}" enhanced
set logscale x 2
set xlabel "copy threads"
set ylabel "GB/s"
set yrange [0:*]
set grid
set key top left
set style data linespoints

do for [i=1:n] {
	fs = word(sizes, i)
	set title "folio size ".fs
	plot for [p in policies] file \
		using (strcol(1) eq fs && strcol(3) eq p ? $2 : NaN):(strcol(1) eq fs && strcol(3) eq p ? $4 : NaN) \
		title p lw 2 pt 7
}
unset multiplot
