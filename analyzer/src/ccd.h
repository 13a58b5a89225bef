/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ccd.h - the mtcopy worker engine behind `migscope ccd`: per worker CPU,
 * L3 domain (CCD) and node busy time and bytes, and per batch imbalance,
 * critical path, dispatch/wait overhead and the worker CPU time the
 * migrating task is not charged for.  Pure: it eats struct ms_event
 * (mtcopy:* only, the rest is ignored) and struct ms_machine.
 *
 * Definitions (times in trace ticks, ratios unit-free):
 *  - worker busy = worker_end - worker_begin (paired by batch id and
 *    worker index), charged to the CPU the end event names;
 *  - per batch (dispatch and done seen): copy wall = done - dispatch;
 *    critical path = max worker busy / copy wall; dispatch overhead =
 *    first worker begin - dispatch; wait overhead = done - last worker
 *    end (both clamped at 0); imbalance = max busy / mean busy over the
 *    batch's workers;
 *  - CPU time not charged: the sum of worker busy of the complete batches
 *    against the sum of their copy walls (ratio = workers / wall);
 *  - by reason: a batch's migrate reason is the one of its
 *    migrate_batch:mm_migrate_batch_begin (same id, same buffer), unknown
 *    without one; every worker run counts in its batch's reason only.
 */
#ifndef MS_CCD_H
#define MS_CCD_H

#include <stdbool.h>

#include "hash.h"
#include "ms-event.h"
#include "topology.h"

/* larger worker indexes are garbage */
#define MS_CCD_MAX_WORKERS	4096

/* One CPU, L3 domain or node: what its workers did. */
struct ms_ccd_use {
	int	id;		/* cpu, l3 domain id or node */
	int	l3;		/* cpus: -1 unknown */
	int	node;		/* cpus, l3: -1 unknown or mixed */
	const char *cpus;	/* l3: its CPU list (owned by the machine) */
	u64	busy;
	u64	bytes;
	u64	workers;	/* worker runs */
};

/*
 * The worker runs of the batches of one migrate reason: in all, per CPU
 * (for ms_ccd_group()) and, after ms_ccd_group(), per L3 domain (the
 * domains of the results, in their order) and on CPUs of no known domain.
 */
struct ms_ccd_reason {
	u64			batches;	/* complete ones */
	struct ms_ccd_use	all;
	struct ms_ccd_use	*cpu;		/* indexed by cpu, 0..nr_cpu-1 */
	int			nr_cpu;
	struct ms_ccd_use	*l3;		/* nr_l3 of the results */
	struct ms_ccd_use	no_l3;		/* l3 and node -1 */
};

/* A mean and a max over the batches that have the figure. */
struct ms_ccd_ratio {
	u64	count;
	double	sum;
	double	max;
};

struct ms_ccd_results {
	struct ms_ccd_use	*cpu;	/* indexed by cpu, 0..nr_cpu-1 */
	int			nr_cpu;
	u64			busy;	/* all worker busy time */
	u64			bytes;

	u64			dispatches;
	u64			batches;	/* dispatch and done seen */
	u64			incomplete;	/* one of them missing */
	u64			lost_batches;	/* open across dropped events */
	u64			lost_workers;
	u64			negative_spans;	/* worker ends before it began */
	u64			unpaired;	/* lone worker event */
	u64			bad_events;	/* cpu, worker bad */
	u64			worker_errors;	/* rc != 0 */
	u64			batch_errors;	/* done rc != 0 */

	struct ms_ccd_ratio	imbalance;
	struct ms_ccd_ratio	critical;
	u64			dispatch_oh;	/* sums, nr_oh */
	u64			wait_oh;
	u64			nr_oh;
	u64			workers_busy;	/* complete ones */
	u64			task_wall;	/* their copy walls */

	char			policy[MS_NAME_MAX];
	bool			policy_mixed;
	u64			threads;
	bool			threads_mixed;

	/* by the migrate reason of the batch (MS_NR_REASONS: unknown) */
	struct ms_ccd_reason	by_reason[MS_NR_REASONS + 1];
	/* by the migrate mode of the batch (MS_NR_MODES: unknown) */
	struct ms_ccd_reason	by_mode[MS_NR_MODES + 1];

	/* ms_ccd_group(): from the topology markers */
	bool			topology;
	struct ms_ccd_use	*l3;
	int			nr_l3;
	struct ms_ccd_use	*nodes;
	int			nr_nodes;
};

struct ms_ccd_engine {
	struct ms_ccd_results	*res;
	struct ms_hash		batches;	/* open batches by id */
	struct ms_hash		reasons;	/* open migrate batches by id */
};

void ms_ccd_results_init(struct ms_ccd_results *res);
void ms_ccd_results_free(struct ms_ccd_results *res);

int ms_ccd_engine_init(struct ms_ccd_engine *e, struct ms_ccd_results *res);
int ms_ccd_feed(struct ms_ccd_engine *e, const struct ms_event *ev);
void ms_ccd_finish(struct ms_ccd_engine *e);

int ms_ccd_group(struct ms_ccd_results *res, const struct ms_machine *m);

double ms_ccd_share(const struct ms_ccd_results *res, u64 busy);
double ms_ccd_mean(const struct ms_ccd_ratio *r);
double ms_ccd_max(const struct ms_ccd_ratio *r);
double ms_ccd_cpu_ratio(const struct ms_ccd_results *res);

#endif /* MS_CCD_H */
