// SPDX-License-Identifier: GPL-2.0
/*
 * test-dma.c - the DMA stage engine (dma.c) on hand-written dcbm and
 * migrate_batch event sequences, and `migscope dma` on a real trace of the
 * testbed (tests/data/dma-t3.dat: 4 channels, 2048 x 4K pages, swdma).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <jansson.h>

#include "test.h"
#include "dma.h"

struct fixture {
	struct ms_dma_results	res;
	struct ms_dma_engine	eng;
	int			closed;		/* on_batch calls */
	u64			last_setup;
	bool			finished;
};

#define EV(...)	(&(struct ms_dma_event){ __VA_ARGS__ })

#define BEGIN(t, i, f, pg) EV(.ts = (t), .id = (i), \
			      .type = MS_DMA_BATCH_BEGIN, .folios = (f), \
			      .pages = (pg))
#define COPY_BEGIN(t, i) EV(.ts = (t), .id = (i), .type = MS_DMA_COPY_BEGIN)
#define COPY_DISPATCH(t, i, m, by, r) EV(.ts = (t), .id = (i), \
			      .type = MS_DMA_COPY_DISPATCH, .name = m, \
			      .bytes = (by), .rc = (r))
#define COPY_END(t, i, fl) EV(.ts = (t), .id = (i), \
			      .type = MS_DMA_COPY_END, .failed = (fl))
#define BATCH_END(t, i)	EV(.ts = (t), .id = (i), .type = MS_DMA_BATCH_END)
#define DISPATCH(t, i, n, f, by) EV(.ts = (t), .id = (i), \
			      .type = MS_DMA_DISPATCH, .channels = (n), \
			      .folios = (f), .bytes = (by))
#define DECLINE(t, i, why) EV(.ts = (t), .id = (i), \
			      .type = MS_DMA_DECLINE, .name = why)
#define CH(ty, t, i, c, r) EV(.ts = (t), .id = (i), .type = (ty), \
			      .chan = (c), .rc = (r))
#define MAP(t, i, c, f, by) EV(.ts = (t), .id = (i), .type = MS_DMA_MAP, \
			      .chan = (c), .folios = (f), .bytes = (by))
#define SUBMIT(t, i, c, d) EV(.ts = (t), .id = (i), \
			      .type = MS_DMA_SUBMIT, .chan = (c), \
			      .descriptors = (d))
#define DONE(t, i, r)	EV(.ts = (t), .id = (i), .type = MS_DMA_DONE, \
			   .rc = (r))

static int on_batch(const struct ms_dma_batch *b, void *data)
{
	struct fixture *f = data;

	f->closed++;
	f->last_setup = ms_dma_batch_setup(b);
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	ms_dma_results_init(&f->res, 4096);
	if (ms_dma_engine_init(&f->eng, &f->res)) {
		free(f);
		return -1;
	}
	f->eng.on_batch = on_batch;
	f->eng.data = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (!f->finished)
		ms_dma_finish(&f->eng);
	ms_dma_results_free(&f->res);
	free(f);
	return 0;
}

static void feed(struct fixture *f, const struct ms_dma_event *ev)
{
	assert_int_equal(ms_dma_feed(&f->eng, ev), 0);
}

static void finish(struct fixture *f)
{
	assert_int_equal(ms_dma_finish(&f->eng), 0);
	f->finished = true;
}

static u64 mean(const struct ms_stats *s)
{
	return ms_stats_mean(s);
}

/*
 * Batch 7: 2 channels, 4 folios of 4K each per channel.  Task:
 * dispatch 1000, acquire 1010 1030, map0 1100, submit0 1200, issue0
 * 1210, map1 1300, submit1 1400, issue1 1420; callbacks: complete0 1500,
 * complete1 1700; wait0 1520 (prev task 1420 < complete 1500), wait1
 * 1710, release 1800 1810, done 1820.  Copy phase 900..2000.
 */
static void feed_two_channels(struct fixture *f, u64 id, u64 t0)
{
	feed(f, BEGIN(t0 + 0, id, 8, 8));
	feed(f, COPY_BEGIN(t0 + 900, id));
	feed(f, DISPATCH(t0 + 1000, id, 2, 8, 32768));
	feed(f, CH(MS_DMA_ACQUIRE, t0 + 1010, id, 0, 0));
	feed(f, CH(MS_DMA_ACQUIRE, t0 + 1030, id, 1, 0));
	feed(f, MAP(t0 + 1100, id, 0, 4, 16384));
	feed(f, SUBMIT(t0 + 1200, id, 0, 4));
	feed(f, CH(MS_DMA_ISSUE, t0 + 1210, id, 0, 0));
	feed(f, MAP(t0 + 1300, id, 1, 4, 16384));
	feed(f, SUBMIT(t0 + 1400, id, 1, 4));
	feed(f, CH(MS_DMA_ISSUE, t0 + 1420, id, 1, 0));
	feed(f, CH(MS_DMA_COMPLETE, t0 + 1500, id, 0, 0));
	feed(f, CH(MS_DMA_WAIT, t0 + 1520, id, 0, 0));
	feed(f, CH(MS_DMA_COMPLETE, t0 + 1700, id, 1, 0));
	feed(f, CH(MS_DMA_WAIT, t0 + 1710, id, 1, 0));
	feed(f, CH(MS_DMA_RELEASE, t0 + 1800, id, 0, 0));
	feed(f, CH(MS_DMA_RELEASE, t0 + 1810, id, 1, 0));
	feed(f, DONE(t0 + 1820, id, 0));
	feed(f, COPY_DISPATCH(t0 + 1900, id, "dcbm", 32768, 0));
	feed(f, COPY_END(t0 + 2000, id, 0));
}

static void test_stages(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed_two_channels(f, 7, 0);
	assert_int_equal(f->closed, 1);		/* closed at copy end */
	/* acquire: 10 (dispatch->ch0), 20 (ch0->ch1) */
	assert_int_equal(r->stage[MS_DMA_ST_ACQUIRE].count, 2);
	assert_int_equal(r->stage[MS_DMA_ST_ACQUIRE].total, 30);
	/* map: 1030->1100 = 70, 1210->1300 = 90 */
	assert_int_equal(r->stage[MS_DMA_ST_MAP].total, 160);
	assert_int_equal(r->stage[MS_DMA_ST_SUBMIT].total, 200);
	assert_int_equal(r->stage[MS_DMA_ST_ISSUE].total, 30);
	/* transfer: 1210->1500 = 290, 1420->1700 = 280 */
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].total, 570);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].max, 290);
	/* wait: max(1500, 1420)->1520 = 20, max(1700, 1520)->1710 = 10 */
	assert_int_equal(r->stage[MS_DMA_ST_WAIT].total, 30);
	/* release: 1710->1800 = 90, 1800->1810 = 10 */
	assert_int_equal(r->stage[MS_DMA_ST_RELEASE].total, 100);
	/* setup telescopes to dispatch -> last issue */
	assert_int_equal(f->last_setup, 420);
	assert_int_equal(r->setup.total, 420);
	assert_int_equal(r->teardown.total, 100);
	assert_int_equal(r->dma.total, 820);
	assert_int_equal(r->share_setup, 420);
	assert_int_equal(r->share_copy, 1100);
	assert_int_equal(r->batches, 1);
	assert_int_equal(r->dispatched, 1);
	assert_int_equal(r->descriptors, 8);
	assert_int_equal(r->bytes, 32768);
	assert_int_equal(r->folios, 8);
	assert_int_equal(r->failed + r->timeouts + r->fallbacks + r->errors,
			 0);
	assert_int_equal(r->nr_chans, 2);
	assert_int_equal(r->chans[1].batches, 1);
	assert_int_equal(r->chans[1].descriptors, 4);
	assert_int_equal(r->chans[1].bytes, 16384);
	assert_int_equal(r->chans[1].transfer.total, 280);
	finish(f);
	assert_int_equal(f->closed, 1);
}

static void test_points(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed_two_channels(f, 1, 0);
	feed_two_channels(f, 2, 10000);
	finish(f);
	assert_int_equal(r->nr_points, 1);
	assert_true(r->points[0].dma);
	assert_int_equal(r->points[0].channels, 2);
	assert_int_equal(r->points[0].folio_bytes, 4096);
	assert_int_equal(r->points[0].batch_pages, 8);
	assert_int_equal(r->points[0].batches, 2);
	assert_int_equal(r->points[0].bytes, 65536);
	assert_int_equal(r->points[0].ticks, 2200);
	assert_int_equal(mean(&r->setup), 420);
}

/* Channel 1 times out: failed batch, CPU fallback, no transfer time. */
static void test_timeout_fallback(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed(f, BEGIN(0, 3, 2, 2));
	feed(f, COPY_BEGIN(10, 3));
	feed(f, DISPATCH(20, 3, 2, 2, 8192));
	feed(f, CH(MS_DMA_ACQUIRE, 30, 3, 0, 0));
	feed(f, CH(MS_DMA_ACQUIRE, 40, 3, 1, 0));
	feed(f, MAP(50, 3, 0, 1, 4096));
	feed(f, SUBMIT(60, 3, 0, 1));
	feed(f, CH(MS_DMA_ISSUE, 70, 3, 0, 0));
	feed(f, MAP(80, 3, 1, 1, 4096));
	feed(f, SUBMIT(90, 3, 1, 1));
	feed(f, CH(MS_DMA_ISSUE, 100, 3, 1, 0));
	feed(f, CH(MS_DMA_COMPLETE, 150, 3, 0, 0));
	feed(f, CH(MS_DMA_WAIT, 160, 3, 0, 0));
	feed(f, CH(MS_DMA_WAIT, 5000, 3, 1, -MS_DMA_ETIMEDOUT));
	feed(f, CH(MS_DMA_RELEASE, 5010, 3, 0, 0));
	feed(f, CH(MS_DMA_RELEASE, 5020, 3, 1, 0));
	feed(f, DONE(5030, 3, -MS_DMA_ETIMEDOUT));
	feed(f, COPY_DISPATCH(5040, 3, "dcbm", 8192, -MS_DMA_ETIMEDOUT));
	feed(f, COPY_END(5050, 3, 2));
	finish(f);
	assert_int_equal(r->batches, 1);
	assert_int_equal(r->failed, 1);
	assert_int_equal(r->timeouts, 1);
	assert_int_equal(r->fallbacks, 1);
	assert_int_equal(r->errors, 1);
	assert_int_equal(r->chans[1].errors, 1);
	assert_int_equal(r->chans[1].timeouts, 1);
	assert_int_equal(r->chans[0].errors, 0);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].count, 1);
	assert_int_equal(r->stage[MS_DMA_ST_WAIT].count, 2);
	/* the timed-out wait: previous task event 160 -> 5000 */
	assert_int_equal(r->stage[MS_DMA_ST_WAIT].max, 4840);
	assert_int_equal(r->nr_points, 0);	/* not a clean copy */
}

/* An -EIO completion: failed batch and channel error, no timeout. */
static void test_eio(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed(f, DISPATCH(0, 4, 1, 1, 4096));
	feed(f, CH(MS_DMA_ACQUIRE, 10, 4, 0, 0));
	feed(f, MAP(20, 4, 0, 1, 4096));
	feed(f, SUBMIT(30, 4, 0, 1));
	feed(f, CH(MS_DMA_ISSUE, 40, 4, 0, 0));
	feed(f, CH(MS_DMA_COMPLETE, 90, 4, 0, -5));
	feed(f, CH(MS_DMA_WAIT, 95, 4, 0, -5));
	feed(f, CH(MS_DMA_RELEASE, 99, 4, 0, 0));
	feed(f, DONE(100, 4, -5));
	/* no migrate_batch events: closed at done */
	assert_int_equal(f->closed, 1);
	finish(f);
	assert_int_equal(r->failed, 1);
	assert_int_equal(r->errors, 1);
	assert_int_equal(r->timeouts, 0);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].total, 50);
	assert_int_equal(r->share_copy, 0);	/* no copy phase */
}

static void test_declines(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	/* below the minimum: no dispatch (a compaction batch) */
	feed(f, EV(.ts = 5, .id = 5, .type = MS_DMA_BATCH_BEGIN, .folios = 1,
		   .pages = 1, .migrate_reason = MS_REASON_COMPACTION,
		   .migrate_mode = MS_MODE_ASYNC));
	feed(f, DECLINE(10, 5, "below_minimum"));
	/* no channel: dispatch, failed acquire, decline (no batch begin) */
	feed(f, DISPATCH(20, 6, 4, 4, 16384));
	feed(f, CH(MS_DMA_ACQUIRE, 30, 6, 0, -19));
	feed(f, DECLINE(40, 6, "no_channel"));
	finish(f);
	assert_int_equal(r->by_reason[MS_REASON_COMPACTION].batches, 1);
	assert_int_equal(r->by_reason[MS_REASON_COMPACTION].declined_below_minimum,
			 1);
	assert_int_equal(r->by_reason[MS_REASON_COMPACTION].dispatched, 0);
	assert_int_equal(r->by_reason[MS_NR_REASONS].declined_no_channel, 1);
	assert_int_equal(r->by_reason[MS_REASON_SYSCALL].batches, 0);
	/* by the batch's mode: the same two, unknown without a begin */
	assert_int_equal(r->by_mode[MS_MODE_ASYNC].declined_below_minimum, 1);
	assert_int_equal(r->by_mode[MS_NR_MODES].declined_no_channel, 1);
	assert_int_equal(r->by_mode[MS_MODE_SYNC].batches, 0);
	assert_int_equal(r->batches, 2);
	assert_int_equal(r->declined, 2);
	assert_int_equal(r->declined_below_minimum, 1);
	assert_int_equal(r->declined_no_channel, 1);
	assert_int_equal(r->dispatched, 0);
	assert_int_equal(r->errors, 1);
	assert_int_equal(r->incomplete, 0);
	assert_int_equal(r->setup.count, 0);
}

/* All descriptors done before issue returned: no complete event. */
static void test_complete_untraced(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed(f, DISPATCH(0, 8, 1, 1, 4096));
	feed(f, CH(MS_DMA_ACQUIRE, 10, 8, 0, 0));
	feed(f, MAP(20, 8, 0, 1, 4096));
	feed(f, SUBMIT(30, 8, 0, 1));
	feed(f, CH(MS_DMA_ISSUE, 40, 8, 0, 0));
	feed(f, CH(MS_DMA_WAIT, 60, 8, 0, 0));
	feed(f, CH(MS_DMA_RELEASE, 70, 8, 0, 0));
	feed(f, DONE(80, 8, 0));
	finish(f);
	assert_int_equal(r->complete_untraced, 1);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].count, 1);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].total, 0);
	assert_int_equal(r->stage[MS_DMA_ST_WAIT].total, 20);
}

/* Completion stamped before issue (another CPU): transfer 0, not lost. */
static void test_complete_before_issue(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed(f, DISPATCH(0, 9, 1, 1, 4096));
	feed(f, CH(MS_DMA_ACQUIRE, 10, 9, 0, 0));
	feed(f, MAP(20, 9, 0, 1, 4096));
	feed(f, SUBMIT(30, 9, 0, 1));
	feed(f, CH(MS_DMA_COMPLETE, 39, 9, 0, 0));
	feed(f, CH(MS_DMA_ISSUE, 40, 9, 0, 0));
	feed(f, CH(MS_DMA_WAIT, 60, 9, 0, 0));
	feed(f, DONE(80, 9, 0));
	finish(f);
	assert_int_equal(r->complete_untraced, 0);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].count, 1);
	assert_int_equal(r->stage[MS_DMA_ST_TRANSFER].total, 0);
	assert_int_equal(r->stage[MS_DMA_ST_WAIT].total, 20);
}

static void test_bad_events(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results *r = &f->res;

	feed(f, DONE(5, 11, 0));			/* no dispatch */
	feed(f, CH(MS_DMA_MAP, 6, 12, 0, 0));		/* no dispatch */
	feed(f, DISPATCH(10, 13, 1, 1, 4096));
	feed(f, CH(MS_DMA_ACQUIRE, 20, 13, MS_DMA_MAX_CHANNELS, 0));
	feed(f, CH(MS_DMA_ACQUIRE, 30, 13, 200, 0));	/* grows */
	feed(f, COPY_END(40, 99, 0));			/* nothing open */
	finish(f);
	assert_int_equal(r->bad_events, 3);
	assert_int_equal(r->incomplete, 1);		/* 13: no done */
	assert_int_equal(r->dispatched, 1);
	assert_int_equal(r->batches, 1);
}

/* CPU batch: migrator "kernel", no dcbm events; a point, not a batch. */
static void feed_cpu(struct fixture *f, u64 id, u64 t, u64 folios,
		     u64 pages, u64 copy)
{
	feed(f, BEGIN(t, id, folios, pages));
	feed(f, COPY_BEGIN(t + 1, id));
	feed(f, COPY_DISPATCH(t + 2, id, "kernel", pages * 4096, 0));
	feed(f, COPY_END(t + 1 + copy, id, 0));
	feed(f, BATCH_END(t + copy + 5, id));
}

/* DMA batch with n channels, copy phase of copy ticks. */
static void feed_dma(struct fixture *f, u64 id, u64 t, u64 folios,
		     u64 pages, u64 copy, int n)
{
	int c;

	feed(f, BEGIN(t, id, folios, pages));
	feed(f, COPY_BEGIN(t + 1, id));
	feed(f, DISPATCH(t + 2, id, n, folios, pages * 4096));
	for (c = 0; c < n; c++)
		feed(f, CH(MS_DMA_ACQUIRE, t + 3, id, c, 0));
	feed(f, DONE(t + 4, id, 0));
	feed(f, COPY_DISPATCH(t + 5, id, "dcbm", pages * 4096, 0));
	feed(f, COPY_END(t + 1 + copy, id, 0));
}

/*
 * 4K folios: CPU 1 byte/tick at every batch size; DMA slower at 32 and
 * 128 pages, faster at 512 with 4 channels (the best of 1 and 4).
 * 2M folios: DMA never catches up.
 */
static void test_crossover(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_crossover *x;
	static const u64 batch[] = { 32, 128, 512 };
	u64 id = 1, t = 0;
	int i, n;

	for (i = 0; i < 3; i++, t += 100000000) {
		u64 bytes = batch[i] * 4096;

		feed_cpu(f, id++, t, batch[i], batch[i], bytes);
		feed_dma(f, id++, t + 10000000, batch[i], batch[i],
			 i < 2 ? bytes * 2 : bytes * 2, 1);
		feed_dma(f, id++, t + 20000000, batch[i], batch[i],
			 i < 2 ? bytes * 3 / 2 : bytes / 2, 4);
		feed_cpu(f, id++, t + 30000000, 1, 512, 512 * 4096);
		feed_dma(f, id++, t + 40000000, 1, 512, 512 * 4096 * 2, 4);
	}
	finish(f);
	n = ms_dma_crossover(&f->res, 1.0, &x);
	assert_int_equal(n, 2);
	assert_int_equal(x[0].folio_bytes, 4096);
	assert_true(x[0].found);
	assert_int_equal(x[0].batch_pages, 512);
	assert_int_equal(x[0].channels, 4);
	assert_true(x[0].dma_gbps > 1.99 && x[0].dma_gbps < 2.01);
	assert_true(x[0].cpu_gbps > 0.99 && x[0].cpu_gbps < 1.01);
	assert_int_equal(x[0].compared, 3);
	assert_int_equal(x[1].folio_bytes, 2 << 20);
	assert_false(x[1].found);
	assert_int_equal(x[1].compared, 1);
	free(x);
	/* the CPU batches are no dcbm batches */
	assert_int_equal(f->res.batches, 9);
}

static void test_merge(void **state)
{
	struct fixture *f = *state;
	struct ms_dma_results all;

	feed_cpu(f, 1, 0, 32, 32, 1000);
	feed_cpu(f, 2, 2000, 32, 32, 3000);
	finish(f);
	ms_dma_results_init(&all, 4096);
	assert_int_equal(ms_dma_merge_points(&all, &f->res), 0);
	assert_int_equal(ms_dma_merge_points(&all, &f->res), 0);
	assert_int_equal(all.nr_points, 1);
	assert_int_equal(all.points[0].batches, 4);
	assert_int_equal(all.points[0].ticks, 8000);
	assert_int_equal(all.points[0].bytes, 4 * 32 * 4096);
	ms_dma_results_free(&all);
}

/* ---- the binary on the real trace ----------------------------------- */

static char *run_json(const char *args, int *status)
{
	const char *bin = getenv("MIGSCOPE");
	const char *dir = getenv("MS_TESTDATA");
	char *cmd, *out = NULL;
	size_t len = 0;
	FILE *p, *mem;
	char buf[4096];
	size_t n;

	if (!bin || !dir)
		return NULL;
	if (asprintf(&cmd, "cd '%s' && '%s' dma %s 2>/dev/null", dir, bin,
		     args) < 0)
		return NULL;
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	mem = open_memstream(&out, &len);
	assert_non_null(mem);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(mem);
	*status = pclose(p);
	if (!*status)
		assert_schema(out, strstr(args, "--crossover") ? "dma-crossover" :
								  "dma");
	return out;
}

static json_int_t jint(json_t *root, const char *path)
{
	json_t *v = json_object_get(root, path);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/*
 * dma-t3.dat: dcbm over swdma, 4 channels, 4 batches of 512 x 4K pages,
 * recorded without markers.  Expected values from `trace-cmd report -t`.
 */
static void test_real_trace(void **state)
{
	json_t *root, *b, *st, *ch;
	double share;
	char *out;
	int status, i;

	(void)state;
	out = run_json("--json dma-t3.dat", &status);
	if (!out)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
	root = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(root);
	b = json_object_get(root, "batches");
	assert_int_equal(jint(b, "count"), 4);
	assert_int_equal(jint(b, "declined"), 0);
	assert_int_equal(jint(b, "failed"), 0);
	assert_int_equal(jint(b, "timeouts"), 0);
	assert_int_equal(jint(b, "fallbacks"), 0);
	assert_int_equal(jint(b, "folios"), 2048);
	assert_int_equal(jint(b, "bytes"), 8388608);
	/* one move_pages(2) call: every batch is syscall_or_cpuset's */
	st = json_array_get(json_object_get(b, "by_reason"), 0);
	assert_int_equal(json_array_size(json_object_get(b, "by_reason")), 1);
	assert_string_equal(json_string_value(json_object_get(st, "reason")),
			    "syscall_or_cpuset");
	assert_int_equal(jint(st, "batches"), 4);
	assert_int_equal(jint(st, "dispatched"), 4);
	assert_int_equal(jint(st, "bytes"), 8388608);
	/*
	 * by the batch's mode: migrate_pages_sync() runs a MIGRATE_SYNC
	 * call's first pass MIGRATE_ASYNC, and every folio moved in it
	 */
	st = json_array_get(json_object_get(b, "by_mode"), 0);
	assert_int_equal(json_array_size(json_object_get(b, "by_mode")), 1);
	assert_string_equal(json_string_value(json_object_get(st, "mode")),
			    "MIGRATE_ASYNC");
	assert_int_equal(jint(st, "batches"), 4);
	assert_int_equal(jint(b, "descriptors"), 2048);
	st = json_object_get(root, "stages");
	assert_int_equal(json_object_size(st), 7);
	/* means over the 16 channel-batches, from trace-cmd report -t */
	assert_int_equal(jint(st, "acquire_ns"), 28838);
	assert_int_equal(jint(st, "map_ns"), 294418);
	assert_int_equal(jint(st, "submit_ns"), 520865);
	assert_int_equal(jint(st, "issue_ns"), 62339);
	assert_int_equal(jint(st, "transfer_ns"), 8949459);
	assert_int_equal(jint(st, "wait_ns"), 153513);
	assert_int_equal(jint(st, "release_ns"), 73644);
	/* sum of setups / sum of copy phases: 14503355 / 60278164 */
	assert_int_equal(jint(root, "setup_ns"), 3625839);
	ch = json_object_get(root, "channels");
	assert_int_equal(json_array_size(ch), 4);
	for (i = 0; i < 4; i++) {
		json_t *c = json_array_get(ch, i);

		assert_int_equal(jint(c, "chan"), i);
		assert_int_equal(jint(c, "batches"), 4);
		assert_int_equal(jint(c, "descriptors"), 512);
		assert_int_equal(jint(c, "bytes"), 2097152);
		assert_int_equal(jint(c, "errors"), 0);
		assert_true(json_real_value(json_object_get(c, "gbps")) > 0);
	}
	share = json_real_value(json_object_get(root, "setup_share"));
	assert_true(share > 0.2406 && share < 0.2407);
	/* no markers: no engine named, not labelled emulated */
	assert_true(json_is_null(json_object_get(
		json_object_get(root, "environment"), "dma_engine")));
	json_decref(root);
}

static json_t *load_json(const char *args, int want_status)
{
	json_t *root;
	char *out;
	int status;

	out = run_json(args, &status);
	if (!out)
		skip();
	assert_int_equal(WEXITSTATUS(status), want_status);
	root = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(root);
	return root;
}

/*
 * dma-faults.dat: testbed, markers (emulated), swdma fail_every=50
 * drop_every=300, dcbm timeout_ms=200, 4 channels, 4 batches: every
 * batch fails and falls back to the CPU; 7 channel waits time out, 9
 * channels complete (with -EIO).
 */
static void test_real_faults(void **state)
{
	json_t *root, *b, *env, *tr;

	(void)state;
	root = load_json("--json dma-faults.dat", 0);
	b = json_object_get(root, "batches");
	assert_int_equal(jint(b, "count"), 4);
	assert_int_equal(jint(b, "failed"), 4);
	assert_int_equal(jint(b, "timeouts"), 7);
	assert_int_equal(jint(b, "fallbacks"), 4);
	assert_int_equal(jint(b, "errors"), 16);
	tr = json_object_get(json_object_get(root, "stage_stats"),
			     "transfer");
	assert_int_equal(jint(tr, "count"), 9);
	env = json_object_get(root, "environment");
	assert_string_equal(json_string_value(json_object_get(env,
			    "dma_engine")),
			    "software DMA engine (swdma), emulated machine");
	assert_string_equal(json_string_value(json_object_get(env,
			    "emulated")), "qemu-tcg");
	json_decref(root);
}

/* A trace without dcbm events: status 1, one line naming -p/-e dcbm. */
static void test_no_dcbm(void **state)
{
	const char *bin = getenv("MIGSCOPE");
	const char *dir = getenv("MS_TESTDATA");
	char *cmd, line[1024];
	int lines = 0, status;
	bool named = false;
	FILE *p;

	(void)state;
	if (!bin || !dir)
		skip();
	assert_true(asprintf(&cmd, "'%s' dma '%s/series.dat' 2>&1 >/dev/null",
			     bin, dir) > 0);
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		lines++;
		named = strstr(line, "-p dcbm") && strstr(line, "-e dcbm");
	}
	status = pclose(p);
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_int_equal(lines, 1);
	assert_true(named);
}

/* One DMA point and no CPU point: DMA never compared, never overtakes. */
static void test_real_crossover(void **state)
{
	json_t *root, *x, *pt;

	(void)state;
	root = load_json("--crossover --json dma-t3.dat series.dat", 0);
	assert_int_equal(jint(root, "traces"), 1);
	assert_int_equal(jint(root, "skipped"), 1);
	pt = json_array_get(json_object_get(root, "points"), 0);
	assert_string_equal(json_string_value(json_object_get(pt,
			    "migrator")), "dcbm");
	assert_int_equal(jint(pt, "channels"), 4);
	assert_int_equal(jint(pt, "batches"), 4);
	assert_int_equal(jint(pt, "batch_pages"), 512);
	assert_int_equal(jint(pt, "folio_bytes"), 4096);
	assert_int_equal(jint(pt, "copy_ns"), 60278164);
	x = json_array_get(json_object_get(root, "crossover"), 0);
	assert_int_equal(jint(x, "folio_bytes"), 4096);
	assert_true(json_is_null(json_object_get(x, "batch_pages")));
	assert_int_equal(jint(x, "compared"), 0);
	json_decref(root);
}

/*
 * Two points of a real bench/sweep-dcbm.sh run (dma-sweep-4K-*-b512.dat):
 * 4K folios, batch_max_pages 512, 8 MiB in 4 batches; the CPU copy
 * (migrator kernel) took 19067570 ns, dcbm with 4 channels 18831070 ns.
 * DMA is the faster, so it overtakes at 512 pages; against dma-t3.dat
 * (60278164 ns for the same batches) it never does.
 */
static void test_sweep_crossover(void **state)
{
	json_t *root, *x;

	(void)state;
	root = load_json("--crossover --json dma-sweep-4K-c4-b512.dat "
			 "dma-sweep-4K-cpu-b512.dat", 0);
	assert_int_equal(jint(root, "traces"), 2);
	assert_int_equal(jint(root, "skipped"), 0);
	assert_int_equal(json_array_size(json_object_get(root, "points")), 2);
	x = json_array_get(json_object_get(root, "crossover"), 0);
	assert_int_equal(jint(x, "folio_bytes"), 4096);
	assert_int_equal(jint(x, "batch_pages"), 512);
	assert_int_equal(jint(x, "channels"), 4);
	assert_int_equal(jint(x, "compared"), 1);
	assert_true(json_real_value(json_object_get(x, "dma_gbps")) >
		    json_real_value(json_object_get(x, "cpu_gbps")));
	json_decref(root);

	root = load_json("--crossover --json dma-t3.dat "
			 "dma-sweep-4K-cpu-b512.dat", 0);
	x = json_array_get(json_object_get(root, "crossover"), 0);
	assert_int_equal(jint(x, "compared"), 1);
	assert_true(json_is_null(json_object_get(x, "batch_pages")));
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_fallback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_eio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_declines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_complete_untraced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_complete_before_issue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_events, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_crossover, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test(test_real_trace),
		cmocka_unit_test(test_real_faults),
		cmocka_unit_test(test_no_dcbm),
		cmocka_unit_test(test_real_crossover),
		cmocka_unit_test(test_sweep_crossover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
