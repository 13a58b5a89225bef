// SPDX-License-Identifier: GPL-2.0
/*
 * report-csv.c - `migscope report --csv`: one row per phase and a row
 * "unattributed", for the gnuplot scripts in plots/; with --by reason or
 * --by mode one row per reason (mode) of the outermost calls.  Empty
 * cells: not applicable (unattributed) or no denominator (share, per
 * page, F, GB/s).
 */
#include <math.h>
#include <stdio.h>

#include "report.h"

static void put_real(double v, FILE *out)
{
	if (!isnan(v))
		fprintf(out, "%.6g", v);
}

static void put_time(const struct ms_report *r, u64 ticks, FILE *out)
{
	fprintf(out, ",%llu", (unsigned long long)ms_report_time(r, ticks));
}

static void put_phase(const struct ms_report *r, enum ms_phase p, FILE *out)
{
	const struct ms_phase_totals *pt = &r->res->phase[p];
	const struct ms_stats *s = &pt->time;

	fprintf(out, "%s,%llu", ms_phase_name(p),
		(unsigned long long)s->count);
	put_time(r, s->total, out);
	put_time(r, ms_stats_mean(s), out);
	put_time(r, ms_stats_percentile(s, 50), out);
	put_time(r, ms_stats_percentile(s, 90), out);
	put_time(r, ms_stats_percentile(s, 99), out);
	put_time(r, s->max, out);
	fputc(',', out);
	put_real(ms_report_per_page(r, s->total, pt->pages), out);
	fputc(',', out);
	put_real(ms_report_share(r, s->total), out);
	fputc('\n', out);
}

/* All nested calls in one row, so that the rows add up to 100 %. */
static void put_nested(const struct ms_report *r, FILE *out)
{
	struct ms_nested_totals n;

	ms_results_nested_sum(r->res, &n);
	fprintf(out, "nested,%llu", (unsigned long long)n.calls);
	put_time(r, n.total, out);
	put_time(r, n.calls ? n.total / n.calls : 0, out);
	fprintf(out, ",,,,,");
	put_real(ms_report_per_page(r, n.total, n.pages), out);
	fputc(',', out);
	put_real(ms_report_share(r, n.total), out);
	fputc('\n', out);
}

/* after the rows: gnuplot reads the first line as the header */
static void put_lost(const struct ms_report *r, FILE *out)
{
	fprintf(out, "# lost events: %llu in %llu gaps; left out: %llu calls, %llu batches\n",
		(unsigned long long)r->scan.missed,
		(unsigned long long)r->scan.gaps,
		(unsigned long long)r->res->lost_calls,
		(unsigned long long)r->res->lost_batches);
}

int ms_report_csv(const struct ms_report *r, FILE *out)
{
	u64 un = ms_results_unattributed(r->res);
	int p;

	ms_timebase_csv_header(&r->tb,
		"phase,count,total_ns,mean_ns,p50_ns,p90_ns,p99_ns,max_ns,ns_per_page,share",
		out);
	for (p = 0; p < MS_NR_PHASES; p++)
		put_phase(r, p, out);
	put_nested(r, out);
	fprintf(out, "unattributed,");
	put_time(r, un, out);
	fprintf(out, ",,,,,,,");
	put_real(ms_report_share(r, un), out);
	fputc('\n', out);
	put_lost(r, out);
	return ferror(out) ? -1 : 0;
}

/* ---- --by reason, --by mode ------------------------------------------ */

/* ",X": a share of a group's own time */
static void put_ratio(u64 num, u64 den, FILE *out)
{
	fputc(',', out);
	put_real(ms_report_ratio(num, den), out);
}

/* ",p50,p99,max" of a batch size */
static void put_size(const struct ms_stats *s, FILE *out)
{
	fprintf(out, ",%llu,%llu,%llu",
		(unsigned long long)ms_stats_percentile(s, 50),
		(unsigned long long)ms_stats_percentile(s, 99),
		(unsigned long long)s->max);
}

/*
 * The header: key (reason or mode), then the columns of put_group().  The
 * phase shares, nested and unattributed are of the group's own time (they
 * add up to 1); share is of the outermost migrate_pages() total.
 */
static void put_group_header(const struct ms_report *r, const char *key,
			     FILE *out)
{
	char head[512];
	int n, p;

	n = snprintf(head, sizeof(head),
		     "%s,calls,pages_succeeded,pages_failed,total_ns,share,batches,batch_folios_p50,batch_folios_p99,batch_folios_max,batch_pages_p50,batch_pages_p99,batch_pages_max",
		     key);
	for (p = 0; p < MS_NR_PHASES && n < (int)sizeof(head); p++)
		n += snprintf(head + n, sizeof(head) - n, ",%s_share",
			      ms_phase_name(p));
	if (n < (int)sizeof(head))
		snprintf(head + n, sizeof(head) - n,
			 ",nested_share,unattributed_share,F,gbps,offloaded,declined,batch_bytes_p50,batch_bytes_p99,batch_bytes_max,judged_batches,below_batches,judged_bytes,below_bytes");
	ms_timebase_csv_header(&r->tb, head, out);
}

static void put_group(const struct ms_report *r, const char *name,
		      const struct ms_reason_totals *g, FILE *out)
{
	u64 total = g->time.total, bytes = g->pages_succeeded * r->page_size;
	int p;

	fprintf(out, "%s,%llu,%llu,%llu", name, (unsigned long long)g->calls,
		(unsigned long long)g->pages_succeeded,
		(unsigned long long)g->pages_failed);
	put_time(r, total, out);
	fputc(',', out);
	put_real(ms_report_share(r, total), out);
	fprintf(out, ",%llu", (unsigned long long)g->batches);
	put_size(&g->batch_folios, out);
	put_size(&g->batch_pages, out);
	for (p = 0; p < MS_NR_PHASES; p++)
		put_ratio(g->phase[p], total, out);
	put_ratio(g->nested, total, out);
	put_ratio(ms_reason_unattributed(g), total, out);
	fputc(',', out);
	put_real(ms_report_group_copy_fraction(r, g), out);
	fputc(',', out);
	put_real(ms_report_gbps(r, bytes, total), out);
	fprintf(out, ",%llu,%llu", (unsigned long long)g->offloaded,
		(unsigned long long)ms_declined_sum(g->declined));
	put_size(&g->batch_bytes, out);
	fprintf(out, ",%llu,%llu,%llu,%llu\n", (unsigned long long)g->judged,
		(unsigned long long)g->below,
		(unsigned long long)g->judged_bytes,
		(unsigned long long)g->below_bytes);
}

/* One row per group with calls, in enum order (unknown: the last). */
static int put_groups(const struct ms_report *r, const char *key,
		      const struct ms_reason_totals *g, int nr,
		      const char *(*name)(s64), FILE *out)
{
	int i;

	put_group_header(r, key, out);
	for (i = 0; i < nr; i++)
		if (g[i].calls)
			put_group(r, name(i), &g[i], out);
	put_lost(r, out);
	return ferror(out) ? -1 : 0;
}

int ms_report_csv_reasons(const struct ms_report *r, FILE *out)
{
	return put_groups(r, "reason", r->res->by_reason, MS_NR_REASONS + 1,
			  ms_reason_name, out);
}

int ms_report_csv_modes(const struct ms_report *r, FILE *out)
{
	return put_groups(r, "mode", r->res->by_mode, MS_NR_MODES + 1,
			  ms_mode_name, out);
}
