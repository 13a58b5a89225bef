# SPDX-License-Identifier: GPL-2.0
#
# Phase breakdown of migrate_pages(): one stacked bar per run, the share of
# the migrate_pages() time spent in each phase of migrate_pages_batch() and
# the unattributed rest (bars reach 100%). Fed by `migscope report --csv`,
# one file per run.
#
#   gnuplot -e "files='a.csv b.csv'; labels='16k 64k'; out='phases.png'; \
#               note='emulated machine (qemu TCG)'" plots/phase-breakdown.gp
#
# files:  CSV files written by `migscope report --csv`
# labels: one x label per file (default: the file names)
# note:   printed under the title: where the timings come from

if (!exists("files")) {
	print "phase-breakdown.gp: set files='a.csv b.csv ...'"
	exit status 1
}
if (!exists("out")) out = "phase-breakdown.png"
if (!exists("labels")) labels = files
if (!exists("note")) note = ""

set terminal pngcairo size 900,560 font "sans,10"
set output out
set datafile separator ","
set title "migrate\\_pages(): share of time by phase\n{/*0.85 ".note."}" enhanced
set ylabel "% of migrate\\_pages() time"
set style data histograms
set style histogram columnstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set key outside right top vertical
set grid ytics
set yrange [0:105]
set ytics 10

# Each file is one bar: its rows (phases) stacked, column share.
# The legend comes from the first bar's phase names.
plot word(files, 1) using (100 * column("share")):key(1) title word(labels, 1), \
     for [i=2:words(files)] word(files, i) using (100 * column("share")) title word(labels, i)
