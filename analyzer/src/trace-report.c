// SPDX-License-Identifier: GPL-2.0
/*
 * trace-report.c - `migscope report [--json|--csv [--by phase|reason|mode]]
 *                   [--buffer NAME] FILE`
 *
 * Reads every buffer of the trace (or the one --buffer names), pairs the
 * events of each buffer with the engine of phase.c, and prints the
 * per-phase cost of page migration.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migscope.h"
#include "report.h"
#include "verb-common.h"

enum report_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_CSV,
};

/* the rows of the CSV */
enum report_by {
	BY_PHASE,
	BY_REASON,
	BY_MODE,
	NR_BY,
};

static const char *const by_names[NR_BY] = {
	[BY_PHASE] = "phase",
	[BY_REASON] = "reason",
	[BY_MODE] = "mode",
};

struct report_settings {
	enum report_format	format;
	enum report_by		by;
	bool			by_given;
	bool			strict;
	s64			min_folios;	/* -1: not given */
	s64			min_bytes;
	const char		*buffer;	/* NULL: every buffer */
	const char		*path;
};

static const struct option report_options[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ "csv",	no_argument,		NULL, 'c' },
	{ "by",		required_argument,	NULL, 'b' },
	{ "buffer",	required_argument,	NULL, 'B' },
	{ "strict",	no_argument,		NULL, 's' },
	{ "min-folios",	required_argument,	NULL, 'm' },
	{ "min-bytes",	required_argument,	NULL, 'M' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 },
};

struct report_ctx {
	struct ms_input		in;
	struct ms_engine	engine;
	struct ms_report	report;
	char			msg[1024];
};

static void report_usage(FILE *out)
{
	fprintf(out,
		"usage: migscope report [--json|--csv [--by phase|reason|mode]]\n"
		"                       [--buffer NAME] [--strict]\n"
		"                       [--min-folios N] [--min-bytes SIZE] FILE\n"
		"\n"
		"Per-phase cost of page migration (unmap, flush, copy, move, undo),\n"
		"copy fraction F, throughput, by folio order and migrator, from a\n"
		"trace.dat recorded with trace-cmd.\n"
		"\n"
		"  -j, --json         JSON output (schema: migscope-report(1))\n"
		"  -c, --csv          CSV output, one row per phase\n"
		"  -b, --by KEY       with --csv: one row per phase (the default), per\n"
		"                     migrate reason or per migrate mode of the\n"
		"                     outermost calls (text and JSON show them all)\n"
		"  -B, --buffer NAME  read only the buffer instance NAME\n"
		"                     (\"top\": the top buffer)\n"
		"  -s, --strict       exit 3 when the trace lost events (after the\n"
		"                     output, which says how many and what was left out)\n"
		"  -m, --min-folios N\n"
		"  -M, --min-bytes SIZE\n"
		"                     the threshold of the callers section: the share\n"
		"                     of each reason's batches (and bytes) with fewer\n"
		"                     folios or bytes (e.g. 128K); default: the active\n"
		"                     migrator's, as migscope-record found it\n"
		"  -h, --help         this help\n"
		"\n"
		"Time counts once: totals, F and GB/s are over the outermost\n"
		"migrate_pages() calls; phases are self time; a call nested in\n"
		"another (compaction in an allocation) is a row of its own, by reason.\n"
		"Calls and batches open where the ring buffer dropped events are left\n"
		"out and counted (\"lost events\").\n"
		"count, total, mean and max are exact; p50/p90/p99 are approximate,\n"
		"within 1/64 (1.6%%) of the exact value (log-linear histogram).\n"
		"Exit status: 0 ok, 1 unreadable trace or no migration events, 2 usage,\n"
		"3 events lost (--strict).\n");
}

/* 0: run, 1: help printed, -1: usage error */
static int parse_args(int argc, char **argv, struct report_settings *s)
{
	int opt, by;
	u64 v;

	memset(s, 0, sizeof(*s));
	s->min_folios = -1;
	s->min_bytes = -1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jcb:B:sm:M:h", report_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'm':
		case 'M':
			if (ms_parse_size("report", opt == 'm' ? "--min-folios" :
					  "--min-bytes", optarg, &v))
				return -1;
			if (v > INT64_MAX)
				v = INT64_MAX;
			*(opt == 'm' ? &s->min_folios : &s->min_bytes) = v;
			break;
		case 'b':
			by = ms_parse_by("report", optarg, by_names, NR_BY);
			if (by < 0)
				return -1;
			s->by = by;
			s->by_given = true;
			break;
		case 's':
			s->strict = true;
			break;
		case 'j':
		case 'c':
			if (s->format != FORMAT_TEXT) {
				fprintf(stderr, "migscope report: --json and --csv exclude each other\n");
				return -1;
			}
			s->format = opt == 'j' ? FORMAT_JSON : FORMAT_CSV;
			break;
		case 'B':
			s->buffer = optarg;
			break;
		case 'h':
			report_usage(stdout);
			return 1;
		default:
			report_usage(stderr);
			return -1;
		}
	}
	if (ms_check_by("report", s->by_given, s->format == FORMAT_CSV))
		return -1;
	if (optind != argc - 1) {
		report_usage(stderr);
		return -1;
	}
	s->path = argv[optind];
	return 0;
}

static int on_event(const struct ms_event *ev, void *data)
{
	struct report_ctx *ctx = data;

	return ms_engine_feed(&ctx->engine, ev);
}

/* The threshold of the options: known before the first batch */
static void threshold_from_options(struct ms_report *r,
				   const struct report_settings *s)
{
	struct ms_threshold *t = &r->res->threshold;

	if (s->min_folios < 0 && s->min_bytes < 0)
		return;
	t->known = true;
	t->min_folios = s->min_folios;
	t->min_bytes = s->min_bytes;
	r->threshold_from = "--min-folios/--min-bytes";
}

/* The active migrator's threshold, from the first migscope:migrate marker */
static void threshold_from_marker(struct ms_report *r)
{
	struct ms_threshold *t = &r->res->threshold;
	const struct ms_machine *m = &r->machine;

	if (t->known || !m->have_migrate)
		return;
	t->known = true;
	t->min_folios = m->min_folios;
	t->min_bytes = m->min_bytes;
	r->threshold_from = "migscope:migrate marker (at record start)";
}

static int on_marker(const char *text, size_t len, void *data)
{
	struct report_ctx *ctx = data;

	if (ms_machine_parse(&ctx->report.machine, text, len) < 0)
		return -1;
	threshold_from_marker(&ctx->report);
	return 0;
}

/* Pair the events of one buffer; its open calls do not leak into others */
static int scan_buffer(struct report_ctx *ctx, int buffer)
{
	struct ms_report *r = &ctx->report;
	struct ms_buffer_info *bi = &r->buffers[r->nr_buffers];
	u64 before = ms_scan_records(&r->scan);
	int ret;

	if (ms_engine_init(&ctx->engine, r->res))
		return -1;
	r->scan.on_event = on_event;
	ret = ms_input_scan(&ctx->in, buffer, &r->scan);
	ms_engine_finish(&ctx->engine);
	bi->name = ms_input_buffer_name(&ctx->in, buffer);
	bi->records = ms_scan_records(&r->scan) - before;
	r->nr_buffers++;
	return ret;
}

/* With --buffer, the markers still come from every buffer. */
static int scan_markers(struct report_ctx *ctx, int buffer)
{
	ctx->report.scan.on_event = NULL;
	return ms_input_scan(&ctx->in, buffer, &ctx->report.scan);
}

static int pick_buffer(struct report_ctx *ctx, const char *name)
{
	int i, n = ms_input_nr_buffers(&ctx->in);
	int len, used;

	i = ms_input_find_buffer(&ctx->in, name);
	if (i >= 0)
		return i;
	used = snprintf(ctx->msg, sizeof(ctx->msg),
			"no buffer named \"%s\" (buffers: top", name);
	for (i = 1; i < n && used < (int)sizeof(ctx->msg); i++) {
		len = snprintf(ctx->msg + used, sizeof(ctx->msg) - used,
			       ", %s", ms_input_buffer_name(&ctx->in, i));
		used += len;
	}
	if (used < (int)sizeof(ctx->msg))
		snprintf(ctx->msg + used, sizeof(ctx->msg) - used, ")");
	return -1;
}

static int scan_buffers(struct report_ctx *ctx, const char *only)
{
	struct ms_report *r = &ctx->report;
	int i, n = ms_input_nr_buffers(&ctx->in), pick = -1, ret;

	if (only) {
		pick = pick_buffer(ctx, only);
		if (pick < 0)
			return -1;
	}
	r->buffers = calloc(n, sizeof(*r->buffers));
	if (!r->buffers)
		goto nomem;
	/* the bytes of a batch that no migrator saw */
	r->res->threshold.page_size = ms_input_page_size(&ctx->in);
	r->scan.on_marker = on_marker;
	r->scan.data = ctx;
	for (i = 0; i < n; i++) {
		ret = pick < 0 || i == pick ? scan_buffer(ctx, i) :
					      scan_markers(ctx, i);
		if (ret) {
			ms_scan_error(&ctx->in, i, ret, ctx->msg,
				      sizeof(ctx->msg));
			return -1;
		}
	}
	return 0;
nomem:
	snprintf(ctx->msg, sizeof(ctx->msg), "cannot read the events: %s",
		 strerror(ENOMEM));
	return -1;
}

static void find_missing(struct ms_report *r)
{
	const struct ms_event_desc *ev;
	int i, nr;

	ev = ms_catalog_events(&nr);
	for (i = 0; i < nr; i++)
		if (r->scan.seen[i])
			r->has[ev[i].group] = true;
	/* recorded but never hit (no mbind in a move_pages run) is not missing */
	for (i = 0; i < nr; i++) {
		r->missing[i] = ms_group_required(ev[i].group) &&
				!r->has[ev[i].group] &&
				!ms_machine_recorded(&r->machine, ev[i].system,
						     ev[i].name);
		r->nr_missing += r->missing[i];
	}
}

static int summarize(struct report_ctx *ctx)
{
	struct ms_report *r = &ctx->report;
	struct ms_machine *m = &r->machine;

	if (ms_machine_finish(m)) {
		snprintf(ctx->msg, sizeof(ctx->msg), "out of memory");
		return -1;
	}
	find_missing(r);
	r->series_in_formats = ms_input_has_format(&ctx->in, MS_SERIES_SYSTEM,
						   "mm_migrate_batch_begin");
	ms_catalog_record_hint(r->record_hint, sizeof(r->record_hint));
	r->page_size = m->page_size ? m->page_size :
		       (u64)ms_input_page_size(&ctx->in);
	ms_timebase_init(&r->tb, m, &ctx->in.file,
			 ms_input_events_buffer(&ctx->in, &r->scan));
	return 0;
}

static int check_migration(struct report_ctx *ctx, const char *buffer)
{
	struct ms_report *r = &ctx->report;

	if (r->has[MS_GROUP_CALL] || r->has[MS_GROUP_SERIES])
		return 0;
	snprintf(ctx->msg, sizeof(ctx->msg),
		 "no page-migration events (migrate:mm_migrate_pages*, migrate_batch:*)%s%s - record them with: %s",
		 buffer ? " in buffer " : "",
		 buffer ? buffer : "", r->record_hint);
	return -1;
}

static int render_csv(const struct ms_report *r, enum report_by by)
{
	switch (by) {
	case BY_REASON:
		return ms_report_csv_reasons(r, stdout);
	case BY_MODE:
		return ms_report_csv_modes(r, stdout);
	default:
		break;
	}
	return ms_report_csv(r, stdout);
}

static int render(const struct ms_report *r,
		  const struct report_settings *s)
{
	switch (s->format) {
	case FORMAT_JSON:
		return ms_report_json(r, stdout);
	case FORMAT_CSV:
		return render_csv(r, s->by);
	case FORMAT_TEXT:
		break;
	}
	return ms_report_text(r, stdout);
}

static int report_ctx_init(struct report_ctx *ctx, const char *path)
{
	memset(ctx, 0, sizeof(*ctx));
	ms_machine_init(&ctx->report.machine);
	ctx->report.path = path;
	ctx->report.res = malloc(sizeof(*ctx->report.res));
	if (!ctx->report.res)
		return -1;
	ms_results_init(ctx->report.res);
	return 0;
}

static void report_ctx_free(struct report_ctx *ctx)
{
	ms_input_close(&ctx->in);
	ms_machine_free(&ctx->report.machine);
	free(ctx->report.buffers);
	free(ctx->report.res);
}

/* Read the trace, summarize, render: the verb proper. */
static int report_run(void *arg)
{
	const struct report_settings *settings = arg;
	struct report_ctx *ctx;
	int ret = MS_EXIT_ERROR;

	ctx = malloc(sizeof(*ctx));
	if (!ctx || report_ctx_init(ctx, settings->path)) {
		fprintf(stderr, "migscope: out of memory\n");
		goto out;
	}
	threshold_from_options(&ctx->report, settings);
	if (ms_input_open(&ctx->in, settings->path, ctx->msg,
			  sizeof(ctx->msg)) ||
	    scan_buffers(ctx, settings->buffer) ||
	    summarize(ctx) ||
	    check_migration(ctx, settings->buffer)) {
		fprintf(stderr, "migscope: %s: %s\n", settings->path,
			ctx->msg);
		goto out;
	}
	if (render(&ctx->report, settings) || fflush(stdout)) {
		ret = ms_write_failed("report");
		goto out;
	}
	ret = ms_strict_status(MS_EXIT_OK, settings->strict, settings->path,
			       &ctx->report.scan);
out:
	if (ctx)
		report_ctx_free(ctx);
	free(ctx);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	struct report_settings settings;
	int parsed = parse_args(argc, argv, &settings);

	return ms_verb_run(parsed, report_run, &settings);
}
