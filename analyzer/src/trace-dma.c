// SPDX-License-Identifier: GPL-2.0
/*
 * trace-dma.c - `migscope dma [--json|--csv] FILE` and
 * `migscope dma --crossover [--json|--csv] DIR_OR_FILE...`
 *
 * Feeds the dcbm and migrate_batch copy events of a trace to the engine
 * of dma.c and prints setup, transfer and teardown per batch and channel;
 * with --crossover, reads the traces of a sweep and prints, per folio
 * size, the smallest batch size at which the DMA copy phase is as fast as
 * the CPU's.  Definitions: migscope-dma(1).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "dma.h"
#include "migscope.h"
#include "report.h"
#include "verb-common.h"

#define SWDMA_LABEL	"software DMA engine (swdma), emulated machine"
#define RECORD_HINT	"migscope-record -p dcbm, or trace-cmd record -e dcbm (modprobe dcbm first)"
#define MAX_DEPTH	4	/* directory levels searched for *.dat */
#define CSV_HEAD \
	"id,chan,folios,bytes,descriptors,acquire_ns,map_ns,submit_ns,issue_ns," \
	"transfer_ns,wait_ns,release_ns,setup_ns,gbps,error,timeout,batch_rc," \
	"fallback,reason,mode\n"

enum dma_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_CSV,
};

struct dma_settings {
	enum dma_format	format;
	bool		crossover;
	bool		strict;
	char		**paths;
	int		nr_paths;
};

/* One trace read. */
struct dma_trace {
	const char		*path;
	struct ms_input		in;
	struct ms_machine	machine;
	struct ms_timebase	tb;
	struct ms_dma_results	res;
	struct ms_dma_engine	eng;
	char			engine_name[64];	/* migscope:dma marker */
	struct csv_row		*rows;		/* --csv only */
	int			nr_rows, cap_rows;
	struct ms_scan		scan;		/* lost events, seen */
	char			msg[1024];
};

static const struct option dma_options[] = {
	{ "json",	no_argument,	NULL, 'j' },
	{ "csv",	no_argument,	NULL, 'c' },
	{ "crossover",	no_argument,	NULL, 'x' },
	{ "strict",	no_argument,	NULL, 's' },
	{ "help",	no_argument,	NULL, 'h' },
	{ NULL,		0,		NULL, 0 },
};

static void dma_usage(FILE *out)
{
	fprintf(out,
		"usage: migscope dma [--json|--csv] [--strict] FILE\n"
		"       migscope dma --crossover [--json|--csv] [--strict] DIR_OR_FILE...\n"
		"\n"
		"DMA copy offload (the dcbm migrator) from a trace.dat recorded with\n"
		"migscope-record -p dcbm: per batch and channel, setup (acquire, map,\n"
		"submit, issue), transfer, wait and teardown (release) times, the setup\n"
		"share of the copy phase, descriptors, bytes, GB/s, errors, timeouts\n"
		"and CPU fallbacks.\n"
		"\n"
		"  -x, --crossover  read the traces of a sweep (directories: every *.dat\n"
		"                   below them) and give, per folio size, the smallest\n"
		"                   batch size at which the DMA copy phase is at least as\n"
		"                   fast as the CPU's\n"
		"  -j, --json       JSON output (schema: migscope-dma(1))\n"
		"  -c, --csv        CSV output: one row per channel and batch (with\n"
		"                   --crossover: one row per sweep point)\n"
		"  -s, --strict     exit 3 when a trace lost events (after the output,\n"
		"                   which says how many and what was left out)\n"
		"  -h, --help       this help\n"
		"\n"
		"Batches open where the ring buffer dropped events are left out and\n"
		"counted (\"lost events\").\n"
		"p50/p99 are within 1/64 of the exact value (log-linear histogram).\n"
		"Exit status: 0 ok, 1 unreadable trace or no dcbm events, 2 usage,\n"
		"3 events lost (--strict).\n");
}

/* 0: run, 1: help printed, -1: usage error */
static int parse_args(int argc, char **argv, struct dma_settings *s)
{
	int opt;

	memset(s, 0, sizeof(*s));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jcxsh", dma_options,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			s->strict = true;
			break;
		case 'j':
		case 'c':
			if (s->format != FORMAT_TEXT) {
				fprintf(stderr, "migscope dma: --json and --csv exclude each other\n");
				return -1;
			}
			s->format = opt == 'j' ? FORMAT_JSON : FORMAT_CSV;
			break;
		case 'x':
			s->crossover = true;
			break;
		case 'h':
			dma_usage(stdout);
			return 1;
		default:
			dma_usage(stderr);
			return -1;
		}
	}
	s->paths = argv + optind;
	s->nr_paths = argc - optind;
	if (s->nr_paths < 1 || (!s->crossover && s->nr_paths != 1)) {
		dma_usage(stderr);
		return -1;
	}
	return 0;
}

/* ---- input ------------------------------------------------------------ */

static int on_event(const struct ms_event *ev, void *data)
{
	struct dma_trace *t = data;
	struct ms_dma_event d;

	ms_dma_event_from(ev, &d);
	if (d.type == MS_DMA_NONE)
		return 0;
	return ms_dma_feed(&t->eng, &d);
}

/* "migscope:dma engine=NAME": a recorder may name the DMA engine. */
static void parse_engine(struct dma_trace *t, const char *text, size_t len)
{
	static const char kind[] = "migscope:dma ";
	const char *p, *end = text + strnlen(text, len);
	size_t n;

	if ((size_t)(end - text) < sizeof(kind) - 1 ||
	    strncmp(text, kind, sizeof(kind) - 1))
		return;
	p = memmem(text, end - text, "engine=", 7);
	if (!p)
		return;
	p += 7;
	n = strcspn(p, " \n\"");
	if (n > (size_t)(end - p))
		n = end - p;
	snprintf(t->engine_name, sizeof(t->engine_name), "%.*s", (int)n, p);
}

static int on_marker(const char *text, size_t len, void *data)
{
	struct dma_trace *t = data;

	parse_engine(t, text, len);
	return ms_machine_parse(&t->machine, text, len) < 0 ? -1 : 0;
}

/*
 * CSV: one row per channel of a closed batch, kept in ticks until the
 * end of the scan (the clock marker gives the unit).
 */
struct csv_row {
	u64			id;
	int			chan;
	struct ms_dma_chan	c;
	s64			batch_rc;
	bool			fallback;
	int			reason, mode;	/* of the batch's call */
};

static int on_batch(const struct ms_dma_batch *b, void *data)
{
	struct dma_trace *t = data;
	struct csv_row *rows, *r;
	int i;

	for (i = 0; i < b->nr_chans; i++) {
		if (!b->chans[i].seen)
			continue;
		if (t->nr_rows == t->cap_rows) {
			int cap = t->cap_rows ? 2 * t->cap_rows : 64;

			rows = realloc(t->rows, cap * sizeof(*rows));
			if (!rows)
				return -1;
			t->rows = rows;
			t->cap_rows = cap;
		}
		r = &t->rows[t->nr_rows++];
		r->id = b->id;
		r->chan = i;
		r->c = b->chans[i];
		r->batch_rc = b->done ? b->done_rc : 0;
		r->fallback = b->core_dispatched && b->core_rc != 0;
		r->reason = b->migrate_reason;
		r->mode = b->migrate_mode;
	}
	return 0;
}

static int trace_init(struct dma_trace *t, const char *path, bool csv)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	ms_machine_init(&t->machine);
	ms_dma_results_init(&t->res, 0);
	if (ms_dma_engine_init(&t->eng, &t->res))
		return -1;
	if (!csv)
		return 0;
	t->eng.on_batch = on_batch;
	t->eng.data = t;
	return 0;
}

static void trace_free(struct dma_trace *t)
{
	if (t->eng.batches.buckets)
		ms_dma_finish(&t->eng);
	ms_input_close(&t->in);
	ms_machine_free(&t->machine);
	ms_dma_results_free(&t->res);
	free(t->rows);
}

static u64 dcbm_seen(const struct ms_scan *scan)
{
	const struct ms_event_desc *ev;
	u64 n = 0;
	int i, nr;

	ev = ms_catalog_events(&nr);
	for (i = 0; i < nr && i < MS_CATALOG_MAX; i++)
		if (ev[i].group == MS_GROUP_DCBM)
			n += scan->seen[i];
	return n;
}

/*
 * Read every buffer of the trace.  0, or -1 with t->msg set.  With
 * need_dcbm, a trace without dcbm events is an error.
 */
static int trace_read(struct dma_trace *t, bool need_dcbm)
{
	struct ms_scan *scan = &t->scan;
	int i, n, ret;

	memset(scan, 0, sizeof(*scan));
	scan->on_event = on_event;
	scan->on_marker = on_marker;
	scan->data = t;
	if (ms_input_open(&t->in, t->path, t->msg, sizeof(t->msg)))
		return -1;
	t->res.page_size = ms_input_page_size(&t->in);
	n = ms_input_nr_buffers(&t->in);
	for (i = 0; i < n; i++) {
		ret = ms_input_scan(&t->in, i, scan);
		if (ret) {
			ms_scan_error(&t->in, i, ret, t->msg, sizeof(t->msg));
			return -1;
		}
	}
	if (ms_dma_finish(&t->eng) || ms_machine_finish(&t->machine))
		goto nomem;
	if (t->machine.page_size)
		t->res.page_size = t->machine.page_size;
	ms_timebase_init(&t->tb, &t->machine, &t->in.file,
			 ms_input_events_buffer(&t->in, scan));
	if (need_dcbm && !dcbm_seen(scan)) {
		snprintf(t->msg, sizeof(t->msg),
			 "no dcbm events (dcbm:*) - record them with: %s",
			 RECORD_HINT);
		return -1;
	}
	return 0;
nomem:
	snprintf(t->msg, sizeof(t->msg), "cannot read the events: %s",
		 strerror(ENOMEM));
	return -1;
}

/* ---- values as printed ------------------------------------------------ */

static bool in_ns(const struct dma_trace *t)
{
	return ms_timebase_is_ns(&t->tb);
}

static u64 ns_of(const struct dma_trace *t, u64 ticks)
{
	return ms_timebase_time(&t->tb, ticks);
}

/* GB/s = bytes per ns; NAN without time or when ticks are not ns. */
static double gbps_of(const struct dma_trace *t, u64 bytes, u64 ticks)
{
	if (!in_ns(t) || !ticks)
		return NAN;
	return (double)bytes / ((double)ticks * t->tb.per_tick);
}

static double setup_share(const struct ms_dma_results *r)
{
	if (!r->share_copy)
		return NAN;
	return (double)r->share_setup / (double)r->share_copy;
}

static const char *engine_label(const struct dma_trace *t)
{
	if (t->engine_name[0])
		return t->engine_name;
	if (t->machine.emulated && *t->machine.emulated)
		return SWDMA_LABEL;
	return NULL;
}

static const char *timing_label(const struct ms_machine *m, char *buf,
				size_t len)
{
	if (m->emulated && *m->emulated)
		snprintf(buf, len,
			 "EMULATED machine (%s) - compare ratios within one run, not absolute values",
			 m->emulated);
	else if (m->hypervisor == 1)
		snprintf(buf, len, "virtual machine (hypervisor)");
	else if (m->hypervisor == 0)
		snprintf(buf, len, "bare metal");
	else
		snprintf(buf, len, "unknown machine (no migscope:env marker)");
	return buf;
}

/* ---- text ------------------------------------------------------------- */

static const char *fmt_time(const struct dma_trace *t, u64 ticks, char *buf,
			    size_t len)
{
	static const char * const units[] = { "ns", "us", "ms", "s" };
	double v = (double)ns_of(t, ticks);
	int i = 0;

	if (!in_ns(t)) {
		snprintf(buf, len, "%llu %s", (unsigned long long)ticks,
			 t->tb.unit);
		return buf;
	}
	while (v >= 1000 && i < 3) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, i ? "%.2f %s" : "%.0f %s", v, units[i]);
	return buf;
}

static const char *fmt_gbps(double g, char *buf, size_t len)
{
	if (isnan(g))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", g);
	return buf;
}

static void text_stats_row(const struct dma_trace *t, const char *name,
			   const struct ms_stats *s, FILE *out)
{
	char a[32], b[32], c[32], d[32];

	fprintf(out, "  %-16s %8llu %11s %11s %11s %11s\n", name,
		(unsigned long long)s->count,
		fmt_time(t, ms_stats_mean(s), a, sizeof(a)),
		fmt_time(t, ms_stats_percentile(s, 50), b, sizeof(b)),
		fmt_time(t, ms_stats_percentile(s, 99), c, sizeof(c)),
		fmt_time(t, s->count ? s->max : 0, d, sizeof(d)));
}

static void text_head(const char *what, FILE *out)
{
	fprintf(out, "\n%-18s %8s %11s %11s %11s %11s\n", what, "count",
		"mean", "p50", "p99", "max");
}

static void text_header(const struct dma_trace *t, FILE *out)
{
	const char *engine = engine_label(t);
	char label[256], buf[320];

	fprintf(out, "migscope dma: %s\n", t->path);
	fprintf(out, "timings:    %s\n",
		timing_label(&t->machine, label, sizeof(label)));
	if (engine)
		fprintf(out, "DMA engine: %s\n", engine);
	else
		fprintf(out, "DMA engine: see dmesg (the trace does not name it)\n");
	fprintf(out, "clock:      %s\n",
		ms_timebase_describe(&t->tb, buf, sizeof(buf)));
	ms_timebase_warn(&t->tb, out);
	ms_text_lost(&t->scan, t->res.lost, out);
}

/* The batches of one reason (or mode) of their call. */
static void text_group(const char *name, const struct ms_dma_reason_totals *x,
		       FILE *out)
{
	if (!x->batches)
		return;
	fprintf(out, "  %-18s %llu batches: %llu dispatched (%llu failed, %llu bytes), %llu declined (%llu below_minimum, %llu no_channel)\n",
		name, (unsigned long long)x->batches,
		(unsigned long long)x->dispatched,
		(unsigned long long)x->failed,
		(unsigned long long)x->bytes,
		(unsigned long long)x->declined,
		(unsigned long long)x->declined_below_minimum,
		(unsigned long long)x->declined_no_channel);
}

/* The batches by the migrate reason of their call, then by its mode. */
static void text_reasons(const struct ms_dma_results *r, FILE *out)
{
	int i;

	if (r->batches)
		fprintf(out, "by the migrate reason of the call, then the migrate mode of the batch (migrate_pages() runs a MIGRATE_SYNC call's first pass MIGRATE_ASYNC):\n");
	for (i = 0; i <= MS_NR_REASONS; i++)
		text_group(ms_reason_name(i), &r->by_reason[i], out);
	for (i = 0; i <= MS_NR_MODES; i++)
		text_group(ms_mode_name(i), &r->by_mode[i], out);
}

static void text_batches(const struct dma_trace *t, FILE *out)
{
	const struct ms_dma_results *r = &t->res;

	fprintf(out, "\nbatches:    %llu handed to dcbm: %llu dispatched, %llu declined (%llu below_minimum, %llu no_channel)\n",
		(unsigned long long)r->batches,
		(unsigned long long)r->dispatched,
		(unsigned long long)r->declined,
		(unsigned long long)r->declined_below_minimum,
		(unsigned long long)r->declined_no_channel);
	fprintf(out, "errors:     %llu failed, %llu channel timeouts, %llu channel-batches with rc != 0, %llu CPU fallbacks\n",
		(unsigned long long)r->failed,
		(unsigned long long)r->timeouts,
		(unsigned long long)r->errors,
		(unsigned long long)r->fallbacks);
	fprintf(out, "copied:     %llu folios, %llu bytes, %llu descriptors",
		(unsigned long long)r->folios, (unsigned long long)r->bytes,
		(unsigned long long)r->descriptors);
	if (r->dispatched)
		fprintf(out, " (%.1f per batch)",
			(double)r->descriptors / (double)r->dispatched);
	fputc('\n', out);
	text_reasons(r, out);
}

static void text_per_batch(const struct dma_trace *t, FILE *out)
{
	const struct ms_dma_results *r = &t->res;
	double share = setup_share(r);

	text_head("per batch", out);
	text_stats_row(t, "setup", &r->setup, out);
	text_stats_row(t, "teardown", &r->teardown, out);
	text_stats_row(t, "dispatch->done", &r->dma, out);
	text_stats_row(t, "copy phase", &r->copy, out);
	if (isnan(share))
		fprintf(out, "setup share of the copy phase: - (no dispatched batch with a recorded copy phase)\n");
	else
		fprintf(out, "setup share of the copy phase: %.1f%% (%llu batches)\n",
			share * 100.0, (unsigned long long)r->copy.count);
}

static void text_stages(const struct dma_trace *t, FILE *out)
{
	int st;

	text_head("per channel-batch", out);
	for (st = 0; st < MS_DMA_NR_STAGES; st++)
		text_stats_row(t, ms_dma_stage_name(st), &t->res.stage[st],
			       out);
}

static void text_channels(const struct dma_trace *t, FILE *out)
{
	const struct ms_dma_results *r = &t->res;
	char a[32], g[32];
	int i;

	fprintf(out, "\n%-6s %8s %12s %14s %11s %8s %7s %9s\n", "chan",
		"batches", "descriptors", "bytes", "transfer", "GB/s",
		"errors", "timeouts");
	for (i = 0; i < r->nr_chans; i++) {
		const struct ms_dma_chan_totals *c = &r->chans[i];

		fprintf(out, "%-6d %8llu %12llu %14llu %11s %8s %7llu %9llu\n",
			i, (unsigned long long)c->batches,
			(unsigned long long)c->descriptors,
			(unsigned long long)c->bytes,
			fmt_time(t, ms_stats_mean(&c->transfer), a, sizeof(a)),
			fmt_gbps(gbps_of(t, c->transfer_bytes,
					 c->transfer.total), g, sizeof(g)),
			(unsigned long long)c->errors,
			(unsigned long long)c->timeouts);
	}
}

static void text_notes(const struct dma_trace *t, FILE *out)
{
	const struct ms_dma_results *r = &t->res;

	fprintf(out, "\nsetup = acquire + map + submit + issue (task time until the last issue);\n"
		"transfer = issue -> completion callback; teardown = release.  See migscope-dma(1).\n");
	if (r->complete_untraced)
		fprintf(out, "note: %llu channel-batches completed before issue returned (no complete event): transfer 0\n",
			(unsigned long long)r->complete_untraced);
	if (r->incomplete)
		fprintf(out, "note: %llu dispatched batches without dcbm_done (trace cut)\n",
			(unsigned long long)r->incomplete);
	if (r->bad_events)
		fprintf(out, "note: %llu dcbm events without their batch's dispatch, not used\n",
			(unsigned long long)r->bad_events);
	if (r->negative_spans)
		fprintf(out, "warning: %llu spans end before they begin (read as 0): the trace clock is not synchronized between CPUs; record with -C mono\n",
			(unsigned long long)r->negative_spans);
}

static int dma_text(const struct dma_trace *t, FILE *out)
{
	text_header(t, out);
	text_batches(t, out);
	text_per_batch(t, out);
	text_stages(t, out);
	text_channels(t, out);
	text_notes(t, out);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *time_json(const struct dma_trace *t, u64 ticks)
{
	return ms_json_u64(ns_of(t, ticks));
}

static json_t *stats_json(const struct dma_trace *t, const struct ms_stats *s)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o}",
			 "count", ms_json_u64(s->count),
			 "mean", time_json(t, ms_stats_mean(s)),
			 "p50", time_json(t, ms_stats_percentile(s, 50)),
			 "p99", time_json(t, ms_stats_percentile(s, 99)),
			 "max", time_json(t, s->count ? s->max : 0));
}

/* .stages: the means; .stage_stats: count/mean/p50/p99/max */
static json_t *stages_json(const struct dma_trace *t, bool full)
{
	json_t *o = json_object();
	char key[32];
	int st;

	for (st = 0; o && st < MS_DMA_NR_STAGES; st++) {
		const struct ms_stats *s = &t->res.stage[st];

		snprintf(key, sizeof(key), "%s%s", ms_dma_stage_name(st),
			 full ? "" : "_ns");
		json_object_set_new(o, key, full ? stats_json(t, s) :
					    time_json(t, ms_stats_mean(s)));
	}
	return o;
}

static json_t *channels_json(const struct dma_trace *t)
{
	const struct ms_dma_results *r = &t->res;
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < r->nr_chans; i++) {
		const struct ms_dma_chan_totals *c = &r->chans[i];

		json_array_append_new(a, json_pack(
			"{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"chan", i,
			"batches", ms_json_u64(c->batches),
			"descriptors", ms_json_u64(c->descriptors),
			"bytes", ms_json_u64(c->bytes),
			"transfer_ns", time_json(t, ms_stats_mean(&c->transfer)),
			"gbps", ms_json_real(gbps_of(t, c->transfer_bytes,
						     c->transfer.total)),
			"errors", ms_json_u64(c->errors),
			"timeouts", ms_json_u64(c->timeouts)));
	}
	return a;
}

/* [{KEY:S, "batches":N, ...}] for the groups (reasons or modes) with batches */
static json_t *groups_json(const struct ms_dma_reason_totals *g, int nr,
			   const char *key, const char *(*name)(s64))
{
	const struct ms_dma_reason_totals *x;
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < nr; i++) {
		x = &g[i];
		if (x->batches && json_array_append_new(a, json_pack(
			"{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			key, name(i),
			"batches", ms_json_u64(x->batches),
			"dispatched", ms_json_u64(x->dispatched),
			"declined", ms_json_u64(x->declined),
			"declined_below_minimum",
			ms_json_u64(x->declined_below_minimum),
			"declined_no_channel",
			ms_json_u64(x->declined_no_channel),
			"failed", ms_json_u64(x->failed),
			"bytes", ms_json_u64(x->bytes)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *batches_json(const struct ms_dma_results *r)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			 " s:o, s:o, s:o, s:o}",
			 "count", ms_json_u64(r->batches),
			 "dispatched", ms_json_u64(r->dispatched),
			 "declined", ms_json_u64(r->declined),
			 "declined_below_minimum",
			 ms_json_u64(r->declined_below_minimum),
			 "declined_no_channel",
			 ms_json_u64(r->declined_no_channel),
			 "failed", ms_json_u64(r->failed),
			 "timeouts", ms_json_u64(r->timeouts),
			 "fallbacks", ms_json_u64(r->fallbacks),
			 "errors", ms_json_u64(r->errors),
			 "folios", ms_json_u64(r->folios),
			 "bytes", ms_json_u64(r->bytes),
			 "descriptors", ms_json_u64(r->descriptors),
			 "by_reason", groups_json(r->by_reason,
						  MS_NR_REASONS + 1, "reason",
						  ms_reason_name),
			 "by_mode", groups_json(r->by_mode, MS_NR_MODES + 1,
						"mode", ms_mode_name));
}

static json_t *environment_json(const struct dma_trace *t)
{
	char label[256];

	return json_pack("{s:o, s:s, s:o}",
			 "emulated", ms_json_str(t->machine.emulated),
			 "timing_label",
			 timing_label(&t->machine, label, sizeof(label)),
			 "dma_engine", ms_json_str(engine_label(t)));
}

static json_t *dma_json(const struct dma_trace *t)
{
	const struct ms_dma_results *r = &t->res;

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o,"
			 " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i}",
			 "tool", "migscope dma",
			 "version", MS_VERSION,
			 "trace", t->path,
			 "time_unit", t->tb.unit,
			 "timebase", ms_timebase_json(&t->tb),
			 "environment", environment_json(t),
			 "batches", batches_json(r),
			 "stages", stages_json(t, false),
			 "stage_stats", stages_json(t, true),
			 "setup_ns", time_json(t, ms_stats_mean(&r->setup)),
			 "teardown_ns",
			 time_json(t, ms_stats_mean(&r->teardown)),
			 "dma_ns", time_json(t, ms_stats_mean(&r->dma)),
			 "copy_ns", time_json(t, ms_stats_mean(&r->copy)),
			 "setup_share", ms_json_real(setup_share(r)),
			 "channels", channels_json(t),
			 "notes", json_pack("{s:o, s:o, s:o, s:o}",
				"complete_untraced",
				ms_json_u64(r->complete_untraced),
				"incomplete", ms_json_u64(r->incomplete),
				"bad_events", ms_json_u64(r->bad_events),
				"negative_spans",
				ms_json_u64(r->negative_spans)),
			 "lost_events", ms_json_lost_batches(&t->scan,
							     r->lost),
			 "schema_version", MS_SCHEMA_VERSION);
}

/* ---- one trace -------------------------------------------------------- */

static void csv_stage(const struct dma_trace *t, const struct ms_dma_chan *c,
		      enum ms_dma_stage st, FILE *out)
{
	if (c->has[st])
		fprintf(out, ",%llu",
			(unsigned long long)ns_of(t, c->stage[st]));
	else
		fputc(',', out);
}

static void csv_row(const struct dma_trace *t, const struct csv_row *r,
		    FILE *out)
{
	const struct ms_dma_chan *c = &r->c;
	double g = NAN;
	int st;

	fprintf(out, "%llu,%d,%llu,%llu,%llu", (unsigned long long)r->id,
		r->chan, (unsigned long long)c->folios,
		(unsigned long long)c->bytes,
		(unsigned long long)c->descriptors);
	for (st = 0; st < MS_DMA_NR_STAGES; st++)
		csv_stage(t, c, st, out);
	fprintf(out, ",%llu,",
		(unsigned long long)ns_of(t, ms_dma_chan_setup(c)));
	if (c->has[MS_DMA_ST_TRANSFER])
		g = gbps_of(t, c->bytes, c->stage[MS_DMA_ST_TRANSFER]);
	if (!isnan(g))
		fprintf(out, "%.6g", g);
	fprintf(out, ",%d,%d,%lld,%d,%s,%s\n", c->error, c->timeout,
		(long long)r->batch_rc, r->fallback, ms_reason_name(r->reason),
		ms_mode_name(r->mode));
}

static int dma_csv(const struct dma_trace *t, FILE *out)
{
	int i;

	ms_timebase_csv_header(&t->tb, CSV_HEAD, out);
	for (i = 0; i < t->nr_rows; i++)
		csv_row(t, &t->rows[i], out);
	ms_csv_lost(&t->scan, t->res.lost, out);
	return ferror(out) ? -1 : 0;
}

static int render(struct dma_trace *t, enum dma_format format)
{
	switch (format) {
	case FORMAT_JSON:
		return ms_json_dump(dma_json(t), &t->tb, stdout);
	case FORMAT_CSV:
		return dma_csv(t, stdout);
	case FORMAT_TEXT:
		break;
	}
	return dma_text(t, stdout);
}

static int dma_run(void *arg)
{
	const struct dma_settings *s = arg;
	struct dma_trace *t;
	int ret = MS_EXIT_ERROR;

	t = malloc(sizeof(*t));
	if (!t || trace_init(t, s->paths[0], s->format == FORMAT_CSV)) {
		fprintf(stderr, "migscope: out of memory\n");
		goto out;
	}
	if (trace_read(t, true)) {
		fprintf(stderr, "migscope: %s: %s\n", t->path, t->msg);
		goto out;
	}
	if (render(t, s->format) || fflush(stdout)) {
		ret = ms_write_failed("report");
		goto out;
	}
	ret = ms_strict_status(MS_EXIT_OK, s->strict, s->paths[0], &t->scan);
out:
	if (t)
		trace_free(t);
	free(t);
	return ret;
}

/* ---- crossover -------------------------------------------------------- */

struct sweep {
	char			**files;
	int			nr_files;
	int			used;		/* traces with points */
	int			skipped;	/* unreadable, no points */
	bool			emulated;
	struct ms_dma_results	all;		/* points, times in ns */
	struct ms_scan		lost;		/* missed, gaps: summed */
	u64			lost_batches;
};

static int add_file(struct sweep *sw, const char *path)
{
	char **f = realloc(sw->files, (sw->nr_files + 1) * sizeof(*f));

	if (!f)
		return -1;
	sw->files = f;
	f[sw->nr_files] = strdup(path);
	if (!f[sw->nr_files])
		return -1;
	sw->nr_files++;
	return 0;
}

static bool is_dat(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".dat");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Every *.dat below dir, MAX_DEPTH levels down. */
static int add_dir(struct sweep *sw, const char *dir, int depth)
{
	struct dirent *de;
	struct stat st;
	char *path;
	DIR *d;
	int ret = 0;

	d = opendir(dir);
	if (!d)
		return -1;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			ret = -1;
			break;
		}
		if (!stat(path, &st)) {
			if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
				ret = add_dir(sw, path, depth + 1);
			else if (S_ISREG(st.st_mode) && is_dat(de->d_name))
				ret = add_file(sw, path);
		}
		free(path);
	}
	closedir(d);
	return ret;
}

static int collect(struct sweep *sw, char **paths, int n)
{
	struct stat st;
	int i, first;

	for (i = 0; i < n; i++) {
		if (stat(paths[i], &st) || !S_ISDIR(st.st_mode)) {
			if (add_file(sw, paths[i]))
				return -1;
			continue;
		}
		first = sw->nr_files;
		if (add_dir(sw, paths[i], 1)) {
			fprintf(stderr, "migscope: %s: cannot read the directory: %s\n",
				paths[i], strerror(errno));
			return -1;
		}
		qsort(sw->files + first, sw->nr_files - first,
		      sizeof(*sw->files), cmp_str);
	}
	return 0;
}

/* The points of one trace, their times turned into ns. */
static int sweep_merge(struct sweep *sw, struct dma_trace *t)
{
	int i;

	for (i = 0; i < t->res.nr_points; i++)
		t->res.points[i].ticks = ns_of(t, t->res.points[i].ticks);
	if (t->machine.emulated && *t->machine.emulated)
		sw->emulated = true;
	sw->lost.missed += t->scan.missed;
	sw->lost.gaps += t->scan.gaps;
	sw->lost_batches += t->res.lost;
	return ms_dma_merge_points(&sw->all, &t->res);
}

/* A trace that cannot be read is named and skipped: 0, -1 on ENOMEM. */
static int sweep_read(struct sweep *sw, const char *path)
{
	struct dma_trace *t = malloc(sizeof(*t));
	int ret = -1;

	if (!t || trace_init(t, path, false))
		goto out;
	if (trace_read(t, false)) {
		fprintf(stderr, "migscope: %s: %s (skipped)\n", path, t->msg);
		sw->skipped++;
	} else if (!in_ns(t)) {
		fprintf(stderr, "migscope: %s: times in %s, not ns (skipped)\n",
			path, t->tb.unit);
		sw->skipped++;
	} else if (!t->res.nr_points) {
		fprintf(stderr, "migscope: %s: no complete copy phase with its migrator (skipped)\n",
			path);
		sw->skipped++;
	} else {
		if (sweep_merge(sw, t))
			goto out;
		sw->used++;
	}
	ret = 0;
out:
	if (t)
		trace_free(t);
	free(t);
	return ret;
}

static const char *fmt_bytes(u64 v, char *buf, size_t len)
{
	if (v >= (1 << 20) && !(v % (1 << 20)))
		snprintf(buf, len, "%lluM", (unsigned long long)(v >> 20));
	else if (v >= 1024 && !(v % 1024))
		snprintf(buf, len, "%lluK", (unsigned long long)(v >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

static void cross_text_points(const struct sweep *sw, FILE *out)
{
	char f[32];
	int i;

	fprintf(out, "\n%-7s %11s %-7s %9s %8s %14s %10s\n", "folio",
		"batch_pages", "copy", "channels", "batches", "bytes",
		"GB/s");
	for (i = 0; i < sw->all.nr_points; i++) {
		const struct ms_dma_point *p = &sw->all.points[i];

		fprintf(out, "%-7s %11llu %-7s %9llu %8llu %14llu %10.3f\n",
			fmt_bytes(p->folio_bytes, f, sizeof(f)),
			(unsigned long long)p->batch_pages,
			p->dma ? "dcbm" : "kernel",
			(unsigned long long)p->channels,
			(unsigned long long)p->batches,
			(unsigned long long)p->bytes,
			ms_dma_point_gbps(p, 1.0));
	}
}

static int cross_text(const struct sweep *sw,
		      const struct ms_dma_crossover *x, int nx, FILE *out)
{
	char f[32];
	int i;

	fprintf(out, "migscope dma --crossover: %d traces read, %d skipped\n",
		sw->used, sw->skipped);
	if (sw->emulated)
		fprintf(out, "DMA engine: %s - compare ratios within one run\n",
			SWDMA_LABEL);
	else
		fprintf(out, "DMA engine: see dmesg (the traces do not name it)\n");
	ms_text_lost(&sw->lost, sw->lost_batches, out);
	fprintf(out, "copy-phase GB/s per folio size, batch size and copier (dcbm: per channel count):\n");
	cross_text_points(sw, out);
	fprintf(out, "\nDMA overtakes the CPU copy (smallest batch with DMA GB/s >= CPU GB/s, best channel count):\n");
	for (i = 0; i < nx; i++) {
		fmt_bytes(x[i].folio_bytes, f, sizeof(f));
		if (x[i].found)
			fprintf(out, "  %-6s at %llu pages: DMA %.3f GB/s (%llu channels) >= CPU %.3f GB/s\n",
				f, (unsigned long long)x[i].batch_pages,
				x[i].dma_gbps,
				(unsigned long long)x[i].channels,
				x[i].cpu_gbps);
		else
			fprintf(out, "  %-6s never within the sweep (%d batch sizes with both DMA and CPU)\n",
				f, x[i].compared);
	}
	return ferror(out) ? -1 : 0;
}

static json_t *cross_points_json(const struct sweep *sw)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < sw->all.nr_points; i++) {
		const struct ms_dma_point *p = &sw->all.points[i];

		json_array_append_new(a, json_pack(
			"{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
			"folio_bytes", ms_json_u64(p->folio_bytes),
			"batch_pages", ms_json_u64(p->batch_pages),
			"migrator", p->dma ? "dcbm" : "kernel",
			"channels", ms_json_u64(p->channels),
			"batches", ms_json_u64(p->batches),
			"bytes", ms_json_u64(p->bytes),
			"copy_ns", ms_json_u64(p->ticks),
			"gbps", json_real(ms_dma_point_gbps(p, 1.0))));
	}
	return a;
}

static json_t *cross_json(const struct sweep *sw,
			  const struct ms_dma_crossover *x, int nx)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < nx; i++) {
		bool f = x[i].found;

		json_array_append_new(a, json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:i}",
			"folio_bytes", ms_json_u64(x[i].folio_bytes),
			"batch_pages", f ? ms_json_u64(x[i].batch_pages) :
					   json_null(),
			"dma_gbps", f ? json_real(x[i].dma_gbps) : json_null(),
			"cpu_gbps", f ? json_real(x[i].cpu_gbps) : json_null(),
			"channels",
			f ? ms_json_u64(x[i].channels) : json_null(),
			"compared", x[i].compared));
	}
	return json_pack("{s:s, s:s, s:i, s:o, s:i, s:i, s:o, s:o, s:o}",
			 "tool", "migscope dma --crossover",
			 "version", MS_VERSION,
			 "schema_version", MS_SCHEMA_VERSION,
			 "lost_events", ms_json_lost_batches(&sw->lost,
							     sw->lost_batches),
			 "traces", sw->used,
			 "skipped", sw->skipped,
			 "dma_engine", sw->emulated ? json_string(SWDMA_LABEL) :
						      json_null(),
			 "points", cross_points_json(sw),
			 "crossover", a);
}

static int cross_csv(const struct sweep *sw, FILE *out)
{
	int i;

	fprintf(out, "folio_bytes,batch_pages,migrator,channels,batches,bytes,copy_ns,gbps\n");
	for (i = 0; i < sw->all.nr_points; i++) {
		const struct ms_dma_point *p = &sw->all.points[i];

		fprintf(out, "%llu,%llu,%s,%llu,%llu,%llu,%llu,%.6g\n",
			(unsigned long long)p->folio_bytes,
			(unsigned long long)p->batch_pages,
			p->dma ? "dcbm" : "kernel",
			(unsigned long long)p->channels,
			(unsigned long long)p->batches,
			(unsigned long long)p->bytes,
			(unsigned long long)p->ticks,
			ms_dma_point_gbps(p, 1.0));
	}
	ms_csv_lost(&sw->lost, sw->lost_batches, out);
	return ferror(out) ? -1 : 0;
}

static int cross_render(struct sweep *sw, enum dma_format format)
{
	struct ms_dma_crossover *x;
	int nx, ret;

	nx = ms_dma_crossover(&sw->all, 1.0, &x);
	if (nx < 0)
		return -1;
	switch (format) {
	case FORMAT_JSON:
		ret = ms_json_dump(cross_json(sw, x, nx), NULL, stdout);
		break;
	case FORMAT_CSV:
		ret = cross_csv(sw, stdout);
		break;
	default:
		ret = cross_text(sw, x, nx, stdout);
		break;
	}
	free(x);
	return ret;
}

static void sweep_free(struct sweep *sw)
{
	int i;

	for (i = 0; i < sw->nr_files; i++)
		free(sw->files[i]);
	free(sw->files);
	ms_dma_results_free(&sw->all);
}

static int crossover_run(void *arg)
{
	const struct dma_settings *s = arg;
	struct sweep sw = { 0 };
	int i, ret = MS_EXIT_ERROR;

	ms_dma_results_init(&sw.all, 0);
	if (collect(&sw, s->paths, s->nr_paths))
		goto out;
	for (i = 0; i < sw.nr_files; i++)
		if (sweep_read(&sw, sw.files[i])) {
			fprintf(stderr, "migscope: out of memory\n");
			goto out;
		}
	if (!sw.used) {
		fprintf(stderr, "migscope: %s: no trace with a copy phase (need migrate_batch events: %s)\n",
			s->paths[0], RECORD_HINT);
		goto out;
	}
	if (cross_render(&sw, s->format) || fflush(stdout)) {
		ret = ms_write_failed("report");
		goto out;
	}
	ret = ms_strict_status(MS_EXIT_OK, s->strict, "the sweep", &sw.lost);
out:
	sweep_free(&sw);
	return ret;
}

int cmd_dma(int argc, char **argv)
{
	struct dma_settings s;
	int parsed = parse_args(argc, argv, &s);

	return ms_verb_run(parsed, s.crossover ? crossover_run : dma_run, &s);
}
