/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phase.h - the pairing engine: turns a time-ordered stream of struct
 * ms_event into durations of syscalls, migrate_pages() calls, batches and
 * phases, and accumulates them in struct ms_results.
 *
 * Pairing rules:
 *  - syscall enter/exit (move_pages, mbind, migrate_pages) pair per task;
 *  - migrate_pages() start/end pair per task on a stack (calls nest:
 *    compaction during the allocation of a destination);
 *  - batch begin/end pair by batch id; a batch belongs to the innermost
 *    open call of its task at batch begin;
 *  - phase begin/end pair by batch id within their open batch;
 *  - a copy dispatch belongs to the open batch of its id;
 *  - a remove_migration_pte belongs to the batch of its task whose move
 *    phase has begun and that has not ended: the first one gives the
 *    first-folio latency (PTE time - batch begin), the orders of all of
 *    them the batch's folio size;
 *  - a syscall counts in syscall only when a migrate_pages() call or a
 *    batch of its task began inside it; the others (queries of the page
 *    nodes) count in syscall_query.
 *
 * Time is counted once:
 *  - call is over the outermost calls only: the total, throughput and F
 *    use it;
 *  - a call inside another one (depth 1) is a "nested" call, summed by
 *    reason; its time is taken out of the phase of the outer call's batch
 *    it ran in (phases are self time), and out of nothing else: deeper
 *    calls are inside their depth-1 call's time (nested_deep);
 *  - so for every committed outermost call, its phases + its nested calls
 *    <= its time, and unattributed = call.total - phases - nested >= 0.
 * The breakdowns (phases, by order, by migrator, first folio, batches)
 * are of the batches the outermost calls own, committed when such a call
 * ends: a batch or call that never completes is never in them.
 *
 * Lost events (MS_EV_LOST, from the ring buffer's missed-events marks):
 * every object open when the gap is seen is marked lost; a lost call is
 * left out of everything and counted in lost_calls, its batches (and lost
 * batches) in lost_batches, lost syscalls in lost_syscalls.  A syscall
 * enter proves its task is in no call: calls still open on its stack
 * lost their ends and are dropped there (begin_without_end).
 *
 * An event whose opening event is not in the trace (the trace started
 * mid-call) counts in end_without_begin and is not used; what is still
 * open at the end counts in begin_without_end.  A batch whose call is not
 * in the trace counts in batch_outside and is not used.  A call whose
 * phases and nested calls add up to more than its own time (clock skew
 * between CPUs, a corrupt trace) is left out and counted in inconsistent.
 * A span whose end is before its begin counts in negative_spans.
 *
 * The engine keeps only open objects and the ended batches of open
 * calls: its memory follows them, never the number of events.
 */
#ifndef MS_PHASE_H
#define MS_PHASE_H

#include <stdbool.h>
#include <stddef.h>

#include "hash.h"
#include "ms-event.h"
#include "stats.h"

struct ms_phase_totals {
	struct ms_stats	time;
	u64		folios;
	u64		pages;
	u64		failed;		/* folios */
};

/* Batches by folio order: index = order, MS_ORDER_MIXED for the rest. */
#define MS_MAX_ORDER	20
#define MS_ORDER_MIXED	(MS_MAX_ORDER + 1)
#define MS_NR_ORDERS	(MS_MAX_ORDER + 2)

/* Totals of ended batches, by folio order or by migrator. */
struct ms_group_totals {
	u64	batches;
	u64	folios;		/* unmapped (unmap end), or handed over */
	u64	pages;		/* unmapped */
	u64	succeeded;	/* pages migrated (batch end) */
	u64	bytes;		/* by migrator: bytes handed to it */
	u64	total;		/* batch time */
	u64	copy;		/* copy phase time */
	u64	fallbacks;	/* copy dispatches with rc != 0 */
};

#define MS_MAX_MIGRATORS	8	/* the last one collects the rest */

struct ms_migrator_totals {
	char			name[MS_NAME_MAX];	/* "none": no dispatch */
	struct ms_group_totals	t;
};

/* Nested calls (depth 1) of one migrate reason. */
struct ms_nested_totals {
	u64	calls;
	u64	total;		/* their time */
	u64	pages;		/* pages they migrated */
	u64	batches;	/* their own batches */
};

/*
 * A migrator's size threshold (dcbm's min_folios and min_bytes): a batch
 * with fewer folios or fewer bytes is not offered to it.  Batches are
 * judged against it from the moment it is known (a migscope:migrate
 * marker, or the verb's options before the scan).
 */
struct ms_threshold {
	bool	known;
	s64	min_folios;	/* -1: none */
	s64	min_bytes;	/* -1: none */
	u64	page_size;	/* bytes of a batch that no migrator saw */
};

/*
 * Outermost calls of one migrate reason (or of one migrate mode), and the
 * batches they own: what the kernel's callers hand to migrate_pages() and
 * what it costs them.
 */
struct ms_reason_totals {
	u64		calls;
	struct ms_stats	time;		/* of the calls */
	u64		pages_succeeded;
	u64		pages_failed;
	u64		nested;		/* time of their depth-1 nested calls */
	u64		batches;
	struct ms_stats	batch_folios;	/* folios per batch (unmapped) */
	struct ms_stats	batch_pages;	/* pages per batch (batch begin) */
	u64		phase[MS_NR_PHASES];	/* self time */
	u64		offloaded;	/* batches copied by a migrator other
					   than the kernel's own copy */
	u64		declined[MS_NR_DECLINES];	/* batches a migrator
					   left to the kernel, by cause */
	struct ms_stats	batch_bytes;	/* bytes per batch */
	/* callers: the batches judged against the threshold */
	u64		judged, judged_bytes;
	u64		below, below_bytes;	/* under the threshold */
};

/* The system calls of one kind that migrated (enum ms_syscall). */
struct ms_syscall_totals {
	u64	count;		/* with a migrate_pages() call or batch inside */
	u64	total;
	u64	max;
	u64	outside;	/* not in a migrate_pages() call */
	u64	errors;		/* ret < 0 */
	u64	query;		/* no migration inside (page node queries) */
};

struct ms_results {
	struct ms_threshold	threshold;	/* set by the verb */

	struct ms_stats		syscall;
	u64			syscall_outside;	/* not in a call */
	u64			syscall_errors;		/* ret < 0 */
	struct ms_syscall_totals by_syscall[MS_NR_SYSCALLS];

	struct ms_stats		call;		/* outermost calls */
	u64			pages_succeeded;
	u64			pages_failed;

	/* by reason (MS_NR_REASONS: unknown), in the outermost calls */
	struct ms_nested_totals	nested[MS_NR_REASONS + 1];
	u64			nested_deep;	/* inside a nested call */

	/* outermost calls by reason and mode (index: unknown last) */
	struct ms_reason_totals	by_reason[MS_NR_REASONS + 1];
	struct ms_reason_totals	by_mode[MS_NR_MODES + 1];

	struct ms_stats		batch;
	u64			batch_errors;		/* rc < 0 */
	u64			batch_outside;		/* in no call */

	struct ms_phase_totals	phase[MS_NR_PHASES];

	struct ms_group_totals	by_order[MS_NR_ORDERS];
	struct ms_migrator_totals by_migrator[MS_MAX_MIGRATORS];
	int			nr_migrators;
	u64			copy_dispatches;
	u64			copy_fallbacks;		/* rc != 0 */
	u64			copy_declined[MS_NR_DECLINES];

	struct ms_stats		first_folio;	/* PTE - batch begin */
	u64			first_folio_batch_total; /* of those batches */
	u64			syscall_query;	/* no migration inside */

	u64			begin_without_end;
	u64			end_without_begin;

	u64			lost_gaps;	/* MS_EV_LOST seen */
	u64			lost_calls;	/* open across a gap */
	u64			lost_batches;
	u64			lost_syscalls;
	u64			inconsistent;	/* calls left out */
	u64			negative_spans;
};

struct ms_engine {
	struct ms_results	*res;
	struct ms_hash		tasks;		/* struct ms_task by pid */
	struct ms_hash		batches;	/* struct ms_batch by id */
	struct ms_hash		movers;		/* struct ms_mover by pid */
	u64			next_serial;
	size_t			open;		/* open calls+batches+syscalls */
	size_t			peak_open;
	size_t			pending;	/* ended batches of open calls */
};

void ms_results_init(struct ms_results *res);
u64 ms_results_unattributed(const struct ms_results *res);
u64 ms_results_phases(const struct ms_results *res);
void ms_results_nested_sum(const struct ms_results *res,
			   struct ms_nested_totals *sum);
/* Time of a reason's calls in no phase and no nested call (>= 0). */
u64 ms_reason_unattributed(const struct ms_reason_totals *r);
u64 ms_declined_sum(const u64 *declined);
bool ms_threshold_active(const struct ms_threshold *t);

int ms_engine_init(struct ms_engine *e, struct ms_results *res);
int ms_engine_feed(struct ms_engine *e, const struct ms_event *ev);
void ms_engine_finish(struct ms_engine *e);

#endif /* MS_PHASE_H */
