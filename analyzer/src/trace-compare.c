// SPDX-License-Identifier: GPL-2.0
/*
 * trace-compare.c - `migscope compare [--json] A B`
 *
 * Two traces side by side (spread against fill, 1 thread against 4):
 * the report engine's calls, per-phase totals, copy fraction F and GB/s
 * of both, and, when both have mtcopy events, the ccd figures (share per
 * L3 domain, or per CPU without topology, imbalance, critical path,
 * overheads, worker CPU time), each with the ratio B/A.
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

struct compare_settings {
	bool		json;
	const char	*path[2];
};

struct row {
	char	metric[48];
	double	v[2];		/* NAN: no value */
	bool	integer;
};

struct compare {
	struct ms_ccd_trace	t[2];
	struct row		*rows;
	int			nr_rows, cap_rows;
};

static const struct option compare_options[] = {
	{ "json",	no_argument,	NULL, 'j' },
	{ "help",	no_argument,	NULL, 'h' },
	{ NULL,		0,		NULL, 0 },
};

static void compare_usage(FILE *out)
{
	fprintf(out,
		"usage: migscope compare [--json] A B\n"
		"\n"
		"Two traces side by side with the ratio B/A: migrate_pages() calls,\n"
		"per-phase totals, copy fraction F and GB/s (as migscope report), and\n"
		"when both have mtcopy events the ccd figures: share per L3 domain\n"
		"(per CPU without topology markers), imbalance, critical path,\n"
		"dispatch/wait overhead and worker CPU time (as migscope ccd).\n"
		"\n"
		"  -j, --json   JSON output: {\"a\":..., \"b\":..., \"rows\":[{\"metric\",\n"
		"               \"a\", \"b\", \"ratio\"}]} (migscope-compare(1))\n"
		"  -h, --help   this help\n"
		"\n"
		"Exit status: 0 ok, 1 unreadable trace or no migration events, 2 usage.\n");
}

/* 0: run, 1: help printed, -1: usage error */
static int parse_args(int argc, char **argv, struct compare_settings *s)
{
	int opt;

	memset(s, 0, sizeof(*s));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", compare_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			s->json = true;
			break;
		case 'h':
			compare_usage(stdout);
			return 1;
		default:
			compare_usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 2) {
		compare_usage(stderr);
		return -1;
	}
	s->path[0] = argv[optind];
	s->path[1] = argv[optind + 1];
	return 0;
}

/* ---- rows ------------------------------------------------------------ */

static int add_row(struct compare *c, const char *metric, double a, double b,
		   bool integer)
{
	struct row *r;

	if (c->nr_rows == c->cap_rows) {
		int cap = c->cap_rows ? 2 * c->cap_rows : 32;

		r = realloc(c->rows, cap * sizeof(*r));
		if (!r)
			return -1;
		c->rows = r;
		c->cap_rows = cap;
	}
	r = &c->rows[c->nr_rows++];
	snprintf(r->metric, sizeof(r->metric), "%s", metric);
	r->v[0] = a;
	r->v[1] = b;
	r->integer = integer;
	return 0;
}

static double ns(const struct ms_ccd_trace *t, u64 ticks)
{
	return (double)ms_report_time(&t->report, ticks);
}

static double mean_ns(const struct ms_ccd_trace *t, u64 sum, u64 n)
{
	return n ? ns(t, sum / n) : NAN;
}

static double gbps(const struct ms_ccd_trace *t)
{
	const struct ms_report *r = &t->report;

	return ms_report_gbps(r, ms_report_bytes_migrated(r),
			      r->res->call.total);
}

static int report_rows(struct compare *c)
{
	const struct ms_ccd_trace *a = &c->t[0], *b = &c->t[1];
	const struct ms_results *ra = a->report.res, *rb = b->report.res;
	char name[48];
	int p;

	if (add_row(c, "calls", ra->call.count, rb->call.count, true) ||
	    add_row(c, "call_total_ns", ns(a, ra->call.total),
		    ns(b, rb->call.total), true) ||
	    add_row(c, "batches", ra->batch.count, rb->batch.count, true))
		return -1;
	for (p = 0; p < MS_NR_PHASES; p++) {
		snprintf(name, sizeof(name), "%s_ns", ms_phase_name(p));
		if (add_row(c, name, ns(a, ra->phase[p].time.total),
			    ns(b, rb->phase[p].time.total), true))
			return -1;
	}
	return add_row(c, "copy_fraction",
		       ms_report_copy_fraction(&a->report),
		       ms_report_copy_fraction(&b->report), false) ||
	       add_row(c, "gbps", gbps(a), gbps(b), false);
}

static double share_of(const struct ms_ccd_trace *t,
		       const struct ms_ccd_use *u, int nr, int i)
{
	return i < nr ? ms_ccd_share(&t->cres, u[i].busy) : 0.0;
}

/* Share per L3 domain when both know their topology, per CPU if not. */
static int share_rows(struct compare *c)
{
	const struct ms_ccd_results *a = &c->t[0].cres, *b = &c->t[1].cres;
	bool l3 = a->topology && b->topology;
	int i, n = l3 ? (a->nr_l3 > b->nr_l3 ? a->nr_l3 : b->nr_l3) :
			(a->nr_cpu > b->nr_cpu ? a->nr_cpu : b->nr_cpu);
	char name[48];

	for (i = 0; i < n; i++) {
		double sa, sb;

		if (l3) {
			sa = share_of(&c->t[0], a->l3, a->nr_l3, i);
			sb = share_of(&c->t[1], b->l3, b->nr_l3, i);
		} else {
			sa = share_of(&c->t[0], a->cpu, a->nr_cpu, i);
			sb = share_of(&c->t[1], b->cpu, b->nr_cpu, i);
			if (!sa && !sb)
				continue;
		}
		snprintf(name, sizeof(name), "%s[%d].share", l3 ? "l3" : "cpu",
			 i);
		if (add_row(c, name, sa, sb, false))
			return -1;
	}
	return 0;
}

static int ccd_rows(struct compare *c)
{
	const struct ms_ccd_trace *a = &c->t[0], *b = &c->t[1];
	const struct ms_ccd_results *ca = &a->cres, *cb = &b->cres;

	if (!a->mtcopy_seen || !b->mtcopy_seen)
		return 0;
	return share_rows(c) ||
	       add_row(c, "imbalance.mean", ms_ccd_mean(&ca->imbalance),
		       ms_ccd_mean(&cb->imbalance), false) ||
	       add_row(c, "imbalance.max", ms_ccd_max(&ca->imbalance),
		       ms_ccd_max(&cb->imbalance), false) ||
	       add_row(c, "critical_path.mean", ms_ccd_mean(&ca->critical),
		       ms_ccd_mean(&cb->critical), false) ||
	       add_row(c, "critical_path.max", ms_ccd_max(&ca->critical),
		       ms_ccd_max(&cb->critical), false) ||
	       add_row(c, "overhead.dispatch_ns",
		       mean_ns(a, ca->dispatch_oh, ca->nr_oh),
		       mean_ns(b, cb->dispatch_oh, cb->nr_oh), true) ||
	       add_row(c, "overhead.wait_ns",
		       mean_ns(a, ca->wait_oh, ca->nr_oh),
		       mean_ns(b, cb->wait_oh, cb->nr_oh), true) ||
	       add_row(c, "cpu_time.ratio", ms_ccd_cpu_ratio(ca),
		       ms_ccd_cpu_ratio(cb), false);
}

static double ratio(const struct row *r)
{
	if (isnan(r->v[0]) || isnan(r->v[1]) || r->v[0] == 0.0)
		return NAN;
	return r->v[1] / r->v[0];
}

/* ---- output ------------------------------------------------------------ */

static json_t *value_json(const struct row *r, int i)
{
	if (isnan(r->v[i]))
		return json_null();
	if (r->integer)
		return json_integer((json_int_t)r->v[i]);
	return json_real(r->v[i]);
}

static json_t *rows_json(const struct compare *c)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < c->nr_rows; i++) {
		const struct row *r = &c->rows[i];

		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o}",
			"metric", r->metric, "a", value_json(r, 0),
			"b", value_json(r, 1), "ratio", ms_json_real(ratio(r))));
	}
	return a;
}

static json_t *side_json(const struct ms_ccd_trace *t)
{
	json_t *o = ms_ccd_header_json(t, "migscope compare");
	bool series = t->report.has[MS_GROUP_SERIES];

	if (o && (json_object_set_new(o, "series",
				      json_boolean(series)) ||
		  json_object_set_new(o, "mtcopy",
				      json_boolean(t->mtcopy_seen)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int compare_json(const struct compare *c, FILE *out)
{
	json_t *root;

	root = json_pack("{s:s, s:s, s:o, s:o, s:o}", "tool",
			 "migscope compare", "version", MS_VERSION,
			 "a", side_json(&c->t[0]), "b", side_json(&c->t[1]),
			 "rows", rows_json(c));
	return ms_json_dump(root, out);
}

static void text_value(FILE *out, const struct row *r, int i)
{
	if (isnan(r->v[i]))
		fprintf(out, " %14s", "-");
	else if (r->integer)
		fprintf(out, " %14.0f", r->v[i]);
	else
		fprintf(out, " %14.4f", r->v[i]);
}

static int compare_text(const struct compare *c, FILE *out)
{
	char label[256];
	int i;

	fprintf(out, "migscope compare\n");
	for (i = 0; i < 2; i++)
		fprintf(out, "%c: %s\n   timing: %s\n", 'A' + i,
			c->t[i].report.path,
			ms_report_timing_label(&c->t[i].report, label,
					       sizeof(label)));
	if (!c->t[0].mtcopy_seen || !c->t[1].mtcopy_seen)
		fprintf(out, "(no ccd rows: mtcopy events in %s)\n",
			c->t[0].mtcopy_seen ? "A only" :
			c->t[1].mtcopy_seen ? "B only" : "neither");
	fprintf(out, "\n%-24s %14s %14s %9s\n", "metric", "A", "B", "B/A");
	for (i = 0; i < c->nr_rows; i++) {
		const struct row *r = &c->rows[i];
		double q = ratio(r);

		fprintf(out, "%-24s", r->metric);
		text_value(out, r, 0);
		text_value(out, r, 1);
		if (isnan(q))
			fprintf(out, " %9s\n", "-");
		else
			fprintf(out, " %9.3f\n", q);
	}
	return ferror(out) ? -1 : 0;
}

/* ---- run ---------------------------------------------------------------- */

static int check_events(struct ms_ccd_trace *t)
{
	const struct ms_report *r = &t->report;

	if (r->has[MS_GROUP_CALL] || r->has[MS_GROUP_SERIES] ||
	    t->mtcopy_seen)
		return 0;
	snprintf(t->msg, sizeof(t->msg),
		 "no page-migration or mtcopy events - record them with: %s",
		 r->record_hint);
	return -1;
}

/* Read both traces; -1 with the failing one's message printed. */
static int read_both(struct compare *c, const struct compare_settings *s)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (ms_ccd_trace_read(&c->t[i], s->path[i], true) ||
		    check_events(&c->t[i])) {
			fprintf(stderr, "migscope: %s: %s\n", s->path[i],
				c->t[i].msg);
			return -1;
		}
	}
	return 0;
}

static int compare_run(void *arg)
{
	const struct compare_settings *s = arg;
	struct compare *c = calloc(1, sizeof(*c));
	int ret = MS_EXIT_ERROR;

	if (!c) {
		fprintf(stderr, "migscope: out of memory\n");
		return ret;
	}
	if (read_both(c, s))
		goto out;
	if (report_rows(c) || ccd_rows(c)) {
		fprintf(stderr, "migscope: out of memory\n");
		goto out;
	}
	if ((s->json ? compare_json(c, stdout) : compare_text(c, stdout)) ||
	    fflush(stdout)) {
		ret = ms_write_failed("comparison");
		goto out;
	}
	ret = MS_EXIT_OK;
out:
	ms_ccd_trace_free(&c->t[0]);
	ms_ccd_trace_free(&c->t[1]);
	free(c->rows);
	free(c);
	return ret;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_settings settings;
	int parsed = parse_args(argc, argv, &settings);

	return ms_verb_run(parsed, compare_run, &settings);
}
