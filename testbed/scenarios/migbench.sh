#!/bin/sh
# migbench: one migration call (move_pages(2); mbind(2) or migrate_pages(2)
# with migbench --driver) recorded with the phases preset (the series'
# events; fails with a clear message on a kernel without them).
#   migbench.sh [-m MODULE[:PARAM=V...]]... [-p PRESET | -P FILE] [--]
#               [MIGBENCH ARGS...]
# -m loads a module first (e.g. -m swdma -m dcbm:channels=4 -p dcbm).
# Output: $OUT/trace.dat, $OUT/migbench.json.
. /scenarios/lib.sh
case " $* " in
*" -p "*|*" -P "*) run_migbench "$@" ;;
*) run_migbench -p phases "$@" ;;
esac
