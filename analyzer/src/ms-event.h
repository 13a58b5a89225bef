/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ms-event.h - the normalized event the pairing engine consumes.
 *
 * Nothing here depends on libtracecmd: trace-input.c turns trace records
 * into struct ms_event, the unit tests write them by hand.
 */
#ifndef MS_EVENT_H
#define MS_EVENT_H

#include <stdint.h>

typedef uint64_t u64;
typedef int64_t s64;
typedef uint32_t u32;
typedef int32_t s32;

/*
 * The phases of one migrate_pages_batch() call, in catalog order.  Adding
 * a phase (copy) is one line here: the enum, the names, the report rows
 * and the event table entries (catalog.c) are generated from this list.
 */
#define MS_PHASES(P)		\
	P(UNMAP, unmap)		\
	P(FLUSH, flush)		\
	P(MOVE, move)		\
	P(UNDO, undo)

enum ms_phase {
#define MS_PHASE_ENUM(up, low) MS_PHASE_##up,
	MS_PHASES(MS_PHASE_ENUM)
#undef MS_PHASE_ENUM
	MS_NR_PHASES
};

enum ms_event_type {
	MS_EV_NONE,
	MS_EV_SYSCALL_ENTER,	/* syscalls:sys_enter_move_pages */
	MS_EV_SYSCALL_EXIT,	/* syscalls:sys_exit_move_pages */
	MS_EV_CALL_BEGIN,	/* migrate:mm_migrate_pages_start */
	MS_EV_CALL_END,		/* migrate:mm_migrate_pages */
	MS_EV_BATCH_BEGIN,	/* migrate_batch:mm_migrate_batch_begin */
	MS_EV_BATCH_END,	/* migrate_batch:mm_migrate_batch_end */
	MS_EV_PHASE_BEGIN,	/* migrate_batch:mm_migrate_<phase>_begin */
	MS_EV_PHASE_END,	/* migrate_batch:mm_migrate_<phase>_end */
};

/*
 * One event.  Every payload member is 64 bits wide so the field table can
 * store any catalog field (u32..s64, sign-extended) the same way; members
 * an event does not carry stay 0.
 */
struct ms_event {
	u64			ts;	/* ring-buffer timestamp (trace clock) */
	int			cpu;
	int			pid;
	enum ms_event_type	type;
	enum ms_phase		phase;	/* MS_EV_PHASE_* only */

	u64	id;		/* batch id (migrate_batch events) */
	u64	folios;		/* batch begin, phase ends */
	u64	pages;		/* batch begin, phase ends */
	u64	succeeded;	/* pages: call end, batch end */
	u64	failed_pages;	/* call end "failed", batch end */
	u64	failed_folios;	/* phase ends "failed" */
	u64	retried;	/* phase ends */
	u64	thp_succeeded;	/* call end ... */
	u64	thp_failed;
	u64	thp_split;
	u64	large_folio_split;
	u64	nr_pages;	/* syscall enter */
	s64	ret;		/* syscall exit "ret", batch end "rc" */
	s64	mode;
	s64	reason;
	s64	nr_pass;
};

#endif /* MS_EVENT_H */
