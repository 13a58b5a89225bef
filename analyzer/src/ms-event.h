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
	P(COPY, copy)		\
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
	MS_EV_COPY_DISPATCH,	/* migrate_batch:mm_migrate_copy_dispatch */
	MS_EV_REMOVE_PTE,	/* migrate:remove_migration_pte */
	MS_EV_MT_DISPATCH,	/* mtcopy:mtcopy_dispatch */
	MS_EV_MT_WORKER_BEGIN,	/* mtcopy:mtcopy_worker_begin */
	MS_EV_MT_WORKER_END,	/* mtcopy:mtcopy_worker_end */
	MS_EV_MT_DONE,		/* mtcopy:mtcopy_done */
	MS_EV_DCBM_DISPATCH,	/* dcbm:dcbm_dispatch */
	MS_EV_DCBM_DECLINE,	/* dcbm:dcbm_decline */
	MS_EV_DCBM_ACQUIRE,	/* dcbm:dcbm_acquire */
	MS_EV_DCBM_MAP,		/* dcbm:dcbm_map */
	MS_EV_DCBM_SUBMIT,	/* dcbm:dcbm_submit */
	MS_EV_DCBM_ISSUE,	/* dcbm:dcbm_issue */
	MS_EV_DCBM_COMPLETE,	/* dcbm:dcbm_complete */
	MS_EV_DCBM_WAIT,	/* dcbm:dcbm_wait */
	MS_EV_DCBM_RELEASE,	/* dcbm:dcbm_release */
	MS_EV_DCBM_DONE,	/* dcbm:dcbm_done */
	MS_EV_LOST,		/* the ring buffer dropped events before ts on cpu */
};

/*
 * enum migrate_reason of Linux 6.12 (include/linux/migrate_mode.h), in
 * the order and with the names its tracepoints print.
 */
#define MS_REASONS(R)				\
	R(COMPACTION, compaction)		\
	R(MEMORY_FAILURE, memory_failure)	\
	R(MEMORY_HOTPLUG, memory_hotplug)	\
	R(SYSCALL, syscall_or_cpuset)		\
	R(MEMPOLICY_MBIND, mempolicy_mbind)	\
	R(NUMA_MISPLACED, numa_misplaced)	\
	R(CONTIG_RANGE, contig_range)		\
	R(LONGTERM_PIN, longterm_pin)		\
	R(DEMOTION, demotion)			\
	R(DAMON, damon)

enum ms_reason {
#define MS_REASON_ENUM(up, low) MS_REASON_##up,
	MS_REASONS(MS_REASON_ENUM)
#undef MS_REASON_ENUM
	MS_NR_REASONS
};

/*
 * enum migrate_copy_decline of the series (kernel/patches): why a migrator
 * left a batch to the kernel's CPU copy; 0 is "not declined". Traces of
 * series versions without it read 0.
 */
#define MS_DECLINES(D)				\
	D(REASON, reason)			\
	D(SIZE, size)				\
	D(BUSY, busy)

enum ms_decline {
	MS_DECLINE_NONE,	/* in tables: a cause this analyzer does not know */
#define MS_DECLINE_ENUM(up, low) MS_DECLINE_##up,
	MS_DECLINES(MS_DECLINE_ENUM)
#undef MS_DECLINE_ENUM
	MS_NR_DECLINES
};

/* The system calls that migrate (their enter/exit events pair per task). */
#define MS_SYSCALLS(S)				\
	S(MOVE_PAGES, move_pages)		\
	S(MBIND, mbind)				\
	S(MIGRATE_PAGES, migrate_pages)

enum ms_syscall {
#define MS_SYSCALL_ENUM(up, low) MS_SYS_##up,
	MS_SYSCALLS(MS_SYSCALL_ENUM)
#undef MS_SYSCALL_ENUM
	MS_NR_SYSCALLS
};

/* enum migrate_mode of Linux 6.12 (include/linux/migrate_mode.h) */
#define MS_MODES(M)				\
	M(ASYNC, MIGRATE_ASYNC)			\
	M(SYNC_LIGHT, MIGRATE_SYNC_LIGHT)	\
	M(SYNC, MIGRATE_SYNC)

enum ms_mode {
#define MS_MODE_ENUM(up, name) MS_MODE_##up,
	MS_MODES(MS_MODE_ENUM)
#undef MS_MODE_ENUM
	MS_NR_MODES
};

/* A string field (__string: migrator, policy, reason), NUL-terminated. */
#define MS_NAME_MAX	32

/*
 * One event.  Every numeric payload member is 64 bits wide so the field
 * table can store any catalog field (u8..s64, sign-extended) the same way;
 * members an event does not carry stay 0 (name: "").  A string field is
 * copied into name[], cut to MS_NAME_MAX - 1 bytes.
 *
 * Getting the decoded events in a verb (see trace-input.h):
 *
 *	static int on_event(const struct ms_event *ev, void *data)
 *	{
 *		if (ev->type == MS_EV_DCBM_MAP) ... ev->id, ev->chan, ev->bytes
 *		return 0;	(negative: stop the scan, ms_input_scan() -1)
 *	}
 *
 *	struct ms_input in;
 *	struct ms_scan scan = { .on_event = on_event, .data = &ctx };
 *
 *	ms_input_open(&in, path, msg, sizeof(msg));	(0, or msg says why)
 *	for (b = 0; b < ms_input_nr_buffers(&in); b++)
 *		ms_input_scan(&in, b, &scan);	(records in time order)
 *	ms_input_close(&in);
 *
 * Every event of the catalog table (catalog.c) arrives, whatever its
 * group; scan.seen[i] counts the records of catalog entry i.  Set
 * scan.on_marker to get the migscope:* markers (topology.h parses them:
 * ms_machine_parse()).  ev->cpu is the CPU the record was written on,
 * ev->pid its task; fields the format lacks read as 0.  Where the ring
 * buffer dropped events, an MS_EV_LOST event (cpu, ts of the record after
 * the gap, lost: the count or 0)
 * comes before the next record: every engine must treat what is open
 * then as incomplete.  The calls into libtracecmd run under guard.h.
 */
struct ms_event {
	u64			ts;	/* ring-buffer timestamp (trace clock) */
	int			cpu;
	int			pid;
	enum ms_event_type	type;
	enum ms_phase		phase;	/* MS_EV_PHASE_* only */
	enum ms_syscall		syscall; /* MS_EV_SYSCALL_* only */

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

	u64	bytes;		/* copy dispatch, mtcopy, dcbm */
	u64	skipped;	/* copy dispatch: folios left per-folio */
	u64	threads;	/* mtcopy dispatch */
	u64	split;		/* mtcopy dispatch */
	u64	worker;		/* mtcopy worker index */
	s64	worker_cpu;	/* mtcopy worker "cpu" field */
	u64	channels;	/* dcbm dispatch */
	u64	chan;		/* dcbm channel index */
	u64	descriptors;	/* dcbm submit */
	u64	addr;		/* remove_migration_pte */
	u64	pte;
	s64	order;
	s64	rc;		/* "rc" of copy dispatch, mtcopy, dcbm */
	s64	declined;	/* copy dispatch: enum ms_decline */
	u64	lost;		/* MS_EV_LOST: events dropped (0: unknown) */
	char	name[MS_NAME_MAX];	/* migrator, policy, reason */
};

#endif /* MS_EVENT_H */
