/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - what `migscope report` prints, and the three renderers
 * (report-text.c, report-json.c, report-csv.c).
 */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "catalog.h"
#include "phase.h"
#include "timebase.h"
#include "topology.h"
#include "trace-input.h"

#define MS_VERSION	"0.1"
/* the JSON outputs' layout: bumped when a key changes meaning or goes */
#define MS_SCHEMA_VERSION	3

struct ms_buffer_info {
	const char	*name;		/* "" for the top buffer */
	u64		records;	/* catalog events in it */
};

struct ms_report {
	const char		*path;
	struct ms_machine	machine;
	struct ms_results	*res;
	struct ms_scan		scan;
	u64			page_size;
	struct ms_timebase	tb;

	bool			has[MS_NR_GROUPS];	/* group recorded */
	bool			missing[MS_CATALOG_MAX];
	int			nr_missing;
	bool			series_in_formats;
	char			record_hint[512];

	/* where res->threshold came from: NULL (unknown), the marker, -m/-M */
	const char		*threshold_from;

	struct ms_buffer_info	*buffers;		/* those read */
	int			nr_buffers;
};

/* report.c: values as printed */
u64 ms_report_time(const struct ms_report *r, u64 ticks);
double ms_report_share(const struct ms_report *r, u64 ticks);
double ms_report_per_page(const struct ms_report *r, u64 ticks, u64 pages);
const char *ms_report_timing_label(const struct ms_report *r, char *buf,
				   size_t len);
const char *ms_report_series_note(const struct ms_report *r);
double ms_report_gbps(const struct ms_report *r, u64 bytes, u64 ticks);
double ms_report_ratio(u64 num, u64 den);
double ms_report_copy_fraction(const struct ms_report *r);
double ms_report_group_copy_fraction(const struct ms_report *r,
				     const struct ms_reason_totals *g);
u64 ms_report_bytes_migrated(const struct ms_report *r);
/* Was reason in the recorded offload_reasons: 1 yes, 0 no, -1 not known */
int ms_report_reason_offloaded(const struct ms_report *r, int reason);
int ms_report_order_bytes(const struct ms_report *r, int order, u64 *bytes);

int ms_report_text(const struct ms_report *r, FILE *out);
int ms_report_json(const struct ms_report *r, FILE *out);
int ms_report_csv(const struct ms_report *r, FILE *out);
/* --csv --by reason, --by mode: one row per reason (mode) that occurs */
int ms_report_csv_reasons(const struct ms_report *r, FILE *out);
int ms_report_csv_modes(const struct ms_report *r, FILE *out);

#endif /* MS_REPORT_H */
