// SPDX-License-Identifier: GPL-2.0
/*
 * catalog.c - the table of events and fields migscope reads, in the order
 * of tracepoints/events.catalog.
 */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "util.h"

#define FIELD(n, t, m)	{ .name = n, .type = t, \
			  .offset = offsetof(struct ms_event, m) }
/* checked, not decoded: the member stays 0 (see ms_field_desc) */
#define UNREAD(n, t, m)	{ .name = n, .type = t, .unread = true, \
			  .offset = offsetof(struct ms_event, m) }
/* read when the format has it (see ms_field_desc) */
#define OPTIONAL(n, t, m) { .name = n, .type = t, .optional = true, \
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
	UNREAD("thp_succeeded", MS_FT_U64, thp_succeeded),
	UNREAD("thp_failed", MS_FT_U64, thp_failed),
	UNREAD("thp_split", MS_FT_U64, thp_split),
	UNREAD("large_folio_split", MS_FT_U64, large_folio_split),
	UNREAD("mode", MS_FT_U32, mode),
	FIELD("reason", MS_FT_S32, reason),
};

static const struct ms_field_desc sys_enter_fields[] = {
	UNREAD("nr_pages", MS_FT_U64, nr_pages),
};

static const struct ms_field_desc sys_exit_fields[] = {
	FIELD("ret", MS_FT_S64, ret),
};

/* mbind(2): the length of the range it binds (and moves) */
static const struct ms_field_desc sys_enter_mbind_fields[] = {
	FIELD("len", MS_FT_U64, bytes),
};

/* migrate_pages(2): the task whose pages move (0: the caller) */
static const struct ms_field_desc sys_enter_migrate_pages_fields[] = {
	FIELD("pid", MS_FT_U64, id),
};

#define SYSCALL(ev, s, t, f)	{ .system = "syscalls", .name = ev, \
				  .type = t, .syscall = s, \
				  .group = MS_GROUP_SYSCALL, .fields = f, \
				  .nr_fields = ARRAY_SIZE(f) }

static const struct ms_field_desc batch_begin_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("mode", MS_FT_S32, mode),
	FIELD("reason", MS_FT_S32, reason),
	UNREAD("nr_pass", MS_FT_S32, nr_pass),
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
	UNREAD("retried", MS_FT_U32, retried),
};

static const struct ms_field_desc copy_dispatch_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("migrator", MS_FT_STR, name),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("bytes", MS_FT_U64, bytes),
	UNREAD("skipped", MS_FT_U32, skipped),
	OPTIONAL("declined", MS_FT_S32, declined),
	FIELD("rc", MS_FT_S32, rc),
};

static const struct ms_field_desc remove_pte_fields[] = {
	UNREAD("addr", MS_FT_U64, addr),
	UNREAD("pte", MS_FT_U64, pte),
	FIELD("order", MS_FT_S32, order),
};

static const struct ms_field_desc mt_dispatch_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("threads", MS_FT_U32, threads),
	FIELD("policy", MS_FT_STR, name),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("bytes", MS_FT_U64, bytes),
	UNREAD("split", MS_FT_U8, split),
};

static const struct ms_field_desc mt_worker_begin_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("worker", MS_FT_U32, worker),
	FIELD("cpu", MS_FT_S32, worker_cpu),
};

static const struct ms_field_desc mt_worker_end_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("worker", MS_FT_U32, worker),
	FIELD("cpu", MS_FT_S32, worker_cpu),
	FIELD("bytes", MS_FT_U64, bytes),
	FIELD("rc", MS_FT_S32, rc),
};

/* mtcopy_done, dcbm_done */
static const struct ms_field_desc id_rc_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("rc", MS_FT_S32, rc),
};

static const struct ms_field_desc dcbm_dispatch_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("channels", MS_FT_U32, channels),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("bytes", MS_FT_U64, bytes),
};

static const struct ms_field_desc dcbm_decline_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("bytes", MS_FT_U64, bytes),
	FIELD("reason", MS_FT_STR, name),
};

/* acquire, issue, complete, wait, release */
static const struct ms_field_desc dcbm_chan_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("chan", MS_FT_U32, chan),
	FIELD("rc", MS_FT_S32, rc),
};

static const struct ms_field_desc dcbm_map_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("chan", MS_FT_U32, chan),
	FIELD("folios", MS_FT_U32, folios),
	FIELD("bytes", MS_FT_U64, bytes),
	FIELD("rc", MS_FT_S32, rc),
};

static const struct ms_field_desc dcbm_submit_fields[] = {
	FIELD("id", MS_FT_U64, id),
	FIELD("chan", MS_FT_U32, chan),
	FIELD("descriptors", MS_FT_U32, descriptors),
	FIELD("rc", MS_FT_S32, rc),
};

#define DCBM(ev, t, f)	EVENT("dcbm", "dcbm_" #ev, t, MS_GROUP_DCBM, f)
#define MTCOPY(ev, t, f) EVENT("mtcopy", "mtcopy_" #ev, t, MS_GROUP_MTCOPY, f)

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
	SYSCALL("sys_enter_move_pages", MS_SYS_MOVE_PAGES,
		MS_EV_SYSCALL_ENTER, sys_enter_fields),
	SYSCALL("sys_exit_move_pages", MS_SYS_MOVE_PAGES, MS_EV_SYSCALL_EXIT,
		sys_exit_fields),
	SYSCALL("sys_enter_mbind", MS_SYS_MBIND, MS_EV_SYSCALL_ENTER,
		sys_enter_mbind_fields),
	SYSCALL("sys_exit_mbind", MS_SYS_MBIND, MS_EV_SYSCALL_EXIT,
		sys_exit_fields),
	SYSCALL("sys_enter_migrate_pages", MS_SYS_MIGRATE_PAGES,
		MS_EV_SYSCALL_ENTER, sys_enter_migrate_pages_fields),
	SYSCALL("sys_exit_migrate_pages", MS_SYS_MIGRATE_PAGES,
		MS_EV_SYSCALL_EXIT, sys_exit_fields),
	EVENT(MS_SERIES_SYSTEM, "mm_migrate_batch_begin", MS_EV_BATCH_BEGIN,
	      MS_GROUP_SERIES, batch_begin_fields),
	EVENT(MS_SERIES_SYSTEM, "mm_migrate_batch_end", MS_EV_BATCH_END,
	      MS_GROUP_SERIES, batch_end_fields),
	MS_PHASES(PHASE_EVENTS)
	EVENT(MS_SERIES_SYSTEM, "mm_migrate_copy_dispatch",
	      MS_EV_COPY_DISPATCH, MS_GROUP_SERIES, copy_dispatch_fields),
	EVENT("migrate", "remove_migration_pte", MS_EV_REMOVE_PTE,
	      MS_GROUP_PTE, remove_pte_fields),
	MTCOPY(dispatch, MS_EV_MT_DISPATCH, mt_dispatch_fields),
	MTCOPY(worker_begin, MS_EV_MT_WORKER_BEGIN, mt_worker_begin_fields),
	MTCOPY(worker_end, MS_EV_MT_WORKER_END, mt_worker_end_fields),
	MTCOPY(done, MS_EV_MT_DONE, id_rc_fields),
	DCBM(dispatch, MS_EV_DCBM_DISPATCH, dcbm_dispatch_fields),
	DCBM(decline, MS_EV_DCBM_DECLINE, dcbm_decline_fields),
	DCBM(acquire, MS_EV_DCBM_ACQUIRE, dcbm_chan_fields),
	DCBM(map, MS_EV_DCBM_MAP, dcbm_map_fields),
	DCBM(submit, MS_EV_DCBM_SUBMIT, dcbm_submit_fields),
	DCBM(issue, MS_EV_DCBM_ISSUE, dcbm_chan_fields),
	DCBM(complete, MS_EV_DCBM_COMPLETE, dcbm_chan_fields),
	DCBM(wait, MS_EV_DCBM_WAIT, dcbm_chan_fields),
	DCBM(release, MS_EV_DCBM_RELEASE, dcbm_chan_fields),
	DCBM(done, MS_EV_DCBM_DONE, id_rc_fields),
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

/* Index of SYSTEM:NAME in the table, -1 if it is not there. */
int ms_catalog_find(const char *system, const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (!strcmp(events[i].system, system) &&
		    !strcmp(events[i].name, name))
			return i;
	return -1;
}

const char *ms_phase_name(enum ms_phase phase)
{
	if (phase < 0 || phase >= MS_NR_PHASES)
		return "?";
	return phase_names[phase];
}

/* v as an index of a table of n kinds, @other when out of range */
static int kind_index(s64 v, int n, int other)
{
	return v >= 0 && v < n ? (int)v : other;
}

static const char * const reason_names[] = {
#define MS_REASON_NAME(up, low) #low,
	MS_REASONS(MS_REASON_NAME)
#undef MS_REASON_NAME
	"unknown",
};

static const char * const mode_names[] = {
#define MS_MODE_NAME(up, name) #name,
	MS_MODES(MS_MODE_NAME)
#undef MS_MODE_NAME
	"unknown",
};

static const char * const decline_names[] = {
	"other",
#define MS_DECLINE_NAME(up, low) #low,
	MS_DECLINES(MS_DECLINE_NAME)
#undef MS_DECLINE_NAME
};

static const char * const syscall_names[] = {
#define MS_SYSCALL_NAME(up, low) #low,
	MS_SYSCALLS(MS_SYSCALL_NAME)
#undef MS_SYSCALL_NAME
};

/* reason as an index of a by-reason table: MS_NR_REASONS for unknown */
int ms_reason_index(s64 reason)
{
	return kind_index(reason, MS_NR_REASONS, MS_NR_REASONS);
}

/* The kernel's name of a migrate reason; "unknown" outside 6.12's enum. */
const char *ms_reason_name(s64 reason)
{
	return reason_names[ms_reason_index(reason)];
}

/* a decline cause as an index of a by-cause table: 0 for an unknown one */
int ms_decline_index(s64 cause)
{
	return kind_index(cause, MS_NR_DECLINES, MS_DECLINE_NONE);
}

/* "reason", "size", "busy"; "other" for index 0 */
const char *ms_decline_name(int index)
{
	return decline_names[kind_index(index, MS_NR_DECLINES, 0)];
}

/* mode as an index of a by-mode table: MS_NR_MODES for unknown */
int ms_mode_index(s64 mode)
{
	return kind_index(mode, MS_NR_MODES, MS_NR_MODES);
}

/* The kernel's name of a migrate mode; "unknown" outside 6.12's enum. */
const char *ms_mode_name(s64 mode)
{
	return mode_names[ms_mode_index(mode)];
}

/* syscall as an index of a by-syscall table (move_pages if out of range) */
int ms_syscall_index(int syscall)
{
	return kind_index(syscall, MS_NR_SYSCALLS, MS_SYS_MOVE_PAGES);
}

const char *ms_syscall_name(int syscall)
{
	return syscall_names[ms_syscall_index(syscall)];
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
 * The trace-cmd command line that records the events of the report: the
 * series' events as their whole system first, the upstream ones one by
 * one (the mtcopy/dcbm modules' events are recorded with their presets).
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

		/* the series as a system; modules come with -p (presets) */
		if (d->group == MS_GROUP_SERIES ||
		    d->group == MS_GROUP_MTCOPY || d->group == MS_GROUP_DCBM)
			continue;
		snprintf(what, sizeof(what), "%s:%s", d->system, d->name);
		if (hint_add(buf, len, &used, what))
			return -1;
	}
	return 0;
}
