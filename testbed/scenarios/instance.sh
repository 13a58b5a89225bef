#!/bin/sh
# instance: migbench with the upstream events recorded into the tracefs
# instance "migscope" (trace-cmd record -B migscope; analyzer -B fixture).
# The markers go to the instance's trace_marker.
#   instance.sh [-P FILE] [--] [MIGBENCH ARGS...]
# Output: $OUT/trace.dat, $OUT/migbench.json.
. /scenarios/lib.sh
case $1 in
-p|-P) run_migbench -B migscope "$@" ;;
*) run_migbench -B migscope -p upstream "$@" ;;
esac
