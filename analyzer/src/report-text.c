// SPDX-License-Identifier: GPL-2.0
/*
 * report-text.c - the human-readable report: header, phase table, calls,
 * batches, syscalls, unpaired events.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "report.h"

#define COL	11
#define LABEL	13	/* the phase column, wider for nested rows */

/* A duration in human units: 950 ns, 12.30 us, 4.50 ms, 1.20 s. */
static const char *fmt_time(const struct ms_report *r, u64 ticks,
			    char *buf, size_t len)
{
	static const char * const ns_units[] = { "ns", "us", "ms", "s" };
	static const char * const cy_units[] = { "cyc", "Kcyc", "Mcyc",
						 "Gcyc" };
	const char * const *units = strcmp(r->tb.unit, "ns") ?
				    cy_units : ns_units;
	double v = (double)ms_report_time(r, ticks);
	int i = 0;

	if (v < 1000) {
		snprintf(buf, len, "%.0f %s", v, units[0]);
		return buf;
	}
	while (v >= 1000 && i < 3) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, "%.2f %s", v, units[i]);
	return buf;
}

static const char *fmt_pct(double share, char *buf, size_t len)
{
	if (isnan(share))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", share * 100.0);
	return buf;
}

static const char *fmt_per_page(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

static const char *buffer_name(const char *name)
{
	return *name ? name : "top";
}

static void print_kernel(const struct ms_report *r, FILE *out)
{
	const struct ms_machine *m = &r->machine;

	if (!m->release) {
		fprintf(out, "kernel:     unknown (no migscope:kernel marker)\n");
		return;
	}
	fprintf(out, "kernel:     %s %s%s%s%s\n", m->release,
		m->version ? m->version : "", m->arch ? " (" : "",
		m->arch ? m->arch : "", m->arch ? ")" : "");
}

static void print_clock(const struct ms_report *r, FILE *out)
{
	char buf[320];

	fprintf(out, "clock:      %s\n",
		ms_timebase_describe(&r->tb, buf, sizeof(buf)));
}

static void print_topology(const struct ms_report *r, FILE *out)
{
	const struct ms_machine *m = &r->machine;
	int i;

	if (!ms_machine_has_topology(m)) {
		fprintf(out, "topology:   unknown (no migscope:cpu/node markers)\n");
		return;
	}
	fprintf(out, "topology:   %d CPUs, %d nodes, %d L3 domains\n",
		m->nr_cpus, m->nr_nodes, m->nr_l3);
	for (i = 0; i < m->nr_nodes; i++) {
		const struct ms_node_topo *n = &m->nodes[i];

		fprintf(out, "  node %-3d  CPUs %s", n->node,
			n->cpus && *n->cpus ? n->cpus : "none");
		if (n->mem_kb >= 0)
			fprintf(out, ", %lld MiB", n->mem_kb / 1024);
		fputc('\n', out);
	}
	for (i = 0; i < m->nr_l3; i++) {
		const struct ms_l3_domain *d = &m->l3[i];

		fprintf(out, "  L3 %-5d  CPUs %s", d->id, d->cpus);
		if (d->node >= 0)
			fprintf(out, ", node %d", d->node);
		fputc('\n', out);
	}
}

static void print_buffers(const struct ms_report *r, FILE *out)
{
	int i;

	fprintf(out, "buffers:   ");
	for (i = 0; i < r->nr_buffers; i++)
		fprintf(out, "%s %s (%llu events)", i ? "," : "",
			buffer_name(r->buffers[i].name),
			(unsigned long long)r->buffers[i].records);
	fputc('\n', out);
}

/* Lost events and what the engine left out for them: always said. */
static void print_lost(const struct ms_report *r, FILE *out)
{
	const struct ms_results *res = r->res;
	char t[32];

	if (!r->scan.gaps) {
		fprintf(out, "lost events: none\n");
		return;
	}
	fprintf(out, "lost events: %s%llu in %llu gaps (first on CPU %d, %s into the trace); left out: %llu calls, %llu batches, %llu syscalls (record with a larger trace-cmd -b)\n",
		r->scan.missed_unknown ? "at least " : "",
		(unsigned long long)r->scan.missed,
		(unsigned long long)r->scan.gaps, r->scan.first_gap_cpu,
		fmt_time(r, r->scan.first_gap_ts > r->scan.first_ts ?
			 r->scan.first_gap_ts - r->scan.first_ts : 0, t,
			 sizeof(t)),
		(unsigned long long)res->lost_calls,
		(unsigned long long)res->lost_batches,
		(unsigned long long)res->lost_syscalls);
}

static void print_header(const struct ms_report *r, FILE *out)
{
	char label[256];

	fprintf(out, "migscope report: %s\n", r->path);
	print_kernel(r, out);
	print_clock(r, out);
	fprintf(out, "page size:  %llu bytes\n",
		(unsigned long long)r->page_size);
	print_topology(r, out);
	fprintf(out, "timings:    %s\n",
		ms_report_timing_label(r, label, sizeof(label)));
	print_buffers(r, out);
	print_lost(r, out);
}

/* "nested (REASON)": a nested call's row */
static const char *nested_label(int reason, char *buf, size_t len)
{
	snprintf(buf, len, "nested (%s)", ms_reason_name(reason));
	return buf;
}

/* Width of the phase column: the phases, or the longest nested row. */
static int label_width(const struct ms_report *r)
{
	char buf[64];
	int i, w = LABEL;

	for (i = 0; i <= MS_NR_REASONS; i++)
		if (r->res->nested[i].calls &&
		    (int)strlen(nested_label(i, buf, sizeof(buf))) > w)
			w = strlen(buf);
	return w;
}

static void print_table_head(const struct ms_report *r, int w, FILE *out)
{
	char per_page[16];

	snprintf(per_page, sizeof(per_page), "%s/page",
		 strcmp(r->tb.unit, "ns") ? "cyc" : "ns");
	fprintf(out, "\n%-*s %8s %*s %*s %*s %*s %*s %10s %7s\n", w, "phase",
		"count", COL, "total", COL, "mean", COL, "p50", COL, "p99",
		COL, "max", per_page, "share");
}

static void print_phase(const struct ms_report *r, enum ms_phase p, int w,
			FILE *out)
{
	const struct ms_phase_totals *pt = &r->res->phase[p];
	const struct ms_stats *s = &pt->time;
	char t[5][32], pp[32], sh[16];

	fprintf(out, "%-*s %8llu %*s %*s %*s %*s %*s %10s %7s\n",
		w, ms_phase_name(p), (unsigned long long)s->count,
		COL, fmt_time(r, s->total, t[0], sizeof(t[0])),
		COL, fmt_time(r, ms_stats_mean(s), t[1], sizeof(t[1])),
		COL, fmt_time(r, ms_stats_percentile(s, 50), t[2],
			      sizeof(t[2])),
		COL, fmt_time(r, ms_stats_percentile(s, 99), t[3],
			      sizeof(t[3])),
		COL, fmt_time(r, s->count ? s->max : 0, t[4], sizeof(t[4])),
		fmt_per_page(ms_report_per_page(r, s->total, pt->pages), pp,
			     sizeof(pp)),
		fmt_pct(ms_report_share(r, s->total), sh, sizeof(sh)));
}

/* One row per reason of the nested calls: their time, not the phases'. */
static void print_nested(const struct ms_report *r, int w, FILE *out)
{
	char label[64], t[2][32], pp[32], sh[16];
	int i;

	for (i = 0; i <= MS_NR_REASONS; i++) {
		const struct ms_nested_totals *n = &r->res->nested[i];

		if (!n->calls)
			continue;
		fprintf(out, "%-*s %8llu %*s %*s %*s %*s %*s %10s %7s\n", w,
			nested_label(i, label, sizeof(label)),
			(unsigned long long)n->calls,
			COL, fmt_time(r, n->total, t[0], sizeof(t[0])),
			COL, fmt_time(r, n->total / n->calls, t[1],
				      sizeof(t[1])),
			COL, "-", COL, "-", COL, "-",
			fmt_per_page(ms_report_per_page(r, n->total, n->pages),
				     pp, sizeof(pp)),
			fmt_pct(ms_report_share(r, n->total), sh, sizeof(sh)));
	}
}

static void print_unattributed(const struct ms_report *r, int w, FILE *out)
{
	u64 un = ms_results_unattributed(r->res);
	char t[32], pp[32], sh[16];

	fprintf(out, "%-*s %8s %*s %*s %*s %*s %*s %10s %7s\n", w,
		"unattributed", "-", COL, fmt_time(r, un, t, sizeof(t)),
		COL, "-", COL, "-", COL, "-", COL, "-",
		fmt_per_page(ms_report_per_page(r, un,
						r->res->pages_succeeded),
			     pp, sizeof(pp)),
		fmt_pct(ms_report_share(r, un), sh, sizeof(sh)));
}

/* Without the series' events only the unattributed row has a value. */
static void print_phases(const struct ms_report *r, FILE *out)
{
	int p, w = label_width(r);

	print_table_head(r, w, out);
	for (p = 0; r->has[MS_GROUP_SERIES] && p < MS_NR_PHASES; p++)
		print_phase(r, p, w, out);
	print_nested(r, w, out);
	print_unattributed(r, w, out);
	fprintf(out, "(p50/p99: within 1/64 of the exact value; share: of the outermost migrate_pages() total; phases are self time, nested migrate_pages() calls are their own rows; %s/page: per page of the phase or nested call, unattributed per page migrated)\n",
		strcmp(r->tb.unit, "ns") ? "cyc" : "ns");
}

static const char *fmt_gbps(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

/* F and the throughput of the whole trace. */
static void print_copy_fraction(const struct ms_report *r, FILE *out)
{
	double f = ms_report_copy_fraction(r);
	u64 bytes = ms_report_bytes_migrated(r);
	char t[32], g[16];

	if (!isnan(f))
		fprintf(out, "copy fraction F: %.3f (copy phase / migrate_pages() time)\n",
			f);
	else if (!r->has[MS_GROUP_SERIES])
		fprintf(out, "copy fraction F: - (needs the series' events)\n");
	else if (!r->res->call.count)
		fprintf(out, "copy fraction F: - (no complete migrate_pages() call)\n");
	else if (!r->res->phase[MS_PHASE_COPY].time.count)
		fprintf(out, "copy fraction F: - (copy is inside move (batch_copy=0))\n");
	else
		fprintf(out, "copy fraction F: - (no migrate_pages() call)\n");
	fprintf(out, "throughput: %s GB/s (%llu bytes migrated in %s of migrate_pages())\n",
		fmt_gbps(ms_report_gbps(r, bytes, r->res->call.total), g,
			 sizeof(g)),
		(unsigned long long)bytes,
		fmt_time(r, r->res->call.total, t, sizeof(t)));
}

static void print_order_row(const struct ms_report *r, int order, FILE *out)
{
	const struct ms_group_totals *o = &r->res->by_order[order];
	u64 fb, bytes = o->succeeded * r->page_size;
	char name[32], t[2][32], f[16], g[16];

	if (ms_report_order_bytes(r, order, &fb))
		snprintf(name, sizeof(name), "mixed");
	else
		snprintf(name, sizeof(name), "%d (%uK)", order,
			 (unsigned int)((fb / 1024) & 0xffffffu));
	fprintf(out, "  %-12s %8llu %8llu %9llu %*s %*s %7s %8s\n", name,
		(unsigned long long)o->batches, (unsigned long long)o->folios,
		(unsigned long long)o->pages,
		COL, fmt_time(r, o->total, t[0], sizeof(t[0])),
		COL, fmt_time(r, o->copy, t[1], sizeof(t[1])),
		r->res->phase[MS_PHASE_COPY].time.count ?
		fmt_per_page(100.0 * ms_report_ratio(o->copy, o->total), f,
			     sizeof(f)) : "-",
		fmt_gbps(ms_report_gbps(r, bytes, o->total), g, sizeof(g)));
}

static void print_by_order(const struct ms_report *r, FILE *out)
{
	int o;

	fprintf(out, "\nby folio order (of the batches):\n  %-12s %8s %8s %9s %*s %*s %7s %8s\n",
		"order", "batches", "folios", "pages", COL, "batch time",
		COL, "copy", "copy%", "GB/s");
	for (o = 0; o < MS_NR_ORDERS; o++)
		if (r->res->by_order[o].batches)
			print_order_row(r, o, out);
}

/* " (reason 3, size 1)": the causes of declined batches, or "" */
static const char *declined_causes(const u64 *declined, char *buf,
				   size_t len)
{
	size_t n = 0;
	int i, k;

	buf[0] = '\0';
	for (i = 1; i <= MS_NR_DECLINES && n < len; i++) {
		k = i % MS_NR_DECLINES;
		if (!declined[k])
			continue;
		n += snprintf(buf + n, len - n, "%s%s %llu", n ? ", " : ": ",
			      ms_decline_name(k),
			      (unsigned long long)declined[k]);
	}
	return buf;
}

static void print_by_migrator(const struct ms_report *r, FILE *out)
{
	char t[32], g[16], causes[128];
	int i;

	fprintf(out, "by migrator (copy dispatches: %llu, %llu fell back to the CPU, %llu declined and copied by the kernel%s):\n  %-12s %8s %8s %12s %*s %8s %9s\n",
		(unsigned long long)r->res->copy_dispatches,
		(unsigned long long)r->res->copy_fallbacks,
		(unsigned long long)ms_declined_sum(r->res->copy_declined),
		declined_causes(r->res->copy_declined, causes, sizeof(causes)),
		"migrator", "batches", "folios", "bytes", COL, "copy",
		"GB/s", "fallbacks");
	for (i = 0; i < r->res->nr_migrators; i++) {
		const struct ms_migrator_totals *m = &r->res->by_migrator[i];

		fprintf(out, "  %-12s %8llu %8llu %12llu %*s %8s %9llu\n",
			m->name, (unsigned long long)m->t.batches,
			(unsigned long long)m->t.folios,
			(unsigned long long)m->t.bytes,
			COL, fmt_time(r, m->t.copy, t, sizeof(t)),
			fmt_gbps(ms_report_gbps(r, m->t.bytes, m->t.copy), g,
				 sizeof(g)),
			(unsigned long long)m->t.fallbacks);
	}
}

static void print_first_folio(const struct ms_report *r, FILE *out)
{
	const struct ms_stats *s = &r->res->first_folio;
	char t[5][32];

	if (!r->has[MS_GROUP_PTE]) {
		fprintf(out, "first-folio latency: not available (record -e migrate:remove_migration_pte)\n");
		return;
	}
	fprintf(out, "first-folio latency (batch begin to its first PTE restored): %llu batches, mean %s, p50 %s, p99 %s, max %s; batch mean %s\n",
		(unsigned long long)s->count,
		fmt_time(r, ms_stats_mean(s), t[0], sizeof(t[0])),
		fmt_time(r, ms_stats_percentile(s, 50), t[1], sizeof(t[1])),
		fmt_time(r, ms_stats_percentile(s, 99), t[2], sizeof(t[2])),
		fmt_time(r, s->count ? s->max : 0, t[3], sizeof(t[3])),
		fmt_time(r, s->count ? r->res->first_folio_batch_total /
			 s->count : 0, t[4], sizeof(t[4])));
}

static void print_copy(const struct ms_report *r, FILE *out)
{
	fputc('\n', out);
	print_copy_fraction(r, out);
	if (!r->has[MS_GROUP_SERIES])
		return;
	print_by_order(r, out);
	print_by_migrator(r, out);
	print_first_folio(r, out);
}

/* Are all the events of system sys missing? */
static bool system_missing(const struct ms_report *r,
			   const struct ms_event_desc *ev, int nr,
			   const char *sys)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(ev[i].system, sys) && !r->missing[i])
			return false;
	return true;
}

/* The missing events; the series' system as a whole: "migrate_batch:*". */
static void print_missing_list(const struct ms_report *r, FILE *out)
{
	const struct ms_event_desc *ev;
	const char *done = "";
	int i, nr, n = 0;

	ev = ms_catalog_events(&nr);
	for (i = 0; i < nr; i++) {
		if (!r->missing[i] || !strcmp(ev[i].system, done))
			continue;
		if (!strcmp(ev[i].system, MS_SERIES_SYSTEM) &&
		    system_missing(r, ev, nr, ev[i].system)) {
			fprintf(out, "%s %s:*", n++ ? "," : "", ev[i].system);
			done = ev[i].system;
		} else {
			fprintf(out, "%s %s:%s", n++ ? "," : "", ev[i].system,
				ev[i].name);
		}
	}
	fputc('\n', out);
}

static void print_missing(const struct ms_report *r, FILE *out)
{
	if (!r->nr_missing)
		return;
	fprintf(out, "\nmissing events (no record in the trace):");
	print_missing_list(r, out);
	if (ms_report_series_note(r))
		fprintf(out, "per-phase breakdown not available: %s\n",
			ms_report_series_note(r));
	fprintf(out, "record them with: %s\n", r->record_hint);
}

static void print_stats_line(const struct ms_report *r,
			     const struct ms_stats *s, FILE *out)
{
	char t[6][32];

	fprintf(out,
		"  time: total %s, mean %s, p50 %s, p90 %s, p99 %s, max %s\n",
		fmt_time(r, s->total, t[0], sizeof(t[0])),
		fmt_time(r, ms_stats_mean(s), t[1], sizeof(t[1])),
		fmt_time(r, ms_stats_percentile(s, 50), t[2], sizeof(t[2])),
		fmt_time(r, ms_stats_percentile(s, 90), t[3], sizeof(t[3])),
		fmt_time(r, ms_stats_percentile(s, 99), t[4], sizeof(t[4])),
		fmt_time(r, s->count ? s->max : 0, t[5], sizeof(t[5])));
}

static void print_calls(const struct ms_report *r, FILE *out)
{
	const struct ms_results *res = r->res;
	double kib = (double)res->pages_succeeded * r->page_size / 1024.0;
	double per_page, cycles;
	char pp[32];

	struct ms_nested_totals n;

	ms_results_nested_sum(res, &n);
	fprintf(out, "\nmigrate_pages() calls (outermost): %llu, pages %llu succeeded, %llu failed, %.1f KiB migrated\n",
		(unsigned long long)res->call.count,
		(unsigned long long)res->pages_succeeded,
		(unsigned long long)res->pages_failed, kib);
	if (n.calls || res->nested_deep)
		fprintf(out, "nested migrate_pages() calls: %llu inside them (%llu pages, %llu batches), %llu more nested deeper\n",
			(unsigned long long)n.calls,
			(unsigned long long)n.pages,
			(unsigned long long)n.batches,
			(unsigned long long)res->nested_deep);
	if (!res->call.count)
		return;
	print_stats_line(r, &res->call, out);
	per_page = ms_report_per_page(r, res->call.total, res->pages_succeeded);
	fprintf(out, "  %s per page migrated: %s\n", r->tb.unit,
		fmt_per_page(per_page, pp, sizeof(pp)));
	cycles = ms_timebase_cycles(&r->tb, per_page);
	if (ms_timebase_is_ns(&r->tb) && !isnan(cycles))
		fprintf(out, "  TSC cycles per page migrated: %.0f\n", cycles);
}

static void print_reason_row(const struct ms_report *r, int i, FILE *out)
{
	const struct ms_reason_totals *rt = &r->res->by_reason[i];
	const struct ms_stats *bf = &rt->batch_folios;
	u64 total = rt->time.total;
	char t[32], s[16], ph[3][16], g[16];
	static const enum ms_phase shown[] = {
		MS_PHASE_UNMAP, MS_PHASE_COPY, MS_PHASE_MOVE,
	};
	int p;

	for (p = 0; p < 3; p++)
		fmt_pct(ms_report_ratio(rt->phase[shown[p]], total), ph[p],
			sizeof(ph[p]));
	fprintf(out, "  %-18s %6llu %9llu %*s %6s %7llu %5llu %5llu %5llu %6s %6s %6s %7s %9llu %8llu\n",
		ms_reason_name(i), (unsigned long long)rt->calls,
		(unsigned long long)rt->pages_succeeded,
		COL, fmt_time(r, total, t, sizeof(t)),
		fmt_pct(ms_report_share(r, total), s, sizeof(s)),
		(unsigned long long)rt->batches,
		(unsigned long long)ms_stats_percentile(bf, 50),
		(unsigned long long)ms_stats_percentile(bf, 99),
		(unsigned long long)bf->max, ph[0], ph[1], ph[2],
		fmt_gbps(ms_report_gbps(r, rt->pages_succeeded * r->page_size,
					total), g, sizeof(g)),
		(unsigned long long)rt->offloaded,
		(unsigned long long)ms_declined_sum(rt->declined));
}

/* The outermost calls by the kernel's reason, then by mode. */
static void print_by_reason(const struct ms_report *r, FILE *out)
{
	const struct ms_results *res = r->res;
	const char *sep = "";
	int i;

	if (!res->call.count)
		return;
	fprintf(out, "by reason (outermost calls; batch size in folios; phase %% of the reason's time; declined: left to the kernel's copy by the migrator):\n  %-18s %6s %9s %*s %6s %7s %5s %5s %5s %6s %6s %6s %7s %9s %8s\n",
		"reason", "calls", "pages", COL, "time", "share", "batches",
		"p50", "p99", "max", "unmap", "copy", "move", "GB/s",
		"offloaded", "declined");
	for (i = 0; i <= MS_NR_REASONS; i++)
		if (res->by_reason[i].calls)
			print_reason_row(r, i, out);
	fprintf(out, "by mode:");
	for (i = 0; i <= MS_NR_MODES; i++) {
		if (!res->by_mode[i].calls)
			continue;
		fprintf(out, "%s %s %llu calls, %llu pages", sep,
			ms_mode_name(i),
			(unsigned long long)res->by_mode[i].calls,
			(unsigned long long)res->by_mode[i].pages_succeeded);
		sep = ";";
	}
	fputc('\n', out);
}

/* "4" or "none" for a threshold bound */
static const char *fmt_bound(s64 v, char *buf, size_t len)
{
	if (v < 0)
		return "none";
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

static void print_threshold(const struct ms_report *r, FILE *out)
{
	const struct ms_threshold *t = &r->res->threshold;
	const char *mig = r->machine.migrator, *what;
	char f[32], b[32];

	if (!t->known) {
		fprintf(out, "callers: no migrator threshold known (recorded without the migscope:migrate marker): give one with --min-folios/--min-bytes\n");
		return;
	}
	if (mig && !strcmp(mig, "kernel"))
		what = "; no migrator was registered: the kernel copied every batch";
	else if (!ms_threshold_active(t))
		what = ": none, every batch is offered";
	else
		what = "";
	fprintf(out, "callers (threshold from %s%s%s: min_folios %s, min_bytes %s%s; below: fewer folios or bytes, not offered to the migrator):\n",
		r->threshold_from, mig ? ", migrator " : "", mig ? mig : "",
		fmt_bound(t->min_folios, f, sizeof(f)),
		fmt_bound(t->min_bytes, b, sizeof(b)), what);
}

static void print_caller_row(const struct ms_report *r, int i, FILE *out)
{
	const struct ms_reason_totals *rt = &r->res->by_reason[i];
	const struct ms_stats *bb = &rt->batch_bytes;
	int off = ms_report_reason_offloaded(r, i);
	char s[2][16];

	fprintf(out, "  %-18s %7llu %7llu %7s %11llu %7s %9.1f %9.1f %9.1f %8s\n",
		ms_reason_name(i), (unsigned long long)rt->judged,
		(unsigned long long)rt->below,
		fmt_pct(ms_report_ratio(rt->below, rt->judged), s[0],
			sizeof(s[0])),
		(unsigned long long)rt->judged_bytes,
		fmt_pct(ms_report_ratio(rt->below_bytes, rt->judged_bytes),
			s[1], sizeof(s[1])),
		ms_stats_percentile(bb, 50) / 1024.0,
		ms_stats_percentile(bb, 99) / 1024.0, bb->max / 1024.0,
		off < 0 ? "?" : off ? "yes" : "no");
}

/*
 * Per reason, the share of its batches (and of its bytes) below the
 * migrator's size threshold: what offload can still reach at the sizes
 * the kernel's callers hand to migrate_pages().
 */
static void print_callers(const struct ms_report *r, FILE *out)
{
	const struct ms_results *res = r->res;
	int i;

	if (!r->has[MS_GROUP_SERIES] || !res->batch.count)
		return;
	print_threshold(r, out);
	if (!res->threshold.known)
		return;
	fprintf(out, "  %-18s %7s %7s %7s %11s %7s %9s %9s %9s %8s\n",
		"reason", "batches", "below", "share", "bytes", "share",
		"p50 KiB", "p99 KiB", "max KiB", "offload");
	for (i = 0; i <= MS_NR_REASONS; i++)
		if (res->by_reason[i].batches)
			print_caller_row(r, i, out);
}

static void print_batches(const struct ms_report *r, FILE *out)
{
	const struct ms_results *res = r->res;
	char t[32];

	if (!r->has[MS_GROUP_SERIES])
		return;
	fprintf(out, "batches: %llu, total %s (%llu with rc < 0; %llu outside any traced migrate_pages() call, left out)\n",
		(unsigned long long)res->batch.count,
		fmt_time(r, res->batch.total, t, sizeof(t)),
		(unsigned long long)res->batch_errors,
		(unsigned long long)res->batch_outside);
}

static void print_syscall(const struct ms_report *r, int i, FILE *out)
{
	const struct ms_syscall_totals *s = &r->res->by_syscall[i];
	char t[3][32];

	/* move_pages(2) with nodes == NULL only asks where pages are */
	if (s->query)
		fprintf(out, "%s() %s (no migration inside, not counted below): %llu\n",
			ms_syscall_name(i),
			i == MS_SYS_MOVE_PAGES ? "queries" : "calls",
			(unsigned long long)s->query);
	if (!s->count)
		return;
	fprintf(out, "%s() syscalls: %llu (%llu failed), total %s, max %s, outside migrate_pages() %s (lookup, isolation)\n",
		ms_syscall_name(i), (unsigned long long)s->count,
		(unsigned long long)s->errors,
		fmt_time(r, s->total, t[0], sizeof(t[0])),
		fmt_time(r, s->max, t[1], sizeof(t[1])),
		fmt_time(r, s->outside, t[2], sizeof(t[2])));
}

/* Every system call that migrates: move_pages, mbind, migrate_pages. */
static void print_syscalls(const struct ms_report *r, FILE *out)
{
	int i;

	for (i = 0; i < MS_NR_SYSCALLS; i++)
		print_syscall(r, i, out);
	if (!r->res->syscall.count)
		fprintf(out, "migrating syscalls (move_pages, mbind, migrate_pages): none with a migration in the trace\n");
}

static void print_warnings(const struct ms_report *r, FILE *out)
{
	const struct ms_event_desc *ev = NULL;
	int i, nr = 0;

	fprintf(out, "unpaired events: %llu begin without end, %llu end without begin\n",
		(unsigned long long)r->res->begin_without_end,
		(unsigned long long)r->res->end_without_begin);
	if (r->scan.gaps)
		fprintf(out,
			"warning: the ring buffer dropped %llu events; the calls, batches and syscalls open across a gap are left out (record with a larger -b)\n",
			(unsigned long long)r->scan.missed);
	if (r->res->inconsistent)
		fprintf(out, "warning: %llu calls left out: their phases and nested calls add up to more than the call (clock skew between CPUs, or a corrupt trace)\n",
			(unsigned long long)r->res->inconsistent);
	ms_timebase_warn(&r->tb, out);
	if (r->res->negative_spans)
		fprintf(out, "warning: %llu spans end before they begin (read as 0): the trace clock is not monotonic across CPUs; record with -C mono or x86-tsc\n",
			(unsigned long long)r->res->negative_spans);
	if (r->scan.malformed)
		fprintf(out, "warning: %llu records shorter than their format were skipped\n",
			(unsigned long long)r->scan.malformed);
	ev = ms_catalog_events(&nr);
	for (i = 0; i < nr; i++)
		if (r->scan.bad_format[i])
			fprintf(out, "warning: the format of %s:%s lacks fields migscope reads (read as 0)\n",
				ev[i].system, ev[i].name);
}

int ms_report_text(const struct ms_report *r, FILE *out)
{
	print_header(r, out);
	print_phases(r, out);
	print_copy(r, out);
	print_missing(r, out);
	print_calls(r, out);
	print_by_reason(r, out);
	print_callers(r, out);
	print_batches(r, out);
	print_syscalls(r, out);
	print_warnings(r, out);
	return ferror(out) ? -1 : 0;
}
