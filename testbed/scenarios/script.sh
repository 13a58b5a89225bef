#!/bin/sh
# script: run a shell script given to testbed/run with --add, for ad-hoc
# checks in the guest:
#   testbed/run --add check.sh script check.sh [ARGS...]
# The script runs with OUT=$OUT; its exit status is the scenario's.
. /scenarios/lib.sh
[ $# -ge 1 ] || fail "usage: script NAME [ARGS...] (NAME added with testbed/run --add)"
f=/run/migscope/files/$1
shift
[ -r "$f" ] || fail "no $f: pass the file with testbed/run --add"
sh "$f" "$@"
