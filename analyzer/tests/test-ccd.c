// SPDX-License-Identifier: GPL-2.0
/*
 * test-ccd.c - the mtcopy worker engine (ccd.c) on hand-written event
 * sequences, and `migscope ccd` / `migscope compare` (the binary in
 * $MIGSCOPE) on the real spread fixture
 * (tests/fixtures/mtcopy-spread-8cpu.dat: 8 CPUs in 4 L3 domains, spread,
 * 4 threads) and on bad inputs.
 */
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "test.h"
#include "ccd.h"

#define EV(...)	(&(struct ms_event){ __VA_ARGS__ })

#define DISPATCH(t, i, n, pol) EV(.ts = (t), .id = (i), \
				  .type = MS_EV_MT_DISPATCH, .threads = (n), \
				  .name = pol)
#define WBEGIN(t, i, w, c) EV(.ts = (t), .id = (i), \
			      .type = MS_EV_MT_WORKER_BEGIN, .worker = (w), \
			      .worker_cpu = (c))
#define WEND(t, i, w, c, by) EV(.ts = (t), .id = (i), \
				.type = MS_EV_MT_WORKER_END, .worker = (w), \
				.worker_cpu = (c), .bytes = (by))
#define DONE(t, i)	EV(.ts = (t), .id = (i), .type = MS_EV_MT_DONE)
#define BBEGIN(t, i, r)	EV(.ts = (t), .id = (i), .type = MS_EV_BATCH_BEGIN, \
			   .reason = (r))
#define BBEGIN_M(t, i, r, m) EV(.ts = (t), .id = (i), .type = MS_EV_BATCH_BEGIN, \
				  .reason = (r), .mode = (m))
#define BEND(t, i)	EV(.ts = (t), .id = (i), .type = MS_EV_BATCH_END)

struct fixture {
	struct ms_ccd_results	res;
	struct ms_ccd_engine	eng;
	struct ms_machine	m;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	ms_ccd_results_init(&f->res);
	ms_machine_init(&f->m);
	if (ms_ccd_engine_init(&f->eng, &f->res)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ms_ccd_finish(&f->eng);
	ms_ccd_results_free(&f->res);
	ms_machine_free(&f->m);
	free(f);
	return 0;
}

static void feed(struct fixture *f, const struct ms_event *ev)
{
	assert_int_equal(ms_ccd_feed(&f->eng, ev), 0);
}

/* The testbed shape: CPUs 0-7, L3 {0-1}..{6-7}, node = cpu / 2. */
static void eight_cpus(struct ms_machine *m)
{
	char line[128];
	int cpu, n;

	for (cpu = 0; cpu < 8; cpu++) {
		n = snprintf(line, sizeof(line),
			     "migscope:cpu cpu=%d package=%d die=%d node=%d l3=\"%d-%d\"",
			     cpu, cpu / 4, cpu / 4, cpu / 2, cpu & ~1,
			     (cpu & ~1) + 1);
		assert_true(ms_machine_parse(m, line, n) > 0);
	}
	for (n = 0; n < 4; n++) {
		snprintf(line, sizeof(line),
			 "migscope:node node=%d cpus=\"%d-%d\" mem_kb=%d", n,
			 2 * n, 2 * n + 1, n % 2 ? 0 : 1024);
		assert_true(ms_machine_parse(m, line, strlen(line)) > 0);
	}
	assert_int_equal(ms_machine_finish(m), 0);
}

/*
 * One batch, 4 workers on CPUs 0, 2, 4, 6 (one per domain), busy 100,
 * 100, 100 and 300: imbalance 300 / 150, critical path 300 / 350.
 */
static void spread_batch(struct fixture *f, u64 t0, u64 id)
{
	feed(f, DISPATCH(t0, id, 4, "spread"));
	feed(f, WBEGIN(t0 + 10, id, 0, 0));
	feed(f, WBEGIN(t0 + 20, id, 1, 2));
	feed(f, WBEGIN(t0 + 30, id, 2, 4));
	feed(f, WBEGIN(t0 + 40, id, 3, 6));
	feed(f, WEND(t0 + 110, id, 0, 0, 1000));
	feed(f, WEND(t0 + 120, id, 1, 2, 1000));
	feed(f, WEND(t0 + 130, id, 2, 4, 1000));
	feed(f, WEND(t0 + 340, id, 3, 6, 1000));
	feed(f, DONE(t0 + 350, id));
}

static void test_batch_figures(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;

	spread_batch(f, 1000, 7);
	assert_int_equal(r->batches, 1);
	assert_int_equal(r->incomplete, 0);
	assert_int_equal(r->unpaired, 0);
	assert_int_equal(r->busy, 600);
	assert_int_equal(r->bytes, 4000);
	assert_true(fabs(ms_ccd_mean(&r->imbalance) - 2.0) < 1e-9);
	assert_true(fabs(ms_ccd_max(&r->critical) - 300.0 / 350) < 1e-9);
	assert_int_equal(r->nr_oh, 1);
	assert_int_equal(r->dispatch_oh, 10);
	assert_int_equal(r->wait_oh, 10);
	assert_int_equal(r->workers_busy, 600);
	assert_int_equal(r->task_wall, 350);
	assert_true(fabs(ms_ccd_cpu_ratio(r) - 600.0 / 350) < 1e-9);
	assert_int_equal(r->cpu[6].busy, 300);
	assert_int_equal(r->cpu[1].workers, 0);
	assert_string_equal(r->policy, "spread");
	assert_int_equal(r->threads, 4);
	assert_false(r->policy_mixed);
}

/* mean and max over batches: a balanced batch next to the skewed one */
static void test_mean_max(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;

	spread_batch(f, 1000, 1);
	feed(f, DISPATCH(5000, 2, 2, "spread"));
	feed(f, WBEGIN(5000, 2, 0, 1));
	feed(f, WBEGIN(5000, 2, 1, 3));
	feed(f, WEND(5100, 2, 1, 3, 10));
	feed(f, WEND(5100, 2, 0, 1, 10));
	feed(f, DONE(5200, 2));
	assert_int_equal(r->batches, 2);
	assert_true(fabs(ms_ccd_mean(&r->imbalance) - 1.5) < 1e-9);
	assert_true(fabs(ms_ccd_max(&r->imbalance) - 2.0) < 1e-9);
	assert_true(fabs(ms_ccd_mean(&r->critical) -
			 (300.0 / 350 + 0.5) / 2) < 1e-9);
	assert_int_equal(r->dispatch_oh, 10);	/* 10 + 0 */
	assert_int_equal(r->wait_oh, 110);	/* 10 + 100 */
	assert_true(r->threads_mixed);
	assert_false(r->policy_mixed);
}

static double share_sum(const struct ms_ccd_results *r,
			const struct ms_ccd_use *u, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += ms_ccd_share(r, u[i].busy);
	return s;
}

static void test_groups(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;
	int i;

	spread_batch(f, 1000, 3);
	/* a second worker run in domain 0 on its other CPU */
	feed(f, DISPATCH(2000, 4, 1, "fill"));
	feed(f, WBEGIN(2010, 4, 0, 1));
	feed(f, WEND(2210, 4, 0, 1, 500));
	feed(f, DONE(2220, 4));
	eight_cpus(&f->m);
	assert_int_equal(ms_ccd_group(r, &f->m), 0);
	assert_true(r->topology);
	assert_true(r->policy_mixed);
	assert_int_equal(r->nr_l3, 4);
	assert_int_equal(r->nr_nodes, 4);
	assert_int_equal(r->l3[0].busy, 300);	/* cpu 0 + cpu 1 */
	assert_int_equal(r->l3[0].workers, 2);
	assert_int_equal(r->l3[0].bytes, 1500);
	assert_string_equal(r->l3[0].cpus, "0-1");
	assert_int_equal(r->l3[3].busy, 300);
	assert_int_equal(r->l3[2].node, 2);
	assert_int_equal(r->cpu[4].l3, 2);
	assert_int_equal(r->cpu[4].node, 2);
	for (i = 0; i < 4; i++)
		assert_int_equal(r->nodes[i].id, i);
	assert_true(fabs(share_sum(r, r->l3, r->nr_l3) - 1.0) < 1e-9);
	assert_true(fabs(share_sum(r, r->nodes, r->nr_nodes) - 1.0) < 1e-9);
	assert_true(fabs(share_sum(r, r->cpu, r->nr_cpu) - 1.0) < 1e-9);
	assert_true(fabs(ms_ccd_share(r, r->l3[1].busy) - 100.0 / 800) <
		    1e-9);
}

static void test_unknown_topology(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;

	spread_batch(f, 1000, 3);
	assert_int_equal(ms_machine_finish(&f->m), 0);
	assert_int_equal(ms_ccd_group(r, &f->m), 0);
	assert_false(r->topology);
	assert_int_equal(r->nr_l3, 0);
	assert_int_equal(r->nr_nodes, 0);
	assert_int_equal(r->cpu[2].l3, -1);
	assert_int_equal(r->cpu[2].node, -1);
	assert_true(fabs(share_sum(r, r->cpu, r->nr_cpu) - 1.0) < 1e-9);
}

/*
 * By the reason of the batch begin: compaction's spread batch (busy 100,
 * 100, 100, 300 on CPUs 0, 2, 4, 6), move_pages' batch of two workers
 * (busy 50 on CPU 1, 70 on CPU 7), and a batch without a batch begin;
 * then id 1 again after its batch ended: no reason any more.
 */
/* Worker w of batch id on cpu: busy from t0 for busy, bytes copied. */
static void worker_run(struct fixture *f, u64 id, u64 w, int cpu, u64 t0,
		       u64 busy, u64 bytes)
{
	feed(f, WBEGIN(t0, id, w, cpu));
	feed(f, WEND(t0 + busy, id, w, cpu, bytes));
}

static void by_reason_batches(struct fixture *f)
{
	feed(f, BBEGIN_M(900, 1, MS_REASON_COMPACTION, MS_MODE_ASYNC));
	spread_batch(f, 1000, 1);
	feed(f, BEND(1400, 1));
	feed(f, BBEGIN_M(1900, 2, MS_REASON_SYSCALL, MS_MODE_SYNC));
	feed(f, DISPATCH(2000, 2, 2, "fill"));
	worker_run(f, 2, 0, 1, 2010, 50, 200);
	worker_run(f, 2, 1, 7, 2010, 70, 300);
	feed(f, DONE(2090, 2));
	feed(f, BEND(2100, 2));
	feed(f, DISPATCH(3000, 3, 1, "fill"));
	worker_run(f, 3, 0, 3, 3010, 20, 64);
	feed(f, DONE(3040, 3));
	feed(f, DISPATCH(4000, 1, 1, "fill"));
	worker_run(f, 1, 0, 5, 4000, 10, 8);
	feed(f, DONE(4020, 1));
}

/* The reasons add up to all: busy, bytes, runs, batches, per domain. */
static void assert_reasons_add_up(const struct ms_ccd_results *r)
{
	u64 busy = 0, bytes = 0, workers = 0, batches = 0, l3busy;
	int i, d;

	for (i = 0; i <= MS_NR_REASONS; i++) {
		busy += r->by_reason[i].all.busy;
		bytes += r->by_reason[i].all.bytes;
		workers += r->by_reason[i].all.workers;
		batches += r->by_reason[i].batches;
	}
	assert_int_equal(busy, r->busy);
	assert_int_equal(bytes, r->bytes);
	assert_int_equal(batches, r->batches);
	for (i = 0, d = 0; i < r->nr_cpu; i++)
		d += r->cpu[i].workers;
	assert_int_equal(workers, d);
	for (d = 0; d < r->nr_l3; d++) {
		for (i = 0, l3busy = 0; i <= MS_NR_REASONS; i++)
			l3busy += r->by_reason[i].l3[d].busy;
		assert_int_equal(l3busy, r->l3[d].busy);
	}
	for (i = 0; i <= MS_NR_REASONS; i++) {
		const struct ms_ccd_reason *x = &r->by_reason[i];

		for (d = 0, l3busy = x->no_l3.busy; d < r->nr_l3; d++)
			l3busy += x->l3[d].busy;
		assert_int_equal(l3busy, x->all.busy);
	}
}

static void test_by_reason(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;
	const struct ms_ccd_reason *c, *s, *u;

	by_reason_batches(f);
	assert_int_equal(f->eng.reasons.count, 0);	/* all ended */
	eight_cpus(&f->m);
	assert_int_equal(ms_ccd_group(r, &f->m), 0);
	c = &r->by_reason[MS_REASON_COMPACTION];
	s = &r->by_reason[MS_REASON_SYSCALL];
	u = &r->by_reason[MS_NR_REASONS];
	assert_int_equal(c->batches, 1);
	assert_int_equal(c->all.busy, 600);
	assert_int_equal(c->all.bytes, 4000);
	assert_int_equal(c->all.workers, 4);
	assert_int_equal(c->l3[0].busy, 100);	/* cpu 0 */
	assert_int_equal(c->l3[3].busy, 300);	/* cpu 6 */
	assert_string_equal(c->l3[3].cpus, "6-7");
	assert_int_equal(s->batches, 1);
	assert_int_equal(s->all.busy, 50 + 70);
	assert_int_equal(s->all.bytes, 500);
	assert_int_equal(s->l3[0].busy, 50);	/* cpu 1 */
	assert_int_equal(s->l3[1].workers, 0);
	assert_int_equal(s->l3[3].busy, 70);	/* cpu 7 */
	assert_int_equal(s->l3[3].node, 3);
	/* batch 3 (no begin) and batch 1 again (its begin ended) */
	assert_int_equal(u->batches, 2);
	assert_int_equal(u->all.busy, 20 + 10);
	assert_int_equal(u->l3[1].busy, 20);	/* cpu 3 */
	assert_int_equal(u->l3[2].busy, 10);	/* cpu 5 */
	assert_int_equal(u->no_l3.workers, 0);
	assert_int_equal(r->by_reason[MS_REASON_DEMOTION].all.workers, 0);
	assert_reasons_add_up(r);
	assert_true(fabs(ms_ccd_share(r, s->all.busy) - 120.0 / 750) < 1e-9);
	/* by mode: compaction's begin is async, move_pages' sync */
	assert_int_equal(r->by_mode[MS_MODE_ASYNC].all.busy, 600);
	assert_int_equal(r->by_mode[MS_MODE_ASYNC].l3[3].busy, 300);
	assert_int_equal(r->by_mode[MS_MODE_SYNC].batches, 1);
	assert_int_equal(r->by_mode[MS_MODE_SYNC].all.bytes, 500);
	assert_int_equal(r->by_mode[MS_NR_MODES].batches, 2);
	assert_int_equal(r->by_mode[MS_NR_MODES].all.busy, 20 + 10);
	assert_int_equal(r->by_mode[MS_MODE_SYNC_LIGHT].all.workers, 0);
}

/* Without topology every run of a reason is on a CPU of no domain. */
static void test_by_reason_no_topology(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;
	int i;

	by_reason_batches(f);
	assert_int_equal(ms_machine_finish(&f->m), 0);
	assert_int_equal(ms_ccd_group(r, &f->m), 0);
	assert_int_equal(r->nr_l3, 0);
	for (i = 0; i <= MS_NR_REASONS; i++) {
		const struct ms_ccd_reason *x = &r->by_reason[i];

		assert_int_equal(x->no_l3.busy, x->all.busy);
		assert_int_equal(x->no_l3.bytes, x->all.bytes);
		assert_int_equal(x->no_l3.workers, x->all.workers);
	}
	assert_int_equal(r->by_reason[MS_REASON_SYSCALL].no_l3.busy, 120);
	assert_reasons_add_up(r);
}

/* Trace cut mid-batch, lost events, garbage fields. */
static void test_incomplete(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;

	feed(f, WEND(100, 9, 0, 0, 64));	/* began before the trace */
	feed(f, WBEGIN(90, 8, 0, 0));		/* dispatch not traced */
	feed(f, WEND(190, 8, 0, 0, 64));
	feed(f, DONE(200, 8));
	feed(f, DONE(210, 11));			/* nothing else of 11 */
	feed(f, WBEGIN(300, 12, 0, -1));	/* bad cpu */
	feed(f, WBEGIN(300, 12, MS_CCD_MAX_WORKERS, 1));
	feed(f, DISPATCH(400, 13, 2, "spread"));
	feed(f, WBEGIN(410, 13, 0, 3));		/* never ends */
	ms_ccd_finish(&f->eng);
	assert_int_equal(r->batches, 0);
	assert_int_equal(r->incomplete, 3);	/* 8, 11, 13 */
	assert_int_equal(r->unpaired, 2);	/* 9's end, 13's begin */
	assert_int_equal(r->bad_events, 2);
	assert_int_equal(r->cpu[0].busy, 100);	/* 8's worker counts */
	assert_int_equal(r->busy, 100);
	assert_true(isnan(ms_ccd_mean(&r->imbalance)));
	assert_true(isnan(ms_ccd_cpu_ratio(r)));
}

/* Two batches in flight at once; a batch without workers. */
static void test_interleaved(void **state)
{
	struct fixture *f = *state;
	struct ms_ccd_results *r = &f->res;

	feed(f, DISPATCH(0, 1, 1, "dst"));
	feed(f, DISPATCH(5, 2, 1, "dst"));
	feed(f, WBEGIN(10, 2, 0, 5));
	feed(f, WBEGIN(20, 1, 0, 4));
	feed(f, WEND(40, 1, 0, 4, 8));
	feed(f, WEND(60, 2, 0, 5, 8));
	feed(f, DONE(50, 1));
	feed(f, DONE(70, 2));
	feed(f, DISPATCH(80, 3, 4, "dst"));
	feed(f, DONE(90, 3));
	assert_int_equal(r->batches, 3);
	assert_int_equal(r->nr_oh, 2);
	assert_int_equal(r->dispatch_oh, 20 + 5);
	assert_int_equal(r->wait_oh, 10 + 10);
	assert_int_equal(r->cpu[4].busy, 20);
	assert_int_equal(r->cpu[5].busy, 50);
	assert_int_equal(r->task_wall, 50 + 65 + 10);
	assert_int_equal(r->imbalance.count, 2);
	assert_true(fabs(ms_ccd_max(&r->imbalance) - 1.0) < 1e-9);
	assert_true(r->threads_mixed);
	assert_false(r->policy_mixed);
}

/* ---- the binary ------------------------------------------------------ */

struct run {
	int	status;
	char	*out;
	char	*err;
};

static char *slurp_fd(FILE *f)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	rewind(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(mem);
	return buf;
}

/* $MIGSCOPE args..., run in tests/ so fixture paths are short */
static void run(struct run *r, const char *const args[])
{
	const char *bin = getenv("MIGSCOPE");
	FILE *out = tmpfile(), *err = tmpfile();
	char *argv[8];
	int i, status;
	pid_t pid;

	assert_non_null(bin);
	assert_non_null(out);
	assert_non_null(err);
	argv[0] = (char *)bin;
	for (i = 0; args[i] && i < 6; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (dup2(fileno(out), 1) < 0 || dup2(fileno(err), 2) < 0)
			_exit(127);
		execv(bin, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->out = slurp_fd(out);
	r->err = slurp_fd(err);
	fclose(out);
	fclose(err);
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
		fail_msg("sanitizer report:\n%s", r->err);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static char *fixture(const char *name)
{
	const char *dir = getenv("MS_FIXTURES");
	char *p;

	if (asprintf(&p, "%s/%s", dir ? dir : "tests/fixtures", name) < 0)
		return NULL;
	return p;
}

static char *testdata(const char *name)
{
	const char *dir = getenv("MS_TESTDATA");
	char *p;

	if (asprintf(&p, "%s/%s", dir ? dir : "tests/data", name) < 0)
		return NULL;
	return p;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* exit 1, one line "migscope: ..." holding contains, nothing on stdout */
static void expect_error(const char *const args[], const char *contains)
{
	struct run r;

	run(&r, args);
	if (r.status != 1 || count_lines(r.err) != 1 || *r.out ||
	    strncmp(r.err, "migscope: ", 10) ||
	    (contains && !strstr(r.err, contains)))
		fail_msg("%s %s: status %d, stderr:\n%s", args[0], args[1],
			 r.status, r.err);
	run_free(&r);
}

static void expect_status(const char *const args[], int status)
{
	struct run r;

	run(&r, args);
	if (r.status != status)
		fail_msg("%s: status %d, want %d:\n%s", args[0], r.status,
			 status, r.err);
	run_free(&r);
}

static json_t *run_json(const char *const args[])
{
	json_error_t jerr;
	struct run r;
	json_t *root;

	run(&r, args);
	if (r.status || *r.err)
		fail_msg("%s: status %d:\n%s", args[0], r.status, r.err);
	root = json_loads(r.out, 0, &jerr);
	if (!root)
		fail_msg("bad JSON: %s", jerr.text);
	assert_schema(r.out, args[0]);	/* "ccd" or "compare" */
	run_free(&r);
	return root;
}

static double jnum(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_number(v));
	return json_number_value(v);
}

static void test_spread_fixture(void **state)
{
	char *path = fixture("mtcopy-spread-8cpu.dat");
	const char *args[] = { "ccd", "--json", path, NULL };
	json_t *root = run_json(args), *l3, *d, *w;
	bool seen[4] = { false };
	double sum = 0, bsum = 0;
	size_t i;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(root, "policy")),
			    "spread");
	assert_int_equal(jnum(root, "threads"), 4);
	assert_int_equal(jnum(root, "batches"), 2);
	assert_true(json_is_null(json_object_get(root, "topology_note")));
	assert_non_null(strstr(json_string_value(json_object_get(
		json_object_get(root, "environment"), "timing_label")),
		"EMULATED"));
	l3 = json_object_get(root, "l3_domains");
	assert_int_equal(json_array_size(l3), 4);
	json_array_foreach(l3, i, d) {
		int id = (int)jnum(d, "l3");

		assert_true(id >= 0 && id < 4);
		assert_false(seen[id]);		/* distinct domains */
		seen[id] = true;
		assert_int_equal(jnum(d, "workers"), 2);	/* 1 per batch */
		assert_true(jnum(d, "share") > 0);
		assert_int_equal(jnum(d, "bytes"), 1048576);
		sum += jnum(d, "share");
	}
	assert_true(fabs(sum - 1.0) < 1e-6);
	w = json_object_get(root, "workers");
	assert_int_equal(json_array_size(w), 4);
	json_array_foreach(w, i, d)
		bsum += jnum(d, "busy_ns");
	assert_true(fabs(bsum - jnum(json_object_get(root, "cpu_time"),
				     "workers_ns")) < 1);
	assert_true(jnum(json_object_get(root, "imbalance"), "mean") >= 1.0);
	assert_true(jnum(json_object_get(root, "critical_path"), "max") <=
		    1.0);
	assert_true(jnum(json_object_get(root, "cpu_time"), "ratio") > 1.0);
	assert_int_equal(json_array_size(json_object_get(root, "nodes")), 4);
	json_decref(root);
	free(path);
}

#define CSV_START "cpu,l3,node,workers,busy_ns,bytes,gbps,share\n0,0,0,2,"

/* busy_ns of the CSV rows of a ccd CSV (column 5), their sum */
static long long csv_busy(const char *csv, int *rows)
{
	const char *line = strchr(csv, '\n');
	long long sum = 0;
	int col;

	*rows = 0;
	while (line && line[1] && line[1] != '#') {
		const char *p = line + 1;

		for (col = 0; col < 4; col++)
			p = strchr(p, ',') + 1;
		sum += strtoll(p, NULL, 10);
		(*rows)++;
		line = strchr(line + 1, '\n');
	}
	return sum;
}

/*
 * The fixture's two batches are move_pages(2)'s (its batch begins say
 * so): one reason, whose figures are all the workers', by domain as the
 * domains; the CSV by reason has a row per domain, summing to the CPUs'.
 */
static void test_spread_by_reason(void **state)
{
	char *path = fixture("mtcopy-spread-8cpu.dat");
	const char *json[] = { "ccd", "--json", path, NULL };
	const char *byr[] = { "ccd", "--csv", "--by", "reason", path, NULL };
	const char *bycpu[] = { "ccd", "--csv", path, NULL };
	const char *text[] = { "ccd", path, NULL };
	const char *nocsv[] = { "ccd", "--by", "reason", path, NULL };
	const char *bad[] = { "ccd", "--csv", "--by", "l3", path, NULL };
	json_t *root = run_json(json), *br, *x, *l3, *d;
	double busy = 0, bytes = 0, workers = 0;
	int rows_r, rows_c;
	struct run r, c;
	size_t i;

	(void)state;
	json_array_foreach(json_object_get(root, "workers"), i, d) {
		busy += jnum(d, "busy_ns");
		bytes += jnum(d, "bytes");
		workers += jnum(d, "workers");
	}
	br = json_object_get(root, "by_reason");
	assert_int_equal(json_array_size(br), 1);
	x = json_array_get(br, 0);
	assert_string_equal(json_string_value(json_object_get(x, "reason")),
			    "syscall_or_cpuset");
	assert_int_equal(jnum(x, "batches"), jnum(root, "batches"));
	assert_true(jnum(x, "busy_ns") == busy);
	assert_true(jnum(x, "bytes") == bytes);
	assert_true(jnum(x, "workers") == workers);
	assert_true(fabs(jnum(x, "share") - 1.0) < 1e-9);
	assert_int_equal(jnum(json_object_get(x, "no_l3"), "workers"), 0);
	l3 = json_object_get(root, "l3_domains");
	assert_int_equal(json_array_size(json_object_get(x, "l3_domains")),
			 json_array_size(l3));
	json_array_foreach(json_object_get(x, "l3_domains"), i, d) {
		assert_true(jnum(d, "busy_ns") ==
			    jnum(json_array_get(l3, i), "busy_ns"));
		assert_true(jnum(d, "l3") == jnum(json_array_get(l3, i), "l3"));
	}
	json_decref(root);

	run(&r, byr);
	run(&c, bycpu);
	assert_int_equal(r.status, 0);
	assert_int_equal(c.status, 0);
	assert_int_equal(strncmp(r.out, "reason,l3,node,workers,busy_ns,", 31),
			 0);
	assert_non_null(strstr(r.out, "\nsyscall_or_cpuset,3,3,2,"));
	assert_non_null(strstr(r.out, "\n# lost events: 0 in 0 gaps"));
	assert_true(csv_busy(r.out, &rows_r) == csv_busy(c.out, &rows_c));
	assert_true(csv_busy(r.out, &rows_r) == (long long)busy);
	assert_int_equal(rows_r, 4);		/* one per domain */
	run_free(&r);
	run_free(&c);
	run(&r, text);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\nper migrate reason (of the batch "
				      "begin), by L3 domain\n"));
	/* the reason's row: its 2 batches, all 8 worker runs */
	assert_non_null(strstr(r.out, "\n  syscall_or_cpuset        2  all"
				      "                       8 "));
	assert_non_null(strstr(r.out, "\n                                3 "
				      "6-7           3       2 "));
	run_free(&r);
	expect_status(nocsv, 2);
	expect_status(bad, 2);
	free(path);
}

static void test_spread_text_csv(void **state)
{
	char *path = fixture("mtcopy-spread-8cpu.dat");
	const char *text[] = { "ccd", path, NULL };
	const char *csv[] = { "ccd", "--csv", path, NULL };
	struct run r;

	(void)state;
	run(&r, text);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "EMULATED machine (qemu-tcg)"));
	assert_non_null(strstr(r.out, "per L3 domain"));
	assert_non_null(strstr(r.out, "critical path"));
	assert_null(strstr(r.out, "topology unknown"));
	run_free(&r);
	run(&r, csv);
	assert_int_equal(r.status, 0);
	/* header + 4 CPUs + the lost-events comment */
	assert_int_equal(count_lines(r.out), 6);
	assert_non_null(strstr(r.out, "\n# lost events: 0 in 0 gaps"));
	assert_int_equal(strncmp(r.out, CSV_START, strlen(CSV_START)), 0);
	run_free(&r);
	free(path);
}

static void test_bad_inputs(void **state)
{
	char *copy = fixture("copy-16k.dat"), *nomig = testdata("nomig.dat");
	char *spread = fixture("mtcopy-spread-8cpu.dat");
	char cut[] = "/tmp/migscope-ccd-XXXXXX";
	const char *nomt[] = { "ccd", copy, NULL };
	const char *none[] = { "ccd", "/nonexistent/x.dat", NULL };
	const char *truncated[] = { "ccd", cut, NULL };
	const char *both[] = { "ccd", "--json", "--csv", spread, NULL };
	const char *two[] = { "ccd", spread, spread, NULL };
	const char *noarg[] = { "ccd", NULL };
	const char *help[] = { "ccd", "--help", NULL };
	const char *cnomig[] = { "compare", spread, nomig, NULL };
	const char *cone[] = { "compare", spread, NULL };
	int fd;

	(void)state;
	expect_error(nomt, "no mtcopy events: record with -p mtcopy (tracepoints/presets) or trace-cmd -e mtcopy");
	expect_error(none, NULL);
	fd = mkstemp(cut);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\027\010\104tracing6\0\0", 12), 12);
	close(fd);
	expect_error(truncated, NULL);
	unlink(cut);
	expect_status(both, 2);
	expect_status(two, 2);
	expect_status(noarg, 2);
	expect_status(help, 0);
	expect_error(cnomig, "no page-migration or mtcopy events");
	expect_status(cone, 2);
	free(copy);
	free(nomig);
	free(spread);
}

static json_t *row(json_t *rows, const char *metric)
{
	json_t *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "metric")),
			    metric))
			return r;
	return NULL;
}

static void test_compare(void **state)
{
	char *copy = fixture("copy-16k.dat");
	char *spread = fixture("mtcopy-spread-8cpu.dat");
	const char *mixed[] = { "compare", "--json", copy, spread, NULL };
	const char *same[] = { "compare", "--json", spread, spread, NULL };
	const char *text[] = { "compare", copy, spread, NULL };
	json_t *root, *rows, *r;
	struct run run_text;
	size_t i;

	(void)state;
	root = run_json(mixed);
	rows = json_object_get(root, "rows");
	assert_non_null(json_object_get(root, "a"));
	assert_non_null(json_object_get(json_object_get(root, "b"),
					"environment"));
	r = row(rows, "copy_fraction");
	assert_non_null(r);
	assert_true(fabs(jnum(r, "ratio") - jnum(r, "b") / jnum(r, "a")) <
		    1e-9);
	assert_non_null(row(rows, "calls"));
	assert_non_null(row(rows, "gbps"));
	assert_non_null(row(rows, "copy_ns"));
	assert_null(row(rows, "imbalance.mean"));	/* A has no mtcopy */
	json_decref(root);

	root = run_json(same);
	rows = json_object_get(root, "rows");
	assert_non_null(row(rows, "l3[3].share"));
	assert_non_null(row(rows, "critical_path.mean"));
	assert_non_null(row(rows, "imbalance.max"));
	json_array_foreach(rows, i, r)
		if (!json_is_null(json_object_get(r, "ratio")))
			assert_true(fabs(jnum(r, "ratio") - 1.0) < 1e-12);
	json_decref(root);

	run(&run_text, text);
	assert_int_equal(run_text.status, 0);
	assert_non_null(strstr(run_text.out, "B/A"));
	assert_non_null(strstr(run_text.out, "mtcopy events in B only"));
	run_free(&run_text);
	free(copy);
	free(spread);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batch_figures, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mean_max, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_topology, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_incomplete, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_by_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_by_reason_no_topology,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved, setup,
						teardown),
		cmocka_unit_test(test_spread_fixture),
		cmocka_unit_test(test_spread_text_csv),
		cmocka_unit_test(test_spread_by_reason),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
