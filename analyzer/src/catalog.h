/* SPDX-License-Identifier: GPL-2.0 */
/*
 * catalog.h - the events and fields migscope reads.
 *
 * One table (catalog.c) drives the event lookup in trace-input.c, the
 * `migscope catalog` listing and the record hint, so they cannot drift
 * apart; tracepoints/check-catalog compares it with events.catalog.
 */
#ifndef MS_CATALOG_H
#define MS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "ms-event.h"

/* Catalog types: size and signedness as in the format file. */
enum ms_ftype {
	MS_FT_U32,
	MS_FT_S32,
	MS_FT_U64,
	MS_FT_S64,
	MS_FT_U8,
	MS_FT_STR,	/* __string (__data_loc): offset of ms_event.name */
};

struct ms_field_desc {
	const char	*name;
	enum ms_ftype	type;
	size_t		offset;		/* of a 64-bit member of ms_event */
	bool		unread;		/* checked against the format and the
					   record, not decoded: no engine,
					   verb or the fuzzer reads it */
	bool		optional;	/* added by a later version of the
					   series: missing reads as 0 and is
					   not a format mismatch */
};

/*
 * Events that are recorded together: a group with no record at all in a
 * trace is reported as missing (an undo phase that never ran is not).
 */
enum ms_group {
	MS_GROUP_CALL,		/* migrate_pages() begin/end (upstream) */
	MS_GROUP_SYSCALL,	/* move_pages(2) enter/exit (upstream) */
	MS_GROUP_SERIES,	/* migrate_batch:* (kernel/patches) */
	/* optional: the report works without them and does not list them */
	MS_GROUP_PTE,		/* migrate:remove_migration_pte (upstream) */
	MS_GROUP_MTCOPY,	/* mtcopy:* (module, -p mtcopy) */
	MS_GROUP_DCBM,		/* dcbm:* (module, -p dcbm) */
	MS_NR_GROUPS,
};

/* A group `migscope report` names as missing when it has no record. */
static inline int ms_group_required(enum ms_group g)
{
	return g <= MS_GROUP_SERIES;
}

struct ms_event_desc {
	const char			*system;
	const char			*name;
	enum ms_event_type		type;
	enum ms_phase			phase;	/* MS_EV_PHASE_* only */
	enum ms_syscall			syscall; /* MS_EV_SYSCALL_* only */
	enum ms_group			group;
	const struct ms_field_desc	*fields;
	int				nr_fields;
};

#define MS_SERIES_SYSTEM	"migrate_batch"
#define MS_MAX_FIELDS		8	/* per event */
#define MS_CATALOG_MAX		64	/* events */

const struct ms_event_desc *ms_catalog_events(int *nr);
int ms_catalog_find(const char *system, const char *name);
const char *ms_phase_name(enum ms_phase phase);
const char *ms_reason_name(s64 reason);
int ms_reason_index(s64 reason);
const char *ms_mode_name(s64 mode);
const char *ms_decline_name(int index);
int ms_decline_index(s64 cause);
const char *ms_syscall_name(int syscall);
int ms_syscall_index(int syscall);
int ms_mode_index(s64 mode);
int ms_catalog_record_hint(char *buf, size_t len);

#endif /* MS_CATALOG_H */
