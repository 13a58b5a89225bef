// SPDX-License-Identifier: GPL-2.0
/*
 * trace-ccd.c - `migscope ccd [--json|--csv [--by cpu|reason|mode]] FILE`
 *
 * Feeds the mtcopy events of every buffer to the engine of ccd.c, groups
 * the worker CPUs by the topology markers and prints busy time, bytes,
 * GB/s and share per CPU, L3 domain and node, and per migrate reason by L3
 * domain, with imbalance, critical path, overheads and the worker CPU
 * time.  Definitions: ccd.h, migscope-ccd(1).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migscope.h"
#include "trace-ccd.h"
#include "verb-common.h"

enum ccd_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_CSV,
};

/* the rows of the CSV */
enum ccd_by {
	BY_CPU,
	BY_REASON,
	BY_MODE,
	NR_BY,
};

static const char *const by_names[NR_BY] = {
	[BY_CPU] = "cpu",
	[BY_REASON] = "reason",
	[BY_MODE] = "mode",
};

struct ccd_settings {
	enum ccd_format	format;
	enum ccd_by	by;
	bool		by_given;
	bool		strict;
	const char	*path;
};

static const struct option ccd_options[] = {
	{ "json",	no_argument,	NULL, 'j' },
	{ "csv",	no_argument,	NULL, 'c' },
	{ "by",		required_argument, NULL, 'b' },
	{ "strict",	no_argument,	NULL, 's' },
	{ "help",	no_argument,	NULL, 'h' },
	{ NULL,		0,		NULL, 0 },
};

static void ccd_usage(FILE *out)
{
	fprintf(out,
		"usage: migscope ccd [--json|--csv [--by cpu|reason|mode]] [--strict] FILE\n"
		"\n"
		"Multi-threaded copy (the mtcopy migrator) per worker CPU, L3 domain\n"
		"(CCD) and node: busy time, bytes, GB/s, share of all worker time;\n"
		"per batch: imbalance (max / mean worker busy), critical path (max\n"
		"worker busy / copy wall time), dispatch and wait overhead, and the\n"
		"worker CPU time the migrating task is not charged for; per migrate\n"
		"reason and mode of the batches, their worker time by L3 domain.\n"
		"\n"
		"  -j, --json   JSON output (schema: migscope-ccd(1))\n"
		"  -c, --csv    CSV output, one row per worker CPU\n"
		"  -b, --by KEY with --csv: one row per worker CPU (cpu, the default),\n"
		"               or per migrate reason (mode) and L3 domain\n"
		"               (reason, mode)\n"
		"  -s, --strict exit 3 when the trace lost events (after the output,\n"
		"               which says how many and what was left out)\n"
		"  -h, --help   this help\n"
		"\n"
		"Batches and worker runs open where the ring buffer dropped events\n"
		"are left out and counted (\"lost events\").\n"
		"Exit status: 0 ok, 1 unreadable trace or no mtcopy events, 2 usage,\n"
		"3 events lost (--strict).\n");
}

/* 0: run, 1: help printed, -1: usage error */
static int parse_args(int argc, char **argv, struct ccd_settings *s)
{
	int opt, by;

	memset(s, 0, sizeof(*s));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jcb:sh", ccd_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'b':
			by = ms_parse_by("ccd", optarg, by_names, NR_BY);
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
				fprintf(stderr, "migscope ccd: --json and --csv exclude each other\n");
				return -1;
			}
			s->format = opt == 'j' ? FORMAT_JSON : FORMAT_CSV;
			break;
		case 'h':
			ccd_usage(stdout);
			return 1;
		default:
			ccd_usage(stderr);
			return -1;
		}
	}
	if (ms_check_by("ccd", s->by_given, s->format == FORMAT_CSV))
		return -1;
	if (optind != argc - 1) {
		ccd_usage(stderr);
		return -1;
	}
	s->path = argv[optind];
	return 0;
}

/* ---- input ------------------------------------------------------------ */

static int on_event(const struct ms_event *ev, void *data)
{
	struct ms_ccd_trace *t = data;

	if (t->phases && ms_engine_feed(&t->engine, ev))
		return -1;
	return ms_ccd_feed(&t->ccd, ev);
}

static int on_marker(const char *text, size_t len, void *data)
{
	struct ms_ccd_trace *t = data;

	return ms_machine_parse(&t->report.machine, text, len) < 0 ? -1 : 0;
}

/* Pairing is per buffer: nothing open in one leaks into the next. */
static int scan_buffer(struct ms_ccd_trace *t, int buffer)
{
	int ret;

	if (ms_ccd_engine_init(&t->ccd, &t->cres))
		return -1;
	if (t->phases && ms_engine_init(&t->engine, t->report.res)) {
		ms_ccd_finish(&t->ccd);
		return -1;
	}
	ret = ms_input_scan(&t->in, buffer, &t->report.scan);
	ms_ccd_finish(&t->ccd);
	if (t->phases)
		ms_engine_finish(&t->engine);
	return ret;
}

static int scan_all(struct ms_ccd_trace *t)
{
	int i, n = ms_input_nr_buffers(&t->in), ret;

	t->report.scan.on_event = on_event;
	t->report.scan.on_marker = on_marker;
	t->report.scan.data = t;
	for (i = 0; i < n; i++) {
		ret = scan_buffer(t, i);
		if (ret) {
			ms_scan_error(&t->in, i, ret, t->msg, sizeof(t->msg));
			return -1;
		}
	}
	return 0;
}

/* Which groups were recorded, the mtcopy records among them. */
static void note_groups(struct ms_ccd_trace *t)
{
	const struct ms_event_desc *ev;
	struct ms_report *r = &t->report;
	int i, nr;

	ev = ms_catalog_events(&nr);
	for (i = 0; i < nr && i < MS_CATALOG_MAX; i++) {
		if (!r->scan.seen[i])
			continue;
		r->has[ev[i].group] = true;
		if (ev[i].group == MS_GROUP_MTCOPY)
			t->mtcopy_seen += r->scan.seen[i];
	}
}

static int summarize(struct ms_ccd_trace *t)
{
	struct ms_report *r = &t->report;
	struct ms_machine *m = &r->machine;

	if (ms_machine_finish(m) || ms_ccd_group(&t->cres, m)) {
		snprintf(t->msg, sizeof(t->msg), "out of memory");
		return -1;
	}
	note_groups(t);
	r->series_in_formats = ms_input_has_format(&t->in, MS_SERIES_SYSTEM,
						   "mm_migrate_batch_begin");
	ms_catalog_record_hint(r->record_hint, sizeof(r->record_hint));
	r->page_size = m->page_size ? m->page_size :
		       (u64)ms_input_page_size(&t->in);
	ms_timebase_init(&r->tb, m, &t->in.file,
			 ms_input_events_buffer(&t->in, &r->scan));
	return 0;
}

static int trace_init(struct ms_ccd_trace *t, const char *path, bool phases)
{
	memset(t, 0, sizeof(*t));
	ms_machine_init(&t->report.machine);
	ms_ccd_results_init(&t->cres);
	t->report.path = path;
	t->phases = phases;
	if (!phases)
		return 0;
	t->report.res = malloc(sizeof(*t->report.res));
	if (!t->report.res)
		return -1;
	ms_results_init(t->report.res);
	return 0;
}

int ms_ccd_trace_read(struct ms_ccd_trace *t, const char *path, bool phases)
{
	if (trace_init(t, path, phases)) {
		snprintf(t->msg, sizeof(t->msg), "out of memory");
		return -1;
	}
	if (ms_input_open(&t->in, path, t->msg, sizeof(t->msg)) ||
	    scan_all(t) || summarize(t))
		return -1;
	return 0;
}

void ms_ccd_trace_free(struct ms_ccd_trace *t)
{
	ms_input_close(&t->in);
	ms_machine_free(&t->report.machine);
	ms_ccd_results_free(&t->cres);
	free(t->report.res);
	t->report.res = NULL;
}

const char *ms_ccd_topology_note(const struct ms_ccd_trace *t)
{
	return t->cres.topology ? NULL :
	       "topology unknown (no migscope:cpu markers): per CPU only";
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *time_json(const struct ms_ccd_trace *t, u64 ticks)
{
	return ms_json_u64(ms_report_time(&t->report, ticks));
}

static json_t *topo_cpus_json(const struct ms_machine *m)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < m->nr_cpus; i++)
		json_array_append_new(a, json_pack("{s:i, s:i, s:i}",
			"cpu", m->cpus[i].cpu, "node", m->cpus[i].node,
			"l3", m->cpus[i].l3));
	return a;
}

static json_t *topology_json(const struct ms_machine *m)
{
	json_t *l3 = json_array();
	int i;

	if (!ms_machine_has_topology(m)) {
		json_decref(l3);
		return json_null();
	}
	for (i = 0; l3 && i < m->nr_l3; i++)
		json_array_append_new(l3, json_pack("{s:i, s:s, s:i}",
			"id", m->l3[i].id, "cpus", m->l3[i].cpus,
			"node", m->l3[i].node));
	return json_pack("{s:o, s:o}", "cpus", topo_cpus_json(m),
			 "l3_domains", l3);
}

/*
 * Lost events; mtcopy batches and workers open across a gap, and the
 * migrate_pages() calls and batches (report's engine, when it ran) left
 * out.
 */
static json_t *lost_json(const struct ms_ccd_trace *t)
{
	const struct ms_results *res = t->report.res;
	json_t *o = ms_json_lost_batches(&t->report.scan,
					 t->cres.lost_batches);

	if (!o || json_object_set_new(o, "workers",
				      ms_json_u64(t->cres.lost_workers)) ||
	    json_object_set_new(o, "negative_worker_spans",
				ms_json_u64(t->cres.negative_spans)) ||
	    json_object_set_new(o, "calls",
				ms_json_u64(res ? res->lost_calls : 0)) ||
	    json_object_set_new(o, "migrate_batches",
				ms_json_u64(res ? res->lost_batches : 0))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The keys every migscope JSON starts with. */
json_t *ms_ccd_header_json(const struct ms_ccd_trace *t, const char *tool)
{
	const struct ms_report *r = &t->report;

	return json_pack("{s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:s, s:o, s:o,"
			 " s:o, s:o}",
			 "tool", tool,
			 "version", MS_VERSION,
			 "schema_version", MS_SCHEMA_VERSION,
			 "trace", r->path,
			 "kernel", ms_json_kernel(&r->machine),
			 "clock", ms_json_str(r->tb.assumed ? NULL :
						      r->tb.clock),
			 "environment", ms_json_environment(r),
			 "time_unit", r->tb.unit,
			 "timebase", ms_timebase_json(&r->tb),
			 "topology", topology_json(&r->machine),
			 "topology_note", ms_json_str(ms_ccd_topology_note(t)),
			 "lost_events", lost_json(t));
}

/* Adds busy_ns, bytes, gbps, share and workers of u to o; 0 or -1. */
static int use_set(const struct ms_ccd_trace *t, json_t *o,
		   const struct ms_ccd_use *u)
{
	const struct ms_ccd_results *c = &t->cres;

	return json_object_set_new(o, "busy_ns", time_json(t, u->busy)) ||
	       json_object_set_new(o, "bytes", ms_json_u64(u->bytes)) ||
	       json_object_set_new(o, "gbps", ms_json_real(
			ms_report_gbps(&t->report, u->bytes, u->busy))) ||
	       json_object_set_new(o, "share",
				   ms_json_real(ms_ccd_share(c, u->busy))) ||
	       json_object_set_new(o, "workers", ms_json_u64(u->workers));
}

/* {key: id, busy_ns, ...}; key NULL: the figures only */
static json_t *use_json(const struct ms_ccd_trace *t,
			const struct ms_ccd_use *u, const char *key)
{
	json_t *o = key ? json_pack("{s:i}", key, u->id) : json_object();

	if (o && use_set(t, o, u)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Adds l3 and node (cpus) or cpus and node (l3 domains) to o. */
static json_t *place_json(json_t *o, const struct ms_ccd_use *u, bool cpu)
{
	if (o && ((cpu && json_object_set_new(o, "l3", json_integer(u->l3))) ||
		  (!cpu && json_object_set_new(o, "cpus",
					       json_string(u->cpus))) ||
		  json_object_set_new(o, "node", json_integer(u->node)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *workers_json(const struct ms_ccd_trace *t)
{
	const struct ms_ccd_results *c = &t->cres;
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < c->nr_cpu; i++)
		if (c->cpu[i].workers)
			json_array_append_new(a, place_json(use_json(t,
				&c->cpu[i], "cpu"), &c->cpu[i], true));
	return a;
}

/* l3: the results' domains, all workers or one reason's */
static json_t *l3_json(const struct ms_ccd_trace *t,
		       const struct ms_ccd_use *l3)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < t->cres.nr_l3; i++)
		json_array_append_new(a, place_json(use_json(t, &l3[i], "l3"),
						    &l3[i], false));
	return a;
}

static bool reason_used(const struct ms_ccd_reason *r)
{
	return r->batches || r->all.workers;
}

/* One group: {KEY: NAME, "batches", the use, "l3_domains", "no_l3"} */
static json_t *group_json(const struct ms_ccd_trace *t,
			  const struct ms_ccd_reason *r, const char *key,
			  const char *name)
{
	json_t *o = json_pack("{s:s, s:o}", key, name,
			      "batches", ms_json_u64(r->batches));

	if (o && (use_set(t, o, &r->all) ||
		  json_object_set_new(o, "l3_domains", l3_json(t, r->l3)) ||
		  json_object_set_new(o, "no_l3",
				      use_json(t, &r->no_l3, NULL)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The reasons (modes) with batches or worker runs, in enum order. */
static json_t *groups_json(const struct ms_ccd_trace *t,
			   const struct ms_ccd_reason *g, int nr,
			   const char *key, const char *(*name)(s64))
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < nr; i++)
		if (reason_used(&g[i]) &&
		    json_array_append_new(a, group_json(t, &g[i], key,
							name(i)))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *nodes_json(const struct ms_ccd_trace *t)
{
	const struct ms_ccd_results *c = &t->cres;
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < c->nr_nodes; i++)
		json_array_append_new(a, use_json(t, &c->nodes[i], "node"));
	return a;
}

static json_t *mean_max_json(const struct ms_ccd_ratio *r)
{
	return json_pack("{s:o, s:o}", "mean", ms_json_real(ms_ccd_mean(r)),
			 "max", ms_json_real(ms_ccd_max(r)));
}

static json_t *mean_time_json(const struct ms_ccd_trace *t, u64 sum, u64 n)
{
	return n ? time_json(t, sum / n) : json_null();
}

static json_t *policy_json(const struct ms_ccd_results *c)
{
	if (!c->dispatches)
		return json_null();
	if (c->policy_mixed)
		return json_string("mixed");
	return json_string(c->policy);
}

static json_t *threads_json(const struct ms_ccd_results *c)
{
	if (!c->dispatches)
		return json_null();
	if (c->threads_mixed)
		return json_string("mixed");
	return ms_json_u64(c->threads);
}

static json_t *notes_json(const struct ms_ccd_results *c)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o}",
			 "incomplete_batches", ms_json_u64(c->incomplete),
			 "unpaired_workers", ms_json_u64(c->unpaired),
			 "bad_events", ms_json_u64(c->bad_events),
			 "worker_errors", ms_json_u64(c->worker_errors),
			 "batch_errors", ms_json_u64(c->batch_errors));
}

/* Adds the ccd figures to root (NULL on failure, root released). */
json_t *ms_ccd_figures_json(const struct ms_ccd_trace *t, json_t *root)
{
	const struct ms_ccd_results *c = &t->cres;

	if (!root)
		return NULL;
	if (json_object_set_new(root, "batches", ms_json_u64(c->batches)) ||
	    json_object_set_new(root, "policy", policy_json(c)) ||
	    json_object_set_new(root, "threads", threads_json(c)) ||
	    json_object_set_new(root, "workers", workers_json(t)) ||
	    json_object_set_new(root, "l3_domains", l3_json(t, c->l3)) ||
	    json_object_set_new(root, "nodes", nodes_json(t)) ||
	    json_object_set_new(root, "by_reason",
				groups_json(t, t->cres.by_reason,
					    MS_NR_REASONS + 1, "reason",
					    ms_reason_name)) ||
	    json_object_set_new(root, "by_mode",
				groups_json(t, t->cres.by_mode,
					    MS_NR_MODES + 1, "mode",
					    ms_mode_name)) ||
	    json_object_set_new(root, "imbalance", mean_max_json(&c->imbalance)) ||
	    json_object_set_new(root, "critical_path",
				mean_max_json(&c->critical)) ||
	    json_object_set_new(root, "overhead", json_pack("{s:o, s:o}",
			"dispatch_ns", mean_time_json(t, c->dispatch_oh, c->nr_oh),
			"wait_ns", mean_time_json(t, c->wait_oh, c->nr_oh))) ||
	    json_object_set_new(root, "cpu_time", json_pack("{s:o, s:o, s:o}",
			"workers_ns", time_json(t, c->workers_busy),
			"task_copy_wall_ns", time_json(t, c->task_wall),
			"ratio", ms_json_real(ms_ccd_cpu_ratio(c)))) ||
	    json_object_set_new(root, "notes", notes_json(c))) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* ---- text and CSV ------------------------------------------------------ */

/* fmt prints one double in width columns; "-" when it is NAN */
static void print_real(FILE *out, const char *fmt, int width, double v)
{
	if (isnan(v))
		fprintf(out, "%*s", width, "-");
	else
		fprintf(out, fmt, v);
}

static void text_use(const struct ms_ccd_trace *t, const struct ms_ccd_use *u,
		     FILE *out)
{
	fprintf(out, " %7llu %14llu %14llu",
		(unsigned long long)u->workers,
		(unsigned long long)ms_report_time(&t->report, u->busy),
		(unsigned long long)u->bytes);
	print_real(out, " %7.3f", 8,
		   ms_report_gbps(&t->report, u->bytes, u->busy));
	print_real(out, " %6.1f%%", 8,
		   100.0 * ms_ccd_share(&t->cres, u->busy));
	fputc('\n', out);
}

#define USE_HEAD	" workers %14s          bytes    GB/s   share\n"

static void text_cpus(const struct ms_ccd_trace *t, FILE *out)
{
	const struct ms_ccd_results *c = &t->cres;
	int i;

	fprintf(out, "\nper worker CPU\n   cpu   l3  node" USE_HEAD, "busy");
	for (i = 0; i < c->nr_cpu; i++) {
		if (!c->cpu[i].workers)
			continue;
		fprintf(out, "  %4d %4d %5d", i, c->cpu[i].l3, c->cpu[i].node);
		text_use(t, &c->cpu[i], out);
	}
}

static void text_groups(const struct ms_ccd_trace *t, FILE *out)
{
	const struct ms_ccd_results *c = &t->cres;
	int i;

	if (!c->topology) {
		fprintf(out, "\n%s\n", ms_ccd_topology_note(t));
		return;
	}
	fprintf(out, "\nper L3 domain\n    l3 cpus       node" USE_HEAD, "busy");
	for (i = 0; i < c->nr_l3; i++) {
		fprintf(out, "  %4d %-10s %4d", c->l3[i].id, c->l3[i].cpus,
			c->l3[i].node);
		text_use(t, &c->l3[i], out);
	}
	fprintf(out, "\nper node\n  node" USE_HEAD, "busy");
	for (i = 0; i < c->nr_nodes; i++) {
		fprintf(out, "  %4d", c->nodes[i].id);
		text_use(t, &c->nodes[i], out);
	}
}

#define REASON_ROW	"  %-18s %7s %4s %-10s %4s"

/* One reason (mode): its runs in all, per L3 domain, on no domain. */
static void text_reason(const struct ms_ccd_trace *t,
			const struct ms_ccd_reason *r, const char *name,
			FILE *out)
{
	char batches[24], id[16], node[16];
	int d;

	snprintf(batches, sizeof(batches), "%llu",
		 (unsigned long long)r->batches);
	fprintf(out, REASON_ROW, name, batches, "all", "", "");
	text_use(t, &r->all, out);
	for (d = 0; d < t->cres.nr_l3; d++) {
		snprintf(id, sizeof(id), "%d", r->l3[d].id);
		snprintf(node, sizeof(node), "%d", r->l3[d].node);
		fprintf(out, REASON_ROW, "", "", id, r->l3[d].cpus, node);
		text_use(t, &r->l3[d], out);
	}
	if (!t->cres.topology || !r->no_l3.workers)
		return;
	fprintf(out, REASON_ROW, "", "", "-", "no domain", "-");
	text_use(t, &r->no_l3, out);
}

static void text_reasons(const struct ms_ccd_trace *t, FILE *out)
{
	int i;

	fprintf(out, "\nper migrate reason (of the batch begin), by L3 domain\n"
		REASON_ROW USE_HEAD, "reason", "batches", "l3", "cpus", "node",
		"busy");
	for (i = 0; i <= MS_NR_REASONS; i++)
		if (reason_used(&t->cres.by_reason[i]))
			text_reason(t, &t->cres.by_reason[i],
				    ms_reason_name(i), out);
	fprintf(out, "per migrate mode (of the batch begin), by L3 domain\n"
		REASON_ROW USE_HEAD, "mode", "batches", "l3", "cpus", "node",
		"busy");
	for (i = 0; i <= MS_NR_MODES; i++)
		if (reason_used(&t->cres.by_mode[i]))
			text_reason(t, &t->cres.by_mode[i], ms_mode_name(i),
				    out);
}

static void text_ratio(FILE *out, const char *what,
		       const struct ms_ccd_ratio *r)
{
	fprintf(out, "  %-44s", what);
	print_real(out, " mean %.3f", 7, ms_ccd_mean(r));
	print_real(out, "  max %.3f", 7, ms_ccd_max(r));
	fputc('\n', out);
}

static void text_mean_time(const struct ms_ccd_trace *t, FILE *out,
			   const char *what, u64 sum, u64 n)
{
	fprintf(out, "  %-44s", what);
	if (n)
		fprintf(out, " mean %llu %s\n", (unsigned long long)
			ms_report_time(&t->report, sum / n), t->report.tb.unit);
	else
		fprintf(out, " -\n");
}

static void text_batches(const struct ms_ccd_trace *t, FILE *out)
{
	const struct ms_ccd_results *c = &t->cres;
	const char *unit = t->report.tb.unit;

	fprintf(out, "\nper batch (%llu complete, %llu incomplete)\n",
		(unsigned long long)c->batches,
		(unsigned long long)c->incomplete);
	text_ratio(out, "imbalance (max / mean worker busy)", &c->imbalance);
	text_ratio(out, "critical path (max worker busy / copy wall)",
		   &c->critical);
	text_mean_time(t, out, "dispatch overhead (first begin - dispatch)",
		       c->dispatch_oh, c->nr_oh);
	text_mean_time(t, out, "wait overhead (done - last worker end)",
		       c->wait_oh, c->nr_oh);
	fprintf(out,
		"\nworker CPU time not charged to the migrating task: %llu %s\n"
		"  against its copy wall time %llu %s: ratio",
		(unsigned long long)ms_report_time(&t->report, c->workers_busy),
		unit, (unsigned long long)ms_report_time(&t->report,
							 c->task_wall),
		unit);
	print_real(out, " %.3f", 2, ms_ccd_cpu_ratio(c));
	fputc('\n', out);
}

static void text_head(const struct ms_ccd_trace *t, FILE *out)
{
	const struct ms_ccd_results *c = &t->cres;
	char label[256], buf[320];

	fprintf(out, "migscope ccd %s\ntiming: %s\n", t->report.path,
		ms_report_timing_label(&t->report, label, sizeof(label)));
	fprintf(out, "clock: %s\n",
		ms_timebase_describe(&t->report.tb, buf, sizeof(buf)));
	ms_timebase_warn(&t->report.tb, out);
	if (c->negative_spans)
		fprintf(out, "warning: %llu worker runs end before they begin (read as 0): the trace clock is not synchronized between CPUs; record with -C mono\n",
			(unsigned long long)c->negative_spans);
	ms_text_lost(&t->report.scan, c->lost_batches, out);
	if (c->lost_workers)
		fprintf(out, "  and %llu worker runs, not charged to their CPUs\n",
			(unsigned long long)c->lost_workers);
	fprintf(out, "mtcopy: policy %s, threads ",
		!c->dispatches ? "-" : c->policy_mixed ? "mixed" : c->policy);
	if (c->threads_mixed || !c->dispatches)
		fprintf(out, "%s\n", c->dispatches ? "mixed" : "-");
	else
		fprintf(out, "%llu\n", (unsigned long long)c->threads);
	if (c->unpaired || c->bad_events || c->worker_errors)
		fprintf(out, "note: %llu unpaired worker events, %llu bad, %llu worker errors\n",
			(unsigned long long)c->unpaired,
			(unsigned long long)c->bad_events,
			(unsigned long long)c->worker_errors);
}

static int ccd_text(const struct ms_ccd_trace *t, FILE *out)
{
	text_head(t, out);
	text_cpus(t, out);
	text_groups(t, out);
	text_reasons(t, out);
	text_batches(t, out);
	return ferror(out) ? -1 : 0;
}

static void csv_real(FILE *out, double v)
{
	if (isnan(v))
		fputc(',', out);
	else
		fprintf(out, ",%.6f", v);
}

/* ",workers,busy_ns,bytes,gbps,share\n" of u */
static void csv_use(const struct ms_ccd_trace *t, const struct ms_ccd_use *u,
		    FILE *out)
{
	fprintf(out, ",%llu,%llu,%llu", (unsigned long long)u->workers,
		(unsigned long long)ms_report_time(&t->report, u->busy),
		(unsigned long long)u->bytes);
	csv_real(out, ms_report_gbps(&t->report, u->bytes, u->busy));
	csv_real(out, ms_ccd_share(&t->cres, u->busy));
	fputc('\n', out);
}

#define CSV_USE_HEAD	"workers,busy_ns,bytes,gbps,share"

static int ccd_csv(const struct ms_ccd_trace *t, FILE *out)
{
	const struct ms_ccd_results *c = &t->cres;
	int i;

	ms_timebase_csv_header(&t->report.tb, "cpu,l3,node," CSV_USE_HEAD,
			       out);
	for (i = 0; i < c->nr_cpu; i++) {
		const struct ms_ccd_use *u = &c->cpu[i];

		if (!u->workers)
			continue;
		fprintf(out, "%d,%d,%d", i, u->l3, u->node);
		csv_use(t, u, out);
	}
	ms_csv_lost(&t->report.scan, c->lost_batches, out);
	return ferror(out) ? -1 : 0;
}

/*
 * One row per reason and L3 domain with worker runs, l3 and node -1 for
 * CPUs of no known domain: every run in one row, the rows add up to all.
 */
static int ccd_csv_groups(const struct ms_ccd_trace *t,
			  const struct ms_ccd_reason *g, int nr,
			  const char *head, const char *(*name)(s64), FILE *out)
{
	const struct ms_ccd_results *c = &t->cres;
	const struct ms_ccd_reason *r;
	int i, d;

	ms_timebase_csv_header(&t->report.tb, head, out);
	for (i = 0; i < nr; i++) {
		r = &g[i];
		for (d = 0; d < c->nr_l3; d++) {
			if (!r->l3[d].workers)
				continue;
			fprintf(out, "%s,%d,%d", name(i),
				r->l3[d].id, r->l3[d].node);
			csv_use(t, &r->l3[d], out);
		}
		if (!r->no_l3.workers)
			continue;
		fprintf(out, "%s,-1,-1", name(i));
		csv_use(t, &r->no_l3, out);
	}
	ms_csv_lost(&t->report.scan, c->lost_batches, out);
	return ferror(out) ? -1 : 0;
}

static int render_csv(const struct ms_ccd_trace *t, int by)
{
	const struct ms_ccd_results *c = &t->cres;

	switch (by) {
	case BY_REASON:
		return ccd_csv_groups(t, c->by_reason, MS_NR_REASONS + 1,
				      "reason,l3,node," CSV_USE_HEAD,
				      ms_reason_name, stdout);
	case BY_MODE:
		return ccd_csv_groups(t, c->by_mode, MS_NR_MODES + 1,
				      "mode,l3,node," CSV_USE_HEAD,
				      ms_mode_name, stdout);
	default:
		break;
	}
	return ccd_csv(t, stdout);
}

static int render(const struct ms_ccd_trace *t, const struct ccd_settings *s)
{
	switch (s->format) {
	case FORMAT_JSON:
		return ms_json_dump(ms_ccd_figures_json(t,
				 ms_ccd_header_json(t, "migscope ccd")),
				    &t->report.tb, stdout);
	case FORMAT_CSV:
		return render_csv(t, s->by);
	case FORMAT_TEXT:
		break;
	}
	return ccd_text(t, stdout);
}

/* Read the trace, summarize, render: the verb proper. */
static int ccd_run(void *arg)
{
	const struct ccd_settings *s = arg;
	struct ms_ccd_trace *t;
	int ret = MS_EXIT_ERROR;

	t = malloc(sizeof(*t));
	if (!t) {
		fprintf(stderr, "migscope: out of memory\n");
		return ret;
	}
	if (ms_ccd_trace_read(t, s->path, false))
		goto fail;
	if (!t->mtcopy_seen) {
		snprintf(t->msg, sizeof(t->msg), "%s", MS_CCD_NO_EVENTS);
		goto fail;
	}
	if (render(t, s) || fflush(stdout)) {
		ret = ms_write_failed("report");
		goto out;
	}
	ret = ms_strict_status(MS_EXIT_OK, s->strict, s->path,
			       &t->report.scan);
	goto out;
fail:
	fprintf(stderr, "migscope: %s: %s\n", s->path, t->msg);
out:
	ms_ccd_trace_free(t);
	free(t);
	return ret;
}

int cmd_ccd(int argc, char **argv)
{
	struct ccd_settings settings;
	int parsed = parse_args(argc, argv, &settings);

	return ms_verb_run(parsed, ccd_run, &settings);
}
