// SPDX-License-Identifier: GPL-2.0
/*
 * timebase.c - the clock of a trace and the unit of its times; see
 * timebase.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timebase.h"

static void set_clock(struct ms_timebase *tb, const char *clock,
		      enum ms_clock_source source)
{
	snprintf(tb->clock, sizeof(tb->clock), "%s", clock);
	tb->source = source;
}

/*
 * The file's clock, cross-checked with the marker.  trace-cmd extract -B
 * (migscope-record's fallback) writes the top buffer's clock into every
 * instance's BUFFER option, whatever the instance counted: for an
 * instance the marker, read from the instance's own trace_clock file
 * while it recorded, is the better witness.  Anywhere else the file wins.
 */
static void pick_clock(struct ms_timebase *tb, const struct ms_machine *m,
		       const char *fc, const char *buffer)
{
	const char *mc = m->clock && *m->clock ? m->clock : NULL;

	if (!*fc && !mc) {
		tb->assumed = true;
		return;
	}
	if (!mc || (*fc && !strcmp(fc, mc))) {
		set_clock(tb, fc, MS_CLOCK_FILE);
		return;
	}
	if (!*fc) {
		set_clock(tb, mc, MS_CLOCK_MARKER);
		return;
	}
	if (*buffer) {
		set_clock(tb, mc, MS_CLOCK_MARKER);
		snprintf(tb->note, sizeof(tb->note),
			 "the file says %s for instance %s, where trace-cmd extract writes the top buffer's clock; the migscope:clock marker, read in the instance, says %s",
			 fc, buffer, mc);
		return;
	}
	set_clock(tb, fc, MS_CLOCK_FILE);
	snprintf(tb->note, sizeof(tb->note),
		 "the migscope:clock marker says %s but the file was recorded with %s: the file's clock is used",
		 mc, fc);
}

/* x86-tsc: the TSC rate from the file, else from the marker. */
static void tsc_rate(struct ms_timebase *tb, const struct ms_machine *m,
		     const struct ms_file_info *file)
{
	if (file->tsc2nsec) {
		/* ns = cycles * mult >> shift, so kHz = 10^6 * 2^shift / mult */
		tb->tsc_khz = 1e6 * ldexp(1.0, (int)file->tsc_shift) /
			      file->tsc_mult;
		tb->tsc_from = "the file's TSC2NSEC option";
		tb->lib_converted = true;
		return;
	}
	if (m->tsc_khz > 0) {
		tb->tsc_khz = m->tsc_khz;
		tb->tsc_from = m->tsc_from && *m->tsc_from ? m->tsc_from :
			       "the migscope:clock marker";
		tb->per_tick = 1e6 / m->tsc_khz;
		tb->converted = true;
		return;
	}
	tb->unit = "cycles";
}

void ms_timebase_init(struct ms_timebase *tb, const struct ms_machine *m,
		      const struct ms_file_info *file, const char *buffer)
{
	memset(tb, 0, sizeof(*tb));
	tb->unit = "ns";
	tb->per_tick = 1.0;
	pick_clock(tb, m, ms_file_clock(file, buffer ? buffer : ""),
		   buffer ? buffer : "");
	if (!strcmp(tb->clock, "x86-tsc")) {
		tsc_rate(tb, m, file);
		tb->per_cpu = m->tsc_stable == 0;
	} else if (!strcmp(tb->clock, "counter")) {
		tb->unit = "counts";
	} else if (!strcmp(tb->clock, "local")) {
		tb->per_cpu = true;
	}
}

u64 ms_timebase_time(const struct ms_timebase *tb, u64 ticks)
{
	if (tb->per_tick == 1.0)
		return ticks;
	return (u64)llround((double)ticks * tb->per_tick);
}

bool ms_timebase_is_ns(const struct ms_timebase *tb)
{
	return !strcmp(tb->unit, "ns");
}

/* Cycles for a value in printed units; NAN without a TSC rate. */
double ms_timebase_cycles(const struct ms_timebase *tb, double v)
{
	if (!strcmp(tb->unit, "cycles"))
		return v;
	if (tb->tsc_khz <= 0 || !ms_timebase_is_ns(tb))
		return NAN;
	return v * tb->tsc_khz / 1e6;
}

static const char *source_name(const struct ms_timebase *tb)
{
	return tb->source == MS_CLOCK_MARKER ? "the migscope:clock marker" :
	       "the file";
}

const char *ms_timebase_describe(const struct ms_timebase *tb, char *buf,
				 size_t len)
{
	if (tb->assumed)
		snprintf(buf, len,
			 "unknown (neither the file nor a migscope:clock marker names it); timestamps taken as ns");
	else if (tb->lib_converted)
		snprintf(buf, len,
			 "x86-tsc (from %s), converted to ns by libtracecmd with %s (TSC %.3f MHz)",
			 source_name(tb), tb->tsc_from, tb->tsc_khz / 1e3);
	else if (tb->converted)
		snprintf(buf, len,
			 "x86-tsc (from %s), cycles converted to ns at the TSC rate %.3f MHz (%s)",
			 source_name(tb), tb->tsc_khz / 1e3, tb->tsc_from);
	else if (!strcmp(tb->unit, "cycles"))
		snprintf(buf, len,
			 "x86-tsc (from %s), times in TSC cycles (TSC rate unknown: record with migscope-record or trace-cmd record --tsc2nsec for ns)",
			 source_name(tb));
	else
		snprintf(buf, len, "%s (from %s; times in %s)", tb->clock,
			 source_name(tb), tb->unit);
	return buf;
}

void ms_timebase_warn(const struct ms_timebase *tb, FILE *out)
{
	if (tb->note[0])
		fprintf(out, "note: clock: %s\n", tb->note);
	if (tb->per_cpu)
		fprintf(out,
			"warning: clock %s%s is per CPU, not synchronized between CPUs: a span that begins on one CPU and ends on another (a task moved, mtcopy workers, DMA completions in interrupts) may be off or negative; record with -C mono\n",
			tb->clock, strcmp(tb->clock, "x86-tsc") ? "" :
			" (the kernel marked the TSC unstable)");
}

json_t *ms_timebase_json(const struct ms_timebase *tb)
{
	static const char * const sources[] = {
		[MS_CLOCK_ASSUMED] = "assumed",
		[MS_CLOCK_FILE] = "file",
		[MS_CLOCK_MARKER] = "marker",
	};

	return json_pack("{s:s?, s:s, s:s, s:o, s:s?, s:b, s:b, s:s?}",
			 "clock", tb->assumed ? NULL : tb->clock,
			 "source", sources[tb->source],
			 "unit", tb->unit,
			 "tsc_khz", tb->tsc_khz > 0 ? json_real(tb->tsc_khz) :
						      json_null(),
			 "tsc_khz_from", tb->tsc_from,
			 "converted_by_libtracecmd", tb->lib_converted,
			 "per_cpu_clock", tb->per_cpu,
			 "note", tb->note[0] ? tb->note : NULL);
}

/* "total_ns" -> "total_cycles", "ns_per_page" -> "cycles_per_page" */
static const char *unit_name(const struct ms_timebase *tb, const char *name,
			     char *buf, size_t len)
{
	size_t n = strlen(name);

	if (n > 3 && !strcmp(name + n - 3, "_ns"))
		snprintf(buf, len, "%.*s_%s", (int)(n - 3), name, tb->unit);
	else if (!strncmp(name, "ns_", 3))
		snprintf(buf, len, "%s_%s", tb->unit, name + 3);
	else
		return name;
	return buf;
}

const char *ms_timebase_name(const struct ms_timebase *tb, const char *name,
			     char *buf, size_t len)
{
	if (ms_timebase_is_ns(tb))
		return name;
	return unit_name(tb, name, buf, len);
}

void ms_timebase_csv_header(const struct ms_timebase *tb, const char *head,
			    FILE *out)
{
	char field[128], buf[128];
	size_t n;

	while (*head && *head != '\n') {
		n = strcspn(head, ",\n");
		snprintf(field, sizeof(field), "%.*s", (int)n, head);
		fputs(ms_timebase_name(tb, field, buf, sizeof(buf)), out);
		head += n;
		if (*head == ',')
			fputc(*head++, out);
	}
	fputc('\n', out);
}

static int rename_keys(const struct ms_timebase *tb, json_t *node)
{
	const char *key, *to;
	json_t *value, *tmp;
	char buf[128];
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, value)
			if (rename_keys(tb, value))
				return -1;
		return 0;
	}
	if (!json_is_object(node))
		return 0;
	json_object_foreach_safe(node, tmp, key, value) {
		if (rename_keys(tb, value))
			return -1;
		to = unit_name(tb, key, buf, sizeof(buf));
		if (to == key)
			continue;
		/* a key already in the target unit (cycles_per_page) wins */
		if (!json_object_get(node, to) &&
		    json_object_set(node, to, value))
			return -1;
		json_object_del(node, key);
	}
	return 0;
}

int ms_timebase_json_units(const struct ms_timebase *tb, json_t *root)
{
	if (ms_timebase_is_ns(tb) || !root)
		return 0;
	return rename_keys(tb, root);
}
