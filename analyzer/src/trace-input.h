/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace-input.h - read a trace.dat with libtracecmd and hand its records
 * to the analyzer as struct ms_event (catalog events) and marker text
 * (ftrace:print records).
 *
 * Buffers are numbered 0 (the top buffer) to ms_input_nr_buffers() - 1
 * (the instances recorded with trace-cmd record -B NAME).
 */
#ifndef MS_TRACE_INPUT_H
#define MS_TRACE_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "trace-check.h"

struct tracecmd_input;

struct ms_input {
	struct tracecmd_input	*handle;
	char			*path;		/* a copy: guard.h's message */
	struct ms_file_info	file;		/* what its headers say */
};

/* What the scan of one or more buffers saw; the caller owns it. */
struct ms_scan {
	int		(*on_event)(const struct ms_event *ev, void *data);
	int		(*on_marker)(const char *text, size_t len, void *data);
	void		*data;

	u64		seen[MS_CATALOG_MAX];	/* records per catalog event */
	bool		bad_format[MS_CATALOG_MAX]; /* format lacks a field */
	u64		missed;		/* events the ring buffer dropped */
	u64		gaps;		/* records after a drop */
	u64		missed_unknown;	/* gaps without a stored count */
	u64		first_ts;	/* of the earliest buffer, 0: none */
	int		first_gap_cpu;
	u64		first_gap_ts;
	u64		malformed;	/* records shorter than their format */
	bool		have_events_buffer;
	int		events_buffer;	/* the first with catalog events */
};

int ms_input_open(struct ms_input *in, const char *path, char *msg,
		  size_t len);
void ms_input_close(struct ms_input *in);

int ms_input_nr_buffers(struct ms_input *in);
const char *ms_input_buffer_name(struct ms_input *in, int buffer);
int ms_input_find_buffer(struct ms_input *in, const char *name);
/* ms_input_scan(): -1 when a callback failed (ENOMEM) */
#define MS_SCAN_CORRUPT	(-2)	/* libtracecmd cannot read the buffer */

int ms_input_scan(struct ms_input *in, int buffer, struct ms_scan *scan);

bool ms_input_has_format(struct ms_input *in, const char *system,
			 const char *name);
int ms_input_page_size(struct ms_input *in);
/* Catalog records the scan has seen so far. */
u64 ms_scan_records(const struct ms_scan *scan);
/* The name of the buffer the scan found its first events in ("" top). */
const char *ms_input_events_buffer(struct ms_input *in,
				   const struct ms_scan *scan);

#endif /* MS_TRACE_INPUT_H */
