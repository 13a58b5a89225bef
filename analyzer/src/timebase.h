/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timebase.h - which clock a trace's timestamps count, and how every verb
 * turns them into printed times.
 *
 * The clock comes from the file (its TRACECLOCK option, or the clock of
 * the BUFFER option of the instance that holds the events), with the
 * migscope:clock marker as a cross-check.  x86-tsc cycles become ns only
 * at the TSC rate: the file's TSC2NSEC option (then libtracecmd has
 * already converted them) or the tsc_khz migscope-record took from the
 * kernel; never at "cpu MHz", which is the current core frequency.
 */
#ifndef MS_TIMEBASE_H
#define MS_TIMEBASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "ms-event.h"
#include "topology.h"
#include "trace-check.h"

enum ms_clock_source {
	MS_CLOCK_ASSUMED,	/* neither the file nor a marker names it */
	MS_CLOCK_FILE,
	MS_CLOCK_MARKER,
};

struct ms_timebase {
	const char	*unit;		/* "ns", "cycles" or "counts" */
	double		per_tick;	/* printed units per raw tick */
	char		clock[MS_FILE_CLOCK_LEN]; /* "" when assumed */
	enum ms_clock_source source;
	bool		assumed;	/* no clock known: ns assumed */
	bool		converted;	/* cycles turned into ns at tsc_khz */
	bool		lib_converted;	/* TSC2NSEC: libtracecmd gave ns */
	double		tsc_khz;	/* TSC rate, 0: unknown */
	const char	*tsc_from;	/* where tsc_khz comes from */
	bool		per_cpu;	/* clocks not synchronized across CPUs */
	char		note[256];	/* file and marker disagree: why */
};

/* buffer: the name of the buffer holding the events ("" the top one). */
void ms_timebase_init(struct ms_timebase *tb, const struct ms_machine *m,
		      const struct ms_file_info *file, const char *buffer);

u64 ms_timebase_time(const struct ms_timebase *tb, u64 ticks);
bool ms_timebase_is_ns(const struct ms_timebase *tb);
/* TSC cycles per printed unit of ticks per page; NAN when unknown */
double ms_timebase_cycles(const struct ms_timebase *tb, double ticks);

/* The "clock:" line of the text outputs (no newline). */
const char *ms_timebase_describe(const struct ms_timebase *tb, char *buf,
				 size_t len);
/* The warnings a text output prints about the clock (may print none). */
void ms_timebase_warn(const struct ms_timebase *tb, FILE *out);
/* The "timebase" object of the JSON outputs. */
json_t *ms_timebase_json(const struct ms_timebase *tb);
/*
 * Rename, in the whole tree, every key "X_ns" to "X_<unit>" and "ns_X"
 * to "<unit>_X" when the times are not ns: no *_ns key holds cycles.
 */
int ms_timebase_json_units(const struct ms_timebase *tb, json_t *root);
/* Print a CSV header line (fields renamed the same way). */
void ms_timebase_csv_header(const struct ms_timebase *tb, const char *head,
			    FILE *out);
/* A metric name renamed the same way: into buf, or name itself. */
const char *ms_timebase_name(const struct ms_timebase *tb, const char *name,
			     char *buf, size_t len);

#endif /* MS_TIMEBASE_H */
