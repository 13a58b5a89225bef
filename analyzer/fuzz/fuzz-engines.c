// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-engines.c - libFuzzer target: any event stream (fuzz.h) through
 * every engine (pairing, ccd, dma) and every report renderer; then the
 * invariants migscope promises on every input it accepts:
 *   phases + nested + unattributed = the outermost migrate_pages() total,
 *   no phase (nor the nested calls) above that total, every share in
 *   0..1, no batch counted twice (phases, first folio <= batches), nothing
 *   left pending, ccd shares that add up to at most 1; every call and
 *   batch in one reason and one mode, every worker run in one reason.
 * A broken invariant aborts: libFuzzer keeps the input as a crash.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccd.h"
#include "dma.h"
#include "fuzz.h"
#include "phase.h"
#include "report.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "invariant broken: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);		\
			abort();					\
		}							\
	} while (0)

static const char * const names[] = { "kernel", "mtcopy", "dcbm" };

static unsigned int u16le(const unsigned char *p)
{
	return p[0] | (unsigned int)p[1] << 8;
}

static void decode(const unsigned char *p, u64 *ts, struct ms_event *ev)
{
	unsigned int step = u16le(p + 5);

	memset(ev, 0, sizeof(*ev));
	if (step & 0x8000)
		*ts -= *ts < (step & 0x3ff) ? *ts : (step & 0x3ff);
	else
		*ts += step;
	ev->ts = *ts;
	ev->type = fuzz_types[p[0] % FUZZ_NR_TYPES];
	ev->pid = p[1] & 3;
	ev->cpu = (p[1] >> 2) & 3;
	ev->id = p[2] % 8;
	ev->phase = (enum ms_phase)(p[3] % (MS_NR_PHASES + 1));
	ev->reason = p[4] % (MS_NR_REASONS + 2);
	ev->folios = p[7];
	ev->pages = u16le(p + 8);
	ev->succeeded = ev->pages;
	ev->failed_pages = p[7] & 1;
	ev->failed_folios = p[7] & 1;
	ev->rc = (signed char)p[10];
	ev->ret = ev->rc;
	ev->worker = p[11] & 7;
	ev->chan = p[11] & 7;
	ev->order = p[11] & 7;
	ev->worker_cpu = p[11] >> 3;
	ev->bytes = ev->pages * 4096;
	ev->threads = 1 + (p[11] & 7);
	ev->channels = 1 + (p[11] & 7);
	ev->descriptors = p[7];
	snprintf(ev->name, sizeof(ev->name), "%s", names[p[11] % 3]);
}

static void check_share(double share)
{
	CHECK(isnan(share) || (share >= 0.0 && share <= 1.0));
}

/* Every outermost call in one group of g[nr], its time split the same way. */
static void check_groups(const struct ms_report *r,
			 const struct ms_reason_totals *g, int nr)
{
	const struct ms_results *res = r->res;
	u64 calls = 0, total = 0, batches = 0, used;
	int i, p;

	for (i = 0; i < nr; i++) {
		const struct ms_reason_totals *rt = &g[i];

		used = rt->nested;
		for (p = 0; p < MS_NR_PHASES; p++)
			used += rt->phase[p];
		CHECK(used + ms_reason_unattributed(rt) == rt->time.total);
		CHECK(rt->batch_pages.count == rt->batches);
		check_share(ms_report_share(r, rt->time.total));
		calls += rt->calls;
		total += rt->time.total;
		batches += rt->batches;
	}
	CHECK(calls == res->call.count && total == res->call.total);
	CHECK(batches == res->batch.count);
}

static void check_reasons(const struct ms_report *r)
{
	check_groups(r, r->res->by_reason, MS_NR_REASONS + 1);
	check_groups(r, r->res->by_mode, MS_NR_MODES + 1);
}

static void check_results(const struct ms_report *r)
{
	const struct ms_results *res = r->res;
	struct ms_nested_totals n;
	int p;

	ms_results_nested_sum(res, &n);
	CHECK(ms_results_phases(res) + n.total +
	      ms_results_unattributed(res) == res->call.total);
	for (p = 0; p < MS_NR_PHASES; p++) {
		CHECK(res->phase[p].time.total <= res->call.total);
		CHECK(res->phase[p].time.count <= res->batch.count);
		check_share(ms_report_share(r, res->phase[p].time.total));
	}
	check_share(ms_report_share(r, n.total));
	check_share(ms_report_share(r, ms_results_unattributed(res)));
	CHECK(res->first_folio.count <= res->batch.count);
	check_reasons(r);
}

static void check_ccd(const struct ms_ccd_results *c)
{
	u64 busy = 0, bytes = 0, batches = 0;
	double sum = 0;
	int i;

	for (i = 0; i < c->nr_cpu; i++) {
		double s = ms_ccd_share(c, c->cpu[i].busy);

		check_share(s);
		if (!isnan(s))
			sum += s;
	}
	CHECK(sum <= 1.0 + 1e-9);
	for (i = 0; i <= MS_NR_REASONS; i++) {
		busy += c->by_reason[i].all.busy;
		bytes += c->by_reason[i].all.bytes;
		batches += c->by_reason[i].batches;
	}
	CHECK(busy == c->busy && bytes == c->bytes && batches == c->batches);
}

/* Every renderer, into a memory stream. */
static void render_all(const struct ms_report *r)
{
	int (*const fns[])(const struct ms_report *, FILE *) = {
		ms_report_text, ms_report_json, ms_report_csv,
		ms_report_csv_reasons, ms_report_csv_modes,
	};
	size_t i;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (!f)
			continue;
		fns[i](r, f);
		fclose(f);
		free(buf);
	}
}

/* The clock of the file: the first byte picks it, so every unit is run */
static void report_init(struct ms_report *r, struct ms_results *res,
			unsigned char pick)
{
	static const char * const clocks[] = {
		"mono", "x86-tsc", "counter", "local",
	};
	struct ms_file_info file;

	memset(&file, 0, sizeof(file));
	strcpy(file.clock, clocks[pick % 4]);
	memset(r, 0, sizeof(*r));
	ms_machine_init(&r->machine);
	r->path = "fuzz";
	r->res = res;
	r->page_size = 4096;
	r->has[MS_GROUP_CALL] = true;
	r->has[MS_GROUP_SERIES] = true;
	r->has[MS_GROUP_PTE] = true;
	ms_timebase_init(&r->tb, &r->machine, &file, "");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct ms_results res;
	struct ms_ccd_results cres;
	struct ms_dma_results dres;
	struct ms_engine eng;
	struct ms_ccd_engine ceng;
	struct ms_dma_engine deng;
	struct ms_report r;
	struct ms_event ev;
	struct ms_dma_event d;
	u64 ts = 1000000;
	size_t off;

	ms_results_init(&res);
	ms_ccd_results_init(&cres);
	ms_dma_results_init(&dres, 4096);
	if (ms_engine_init(&eng, &res) || ms_ccd_engine_init(&ceng, &cres) ||
	    ms_dma_engine_init(&deng, &dres))
		abort();
	for (off = 0; off + FUZZ_REC <= size; off += FUZZ_REC) {
		decode(data + off, &ts, &ev);
		if (ms_engine_feed(&eng, &ev) || ms_ccd_feed(&ceng, &ev))
			abort();	/* out of memory: not an input's fault */
		ms_dma_event_from(&ev, &d);
		if (d.type != MS_DMA_NONE && ms_dma_feed(&deng, &d))
			abort();
	}
	CHECK(eng.pending == 0 || eng.open > 0);
	ms_engine_finish(&eng);
	ms_ccd_finish(&ceng);
	if (ms_dma_finish(&deng))
		abort();
	CHECK(eng.pending == 0);
	report_init(&r, &res, size ? data[size - 1] : 0);
	check_results(&r);
	check_ccd(&cres);
	render_all(&r);
	ms_machine_free(&r.machine);
	ms_ccd_results_free(&cres);
	ms_dma_results_free(&dres);
	return 0;
}
