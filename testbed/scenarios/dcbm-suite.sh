#!/bin/sh
# dcbm-suite: the dcbm-* scenarios in one boot (tests/dcbm.sh); see
# mtcopy-suite.sh for the syntax.
#   default: dcbm-controls dcbm-integrity dcbm-faults dcbm-engines dcbm-unload
# Output: $OUT/dcbm-suite.txt and each scenario's own results.
[ $# -gt 0 ] || set -- dcbm-controls dcbm-integrity dcbm-faults dcbm-engines dcbm-unload
. /scenarios/mtcopy-suite.sh
