/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace-ccd.h - one trace read for `migscope ccd` and `migscope compare`:
 * the mtcopy engine of ccd.c and, optionally, the phase engine of
 * phase.c, fed by one scan; the JSON pieces both verbs print.
 */
#ifndef MS_TRACE_CCD_H
#define MS_TRACE_CCD_H

#include <stdbool.h>

#include <jansson.h>

#include "ccd.h"
#include "phase.h"
#include "report.h"
#include "trace-input.h"

#define MS_CCD_NO_EVENTS \
	"no mtcopy events: record with -p mtcopy (tracepoints/presets) or trace-cmd -e mtcopy"

struct ms_ccd_trace {
	struct ms_input		in;
	struct ms_report	report;		/* path, machine */
	bool			phases;		/* + phases */
	struct ms_engine	engine;
	struct ms_ccd_engine	ccd;
	struct ms_ccd_results	cres;
	u64			mtcopy_seen;	/* mtcopy:* records */
	char			msg[1024];
};

/* 0, or -1 with t->msg set; free with ms_ccd_trace_free() either way */
int ms_ccd_trace_read(struct ms_ccd_trace *t, const char *path, bool phases);
void ms_ccd_trace_free(struct ms_ccd_trace *t);

json_t *ms_ccd_header_json(const struct ms_ccd_trace *t, const char *tool);
json_t *ms_ccd_figures_json(const struct ms_ccd_trace *t, json_t *root);
const char *ms_ccd_topology_note(const struct ms_ccd_trace *t);

#endif /* MS_TRACE_CCD_H */
