// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the values every renderer prints the same way: time units,
 * shares, per-page costs and the labels.
 */
#include <math.h>
#include <string.h>

#include "report.h"

/*
 * x86-tsc timestamps are TSC cycles: turned into ns when the clock marker
 * gives cpu_mhz, printed as cycles otherwise.  "counter" is a plain
 * counter.  Every other trace clock counts ns; without a clock marker the
 * unit is assumed to be ns and the report says so.
 */
void ms_timebase_init(struct ms_timebase *tb, const struct ms_machine *m)
{
	memset(tb, 0, sizeof(*tb));
	tb->unit = "ns";
	tb->per_tick = 1.0;
	if (!m->clock) {
		tb->assumed = true;
	} else if (!strcmp(m->clock, "x86-tsc")) {
		if (m->cpu_mhz > 0) {
			tb->per_tick = 1000.0 / m->cpu_mhz;
			tb->converted = true;
		} else {
			tb->unit = "cycles";
		}
	} else if (!strcmp(m->clock, "counter")) {
		tb->unit = "counts";
	}
}

u64 ms_report_time(const struct ms_report *r, u64 ticks)
{
	if (r->tb.per_tick == 1.0)
		return ticks;
	return (u64)llround((double)ticks * r->tb.per_tick);
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
