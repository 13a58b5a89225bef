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
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migscope.h"
#include "trace-ccd.h"
#include "util.h"
#include "verb-common.h"

#define MAX_GATES	16

/* --fail-if METRIC OP VALUE[%|pp]: a regression gate. */
enum gate_unit {
	GATE_ABS,	/* b - a */
	GATE_PCT,	/* (b - a) / a, in % */
	GATE_PP,	/* (b - a) * 100: percentage points of a share */
};

struct gate {
	const char	*text;		/* as given */
	char		metric[48];
	char		op[3];		/* > >= < <= */
	double		limit;
	enum gate_unit	unit;
};

struct compare_settings {
	bool		json;
	bool		strict;
	const char	*path[2];
	struct gate	gates[MAX_GATES];
	int		nr_gates;
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
	{ "json",	no_argument,		NULL, 'j' },
	{ "fail-if",	required_argument,	NULL, 'f' },
	{ "strict",	no_argument,		NULL, 's' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,		NULL, 0 },
};

static void compare_usage(FILE *out)
{
	fprintf(out,
		"usage: migscope compare [--json] [--strict] [--fail-if EXPR]... A B\n"
		"\n"
		"Two traces side by side with the ratio B/A: migrate_pages() calls,\n"
		"per-phase totals, copy fraction F and GB/s (as migscope report), and\n"
		"when both have mtcopy events the ccd figures: share per L3 domain\n"
		"(per CPU without topology markers), imbalance, critical path,\n"
		"dispatch/wait overhead and worker CPU time (as migscope ccd).\n"
		"\n"
		"  -j, --json   JSON output: {\"a\":..., \"b\":..., \"rows\":[{\"metric\",\n"
		"               \"a\", \"b\", \"ratio\"}]} (migscope-compare(1))\n"
		"  -f, --fail-if EXPR\n"
		"               exit 4 when B regressed from A: EXPR is METRIC OP CHANGE,\n"
		"               OP one of > >= < <=, CHANGE a signed number with %%\n"
		"               (relative: (B-A)/A), pp (percentage points of a share or\n"
		"               fraction: (B-A)*100) or nothing (B-A).  METRIC: a row of\n"
		"               the comparison (copy.share, copy_ns, gbps, ...;\n"
		"               throughput = gbps, F = copy_fraction).  Repeatable;\n"
		"               e.g. --fail-if 'copy.share > +5%%' --fail-if 'throughput < -10%%'\n"
		"  -s, --strict exit 3 when A or B lost events\n"
		"  -h, --help   this help\n"
		"\n"
		"Exit status: 0 ok, 1 unreadable trace or no migration events, 2 usage,\n"
		"3 events lost (--strict), 4 a --fail-if gate tripped (the comparison is\n"
		"printed first, then one line per tripped gate).\n");
}

static const struct {
	const char	*alias;
	const char	*metric;
} aliases[] = {
	{ "throughput", "gbps" },
	{ "F", "copy_fraction" },
};

/* "METRIC OP [+-]NUMBER[%|pp]", spaces optional: 0, or -1. */
static int gate_parse(struct gate *g, const char *text)
{
	const char *p = text, *m;
	char *end;
	size_t n, i;

	memset(g, 0, sizeof(*g));
	g->text = text;
	while (isspace((unsigned char)*p))
		p++;
	for (m = p; *p && !isspace((unsigned char)*p) && !strchr("<>", *p);
	     p++)
		;
	n = p - m;
	if (!n || n >= sizeof(g->metric))
		return -1;
	memcpy(g->metric, m, n);
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(g->metric, aliases[i].alias))
			snprintf(g->metric, sizeof(g->metric), "%s",
				 aliases[i].metric);
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '<' && *p != '>')
		return -1;
	g->op[0] = *p++;
	if (*p == '=')
		g->op[1] = *p++;
	g->limit = strtod(p, &end);
	if (end == p || !isfinite(g->limit))
		return -1;
	p = end;
	if (*p == '%') {
		g->unit = GATE_PCT;
		p++;
	} else if (!strncmp(p, "pp", 2)) {
		g->unit = GATE_PP;
		p += 2;
	}
	while (isspace((unsigned char)*p))
		p++;
	return *p ? -1 : 0;
}

/* 0: run, 1: help printed, -1: usage error */
static int parse_args(int argc, char **argv, struct compare_settings *s)
{
	int opt;

	memset(s, 0, sizeof(*s));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jf:sh", compare_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			s->json = true;
			break;
		case 's':
			s->strict = true;
			break;
		case 'f':
			if (s->nr_gates == MAX_GATES) {
				fprintf(stderr, "migscope compare: at most %d --fail-if\n",
					MAX_GATES);
				return -1;
			}
			if (gate_parse(&s->gates[s->nr_gates], optarg)) {
				fprintf(stderr, "migscope compare: --fail-if '%s': not METRIC OP CHANGE (e.g. 'copy.share > +5%%', 'gbps < -10%%')\n",
					optarg);
				return -1;
			}
			s->nr_gates++;
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
	char buf[64];

	if (c->nr_rows == c->cap_rows) {
		int cap = c->cap_rows ? 2 * c->cap_rows : 32;

		r = realloc(c->rows, cap * sizeof(*r));
		if (!r)
			return -1;
		c->rows = r;
		c->cap_rows = cap;
	}
	r = &c->rows[c->nr_rows++];
	/* the unit is A's and B's (same_unit()) */
	snprintf(r->metric, sizeof(r->metric), "%s",
		 ms_timebase_name(&c->t[0].report.tb, metric, buf,
				  sizeof(buf)));
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

static u64 nested_total(const struct ms_results *res)
{
	struct ms_nested_totals n;

	ms_results_nested_sum(res, &n);
	return n.total;
}

/* Nested calls and the unattributed rest, as time and share. */
static int nested_rows(struct compare *c)
{
	const struct ms_ccd_trace *a = &c->t[0], *b = &c->t[1];
	const struct ms_results *ra = a->report.res, *rb = b->report.res;
	u64 na = nested_total(ra), nb = nested_total(rb);
	u64 ua = ms_results_unattributed(ra), ub = ms_results_unattributed(rb);

	return add_row(c, "nested_ns", ns(a, na), ns(b, nb), true) ||
	       add_row(c, "nested.share", ms_report_share(&a->report, na),
		       ms_report_share(&b->report, nb), false) ||
	       add_row(c, "unattributed_ns", ns(a, ua), ns(b, ub), true) ||
	       add_row(c, "unattributed.share",
		       ms_report_share(&a->report, ua),
		       ms_report_share(&b->report, ub), false);
}

/* A group's row: "reason.NAME.KEY" or "mode.NAME.KEY" */
static int group_row(struct compare *c, const char *kind, const char *group,
		     const char *key, double a, double b, bool integer)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.%s.%s", kind, group, key);
	return add_row(c, name, a, b, integer);
}

static double group_gbps(const struct ms_ccd_trace *t,
			 const struct ms_reason_totals *rt)
{
	return ms_report_gbps(&t->report,
			      rt->pages_succeeded * t->report.page_size,
			      rt->time.total);
}

/* One reason's (or mode's) outermost calls in A and B */
static int group_rows(struct compare *c, const char *kind, const char *group,
		      const struct ms_reason_totals *x,
		      const struct ms_reason_totals *y)
{
	const struct ms_ccd_trace *a = &c->t[0], *b = &c->t[1];

	if (!x->calls && !y->calls)
		return 0;
	return group_row(c, kind, group, "calls", x->calls, y->calls, true) ||
	       group_row(c, kind, group, "pages", x->pages_succeeded,
			 y->pages_succeeded, true) ||
	       group_row(c, kind, group, "total_ns", ns(a, x->time.total),
			 ns(b, y->time.total), true) ||
	       group_row(c, kind, group, "share",
			 ms_report_share(&a->report, x->time.total),
			 ms_report_share(&b->report, y->time.total), false) ||
	       group_row(c, kind, group, "copy.share",
			 ms_report_ratio(x->phase[MS_PHASE_COPY],
					 x->time.total),
			 ms_report_ratio(y->phase[MS_PHASE_COPY],
					 y->time.total), false) ||
	       group_row(c, kind, group, "gbps", group_gbps(a, x),
			 group_gbps(b, y), false);
}

/* The outermost calls of each reason, then each mode, in A or B */
static int reason_rows(struct compare *c)
{
	const struct ms_results *ra = c->t[0].report.res;
	const struct ms_results *rb = c->t[1].report.res;
	int i;

	for (i = 0; i <= MS_NR_REASONS; i++)
		if (group_rows(c, "reason", ms_reason_name(i),
			       &ra->by_reason[i], &rb->by_reason[i]))
			return -1;
	for (i = 0; i <= MS_NR_MODES; i++)
		if (group_rows(c, "mode", ms_mode_name(i), &ra->by_mode[i],
			       &rb->by_mode[i]))
			return -1;
	return 0;
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
		snprintf(name, sizeof(name), "%s.share", ms_phase_name(p));
		if (add_row(c, name,
			    ms_report_share(&a->report, ra->phase[p].time.total),
			    ms_report_share(&b->report, rb->phase[p].time.total),
			    false))
			return -1;
	}
	if (nested_rows(c) || reason_rows(c))
		return -1;
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

	root = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o}", "tool",
			 "migscope compare", "version", MS_VERSION,
			 "schema_version", MS_SCHEMA_VERSION,
			 "a", side_json(&c->t[0]), "b", side_json(&c->t[1]),
			 "rows", rows_json(c));
	return ms_json_dump(root, NULL, out);
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
	int i, w = 24;

	fprintf(out, "migscope compare\n");
	for (i = 0; i < 2; i++) {
		fprintf(out, "%c: %s\n   timing: %s\n   ", 'A' + i,
			c->t[i].report.path,
			ms_report_timing_label(&c->t[i].report, label,
					       sizeof(label)));
		ms_text_lost(&c->t[i].report.scan, c->t[i].cres.lost_batches,
			     out);
	}
	if (!c->t[0].mtcopy_seen || !c->t[1].mtcopy_seen)
		fprintf(out, "(no ccd rows: mtcopy events in %s)\n",
			c->t[0].mtcopy_seen ? "A only" :
			c->t[1].mtcopy_seen ? "B only" : "neither");
	for (i = 0; i < c->nr_rows; i++)
		if ((int)strlen(c->rows[i].metric) > w)
			w = strlen(c->rows[i].metric);
	fprintf(out, "\n%-*s %14s %14s %9s\n", w, "metric", "A", "B", "B/A");
	for (i = 0; i < c->nr_rows; i++) {
		const struct row *r = &c->rows[i];
		double q = ratio(r);

		fprintf(out, "%-*s", w, r->metric);
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

/* Times of A and B must count the same thing to be compared. */
static int same_unit(const struct compare *c, const struct compare_settings *s)
{
	const struct ms_timebase *a = &c->t[0].report.tb;
	const struct ms_timebase *b = &c->t[1].report.tb;

	if (!strcmp(a->unit, b->unit))
		return 0;
	fprintf(stderr,
		"migscope: %s: times in %s, but %s has them in %s - compare traces recorded with the same clock (x86-tsc: record both with migscope-record, which notes the TSC rate)\n",
		s->path[1], b->unit, s->path[0], a->unit);
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
	return same_unit(c, s);
}

static const struct row *row_find(const struct compare *c, const char *name)
{
	int i;

	for (i = 0; i < c->nr_rows; i++)
		if (!strcmp(c->rows[i].metric, name))
			return &c->rows[i];
	return NULL;
}

/* The change of r from A to B in g's unit; NAN when it has none. */
static double gate_change(const struct gate *g, const struct row *r)
{
	double a = r->v[0], b = r->v[1];

	if (isnan(a) || isnan(b))
		return NAN;
	switch (g->unit) {
	case GATE_PCT:
		return a != 0.0 ? (b - a) / fabs(a) * 100.0 : NAN;
	case GATE_PP:
		return (b - a) * 100.0;
	case GATE_ABS:
		break;
	}
	return b - a;
}

static bool gate_trips(const struct gate *g, double change)
{
	if (g->op[0] == '>')
		return g->op[1] ? change >= g->limit : change > g->limit;
	return g->op[1] ? change <= g->limit : change < g->limit;
}

static const char *unit_suffix(enum gate_unit u)
{
	return u == GATE_PCT ? "%" : u == GATE_PP ? "pp" : "";
}

/*
 * Every gate; with report, one line per tripped one (after the output).
 * A gate that cannot be evaluated (no such row, no value in A or B, A = 0
 * for %) is an error, said before any output: a CI gate must not pass on
 * missing data.
 */
static int gates_status(const struct compare *c,
			const struct compare_settings *s, bool report)
{
	int i, ret = MS_EXIT_OK;

	for (i = 0; i < s->nr_gates; i++) {
		const struct gate *g = &s->gates[i];
		const struct row *r = row_find(c, g->metric);
		double change = r ? gate_change(g, r) : NAN;

		if (!r) {
			fprintf(stderr, "migscope: --fail-if '%s': no metric %s (the rows of the comparison are the metrics)\n",
				g->text, g->metric);
			return MS_EXIT_ERROR;
		}
		if (isnan(change)) {
			fprintf(stderr, "migscope: --fail-if '%s': %s has no value to compare in A or B\n",
				g->text, g->metric);
			return MS_EXIT_ERROR;
		}
		if (gate_trips(g, change)) {
			ret = MS_EXIT_REGRESSION;
			if (!report)
				continue;
			fprintf(stderr, "migscope: regression: %s changed %+.4g%s (A %.6g, B %.6g): tripped '%s'\n",
				g->metric, change, unit_suffix(g->unit),
				r->v[0], r->v[1], g->text);
		}
	}
	return ret;
}

static int lost_status(const struct compare *c,
		       const struct compare_settings *s)
{
	int i, ret = MS_EXIT_OK;

	for (i = 0; i < 2 && ret == MS_EXIT_OK; i++)
		ret = ms_strict_status(ret, s->strict, s->path[i],
				       &c->t[i].report.scan);
	return ret;
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
	if (gates_status(c, s, false) == MS_EXIT_ERROR)
		goto out;
	if ((s->json ? compare_json(c, stdout) : compare_text(c, stdout)) ||
	    fflush(stdout)) {
		ret = ms_write_failed("comparison");
		goto out;
	}
	ret = gates_status(c, s, true);
	if (ret == MS_EXIT_OK)
		ret = lost_status(c, s);
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
