/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phase.h - the pairing engine: turns a time-ordered stream of struct
 * ms_event into durations of syscalls, migrate_pages() calls, batches and
 * phases, and accumulates them in struct ms_results.
 *
 * Pairing rules:
 *  - move_pages(2) enter/exit pair per task;
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
 *  - a move_pages(2) call counts in syscall only when a migrate_pages()
 *    call or a batch of its task began inside it; the others (queries of
 *    the page nodes) count in syscall_query.
 * An event whose opening event is not in the trace (the trace started
 * mid-call) counts in end_without_begin and is not used; what is still
 * open at the end counts in begin_without_end.
 *
 * The engine keeps only open objects: its memory follows the number of
 * open calls and batches, never the number of events.
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

struct ms_results {
	struct ms_stats		syscall;
	u64			syscall_outside;	/* not in a call */
	u64			syscall_errors;		/* ret < 0 */

	struct ms_stats		call;
	u64			pages_succeeded;
	u64			pages_failed;
	/* phase time of the batches inside the paired calls */
	u64			call_attributed;

	struct ms_stats		batch;
	u64			batch_errors;		/* rc < 0 */
	u64			batch_outside;		/* in no call */

	struct ms_phase_totals	phase[MS_NR_PHASES];

	struct ms_group_totals	by_order[MS_NR_ORDERS];
	struct ms_migrator_totals by_migrator[MS_MAX_MIGRATORS];
	int			nr_migrators;
	u64			copy_dispatches;
	u64			copy_fallbacks;		/* rc != 0 */

	struct ms_stats		first_folio;	/* PTE - batch begin */
	u64			first_folio_batch_total; /* of those batches */
	u64			syscall_query;	/* no migration inside */

	u64			begin_without_end;
	u64			end_without_begin;
};

struct ms_engine {
	struct ms_results	*res;
	struct ms_hash		tasks;		/* struct ms_task by pid */
	struct ms_hash		batches;	/* struct ms_batch by id */
	struct ms_hash		movers;		/* struct ms_mover by pid */
	u64			next_serial;
	size_t			open;		/* open calls+batches+syscalls */
	size_t			peak_open;
};

void ms_results_init(struct ms_results *res);
u64 ms_results_unattributed(const struct ms_results *res);

int ms_engine_init(struct ms_engine *e, struct ms_results *res);
int ms_engine_feed(struct ms_engine *e, const struct ms_event *ev);
void ms_engine_finish(struct ms_engine *e);

#endif /* MS_PHASE_H */
