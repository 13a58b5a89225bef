// SPDX-License-Identifier: GPL-2.0
/*
 * verb-common.c - the pieces the verbs share (see verb-common.h).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migscope.h"
#include "verb-common.h"

int ms_verb_run(int parsed, int (*fn)(void *arg), void *arg)
{
	switch (parsed) {
	case 1:
		return MS_EXIT_OK;
	case -1:
		return MS_EXIT_USAGE;
	}
	return fn(arg);
}

/*
 * Writing the output failed.  A reader that went away (| head) is not an
 * error: quiet, exit status 0.  Anything else is said.
 */
int ms_write_failed(const char *what)
{
	if (errno == EPIPE)
		return MS_EXIT_OK;
	fprintf(stderr, "migscope: cannot write the %s: %s\n", what,
		strerror(errno));
	return MS_EXIT_ERROR;
}

int ms_parse_by(const char *verb, const char *arg, const char *const names[],
		int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(arg, names[i]))
			return i;
	fprintf(stderr, "migscope %s: --by %s: not one of", verb, arg);
	for (i = 0; i < nr; i++)
		fprintf(stderr, "%s %s", i ? "," : "", names[i]);
	fputc('\n', stderr);
	return -1;
}

/* The multiplier of a size suffix: "", K, M or G (binary); 0: none of them */
static u64 size_unit(const char *s)
{
	if (!*s)
		return 1;
	if (s[1])
		return 0;
	switch (*s) {
	case 'k':
	case 'K':
		return 1ULL << 10;
	case 'm':
	case 'M':
		return 1ULL << 20;
	case 'g':
	case 'G':
		return 1ULL << 30;
	}
	return 0;
}

int ms_parse_size(const char *verb, const char *opt, const char *arg,
		  u64 *out)
{
	unsigned long long v;
	char *end;
	u64 unit;

	errno = 0;
	v = arg[0] >= '0' && arg[0] <= '9' ? strtoull(arg, &end, 10) : 0;
	unit = arg[0] >= '0' && arg[0] <= '9' ? size_unit(end) : 0;
	if (errno || !unit || v > UINT64_MAX / unit) {
		fprintf(stderr, "migscope %s: %s %s: expected a count, with K, M or G for sizes (e.g. 128K)\n",
			verb, opt, arg);
		return -1;
	}
	*out = v * unit;
	return 0;
}

int ms_check_by(const char *verb, bool by, bool csv)
{
	if (!by || csv)
		return 0;
	fprintf(stderr, "migscope %s: --by picks the rows of the CSV (text and JSON show every grouping): add --csv\n",
		verb);
	return -1;
}

void ms_scan_error(struct ms_input *in, int buffer, int ret, char *msg,
		   size_t len)
{
	if (ret == MS_SCAN_CORRUPT)
		snprintf(msg, len,
			 "corrupt: libtracecmd cannot read buffer \"%s\" - record or copy it again",
			 buffer ? ms_input_buffer_name(in, buffer) : "top");
	else
		snprintf(msg, len, "cannot read the events: %s",
			 strerror(ENOMEM));
}

json_t *ms_json_u64(u64 v)
{
	return json_integer((json_int_t)v);
}

json_t *ms_json_real(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *ms_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *ms_json_kernel(const struct ms_machine *m)
{
	if (!m->release)
		return json_null();
	return json_pack("{s:s, s:o}", "release", m->release,
			 "version", ms_json_str(m->version));
}

json_t *ms_json_environment(const struct ms_report *r)
{
	const struct ms_machine *m = &r->machine;
	char label[256];

	return json_pack("{s:o, s:o, s:s}",
			 "emulated", ms_json_str(m->emulated),
			 "hypervisor", m->hypervisor < 0 ? json_null() :
				       json_boolean(m->hypervisor),
			 "timing_label",
			 ms_report_timing_label(r, label, sizeof(label)));
}

/*
 * Every verb: {"events": dropped, "gaps": records after a drop,
 * "events_at_least": a gap's count was not stored (counted as 1)}.
 */
json_t *ms_json_lost(const struct ms_scan *scan)
{
	return json_pack("{s:o, s:o, s:b}", "events", ms_json_u64(scan->missed),
			 "gaps", ms_json_u64(scan->gaps),
			 "events_at_least", scan->missed_unknown > 0);
}

/*
 * --strict: the output is printed, then a trace that lost events makes
 * the verb fail (MS_EXIT_LOST) with one line.  ret: the verb's status.
 */
int ms_strict_status(int ret, bool strict, const char *path,
		     const struct ms_scan *scan)
{
	if (ret != MS_EXIT_OK || !strict || !scan->gaps)
		return ret;
	fprintf(stderr, "migscope: %s: %llu events lost in %llu gaps (--strict) - record again with a larger trace-cmd -b\n",
		path, (unsigned long long)scan->missed,
		(unsigned long long)scan->gaps);
	return MS_EXIT_LOST;
}

/* A verb whose objects are batches: the lost events and batches left out */
json_t *ms_json_lost_batches(const struct ms_scan *scan, u64 batches)
{
	json_t *o = ms_json_lost(scan);

	if (o && json_object_set_new(o, "batches", ms_json_u64(batches))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The header line of every text output: lost events, always said. */
void ms_text_lost(const struct ms_scan *scan, u64 batches, FILE *out)
{
	if (!scan->gaps) {
		fprintf(out, "lost events: none\n");
		return;
	}
	fprintf(out, "lost events: %s%llu in %llu gaps (first on CPU %d); %llu batches open across a gap left out (record with a larger trace-cmd -b)\n",
		scan->missed_unknown ? "at least " : "",
		(unsigned long long)scan->missed,
		(unsigned long long)scan->gaps, scan->first_gap_cpu,
		(unsigned long long)batches);
}

/* After the CSV rows (gnuplot reads the first line as the header). */
void ms_csv_lost(const struct ms_scan *scan, u64 batches, FILE *out)
{
	fprintf(out, "# lost events: %llu in %llu gaps; left out: %llu batches\n",
		(unsigned long long)scan->missed,
		(unsigned long long)scan->gaps,
		(unsigned long long)batches);
}

int ms_json_dump(json_t *root, const struct ms_timebase *tb, FILE *out)
{
	int ret;

	if (!root)
		return -1;
	if (tb && ms_timebase_json_units(tb, root)) {
		json_decref(root);
		return -1;
	}
	ret = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			 JSON_REAL_PRECISION(10));
	fputc('\n', out);
	json_decref(root);
	return ret || ferror(out) ? -1 : 0;
}
