/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma.h - the DMA engine of `migscope dma`: turns a time-ordered stream
 * of dcbm stage events and migrate_batch copy events into per channel and
 * per batch setup, transfer and teardown times, and copy-phase throughput
 * per (folio size, batch size, migrator) for the crossover.
 *
 * Nothing here depends on libtracecmd: trace-dma.c turns struct ms_event
 * into struct ms_dma_event, the unit tests write them by hand.
 *
 * Stages of one channel of one batch (all but transfer measured in the
 * migrating task, each from the previous dcbm event of the batch in the
 * task, so that their sum over the channels is dispatch -> last event):
 *
 *   acquire   previous task event -> dcbm_acquire
 *   map       previous task event -> dcbm_map
 *   submit    previous task event -> dcbm_submit
 *   issue     previous task event -> dcbm_issue
 *   transfer  dcbm_issue -> dcbm_complete (completion callback)
 *   wait      max(complete, previous task event) -> dcbm_wait
 *   release   previous task event -> dcbm_release
 *
 * setup = acquire + map + submit + issue, teardown = release; per batch
 * they are summed over its channels.  setup share = setup / copy phase
 * (migrate_batch copy_begin -> copy_end of the same id).
 */
#ifndef MS_DMA_H
#define MS_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "hash.h"
#include "ms-event.h"
#include "stats.h"

#define MS_DMA_NAME_MAX		32
#define MS_DMA_MAX_CHANNELS	256	/* higher channel indexes: bad events */
#define MS_DMA_ETIMEDOUT	110

enum ms_dma_type {
	MS_DMA_NONE,
	/* migrate_batch events */
	MS_DMA_BATCH_BEGIN,	/* folios, pages */
	MS_DMA_COPY_BEGIN,
	MS_DMA_COPY_DISPATCH,	/* name: migrator, folios, bytes, rc */
	MS_DMA_COPY_END,	/* folios, pages, failed */
	MS_DMA_BATCH_END,
	/* dcbm events */
	MS_DMA_DISPATCH,	/* channels, folios, bytes */
	MS_DMA_DECLINE,		/* folios, bytes, name: reason */
	MS_DMA_ACQUIRE,		/* chan, rc */
	MS_DMA_MAP,		/* chan, folios, bytes, rc */
	MS_DMA_SUBMIT,		/* chan, descriptors, rc */
	MS_DMA_ISSUE,		/* chan, rc */
	MS_DMA_COMPLETE,	/* chan, rc (completion callback) */
	MS_DMA_WAIT,		/* chan, rc */
	MS_DMA_RELEASE,		/* chan, rc */
	MS_DMA_DONE,		/* rc */
	MS_DMA_LOST,		/* the ring buffer dropped events */
};

/* One input event; members an event does not carry are 0 / "". */
struct ms_dma_event {
	u64			ts;
	enum ms_dma_type	type;
	u64			id;
	u64			chan;
	u64			channels;
	u64			folios;
	u64			pages;
	u64			bytes;
	u64			descriptors;
	u64			failed;
	s64			rc;
	s64			migrate_reason;	/* batch begin */
	s64			migrate_mode;	/* batch begin */
	char			name[MS_DMA_NAME_MAX];
};

enum ms_dma_stage {
	MS_DMA_ST_ACQUIRE,
	MS_DMA_ST_MAP,
	MS_DMA_ST_SUBMIT,
	MS_DMA_ST_ISSUE,
	MS_DMA_ST_TRANSFER,
	MS_DMA_ST_WAIT,
	MS_DMA_ST_RELEASE,
	MS_DMA_NR_STAGES
};

/* One channel of one batch, as the events left it. */
struct ms_dma_chan {
	bool	seen;
	bool	has[MS_DMA_NR_STAGES];
	u64	stage[MS_DMA_NR_STAGES];	/* ticks */
	u64	issue_ts;
	u64	complete_ts;
	bool	issued;
	bool	completed;
	bool	complete_untraced;	/* done before issue returned */
	bool	timeout;
	bool	error;			/* some stage rc != 0 */
	u64	folios;
	u64	bytes;
	u64	descriptors;
};

/* One batch; handed to on_batch when it closes. */
struct ms_dma_batch {
	struct ms_hash_node	node;		/* key: id */
	u64			id;
	bool			lost;		/* open across a gap */

	/* migrate_batch */
	u64			batch_folios;	/* 0: begin not recorded */
	u64			batch_pages;
	int			migrate_reason;	/* index: unknown without begin */
	int			migrate_mode;	/* index: unknown without begin */
	bool			copy_begun, copy_ended;
	u64			copy_begin_ts, copy_end_ts;
	u64			copy_failed;	/* copy_end "failed" */
	u64			negative_spans;	/* end before begin */
	bool			core_dispatched;	/* copy_dispatch seen */
	char			migrator[MS_DMA_NAME_MAX];
	u64			core_bytes;
	s64			core_rc;	/* != 0: CPU fallback */

	/* dcbm */
	bool			dispatched, declined, done;
	char			reason[MS_DMA_NAME_MAX];	/* decline */
	u64			dispatch_ts, done_ts, last_task_ts;
	u64			channels;	/* asked for */
	u64			folios, bytes;
	s64			done_rc;
	int			nr_chans;	/* highest index + 1 */
	int			cap_chans;
	struct ms_dma_chan	*chans;
};

/* Totals per channel index. */
struct ms_dma_chan_totals {
	u64		batches;
	u64		descriptors;
	u64		bytes;
	u64		errors;		/* channel-batches with an rc != 0 */
	u64		timeouts;
	struct ms_stats	transfer;
	u64		transfer_bytes;	/* bytes of the timed transfers */
};

/* Copy-phase throughput of one (folio size, batch size, migrator). */
struct ms_dma_point {
	u64	folio_bytes;
	u64	batch_pages;
	bool	dma;		/* dcbm copied it; false: the CPU */
	u64	channels;	/* dcbm channels granted, 0 for the CPU */
	u64	batches;
	u64	bytes;
	u64	ticks;		/* copy phase */
};

/* The batches dcbm saw, by the migrate reason (or mode) of their call. */
struct ms_dma_reason_totals {
	u64	batches;		/* dispatched + declined */
	u64	dispatched;
	u64	declined;
	u64	declined_below_minimum;
	u64	declined_no_channel;
	u64	failed;			/* done rc != 0 */
	u64	bytes;			/* of dispatched batches */
};

struct ms_dma_results {
	struct ms_stats		stage[MS_DMA_NR_STAGES];
	struct ms_stats		setup;		/* per dispatched batch */
	struct ms_stats		teardown;
	struct ms_stats		dma;		/* dispatch -> done */
	struct ms_stats		copy;		/* copy phase of those */
	u64			share_setup;	/* setup of batches with a */
	u64			share_copy;	/* copy phase, and that phase */

	struct ms_dma_chan_totals *chans;
	int			nr_chans;

	u64			batches;	/* dcbm saw: dispatched+declined */
	u64			dispatched;
	u64			declined;
	u64			declined_below_minimum;
	u64			declined_no_channel;
	u64			failed;		/* done rc != 0 */
	u64			timeouts;	/* channel waits -ETIMEDOUT */
	u64			fallbacks;	/* core copy_dispatch rc != 0 */
	u64			errors;		/* channel-batches with rc != 0 */
	u64			folios;		/* of dispatched batches */
	u64			bytes;
	u64			descriptors;
	u64			complete_untraced;
	u64			dcbm_events;
	u64			bad_events;	/* no batch, channel out of range */
	u64			negative_spans;	/* end before begin: read as 0 */
	u64			incomplete;	/* dispatched, no done at the end */
	u64			lost;		/* open across dropped events */
	struct ms_dma_reason_totals by_reason[MS_NR_REASONS + 1];
	struct ms_dma_reason_totals by_mode[MS_NR_MODES + 1];

	struct ms_dma_point	*points;
	int			nr_points;
	u64			page_size;	/* for the points' folio size */
};

struct ms_dma_engine {
	struct ms_dma_results	*res;
	struct ms_hash		batches;	/* open struct ms_dma_batch */
	bool			core;		/* migrate_batch events seen */
	int			(*on_batch)(const struct ms_dma_batch *b,
					    void *data);
	void			*data;
};

const char *ms_dma_stage_name(enum ms_dma_stage st);

void ms_dma_results_init(struct ms_dma_results *res, u64 page_size);
void ms_dma_results_free(struct ms_dma_results *res);

int ms_dma_engine_init(struct ms_dma_engine *e, struct ms_dma_results *res);
int ms_dma_feed(struct ms_dma_engine *e, const struct ms_dma_event *ev);
struct ms_event;
void ms_dma_event_from(const struct ms_event *ev, struct ms_dma_event *d);
/* closes every open batch; returns -1 only when on_batch or memory failed */
int ms_dma_finish(struct ms_dma_engine *e);

/* batch helpers for renderers */
u64 ms_dma_batch_setup(const struct ms_dma_batch *b);
u64 ms_dma_batch_teardown(const struct ms_dma_batch *b);
u64 ms_dma_chan_setup(const struct ms_dma_chan *c);

/*
 * Crossover: for one folio size, the smallest batch size with both a DMA
 * and a CPU point where DMA GB/s >= CPU GB/s (the best channel count at
 * that batch size).  Returns the number of folio sizes written to out
 * (sorted by folio size), at most max, -1 on no memory.
 */
struct ms_dma_crossover {
	u64	folio_bytes;
	bool	found;
	u64	batch_pages;	/* found only */
	u64	channels;	/* of the best DMA point at batch_pages */
	double	dma_gbps;	/* found only (per tick: see per_tick) */
	double	cpu_gbps;
	int	compared;	/* batch sizes with both a DMA and a CPU point */
};

double ms_dma_point_gbps(const struct ms_dma_point *p, double ns_per_tick);
int ms_dma_crossover(struct ms_dma_results *res, double ns_per_tick,
		     struct ms_dma_crossover **out);
int ms_dma_merge_points(struct ms_dma_results *dst,
			const struct ms_dma_results *src);

#endif /* MS_DMA_H */
