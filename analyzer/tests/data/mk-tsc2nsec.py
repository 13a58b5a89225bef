#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# mk-tsc2nsec.py IN OUT KHZ: OUT is IN (a version-6, uncompressed trace.dat
# recorded with -C x86-tsc) with its UNAME option turned into a TSC2NSEC
# option for a TSC of KHZ kHz (shift 24), in place: no offset moves.
# trace-cmd record --tsc2nsec writes that option where perf gives the
# kernel's TSC multiplier; the testbed (TCG, unstable TSC) cannot.
import struct
import sys

src, dst, khz = sys.argv[1], sys.argv[2], float(sys.argv[3])
data = bytearray(open(src, "rb").read())
assert data[3:10] == b"tracing" and data[10:12] == b"6\0", "not a v6 file"
pos = data.index(b"options  \0") + 10
SHIFT = 24
mult = round((1 << SHIFT) * 1e6 / khz)
while True:
    oid, size = struct.unpack_from("<HI", data, pos)
    if oid == 0:
        sys.exit("no UNAME option")
    if oid == 5 and size >= 16:
        struct.pack_into("<HIIIQ", data, pos, 14, size, mult, SHIFT, 0)
        break
    pos += 6 + size
open(dst, "wb").write(data)
print(f"{dst}: TSC2NSEC mult {mult} shift {SHIFT} ({khz} kHz)")
