// SPDX-License-Identifier: GPL-2.0
/*
 * verb-common.c - the pieces the verbs share (see verb-common.h).
 */
#include <errno.h>
#include <math.h>
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

/* Every verb: {"events": dropped, "gaps": records after a drop}. */
json_t *ms_json_lost(const struct ms_scan *scan)
{
	return json_pack("{s:o, s:o}", "events", ms_json_u64(scan->missed),
			 "gaps", ms_json_u64(scan->gaps));
}

int ms_json_dump(json_t *root, FILE *out)
{
	int ret;

	if (!root)
		return -1;
	ret = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			 JSON_REAL_PRECISION(10));
	fputc('\n', out);
	json_decref(root);
	return ret || ferror(out) ? -1 : 0;
}
