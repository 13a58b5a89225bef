// SPDX-License-Identifier: GPL-2.0
/*
 * test-phase.c - the pairing engine on hand-written event sequences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "catalog.h"
#include "phase.h"

struct fixture {
	struct ms_results	res;
	struct ms_engine	eng;
};

#define EV(...)	(&(struct ms_event){ __VA_ARGS__ })

#define SYS_ENTER(t, p)	EV(.ts = (t), .pid = (p), .type = MS_EV_SYSCALL_ENTER)
#define SYS_EXIT(t, p, r) EV(.ts = (t), .pid = (p), \
			     .type = MS_EV_SYSCALL_EXIT, .ret = (r))
#define CALL_BEGIN(t, p) EV(.ts = (t), .pid = (p), .type = MS_EV_CALL_BEGIN)
#define CALL_BEGIN_R(t, p, r) EV(.ts = (t), .pid = (p), \
				 .type = MS_EV_CALL_BEGIN, .reason = (r))
#define LOST(t, c)	EV(.ts = (t), .cpu = (c), .pid = -1, .type = MS_EV_LOST)
#define CALL_END(t, p, ok, ko) EV(.ts = (t), .pid = (p), \
				  .type = MS_EV_CALL_END, \
				  .succeeded = (ok), .failed_pages = (ko))
#define BATCH_BEGIN(t, p, i) EV(.ts = (t), .pid = (p), .id = (i), \
				.type = MS_EV_BATCH_BEGIN)
#define BATCH_END(t, p, i, r) EV(.ts = (t), .pid = (p), .id = (i), \
				 .type = MS_EV_BATCH_END, .ret = (r))
#define PH_BEGIN(t, i, ph) EV(.ts = (t), .id = (i), \
			      .type = MS_EV_PHASE_BEGIN, .phase = (ph))
#define PH_END(t, i, ph, f, pg) EV(.ts = (t), .id = (i), \
				   .type = MS_EV_PHASE_END, .phase = (ph), \
				   .folios = (f), .pages = (pg))

#define DISPATCH(t, p, i, n, b, r) EV(.ts = (t), .pid = (p), .id = (i), \
				     .type = MS_EV_COPY_DISPATCH, \
				     .name = n, .bytes = (b), .rc = (r))
#define PTE(t, p, o)	EV(.ts = (t), .pid = (p), .type = MS_EV_REMOVE_PTE, \
			   .order = (o))

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof(*f));

	if (!f)
		return -1;
	ms_results_init(&f->res);
	if (ms_engine_init(&f->eng, &f->res)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ms_engine_finish(&f->eng);
	free(f);
	return 0;
}

static void feed(struct fixture *f, const struct ms_event *ev)
{
	assert_int_equal(ms_engine_feed(&f->eng, ev), 0);
}

/* A batch with unmap, flush, move at ts 200..900 in a call 100..1100. */
static void batch_at(struct fixture *f, int pid, u64 id, u64 t0)
{
	feed(f, BATCH_BEGIN(t0 + 50, pid, id));
	feed(f, PH_BEGIN(t0 + 100, id, MS_PHASE_UNMAP));
	feed(f, PH_END(t0 + 300, id, MS_PHASE_UNMAP, 4, 16));
	feed(f, PH_BEGIN(t0 + 300, id, MS_PHASE_FLUSH));
	feed(f, PH_END(t0 + 350, id, MS_PHASE_FLUSH, 4, 16));
	feed(f, PH_BEGIN(t0 + 350, id, MS_PHASE_MOVE));
	feed(f, PH_END(t0 + 800, id, MS_PHASE_MOVE, 4, 16));
	feed(f, BATCH_END(t0 + 900, pid, id, 0));
}

static void test_simple_batch(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, SYS_ENTER(0, 10));
	feed(f, CALL_BEGIN(100, 10));
	batch_at(f, 10, 1, 100);
	feed(f, CALL_END(1100, 10, 16, 0));
	feed(f, SYS_EXIT(1500, 10, 0));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->call.count, 1);
	assert_int_equal(r->call.total, 1000);
	assert_int_equal(r->pages_succeeded, 16);
	assert_int_equal(r->batch.count, 1);
	assert_int_equal(r->batch.total, 850);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.total, 200);
	assert_int_equal(r->phase[MS_PHASE_FLUSH].time.total, 50);
	assert_int_equal(r->phase[MS_PHASE_MOVE].time.total, 450);
	assert_int_equal(r->phase[MS_PHASE_UNDO].time.count, 0);
	assert_int_equal(r->phase[MS_PHASE_MOVE].pages, 16);
	assert_int_equal(r->phase[MS_PHASE_MOVE].folios, 4);
	/* 1000 - (200 + 50 + 450) */
	assert_int_equal(ms_results_unattributed(r), 300);
	assert_int_equal(r->syscall.count, 1);
	assert_int_equal(r->syscall.total, 1500);
	assert_int_equal(r->syscall_outside, 500);
	assert_int_equal(r->begin_without_end, 0);
	assert_int_equal(r->end_without_begin, 0);
	assert_int_equal(r->batch_outside, 0);
}

/*
 * Compaction inside the unmap phase of the outer call's batch: the inner
 * call owns batch 2, the outer batch 1.  The inner call's time counts
 * once, in its own row: out of the outer unmap (self time), not in the
 * migrate_pages() total a second time, and its batch is not the outer's.
 */
static void test_nested_calls(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	const struct ms_nested_totals *n = &r->nested[MS_REASON_COMPACTION];

	feed(f, SYS_ENTER(0, 7));
	feed(f, CALL_BEGIN_R(100, 7, MS_REASON_SYSCALL));	/* outer */
	feed(f, BATCH_BEGIN(110, 7, 1));
	feed(f, PH_BEGIN(120, 1, MS_PHASE_UNMAP));
	feed(f, CALL_BEGIN_R(130, 7, MS_REASON_COMPACTION));	/* inner */
	feed(f, BATCH_BEGIN(140, 7, 2));
	feed(f, PH_BEGIN(150, 2, MS_PHASE_UNMAP));
	feed(f, PH_END(170, 2, MS_PHASE_UNMAP, 1, 1));
	feed(f, PH_BEGIN(170, 2, MS_PHASE_MOVE));
	feed(f, PH_END(200, 2, MS_PHASE_MOVE, 1, 1));
	feed(f, BATCH_END(210, 7, 2, 0));
	feed(f, CALL_END(230, 7, 1, 0));		/* inner: 100 */
	feed(f, PH_END(400, 1, MS_PHASE_UNMAP, 2, 8));	/* 280 - 100 */
	feed(f, PH_BEGIN(400, 1, MS_PHASE_MOVE));
	feed(f, PH_END(500, 1, MS_PHASE_MOVE, 2, 8));	/* 100 */
	feed(f, BATCH_END(510, 7, 1, 0));
	feed(f, CALL_END(600, 7, 8, 0));		/* outer: 500 */
	feed(f, SYS_EXIT(700, 7, 0));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->call.count, 1);
	assert_int_equal(r->call.total, 500);
	assert_int_equal(r->pages_succeeded, 8);
	assert_int_equal(n->calls, 1);
	assert_int_equal(n->total, 100);
	assert_int_equal(n->pages, 1);
	assert_int_equal(n->batches, 1);
	assert_int_equal(r->batch.count, 1);
	assert_int_equal(r->batch_outside, 0);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.count, 1);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.total, 180);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].pages, 8);
	assert_int_equal(r->phase[MS_PHASE_MOVE].time.total, 100);
	/* 500 = unmap 180 + move 100 + nested 100 + unattributed 120 */
	assert_int_equal(ms_results_unattributed(r), 120);
	assert_int_equal(ms_results_phases(r) + n->total +
			 ms_results_unattributed(r), r->call.total);
	assert_int_equal(r->syscall_outside, 700 - 500);
	assert_int_equal(r->begin_without_end, 0);
	assert_int_equal(r->end_without_begin, 0);
}

/*
 * A nested call between two batches is in no phase; one nested two deep
 * is inside its depth-1 call's time and counts there only.
 */
static void test_nested_outside_phase_and_deep(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	struct ms_nested_totals n;

	feed(f, CALL_BEGIN_R(0, 3, MS_REASON_DEMOTION));
	batch_at(f, 3, 1, 0);			/* 50..900, phases 700 */
	feed(f, CALL_BEGIN_R(1000, 3, MS_REASON_COMPACTION));
	feed(f, CALL_BEGIN_R(1100, 3, MS_REASON_COMPACTION));
	feed(f, CALL_END(1200, 3, 1, 0));	/* two deep: 100 */
	feed(f, CALL_END(1400, 3, 2, 0));	/* depth 1: 400 */
	feed(f, CALL_BEGIN_R(1500, 3, 99));	/* not a 6.12 reason */
	feed(f, CALL_END(1550, 3, 0, 0));
	feed(f, CALL_END(2000, 3, 16, 0));	/* outer: 2000 */
	ms_engine_finish(&f->eng);

	ms_results_nested_sum(r, &n);
	assert_int_equal(r->call.count, 1);
	assert_int_equal(r->call.total, 2000);
	assert_int_equal(r->nested[MS_REASON_COMPACTION].calls, 1);
	assert_int_equal(r->nested[MS_REASON_COMPACTION].total, 400);
	assert_int_equal(r->nested[MS_REASON_COMPACTION].pages, 2);
	assert_int_equal(r->nested[MS_NR_REASONS].calls, 1);
	assert_int_equal(r->nested[MS_NR_REASONS].total, 50);
	assert_int_equal(r->nested_deep, 1);
	assert_int_equal(n.total, 450);
	assert_int_equal(ms_results_phases(r), 700);
	assert_int_equal(ms_results_unattributed(r), 2000 - 700 - 450);
	assert_string_equal(ms_reason_name(99), "unknown");
	assert_string_equal(ms_reason_name(MS_REASON_DEMOTION), "demotion");
}

/* Two tasks, their calls and batches interleaved in time. */
static void test_two_pids_interleaved(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, CALL_BEGIN(0, 1));
	feed(f, CALL_BEGIN(10, 2));
	feed(f, BATCH_BEGIN(20, 1, 100));
	feed(f, BATCH_BEGIN(30, 2, 200));
	feed(f, PH_BEGIN(40, 200, MS_PHASE_UNMAP));
	feed(f, PH_BEGIN(50, 100, MS_PHASE_UNMAP));
	feed(f, PH_END(60, 200, MS_PHASE_UNMAP, 1, 1));	/* 20 */
	feed(f, PH_END(90, 100, MS_PHASE_UNMAP, 1, 1));	/* 40 */
	feed(f, BATCH_END(95, 2, 200, 0));
	feed(f, CALL_END(100, 2, 1, 0));		/* 90 */
	feed(f, BATCH_END(110, 1, 100, 0));
	feed(f, CALL_END(150, 1, 1, 0));		/* 150 */
	ms_engine_finish(&f->eng);

	assert_int_equal(r->call.count, 2);
	assert_int_equal(r->call.total, 240);
	assert_int_equal(r->call.min, 90);
	assert_int_equal(r->call.max, 150);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.total, 60);
	assert_int_equal(ms_results_unattributed(r), 240 - 60);
	assert_int_equal(r->batch_outside, 0);
	assert_int_equal(r->begin_without_end, 0);
	assert_int_equal(r->end_without_begin, 0);
}

/*
 * Batch ids interleaved across CPUs; phase events of a batch may come from
 * another CPU or task (a worker): they pair by id, not by CPU or pid.
 */
static void test_batch_ids_across_cpus(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	struct ms_event *ev;

	feed(f, CALL_BEGIN(0, 5));
	feed(f, BATCH_BEGIN(1, 5, 0xffffffff00000001ULL));
	ev = PH_BEGIN(2, 0xffffffff00000001ULL, MS_PHASE_MOVE);
	ev->cpu = 3;
	ev->pid = 99;
	feed(f, ev);
	feed(f, CALL_BEGIN(3, 6));
	feed(f, BATCH_BEGIN(4, 6, 2));
	feed(f, PH_BEGIN(5, 2, MS_PHASE_MOVE));
	ev = PH_END(12, 0xffffffff00000001ULL, MS_PHASE_MOVE, 1, 512);
	ev->cpu = 1;
	feed(f, ev);
	feed(f, PH_END(20, 2, MS_PHASE_MOVE, 1, 1));
	feed(f, BATCH_END(21, 6, 2, 0));
	feed(f, BATCH_END(22, 5, 0xffffffff00000001ULL, 0));
	feed(f, CALL_END(30, 5, 512, 0));
	feed(f, CALL_END(31, 6, 1, 0));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->phase[MS_PHASE_MOVE].time.count, 2);
	assert_int_equal(r->phase[MS_PHASE_MOVE].time.total, 10 + 15);
	assert_int_equal(r->phase[MS_PHASE_MOVE].pages, 513);
	assert_int_equal(ms_results_unattributed(r), (30 + 28) - 25);
	assert_int_equal(r->begin_without_end, 0);
	assert_int_equal(r->end_without_begin, 0);
}

/* The trace started mid-call: ends whose begin is missing are not used. */
static void test_end_without_begin(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, PH_END(10, 7, MS_PHASE_UNMAP, 1, 1));	/* no batch 7 */
	feed(f, PH_BEGIN(11, 7, MS_PHASE_MOVE));	/* no batch 7 */
	feed(f, BATCH_END(20, 1, 7, 0));
	feed(f, CALL_END(30, 1, 5, 0));
	feed(f, SYS_EXIT(40, 1, 0));
	/* a batch whose phase end comes without the phase begin */
	feed(f, CALL_BEGIN(50, 1));
	feed(f, BATCH_BEGIN(60, 1, 8));
	feed(f, PH_END(70, 8, MS_PHASE_FLUSH, 1, 1));
	feed(f, BATCH_END(80, 1, 8, 0));
	feed(f, CALL_END(90, 1, 1, 0));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->end_without_begin, 6);
	assert_int_equal(r->begin_without_end, 0);
	assert_int_equal(r->call.count, 1);
	assert_int_equal(r->pages_succeeded, 1);	/* not 6 */
	assert_int_equal(r->batch.count, 1);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.count, 0);
	assert_int_equal(r->phase[MS_PHASE_FLUSH].time.count, 0);
	assert_int_equal(r->syscall.count, 0);
	assert_int_equal(ms_results_unattributed(r), 40);
}

/* The trace stopped mid-call: what is open at the end is counted. */
static void test_begin_without_end(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, SYS_ENTER(0, 3));
	feed(f, CALL_BEGIN(10, 3));
	feed(f, CALL_BEGIN(20, 3));		/* nested, never ends */
	feed(f, BATCH_BEGIN(30, 3, 1));
	feed(f, PH_BEGIN(40, 1, MS_PHASE_UNMAP));
	feed(f, PH_BEGIN(45, 1, MS_PHASE_UNMAP));	/* lost its end */
	feed(f, BATCH_BEGIN(50, 4, 2));		/* another task, no call */
	feed(f, PH_BEGIN(55, 2, MS_PHASE_MOVE));
	feed(f, BATCH_END(60, 4, 2, 0));	/* closes its open move */
	ms_engine_finish(&f->eng);

	/* unmap (restarted), move, syscall, 2 calls, batch 1, unmap */
	assert_int_equal(r->begin_without_end, 7);
	assert_int_equal(r->end_without_begin, 0);
	assert_int_equal(r->call.count, 0);
	assert_int_equal(r->batch.count, 0);	/* in no call: left out */
	assert_int_equal(r->batch_outside, 1);
	assert_int_equal(ms_results_unattributed(r), 0);
	assert_int_equal(f->eng.open, 0);
}

/* Calls with several batches, an undo, a failed batch, a syscall error. */
static void test_unattributed_exact(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, SYS_ENTER(1000, 9));
	feed(f, CALL_BEGIN(1010, 9));
	batch_at(f, 9, 41, 1010);		/* phases 700 */
	feed(f, BATCH_BEGIN(2000, 9, 42));
	feed(f, PH_BEGIN(2001, 42, MS_PHASE_UNMAP));
	feed(f, PH_END(2100, 42, MS_PHASE_UNMAP, 0, 0));	/* 99 */
	feed(f, PH_BEGIN(2100, 42, MS_PHASE_UNDO));
	feed(f, PH_END(2133, 42, MS_PHASE_UNDO, 1, 1));	/* 33 */
	feed(f, BATCH_END(2150, 9, 42, -12));
	feed(f, CALL_END(3010, 9, 16, 1));	/* 2000 */
	feed(f, SYS_EXIT(3100, 9, -14));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->call.total, 2000);
	assert_int_equal(ms_results_unattributed(r), 2000 - 700 - 99 - 33);
	assert_int_equal(r->phase[MS_PHASE_UNDO].time.total, 33);
	assert_int_equal(r->batch_errors, 1);
	assert_int_equal(r->syscall_errors, 1);
	assert_int_equal(r->syscall_outside, 2100 - 2000);
	assert_int_equal(r->pages_failed, 1);
}

/* A batch id seen again before its end; time going backwards. */
static void test_reused_id_and_clock_skew(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, CALL_BEGIN(50, 1));
	feed(f, BATCH_BEGIN(100, 1, 5));
	feed(f, PH_BEGIN(110, 5, MS_PHASE_UNMAP));
	feed(f, BATCH_BEGIN(200, 1, 5));	/* previous one lost its end */
	feed(f, PH_BEGIN(210, 5, MS_PHASE_UNMAP));
	feed(f, PH_END(205, 5, MS_PHASE_UNMAP, 1, 1));	/* before begin */
	feed(f, BATCH_END(300, 1, 5, 0));
	feed(f, CALL_END(400, 1, 1, 0));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->begin_without_end, 2);
	assert_int_equal(r->batch.count, 1);
	assert_int_equal(r->batch.total, 100);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.count, 1);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.total, 0);
	assert_int_equal(r->negative_spans, 1);	/* counted, not hidden */
}

/* Memory follows open objects, not events: 300000 calls, 2 open. */
static void test_memory_bounded(void **state)
{
	struct fixture *f = *state;
	u64 i, t = 0;

	for (i = 1; i <= 300000; i++) {
		feed(f, CALL_BEGIN(t++, (int)(i % 4000)));
		feed(f, BATCH_BEGIN(t++, (int)(i % 4000), i));
		feed(f, PH_BEGIN(t++, i, MS_PHASE_MOVE));
		feed(f, PH_END(t++, i, MS_PHASE_MOVE, 1, 1));
		feed(f, BATCH_END(t++, (int)(i % 4000), i, 0));
		feed(f, CALL_END(t++, (int)(i % 4000), 1, 0));
	}
	assert_int_equal(f->eng.peak_open, 2);
	assert_int_equal(f->eng.tasks.count, 0);
	assert_int_equal(f->eng.batches.count, 0);
	assert_int_equal(f->res.call.count, 300000);
	assert_int_equal(ms_results_unattributed(&f->res), 4 * 300000);
}

/* A batch of folios pages each with a copy phase, PTEs of orders ords. */
static void copy_batch_declined(struct fixture *f, int pid, u64 id, u64 t0,
				u64 folios, u64 pages, const char *migrator,
				s64 declined, s64 rc, const s64 *ords,
				int nr_ords)
{
	int i;

	feed(f, CALL_BEGIN(t0 - 5, pid));
	feed(f, BATCH_BEGIN(t0, pid, id));
	feed(f, PH_BEGIN(t0 + 10, id, MS_PHASE_UNMAP));
	feed(f, PH_END(t0 + 20, id, MS_PHASE_UNMAP, folios, pages));
	feed(f, PH_BEGIN(t0 + 30, id, MS_PHASE_COPY));
	if (migrator) {
		struct ms_event d = { .ts = t0 + 31, .pid = pid, .id = id,
				      .type = MS_EV_COPY_DISPATCH,
				      .bytes = pages * 4096, .rc = rc,
				      .declined = declined };

		snprintf(d.name, sizeof(d.name), "%s", migrator);
		feed(f, &d);
	}
	feed(f, PH_END(t0 + 70, id, MS_PHASE_COPY, folios, pages));
	/* a PTE before the move phase is not the first folio */
	feed(f, PTE(t0 + 75, pid, 0));
	feed(f, PH_BEGIN(t0 + 80, id, MS_PHASE_MOVE));
	for (i = 0; i < nr_ords; i++)
		feed(f, PTE(t0 + 90 + i, pid, ords[i]));
	feed(f, PH_END(t0 + 95, id, MS_PHASE_MOVE, folios, pages));
	feed(f, EV(.ts = t0 + 100, .pid = pid, .id = id,
		   .type = MS_EV_BATCH_END, .succeeded = pages));
	feed(f, CALL_END(t0 + 105, pid, pages, 0));
}

static void copy_batch(struct fixture *f, int pid, u64 id, u64 t0,
		       u64 folios, u64 pages, const char *migrator, s64 rc,
		       const s64 *ords, int nr_ords)
{
	copy_batch_declined(f, pid, id, t0, folios, pages, migrator, 0, rc,
			    ords, nr_ords);
}

/* Groups by folio order: PTE orders (head pages) and pages per folio. */
static void test_order_groups(void **state)
{
	static const s64 o16k[] = { 2, 0, 0, 0, 2, 0, 0, 0 };
	static const s64 omix[] = { 2, 0, 0, 0, 3 };
	static const s64 o4k[] = { 0, 0 };
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	copy_batch(f, 1, 1, 1000, 2, 8, "kernel", 0, o16k, 8);
	copy_batch(f, 1, 2, 2000, 2, 2, "kernel", 0, o4k, 2);
	/* 3 folios of 12 pages: 4 per folio, but orders 2 and 3 */
	copy_batch(f, 1, 3, 3000, 3, 12, "kernel", 0, omix, 5);
	/* 3 folios of 7 pages: not one size, no PTE */
	copy_batch(f, 1, 4, 4000, 3, 7, "kernel", 0, NULL, 0);
	/* 2M by pages per folio, no PTE (PMD-mapped) */
	copy_batch(f, 1, 5, 5000, 1, 512, "kernel", 0, NULL, 0);
	/* order 2 PTE but 1 page per folio: contradiction */
	copy_batch(f, 1, 6, 6000, 1, 1, "kernel", 0, o16k, 1);
	ms_engine_finish(&f->eng);

	assert_int_equal(r->by_order[2].batches, 1);
	assert_int_equal(r->by_order[2].pages, 8);
	assert_int_equal(r->by_order[2].total, 100);
	assert_int_equal(r->by_order[2].copy, 40);
	assert_int_equal(r->by_order[0].batches, 1);
	assert_int_equal(r->by_order[9].batches, 1);
	assert_int_equal(r->by_order[MS_ORDER_MIXED].batches, 3);
	assert_int_equal(r->by_order[MS_ORDER_MIXED].folios, 3 + 3 + 1);
	assert_int_equal(r->phase[MS_PHASE_COPY].time.count, 6);
	assert_int_equal(r->phase[MS_PHASE_COPY].time.total, 6 * 40);
}

/* Groups by migrator, fallbacks; first-folio latency per batch. */
static void test_migrators_first_folio(void **state)
{
	static const s64 o[] = { 0 };
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	copy_batch(f, 1, 1, 1000, 1, 1, "mtcopy", 0, o, 1);
	copy_batch(f, 1, 2, 2000, 1, 1, "mtcopy", -12, o, 1);
	copy_batch(f, 2, 3, 3000, 1, 1, NULL, 0, NULL, 0);
	/* a PTE of batch 4's task after its end goes nowhere */
	copy_batch(f, 3, 4, 4000, 1, 1, "dcbm", 0, o, 1);
	feed(f, PTE(4200, 3, 0));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->nr_migrators, 3);
	assert_string_equal(r->by_migrator[0].name, "mtcopy");
	assert_int_equal(r->by_migrator[0].t.batches, 2);
	assert_int_equal(r->by_migrator[0].t.bytes, 2 * 4096);
	assert_int_equal(r->by_migrator[0].t.fallbacks, 1);
	assert_int_equal(r->by_migrator[0].t.copy, 80);
	assert_string_equal(r->by_migrator[1].name, "none");
	assert_int_equal(r->by_migrator[1].t.bytes, 0);
	assert_string_equal(r->by_migrator[2].name, "dcbm");
	assert_int_equal(r->copy_dispatches, 3);
	assert_int_equal(r->copy_fallbacks, 1);
	/* batches 1, 2 and 4: the PTE at +90, not the one at +75 */
	assert_int_equal(r->first_folio.count, 3);
	assert_int_equal(r->first_folio.total, 3 * 90);
	assert_int_equal(r->first_folio_batch_total, 3 * 100);
	assert_int_equal(f->eng.movers.count, 0);
}

/*
 * Declined batches: copied by the kernel, so neither offloaded nor a
 * fallback, counted by cause (an unknown cause as "other") in the call's
 * reason, and their copy is the kernel's in the migrator table.
 */
static void test_declined(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	const struct ms_reason_totals *g;
	int i, kernel = -1;

	copy_batch(f, 1, 1, 1000, 1, 1, "dcbm", 0, NULL, 0);
	copy_batch_declined(f, 1, 2, 2000, 1, 1, "dcbm", MS_DECLINE_SIZE, 0,
			    NULL, 0);
	copy_batch_declined(f, 1, 3, 3000, 1, 1, "dcbm", MS_DECLINE_BUSY, 0,
			    NULL, 0);
	copy_batch_declined(f, 1, 4, 4000, 1, 1, "mtcopy", MS_DECLINE_REASON,
			    0, NULL, 0);
	copy_batch_declined(f, 1, 5, 5000, 1, 1, "dcbm", 77, 0, NULL, 0);
	copy_batch(f, 1, 6, 6000, 1, 1, "dcbm", -5, NULL, 0);
	ms_engine_finish(&f->eng);

	/* CALL_BEGIN gives reason 0 (compaction) */
	g = &r->by_reason[0];
	assert_int_equal(g->batches, 6);
	assert_int_equal(g->offloaded, 2);	/* batch 1, and 6 (failed) */
	assert_int_equal(g->declined[MS_DECLINE_SIZE], 1);
	assert_int_equal(g->declined[MS_DECLINE_BUSY], 1);
	assert_int_equal(g->declined[MS_DECLINE_REASON], 1);
	assert_int_equal(g->declined[MS_DECLINE_NONE], 1);	/* cause 77 */
	assert_int_equal(ms_declined_sum(g->declined), 4);
	assert_int_equal(ms_declined_sum(r->copy_declined), 4);
	assert_int_equal(r->copy_fallbacks, 1);
	assert_int_equal(r->copy_dispatches, 6);
	for (i = 0; i < r->nr_migrators; i++)
		if (!strcmp(r->by_migrator[i].name, "kernel"))
			kernel = i;
	assert_true(kernel >= 0);
	assert_int_equal(r->by_migrator[kernel].t.batches, 4);
	assert_string_equal(ms_decline_name(MS_DECLINE_SIZE), "size");
	assert_string_equal(ms_decline_name(0), "other");
	assert_int_equal(ms_decline_index(77), MS_DECLINE_NONE);
}

#define CALL_BEGIN_RM(t, p, r, m) EV(.ts = (t), .pid = (p), \
				     .type = MS_EV_CALL_BEGIN, .reason = (r), \
				     .mode = (m))

/*
 * Outermost calls by reason and mode: compaction (async) with a batch of
 * 4 folios, a NUMA-hinting fault (async) with no series events (what an
 * unpatched kernel records), a move_pages(2) call (sync) with a batch,
 * and a reason and mode 6.12 does not have.
 */
static void test_by_reason(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	const struct ms_reason_totals *c, *n, *s, *u;

	feed(f, CALL_BEGIN_RM(100, 10, MS_REASON_COMPACTION, MS_MODE_ASYNC));
	batch_at(f, 10, 1, 100);
	feed(f, CALL_END(1100, 10, 16, 0));
	feed(f, CALL_BEGIN_RM(2000, 11, MS_REASON_NUMA_MISPLACED,
			      MS_MODE_ASYNC));
	feed(f, CALL_END(2500, 11, 1, 0));
	feed(f, CALL_BEGIN_RM(3000, 12, MS_REASON_SYSCALL, MS_MODE_SYNC));
	batch_at(f, 12, 2, 3000);
	feed(f, CALL_END(4000, 12, 12, 4));
	feed(f, CALL_BEGIN_RM(5000, 13, 42, 7));
	feed(f, CALL_END(5100, 13, 0, 0));
	ms_engine_finish(&f->eng);

	c = &r->by_reason[MS_REASON_COMPACTION];
	n = &r->by_reason[MS_REASON_NUMA_MISPLACED];
	s = &r->by_reason[MS_REASON_SYSCALL];
	u = &r->by_reason[MS_NR_REASONS];
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->time.total, 1000);
	assert_int_equal(c->pages_succeeded, 16);
	assert_int_equal(c->batches, 1);
	assert_int_equal(c->batch_folios.max, 4);
	assert_int_equal(ms_stats_percentile(&c->batch_folios, 50), 4);
	assert_int_equal(c->phase[MS_PHASE_UNMAP], 200);
	assert_int_equal(c->phase[MS_PHASE_MOVE], 450);
	assert_int_equal(ms_reason_unattributed(c), 300);
	assert_int_equal(n->calls, 1);
	assert_int_equal(n->time.total, 500);
	assert_int_equal(n->batches, 0);
	assert_int_equal(ms_reason_unattributed(n), 500);
	assert_int_equal(s->calls, 1);
	assert_int_equal(s->pages_failed, 4);
	assert_int_equal(s->batches, 1);
	assert_int_equal(u->calls, 1);
	assert_int_equal(u->time.total, 100);
	assert_int_equal(r->by_mode[MS_MODE_ASYNC].calls, 2);
	assert_int_equal(r->by_mode[MS_MODE_ASYNC].time.total, 1500);
	assert_int_equal(r->by_mode[MS_MODE_ASYNC].pages_succeeded, 17);
	assert_int_equal(r->by_mode[MS_MODE_SYNC].calls, 1);
	assert_int_equal(r->by_mode[MS_NR_MODES].calls, 1);
	/* every outermost call once */
	assert_int_equal(c->calls + n->calls + s->calls + u->calls,
			 r->call.count);
	assert_int_equal(c->time.total + n->time.total + s->time.total +
			 u->time.total, r->call.total);
	assert_string_equal(ms_reason_name(MS_REASON_NUMA_MISPLACED),
			    "numa_misplaced");
	assert_string_equal(ms_mode_name(MS_MODE_SYNC_LIGHT),
			    "MIGRATE_SYNC_LIGHT");
	assert_string_equal(ms_mode_name(7), "unknown");
}

#define BATCH_BEGIN_FP(t, p, i, f, pg) EV(.ts = (t), .pid = (p), .id = (i), \
					  .type = MS_EV_BATCH_BEGIN, \
					  .folios = (f), .pages = (pg))

/* A batch of begin folios/pages whose unmap phase unmaps ufolios. */
static void sized_batch(struct fixture *f, int pid, u64 id, u64 t0,
			u64 folios, u64 pages, u64 ufolios)
{
	feed(f, BATCH_BEGIN_FP(t0, pid, id, folios, pages));
	feed(f, PH_BEGIN(t0 + 10, id, MS_PHASE_UNMAP));
	feed(f, PH_END(t0 + 30, id, MS_PHASE_UNMAP, ufolios, ufolios));
	feed(f, BATCH_END(t0 + 40, pid, id, 0));
}

/*
 * Batch sizes per reason and the same figures per mode: pages per batch
 * are the batch begin's, folios per batch those unmapped.  Compaction
 * (async) hands 32 pages in 8 folios, then 8 pages; move_pages(2) (sync)
 * one 2M folio of 512 pages.
 */
static void test_batch_pages_by_reason_mode(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	const struct ms_reason_totals *c, *s, *a, *y;
	u64 batches = 0, pages = 0;
	int i;

	feed(f, CALL_BEGIN_RM(100, 10, MS_REASON_COMPACTION, MS_MODE_ASYNC));
	sized_batch(f, 10, 1, 200, 8, 32, 6);
	sized_batch(f, 10, 2, 300, 8, 8, 8);
	feed(f, CALL_END(400, 10, 38, 2));
	feed(f, CALL_BEGIN_RM(1000, 11, MS_REASON_SYSCALL, MS_MODE_SYNC));
	sized_batch(f, 11, 3, 1100, 1, 512, 1);
	feed(f, CALL_END(1200, 11, 512, 0));
	ms_engine_finish(&f->eng);

	c = &r->by_reason[MS_REASON_COMPACTION];
	s = &r->by_reason[MS_REASON_SYSCALL];
	assert_int_equal(c->batch_pages.count, 2);
	assert_int_equal(c->batch_pages.total, 32 + 8);
	assert_int_equal(c->batch_pages.max, 32);
	assert_int_equal(ms_stats_percentile(&c->batch_pages, 50), 8);
	assert_int_equal(ms_stats_percentile(&c->batch_pages, 99), 32);
	assert_int_equal(c->batch_folios.max, 8);
	assert_int_equal(c->batch_folios.total, 6 + 8);	/* unmapped */
	assert_int_equal(s->batch_pages.count, 1);
	assert_int_equal(ms_stats_percentile(&s->batch_pages, 50), 512);
	assert_int_equal(s->batch_pages.max, 512);

	/* one reason per mode here: the mode rows are the reason rows */
	a = &r->by_mode[MS_MODE_ASYNC];
	y = &r->by_mode[MS_MODE_SYNC];
	assert_int_equal(a->calls, 1);
	assert_int_equal(a->time.total, 300);
	assert_int_equal(a->pages_succeeded, 38);
	assert_int_equal(a->pages_failed, 2);
	assert_int_equal(a->batches, 2);
	assert_int_equal(a->batch_pages.total, 40);
	assert_int_equal(a->phase[MS_PHASE_UNMAP], 2 * 20);
	assert_int_equal(ms_reason_unattributed(a), 300 - 40);
	assert_int_equal(y->batch_pages.max, 512);
	assert_int_equal(y->time.total, 200);
	for (i = 0; i <= MS_NR_MODES; i++) {
		batches += r->by_mode[i].batches;
		pages += r->by_mode[i].batch_pages.total;
	}
	assert_int_equal(batches, r->batch.count);
	assert_int_equal(pages, 32 + 8 + 512);
}

/*
 * The callers section: batches judged against a migrator's threshold of
 * 4 folios and 64 KiB from the moment it is known.  Compaction unmaps 6
 * folios of 6 pages (24 KiB: below in bytes) and 2 folios of 32 pages
 * (below in folios); move_pages(2) hands dcbm 8 folios of 2 MiB (not
 * below).  A batch before the threshold is known is not judged.
 */
static void test_callers_threshold(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	struct ms_event d = { .ts = 1125, .pid = 11, .id = 4,
			      .type = MS_EV_COPY_DISPATCH, .folios = 8,
			      .bytes = 8 << 21 };
	const struct ms_reason_totals *c, *s;

	snprintf(d.name, sizeof(d.name), "dcbm");
	r->threshold.page_size = 4096;
	feed(f, CALL_BEGIN_RM(10, 9, MS_REASON_COMPACTION, MS_MODE_ASYNC));
	sized_batch(f, 9, 1, 20, 1, 1, 1);
	feed(f, CALL_END(90, 9, 1, 0));
	r->threshold.known = true;
	r->threshold.min_folios = 4;
	r->threshold.min_bytes = 64 << 10;
	assert_true(ms_threshold_active(&r->threshold));
	feed(f, CALL_BEGIN_RM(100, 10, MS_REASON_COMPACTION, MS_MODE_ASYNC));
	sized_batch(f, 10, 2, 200, 6, 6, 6);
	feed(f, BATCH_BEGIN_FP(300, 10, 3, 2, 32));
	feed(f, PH_BEGIN(310, 3, MS_PHASE_UNMAP));
	feed(f, PH_END(330, 3, MS_PHASE_UNMAP, 2, 32));
	feed(f, BATCH_END(340, 10, 3, 0));
	feed(f, CALL_END(400, 10, 38, 0));
	feed(f, CALL_BEGIN_RM(1000, 11, MS_REASON_SYSCALL, MS_MODE_SYNC));
	feed(f, BATCH_BEGIN_FP(1100, 11, 4, 8, 4096));
	feed(f, PH_BEGIN(1110, 4, MS_PHASE_UNMAP));
	feed(f, PH_END(1120, 4, MS_PHASE_UNMAP, 8, 4096));
	feed(f, PH_BEGIN(1121, 4, MS_PHASE_COPY));
	feed(f, &d);
	feed(f, PH_END(1130, 4, MS_PHASE_COPY, 8, 4096));
	feed(f, BATCH_END(1140, 11, 4, 0));
	feed(f, CALL_END(1200, 11, 4096, 0));
	ms_engine_finish(&f->eng);

	c = &r->by_reason[MS_REASON_COMPACTION];
	s = &r->by_reason[MS_REASON_SYSCALL];
	assert_int_equal(c->batches, 3);
	assert_int_equal(c->judged, 2);
	assert_int_equal(c->below, 2);
	assert_int_equal(c->judged_bytes, (6 + 32) * 4096);
	assert_int_equal(c->below_bytes, c->judged_bytes);
	assert_int_equal(c->batch_bytes.count, 3);
	assert_int_equal(c->batch_bytes.max, 32 * 4096);
	assert_int_equal(s->judged, 1);
	assert_int_equal(s->below, 0);
	assert_int_equal(s->judged_bytes, 8 << 21);
	assert_int_equal(s->below_bytes, 0);
	/* without bounds above 0 nothing can be below */
	r->threshold.min_folios = 0;
	r->threshold.min_bytes = -1;
	assert_false(ms_threshold_active(&r->threshold));
}

#define SYS_ENTER_K(t, p, k) EV(.ts = (t), .pid = (p), \
				  .type = MS_EV_SYSCALL_ENTER, .syscall = (k))
#define SYS_EXIT_K(t, p, k, r) EV(.ts = (t), .pid = (p), \
				  .type = MS_EV_SYSCALL_EXIT, .syscall = (k), \
				  .ret = (r))

/*
 * Every migrating syscall by kind: an mbind(2) and a migrate_pages(2)
 * with a call inside, a move_pages(2) node query, and an exit of another
 * syscall than the open one (both ends lost: in no kind).
 */
static void test_by_syscall(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	const struct ms_syscall_totals *mb, *mp, *mv;

	feed(f, SYS_ENTER_K(0, 10, MS_SYS_MBIND));
	feed(f, CALL_BEGIN_RM(100, 10, MS_REASON_MEMPOLICY_MBIND,
			      MS_MODE_SYNC));
	feed(f, CALL_END(600, 10, 8, 0));
	feed(f, SYS_EXIT_K(1000, 10, MS_SYS_MBIND, 0));
	feed(f, SYS_ENTER_K(2000, 11, MS_SYS_MIGRATE_PAGES));
	feed(f, CALL_BEGIN_RM(2100, 11, MS_REASON_SYSCALL, MS_MODE_SYNC));
	feed(f, CALL_END(2400, 11, 4, 0));
	feed(f, SYS_EXIT_K(2500, 11, MS_SYS_MIGRATE_PAGES, 2));
	feed(f, SYS_ENTER_K(3000, 12, MS_SYS_MOVE_PAGES));
	feed(f, SYS_EXIT_K(3010, 12, MS_SYS_MOVE_PAGES, 0));
	feed(f, SYS_ENTER_K(4000, 13, MS_SYS_MBIND));
	feed(f, SYS_EXIT_K(4100, 13, MS_SYS_MOVE_PAGES, -14));
	ms_engine_finish(&f->eng);

	mb = &r->by_syscall[MS_SYS_MBIND];
	mp = &r->by_syscall[MS_SYS_MIGRATE_PAGES];
	mv = &r->by_syscall[MS_SYS_MOVE_PAGES];
	assert_int_equal(mb->count, 1);
	assert_int_equal(mb->total, 1000);
	assert_int_equal(mb->outside, 500);
	assert_int_equal(mb->errors, 0);
	assert_int_equal(mp->count, 1);
	assert_int_equal(mp->total, 500);
	assert_int_equal(mp->outside, 200);
	assert_int_equal(mv->count, 0);
	assert_int_equal(mv->query, 1);
	assert_int_equal(r->syscall.count, 2);
	assert_int_equal(r->syscall.total, 1500);
	assert_int_equal(r->syscall_outside, 700);
	assert_int_equal(r->syscall_query, 1);
	assert_int_equal(r->begin_without_end, 1);
	assert_int_equal(r->end_without_begin, 1);
	assert_int_equal(r->by_reason[MS_REASON_MEMPOLICY_MBIND].calls, 1);
	assert_string_equal(ms_syscall_name(MS_SYS_MIGRATE_PAGES),
			    "migrate_pages");
}

/* Two tasks in their move phases at once: PTEs go by task. */
static void test_first_folio_two_tasks(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, CALL_BEGIN(0, 1));
	feed(f, CALL_BEGIN(0, 2));
	feed(f, BATCH_BEGIN(0, 1, 1));
	feed(f, BATCH_BEGIN(10, 2, 2));
	feed(f, PH_BEGIN(20, 1, MS_PHASE_MOVE));
	feed(f, PH_BEGIN(30, 2, MS_PHASE_MOVE));
	feed(f, PTE(40, 2, 0));
	feed(f, PTE(45, 9, 0));		/* no batch: ignored */
	feed(f, PTE(50, 1, 0));
	feed(f, PTE(60, 2, 0));
	feed(f, PH_END(70, 1, MS_PHASE_MOVE, 1, 1));
	feed(f, PH_END(70, 2, MS_PHASE_MOVE, 1, 1));
	feed(f, BATCH_END(80, 1, 1, 0));
	feed(f, BATCH_END(90, 2, 2, 0));
	feed(f, CALL_END(95, 1, 1, 0));
	feed(f, CALL_END(95, 2, 1, 0));
	ms_engine_finish(&f->eng);
	assert_int_equal(r->first_folio.count, 2);
	assert_int_equal(r->first_folio.min, 30);	/* 40 - 10 */
	assert_int_equal(r->first_folio.max, 50);	/* 50 - 0 */
}

/* A copy dispatch without its batch is unpaired, not a crash. */
static void test_dispatch_without_batch(void **state)
{
	struct fixture *f = *state;

	feed(f, DISPATCH(5, 1, 77, "kernel", 4096, 0));
	ms_engine_finish(&f->eng);
	assert_int_equal(f->res.end_without_begin, 1);
	assert_int_equal(f->res.copy_dispatches, 0);
}

/*
 * move_pages(2) only counts with a migration inside; the queries of the
 * page nodes around it count apart.  A batch without call events (the
 * migrate: events not recorded) is a migration too.
 */
static void test_syscall_query_only(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, SYS_ENTER(0, 10));
	feed(f, SYS_EXIT(100, 10, 0));
	feed(f, SYS_ENTER(200, 10));
	feed(f, CALL_BEGIN(300, 10));
	feed(f, CALL_END(400, 10, 1, 0));
	feed(f, SYS_EXIT(1200, 10, 0));
	feed(f, SYS_ENTER(2000, 10));
	feed(f, SYS_EXIT(2050, 10, -14));
	feed(f, SYS_ENTER(3000, 11));
	feed(f, BATCH_BEGIN(3100, 11, 9));
	feed(f, BATCH_END(3200, 11, 9, 0));
	feed(f, SYS_EXIT(3500, 11, 0));
	ms_engine_finish(&f->eng);
	assert_int_equal(r->syscall.count, 2);
	assert_int_equal(r->syscall.total, 1000 + 500);
	assert_int_equal(r->syscall_query, 2);
	assert_int_equal(r->syscall_errors, 0);
	assert_int_equal(r->syscall_outside, 900 + 500);
}

/*
 * Events dropped while a call and its batch are open: both are left out
 * and counted; the call before and the one after the gap are exact.
 */
static void test_lost_events(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, CALL_BEGIN(0, 1));
	batch_at(f, 1, 1, 0);
	feed(f, CALL_END(1000, 1, 16, 0));		/* before: kept */
	feed(f, CALL_BEGIN(2000, 1));
	feed(f, BATCH_BEGIN(2050, 1, 2));
	feed(f, PH_BEGIN(2100, 2, MS_PHASE_UNMAP));
	feed(f, LOST(2200, 3));				/* gap on CPU 3 */
	feed(f, PH_END(2300, 2, MS_PHASE_UNMAP, 4, 16));
	feed(f, BATCH_END(2900, 1, 2, 0));
	feed(f, CALL_END(3000, 1, 16, 0));		/* across: out */
	feed(f, CALL_BEGIN(4000, 1));
	batch_at(f, 1, 3, 4000);
	feed(f, CALL_END(5000, 1, 16, 0));		/* after: kept */
	ms_engine_finish(&f->eng);

	assert_int_equal(r->lost_gaps, 1);
	assert_int_equal(r->lost_calls, 1);
	assert_int_equal(r->lost_batches, 1);
	assert_int_equal(r->call.count, 2);
	assert_int_equal(r->call.total, 2000);
	assert_int_equal(r->pages_succeeded, 32);
	assert_int_equal(r->batch.count, 2);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.count, 2);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.total, 400);
	assert_int_equal(ms_results_unattributed(r), 2000 - 2 * 700);
}

/*
 * A call whose end was dropped: the task's next syscall enter proves the
 * call is over, so its frame goes there and the syscall after it is exact
 * (with the stale frame, its time would count inside a call).
 */
static void test_stale_frame_dropped(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, SYS_ENTER(0, 4));
	feed(f, CALL_BEGIN(10, 4));
	feed(f, BATCH_BEGIN(20, 4, 9));
	feed(f, LOST(500, 0));			/* call and batch end lost */
	feed(f, SYS_EXIT(600, 4, 0));		/* lost syscall: left out */
	feed(f, SYS_ENTER(1000, 4));		/* drops the stale frame */
	feed(f, CALL_BEGIN(1100, 4));
	feed(f, CALL_END(1300, 4, 1, 0));
	feed(f, SYS_EXIT(1500, 4, 0));
	assert_int_equal(f->eng.open, 1);	/* only batch 9 */
	ms_engine_finish(&f->eng);

	assert_int_equal(r->lost_calls, 1);
	assert_int_equal(r->lost_syscalls, 1);
	assert_int_equal(r->lost_batches, 1);	/* at the end of the trace */
	assert_int_equal(r->call.count, 1);
	assert_int_equal(r->call.total, 200);
	assert_int_equal(r->syscall.count, 1);
	assert_int_equal(r->syscall.total, 500);
	assert_int_equal(r->syscall_outside, 300);
	assert_int_equal(r->begin_without_end, 2);	/* call, batch 9 */
}

/*
 * The trace was cut inside a batch: its ended unmap must not count (a cut
 * trace once gave 51 unmaps for 50 batches), nor must the open call.
 */
static void test_cut_batch(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;
	u64 i;

	for (i = 0; i < 50; i++) {
		feed(f, CALL_BEGIN(i * 1000, 1));
		batch_at(f, 1, i + 1, i * 1000);
		feed(f, CALL_END(i * 1000 + 950, 1, 16, 0));
	}
	feed(f, CALL_BEGIN(60000, 1));
	feed(f, BATCH_BEGIN(60010, 1, 99));
	feed(f, PH_BEGIN(60020, 99, MS_PHASE_UNMAP));
	feed(f, PH_END(60090, 99, MS_PHASE_UNMAP, 1, 1));
	ms_engine_finish(&f->eng);

	assert_int_equal(r->batch.count, 50);
	assert_int_equal(r->phase[MS_PHASE_UNMAP].time.count, 50);
	assert_int_equal(r->call.count, 50);
	assert_int_equal(r->begin_without_end, 2);
}

/* A phase that outlasts its call (clock skew): the call is left out. */
static void test_inconsistent_call(void **state)
{
	struct fixture *f = *state;
	struct ms_results *r = &f->res;

	feed(f, CALL_BEGIN(100, 1));
	feed(f, BATCH_BEGIN(90, 1, 1));
	feed(f, PH_BEGIN(50, 1, MS_PHASE_MOVE));
	feed(f, PH_END(300, 1, MS_PHASE_MOVE, 1, 1));	/* 250 */
	feed(f, BATCH_END(310, 1, 1, 0));
	feed(f, CALL_END(200, 1, 1, 0));		/* 100 */
	ms_engine_finish(&f->eng);

	assert_int_equal(r->inconsistent, 1);
	assert_int_equal(r->call.count, 0);
	assert_int_equal(r->phase[MS_PHASE_MOVE].time.count, 0);
	assert_int_equal(ms_results_unattributed(r), 0);
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(u64 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % n;
}

/*
 * Any event sequence: 3 tasks, 6 batch ids, every event type, times that
 * may go backwards, gaps.  What the engine accepts always holds the
 * invariants: phases + nested + unattributed = the outermost total, every
 * share in 0..1, no batch counted twice.
 */
/* Every outermost call in one reason and one mode, with its batches. */
static void check_by_reason(const struct ms_results *r)
{
	u64 calls = 0, total = 0, batches = 0, mcalls = 0, mtotal = 0;
	u64 mbatches = 0;
	int i, p;

	for (i = 0; i <= MS_NR_REASONS; i++) {
		const struct ms_reason_totals *rt = &r->by_reason[i];
		u64 used = rt->nested;

		calls += rt->calls;
		total += rt->time.total;
		batches += rt->batches;
		assert_int_equal(rt->batch_pages.count, rt->batches);
		for (p = 0; p < MS_NR_PHASES; p++)
			used += rt->phase[p];
		assert_true(used <= rt->time.total);
		assert_int_equal(used + ms_reason_unattributed(rt),
				 rt->time.total);
	}
	for (i = 0; i <= MS_NR_MODES; i++) {
		const struct ms_reason_totals *m = &r->by_mode[i];

		mcalls += m->calls;
		mtotal += m->time.total;
		mbatches += m->batches;
		assert_int_equal(m->batch_pages.count, m->batches);
	}
	assert_int_equal(calls, r->call.count);
	assert_int_equal(total, r->call.total);
	assert_int_equal(batches, r->batch.count);
	assert_int_equal(mcalls, r->call.count);
	assert_int_equal(mtotal, r->call.total);
	assert_int_equal(mbatches, r->batch.count);
}

static void test_invariants_random(void **state)
{
	static const enum ms_event_type types[] = {
		MS_EV_SYSCALL_ENTER, MS_EV_SYSCALL_EXIT, MS_EV_CALL_BEGIN,
		MS_EV_CALL_END, MS_EV_BATCH_BEGIN, MS_EV_BATCH_END,
		MS_EV_PHASE_BEGIN, MS_EV_PHASE_END, MS_EV_COPY_DISPATCH,
		MS_EV_REMOVE_PTE, MS_EV_LOST,
	};
	struct fixture *f = *state;
	int round, i, p;

	for (round = 0; round < 300; round++) {
		struct ms_results *r = &f->res;
		struct ms_nested_totals n;
		u64 t = 1000;

		ms_engine_finish(&f->eng);
		ms_results_init(r);
		assert_int_equal(ms_engine_init(&f->eng, r), 0);
		for (i = 0; i < 400; i++) {
			struct ms_event ev = {
				.type = types[rnd(ARRAY_SIZE(types))],
				.pid = (int)rnd(3), .id = rnd(6),
				.phase = (enum ms_phase)rnd(MS_NR_PHASES),
				.reason = (s64)rnd(12), .order = (s64)rnd(3),
				.mode = (s64)rnd(5),
				.folios = rnd(4), .pages = rnd(16),
				.succeeded = rnd(16),
			};

			t += rnd(100);
			ev.ts = rnd(20) ? t : t - rnd(300);
			feed(f, &ev);
		}
		ms_engine_finish(&f->eng);
		ms_results_nested_sum(r, &n);
		assert_int_equal(ms_results_phases(r) + n.total +
				 ms_results_unattributed(r), r->call.total);
		for (p = 0; p < MS_NR_PHASES; p++)
			assert_true(r->phase[p].time.total <= r->call.total);
		assert_true(r->phase[MS_PHASE_UNMAP].time.count <=
			    r->batch.count);
		assert_true(r->first_folio.count <= r->batch.count);
		assert_int_equal(f->eng.pending, 0);
		check_by_reason(r);
	}
}

/* Draining a hash pops every node once; adds below the cursor too. */
static void test_hash_drain(void **state)
{
	enum { N = 100000 };
	struct ms_hash h;
	struct ms_hash_node *nodes = calloc(N, sizeof(*nodes)), *n;
	static unsigned char seen[N];
	size_t i, popped = 0;

	(void)state;
	assert_non_null(nodes);
	assert_int_equal(ms_hash_init(&h), 0);
	for (i = 0; i < N - 1; i++) {
		nodes[i].key = i * 7919;
		assert_int_equal(ms_hash_add(&h, &nodes[i]), 0);
	}
	while ((n = ms_hash_pop(&h))) {
		size_t k = n - nodes;

		assert_int_equal(seen[k], 0);
		seen[k] = 1;
		if (++popped == N / 2) {
			/* lands in any bucket, maybe below the cursor */
			nodes[N - 1].key = 3;
			assert_int_equal(ms_hash_add(&h, &nodes[N - 1]), 0);
		}
	}
	assert_int_equal(popped, N);
	assert_int_equal(h.count, 0);
	ms_hash_free(&h);
	free(nodes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_order_groups, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_declined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callers_threshold, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migrators_first_folio,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_pages_by_reason_mode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_by_syscall, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_first_folio_two_tasks,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_without_batch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_syscall_query_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_calls, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_nested_outside_phase_and_deep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_events, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale_frame_dropped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inconsistent_call, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_invariants_random, setup,
						teardown),
		cmocka_unit_test(test_hash_drain),
		cmocka_unit_test_setup_teardown(test_two_pids_interleaved,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_ids_across_cpus,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_without_begin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_begin_without_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unattributed_exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reused_id_and_clock_skew,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_bounded, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("phase", tests, NULL, NULL);
}
