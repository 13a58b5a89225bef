// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the values every renderer prints the same way: time units,
 * shares, per-page costs and the labels.
 */
#include <math.h>
#include <string.h>

#include "report.h"

u64 ms_report_time(const struct ms_report *r, u64 ticks)
{
	return ms_timebase_time(&r->tb, ticks);
}

/* Share of the migrate_pages() total; NAN when there is no call. */
double ms_report_share(const struct ms_report *r, u64 ticks)
{
	if (!r->res->call.total)
		return NAN;
	return (double)ticks / (double)r->res->call.total;
}

/* Printed time units per page; NAN without pages. */
double ms_report_per_page(const struct ms_report *r, u64 ticks, u64 pages)
{
	if (!pages)
		return NAN;
	return (double)ticks * r->tb.per_tick / (double)pages;
}

const char *ms_report_timing_label(const struct ms_report *r, char *buf,
				   size_t len)
{
	const struct ms_machine *m = &r->machine;

	if (m->emulated && *m->emulated)
		snprintf(buf, len,
			 "EMULATED machine (%s) \u2014 compare ratios within one run, not absolute values",
			 m->emulated);
	else if (m->hypervisor == 1)
		snprintf(buf, len,
			 "virtual machine (hypervisor) \u2014 timings include virtualization effects");
	else if (m->hypervisor == 0)
		snprintf(buf, len, "bare metal");
	else
		snprintf(buf, len, "unknown machine (no migscope:env marker)");
	return buf;
}

/* Why the per-phase breakdown is missing, NULL when it is there. */
const char *ms_report_series_note(const struct ms_report *r)
{
	if (r->has[MS_GROUP_SERIES])
		return NULL;
	if (r->series_in_formats)
		return "the kernel has the series but the events were not recorded";
	return "the kernel lacks the migscope series (kernel/patches)";
}

/* GB/s (10^9 bytes/s) for bytes in ticks; NAN without ns or time. */
double ms_report_gbps(const struct ms_report *r, u64 bytes, u64 ticks)
{
	if (!ms_timebase_is_ns(&r->tb) || !ticks)
		return NAN;
	return (double)bytes / ((double)ticks * r->tb.per_tick);
}

double ms_report_ratio(u64 num, u64 den)
{
	return den ? (double)num / (double)den : NAN;
}

/*
 * F = copy phase time / migrate_pages() time (seed 004); NAN without a
 * copy phase (batch_copy=0 or no series) or without calls.
 */
double ms_report_copy_fraction(const struct ms_report *r)
{
	const struct ms_results *res = r->res;

	if (!res->phase[MS_PHASE_COPY].time.count)
		return NAN;
	return ms_report_ratio(res->phase[MS_PHASE_COPY].time.total,
			       res->call.total);
}

/*
 * F of the outermost calls of one reason or mode; NAN when the trace has
 * no copy phase (as for the whole trace) or the group no batch.
 */
double ms_report_group_copy_fraction(const struct ms_report *r,
				     const struct ms_reason_totals *g)
{
	if (!g->batches || !r->res->phase[MS_PHASE_COPY].time.count)
		return NAN;
	return ms_report_ratio(g->phase[MS_PHASE_COPY], g->time.total);
}

u64 ms_report_bytes_migrated(const struct ms_report *r)
{
	return r->res->pages_succeeded * r->page_size;
}

/* Folio size of a by_order slot; -1 for "mixed". */
int ms_report_order_bytes(const struct ms_report *r, int order, u64 *bytes)
{
	if (order < 0 || order > MS_MAX_ORDER)
		return -1;
	*bytes = r->page_size << order;
	return 0;
}

/* Is name one of the words of list (separated by spaces or commas)? */
static bool list_has(const char *list, const char *name)
{
	size_t n, len = strlen(name);
	const char *p = list;

	while (*p) {
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (n == len && !memcmp(p, name, n))
			return true;
		p += n;
	}
	return false;
}

int ms_report_reason_offloaded(const struct ms_report *r, int reason)
{
	const char *list = r->machine.offload_reasons;

	if (!list || reason < 0 || reason >= MS_NR_REASONS)
		return -1;
	return list_has(list, ms_reason_name(reason));
}
