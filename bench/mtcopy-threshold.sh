#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/mtcopy-threshold.sh [--out DIR] [--no-run] [--icount] [-- ARGS]
# The batch size from which mtcopy's copy phase is no slower than the
# kernel's batch copy, in the testbed (8cpu-4l3 layout: 8 vCPUs in 4 L3
# domains): testbed/scenarios/mtcopy-threshold.sh (ARGS: --reps N
# --threads T --sizes LIST). Writes DIR (default results/mtcopy-threshold)
# /table.txt (per size: median copy phase of the kernel and of mtcopy in
# microseconds, their ratio, the median latency to wake the workers; the
# crossover) and ENVIRONMENT. mtcopy's min_bytes default comes from it.
# Emulated machine (qemu TCG): a figure of this host, not of hardware.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
name=mtcopy-threshold
out=$top/results/mtcopy-threshold
label="emulated machine (qemu TCG)"
. "$top/bench/lib-sweep.sh"
sweep_parse 12 "$@"
mkdir -p "$out"
if [ "$run" = 1 ]; then
	sweep_boot mtcopy-threshold --layout 8cpu-4l3 --nodes "0-1,2-3:0,4-5,6-7:0"
fi
grep -v '^\(ok\|FAIL\) \|passed, ' "$out/run/mtcopy-threshold.txt" >"$out/table.txt" ||
	{ echo "$name: no $out/run/mtcopy-threshold.txt" >&2; exit 1; }
{
	echo "commit: $(git -C "$top" rev-parse --short HEAD)"
	echo "timing: $label"
	sed 's/^/kernel: /' "${MIGSCOPE_KERNEL_OUT:-${BUILD:-$top/build}/kernel-out}/version.txt" 2>/dev/null
	echo "host: $(nproc) cores, $(uname -r)"
} >"$out/ENVIRONMENT"
cat "$out/table.txt"
