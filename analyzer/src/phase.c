// SPDX-License-Identifier: GPL-2.0
/*
 * phase.c - pair begin/end events into syscalls, migrate_pages() calls,
 * batches and phases (see phase.h for the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "phase.h"

/* An open batch, or an ended one waiting for its outermost call. */
struct ms_batch {
	struct ms_hash_node	node;		/* key: batch id */
	struct ms_batch		*next;		/* on its call's done list */
	u64			ts, end_ts;
	int			pid;
	bool			in_call;
	bool			lost;		/* open across a gap */
	bool			bad;		/* a phase shorter than its
						   nested calls */
	u64			call_serial;	/* owner: innermost call */
	unsigned int		open_phases;	/* bit per enum ms_phase */
	u64			phase_ts[MS_NR_PHASES];
	u64			phase_nested[MS_NR_PHASES]; /* open instance */

	/* per phase, summed over the passes */
	u64			self[MS_NR_PHASES];
	unsigned int		passes[MS_NR_PHASES];
	u64			ph_folios[MS_NR_PHASES];
	u64			ph_pages[MS_NR_PHASES];
	u64			ph_failed[MS_NR_PHASES];

	u64			folios, pages;	/* begin, then unmap ends */
	u64			begin_pages;	/* batch begin */
	bool			unmapped;	/* an unmap end was seen */
	bool			dispatched;
	char			migrator[MS_NAME_MAX];
	u64			nr_dispatch;
	u64			disp_folios, disp_bytes, fallbacks;
	s64			declined;	/* the last dispatch's cause */
	u64			nr_pte, first_pte_ts;
	s64			min_nz_order, max_order; /* of its PTEs */
	u64			succeeded;	/* batch end */
	s64			rc;
};

/* One open migrate_pages() call, on its task's stack. */
struct ms_call {
	struct ms_call	*outer;
	u64		ts;
	u64		serial;
	s64		reason;
	s64		mode;
	bool		lost;
	u64		nested_ns;	/* its depth-1 nested calls */
	/* outermost: its nested calls, committed with it */
	struct ms_nested_totals nested[MS_NR_REASONS + 1];
	u64		nested_deep;
	struct ms_batch	*done;		/* its ended batches */
	u64		nr_done;
	bool		has_open_batch;
	u64		open_batch;	/* id of its batch in flight */
	/* nested: the batch and phase of the outer call it began in */
	bool		in_phase;
	u64		in_batch;
	enum ms_phase	phase;
};

/* A task with an open syscall or call; freed when it has neither. */
struct ms_task {
	struct ms_hash_node	node;		/* key: pid */
	struct ms_call		*top;		/* innermost open call */
	bool			in_syscall;
	bool			sys_lost;
	int			sys_kind;	/* enum ms_syscall */
	u64			sys_ts;
	u64			sys_in_calls;	/* outermost calls, so far */
	u64			sys_work;	/* calls+batches begun inside */
};

/* All declined batches of a by-cause table. */
u64 ms_declined_sum(const u64 *declined)
{
	u64 n = 0;
	int i;

	for (i = 0; i < MS_NR_DECLINES; i++)
		n += declined[i];
	return n;
}

/* The batch in (or past) its move phase, of a task: PTEs go to it. */
struct ms_mover {
	struct ms_hash_node	node;		/* key: pid */
	u64			id;
};

static void group_init(struct ms_reason_totals *g)
{
	ms_stats_init(&g->time);
	ms_stats_init(&g->batch_folios);
	ms_stats_init(&g->batch_pages);
	ms_stats_init(&g->batch_bytes);
}

void ms_results_init(struct ms_results *res)
{
	int p;

	memset(res, 0, sizeof(*res));
	res->threshold.min_folios = -1;
	res->threshold.min_bytes = -1;
	ms_stats_init(&res->syscall);
	ms_stats_init(&res->call);
	ms_stats_init(&res->batch);
	ms_stats_init(&res->first_folio);
	for (p = 0; p < MS_NR_PHASES; p++)
		ms_stats_init(&res->phase[p].time);
	for (p = 0; p <= MS_NR_REASONS; p++)
		group_init(&res->by_reason[p]);
	for (p = 0; p <= MS_NR_MODES; p++)
		group_init(&res->by_mode[p]);
}

u64 ms_reason_unattributed(const struct ms_reason_totals *r)
{
	u64 used = r->nested;
	int p;

	for (p = 0; p < MS_NR_PHASES; p++)
		used += r->phase[p];
	return r->time.total > used ? r->time.total - used : 0;
}

/* Self time of all phases of the committed batches */
u64 ms_results_phases(const struct ms_results *res)
{
	u64 sum = 0;
	int p;

	for (p = 0; p < MS_NR_PHASES; p++)
		sum += res->phase[p].time.total;
	return sum;
}

static void nested_add(struct ms_nested_totals *to,
		       const struct ms_nested_totals *n)
{
	to->calls += n->calls;
	to->total += n->total;
	to->pages += n->pages;
	to->batches += n->batches;
}

void ms_results_nested_sum(const struct ms_results *res,
			   struct ms_nested_totals *sum)
{
	int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i <= MS_NR_REASONS; i++)
		nested_add(sum, &res->nested[i]);
}

/*
 * Outermost migrate_pages() time in neither a phase nor a nested call;
 * never negative: every committed call holds its phases and nested calls.
 */
u64 ms_results_unattributed(const struct ms_results *res)
{
	struct ms_nested_totals n;
	u64 in = ms_results_phases(res);

	ms_results_nested_sum(res, &n);
	in += n.total;
	return res->call.total > in ? res->call.total - in : 0;
}

/* end - begin; a negative span counts and reads as 0 */
static u64 span(struct ms_results *res, u64 begin, u64 end)
{
	if (end >= begin)
		return end - begin;
	res->negative_spans++;
	return 0;
}

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static void open_inc(struct ms_engine *e)
{
	if (++e->open > e->peak_open)
		e->peak_open = e->open;
}

static u64 pid_key(int pid)
{
	return (u32)pid;
}

static struct ms_task *task_find(struct ms_engine *e, int pid)
{
	struct ms_hash_node *n = ms_hash_find(&e->tasks, pid_key(pid));

	return n ? container_of(n, struct ms_task, node) : NULL;
}

static struct ms_task *task_get(struct ms_engine *e, int pid)
{
	struct ms_task *t = task_find(e, pid);

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->node.key = pid_key(pid);
	if (ms_hash_add(&e->tasks, &t->node)) {
		free(t);
		return NULL;
	}
	return t;
}

/* Forget a task that has nothing open any more. */
static void task_put(struct ms_engine *e, struct ms_task *t)
{
	if (t->top || t->in_syscall)
		return;
	ms_hash_del(&e->tasks, &t->node);
	free(t);
}

static struct ms_batch *batch_find(struct ms_engine *e, u64 id)
{
	struct ms_hash_node *n = ms_hash_find(&e->batches, id);

	return n ? container_of(n, struct ms_batch, node) : NULL;
}

/* The open call that owned batch b at its begin, if still open. */
static struct ms_call *batch_owner(struct ms_engine *e,
				   const struct ms_batch *b)
{
	struct ms_task *t;
	struct ms_call *c;

	if (!b->in_call)
		return NULL;
	t = task_find(e, b->pid);
	for (c = t ? t->top : NULL; c; c = c->outer)
		if (c->serial == b->call_serial)
			return c;
	return NULL;
}

/* Free the ended batches of a call; returns how many there were. */
static u64 free_done(struct ms_engine *e, struct ms_call *c)
{
	u64 n = 0;

	while (c->done) {
		struct ms_batch *b = c->done;

		c->done = b->next;
		free(b);
		e->pending--;
		n++;
	}
	c->nr_done = 0;
	return n;
}

/* Pop and free the innermost call of t; it never ended. */
static void call_drop(struct ms_engine *e, struct ms_task *t)
{
	struct ms_call *c = t->top;
	u64 n;

	t->top = c->outer;
	e->res->begin_without_end++;
	n = free_done(e, c);
	if (c->lost) {
		e->res->lost_calls++;
		e->res->lost_batches += n;
	}
	free(c);
	e->open--;
}

/* A batch of pid whose call is gone: no owner any more. */
static void orphan_batch(struct ms_hash_node *n, void *data)
{
	struct ms_batch *b = container_of(n, struct ms_batch, node);
	int pid = *(int *)data;

	if (b->pid == pid)
		b->in_call = false;
}

/* A syscall enter: no call of this task can still be open. */
static void drop_stale_calls(struct ms_engine *e, struct ms_task *t,
			     int pid)
{
	if (!t->top)
		return;
	while (t->top)
		call_drop(e, t);
	ms_hash_each(&e->batches, orphan_batch, &pid);
}

static int on_syscall_enter(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_task *t = task_get(e, ev->pid);

	if (!t)
		return -1;
	drop_stale_calls(e, t, ev->pid);
	if (t->in_syscall) {
		e->res->begin_without_end++;	/* its exit was lost */
		if (t->sys_lost)
			e->res->lost_syscalls++;
	} else {
		open_inc(e);
	}
	t->in_syscall = true;
	t->sys_lost = false;
	t->sys_kind = ms_syscall_index(ev->syscall);
	t->sys_ts = ev->ts;
	t->sys_in_calls = 0;
	t->sys_work = 0;
	return 0;
}

static int on_syscall_exit(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	struct ms_task *t = task_find(e, ev->pid);
	struct ms_syscall_totals *s;
	u64 d;

	if (!t || !t->in_syscall) {
		res->end_without_begin++;
		return 0;
	}
	d = span(res, t->sys_ts, ev->ts);
	s = &res->by_syscall[t->sys_kind];
	if (t->sys_kind != ms_syscall_index(ev->syscall)) {
		res->begin_without_end++;	/* another syscall's exit: */
		res->end_without_begin++;	/* both ends were lost */
	} else if (t->sys_lost) {
		res->lost_syscalls++;
	} else if (!t->sys_work) {
		res->syscall_query++;	/* no migration inside */
		s->query++;
	} else {
		ms_stats_add(&res->syscall, d);
		res->syscall_outside += d - min_u64(d, t->sys_in_calls);
		res->syscall_errors += ev->ret < 0;
		s->count++;
		s->total += d;
		s->max = s->max > d ? s->max : d;
		s->outside += d - min_u64(d, t->sys_in_calls);
		s->errors += ev->ret < 0;
	}
	t->in_syscall = false;
	e->open--;
	task_put(e, t);
	return 0;
}

/* The open phase of outer's batch in flight a nested call begins in. */
static void nested_place(struct ms_engine *e, struct ms_call *c,
			 const struct ms_call *outer)
{
	struct ms_batch *b;
	int p, last = -1;

	if (!outer->has_open_batch)
		return;
	b = batch_find(e, outer->open_batch);
	if (!b)
		return;
	for (p = 0; p < MS_NR_PHASES; p++)
		if (b->open_phases & (1U << p) &&
		    (last < 0 || b->phase_ts[p] >= b->phase_ts[last]))
			last = p;
	if (last < 0)
		return;
	c->in_phase = true;
	c->in_batch = b->node.key;
	c->phase = last;
}

static int on_call_begin(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_task *t = task_get(e, ev->pid);
	struct ms_call *c;

	if (!t)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c) {
		task_put(e, t);
		return -1;
	}
	c->ts = ev->ts;
	c->serial = ++e->next_serial;
	c->reason = ev->reason;
	c->mode = ev->mode;
	c->outer = t->top;
	if (c->outer)
		nested_place(e, c, c->outer);
	t->top = c;
	if (t->in_syscall)
		t->sys_work++;
	open_inc(e);
	return 0;
}

/*
 * A nested call ended: its time is the outer call's, out of the phase it
 * ran in.  Only depth 1 counts; a deeper call is inside a depth-1 one.
 */
static void nested_end(struct ms_engine *e, struct ms_call *c, u64 d,
		       const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	struct ms_call *outer = c->outer;
	struct ms_nested_totals *n;
	struct ms_batch *b;
	u64 nr = free_done(e, c);

	if (c->lost) {
		res->lost_calls++;
		res->lost_batches += nr;
		outer->lost = true;
		return;
	}
	if (outer->outer) {
		while (outer->outer)
			outer = outer->outer;
		outer->nested_deep++;
		return;
	}
	n = &outer->nested[ms_reason_index(c->reason)];
	n->calls++;
	n->total += d;
	n->pages += ev->succeeded;
	n->batches += nr;
	outer->nested_ns += d;
	if (!c->in_phase)
		return;
	b = batch_find(e, c->in_batch);
	if (b && b->open_phases & (1U << c->phase))
		b->phase_nested[c->phase] += d;
}

/* Self time of b's phases; false if a nested call outlasts its phase. */
static bool batch_phases(const struct ms_batch *b, u64 *sum)
{
	int p;

	for (p = 0; p < MS_NR_PHASES; p++)
		*sum += b->self[p];
	return !b->bad;
}

/* Can the outermost call c of time d be committed? */
static bool call_consistent(const struct ms_call *c, u64 d)
{
	const struct ms_batch *b;
	u64 sum = c->nested_ns;

	for (b = c->done; b; b = b->next)
		if (!batch_phases(b, &sum))
			return false;
	return sum <= d;
}

static void batch_commit(struct ms_results *res, const struct ms_batch *b);

/* Copied by a migrator that did not decline it: offloaded. */
static bool batch_offloaded(const struct ms_batch *b)
{
	return b->dispatched && !b->declined && strcmp(b->migrator, "kernel");
}

/* A threshold that can decline a batch: one of its bounds above 0. */
bool ms_threshold_active(const struct ms_threshold *t)
{
	return t->known && (t->min_folios > 0 || t->min_bytes > 0);
}

/* What the migrator is offered: the dispatch's figures, else the batch's */
static void batch_offer(const struct ms_batch *b, u64 page_size,
			u64 *folios, u64 *bytes)
{
	if (b->nr_dispatch) {
		*folios = b->disp_folios / b->nr_dispatch;
		*bytes = b->disp_bytes / b->nr_dispatch;
		return;
	}
	*folios = b->folios;
	*bytes = b->pages * page_size;
}

/* Is a batch of folios and bytes below threshold t? */
static bool below_threshold(const struct ms_threshold *t, u64 folios,
			    u64 bytes)
{
	return (t->min_folios > 0 && folios < (u64)t->min_folios) ||
	       (t->min_bytes > 0 && bytes < (u64)t->min_bytes);
}

/* The batch against the threshold, for the callers section. */
static void group_judge(struct ms_reason_totals *g, const struct ms_batch *b,
			const struct ms_threshold *t)
{
	u64 folios, bytes;

	batch_offer(b, t->page_size, &folios, &bytes);
	ms_stats_add(&g->batch_bytes, bytes);
	if (!t->known)
		return;
	g->judged++;
	g->judged_bytes += bytes;
	if (!below_threshold(t, folios, bytes))
		return;
	g->below++;
	g->below_bytes += bytes;
}

/* The batch as its call's reason (or mode) sees it. */
static void group_batch(struct ms_reason_totals *g, const struct ms_batch *b,
			const struct ms_threshold *t)
{
	int p;

	g->batches++;
	group_judge(g, b, t);
	ms_stats_add(&g->batch_folios, b->folios);
	ms_stats_add(&g->batch_pages, b->begin_pages);
	for (p = 0; p < MS_NR_PHASES; p++)
		g->phase[p] += b->self[p];
	if (b->dispatched && b->declined)
		g->declined[ms_decline_index(b->declined)]++;
	else
		g->offloaded += batch_offloaded(b);
}

/* A committed outermost call c of time d, into one group. */
static void group_call(struct ms_reason_totals *g, const struct ms_call *c,
		       u64 d, const struct ms_event *ev,
		       const struct ms_threshold *t)
{
	const struct ms_batch *b;

	g->calls++;
	ms_stats_add(&g->time, d);
	g->pages_succeeded += ev->succeeded;
	g->pages_failed += ev->failed_pages;
	g->nested += c->nested_ns;
	for (b = c->done; b; b = b->next)
		group_batch(g, b, t);
}

/* A committed outermost call c of time d, by its reason and mode. */
static void reason_call(struct ms_results *res, const struct ms_call *c,
			u64 d, const struct ms_event *ev)
{
	group_call(&res->by_reason[ms_reason_index(c->reason)], c, d, ev,
		   &res->threshold);
	group_call(&res->by_mode[ms_mode_index(c->mode)], c, d, ev,
		   &res->threshold);
}

/* An outermost call ended: into the results with its batches, or not. */
static void outer_end(struct ms_engine *e, struct ms_call *c, u64 d,
		      const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	const struct ms_batch *b;
	int i;

	if (c->lost) {
		res->lost_calls++;
		res->lost_batches += free_done(e, c);
		return;
	}
	if (!call_consistent(c, d)) {
		res->inconsistent++;
		free_done(e, c);
		return;
	}
	ms_stats_add(&res->call, d);
	res->pages_succeeded += ev->succeeded;
	res->pages_failed += ev->failed_pages;
	for (i = 0; i <= MS_NR_REASONS; i++)
		nested_add(&res->nested[i], &c->nested[i]);
	res->nested_deep += c->nested_deep;
	reason_call(res, c, d, ev);
	for (b = c->done; b; b = b->next)
		batch_commit(res, b);
	free_done(e, c);
}

static int on_call_end(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_task *t = task_find(e, ev->pid);
	struct ms_call *c;
	u64 d;

	if (!t || !t->top) {
		e->res->end_without_begin++;
		return 0;
	}
	c = t->top;
	t->top = c->outer;
	d = span(e->res, c->ts, ev->ts);
	if (c->outer) {
		nested_end(e, c, d, ev);
	} else {
		outer_end(e, c, d, ev);
		if (t->in_syscall && !c->lost)
			t->sys_in_calls += d;
	}
	free(c);
	e->open--;
	task_put(e, t);
	return 0;
}

static struct ms_mover *mover_find(struct ms_engine *e, int pid)
{
	struct ms_hash_node *n = ms_hash_find(&e->movers, pid_key(pid));

	return n ? container_of(n, struct ms_mover, node) : NULL;
}

/* PTEs of task pid go to batch id from now on. */
static int mover_set(struct ms_engine *e, int pid, u64 id)
{
	struct ms_mover *m = mover_find(e, pid);

	if (!m) {
		m = calloc(1, sizeof(*m));
		if (!m)
			return -1;
		m->node.key = pid_key(pid);
		if (ms_hash_add(&e->movers, &m->node)) {
			free(m);
			return -1;
		}
	}
	m->id = id;
	return 0;
}

/* Batch id of task pid ended: its PTEs go nowhere. */
static void mover_clear(struct ms_engine *e, int pid, u64 id)
{
	struct ms_mover *m = mover_find(e, pid);

	if (m && m->id == id) {
		ms_hash_del(&e->movers, &m->node);
		free(m);
	}
}

static void batch_reset(struct ms_engine *e, struct ms_batch *b,
			const struct ms_event *ev)
{
	struct ms_task *t = task_find(e, ev->pid);
	struct ms_hash_node node = b->node;

	mover_clear(e, b->pid, b->node.key);
	memset(b, 0, sizeof(*b));
	b->node = node;
	b->ts = ev->ts;
	b->pid = ev->pid;
	b->folios = ev->folios;
	b->pages = ev->pages;
	b->begin_pages = ev->pages;
	b->in_call = t && t->top;
	if (b->in_call) {
		b->call_serial = t->top->serial;
		t->top->has_open_batch = true;
		t->top->open_batch = ev->id;
	}
	if (t && t->in_syscall)
		t->sys_work++;
}

/*
 * Folio order of a batch: its pages per folio when that is a power of two
 * and its PTEs agree.  In 6.12 remove_migration_pte() gives the order of
 * the page it maps: the head page of a large folio has the folio's order,
 * its tail pages 0.  So PTEs of two non-zero orders, or a non-zero order
 * other than pages per folio, make a batch "mixed"; PMD-mapped folios
 * have no PTE event.
 */
static int batch_order(const struct ms_batch *b)
{
	int order;
	u64 per;

	if (!b->folios || b->pages % b->folios)
		return MS_ORDER_MIXED;
	per = b->pages / b->folios;
	if (!per || per & (per - 1) || per > (1ULL << MS_MAX_ORDER))
		return MS_ORDER_MIXED;
	order = __builtin_ctzll(per);
	if (!b->nr_pte)
		return order;
	if (b->min_nz_order && b->min_nz_order != b->max_order)
		return MS_ORDER_MIXED;
	return b->max_order == order ? order : MS_ORDER_MIXED;
}

static struct ms_migrator_totals *migrator_get(struct ms_results *res,
					       const char *name)
{
	struct ms_migrator_totals *m;
	int i;

	for (i = 0; i < res->nr_migrators; i++)
		if (!strcmp(res->by_migrator[i].name, name))
			return &res->by_migrator[i];
	if (res->nr_migrators == MS_MAX_MIGRATORS)
		return &res->by_migrator[MS_MAX_MIGRATORS - 1];
	m = &res->by_migrator[res->nr_migrators++];
	snprintf(m->name, sizeof(m->name), "%s",
		 res->nr_migrators == MS_MAX_MIGRATORS ? "other" : name);
	return m;
}

/* A batch of a committed call into the breakdowns. */
static void batch_commit(struct ms_results *res, const struct ms_batch *b)
{
	struct ms_group_totals *o = &res->by_order[batch_order(b)];
	struct ms_migrator_totals *m;
	u64 d = b->end_ts - b->ts;	/* >= 0: checked at batch end */
	int p;

	ms_stats_add(&res->batch, d);
	if (b->rc < 0)
		res->batch_errors++;
	for (p = 0; p < MS_NR_PHASES; p++) {
		struct ms_phase_totals *pt = &res->phase[p];

		if (!b->passes[p])
			continue;
		ms_stats_add(&pt->time, b->self[p]);
		pt->folios += b->ph_folios[p];
		pt->pages += b->ph_pages[p];
		pt->failed += b->ph_failed[p];
	}
	o->batches++;
	o->folios += b->folios;
	o->pages += b->pages;
	o->succeeded += b->succeeded;
	o->total += d;
	o->copy += b->self[MS_PHASE_COPY];
	/* a declined batch was copied by the kernel: not the migrator's */
	m = migrator_get(res, !b->dispatched ? "none" :
			 b->declined ? "kernel" : b->migrator);
	m->t.batches++;
	m->t.folios += b->dispatched ? b->disp_folios : b->folios;
	m->t.bytes += b->disp_bytes;
	m->t.succeeded += b->succeeded;
	m->t.total += d;
	m->t.copy += b->self[MS_PHASE_COPY];
	m->t.fallbacks += b->fallbacks;
	res->copy_dispatches += b->nr_dispatch;
	res->copy_fallbacks += b->fallbacks;
	if (b->dispatched && b->declined)
		res->copy_declined[ms_decline_index(b->declined)]++;
	if (b->nr_pte) {
		ms_stats_add(&res->first_folio, b->first_pte_ts - b->ts);
		res->first_folio_batch_total += d;
	}
}

static int on_batch_begin(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_batch *b = batch_find(e, ev->id);

	if (b) {
		/* the same id again: the previous one never ended */
		e->res->begin_without_end +=
			1 + __builtin_popcount(b->open_phases);
		if (b->lost)
			e->res->lost_batches++;
		batch_reset(e, b, ev);
		return 0;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return -1;
	b->node.key = ev->id;
	if (ms_hash_add(&e->batches, &b->node)) {
		free(b);
		return -1;
	}
	batch_reset(e, b, ev);
	open_inc(e);
	return 0;
}

/* b ended: onto its owner's done list, or counted and freed. */
static void batch_done(struct ms_engine *e, struct ms_batch *b)
{
	struct ms_call *owner = batch_owner(e, b);

	if (owner && owner->has_open_batch &&
	    owner->open_batch == b->node.key)
		owner->has_open_batch = false;
	if (!owner) {
		if (b->lost)
			e->res->lost_batches++;
		else
			e->res->batch_outside++;
		free(b);
		return;
	}
	if (b->lost) {
		owner->lost = true;
		e->res->lost_batches++;
		free(b);
		return;
	}
	b->next = owner->done;
	owner->done = b;
	owner->nr_done++;
	e->pending++;
}

static int on_batch_end(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	struct ms_batch *b = batch_find(e, ev->id);

	if (!b) {
		res->end_without_begin++;
		return 0;
	}
	res->begin_without_end += __builtin_popcount(b->open_phases);
	if (b->open_phases)
		b->bad = true;	/* a phase of it never ended */
	if (ev->ts < b->ts)
		b->bad = true;
	span(res, b->ts, ev->ts);
	b->end_ts = ev->ts;
	b->succeeded = ev->succeeded;
	b->rc = ev->ret;
	mover_clear(e, b->pid, ev->id);
	ms_hash_del(&e->batches, &b->node);
	e->open--;
	batch_done(e, b);
	return 0;
}

static int on_phase_begin(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_batch *b = batch_find(e, ev->id);
	unsigned int bit = 1U << ev->phase;

	if (!b) {
		/* the begin of its batch is not in the trace */
		e->res->end_without_begin++;
		return 0;
	}
	if (b->open_phases & bit) {
		e->res->begin_without_end++;
		b->bad = true;	/* the earlier instance lost its end */
	}
	b->open_phases |= bit;
	b->phase_ts[ev->phase] = ev->ts;
	b->phase_nested[ev->phase] = 0;
	if (ev->phase == MS_PHASE_MOVE)
		return mover_set(e, b->pid, ev->id);
	return 0;
}

static int on_phase_end(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_batch *b = batch_find(e, ev->id);
	enum ms_phase p = ev->phase;
	unsigned int bit = 1U << p;
	u64 d;

	if (!b || !(b->open_phases & bit)) {
		e->res->end_without_begin++;
		return 0;
	}
	b->open_phases &= ~bit;
	d = span(e->res, b->phase_ts[p], ev->ts);
	if (b->phase_nested[p] > d)
		b->bad = true;
	b->self[p] += d - min_u64(d, b->phase_nested[p]);
	b->passes[p]++;
	b->ph_folios[p] += ev->folios;
	b->ph_pages[p] += ev->pages;
	b->ph_failed[p] += ev->failed_folios;
	if (p == MS_PHASE_UNMAP) {
		/* what the later phases work on; sums the passes */
		b->folios = b->unmapped ? b->folios + ev->folios : ev->folios;
		b->pages = b->unmapped ? b->pages + ev->pages : ev->pages;
		b->unmapped = true;
	}
	return 0;
}

static int on_copy_dispatch(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_batch *b = batch_find(e, ev->id);

	if (!b) {
		e->res->end_without_begin++;
		return 0;
	}
	b->dispatched = true;
	snprintf(b->migrator, sizeof(b->migrator), "%s",
		 *ev->name ? ev->name : "?");
	b->nr_dispatch++;
	b->disp_folios += ev->folios;
	b->disp_bytes += ev->bytes;
	b->declined = ev->declined;
	if (ev->rc)
		b->fallbacks++;
	return 0;
}


/* A PTE restored: to the batch of its task in (or past) its move phase. */
static int on_remove_pte(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_mover *m = mover_find(e, ev->pid);
	struct ms_batch *b = m ? batch_find(e, m->id) : NULL;

	if (!b)
		return 0;	/* not in a traced batch: not ours */
	if (ev->ts < b->ts) {
		e->res->negative_spans++;
		return 0;
	}
	if (!b->nr_pte++)
		b->first_pte_ts = ev->ts;
	if (ev->order > 0 && (!b->min_nz_order || ev->order < b->min_nz_order))
		b->min_nz_order = ev->order;
	if (ev->order > b->max_order)
		b->max_order = ev->order;
	return 0;
}

static void mark_task_lost(struct ms_hash_node *n, void *data)
{
	struct ms_task *t = container_of(n, struct ms_task, node);
	struct ms_call *c;

	(void)data;
	for (c = t->top; c; c = c->outer)
		c->lost = true;
	if (t->in_syscall)
		t->sys_lost = true;
}

static void mark_batch_lost(struct ms_hash_node *n, void *data)
{
	(void)data;
	container_of(n, struct ms_batch, node)->lost = true;
}

/*
 * Events were dropped on some CPU before this point: any open object may
 * have lost one of its events, so none of them is trusted.
 */
static int on_lost(struct ms_engine *e)
{
	e->res->lost_gaps++;
	ms_hash_each(&e->tasks, mark_task_lost, NULL);
	ms_hash_each(&e->batches, mark_batch_lost, NULL);
	return 0;
}

int ms_engine_init(struct ms_engine *e, struct ms_results *res)
{
	memset(e, 0, sizeof(*e));
	e->res = res;
	if (ms_hash_init(&e->tasks))
		return -1;
	if (ms_hash_init(&e->batches))
		goto out_tasks;
	if (ms_hash_init(&e->movers))
		goto out_batches;
	return 0;
out_batches:
	ms_hash_free(&e->batches);
out_tasks:
	ms_hash_free(&e->tasks);
	return -1;
}

/* Returns -1 when out of memory, 0 otherwise (bad sequences included). */
int ms_engine_feed(struct ms_engine *e, const struct ms_event *ev)
{
	switch (ev->type) {
	case MS_EV_SYSCALL_ENTER:
		return on_syscall_enter(e, ev);
	case MS_EV_SYSCALL_EXIT:
		return on_syscall_exit(e, ev);
	case MS_EV_CALL_BEGIN:
		return on_call_begin(e, ev);
	case MS_EV_CALL_END:
		return on_call_end(e, ev);
	case MS_EV_BATCH_BEGIN:
		return on_batch_begin(e, ev);
	case MS_EV_BATCH_END:
		return on_batch_end(e, ev);
	case MS_EV_PHASE_BEGIN:
		if ((unsigned int)ev->phase >= MS_NR_PHASES)
			return 0;
		return on_phase_begin(e, ev);
	case MS_EV_PHASE_END:
		if ((unsigned int)ev->phase >= MS_NR_PHASES)
			return 0;
		return on_phase_end(e, ev);
	case MS_EV_COPY_DISPATCH:
		return on_copy_dispatch(e, ev);
	case MS_EV_REMOVE_PTE:
		return on_remove_pte(e, ev);
	case MS_EV_LOST:
		return on_lost(e);
	default:	/* module events: other verbs */
		break;
	}
	return 0;
}

static void drain_batches(struct ms_engine *e)
{
	struct ms_hash_node *n;

	while ((n = ms_hash_pop(&e->batches))) {
		struct ms_batch *b = container_of(n, struct ms_batch, node);

		e->res->begin_without_end +=
			1 + __builtin_popcount(b->open_phases);
		if (b->lost)
			e->res->lost_batches++;
		free(b);
	}
}

static void drain_tasks(struct ms_engine *e)
{
	struct ms_hash_node *n;

	while ((n = ms_hash_pop(&e->tasks))) {
		struct ms_task *t = container_of(n, struct ms_task, node);

		while (t->top)
			call_drop(e, t);
		if (t->in_syscall) {
			e->res->begin_without_end++;
			if (t->sys_lost)
				e->res->lost_syscalls++;
		}
		free(t);
	}
}

/* End of the stream: what is still open never ended. */
void ms_engine_finish(struct ms_engine *e)
{
	struct ms_hash_node *n;

	while ((n = ms_hash_pop(&e->movers)))
		free(container_of(n, struct ms_mover, node));
	drain_batches(e);
	drain_tasks(e);
	ms_hash_free(&e->movers);
	ms_hash_free(&e->batches);
	ms_hash_free(&e->tasks);
	e->open = 0;
}
