// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - per channel and per batch stage times of the dcbm DMA migrator,
 * and copy-phase throughput points for the DMA/CPU crossover.
 *
 * A batch opens at its first event (batch begin, copy begin or a dcbm
 * event) and closes at copy end, at batch end, or - when the trace holds
 * no migrate_batch events at all - at dcbm_done / dcbm_decline.  Only open
 * batches are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "dma.h"
#include "ms-event.h"

static const char * const stage_names[MS_DMA_NR_STAGES] = {
	[MS_DMA_ST_ACQUIRE]	= "acquire",
	[MS_DMA_ST_MAP]		= "map",
	[MS_DMA_ST_SUBMIT]	= "submit",
	[MS_DMA_ST_ISSUE]	= "issue",
	[MS_DMA_ST_TRANSFER]	= "transfer",
	[MS_DMA_ST_WAIT]	= "wait",
	[MS_DMA_ST_RELEASE]	= "release",
};

const char *ms_dma_stage_name(enum ms_dma_stage st)
{
	if (st < 0 || st >= MS_DMA_NR_STAGES)
		return "?";
	return stage_names[st];
}

void ms_dma_results_init(struct ms_dma_results *res, u64 page_size)
{
	int i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < MS_DMA_NR_STAGES; i++)
		ms_stats_init(&res->stage[i]);
	ms_stats_init(&res->setup);
	ms_stats_init(&res->teardown);
	ms_stats_init(&res->dma);
	ms_stats_init(&res->copy);
	res->page_size = page_size;
}

void ms_dma_results_free(struct ms_dma_results *res)
{
	free(res->chans);
	free(res->points);
	res->chans = NULL;
	res->points = NULL;
	res->nr_chans = 0;
	res->nr_points = 0;
}

int ms_dma_engine_init(struct ms_dma_engine *e, struct ms_dma_results *res)
{
	memset(e, 0, sizeof(*e));
	e->res = res;
	return ms_hash_init(&e->batches);
}

/*
 * to - from; a span that ends before it begins counts in *negative (NULL:
 * counted elsewhere) and reads as 0.
 */
static u64 span(u64 *negative, u64 from, u64 to)
{
	if (to >= from)
		return to - from;
	if (negative)
		(*negative)++;
	return 0;
}

u64 ms_dma_chan_setup(const struct ms_dma_chan *c)
{
	return c->stage[MS_DMA_ST_ACQUIRE] + c->stage[MS_DMA_ST_MAP] +
	       c->stage[MS_DMA_ST_SUBMIT] + c->stage[MS_DMA_ST_ISSUE];
}

u64 ms_dma_batch_setup(const struct ms_dma_batch *b)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < b->nr_chans; i++)
		sum += ms_dma_chan_setup(&b->chans[i]);
	return sum;
}

u64 ms_dma_batch_teardown(const struct ms_dma_batch *b)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < b->nr_chans; i++)
		sum += b->chans[i].stage[MS_DMA_ST_RELEASE];
	return sum;
}

/* ---- open batches ----------------------------------------------------- */

static struct ms_dma_batch *batch_find(struct ms_dma_engine *e, u64 id)
{
	struct ms_hash_node *n = ms_hash_find(&e->batches, id);

	return n ? container_of(n, struct ms_dma_batch, node) : NULL;
}

static struct ms_dma_batch *batch_get(struct ms_dma_engine *e, u64 id)
{
	struct ms_dma_batch *b = batch_find(e, id);

	if (b)
		return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->id = id;
	b->node.key = id;
	b->migrate_reason = MS_NR_REASONS;	/* until its batch begin */
	b->migrate_mode = MS_NR_MODES;
	if (ms_hash_add(&e->batches, &b->node)) {
		free(b);
		return NULL;
	}
	return b;
}

static void batch_free(struct ms_dma_batch *b)
{
	free(b->chans);
	free(b);
}

/* The channel of index chan, grown on demand; NULL: out of range/ENOMEM */
static struct ms_dma_chan *chan_get(struct ms_dma_batch *b, u64 chan,
				    int *err)
{
	struct ms_dma_chan *c;
	int cap;

	if (chan >= MS_DMA_MAX_CHANNELS)
		return NULL;
	if ((int)chan >= b->cap_chans) {
		cap = b->cap_chans ? b->cap_chans : 4;
		while (cap <= (int)chan)
			cap *= 2;
		c = realloc(b->chans, cap * sizeof(*c));
		if (!c) {
			*err = -1;
			return NULL;
		}
		memset(c + b->cap_chans, 0,
		       (cap - b->cap_chans) * sizeof(*c));
		b->chans = c;
		b->cap_chans = cap;
	}
	if ((int)chan >= b->nr_chans)
		b->nr_chans = chan + 1;
	c = &b->chans[chan];
	c->seen = true;
	return c;
}

/* ---- results ---------------------------------------------------------- */

static struct ms_dma_chan_totals *totals_get(struct ms_dma_results *res,
					     int chan)
{
	struct ms_dma_chan_totals *t;
	int i;

	if (chan >= res->nr_chans) {
		t = realloc(res->chans, (chan + 1) * sizeof(*t));
		if (!t)
			return NULL;
		for (i = res->nr_chans; i <= chan; i++) {
			memset(&t[i], 0, sizeof(t[i]));
			ms_stats_init(&t[i].transfer);
		}
		res->chans = t;
		res->nr_chans = chan + 1;
	}
	return &res->chans[chan];
}

static int account_chan(struct ms_dma_results *res, int i,
			const struct ms_dma_chan *c)
{
	struct ms_dma_chan_totals *t = totals_get(res, i);
	int st;

	if (!t)
		return -1;
	t->batches++;
	t->descriptors += c->descriptors;
	t->bytes += c->bytes;
	t->errors += c->error;
	t->timeouts += c->timeout;
	for (st = 0; st < MS_DMA_NR_STAGES; st++)
		if (c->has[st])
			ms_stats_add(&res->stage[st], c->stage[st]);
	if (c->has[MS_DMA_ST_TRANSFER]) {
		ms_stats_add(&t->transfer, c->stage[MS_DMA_ST_TRANSFER]);
		t->transfer_bytes += c->bytes;
	}
	res->descriptors += c->descriptors;
	res->errors += c->error;
	res->timeouts += c->timeout;
	res->complete_untraced += c->complete_untraced;
	return 0;
}

static int account_chans(struct ms_dma_results *res,
			 const struct ms_dma_batch *b)
{
	int i;

	for (i = 0; i < b->nr_chans; i++)
		if (b->chans[i].seen && account_chan(res, i, &b->chans[i]))
			return -1;
	return 0;
}

/* By the reason of the batch's call. */
static void account_reason(struct ms_dma_reason_totals *r,
			   const struct ms_dma_batch *b)
{
	r->batches++;
	if (b->declined) {
		r->declined++;
		r->declined_below_minimum += !strcmp(b->reason,
						     "below_minimum");
		r->declined_no_channel += !strcmp(b->reason, "no_channel");
		return;
	}
	r->dispatched++;
	r->bytes += b->bytes;
	r->failed += b->done && b->done_rc != 0;
}

static void account_decline(struct ms_dma_results *res,
			    const struct ms_dma_batch *b)
{
	res->declined++;
	if (!strcmp(b->reason, "below_minimum"))
		res->declined_below_minimum++;
	else if (!strcmp(b->reason, "no_channel"))
		res->declined_no_channel++;
}

static int account_dispatched(struct ms_dma_results *res,
			      const struct ms_dma_batch *b)
{
	res->dispatched++;
	res->folios += b->folios;
	res->bytes += b->bytes;
	if (!b->done) {
		res->incomplete++;
		return 0;
	}
	res->failed += b->done_rc != 0;
	if (account_chans(res, b))
		return -1;
	ms_stats_add(&res->setup, ms_dma_batch_setup(b));
	ms_stats_add(&res->teardown, ms_dma_batch_teardown(b));
	ms_stats_add(&res->dma, span(&res->negative_spans, b->dispatch_ts,
				     b->done_ts));
	if (b->copy_begun && b->copy_ended) {
		u64 copy = span(NULL, b->copy_begin_ts, b->copy_end_ts);

		ms_stats_add(&res->copy, copy);
		res->share_setup += ms_dma_batch_setup(b);
		res->share_copy += copy;
	}
	return 0;
}

static bool batch_is_dma(const struct ms_dma_batch *b)
{
	return b->dispatched || b->declined ||
	       (b->core_dispatched && !strcmp(b->migrator, "dcbm"));
}

static u64 granted_channels(const struct ms_dma_batch *b)
{
	u64 n = 0;
	int i;

	for (i = 0; i < b->nr_chans; i++)
		n += b->chans[i].has[MS_DMA_ST_ACQUIRE] &&
		     !b->chans[i].error;
	return n;
}

/*
 * A clean copy phase of a batch whose migrator did the whole copy: a
 * point of the crossover.  Declined, failed or fallen back batches and
 * batches with folios skipped are not.
 */
static int add_point(struct ms_dma_results *res,
		     const struct ms_dma_batch *b)
{
	struct ms_dma_point *p, key = { 0 };
	int i;

	if (!b->copy_begun || !b->copy_ended || !b->core_dispatched ||
	    b->core_rc || b->copy_failed || !b->batch_folios ||
	    !b->core_bytes || b->declined || (b->dispatched && b->done_rc))
		return 0;
	key.dma = batch_is_dma(b);
	if (key.dma && !b->dispatched)
		return 0;	/* a dcbm batch whose dcbm events are missing */
	if (!key.dma && strcmp(b->migrator, "kernel"))
		return 0;	/* another migrator (mtcopy): neither */
	key.batch_pages = b->batch_pages;
	key.folio_bytes = b->batch_pages * res->page_size / b->batch_folios;
	key.channels = key.dma ? granted_channels(b) : 0;
	for (i = 0; i < res->nr_points; i++) {
		p = &res->points[i];
		if (p->folio_bytes == key.folio_bytes &&
		    p->batch_pages == key.batch_pages &&
		    p->dma == key.dma && p->channels == key.channels)
			goto add;
	}
	p = realloc(res->points, (res->nr_points + 1) * sizeof(*p));
	if (!p)
		return -1;
	res->points = p;
	p = &res->points[res->nr_points++];
	*p = key;
add:
	p->batches++;
	p->bytes += b->core_bytes;
	p->ticks += span(NULL, b->copy_begin_ts, b->copy_end_ts);
	return 0;
}

static int account(struct ms_dma_engine *e, const struct ms_dma_batch *b)
{
	struct ms_dma_results *res = e->res;

	if (b->lost) {
		res->lost++;	/* left out of every breakdown */
		return 0;
	}
	res->negative_spans += b->negative_spans;
	if (b->copy_begun && b->copy_ended)	/* the copy phase, once */
		span(&res->negative_spans, b->copy_begin_ts, b->copy_end_ts);
	if (add_point(res, b))
		return -1;
	if (!b->dispatched && !b->declined)
		return 0;	/* no dcbm event: a CPU batch */
	res->batches++;
	account_reason(&res->by_reason[b->migrate_reason], b);
	account_reason(&res->by_mode[b->migrate_mode], b);
	res->fallbacks += b->core_dispatched && b->core_rc;
	if (b->declined) {
		account_decline(res, b);
		if (account_chans(res, b))
			return -1;
	} else if (account_dispatched(res, b)) {
		return -1;
	}
	if (e->on_batch && e->on_batch(b, e->data))
		return -1;
	return 0;
}

static int batch_close(struct ms_dma_engine *e, struct ms_dma_batch *b)
{
	int ret;

	ms_hash_del(&e->batches, &b->node);
	ret = account(e, b);
	batch_free(b);
	return ret;
}

/* ---- events ----------------------------------------------------------- */

static enum ms_dma_type dma_type(const struct ms_event *ev)
{
	static const enum ms_dma_type dcbm[] = {
		MS_DMA_DISPATCH, MS_DMA_DECLINE, MS_DMA_ACQUIRE, MS_DMA_MAP,
		MS_DMA_SUBMIT, MS_DMA_ISSUE, MS_DMA_COMPLETE, MS_DMA_WAIT,
		MS_DMA_RELEASE, MS_DMA_DONE,
	};

	switch (ev->type) {
	case MS_EV_BATCH_BEGIN:
		return MS_DMA_BATCH_BEGIN;
	case MS_EV_BATCH_END:
		return MS_DMA_BATCH_END;
	case MS_EV_COPY_DISPATCH:
		return MS_DMA_COPY_DISPATCH;
	case MS_EV_PHASE_BEGIN:
		return ev->phase == MS_PHASE_COPY ? MS_DMA_COPY_BEGIN :
						    MS_DMA_NONE;
	case MS_EV_PHASE_END:
		return ev->phase == MS_PHASE_COPY ? MS_DMA_COPY_END :
						    MS_DMA_NONE;
	case MS_EV_LOST:
		return MS_DMA_LOST;
	default:
		break;
	}
	if (ev->type >= MS_EV_DCBM_DISPATCH && ev->type <= MS_EV_DCBM_DONE)
		return dcbm[ev->type - MS_EV_DCBM_DISPATCH];
	return MS_DMA_NONE;
}

/* An engine-neutral event as the DMA engine's (MS_DMA_NONE: not its). */
void ms_dma_event_from(const struct ms_event *ev, struct ms_dma_event *d)
{
	memset(d, 0, sizeof(*d));
	d->ts = ev->ts;
	d->type = dma_type(ev);
	d->id = ev->id;
	d->chan = ev->chan;
	d->channels = ev->channels;
	d->folios = ev->folios;
	d->pages = ev->pages;
	d->bytes = ev->bytes;
	d->descriptors = ev->descriptors;
	d->failed = ev->failed_folios;
	d->rc = ev->rc;
	d->migrate_reason = ev->reason;
	d->migrate_mode = ev->mode;
	snprintf(d->name, sizeof(d->name), "%s", ev->name);
}


static void name_copy(char *dst, const char *src)
{
	size_t n = strnlen(src, MS_DMA_NAME_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int feed_core(struct ms_dma_engine *e, struct ms_dma_batch *b,
		     const struct ms_dma_event *ev)
{
	e->core = true;
	switch (ev->type) {
	case MS_DMA_BATCH_BEGIN:
		b->batch_folios = ev->folios;
		b->batch_pages = ev->pages;
		b->migrate_reason = ms_reason_index(ev->migrate_reason);
		b->migrate_mode = ms_mode_index(ev->migrate_mode);
		break;
	case MS_DMA_COPY_BEGIN:
		b->copy_begun = true;
		b->copy_begin_ts = ev->ts;
		break;
	case MS_DMA_COPY_DISPATCH:
		b->core_dispatched = true;
		name_copy(b->migrator, ev->name);
		b->core_bytes = ev->bytes;
		b->core_rc = ev->rc;
		break;
	case MS_DMA_COPY_END:
		b->copy_ended = b->copy_begun;
		b->copy_end_ts = ev->ts;
		b->copy_failed = ev->failed;
		return batch_close(e, b);
	case MS_DMA_BATCH_END:
		return batch_close(e, b);
	default:
		break;
	}
	return 0;
}

/* Time of a task stage: from the previous task event of the batch. */
static void task_stage(struct ms_dma_batch *b, struct ms_dma_chan *c,
		       enum ms_dma_stage st, const struct ms_dma_event *ev)
{
	c->stage[st] = span(&b->negative_spans, b->last_task_ts, ev->ts);
	c->has[st] = true;
	if (ev->rc)
		c->error = true;
	b->last_task_ts = ev->ts;
}

static void chan_wait(struct ms_dma_batch *b, struct ms_dma_chan *c,
		      const struct ms_dma_event *ev)
{
	u64 from = b->last_task_ts;

	if (ev->rc == -MS_DMA_ETIMEDOUT) {
		c->timeout = true;
	} else if (c->issued && !c->completed && !ev->rc) {
		/* the last descriptor was done before issue returned */
		c->complete_untraced = true;
		c->completed = true;
		c->complete_ts = c->issue_ts;
		c->stage[MS_DMA_ST_TRANSFER] = 0;
		c->has[MS_DMA_ST_TRANSFER] = true;
	}
	if (c->completed && c->complete_ts > from)
		from = c->complete_ts;
	c->stage[MS_DMA_ST_WAIT] = span(&b->negative_spans, from, ev->ts);
	c->has[MS_DMA_ST_WAIT] = true;
	if (ev->rc)
		c->error = true;
	b->last_task_ts = ev->ts;
}

static void chan_complete(struct ms_dma_batch *b, struct ms_dma_chan *c,
			  const struct ms_dma_event *ev)
{
	c->completed = true;
	c->complete_ts = ev->ts;
	if (ev->rc)
		c->error = true;
	if (!c->issued)
		return;
	c->stage[MS_DMA_ST_TRANSFER] = span(&b->negative_spans, c->issue_ts,
					    ev->ts);
	c->has[MS_DMA_ST_TRANSFER] = true;
}

static int feed_chan(struct ms_dma_batch *b, const struct ms_dma_event *ev)
{
	struct ms_dma_chan *c;
	int err = 0;

	c = chan_get(b, ev->chan, &err);
	if (!c)
		return err ? -1 : 1;
	switch (ev->type) {
	case MS_DMA_ACQUIRE:
		task_stage(b, c, MS_DMA_ST_ACQUIRE, ev);
		break;
	case MS_DMA_MAP:
		task_stage(b, c, MS_DMA_ST_MAP, ev);
		c->folios = ev->folios;
		c->bytes = ev->bytes;
		break;
	case MS_DMA_SUBMIT:
		task_stage(b, c, MS_DMA_ST_SUBMIT, ev);
		c->descriptors = ev->descriptors;
		break;
	case MS_DMA_ISSUE:
		task_stage(b, c, MS_DMA_ST_ISSUE, ev);
		c->issued = true;
		c->issue_ts = ev->ts;
		if (c->completed) {	/* callback stamped on a CPU behind */
			c->stage[MS_DMA_ST_TRANSFER] = 0;
			c->has[MS_DMA_ST_TRANSFER] = true;
		}
		break;
	case MS_DMA_COMPLETE:
		chan_complete(b, c, ev);
		break;
	case MS_DMA_WAIT:
		chan_wait(b, c, ev);
		break;
	case MS_DMA_RELEASE:
		task_stage(b, c, MS_DMA_ST_RELEASE, ev);
		break;
	default:
		break;
	}
	return 0;
}

/* Without migrate_batch events nothing comes after done/decline. */
static int feed_end(struct ms_dma_engine *e, struct ms_dma_batch *b)
{
	if (e->core)
		return 0;
	return batch_close(e, b);
}

static int feed_dcbm(struct ms_dma_engine *e, struct ms_dma_batch *b,
		     const struct ms_dma_event *ev)
{
	int ret;

	e->res->dcbm_events++;
	switch (ev->type) {
	case MS_DMA_DISPATCH:
		b->dispatched = true;
		b->dispatch_ts = ev->ts;
		b->last_task_ts = ev->ts;
		b->channels = ev->channels;
		b->folios = ev->folios;
		b->bytes = ev->bytes;
		return 0;
	case MS_DMA_DECLINE:
		b->declined = true;
		name_copy(b->reason, ev->name);
		return feed_end(e, b);
	case MS_DMA_DONE:
		if (!b->dispatched)
			break;
		b->done = true;
		b->done_ts = ev->ts;
		b->done_rc = ev->rc;
		return feed_end(e, b);
	default:
		if (!b->dispatched)
			break;
		ret = feed_chan(b, ev);
		if (ret > 0)
			break;
		return ret;
	}
	e->res->bad_events++;
	return 0;
}

static bool is_core(enum ms_dma_type t)
{
	return t >= MS_DMA_BATCH_BEGIN && t <= MS_DMA_BATCH_END;
}

static void mark_lost(struct ms_hash_node *n, void *data)
{
	(void)data;
	container_of(n, struct ms_dma_batch, node)->lost = true;
}

/* 0, or -1 when out of memory (or on_batch failed). */
int ms_dma_feed(struct ms_dma_engine *e, const struct ms_dma_event *ev)
{
	struct ms_dma_batch *b;

	if (ev->type == MS_DMA_LOST) {
		ms_hash_each(&e->batches, mark_lost, NULL);
		return 0;
	}
	if (ev->type == MS_DMA_NONE || ev->type > MS_DMA_DONE)
		return 0;
	b = batch_find(e, ev->id);
	if (!b && (ev->type == MS_DMA_COPY_END ||
		   ev->type == MS_DMA_BATCH_END))
		return 0;	/* nothing of it open */
	if (!b)
		b = batch_get(e, ev->id);
	if (!b)
		return -1;
	if (is_core(ev->type))
		return feed_core(e, b, ev);
	return feed_dcbm(e, b, ev);
}

int ms_dma_finish(struct ms_dma_engine *e)
{
	struct ms_hash_node *n;
	int ret = 0;

	while ((n = ms_hash_pop(&e->batches))) {
		struct ms_dma_batch *b;

		b = container_of(n, struct ms_dma_batch, node);
		if (!ret && account(e, b))
			ret = -1;
		batch_free(b);
	}
	ms_hash_free(&e->batches);
	return ret;
}

/* ---- crossover -------------------------------------------------------- */

double ms_dma_point_gbps(const struct ms_dma_point *p, double ns_per_tick)
{
	double ns = (double)p->ticks * ns_per_tick;

	return ns > 0 ? (double)p->bytes / ns : 0.0;
}

int ms_dma_merge_points(struct ms_dma_results *dst,
			const struct ms_dma_results *src)
{
	struct ms_dma_point *p;
	int i, j;

	for (i = 0; i < src->nr_points; i++) {
		const struct ms_dma_point *s = &src->points[i];

		for (j = 0; j < dst->nr_points; j++) {
			p = &dst->points[j];
			if (p->folio_bytes == s->folio_bytes &&
			    p->batch_pages == s->batch_pages &&
			    p->dma == s->dma && p->channels == s->channels)
				break;
		}
		if (j == dst->nr_points) {
			p = realloc(dst->points, (j + 1) * sizeof(*p));
			if (!p)
				return -1;
			dst->points = p;
			dst->points[j] = *s;
			dst->points[j].batches = 0;
			dst->points[j].bytes = 0;
			dst->points[j].ticks = 0;
			dst->nr_points++;
		}
		p = &dst->points[j];
		p->batches += s->batches;
		p->bytes += s->bytes;
		p->ticks += s->ticks;
	}
	return 0;
}

static int cmp_u64(u64 a, u64 b)
{
	return a < b ? -1 : a > b;
}

static int cmp_point(const void *a, const void *b)
{
	const struct ms_dma_point *x = a, *y = b;

	if (x->folio_bytes != y->folio_bytes)
		return cmp_u64(x->folio_bytes, y->folio_bytes);
	if (x->batch_pages != y->batch_pages)
		return cmp_u64(x->batch_pages, y->batch_pages);
	if (x->dma != y->dma)
		return x->dma - y->dma;
	return cmp_u64(x->channels, y->channels);
}

/*
 * Points [from, to) share folio and batch size: the best DMA and the CPU
 * GB/s among them.
 */
static bool best_pair(const struct ms_dma_point *p, int from, int to,
		      double npt, double *dma, double *cpu, u64 *chans)
{
	bool have_dma = false, have_cpu = false;
	double g;
	int i;

	for (i = from; i < to; i++) {
		g = ms_dma_point_gbps(&p[i], npt);
		if (!p[i].dma) {
			*cpu = g;
			have_cpu = true;
		} else if (!have_dma || g > *dma) {
			*dma = g;
			*chans = p[i].channels;
			have_dma = true;
		}
	}
	return have_dma && have_cpu;
}

/* Sorts res->points; one entry per folio size. */
int ms_dma_crossover(struct ms_dma_results *res, double ns_per_tick,
		     struct ms_dma_crossover **out)
{
	struct ms_dma_point *p = res->points;
	struct ms_dma_crossover *x = NULL, *cur = NULL;
	int n = res->nr_points, nx = 0, i, j;
	double dma = 0, cpu = 0;
	u64 chans = 0;

	*out = NULL;
	if (!n)
		return 0;
	qsort(p, n, sizeof(*p), cmp_point);
	x = calloc(n, sizeof(*x));
	if (!x)
		return -1;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && p[j].folio_bytes == p[i].folio_bytes &&
			    p[j].batch_pages == p[i].batch_pages; j++)
			;
		if (!cur || cur->folio_bytes != p[i].folio_bytes) {
			cur = &x[nx++];
			cur->folio_bytes = p[i].folio_bytes;
		}
		if (!best_pair(p, i, j, ns_per_tick, &dma, &cpu, &chans))
			continue;
		cur->compared++;
		if (cur->found || dma < cpu)
			continue;
		cur->found = true;
		cur->batch_pages = p[i].batch_pages;
		cur->channels = chans;
		cur->dma_gbps = dma;
		cur->cpu_gbps = cpu;
	}
	*out = x;
	return nx;
}
