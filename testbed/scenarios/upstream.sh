#!/bin/sh
# upstream: migbench recorded with the upstream preset only: the shape of a
# trace from a kernel without the series (analyzer fixture).
#   upstream.sh [-P FILE] [--] [MIGBENCH ARGS...]
# Output: $OUT/trace.dat, $OUT/migbench.json.
. /scenarios/lib.sh
case $1 in
-p|-P) run_migbench "$@" ;;
*) run_migbench -p upstream "$@" ;;
esac
