// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: a thread that reads and writes the region while it migrates.
 *
 * Pass after pass over every page, the thread reads the page's slot word
 * and checks it holds the last value the thread wrote there (the pattern
 * before its first write), checks one word of the pattern at the other end
 * of the page, and writes the next generation into the slot. A write lost
 * by the migration (made to the old page after its contents were copied)
 * shows up as a stale value on the next pass, and in the final check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migbench.h"

static void mb_rw_mismatch(struct mb_rw *rw, unsigned long idx, size_t off,
			   uint64_t got, uint64_t want)
{
	if (!rw->mismatches++) {
		rw->bad_page = idx;
		rw->bad_off = off;
		rw->bad_got = got;
		rw->bad_want = want;
	}
}

/* One page: check the slot and a pattern word, write the next generation. */
static void mb_rw_touch(struct mb_rw *rw, unsigned long idx)
{
	const struct mb_region *r = rw->r;
	volatile uint64_t *p = (volatile uint64_t *)(r->addr + idx * r->page_size);
	size_t slot = mb_rw_slot(r, idx);
	size_t other = slot ? 0 : r->page_size - sizeof(uint64_t);
	uint32_t gen = rw->gens[idx];
	uint64_t got, want;

	want = gen ? mb_rw_value(r, idx, gen) : mb_pattern(idx, slot);
	got = p[slot / sizeof(uint64_t)];
	if (got != want)
		mb_rw_mismatch(rw, idx, slot, got, want);
	want = mb_pattern(idx, other);
	got = p[other / sizeof(uint64_t)];
	if (got != want)
		mb_rw_mismatch(rw, idx, other, got, want);
	p[slot / sizeof(uint64_t)] = mb_rw_value(r, idx, gen + 1);
	rw->gens[idx] = gen + 1;
}

static void *mb_rw_main(void *arg)
{
	struct mb_rw *rw = arg;
	unsigned long i, touches = 0, passes = 0;

	for (;;) {
		for (i = 0; i < rw->r->npages; i++) {
			if (atomic_load_explicit(&rw->stop, memory_order_relaxed))
				return NULL;
			mb_rw_touch(rw, i);
			atomic_store_explicit(&rw->touches, ++touches,
					      memory_order_relaxed);
		}
		atomic_store_explicit(&rw->passes, ++passes,
				      memory_order_relaxed);
	}
	return NULL;
}

/* Start the thread and wait until it has made one full pass. */
int mb_rw_start(struct mb_rw *rw, const struct mb_region *r)
{
	struct timespec ms = { 0, 1000000 };
	int err;

	memset(rw, 0, sizeof(*rw));
	rw->r = r;
	atomic_init(&rw->stop, false);
	atomic_init(&rw->passes, 0);
	atomic_init(&rw->touches, 0);
	rw->gens = calloc(r->npages, sizeof(*rw->gens));
	if (!rw->gens) {
		mb_err("cannot allocate the rw thread's table for %lu pages",
		       r->npages);
		return -1;
	}
	err = pthread_create(&rw->thread, NULL, mb_rw_main, rw);
	if (err) {
		mb_err("cannot start the rw thread: %s", strerror(err));
		return -1;
	}
	rw->running = true;
	while (!atomic_load_explicit(&rw->passes, memory_order_relaxed))
		nanosleep(&ms, NULL);
	return 0;
}

/* Stop and join the thread; fill @st and name the first mismatch. */
void mb_rw_stop(struct mb_rw *rw, struct mb_rw_stats *st)
{
	if (!rw->running)
		return;
	atomic_store_explicit(&rw->stop, true, memory_order_relaxed);
	pthread_join(rw->thread, NULL);
	rw->running = false;
	st->passes = atomic_load(&rw->passes);
	st->touches = atomic_load(&rw->touches);
	st->mismatches = rw->mismatches;
	if (rw->mismatches)
		mb_err("rw thread: %lu wrong reads; first: page %lu at %p, byte offset %zu: 0x%016" PRIx64 ", expected 0x%016" PRIx64,
		       rw->mismatches, rw->bad_page,
		       (void *)(rw->r->addr + rw->bad_page * rw->r->page_size),
		       rw->bad_off, rw->bad_got, rw->bad_want);
}

void mb_rw_free(struct mb_rw *rw)
{
	if (rw->running) {
		atomic_store_explicit(&rw->stop, true, memory_order_relaxed);
		pthread_join(rw->thread, NULL);
		rw->running = false;
	}
	free(rw->gens);
	rw->gens = NULL;
}
