// SPDX-License-Identifier: GPL-2.0
/*
 * phase.c - pair begin/end events into syscalls, migrate_pages() calls,
 * batches and phases (see phase.h for the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"

/* One open migrate_pages() call, on its task's stack. */
struct ms_call {
	struct ms_call	*outer;
	u64		ts;
	u64		serial;
	u64		phase_ns;	/* phases of its ended batches */
};

/* A task with an open syscall or call; freed when it has neither. */
struct ms_task {
	struct ms_hash_node	node;		/* key: pid */
	struct ms_call		*top;		/* innermost open call */
	bool			in_syscall;
	u64			sys_ts;
	u64			sys_in_calls;	/* outermost calls, so far */
	u64			sys_work;	/* calls+batches begun inside */
};

/* An open batch. */
struct ms_batch {
	struct ms_hash_node	node;		/* key: batch id */
	u64			ts;
	int			pid;
	bool			in_call;
	u64			call_serial;	/* owner: innermost call */
	u64			phase_ns;	/* its ended phases */
	unsigned int		open_phases;	/* bit per enum ms_phase */
	u64			phase_ts[MS_NR_PHASES];

	u64			folios, pages;	/* begin, then unmap ends */
	bool			unmapped;	/* an unmap end was seen */
	u64			copy_ns;
	bool			dispatched;
	char			migrator[MS_NAME_MAX];
	u64			disp_folios, disp_bytes, fallbacks;
	u64			nr_pte, first_pte_ts;
	s64			min_nz_order, max_order; /* of its PTEs */
};

/* The batch in (or past) its move phase, of a task: PTEs go to it. */
struct ms_mover {
	struct ms_hash_node	node;		/* key: pid */
	u64			id;
};

void ms_results_init(struct ms_results *res)
{
	int p;

	memset(res, 0, sizeof(*res));
	ms_stats_init(&res->syscall);
	ms_stats_init(&res->call);
	ms_stats_init(&res->batch);
	ms_stats_init(&res->first_folio);
	for (p = 0; p < MS_NR_PHASES; p++)
		ms_stats_init(&res->phase[p].time);
}

/* migrate_pages() time not covered by the phases of its batches */
u64 ms_results_unattributed(const struct ms_results *res)
{
	return res->call.total - res->call_attributed;
}

static u64 span(u64 begin, u64 end)
{
	return end > begin ? end - begin : 0;
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

static int on_syscall_enter(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_task *t = task_get(e, ev->pid);

	if (!t)
		return -1;
	if (t->in_syscall)
		e->res->begin_without_end++;	/* its exit was lost */
	else
		open_inc(e);
	t->in_syscall = true;
	t->sys_ts = ev->ts;
	t->sys_in_calls = 0;
	t->sys_work = 0;
	return 0;
}

static int on_syscall_exit(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	struct ms_task *t = task_find(e, ev->pid);
	u64 d;

	if (!t || !t->in_syscall) {
		res->end_without_begin++;
		return 0;
	}
	d = span(t->sys_ts, ev->ts);
	if (!t->sys_work) {
		res->syscall_query++;	/* a query of page nodes */
	} else {
		ms_stats_add(&res->syscall, d);
		res->syscall_outside += d - min_u64(d, t->sys_in_calls);
		if (ev->ret < 0)
			res->syscall_errors++;
	}
	t->in_syscall = false;
	e->open--;
	task_put(e, t);
	return 0;
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
	c->outer = t->top;
	t->top = c;
	if (t->in_syscall)
		t->sys_work++;
	open_inc(e);
	return 0;
}

static int on_call_end(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	struct ms_task *t = task_find(e, ev->pid);
	struct ms_call *c;
	u64 d;

	if (!t || !t->top) {
		res->end_without_begin++;
		return 0;
	}
	c = t->top;
	t->top = c->outer;
	d = span(c->ts, ev->ts);
	ms_stats_add(&res->call, d);
	res->pages_succeeded += ev->succeeded;
	res->pages_failed += ev->failed_pages;
	res->call_attributed += min_u64(c->phase_ns, d);
	if (!t->top && t->in_syscall)
		t->sys_in_calls += d;
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
	b->in_call = t && t->top;
	b->call_serial = b->in_call ? t->top->serial : 0;
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
	if (per & (per - 1) || per > (1ULL << MS_MAX_ORDER))
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

/* An ended batch into the groups by order and migrator, its latency. */
static int batch_account(struct ms_results *res, const struct ms_batch *b,
			 const struct ms_event *end)
{
	struct ms_group_totals *o = &res->by_order[batch_order(b)];
	struct ms_migrator_totals *m;
	u64 d = span(b->ts, end->ts);

	o->batches++;
	o->folios += b->folios;
	o->pages += b->pages;
	o->succeeded += end->succeeded;
	o->total += d;
	o->copy += b->copy_ns;
	m = migrator_get(res, b->dispatched ? b->migrator : "none");
	m->t.batches++;
	m->t.folios += b->dispatched ? b->disp_folios : b->folios;
	m->t.bytes += b->disp_bytes;
	m->t.succeeded += end->succeeded;
	m->t.total += d;
	m->t.copy += b->copy_ns;
	m->t.fallbacks += b->fallbacks;
	if (b->nr_pte) {
		ms_stats_add(&res->first_folio, span(b->ts, b->first_pte_ts));
		res->first_folio_batch_total += d;
	}
	return 0;
}

static int on_batch_begin(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_batch *b = batch_find(e, ev->id);

	if (b) {
		/* the same id again: the previous one never ended */
		e->res->begin_without_end +=
			1 + __builtin_popcount(b->open_phases);
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

static int on_batch_end(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_results *res = e->res;
	struct ms_batch *b = batch_find(e, ev->id);
	struct ms_call *owner;

	if (!b) {
		res->end_without_begin++;
		return 0;
	}
	res->begin_without_end += __builtin_popcount(b->open_phases);
	ms_stats_add(&res->batch, span(b->ts, ev->ts));
	if (ev->ret < 0)
		res->batch_errors++;
	if (batch_account(res, b, ev))
		return -1;
	mover_clear(e, b->pid, ev->id);
	owner = batch_owner(e, b);
	if (owner)
		owner->phase_ns += b->phase_ns;
	else
		res->batch_outside++;
	ms_hash_del(&e->batches, &b->node);
	free(b);
	e->open--;
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
	if (b->open_phases & bit)
		e->res->begin_without_end++;
	b->open_phases |= bit;
	b->phase_ts[ev->phase] = ev->ts;
	if (ev->phase == MS_PHASE_MOVE)
		return mover_set(e, b->pid, ev->id);
	return 0;
}

static int on_phase_end(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_batch *b = batch_find(e, ev->id);
	unsigned int bit = 1U << ev->phase;
	struct ms_phase_totals *pt;
	u64 d;

	if (!b || !(b->open_phases & bit)) {
		e->res->end_without_begin++;
		return 0;
	}
	b->open_phases &= ~bit;
	d = span(b->phase_ts[ev->phase], ev->ts);
	b->phase_ns += d;
	pt = &e->res->phase[ev->phase];
	ms_stats_add(&pt->time, d);
	pt->folios += ev->folios;
	pt->pages += ev->pages;
	pt->failed += ev->failed_folios;
	if (ev->phase == MS_PHASE_COPY)
		b->copy_ns += d;
	if (ev->phase == MS_PHASE_UNMAP) {
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
	b->disp_folios += ev->folios;
	b->disp_bytes += ev->bytes;
	e->res->copy_dispatches++;
	if (ev->rc) {
		b->fallbacks++;
		e->res->copy_fallbacks++;
	}
	return 0;
}

/* A PTE restored: to the batch of its task in (or past) its move phase. */
static int on_remove_pte(struct ms_engine *e, const struct ms_event *ev)
{
	struct ms_mover *m = mover_find(e, ev->pid);
	struct ms_batch *b = m ? batch_find(e, m->id) : NULL;

	if (!b)
		return 0;	/* not in a traced batch: not ours */
	if (!b->nr_pte++)
		b->first_pte_ts = ev->ts;
	if (ev->order > 0 && (!b->min_nz_order || ev->order < b->min_nz_order))
		b->min_nz_order = ev->order;
	if (ev->order > b->max_order)
		b->max_order = ev->order;
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
		free(b);
	}
}

static void drain_tasks(struct ms_engine *e)
{
	struct ms_hash_node *n;

	while ((n = ms_hash_pop(&e->tasks))) {
		struct ms_task *t = container_of(n, struct ms_task, node);

		while (t->top) {
			struct ms_call *c = t->top;

			t->top = c->outer;
			e->res->begin_without_end++;
			free(c);
		}
		if (t->in_syscall)
			e->res->begin_without_end++;
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
