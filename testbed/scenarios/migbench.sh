#!/bin/sh
# migbench: one move_pages(2) call recorded with the phases preset (the
# series' events; fails with a clear message on a kernel without them).
#   migbench.sh [-p PRESET | -P FILE] [--] [MIGBENCH ARGS...]
# Output: $OUT/trace.dat, $OUT/migbench.json.
. /scenarios/lib.sh
case $1 in
-p|-P) run_migbench "$@" ;;
*) run_migbench -p phases "$@" ;;
esac
