// SPDX-License-Identifier: GPL-2.0
/*
 * catalog.c - the table of events and fields migscope reads, in the order
 * of tracepoints/events.catalog.
 */
#include <stdio.h>

#include "catalog.h"
#include "util.h"

#define FIELD(n, t, m)	{ .name = n, .type = t, \
			  .offset = offsetof(struct ms_event, m) }
#define EVENT(sys, ev, t, g, f) { .system = sys, .name = ev, .type = t, \
				  .group = g, .fields = f, \
				  .nr_fields = ARRAY_SIZE(f) }

static const struct ms_field_desc call_begin_fields[] = {
	FIELD("mode", MS_FT_U32, mode),
	FIELD("reason", MS_FT_S32, reason),
};

static const struct ms_field_desc call_end_fields[] = {
	FIELD("succeeded", MS_FT_U64, succeeded),
	FIELD("failed", MS_FT_U64, failed_pages),
	FIELD("thp_succeeded", MS_FT_U64, thp_succeeded),
	FIELD("thp_failed", MS_FT_U64, thp_failed),
	FIELD("thp_split", MS_FT_U64, thp_split),
	FIELD("large_folio_split", MS_FT_U64, large_folio_split),
	FIELD("mode", MS_FT_U32, mode),
	FIELD("reason", MS_FT_S32, reason),
};

static const struct ms_field_desc sys_enter_fields[] = {
	FIELD("nr_pages", MS_FT_U64, nr_pages),
};

static const struct ms_field_desc sys_exit_fields[] = {
	FIELD("ret", MS_FT_S64, ret),
};

static const struct ms_field_desc batch_begin_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("mode", MS_FT_S32, mode),
	FIELD("reason", MS_FT_S32, reason),
	FIELD("nr_pass", MS_FT_S32, nr_pass),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("pages", MS_FT_U64, pages),
};

static const struct ms_field_desc batch_end_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("succeeded", MS_FT_U64, succeeded),
	FIELD("failed_pages", MS_FT_U64, failed_pages),
	FIELD("rc", MS_FT_S32, ret),
};

static const struct ms_field_desc phase_begin_fields[] = {
	FIELD("id", MS_FT_U64, id),
};

static const struct ms_field_desc phase_end_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("pages", MS_FT_U64, pages),
	FIELD("failed", MS_FT_U32, failed_folios),
	FIELD("retried", MS_FT_U32, retried),
};

#define PHASE_EVENTS(up, low)						\
	{ .system = MS_SERIES_SYSTEM, .name = "mm_migrate_" #low "_begin", \
	  .type = MS_EV_PHASE_BEGIN, .phase = MS_PHASE_##up,		\
	  .group = MS_GROUP_SERIES, .fields = phase_begin_fields,	\
	  .nr_fields = ARRAY_SIZE(phase_begin_fields) },		\
	{ .system = MS_SERIES_SYSTEM, .name = "mm_migrate_" #low "_end", \
	  .type = MS_EV_PHASE_END, .phase = MS_PHASE_##up,		\
	  .group = MS_GROUP_SERIES, .fields = phase_end_fields,		\
	  .nr_fields = ARRAY_SIZE(phase_end_fields) },

static const struct ms_event_desc events[] = {
	EVENT("migrate", "mm_migrate_pages_start", MS_EV_CALL_BEGIN,
	      MS_GROUP_CALL, call_begin_fields),
	EVENT("migrate", "mm_migrate_pages", MS_EV_CALL_END,
	      MS_GROUP_CALL, call_end_fields),
	EVENT("syscalls", "sys_enter_move_pages", MS_EV_SYSCALL_ENTER,
	      MS_GROUP_SYSCALL, sys_enter_fields),
	EVENT("syscalls", "sys_exit_move_pages", MS_EV_SYSCALL_EXIT,
	      MS_GROUP_SYSCALL, sys_exit_fields),
	EVENT(MS_SERIES_SYSTEM, "mm_migrate_batch_begin", MS_EV_BATCH_BEGIN,
	      MS_GROUP_SERIES, batch_begin_fields),
	EVENT(MS_SERIES_SYSTEM, "mm_migrate_batch_end", MS_EV_BATCH_END,
	      MS_GROUP_SERIES, batch_end_fields),
	MS_PHASES(PHASE_EVENTS)
};

_Static_assert(ARRAY_SIZE(events) <= MS_CATALOG_MAX, "MS_CATALOG_MAX");

static const char * const phase_names[] = {
#define PHASE_NAME(up, low) [MS_PHASE_##up] = #low,
	MS_PHASES(PHASE_NAME)
#undef PHASE_NAME
};

const struct ms_event_desc *ms_catalog_events(int *nr)
{
	*nr = ARRAY_SIZE(events);
	return events;
}

const char *ms_phase_name(enum ms_phase phase)
{
	if (phase < 0 || phase >= MS_NR_PHASES)
		return "?";
	return phase_names[phase];
}

/* Append " -e WHAT" to buf. */
static int hint_add(char *buf, size_t len, size_t *used, const char *what)
{
	int n;

	n = snprintf(buf + *used, len - *used, " -e %s", what);
	if (n < 0 || (size_t)n >= len - *used)
		return -1;
	*used += n;
	return 0;
}

/*
 * The trace-cmd command line that records every event of the table: the
 * series' events as their whole system first, the upstream ones one by
 * one.
 */
int ms_catalog_record_hint(char *buf, size_t len)
{
	char what[128];
	size_t used;
	int i;

	used = snprintf(buf, len, "trace-cmd record -e %s", MS_SERIES_SYSTEM);
	if (used >= len)
		return -1;
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		const struct ms_event_desc *d = &events[i];

		if (d->group == MS_GROUP_SERIES)
			continue;
		snprintf(what, sizeof(what), "%s:%s", d->system, d->name);
		if (hint_add(buf, len, &used, what))
			return -1;
	}
	return 0;
}
