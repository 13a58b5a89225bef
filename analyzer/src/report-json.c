// SPDX-License-Identifier: GPL-2.0
/*
 * report-json.c - `migscope report --json` (schema in migscope-report(1)).
 *
 * Times are in the unit given by "time_unit" ("ns" unless the trace clock
 * is x86-tsc with an unknown CPU frequency); shares and per-page values
 * are null when their denominator is 0.
 */
#include <stdbool.h>

#include <jansson.h>

#include "report.h"
#include "verb-common.h"

static json_t *time_of(const struct ms_report *r, u64 ticks)
{
	return ms_json_u64(ms_report_time(r, ticks));
}

static json_t *cpus_json(const struct ms_machine *m)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < m->nr_cpus; i++) {
		const struct ms_cpu_topo *c = &m->cpus[i];

		json_array_append_new(a, json_pack("{s:i, s:i, s:i, s:i, s:i}",
			"cpu", c->cpu, "package", c->package, "die", c->die,
			"node", c->node, "l3", c->l3));
	}
	return a;
}

static json_t *l3_json(const struct ms_machine *m)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < m->nr_l3; i++) {
		const struct ms_l3_domain *d = &m->l3[i];

		json_array_append_new(a, json_pack("{s:i, s:s, s:i}",
			"id", d->id, "cpus", d->cpus, "node", d->node));
	}
	return a;
}

static json_t *nodes_json(const struct ms_machine *m)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < m->nr_nodes; i++) {
		const struct ms_node_topo *n = &m->nodes[i];

		json_array_append_new(a, json_pack("{s:i, s:s, s:I}",
			"node", n->node, "cpus", n->cpus ? n->cpus : "",
			"mem_kb", (json_int_t)n->mem_kb));
	}
	return a;
}

static json_t *topology_json(const struct ms_report *r)
{
	const struct ms_machine *m = &r->machine;

	if (!ms_machine_has_topology(m))
		return json_null();
	return json_pack("{s:o, s:o, s:o}", "cpus", cpus_json(m),
			 "l3_domains", l3_json(m), "nodes", nodes_json(m));
}

static json_t *missing_json(const struct ms_report *r)
{
	const struct ms_event_desc *ev;
	json_t *a = json_array();
	char name[256];
	int i, nr;

	ev = ms_catalog_events(&nr);
	for (i = 0; a && i < nr; i++) {
		if (!r->missing[i])
			continue;
		snprintf(name, sizeof(name), "%s:%s", ev[i].system,
			 ev[i].name);
		json_array_append_new(a, json_string(name));
	}
	return a;
}

/* The kinds of system call that occur, each with its own figures. */
static json_t *by_syscall_json(const struct ms_report *r)
{
	const struct ms_syscall_totals *s;
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < MS_NR_SYSCALLS; i++) {
		s = &r->res->by_syscall[i];
		if ((s->count || s->query) && json_array_append_new(a,
			json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
				  "syscall", ms_syscall_name(i),
				  "count", ms_json_u64(s->count),
				  "failed", ms_json_u64(s->errors),
				  "query_only", ms_json_u64(s->query),
				  "total_ns", time_of(r, s->total),
				  "max_ns", time_of(r, s->max),
				  "outside_migrate_pages_ns",
				  time_of(r, s->outside)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *syscalls_json(const struct ms_report *r)
{
	const struct ms_results *res = r->res;

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
			 "count", ms_json_u64(res->syscall.count),
			 "query_only", ms_json_u64(res->syscall_query),
			 "total_ns", time_of(r, res->syscall.total),
			 "max_ns", time_of(r, res->syscall.max),
			 "outside_migrate_pages_ns",
			 time_of(r, res->syscall_outside),
			 "by_syscall", by_syscall_json(r));
}

static json_t *calls_json(const struct ms_report *r)
{
	const struct ms_results *res = r->res;
	const struct ms_stats *s = &res->call;

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "count", ms_json_u64(s->count),
			 "pages_succeeded", ms_json_u64(res->pages_succeeded),
			 "pages_failed", ms_json_u64(res->pages_failed),
			 "bytes",
			 ms_json_u64(res->pages_succeeded * r->page_size),
			 "total_ns", time_of(r, s->total),
			 "mean_ns", time_of(r, ms_stats_mean(s)),
			 "p50_ns", time_of(r, ms_stats_percentile(s, 50)),
			 "p90_ns", time_of(r, ms_stats_percentile(s, 90)),
			 "p99_ns", time_of(r, ms_stats_percentile(s, 99)),
			 "max_ns", time_of(r, s->max));
}

static json_t *phase_json(const struct ms_report *r, enum ms_phase p)
{
	const struct ms_phase_totals *pt = &r->res->phase[p];
	const struct ms_stats *s = &pt->time;
	double per_page = ms_report_per_page(r, s->total, pt->pages);

	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			 " s:o, s:o, s:o, s:o}",
			 "phase", ms_phase_name(p),
			 "count", ms_json_u64(s->count),
			 "folios", ms_json_u64(pt->folios),
			 "pages", ms_json_u64(pt->pages),
			 "failed", ms_json_u64(pt->failed),
			 "total_ns", time_of(r, s->total),
			 "mean_ns", time_of(r, ms_stats_mean(s)),
			 "p50_ns", time_of(r, ms_stats_percentile(s, 50)),
			 "p90_ns", time_of(r, ms_stats_percentile(s, 90)),
			 "p99_ns", time_of(r, ms_stats_percentile(s, 99)),
			 "max_ns", time_of(r, s->max),
			 "ns_per_page", ms_json_real(per_page),
			 "cycles_per_page", ms_json_real(
				ms_timebase_cycles(&r->tb, per_page)),
			 "share", ms_json_real(ms_report_share(r, s->total)));
}

static json_t *phases_json(const struct ms_report *r)
{
	json_t *a = json_array();
	int p;

	for (p = 0; a && p < MS_NR_PHASES; p++)
		json_array_append_new(a, phase_json(r, p));
	return a;
}

static json_t *throughput_json(const struct ms_report *r)
{
	u64 bytes = ms_report_bytes_migrated(r), t = r->res->call.total;

	return json_pack("{s:o, s:o, s:o}", "bytes", ms_json_u64(bytes),
			 "total_ns", time_of(r, t),
			 "gbps", ms_json_real(ms_report_gbps(r, bytes, t)));
}

static json_t *copy_fraction_of(const struct ms_report *r, u64 copy,
				u64 total)
{
	if (!r->res->phase[MS_PHASE_COPY].time.count)
		return json_null();
	return ms_json_real(ms_report_ratio(copy, total));
}

static json_t *order_json(const struct ms_report *r, int order)
{
	const struct ms_group_totals *g = &r->res->by_order[order];
	u64 fb, bytes = g->succeeded * r->page_size;
	bool mixed = ms_report_order_bytes(r, order, &fb);

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "order", mixed ? json_string("mixed") :
					  json_integer(order),
			 "folio_bytes", mixed ? json_null() : ms_json_u64(fb),
			 "batches", ms_json_u64(g->batches),
			 "folios", ms_json_u64(g->folios),
			 "pages", ms_json_u64(g->pages),
			 "bytes", ms_json_u64(bytes),
			 "total_ns", time_of(r, g->total),
			 "copy_ns", time_of(r, g->copy),
			 "copy_fraction", copy_fraction_of(r, g->copy, g->total),
			 "gbps", ms_json_real(ms_report_gbps(r, bytes,
							     g->total)));
}

static json_t *by_order_json(const struct ms_report *r)
{
	json_t *a = json_array();
	int o;

	for (o = 0; a && o < MS_NR_ORDERS; o++)
		if (r->res->by_order[o].batches)
			json_array_append_new(a, order_json(r, o));
	return a;
}

static json_t *by_migrator_json(const struct ms_report *r)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < r->res->nr_migrators; i++) {
		const struct ms_migrator_totals *m = &r->res->by_migrator[i];

		json_array_append_new(a, json_pack(
			"{s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
			"migrator", m->name,
			"batches", ms_json_u64(m->t.batches),
			"folios", ms_json_u64(m->t.folios),
			"bytes", ms_json_u64(m->t.bytes),
			"copy_ns", time_of(r, m->t.copy),
			"gbps_copy", ms_json_real(ms_report_gbps(r, m->t.bytes,
								 m->t.copy)),
			"fallbacks", ms_json_u64(m->t.fallbacks)));
	}
	return a;
}

static json_t *first_folio_json(const struct ms_report *r)
{
	const struct ms_results *res = r->res;
	const struct ms_stats *s = &res->first_folio;

	if (!r->has[MS_GROUP_PTE])
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
			 "count", ms_json_u64(s->count),
			 "mean_ns", time_of(r, ms_stats_mean(s)),
			 "p50_ns", time_of(r, ms_stats_percentile(s, 50)),
			 "p99_ns", time_of(r, ms_stats_percentile(s, 99)),
			 "max_ns", time_of(r, s->count ? s->max : 0),
			 "batch_mean_ns", time_of(r, s->count ?
				res->first_folio_batch_total / s->count : 0));
}

/* {"reason": N, "size": N, "busy": N, "other": N}: declined batches */
static json_t *declined_json(const u64 *declined)
{
	json_t *o = json_object();
	int i;

	for (i = 1; o && i <= MS_NR_DECLINES; i++)
		json_object_set_new(o, ms_decline_name(i % MS_NR_DECLINES),
				    ms_json_u64(declined[i % MS_NR_DECLINES]));
	return o;
}

/* F, GB/s and the groups by folio order and migrator. */
static int copy_json(const struct ms_report *r, json_t *root)
{
	return json_object_set_new(root, "copy_fraction", ms_json_real(
			ms_report_copy_fraction(r))) ||
	       json_object_set_new(root, "throughput", throughput_json(r)) ||
	       json_object_set_new(root, "copy_dispatch", json_pack(
			"{s:o, s:o, s:o}",
			"count", ms_json_u64(r->res->copy_dispatches),
			"fallbacks", ms_json_u64(r->res->copy_fallbacks),
			"declined", declined_json(r->res->copy_declined))) ||
	       json_object_set_new(root, "by_order", by_order_json(r)) ||
	       json_object_set_new(root, "by_migrator", by_migrator_json(r)) ||
	       json_object_set_new(root, "first_folio_latency",
				   first_folio_json(r));
}

static json_t *nested_reason_json(const struct ms_report *r, int reason)
{
	const struct ms_nested_totals *n = &r->res->nested[reason];

	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}",
			 "reason", ms_reason_name(reason),
			 "calls", ms_json_u64(n->calls),
			 "pages", ms_json_u64(n->pages),
			 "batches", ms_json_u64(n->batches),
			 "total_ns", time_of(r, n->total),
			 "share", ms_json_real(ms_report_share(r, n->total)));
}

/* Calls inside the outermost ones: their own rows, by reason. */
static json_t *nested_json(const struct ms_report *r)
{
	struct ms_nested_totals sum;
	json_t *a = json_array();
	int i;

	ms_results_nested_sum(r->res, &sum);
	for (i = 0; a && i <= MS_NR_REASONS; i++)
		if (r->res->nested[i].calls)
			json_array_append_new(a, nested_reason_json(r, i));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "calls", ms_json_u64(sum.calls),
			 "pages", ms_json_u64(sum.pages),
			 "batches", ms_json_u64(sum.batches),
			 "total_ns", time_of(r, sum.total),
			 "share", ms_json_real(ms_report_share(r, sum.total)),
			 "deeper_calls", ms_json_u64(r->res->nested_deep),
			 "by_reason", a);
}

/* Lost events, and what the engine left out because of them. */
static json_t *lost_json(const struct ms_report *r)
{
	json_t *o = ms_json_lost(&r->scan);

	if (!o || json_object_set_new(o, "calls",
				      ms_json_u64(r->res->lost_calls)) ||
	    json_object_set_new(o, "batches",
				ms_json_u64(r->res->lost_batches)) ||
	    json_object_set_new(o, "syscalls",
				ms_json_u64(r->res->lost_syscalls))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Each phase's share of a reason's time: {"unmap": X, ...} */
static json_t *reason_phases_json(const struct ms_report *r,
				  const struct ms_reason_totals *rt)
{
	json_t *o = json_object();
	int p;

	(void)r;
	for (p = 0; o && p < MS_NR_PHASES; p++)
		if (json_object_set_new(o, ms_phase_name(p), ms_json_real(
			ms_report_ratio(rt->phase[p], rt->time.total)))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static json_t *batch_size_json(const struct ms_stats *s)
{
	return json_pack("{s:o, s:o, s:o, s:o}",
			 "p50", ms_json_u64(ms_stats_percentile(s, 50)),
			 "p99", ms_json_u64(ms_stats_percentile(s, 99)),
			 "max", ms_json_u64(s->max),
			 "mean", ms_json_real(ms_report_ratio(s->total,
							      s->count)));
}

/* true, false, or null when the recorded offload_reasons are not known */
static json_t *offload_json(const struct ms_report *r, int reason)
{
	int off = ms_report_reason_offloaded(r, reason);

	return off < 0 ? json_null() : json_boolean(off);
}

/* A reason's batches against the migrator's threshold (null: none known) */
static json_t *callers_json(const struct ms_report *r,
			    const struct ms_reason_totals *rt, int reason)
{
	if (!r->res->threshold.known)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "judged_batches", ms_json_u64(rt->judged),
			 "below_batches", ms_json_u64(rt->below),
			 "below_share", ms_json_real(ms_report_ratio(
				rt->below, rt->judged)),
			 "judged_bytes", ms_json_u64(rt->judged_bytes),
			 "below_bytes", ms_json_u64(rt->below_bytes),
			 "below_bytes_share", ms_json_real(ms_report_ratio(
				rt->below_bytes, rt->judged_bytes)),
			 "offload", offload_json(r, reason));
}

static json_t *reason_json(const struct ms_report *r, int i)
{
	const struct ms_reason_totals *rt = &r->res->by_reason[i];
	u64 total = rt->time.total, un = ms_reason_unattributed(rt);
	u64 bytes = rt->pages_succeeded * r->page_size;

	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			 " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "reason", ms_reason_name(i),
			 "calls", ms_json_u64(rt->calls),
			 "pages_succeeded", ms_json_u64(rt->pages_succeeded),
			 "pages_failed", ms_json_u64(rt->pages_failed),
			 "total_ns", time_of(r, total),
			 "max_ns", time_of(r, rt->time.max),
			 "share", ms_json_real(ms_report_share(r, total)),
			 "batches", ms_json_u64(rt->batches),
			 "batch_folios", batch_size_json(&rt->batch_folios),
			 "batch_pages", batch_size_json(&rt->batch_pages),
			 "batch_bytes", batch_size_json(&rt->batch_bytes),
			 "callers", callers_json(r, rt, i),
			 "phase_share", reason_phases_json(r, rt),
			 "nested_ns", time_of(r, rt->nested),
			 "unattributed_ns", time_of(r, un),
			 "copy_fraction", ms_json_real(
				ms_report_group_copy_fraction(r, rt)),
			 "bytes", ms_json_u64(bytes),
			 "gbps", ms_json_real(ms_report_gbps(r, bytes, total)),
			 "offloaded_batches", ms_json_u64(rt->offloaded),
			 "declined_batches", declined_json(rt->declined));
}

/* The outermost calls by reason and by mode, those that occur. */
static int by_reason_json(const struct ms_report *r, json_t *root)
{
	json_t *reasons = json_array(), *modes = json_array();
	const struct ms_reason_totals *m;
	int i, err = !reasons || !modes;

	for (i = 0; !err && i <= MS_NR_REASONS; i++)
		if (r->res->by_reason[i].calls)
			err = json_array_append_new(reasons,
						    reason_json(r, i));
	for (i = 0; !err && i <= MS_NR_MODES; i++) {
		m = &r->res->by_mode[i];
		if (m->calls)
			err = json_array_append_new(modes, json_pack(
				"{s:s, s:o, s:o, s:o}",
				"mode", ms_mode_name(i),
				"calls", ms_json_u64(m->calls),
				"total_ns", time_of(r, m->time.total),
				"pages_succeeded",
				ms_json_u64(m->pages_succeeded)));
	}
	if (err) {
		json_decref(reasons);
		json_decref(modes);
		return -1;
	}
	return json_object_set_new(root, "by_reason", reasons) ||
	       json_object_set_new(root, "by_mode", modes);
}

/* The threshold the callers rows are judged by, and where it came from */
static json_t *threshold_json(const struct ms_report *r)
{
	const struct ms_threshold *t = &r->res->threshold;
	const struct ms_machine *m = &r->machine;

	if (!t->known)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o}",
			 "from", ms_json_str(r->threshold_from),
			 "migrator", ms_json_str(m->migrator),
			 "offload_reasons", ms_json_str(m->offload_reasons),
			 "min_folios", t->min_folios < 0 ? json_null() :
				ms_json_u64(t->min_folios),
			 "min_bytes", t->min_bytes < 0 ? json_null() :
				ms_json_u64(t->min_bytes));
}

static json_t *tail_json(const struct ms_report *r, json_t *root)
{
	u64 un = ms_results_unattributed(r->res);

	if (!root)
		return NULL;
	if (copy_json(r, root) || by_reason_json(r, root) ||
	    json_object_set_new(root, "threshold", threshold_json(r)) ||
	    json_object_set_new(root, "nested", nested_json(r)) ||
	    json_object_set_new(root, "unattributed", json_pack("{s:o, s:o}",
			"total_ns", time_of(r, un),
			"share", ms_json_real(ms_report_share(r, un)))) ||
	    json_object_set_new(root, "unpaired", json_pack("{s:o, s:o}",
			"begin_without_end",
			ms_json_u64(r->res->begin_without_end),
			"end_without_begin",
			ms_json_u64(r->res->end_without_begin))) ||
	    json_object_set_new(root, "lost_events", lost_json(r)) ||
	    json_object_set_new(root, "left_out", json_pack("{s:o, s:o, s:o}",
			"batches_outside_calls",
			ms_json_u64(r->res->batch_outside),
			"inconsistent_calls",
			ms_json_u64(r->res->inconsistent),
			"negative_spans",
			ms_json_u64(r->res->negative_spans)))) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static json_t *report_json(const struct ms_report *r)
{
	json_t *root;

	root = json_pack("{s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:s, s:o,"
			 " s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "tool", "migscope",
			 "version", MS_VERSION,
			 "schema_version", MS_SCHEMA_VERSION,
			 "trace", r->path,
			 "kernel", ms_json_kernel(&r->machine),
			 "clock", ms_json_str(r->tb.assumed ? NULL :
						      r->tb.clock),
			 "page_size", ms_json_u64(r->page_size),
			 "environment", ms_json_environment(r),
			 "time_unit", r->tb.unit,
			 "timebase", ms_timebase_json(&r->tb),
			 "topology", topology_json(r),
			 "series", r->has[MS_GROUP_SERIES],
			 "missing_events", missing_json(r),
			 "record_hint", r->nr_missing ?
					json_string(r->record_hint) :
					json_null(),
			 "syscalls", syscalls_json(r),
			 "calls", calls_json(r),
			 "batches", json_pack("{s:o, s:o}",
				"count", ms_json_u64(r->res->batch.count),
				"total_ns", time_of(r, r->res->batch.total)),
			 "phases", phases_json(r));
	return tail_json(r, root);
}

int ms_report_json(const struct ms_report *r, FILE *out)
{
	return ms_json_dump(report_json(r), &r->tb, out);
}
