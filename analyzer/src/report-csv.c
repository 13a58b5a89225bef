// SPDX-License-Identifier: GPL-2.0
/*
 * report-csv.c - `migscope report --csv`: one row per phase and a row
 * "unattributed", for the gnuplot scripts in plots/.  Empty cells: not
 * applicable (unattributed) or no denominator (share, per page).
 */
#include <math.h>

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
	/* after the rows: gnuplot reads the first line as the header */
	fprintf(out, "# lost events: %llu in %llu gaps; left out: %llu calls, %llu batches\n",
		(unsigned long long)r->scan.missed,
		(unsigned long long)r->scan.gaps,
		(unsigned long long)r->res->lost_calls,
		(unsigned long long)r->res->lost_batches);
	return ferror(out) ? -1 : 0;
}
