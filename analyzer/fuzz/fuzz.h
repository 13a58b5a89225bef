/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - the byte encoding of an event stream that the engine fuzzer
 * (fuzz-engines.c) reads and mkseed.c writes from real traces.
 *
 * One event is FUZZ_REC bytes:
 *   0     type: index into fuzz_types[] (modulo)
 *   1     pid (low 2 bits), cpu (next 2 bits)
 *   2     batch id (modulo 8)
 *   3     phase (modulo MS_NR_PHASES + 1: one past the last is invalid)
 *   4     reason (modulo MS_NR_REASONS + 2: the last one is unknown)
 *   5..6  time step, little endian; bit 15 set: the clock goes back by
 *         the low 10 bits
 *   7     folios
 *   8..9  pages, little endian
 *   10    rc (signed)
 *   11    worker, channel, PTE order (low 3 bits); worker CPU (high 5);
 *         migrator name (modulo 3)
 * The ids, pids and CPUs are folded into small ranges on purpose, so that
 * random bytes make pairs, nesting and reuse, not only strays.
 */
#ifndef MS_FUZZ_H
#define MS_FUZZ_H

#include "ms-event.h"

#define FUZZ_REC	12

static const enum ms_event_type fuzz_types[] = {
	MS_EV_SYSCALL_ENTER, MS_EV_SYSCALL_EXIT, MS_EV_CALL_BEGIN,
	MS_EV_CALL_END, MS_EV_BATCH_BEGIN, MS_EV_BATCH_END,
	MS_EV_PHASE_BEGIN, MS_EV_PHASE_END, MS_EV_COPY_DISPATCH,
	MS_EV_REMOVE_PTE, MS_EV_MT_DISPATCH, MS_EV_MT_WORKER_BEGIN,
	MS_EV_MT_WORKER_END, MS_EV_MT_DONE, MS_EV_DCBM_DISPATCH,
	MS_EV_DCBM_DECLINE, MS_EV_DCBM_ACQUIRE, MS_EV_DCBM_MAP,
	MS_EV_DCBM_SUBMIT, MS_EV_DCBM_ISSUE, MS_EV_DCBM_COMPLETE,
	MS_EV_DCBM_WAIT, MS_EV_DCBM_RELEASE, MS_EV_DCBM_DONE, MS_EV_LOST,
};

#define FUZZ_NR_TYPES	(sizeof(fuzz_types) / sizeof(fuzz_types[0]))

#endif /* MS_FUZZ_H */
