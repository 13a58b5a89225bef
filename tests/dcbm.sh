#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/dcbm.sh - the dcbm DMA migrator over the swdma software DMA engine
# in the testbed, in ONE boot of the default 2node layout (4 vCPUs, nodes
# 0 {0-1} and 1 {2-3} with memory). The guest runs (dcbm-suite):
#   dcbm-controls   every control of dcbm and swdma, bad values rejected
#                   and unchanged, good ones taken; EBUSY with mtcopy
#                   registered; min_folios/min_bytes/channels and a missing
#                   engine do what they say (declines counted)
#   dcbm-integrity  channels 1 2 4 8 16 x every folio size 4K..2M: bytes
#                   verified, every batch copied by DMA, channels, maps,
#                   descriptors and counters accounted, no warning
#   dcbm-faults     fail_every 1, 3, 17; reorder; latency; drop_every with
#                   timeout_ms=100, then recovery: every page verified,
#                   every failed batch fell back to the CPU, the counters
#                   add up to the folios migrated and to the core's
#                   mm_migrate_copy_dispatch / copy_end events
#   dcbm-engines    what hardware engines do (swdma models): callbacks
#                   only on interrupt descriptors, a 64K segment size, a
#                   4-descriptor ring, late completions on channels that
#                   can and cannot be terminated (destinations held, data
#                   checked again after the late writes), one deadline
#                   per batch
#   dcbm-unload     20 x rmmod dcbm, rmmod swdma, modprobe both while
#                   migrations run; then 5 x rmmod swdma under dcbm
# Here, on the host:
#   - every scenario ran to its end: its "N passed, N failed" counts are
#     added to ours;
#   - the console has no WARNING:, BUG:, Oops or Call Trace (this layout has
#     no llc-sibling warning; one would be ignored as for 8cpu-4l3).
# Results are from an emulated machine (qemu TCG) with a software DMA
# engine. Prints "dcbm: N passed, N failed" last; exit status non-zero on
# failure.
#
# usage: tests/dcbm.sh [-- SCENARIO[:ARG:ARG]...]   (mtcopy-suite syntax,
#        e.g. -- dcbm-controls dcbm-unload:--rounds:5)
# Environment: BUILD, MIGSCOPE_KERNEL (as testbed/run), DCBM_OUT (results,
# default $BUILD/testbed/dcbm), DCBM_TIMEOUT (seconds, default 900).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
suite=dcbm
. "$top/tests/lib-suite.sh"
out=${DCBM_OUT:-${BUILD:-$top/build}/testbed/dcbm}
timeout_s=${DCBM_TIMEOUT:-900}
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || set -- dcbm-controls dcbm-integrity dcbm-faults dcbm-engines dcbm-unload

mkdir -p "$out"
run=$out/run
echo "dcbm: booting the testbed (2node; results in $run); emulated machine (qemu TCG), software DMA engine"
boot_suite "$out" "$run" --timeout "$timeout_s" dcbm-suite "$@"
guest_results "$out" "$run" "$@"
console_results "$out" "$run"
finish
