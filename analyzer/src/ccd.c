// SPDX-License-Identifier: GPL-2.0
/*
 * ccd.c - mtcopy workers per CPU, L3 domain and node; per batch
 * imbalance, critical path and overheads.  Definitions: ccd.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "ccd.h"

struct ccd_worker {
	u64	begin;
	bool	open;
	bool	lost;		/* open across a gap */
};

struct ccd_batch {
	struct ms_hash_node	node;
	bool			lost;		/* open across a gap */
	bool			dispatched;
	bool			begun;		/* a worker began */
	u64			dispatch;
	u64			first_begin;
	u64			last_end;
	u64			nr_done;	/* workers ended */
	u64			sum_busy;
	u64			max_busy;
	struct ccd_worker	*w;
	u32			nr_w;
	int			reason;		/* index, of its batch begin */
	int			mode;		/* index, of its batch begin */
};

/* An open migrate_pages_batch(): the reason its mtcopy batch gets. */
struct ccd_open {
	struct ms_hash_node	node;		/* key: batch id */
	int			reason;		/* ms_reason_index() */
	int			mode;		/* ms_mode_index() */
};

void ms_ccd_results_init(struct ms_ccd_results *res)
{
	memset(res, 0, sizeof(*res));
}

void ms_ccd_results_free(struct ms_ccd_results *res)
{
	int i;

	for (i = 0; i <= MS_NR_REASONS; i++) {
		free(res->by_reason[i].cpu);
		free(res->by_reason[i].l3);
	}
	for (i = 0; i <= MS_NR_MODES; i++) {
		free(res->by_mode[i].cpu);
		free(res->by_mode[i].l3);
	}
	free(res->cpu);
	free(res->l3);
	free(res->nodes);
	ms_ccd_results_init(res);
}

int ms_ccd_engine_init(struct ms_ccd_engine *e, struct ms_ccd_results *res)
{
	e->res = res;
	if (ms_hash_init(&e->batches))
		return -1;
	if (ms_hash_init(&e->reasons)) {
		ms_hash_free(&e->batches);
		return -1;
	}
	return 0;
}

static void batch_free(struct ccd_batch *b)
{
	free(b->w);
	free(b);
}

/* Open batches and workers still running count as incomplete. */
static void batch_drop(struct ms_ccd_engine *e, struct ccd_batch *b)
{
	u32 i;

	for (i = 0; i < b->nr_w; i++)
		e->res->unpaired += b->w[i].open;
	e->res->incomplete++;
	batch_free(b);
}

void ms_ccd_finish(struct ms_ccd_engine *e)
{
	struct ms_hash_node *n;

	if (!e->batches.buckets)
		return;
	while ((n = ms_hash_pop(&e->batches)))
		batch_drop(e, container_of(n, struct ccd_batch, node));
	ms_hash_free(&e->batches);
	while ((n = ms_hash_pop(&e->reasons)))
		free(container_of(n, struct ccd_open, node));
	ms_hash_free(&e->reasons);
}

static struct ccd_open *open_find(struct ms_ccd_engine *e, u64 id)
{
	struct ms_hash_node *n = ms_hash_find(&e->reasons, id);

	return n ? container_of(n, struct ccd_open, node) : NULL;
}

/* A migrate batch began: its reason, for its mtcopy batch. */
static int on_batch_begin(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	struct ccd_open *o = open_find(e, ev->id);

	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return -1;
		o->node.key = ev->id;
		if (ms_hash_add(&e->reasons, &o->node)) {
			free(o);
			return -1;
		}
	}
	o->reason = ms_reason_index(ev->reason);
	o->mode = ms_mode_index(ev->mode);
	return 0;
}

/* The reason and mode indexes of migrate batch id; unknown when not open */
static void group_of(struct ms_ccd_engine *e, u64 id, int *reason, int *mode)
{
	struct ccd_open *o = open_find(e, id);

	*reason = o ? o->reason : MS_NR_REASONS;
	*mode = o ? o->mode : MS_NR_MODES;
}

static void on_batch_end(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	struct ccd_open *o = open_find(e, ev->id);

	if (!o)
		return;
	ms_hash_del(&e->reasons, &o->node);
	free(o);
}

static struct ccd_batch *batch_find(struct ms_ccd_engine *e, u64 id)
{
	struct ms_hash_node *n = ms_hash_find(&e->batches, id);

	return n ? container_of(n, struct ccd_batch, node) : NULL;
}

/* The batch of id, created when it is not open; NULL: out of memory. */
static struct ccd_batch *batch_get(struct ms_ccd_engine *e, u64 id)
{
	struct ccd_batch *b = batch_find(e, id);

	if (b)
		return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->node.key = id;
	group_of(e, id, &b->reason, &b->mode);
	if (ms_hash_add(&e->batches, &b->node)) {
		free(b);
		return NULL;
	}
	return b;
}

static void batch_close(struct ms_ccd_engine *e, struct ccd_batch *b)
{
	ms_hash_del(&e->batches, &b->node);
}

static void note_policy(struct ms_ccd_results *res, const char *policy,
			u64 threads)
{
	if (!res->dispatches++) {
		snprintf(res->policy, sizeof(res->policy), "%s", policy);
		res->threads = threads;
		return;
	}
	if (strcmp(res->policy, policy))
		res->policy_mixed = true;
	if (res->threads != threads)
		res->threads_mixed = true;
}

static int on_dispatch(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	struct ccd_batch *b = batch_find(e, ev->id);

	if (b && b->dispatched) {	/* the id again: drop the old one */
		batch_close(e, b);
		batch_drop(e, b);
		b = NULL;
	}
	if (!b)
		b = batch_get(e, ev->id);
	if (!b)
		return -1;
	b->dispatched = true;
	b->dispatch = ev->ts;
	note_policy(e->res, ev->name, ev->threads);
	return 0;
}

static int worker_slot(struct ccd_batch *b, u64 worker)
{
	struct ccd_worker *w;
	u32 n;

	if (worker < b->nr_w)
		return 0;
	n = b->nr_w ? b->nr_w : 4;
	while (n <= worker)
		n *= 2;
	w = realloc(b->w, n * sizeof(*w));
	if (!w)
		return -1;
	memset(w + b->nr_w, 0, (n - b->nr_w) * sizeof(*w));
	b->w = w;
	b->nr_w = n;
	return 0;
}

static bool bad_worker(struct ms_ccd_results *res, const struct ms_event *ev)
{
	if (ev->worker < MS_CCD_MAX_WORKERS && ev->worker_cpu >= 0 &&
	    ev->worker_cpu <= MS_MAX_CPU)
		return false;
	res->bad_events++;
	return true;
}

static int on_worker_begin(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	struct ccd_batch *b;
	struct ccd_worker *w;

	if (bad_worker(e->res, ev))
		return 0;
	b = batch_get(e, ev->id);
	if (!b || worker_slot(b, ev->worker))
		return -1;
	w = &b->w[ev->worker];
	/* a begin twice: the first one is lost */
	e->res->unpaired += w->open;
	w->open = true;
	w->lost = false;
	w->begin = ev->ts;
	if (!b->begun || ev->ts < b->first_begin)
		b->first_begin = ev->ts;
	b->begun = true;
	return 0;
}

/* The CPU's slot of *cpus, grown to hold it; NULL: out of memory. */
static struct ms_ccd_use *cpu_use(struct ms_ccd_use **cpus, int *nr, int cpu)
{
	struct ms_ccd_use *u;
	int i, n;

	if (cpu < *nr)
		return &(*cpus)[cpu];
	n = cpu + 1;
	u = realloc(*cpus, n * sizeof(*u));
	if (!u)
		return NULL;
	for (i = *nr; i < n; i++) {
		memset(&u[i], 0, sizeof(u[i]));
		u[i].id = i;
		u[i].l3 = -1;
		u[i].node = -1;
	}
	*cpus = u;
	*nr = n;
	return &u[cpu];
}

static void use_charge(struct ms_ccd_use *u, u64 busy, u64 bytes)
{
	u->busy += busy;
	u->bytes += bytes;
	u->workers++;
}

/* A worker run into one group (a reason's or a mode's runs). */
static int charge_group(struct ms_ccd_reason *r, int cpu, u64 busy, u64 bytes)
{
	struct ms_ccd_use *ru = cpu_use(&r->cpu, &r->nr_cpu, cpu);

	if (!ru)
		return -1;
	use_charge(ru, busy, bytes);
	use_charge(&r->all, busy, bytes);
	return 0;
}

/* A worker run of batch b. */
static int charge_cpu(struct ms_ccd_results *res, const struct ms_event *ev,
		      u64 busy, const struct ccd_batch *b)
{
	int cpu = (int)ev->worker_cpu;
	struct ms_ccd_use *u = cpu_use(&res->cpu, &res->nr_cpu, cpu);

	if (!u ||
	    charge_group(&res->by_reason[b->reason], cpu, busy, ev->bytes) ||
	    charge_group(&res->by_mode[b->mode], cpu, busy, ev->bytes))
		return -1;
	use_charge(u, busy, ev->bytes);
	res->busy += busy;
	res->bytes += ev->bytes;
	res->worker_errors += ev->rc != 0;
	return 0;
}

static int on_worker_end(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	struct ccd_batch *b;
	struct ccd_worker *w;
	u64 busy;

	if (bad_worker(e->res, ev))
		return 0;
	b = batch_find(e, ev->id);
	if (!b || ev->worker >= b->nr_w || !b->w[ev->worker].open) {
		e->res->unpaired++;
		return 0;
	}
	w = &b->w[ev->worker];
	w->open = false;
	if (w->lost) {
		e->res->lost_workers++;	/* not charged to its CPU */
		return 0;
	}
	if (ev->ts >= w->begin) {
		busy = ev->ts - w->begin;
	} else {
		busy = 0;
		e->res->negative_spans++;	/* counted, read as 0 */
	}
	b->sum_busy += busy;
	if (busy > b->max_busy)
		b->max_busy = busy;
	if (ev->ts > b->last_end)
		b->last_end = ev->ts;
	b->nr_done++;
	return charge_cpu(e->res, ev, busy, b);
}

static void ratio_add(struct ms_ccd_ratio *r, double v)
{
	r->sum += v;
	if (!r->count || v > r->max)
		r->max = v;
	r->count++;
}

static u64 diff_or_0(u64 later, u64 earlier)
{
	return later > earlier ? later - earlier : 0;
}

static void batch_account(struct ms_ccd_results *res,
			  const struct ccd_batch *b, u64 done)
{
	u64 wall = diff_or_0(done, b->dispatch);

	res->batches++;
	res->by_reason[b->reason].batches++;
	res->by_mode[b->mode].batches++;
	res->workers_busy += b->sum_busy;
	res->task_wall += wall;
	if (!b->nr_done)
		return;
	res->dispatch_oh += diff_or_0(b->first_begin, b->dispatch);
	res->wait_oh += diff_or_0(done, b->last_end);
	res->nr_oh++;
	if (wall)
		ratio_add(&res->critical, (double)b->max_busy / wall);
	if (b->sum_busy)
		ratio_add(&res->imbalance, (double)b->max_busy * b->nr_done /
					   b->sum_busy);
}

static int on_done(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	struct ccd_batch *b = batch_find(e, ev->id);

	e->res->batch_errors += ev->rc != 0;
	if (!b) {
		e->res->incomplete++;
		return 0;
	}
	batch_close(e, b);
	if (b->lost) {
		e->res->lost_batches++;
		batch_free(b);
		return 0;
	}
	if (!b->dispatched) {
		batch_drop(e, b);
		return 0;
	}
	batch_account(e->res, b, ev->ts);
	batch_free(b);
	return 0;
}

static void mark_lost(struct ms_hash_node *n, void *data)
{
	struct ccd_batch *b = container_of(n, struct ccd_batch, node);
	u32 i;

	(void)data;
	b->lost = true;
	for (i = 0; i < b->nr_w; i++)
		b->w[i].lost |= b->w[i].open;
}

int ms_ccd_feed(struct ms_ccd_engine *e, const struct ms_event *ev)
{
	switch (ev->type) {
	case MS_EV_LOST:
		ms_hash_each(&e->batches, mark_lost, NULL);
		return 0;
	case MS_EV_MT_DISPATCH:
		return on_dispatch(e, ev);
	case MS_EV_MT_WORKER_BEGIN:
		return on_worker_begin(e, ev);
	case MS_EV_MT_WORKER_END:
		return on_worker_end(e, ev);
	case MS_EV_MT_DONE:
		return on_done(e, ev);
	case MS_EV_BATCH_BEGIN:
		return on_batch_begin(e, ev);
	case MS_EV_BATCH_END:
		on_batch_end(e, ev);
		return 0;
	default:
		return 0;
	}
}

/* ---- grouping by the topology markers --------------------------------- */

static const struct ms_cpu_topo *topo_of(const struct ms_machine *m, int cpu)
{
	int lo = 0, hi = m->nr_cpus - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (m->cpus[mid].cpu == cpu)
			return &m->cpus[mid];
		if (m->cpus[mid].cpu < cpu)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static void use_add(struct ms_ccd_use *dst, const struct ms_ccd_use *src)
{
	dst->busy += src->busy;
	dst->bytes += src->bytes;
	dst->workers += src->workers;
}

/* Give each of cpus[nr] its L3 domain and node (-1: unknown). */
static void place_cpus(struct ms_ccd_use *cpus, int nr,
		       const struct ms_machine *m)
{
	int i;

	for (i = 0; i < nr; i++) {
		const struct ms_cpu_topo *t = topo_of(m, i);

		cpus[i].l3 = t ? t->l3 : -1;
		cpus[i].node = t ? t->node : -1;
	}
}

/*
 * The first nr_l3 L3 domains of m, each with the sums of its CPUs of
 * cpus[nr]; the CPUs of no such domain are added to *none (if given).
 */
static struct ms_ccd_use *l3_sums(const struct ms_machine *m, int nr_l3,
				  const struct ms_ccd_use *cpus, int nr,
				  struct ms_ccd_use *none)
{
	struct ms_ccd_use *l3 = calloc(nr_l3 ? nr_l3 : 1, sizeof(*l3));
	int i;

	if (!l3)
		return NULL;
	for (i = 0; i < nr_l3; i++) {
		l3[i].id = m->l3[i].id;
		l3[i].l3 = m->l3[i].id;
		l3[i].node = m->l3[i].node;
		l3[i].cpus = m->l3[i].cpus;
	}
	for (i = 0; i < nr; i++) {
		int d = cpus[i].l3;

		if (d >= 0 && d < nr_l3)
			use_add(&l3[d], &cpus[i]);
		else if (none)
			use_add(none, &cpus[i]);
	}
	return l3;
}

static int group_l3(struct ms_ccd_results *res, const struct ms_machine *m)
{
	res->l3 = l3_sums(m, m->nr_l3, res->cpu, res->nr_cpu, NULL);
	if (!res->l3)
		return -1;
	res->nr_l3 = m->nr_l3;
	return 0;
}

/* One group (reason or mode) by the L3 domains of the results */
static int group_one(struct ms_ccd_results *res, struct ms_ccd_reason *r,
		     const struct ms_machine *m)
{
	free(r->l3);
	memset(&r->no_l3, 0, sizeof(r->no_l3));
	r->no_l3.id = r->no_l3.l3 = r->no_l3.node = -1;
	place_cpus(r->cpu, r->nr_cpu, m);
	r->l3 = l3_sums(m, res->nr_l3, r->cpu, r->nr_cpu, &r->no_l3);
	return r->l3 ? 0 : -1;
}

/* Each reason, then each mode, by the L3 domains (none without topology) */
static int group_reasons(struct ms_ccd_results *res,
			 const struct ms_machine *m)
{
	int i;

	for (i = 0; i <= MS_NR_REASONS; i++)
		if (group_one(res, &res->by_reason[i], m))
			return -1;
	for (i = 0; i <= MS_NR_MODES; i++)
		if (group_one(res, &res->by_mode[i], m))
			return -1;
	return 0;
}

static int node_index(const struct ms_ccd_results *res, int node)
{
	int i;

	for (i = 0; i < res->nr_nodes; i++)
		if (res->nodes[i].id == node)
			return i;
	return -1;
}

/* Add node to the sorted list (room for it was allocated). */
static void node_insert(struct ms_ccd_results *res, int node)
{
	int i;

	if (node < 0 || node_index(res, node) >= 0)
		return;
	for (i = res->nr_nodes; i > 0 && res->nodes[i - 1].id > node; i--)
		res->nodes[i] = res->nodes[i - 1];
	memset(&res->nodes[i], 0, sizeof(res->nodes[i]));
	res->nodes[i].id = node;
	res->nodes[i].node = node;
	res->nodes[i].l3 = -1;
	res->nr_nodes++;
}

static int group_nodes(struct ms_ccd_results *res, const struct ms_machine *m)
{
	int i;

	res->nodes = calloc(m->nr_nodes + m->nr_cpus + 1,
			    sizeof(*res->nodes));
	if (!res->nodes)
		return -1;
	for (i = 0; i < m->nr_nodes; i++)
		node_insert(res, m->nodes[i].node);
	for (i = 0; i < m->nr_cpus; i++)
		node_insert(res, m->cpus[i].node);
	for (i = 0; i < res->nr_cpu; i++) {
		int n = node_index(res, res->cpu[i].node);

		if (n >= 0)
			use_add(&res->nodes[n], &res->cpu[i]);
	}
	return 0;
}

/*
 * After the scan and ms_machine_finish(): give each worker CPU its L3
 * domain and node, and sum them per domain and node, in all and per
 * reason.  Without topology markers the groups stay empty, the CPUs' l3
 * and node -1, and each reason's runs are all in its no_l3.
 */
int ms_ccd_group(struct ms_ccd_results *res, const struct ms_machine *m)
{
	free(res->l3);
	free(res->nodes);
	res->l3 = res->nodes = NULL;
	res->nr_l3 = res->nr_nodes = 0;
	res->topology = ms_machine_has_topology(m);
	place_cpus(res->cpu, res->nr_cpu, m);
	if (res->topology && (group_l3(res, m) || group_nodes(res, m)))
		return -1;
	return group_reasons(res, m);
}

/* ---- figures ------------------------------------------------------------ */

/* Share of all worker busy time; NAN without any. */
double ms_ccd_share(const struct ms_ccd_results *res, u64 busy)
{
	return res->busy ? (double)busy / res->busy : NAN;
}

double ms_ccd_mean(const struct ms_ccd_ratio *r)
{
	return r->count ? r->sum / r->count : NAN;
}

double ms_ccd_max(const struct ms_ccd_ratio *r)
{
	return r->count ? r->max : NAN;
}

/* Worker CPU time per unit of the task's copy wall time. */
double ms_ccd_cpu_ratio(const struct ms_ccd_results *res)
{
	return res->task_wall ? (double)res->workers_busy / res->task_wall :
				NAN;
}
