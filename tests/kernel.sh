#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel series: each patch is checkpatch --strict clean, each patch
# builds on its own (on top of the ones before it), and the test kernel
# builds with the whole series.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
t() { if [ "$1" -eq 0 ]; then pass=$((pass + 1)); echo "ok: $2"; else fail=$((fail + 1)); echo "FAIL: $2"; fi; }

npatches=$(grep -cv '^\s*\(#\|$\)' "$top/kernel/patches/series")
out=$("$top/kernel/build.sh" --checkpatch 2>&1)
echo "$out"
clean=$(echo "$out" | grep -c ': clean$')
t $([ "$clean" -eq "$npatches" ]; echo $?) "checkpatch --strict: $clean of $npatches patches clean"

if [ "${MIGSCOPE_SKIP_EACH:-0}" = 1 ]; then
	echo "note: MIGSCOPE_SKIP_EACH=1: per-patch builds not run (not counted)"
else
	"$top/kernel/build.sh" --each
	t $? "each of the $npatches patches builds on its own"
fi
"$top/kernel/build.sh"
t $? "test kernel builds with the whole series"
rel=$(cat "${BUILD:-$top/build}/kernel-out/release" 2>/dev/null)
t $([ -n "$rel" ]; echo $?) "kernel release recorded: ${rel:-none}"
"$top/kernel/build.sh" --debug
t $? "debug test kernel builds (the suites that boot the testbed boot it)"
dcfg=${BUILD:-$top/build}/kernel-debug-out/config
for o in PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_LIST KFENCE DETECT_HUNG_TASK; do
	grep -qx "CONFIG_$o=y" "$dcfg" 2>/dev/null
	t $? "debug test kernel has CONFIG_$o"
done
for o in PROVE_LOCKING KFENCE; do
	! grep -qx "CONFIG_$o=y" "${BUILD:-$top/build}/kernel-out/config" 2>/dev/null
	t $? "the demo's kernel has no CONFIG_$o (timings)"
done
echo "kernel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
