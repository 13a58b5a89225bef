// SPDX-License-Identifier: GPL-2.0
/*
 * test-report.c - the renderers on hand-made results: exact JSON keys of
 * the schema, time units (x86-tsc cycles, the TSC rate, TSC2NSEC), the
 * CSV layout and the labels of the text report.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "test.h"
#include "report.h"

struct fixture {
	struct ms_report	r;
	struct ms_results	res;
	struct ms_file_info	file;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ms_engine e;
	int i;
	const struct ms_event evs[] = {
		{ .ts = 1000, .pid = 1, .type = MS_EV_CALL_BEGIN },
		{ .ts = 1100, .pid = 1, .type = MS_EV_BATCH_BEGIN, .id = 1 },
		{ .ts = 1200, .id = 1, .type = MS_EV_PHASE_BEGIN,
		  .phase = MS_PHASE_MOVE },
		{ .ts = 1800, .id = 1, .type = MS_EV_PHASE_END,
		  .phase = MS_PHASE_MOVE, .folios = 2, .pages = 4 },
		{ .ts = 1900, .pid = 1, .type = MS_EV_BATCH_END, .id = 1 },
		{ .ts = 3000, .pid = 1, .type = MS_EV_CALL_END,
		  .succeeded = 4 },
	};

	if (!f)
		return -1;
	ms_results_init(&f->res);
	if (ms_engine_init(&e, &f->res))
		return -1;
	for (i = 0; i < (int)ARRAY_SIZE(evs); i++)
		ms_engine_feed(&e, &evs[i]);
	ms_engine_finish(&e);
	ms_machine_init(&f->r.machine);
	f->r.path = "t.dat";
	f->r.res = &f->res;
	f->r.page_size = 4096;
	f->r.has[MS_GROUP_CALL] = true;
	f->r.has[MS_GROUP_SERIES] = true;
	f->r.has[MS_GROUP_SYSCALL] = false;
	ms_catalog_record_hint(f->r.record_hint, sizeof(f->r.record_hint));
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ms_machine_free(&f->r.machine);
	free(f);
	return 0;
}

static void marker(struct ms_machine *m, const char *line)
{
	assert_int_equal(ms_machine_parse(m, line, strlen(line)), 1);
}

/* Render into a string. */
static char *render(const struct ms_report *r,
		    int (*fn)(const struct ms_report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(r, f), 0);
	fclose(f);
	return buf;
}

static void assert_keys(json_t *obj, const char *const keys[], size_t n)
{
	size_t i;

	assert_true(json_is_object(obj));
	assert_int_equal(json_object_size(obj), n);
	for (i = 0; i < n; i++)
		if (!json_object_get(obj, keys[i]))
			fail_msg("missing key %s", keys[i]);
}

static void test_json_schema(void **state)
{
	static const char * const top[] = {
		"tool", "version", "trace", "kernel", "clock", "page_size",
		"environment", "time_unit", "topology", "series",
		"missing_events", "record_hint", "syscalls", "calls",
		"batches", "phases", "copy_fraction", "throughput",
		"copy_dispatch", "by_order", "by_migrator",
		"first_folio_latency", "unattributed", "unpaired",
		"schema_version", "nested", "lost_events", "left_out",
		"timebase", "by_reason", "by_mode", "threshold",
	};
	static const char * const env[] = {
		"emulated", "hypervisor", "timing_label",
	};
	static const char * const sys[] = {
		"count", "query_only", "total_ns", "max_ns",
		"outside_migrate_pages_ns", "by_syscall",
	};
	static const char * const calls[] = {
		"count", "pages_succeeded", "pages_failed", "bytes",
		"total_ns", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns",
	};
	static const char * const phase[] = {
		"phase", "count", "folios", "pages", "failed", "total_ns",
		"mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns",
		"ns_per_page", "cycles_per_page", "share",
	};
	struct fixture *f = *state;
	char *out = render(&f->r, ms_report_json);
	json_t *root, *ph, *move;
	json_error_t err;

	root = json_loads(out, 0, &err);
	assert_non_null(root);
	assert_keys(root, top, ARRAY_SIZE(top));
	assert_keys(json_object_get(root, "environment"), env,
		    ARRAY_SIZE(env));
	assert_keys(json_object_get(root, "syscalls"), sys, ARRAY_SIZE(sys));
	assert_keys(json_object_get(root, "calls"), calls, ARRAY_SIZE(calls));
	ph = json_object_get(root, "phases");
	assert_int_equal(json_array_size(ph), MS_NR_PHASES);
	assert_keys(json_array_get(ph, 0), phase, ARRAY_SIZE(phase));
	assert_true(json_is_null(json_object_get(root, "kernel")));
	assert_true(json_is_null(json_object_get(root, "topology")));
	move = json_array_get(ph, MS_PHASE_MOVE);
	assert_string_equal(json_string_value(json_object_get(move, "phase")),
			    "move");
	assert_int_equal(json_integer_value(json_object_get(move,
							    "total_ns")), 600);
	assert_true(fabs(json_real_value(json_object_get(move, "share")) -
			 0.3) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(move,
							 "ns_per_page")) -
			 150) < 1e-9);
	/* no pages: per page is null, not a division by zero */
	assert_true(json_is_null(json_object_get(json_array_get(ph, 0),
						 "ns_per_page")));
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(root, "unattributed"), "total_ns")), 1400);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(root, "calls"), "bytes")), 4 * 4096);
	json_decref(root);
	free(out);
}

static json_t *json_path(json_t *root, const char *a, int i, const char *b)
{
	json_t *v = json_object_get(root, a);

	if (i >= 0)
		v = json_array_get(v, i);
	return b ? json_object_get(v, b) : v;
}

static void assert_real(json_t *v, double want)
{
	assert_true(json_is_number(v));
	if (fabs(json_number_value(v) - want) > 1e-9)
		fail_msg("%.12g != %.12g", json_number_value(v), want);
}

/* The fixture has no copy phase: batch_copy=0, no dispatch, no PTEs. */
static void test_legacy_copy(void **state)
{
	static const char * const order[] = {
		"order", "folio_bytes", "batches", "folios", "pages", "bytes",
		"total_ns", "copy_ns", "copy_fraction", "gbps",
	};
	static const char * const migr[] = {
		"migrator", "batches", "folios", "bytes", "copy_ns",
		"gbps_copy", "fallbacks",
	};
	struct fixture *f = *state;
	char *out = render(&f->r, ms_report_json);
	json_t *root = json_loads(out, 0, NULL);

	assert_non_null(root);
	assert_true(json_is_null(json_object_get(root, "copy_fraction")));
	assert_true(json_is_null(json_object_get(root,
						 "first_folio_latency")));
	assert_keys(json_path(root, "by_order", 0, NULL), order,
		    ARRAY_SIZE(order));
	assert_keys(json_path(root, "by_migrator", 0, NULL), migr,
		    ARRAY_SIZE(migr));
	/* no folio count (no unmap end, batch begin without folios) */
	assert_string_equal(json_string_value(json_path(root, "by_order", 0,
							"order")), "mixed");
	assert_true(json_is_null(json_path(root, "by_order", 0,
					   "folio_bytes")));
	assert_true(json_is_null(json_path(root, "by_order", 0,
					   "copy_fraction")));
	assert_string_equal(json_string_value(json_path(root, "by_migrator",
			    0, "migrator")), "none");
	/* 4 pages in 2000 ns of migrate_pages() */
	assert_real(json_path(root, "throughput", -1, "gbps"),
		    4 * 4096 / 2000.0);
	json_decref(root);
	free(out);
	out = render(&f->r, ms_report_text);
	assert_non_null(strstr(out, "copy is inside move (batch_copy=0)"));
	assert_non_null(strstr(out, "first-folio latency: not available"));
	free(out);
}

/* A batch copy by mtcopy, a second batch whose dispatch fell back. */
static void test_copy_groups(void **state)
{
	struct fixture *f = *state;
	struct ms_engine e;
	const struct ms_event evs[] = {
		{ .ts = 0, .pid = 2, .type = MS_EV_CALL_BEGIN },
		{ .ts = 100, .pid = 2, .type = MS_EV_BATCH_BEGIN, .id = 5,
		  .folios = 1, .pages = 4 },
		{ .ts = 300, .id = 5, .type = MS_EV_PHASE_BEGIN,
		  .phase = MS_PHASE_COPY },
		{ .ts = 310, .pid = 2, .id = 5, .type = MS_EV_COPY_DISPATCH,
		  .name = "mtcopy", .folios = 1, .bytes = 16384 },
		{ .ts = 500, .id = 5, .type = MS_EV_PHASE_END,
		  .phase = MS_PHASE_COPY, .folios = 1, .pages = 4 },
		{ .ts = 550, .id = 5, .type = MS_EV_PHASE_BEGIN,
		  .phase = MS_PHASE_MOVE },
		{ .ts = 600, .pid = 2, .type = MS_EV_REMOVE_PTE, .order = 2 },
		{ .ts = 800, .id = 5, .type = MS_EV_PHASE_END,
		  .phase = MS_PHASE_MOVE, .folios = 1, .pages = 4 },
		{ .ts = 900, .pid = 2, .type = MS_EV_BATCH_END, .id = 5,
		  .succeeded = 4 },
		{ .ts = 1000, .pid = 2, .type = MS_EV_CALL_END,
		  .succeeded = 4 },
	};
	json_t *root;
	char *out;
	int i;

	ms_results_init(&f->res);
	assert_int_equal(ms_engine_init(&e, &f->res), 0);
	for (i = 0; i < (int)ARRAY_SIZE(evs); i++)
		assert_int_equal(ms_engine_feed(&e, &evs[i]), 0);
	ms_engine_finish(&e);
	f->r.has[MS_GROUP_PTE] = true;
	out = render(&f->r, ms_report_json);
	root = json_loads(out, 0, NULL);
	assert_non_null(root);
	assert_real(json_object_get(root, "copy_fraction"), 0.2);
	assert_int_equal(json_integer_value(json_path(root, "by_order", 0,
						      "order")), 2);
	assert_real(json_path(root, "by_order", 0, "copy_fraction"), 0.25);
	assert_real(json_path(root, "by_order", 0, "gbps"), 16384 / 800.0);
	assert_string_equal(json_string_value(json_path(root, "by_migrator",
			    0, "migrator")), "mtcopy");
	assert_real(json_path(root, "by_migrator", 0, "gbps_copy"),
		    16384 / 200.0);
	assert_int_equal(json_integer_value(json_path(root,
			 "first_folio_latency", -1, "mean_ns")), 500);
	assert_int_equal(json_integer_value(json_path(root,
			 "first_folio_latency", -1, "batch_mean_ns")), 800);
	json_decref(root);
	free(out);
	out = render(&f->r, ms_report_text);
	assert_non_null(strstr(out, "copy fraction F: 0.200"));
	assert_non_null(strstr(out, "first-folio latency (batch begin to its first PTE restored): 1 batches, mean 500 ns"));
	assert_non_null(strstr(out, "  2 (16K)  "));
	free(out);
}

/*
 * x86-tsc: cycles stay cycles at any "cpu MHz" (the core frequency, not
 * the TSC rate), and the *_ns keys are renamed; the marker's tsc_khz
 * converts them; a TSC2NSEC option means libtracecmd already did.
 */
static void test_tsc(void **state)
{
	struct fixture *f = *state;
	char *out;

	marker(&f->r.machine, "migscope:clock trace_clock=x86-tsc "
	       "cpu_mhz=2000");
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_string_equal(f->r.tb.unit, "cycles");
	assert_false(f->r.tb.converted);
	assert_int_equal(ms_report_time(&f->r, 2000), 2000);
	out = render(&f->r, ms_report_text);
	assert_non_null(strstr(out, "x86-tsc (from the migscope:clock marker), times in TSC cycles"));
	assert_non_null(strstr(out, "cyc/page"));
	free(out);
	out = render(&f->r, ms_report_json);
	assert_non_null(strstr(out, "\"time_unit\": \"cycles\""));
	assert_non_null(strstr(out, "\"total_cycles\""));
	assert_non_null(strstr(out, "\"cycles_per_page\""));
	assert_null(strstr(out, "_ns\""));
	assert_null(strstr(out, "\"ns_"));
	assert_schema(out, "report");
	free(out);
	out = render(&f->r, ms_report_csv);
	assert_non_null(strstr(out, "phase,count,total_cycles,mean_cycles,"));
	assert_non_null(strstr(out, ",cycles_per_page,share\n"));
	free(out);

	ms_machine_free(&f->r.machine);
	ms_machine_init(&f->r.machine);
	marker(&f->r.machine, "migscope:clock trace_clock=x86-tsc "
	       "cpu_mhz=3700 tsc_khz=2000000 tsc_khz_from=test");
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_string_equal(f->r.tb.unit, "ns");
	assert_true(f->r.tb.converted);
	assert_int_equal(ms_report_time(&f->r, 2000), 1000);
	assert_true(ms_timebase_cycles(&f->r.tb, 1000) == 2000);
	out = render(&f->r, ms_report_text);
	assert_non_null(strstr(out, "cycles converted to ns at the TSC rate 2000.000 MHz (test)"));
	assert_non_null(strstr(out, "TSC cycles per page migrated: "));
	free(out);

	/* the file's TSC2NSEC: ns = cycles * 512 >> 10 (2 GHz) */
	strcpy(f->file.clock, "x86-tsc");
	f->file.tsc2nsec = true;
	f->file.tsc_mult = 512;
	f->file.tsc_shift = 10;
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_true(f->r.tb.lib_converted);
	assert_false(f->r.tb.converted);
	assert_true(f->r.tb.tsc_khz == 2e6);
	assert_int_equal(ms_report_time(&f->r, 2000), 2000);
	out = render(&f->r, ms_report_json);
	assert_non_null(strstr(out, "\"converted_by_libtracecmd\": true"));
	assert_non_null(strstr(out, "\"total_ns\""));
	assert_schema(out, "report");
	free(out);
}

/*
 * The file's clock against the marker: the file wins for the top buffer;
 * for an instance the marker does (trace-cmd extract writes the top
 * buffer's clock there).  local is per CPU: a warning.
 */
static void test_clock_sources(void **state)
{
	struct fixture *f = *state;
	char *out;

	strcpy(f->file.clock, "mono");
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_int_equal(f->r.tb.source, MS_CLOCK_FILE);
	assert_string_equal(f->r.tb.clock, "mono");
	assert_false(f->r.tb.assumed);

	marker(&f->r.machine, "migscope:clock trace_clock=local");
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_int_equal(f->r.tb.source, MS_CLOCK_FILE);
	assert_string_equal(f->r.tb.clock, "mono");
	assert_non_null(strstr(f->r.tb.note, "the file's clock is used"));

	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "inst");
	assert_int_equal(f->r.tb.source, MS_CLOCK_MARKER);
	assert_string_equal(f->r.tb.clock, "local");
	assert_true(f->r.tb.per_cpu);
	out = render(&f->r, ms_report_text);
	assert_non_null(strstr(out, "note: clock: the file says mono for instance inst"));
	assert_non_null(strstr(out, "warning: clock local is per CPU"));
	free(out);

	f->file.clock[0] = '\0';
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_int_equal(f->r.tb.source, MS_CLOCK_MARKER);
	assert_string_equal(f->r.tb.note, "");

	strcpy(f->file.clock, "counter");
	ms_machine_free(&f->r.machine);
	ms_machine_init(&f->r.machine);
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	assert_string_equal(f->r.tb.unit, "counts");
	out = render(&f->r, ms_report_json);
	assert_non_null(strstr(out, "\"total_counts\""));
	assert_null(strstr(out, "_ns\""));
	assert_schema(out, "report");
	free(out);
}

static void test_no_clock_marker(void **state)
{
	struct fixture *f = *state;
	char *out = render(&f->r, ms_report_text);

	assert_true(f->r.tb.assumed);
	assert_non_null(strstr(out, "clock:      unknown"));
	assert_non_null(strstr(out, "kernel:     unknown"));
	assert_non_null(strstr(out, "topology:   unknown"));
	assert_non_null(strstr(out, "unknown machine"));
	assert_non_null(strstr(out, "\nunattributed "));
	assert_non_null(strstr(out, "migrating syscalls (move_pages, mbind, migrate_pages): none"));
	free(out);
}

static void test_labels(void **state)
{
	struct fixture *f = *state;
	char buf[256];

	marker(&f->r.machine, "migscope:env hypervisor=1");
	assert_string_equal(ms_report_timing_label(&f->r, buf, sizeof(buf)),
			    "virtual machine (hypervisor) \u2014 timings "
			    "include virtualization effects");
	marker(&f->r.machine,
	       "migscope:env hypervisor=1 emulated=\"qemu-tcg\"");
	assert_non_null(strstr(ms_report_timing_label(&f->r, buf,
						      sizeof(buf)),
			       "EMULATED machine (qemu-tcg)"));
	f->r.has[MS_GROUP_SERIES] = false;
	assert_non_null(strstr(ms_report_series_note(&f->r), "lacks"));
	f->r.series_in_formats = true;
	assert_non_null(strstr(ms_report_series_note(&f->r),
			       "not recorded"));
}

static void test_csv(void **state)
{
	struct fixture *f = *state;
	char *out = render(&f->r, ms_report_csv);

	assert_string_equal(out,
		"phase,count,total_ns,mean_ns,p50_ns,p90_ns,p99_ns,max_ns,"
		"ns_per_page,share\n"
		"unmap,0,0,0,0,0,0,0,,0\n"
		"flush,0,0,0,0,0,0,0,,0\n"
		"copy,0,0,0,0,0,0,0,,0\n"
		"move,1,600,600,600,600,600,600,150,0.3\n"
		"undo,0,0,0,0,0,0,0,,0\n"
		"nested,0,0,0,,,,,,0\n"
		"unattributed,,1400,,,,,,,0.7\n"
		"# lost events: 0 in 0 gaps; left out: 0 calls, 0 batches\n");
	free(out);
}

/*
 * Two reasons, two modes: compaction (async) 0..1000, one batch of 2
 * folios, 8 pages: unmap 200, copy 100 (mtcopy), move 200; move_pages(2)
 * (sync) 2000..5000, one batch of 4 folios, 4 pages: unmap 400, move 800
 * with a nested compaction call of 200 in it; a move_pages(2) call of 500
 * with no batch; a NUMA hinting fault of 500 in a mode 6.12 does not have,
 * with no batch.  The outermost total is 5000.
 */
#define EV(...)	(&(struct ms_event){ __VA_ARGS__ })

static void feed(struct ms_engine *e, const struct ms_event *ev)
{
	assert_int_equal(ms_engine_feed(e, ev), 0);
}

static void call_begin(struct ms_engine *e, u64 ts, int pid, s64 reason,
		       s64 mode)
{
	feed(e, EV(.ts = ts, .pid = pid, .type = MS_EV_CALL_BEGIN,
		   .reason = reason, .mode = mode));
}

static void call_end(struct ms_engine *e, u64 ts, int pid, u64 ok, u64 ko)
{
	feed(e, EV(.ts = ts, .pid = pid, .type = MS_EV_CALL_END,
		   .succeeded = ok, .failed_pages = ko));
}

static void phase_span(struct ms_engine *e, u64 id, enum ms_phase p,
		       u64 begin, u64 end, u64 folios)
{
	feed(e, EV(.ts = begin, .id = id, .type = MS_EV_PHASE_BEGIN,
		   .phase = p));
	feed(e, EV(.ts = end, .id = id, .type = MS_EV_PHASE_END, .phase = p,
		   .folios = folios, .pages = folios));
}

static void two_reasons(struct fixture *f)
{
	struct ms_engine e;

	ms_results_init(&f->res);
	/* a threshold of 3 folios: compaction's 2 folios are below it */
	f->res.threshold = (struct ms_threshold){ .known = true,
		.min_folios = 3, .min_bytes = -1, .page_size = 4096 };
	f->r.threshold_from = "test";
	assert_int_equal(ms_engine_init(&e, &f->res), 0);
	call_begin(&e, 0, 1, MS_REASON_COMPACTION, MS_MODE_ASYNC);
	feed(&e, EV(.ts = 100, .pid = 1, .type = MS_EV_BATCH_BEGIN, .id = 1,
		    .folios = 2, .pages = 8));
	phase_span(&e, 1, MS_PHASE_UNMAP, 100, 300, 2);
	feed(&e, EV(.ts = 300, .id = 1, .type = MS_EV_PHASE_BEGIN,
		    .phase = MS_PHASE_COPY));
	feed(&e, EV(.ts = 310, .pid = 1, .id = 1, .type = MS_EV_COPY_DISPATCH,
		    .name = "mtcopy", .folios = 2, .bytes = 8 * 4096));
	feed(&e, EV(.ts = 400, .id = 1, .type = MS_EV_PHASE_END,
		    .phase = MS_PHASE_COPY, .folios = 2, .pages = 8));
	phase_span(&e, 1, MS_PHASE_MOVE, 400, 600, 2);
	feed(&e, EV(.ts = 700, .pid = 1, .type = MS_EV_BATCH_END, .id = 1,
		    .succeeded = 8));
	call_end(&e, 1000, 1, 8, 0);

	call_begin(&e, 2000, 2, MS_REASON_SYSCALL, MS_MODE_SYNC);
	feed(&e, EV(.ts = 2100, .pid = 2, .type = MS_EV_BATCH_BEGIN, .id = 2,
		    .folios = 4, .pages = 4));
	phase_span(&e, 2, MS_PHASE_UNMAP, 2100, 2500, 4);
	feed(&e, EV(.ts = 2500, .id = 2, .type = MS_EV_PHASE_BEGIN,
		    .phase = MS_PHASE_MOVE));
	call_begin(&e, 2600, 2, MS_REASON_COMPACTION, MS_MODE_ASYNC);
	call_end(&e, 2800, 2, 1, 0);
	feed(&e, EV(.ts = 3300, .id = 2, .type = MS_EV_PHASE_END,
		    .phase = MS_PHASE_MOVE, .folios = 3, .pages = 3));
	feed(&e, EV(.ts = 3400, .pid = 2, .type = MS_EV_BATCH_END, .id = 2,
		    .succeeded = 3));
	call_end(&e, 5000, 2, 3, 1);

	call_begin(&e, 6000, 3, MS_REASON_SYSCALL, MS_MODE_SYNC);
	call_end(&e, 6500, 3, 0, 0);
	call_begin(&e, 7000, 4, MS_REASON_NUMA_MISPLACED, 7);
	call_end(&e, 7500, 4, 0, 0);
	ms_engine_finish(&e);
	assert_int_equal(f->res.call.total, 5000);
}

#define GROUP_HEAD(key) key ",calls,pages_succeeded,pages_failed,total_ns," \
	"share,batches,batch_folios_p50,batch_folios_p99,batch_folios_max," \
	"batch_pages_p50,batch_pages_p99,batch_pages_max,unmap_share," \
	"flush_share,copy_share,move_share,undo_share,nested_share," \
	"unattributed_share,F,gbps,offloaded,declined,batch_bytes_p50," \
	"batch_bytes_p99,batch_bytes_max,judged_batches,below_batches," \
	"judged_bytes,below_bytes\n"
#define NCOL	30	/* after the key */

/* The expected row of one group; NAN: an empty cell. */
struct want_row {
	const char	*name;
	double		v[NCOL];
};

/* Split line (changed) at the commas; the number of fields. */
static int csv_fields(char *line, char *field[], int max)
{
	int n = 0;

	while (line && n < max)
		field[n++] = strsep(&line, ",");
	return line ? -1 : n;
}

/* got: the row's numbers (NAN: empty) */
static void assert_row(char *line, const struct want_row *w, double got[NCOL])
{
	char *field[32];
	int i, n = csv_fields(line, field, 32);

	assert_int_equal(n, NCOL + 1);
	assert_string_equal(field[0], w->name);
	for (i = 0; i < NCOL; i++) {
		const char *s = field[i + 1];

		got[i] = *s ? strtod(s, NULL) : NAN;
		if (isnan(w->v[i])) {
			if (*s)
				fail_msg("%s column %d: \"%s\", want empty",
					 w->name, i + 1, s);
			continue;
		}
		if (!*s || fabs(strtod(s, NULL) - w->v[i]) >
			   1e-5 * fmax(1.0, fabs(w->v[i])))
			fail_msg("%s column %d: \"%s\", want %.9g", w->name,
				 i + 1, s, w->v[i]);
	}
}

/*
 * The header, the rows of want[nr], the lost-events line; nothing else.
 * The rows add up to the whole trace (calls, time, share 1, batches) and
 * each row's phases, nested and unattributed to 1.
 */
static void assert_groups_csv(const struct ms_results *res, char *out,
			      const char *head, const struct want_row *want,
			      int nr)
{
	double got[NCOL], sum[NCOL] = { 0 }, own;
	char *line, *rest = out;
	int i, c;

	assert_int_equal(strncmp(out, head, strlen(head)), 0);
	rest = out + strlen(head);
	for (i = 0; i < nr; i++) {
		line = strsep(&rest, "\n");
		assert_non_null(rest);
		assert_row(line, &want[i], got);
		for (c = 0, own = 0; c < NCOL; c++) {
			sum[c] += got[c];
			own += c >= 12 && c <= 18 ? got[c] : 0;
		}
		assert_true(fabs(own - 1) < 1e-5);
	}
	assert_string_equal(rest, "# lost events: 0 in 0 gaps; left out: "
			    "0 calls, 0 batches\n");
	assert_true(sum[0] == res->call.count);
	assert_true(sum[3] == res->call.total);
	assert_true(fabs(sum[4] - 1) < 1e-5);
	assert_true(sum[5] == res->batch.count);
}

/*
 * --csv --by reason and --by mode: every column from the stream's spans.
 * share of 5000; the phase, nested and unattributed shares of the row's
 * own time; F of the copy phase (the trace has one; move_pages' batch
 * none: 0; no batch: empty); GB/s = pages * 4096 / time.
 */
static void test_csv_by_reason_mode(void **state)
{
	const struct want_row reasons[] = {
		{ "compaction", { 1, 8, 0, 1000, 0.2, 1, 2, 2, 2, 8, 8, 8,
		  0.2, 0, 0.1, 0.2, 0, 0, 0.5, 0.1, 8 * 4096 / 1000.0, 1, 0,
		  32768, 32768, 32768, 1, 1, 32768, 32768 } },
		{ "syscall_or_cpuset", { 2, 3, 1, 3500, 0.7, 1, 4, 4, 4,
		  4, 4, 4, 400 / 3500.0, 0, 0, 600 / 3500.0, 0,
		  200 / 3500.0, 2300 / 3500.0, 0, 3 * 4096 / 3500.0, 0, 0,
		  16384, 16384, 16384, 1, 0, 16384, 0 } },
		{ "numa_misplaced", { 1, 0, 0, 500, 0.1, 0, 0, 0, 0, 0, 0, 0,
		  0, 0, 0, 0, 0, 0, 1, NAN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	};
	struct want_row modes[3];
	struct fixture *f = *state;
	char *out;

	two_reasons(f);
	out = render(&f->r, ms_report_csv_reasons);
	assert_groups_csv(&f->res, out, GROUP_HEAD("reason"), reasons, 3);
	free(out);
	/* one reason per mode: the same figures */
	memcpy(modes, reasons, sizeof(modes));
	modes[0].name = "MIGRATE_ASYNC";
	modes[1].name = "MIGRATE_SYNC";
	modes[2].name = "unknown";
	out = render(&f->r, ms_report_csv_modes);
	assert_groups_csv(&f->res, out, GROUP_HEAD("mode"), modes, 3);
	free(out);

	/* cycles: the time column renamed, no GB/s */
	marker(&f->r.machine, "migscope:clock trace_clock=x86-tsc");
	ms_timebase_init(&f->r.tb, &f->r.machine, &f->file, "");
	out = render(&f->r, ms_report_csv_reasons);
	assert_non_null(strstr(out, ",pages_failed,total_cycles,share,"));
	assert_null(strstr(out, "_ns"));
	assert_non_null(strstr(out, "\ncompaction,1,8,0,1000,"));
	assert_non_null(strstr(out, ",0.1,,1,0,32768,"));	/* F, no gbps */
	free(out);
}

/* by_reason[].batch_pages: the batch begin's pages, next to folios */
static void test_json_batch_pages(void **state)
{
	struct fixture *f = *state;
	json_t *root, *c, *s;
	char *out;

	two_reasons(f);
	out = render(&f->r, ms_report_json);
	assert_schema(out, "report");
	root = json_loads(out, 0, NULL);
	assert_non_null(root);
	c = json_path(root, "by_reason", 0, NULL);
	s = json_path(root, "by_reason", 1, NULL);
	assert_string_equal(json_string_value(json_object_get(c, "reason")),
			    "compaction");
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(c, "batch_pages"), "max")), 8);
	assert_real(json_object_get(json_object_get(c, "batch_pages"),
				    "mean"), 8);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(s, "batch_pages"), "p50")), 4);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(s, "batch_folios"), "p99")), 4);
	assert_real(json_object_get(c, "copy_fraction"), 0.1);
	assert_real(json_object_get(s, "copy_fraction"), 0);
	/* callers: compaction's batch is below 3 folios, move_pages' not */
	assert_real(json_object_get(json_object_get(c, "callers"),
				    "below_share"), 1);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(c, "callers"), "below_bytes")), 32768);
	assert_real(json_object_get(json_object_get(s, "callers"),
				    "below_share"), 0);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(s, "batch_bytes"), "max")), 16384);
	assert_true(json_is_null(json_object_get(
		json_object_get(c, "callers"), "offload")));
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(root, "threshold"), "min_folios")), 3);
	assert_true(json_is_null(json_object_get(
		json_object_get(root, "threshold"), "min_bytes")));
	json_decref(root);
	free(out);
}

/* Without calls, shares have no denominator. */
static void test_no_calls(void **state)
{
	struct fixture *f = *state;
	char *out;

	f->res.call.total = 0;
	assert_true(isnan(ms_report_share(&f->r, 600)));
	out = render(&f->r, ms_report_csv);
	assert_non_null(strstr(out, "move,1,600,600,600,600,600,600,150,\n"));
	free(out);
	out = render(&f->r, ms_report_json);
	assert_non_null(strstr(out, "\"share\": null"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_schema, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tsc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_copy, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_copy_groups, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_sources, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_clock_marker, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_calls, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_csv_by_reason_mode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_batch_pages, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
