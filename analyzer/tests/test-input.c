// SPDX-License-Identifier: GPL-2.0
/*
 * test-input.c - the libtracecmd side on the committed traces of
 * tests/data (see make-traces.sh for what they hold): events, fields,
 * sign extension, buffer instances, markers; and the file check on every
 * truncation of them, handing what passes the check to libtracecmd under
 * ASan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "phase.h"
#include "topology.h"
#include "trace-check.h"
#include "trace-input.h"

struct reader {
	struct ms_input		in;
	struct ms_results	res;
	struct ms_engine	eng;
	struct ms_machine	machine;
	struct ms_scan		scan;
	int			nr_buffers;
};

static char *data_path(const char *name)
{
	const char *dir = getenv("MS_TESTDATA");
	char *path;

	if (!dir)
		dir = "tests/data";
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	return path;
}

static int on_event(const struct ms_event *ev, void *data)
{
	struct reader *r = data;

	return ms_engine_feed(&r->eng, ev);
}

static int on_marker(const char *text, size_t len, void *data)
{
	struct reader *r = data;

	return ms_machine_parse(&r->machine, text, len) < 0 ? -1 : 0;
}

/* Read every buffer of a test trace, as `migscope report` does. */
static struct reader *read_trace(const char *name)
{
	struct reader *r = calloc(1, sizeof(*r));
	char *path = data_path(name), msg[512];
	int i;

	assert_non_null(r);
	assert_non_null(path);
	ms_results_init(&r->res);
	ms_machine_init(&r->machine);
	r->scan.on_event = on_event;
	r->scan.on_marker = on_marker;
	r->scan.data = r;
	if (ms_input_open(&r->in, path, msg, sizeof(msg)))
		fail_msg("%s: %s", path, msg);
	r->nr_buffers = ms_input_nr_buffers(&r->in);
	for (i = 0; i < r->nr_buffers; i++) {
		assert_int_equal(ms_engine_init(&r->eng, &r->res), 0);
		assert_int_equal(ms_input_scan(&r->in, i, &r->scan), 0);
		ms_engine_finish(&r->eng);
	}
	assert_int_equal(ms_machine_finish(&r->machine), 0);
	free(path);
	return r;
}

static void reader_free(struct reader *r)
{
	ms_input_close(&r->in);
	ms_machine_free(&r->machine);
	free(r);
}

/* The EXPECTED block of make-traces.sh */
static void check_series(struct reader *r)
{
	struct ms_results *res = &r->res;

	assert_int_equal(res->syscall.count, 5);
	assert_int_equal(res->syscall_errors, 1);	/* ret -14: s64 */
	/* S2's compaction is nested: not an outermost call, not its batch */
	assert_int_equal(res->call.count, 5);
	assert_int_equal(res->pages_succeeded, 29);
	assert_int_equal(res->pages_failed, 4);
	assert_int_equal(res->nested[MS_REASON_COMPACTION].calls, 1);
	assert_int_equal(res->nested[MS_REASON_COMPACTION].pages, 1);
	assert_int_equal(res->nested[MS_REASON_COMPACTION].batches, 1);
	assert_int_equal(res->batch.count, 6);
	assert_int_equal(res->batch_errors, 1);		/* rc -12: s32 */
	assert_int_equal(res->batch_outside, 0);
	assert_int_equal(res->phase[MS_PHASE_UNMAP].time.count, 6);
	assert_int_equal(res->phase[MS_PHASE_UNMAP].folios, 12);
	assert_int_equal(res->phase[MS_PHASE_UNMAP].pages, 30);
	assert_int_equal(res->phase[MS_PHASE_UNMAP].failed, 3);
	assert_int_equal(res->phase[MS_PHASE_FLUSH].time.count, 5);
	assert_int_equal(res->phase[MS_PHASE_MOVE].time.count, 5);
	assert_int_equal(res->phase[MS_PHASE_MOVE].pages, 29);
	assert_int_equal(res->phase[MS_PHASE_UNDO].time.count, 1);
	assert_int_equal(res->begin_without_end, 4);
	assert_int_equal(res->end_without_begin, 4);
	assert_int_equal(res->lost_gaps, 0);
	assert_int_equal(res->inconsistent, 0);
	assert_true(res->call.total >= ms_results_phases(res));
	assert_int_equal(ms_results_phases(res) +
			 res->nested[MS_REASON_COMPACTION].total +
			 ms_results_unattributed(res), res->call.total);
	assert_int_equal(r->scan.missed, 0);
	assert_int_equal(r->scan.malformed, 0);
}

static void test_series(void **state)
{
	struct reader *r = read_trace("series.dat");
	int i, nr;

	(void)state;
	check_series(r);
	/* the events are in instance "migscope" only */
	assert_int_equal(r->nr_buffers, 3);
	assert_string_equal(ms_input_buffer_name(&r->in, 0), "");
	assert_int_equal(ms_input_find_buffer(&r->in, "migscope") > 0, 1);
	assert_int_equal(ms_input_find_buffer(&r->in, "noise") > 0, 1);
	assert_int_equal(ms_input_find_buffer(&r->in, "top"), 0);
	assert_int_equal(ms_input_find_buffer(&r->in, "nope"), -1);
	assert_int_equal(ms_input_page_size(&r->in), 4096);
	assert_true(ms_input_has_format(&r->in, "migrate_batch",
					"mm_migrate_batch_begin"));
	ms_catalog_events(&nr);
	for (i = 0; i < nr; i++)
		assert_false(r->scan.bad_format[i]);
	/* markers; the line of instance "noise" is not one */
	assert_int_equal(r->machine.nr_markers, 10);
	assert_string_equal(r->machine.emulated, "qemu-tcg");
	assert_string_equal(r->machine.clock, "mono");
	assert_int_equal(r->machine.nr_l3, 2);
	assert_int_equal(r->machine.nr_nodes, 3);
	reader_free(r);
}

/* The same file as version 6, uncompressed */
static void test_series_v6(void **state)
{
	struct reader *r = read_trace("series-v6.dat");

	(void)state;
	check_series(r);
	reader_free(r);
}

static void test_upstream(void **state)
{
	struct reader *r = read_trace("upstream.dat");

	(void)state;
	assert_int_equal(r->res.call.count, 5);	/* and 1 nested */
	assert_int_equal(r->res.nested[MS_REASON_COMPACTION].calls, 1);
	assert_int_equal(r->res.batch.count, 0);
	assert_false(ms_input_has_format(&r->in, "migrate_batch",
					 "mm_migrate_batch_begin"));
	assert_int_equal(r->machine.hypervisor, 0);
	reader_free(r);
}

static void test_unrecorded(void **state)
{
	struct reader *r = read_trace("unrecorded.dat");

	(void)state;
	assert_int_equal(r->res.call.count, 5);	/* and 1 nested */
	assert_int_equal(r->res.nested[MS_REASON_COMPACTION].calls, 1);
	assert_int_equal(r->res.batch.count, 0);
	assert_true(ms_input_has_format(&r->in, "migrate_batch",
					"mm_migrate_batch_begin"));
	assert_int_equal(r->machine.nr_markers, 0);
	reader_free(r);
}

static unsigned char *slurp(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return NULL;
	n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (n > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = n;
	}
	fclose(f);
	return buf;
}

static void spit(const char *path, const unsigned char *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* What passes the check must go through libtracecmd without a crash. */
static int scan_all(const char *path, char *msg, size_t len)
{
	struct ms_scan scan = { .on_event = NULL };
	struct ms_input in;
	int i, ret = 0;

	if (ms_input_open(&in, path, msg, len))
		return -1;
	for (i = 0; i < ms_input_nr_buffers(&in); i++)
		ret |= ms_input_scan(&in, i, &scan);
	ms_input_close(&in);
	return ret;
}

/*
 * Cut the file at every offset: the check must refuse the cut file (or,
 * when only padding is cut, libtracecmd must read it without crashing).
 */
static void sweep_truncations(const char *name)
{
	char *path = data_path(name), msg[512], tmp[] = "/tmp/ms-cutXXXXXX";
	unsigned char *buf;
	size_t size = 0, off, passed = 0;
	struct ms_file_info info;
	int fd;

	assert_non_null(path);
	buf = slurp(path, &size);
	assert_non_null(buf);
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	close(fd);
	spit(tmp, buf, size);
	/* from the end: each cut is a truncate(2) of the previous one */
	for (off = size; off-- > 0;) {
		assert_int_equal(truncate(tmp, off), 0);
		if (ms_trace_check(tmp, &info, msg, sizeof(msg))) {
			assert_null(strchr(msg, '\n'));
			continue;
		}
		passed++;
		scan_all(tmp, msg, sizeof(msg));
	}
	print_message("%s: %zu cuts, %zu passed the check\n", name, size,
		      passed);
	unlink(tmp);
	free(buf);
	free(path);
}

static void test_truncations_v7(void **state)
{
	(void)state;
	sweep_truncations("series.dat");
}

static void test_truncations_v6(void **state)
{
	(void)state;
	sweep_truncations("series-v6.dat");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_series_v6),
		cmocka_unit_test(test_upstream),
		cmocka_unit_test(test_unrecorded),
		cmocka_unit_test(test_truncations_v7),
		cmocka_unit_test(test_truncations_v6),
	};

	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
