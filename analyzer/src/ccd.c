// SPDX-License-Identifier: GPL-2.0
/*
 * ccd.c - mtcopy workers per CPU, L3 domain and node; per batch
 * imbalance, critical path and overheads.  Definitions: ccd.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
};

void ms_ccd_results_init(struct ms_ccd_results *res)
{
	memset(res, 0, sizeof(*res));
}

void ms_ccd_results_free(struct ms_ccd_results *res)
{
	free(res->cpu);
	free(res->l3);
	free(res->nodes);
	ms_ccd_results_init(res);
}

int ms_ccd_engine_init(struct ms_ccd_engine *e, struct ms_ccd_results *res)
{
	e->res = res;
	return ms_hash_init(&e->batches);
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

/* The CPU's slot, the array grown to hold it; NULL: out of memory. */
static struct ms_ccd_use *cpu_use(struct ms_ccd_results *res, int cpu)
{
	struct ms_ccd_use *u;
	int i, n;

	if (cpu < res->nr_cpu)
		return &res->cpu[cpu];
	n = cpu + 1;
	u = realloc(res->cpu, n * sizeof(*u));
	if (!u)
		return NULL;
	for (i = res->nr_cpu; i < n; i++) {
		memset(&u[i], 0, sizeof(u[i]));
		u[i].id = i;
		u[i].l3 = -1;
		u[i].node = -1;
	}
	res->cpu = u;
	res->nr_cpu = n;
	return &u[cpu];
}

static int charge_cpu(struct ms_ccd_results *res, const struct ms_event *ev,
		      u64 busy)
{
	struct ms_ccd_use *u = cpu_use(res, (int)ev->worker_cpu);

	if (!u)
		return -1;
	u->busy += busy;
	u->bytes += ev->bytes;
	u->workers++;
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
	return charge_cpu(e->res, ev, busy);
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

static int group_l3(struct ms_ccd_results *res, const struct ms_machine *m)
{
	int i;

	res->l3 = calloc(m->nr_l3 ? m->nr_l3 : 1, sizeof(*res->l3));
	if (!res->l3)
		return -1;
	res->nr_l3 = m->nr_l3;
	for (i = 0; i < m->nr_l3; i++) {
		res->l3[i].id = m->l3[i].id;
		res->l3[i].l3 = m->l3[i].id;
		res->l3[i].node = m->l3[i].node;
		res->l3[i].cpus = m->l3[i].cpus;
	}
	for (i = 0; i < res->nr_cpu; i++) {
		int l3 = res->cpu[i].l3;

		if (l3 >= 0 && l3 < res->nr_l3)
			use_add(&res->l3[l3], &res->cpu[i]);
	}
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
 * domain and node, and sum them per domain and node.  Without topology
 * markers the groups stay empty and the CPUs' l3 and node -1.
 */
int ms_ccd_group(struct ms_ccd_results *res, const struct ms_machine *m)
{
	int i;

	free(res->l3);
	free(res->nodes);
	res->l3 = res->nodes = NULL;
	res->nr_l3 = res->nr_nodes = 0;
	res->topology = ms_machine_has_topology(m);
	for (i = 0; i < res->nr_cpu; i++) {
		const struct ms_cpu_topo *t = topo_of(m, i);

		res->cpu[i].l3 = t ? t->l3 : -1;
		res->cpu[i].node = t ? t->node : -1;
	}
	if (!res->topology)
		return 0;
	return group_l3(res, m) || group_nodes(res, m) ? -1 : 0;
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
