// SPDX-License-Identifier: GPL-2.0
/*
 * migbench - time one migration system call (move_pages(2) by default,
 * mbind(2) or migrate_pages(2) with --driver) that migrates a buffer of
 * folios of one size between two NUMA nodes, or one migration the kernel
 * makes on its own (NUMA faults, promotion, demotion, compaction:
 * kdriver.c), and check that every byte, every page and every folio
 * arrived:
 *
 *   1. set the THP controls for the folio size (and the batch-copy knob),
 *      map the region (anon, shmem or memfd) aligned to the folio size,
 *      mbind(MPOL_BIND) it to the source node;
 *   2. fault it in by writing a pattern that depends on page index and
 *      offset; check the folio sizes (pagemap + kpageflags) and that every
 *      page is on the source;
 *   3. optionally start a thread that reads and writes the region;
 *   4. time exactly one call that moves every folio to the destination
 *      (CLOCK_MONOTONIC around the system call only; the /proc/vmstat
 *      migration counters are read just outside it; driver.c);
 *   5. stop the thread, check that every page is on the destination, every
 *      folio kept its size and every byte is what was last written;
 *   6. restore every sysfs knob it changed.
 *
 * See migbench.h for the files and their jobs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migbench.h"

static double mb_gbps(const struct mb_region *r, const struct mb_result *res)
{
	if (res->seconds <= 0)
		return 0;
	return (double)r->len / res->seconds / 1e9;
}

static void mb_print_long_or_null(const char *name, long v)
{
	if (v < 0)
		printf(",\"%s\":null", name);
	else
		printf(",\"%s\":%ld", name, v);
}

/* a JSON string of a sysfs word: quotes, backslashes and controls dropped */
static void mb_print_word_or_null(const char *name, const char *s)
{
	if (!*s) {
		printf(",\"%s\":null", name);
		return;
	}
	printf(",\"%s\":\"", name);
	for (; *s; s++)
		if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
			putchar(*s);
	putchar('"');
}

static void mb_print_json(const struct mb_region *r, const struct mb_opts *o,
			  const struct mb_result *res,
			  const struct mb_copy_state *cs)
{
	const struct mb_vmstat *a = &res->vm_before, *b = &res->vm_after;

	printf("{\"tool\":\"migbench\",\"pages\":%lu,\"page_size\":%zu,"
	       "\"bytes\":%zu,\"folio_size\":%zu,\"folios\":%lu,"
	       "\"backing\":\"%s\",\"folio_check\":\"%s\","
	       "\"from_node\":%ld,\"to_node\":%ld,"
	       "\"driver\":\"%s\",\"strict\":%s,\"eio\":%s,"
	       "\"seconds\":%.9f,\"gbps\":%.6f,\"failures\":%lu,\"calls\":%lu,"
	       "\"not_migrated\":%lu,\"retries\":%lu,\"retried_folios\":%lu,"
	       "\"pgmigrate_success\":%lld,\"pgmigrate_fail\":%lld,"
	       "\"thp_migration_success\":%lld,\"thp_migration_fail\":%lld,"
	       "\"thp_migration_split\":%lld",
	       r->npages, r->page_size, r->len, r->folio_size, r->nfolios,
	       mb_backing_name(r->backing),
	       res->folio_checked ? "ok" : "skipped", o->from, o->to,
	       mb_driver_name(o->driver), o->strict ? "true" : "false",
	       res->eio ? "true" : "false", res->seconds, mb_gbps(r, res),
	       res->failures, res->calls,
	       res->not_migrated, res->retries, res->retried_folios,
	       mb_vm_delta(a->pgmigrate_success, b->pgmigrate_success),
	       mb_vm_delta(a->pgmigrate_fail, b->pgmigrate_fail),
	       mb_vm_delta(a->thp_migration_success, b->thp_migration_success),
	       mb_vm_delta(a->thp_migration_fail, b->thp_migration_fail),
	       mb_vm_delta(a->thp_migration_split, b->thp_migration_split));
	mb_print_long_or_null("batch_copy", cs->batch_copy);
	mb_print_long_or_null("batch_max_pages", cs->batch_max_pages);
	mb_print_word_or_null("migrator", cs->migrator);
	printf(",\"rw_thread\":%s,\"rw_passes\":%lu,\"rw_touches\":%lu,"
	       "\"rw_touches_during\":%lu,\"rw_mismatches\":%lu",
	       o->rw_thread ? "true" : "false", res->rw.passes,
	       res->rw.touches, res->rw.touches_during, res->rw.mismatches);
	printf(",\"timeout\":%lu", mb_driver_is_kernel(o->driver) ? o->timeout : 0);
	if (o->driver == MB_DRIVER_COMPACT)
		printf(",\"compact\":\"%s\"", mb_compact_name(o->compact));
	else
		printf(",\"compact\":null");
	printf(",\"moved_pages\":%ld,\"side_bytes\":%llu,\"passes\":%lu",
	       res->moved_pages, res->side_bytes, res->passes);
	mb_vmstat_print_json(a, b);
	printf("}\n");
}

/* vmstat delta of a counter of struct mb_vmstat */
#define MB_VM_D(res, f)	mb_vm_delta((res)->vm_before.f, (res)->vm_after.f)

/* The text line of the kernel-driven drivers. */
static void mb_print_kernel(const struct mb_opts *o,
			    const struct mb_result *res)
{
	switch (o->driver) {
	case MB_DRIVER_DEMOTE:
		printf("migbench: driver demote: %llu MiB of pressure on node %ld in %lu steps; vmstat pgdemote_kswapd +%lld, pgdemote_direct +%lld\n",
		       res->side_bytes >> 20, o->from, res->passes,
		       MB_VM_D(res, pgdemote_kswapd),
		       MB_VM_D(res, pgdemote_direct));
		break;
	case MB_DRIVER_DAMON_COLD:
	case MB_DRIVER_DAMON_HOT:
		printf("migbench: driver %s: DAMOS applied %s to %llu KiB in %lu placement queries\n",
		       mb_driver_name(o->driver),
		       o->driver == MB_DRIVER_DAMON_HOT ? "migrate_hot" :
		       "migrate_cold", res->side_bytes >> 10, res->passes);
		break;
	case MB_DRIVER_OFFLINE:
		printf("migbench: driver offline: %lu memory block(s) (%llu MiB) offlined and onlined again; %ld region page(s) moved\n",
		       res->passes, res->side_bytes >> 20, res->moved_pages);
		break;
	case MB_DRIVER_COMPACT:
		printf("migbench: driver compact (%s): %llu MiB filler, half of it freed; %ld region page(s) moved; vmstat compact_migrate_scanned +%lld, compact_isolated +%lld\n",
		       mb_compact_name(o->compact), res->side_bytes >> 20,
		       res->moved_pages,
		       MB_VM_D(res, compact_migrate_scanned),
		       MB_VM_D(res, compact_isolated));
		break;
	default:
		printf("migbench: driver %s: %lu read passes; vmstat numa_hint_faults +%lld, numa_pages_migrated +%lld, pgpromote_success +%lld\n",
		       mb_driver_name(o->driver), res->passes,
		       MB_VM_D(res, numa_hint_faults),
		       MB_VM_D(res, numa_pages_migrated),
		       MB_VM_D(res, pgpromote_success));
		break;
	}
}

/* The text line of the mbind and migrate_pages drivers. */
static void mb_print_driver(const struct mb_region *r, const struct mb_opts *o,
			    const struct mb_result *res)
{
	if (mb_driver_is_kernel(o->driver))
		mb_print_kernel(o, res);
	else if (o->driver == MB_DRIVER_MBIND)
		printf("migbench: driver mbind%s: %s, %lu folio(s) not on node %ld afterwards\n",
		       o->strict ? " --strict" : "",
		       res->eio ? "EIO" : "returned 0", res->not_migrated,
		       o->to);
	else
		printf("migbench: driver migrate_pages (the whole process): returned %lu, vmstat pgmigrate_success +%lld for the region's %lu pages\n",
		       res->not_migrated,
		       mb_vm_delta(res->vm_before.pgmigrate_success,
				res->vm_after.pgmigrate_success),
		       r->npages);
}

static void mb_print_text(const struct mb_region *r, const struct mb_opts *o,
			  const struct mb_result *res,
			  const struct mb_copy_state *cs)
{
	char fs[32];

	printf("migbench: %lu pages (%zu bytes, %lu x %s %s folios) node %ld -> node %ld: %.6f s, %.3f GB/s, %lu failures, %lu call\n",
	       r->npages, r->len, r->nfolios,
	       mb_size_str(r->folio_size, fs, sizeof(fs)),
	       mb_backing_name(r->backing), o->from, o->to, res->seconds,
	       mb_gbps(r, res), res->failures, res->calls);
	if (o->driver != MB_DRIVER_MOVE_PAGES)
		mb_print_driver(r, o, res);
	printf("migbench: vmstat pgmigrate_success +%lld, pgmigrate_fail +%lld; ",
	       mb_vm_delta(res->vm_before.pgmigrate_success,
			res->vm_after.pgmigrate_success),
	       mb_vm_delta(res->vm_before.pgmigrate_fail,
			res->vm_after.pgmigrate_fail));
	if (cs->batch_copy < 0)
		printf("batch_copy n/a (" MB_NO_BATCH_COPY ")\n");
	else
		printf("batch_copy %ld, batch_max_pages %ld, migrator %s\n",
		       cs->batch_copy, cs->batch_max_pages,
		       cs->migrator[0] ? cs->migrator : "?");
	if (res->not_migrated && o->driver == MB_DRIVER_MOVE_PAGES)
		printf("migbench: the timed call left %lu folio(s) unmigrated; %lu untimed --retry call(s) were handed %lu folio(s)\n",
		       res->not_migrated, res->retries, res->retried_folios);
	if (o->rw_thread)
		printf("migbench: rw thread: %lu passes, %lu pages touched (%lu during the move), %lu wrong reads\n",
		       res->rw.passes, res->rw.touches, res->rw.touches_during,
		       res->rw.mismatches);
}

static void mb_print(const struct mb_region *r, const struct mb_opts *o,
		     const struct mb_result *res)
{
	struct mb_copy_state cs;

	mb_copy_state_read(&cs);
	if (o->json)
		mb_print_json(r, o, res, &cs);
	else
		mb_print_text(r, o, res, &cs);
	fflush(stdout);
}

static int mb_timed_call(struct mb_region *r, const struct mb_opts *o,
			 struct mb_result *res, struct mb_rw *rw)
{
	if (mb_driver_is_kernel(o->driver))
		return mb_kernel_all(r, o, res, rw);
	switch (o->driver) {
	case MB_DRIVER_MBIND:
		return mb_mbind_all(r, o->to, o->strict, res, rw);
	case MB_DRIVER_MIGRATE_PAGES:
		return mb_migrate_all(r, o->from, o->to, res, rw);
	case MB_DRIVER_MOVE_PAGES:
	default:
		return mb_move_all(r, o->to, res, rw);
	}
}

/* How the failures found after the timed call are introduced. */
static const char *mb_check_when(enum mb_driver d)
{
	switch (d) {
	case MB_DRIVER_MBIND:
		return "after mbind";
	case MB_DRIVER_MIGRATE_PAGES:
		return "after migrate_pages";
	case MB_DRIVER_NUMA_FAULT:
		return "after NUMA-hinting faults";
	case MB_DRIVER_PROMOTE:
		return "after promotion";
	case MB_DRIVER_DEMOTE:
		return "after demotion";
	case MB_DRIVER_COMPACT:
		return "after compaction";
	case MB_DRIVER_OFFLINE:
		return "after memory offline";
	case MB_DRIVER_DAMON_COLD:
	case MB_DRIVER_DAMON_HOT:
		return "after DAMON migration";
	case MB_DRIVER_MOVE_PAGES:
	default:
		return "move_pages status";
	}
}

/*
 * The timed call, then the untimed --retry calls (move_pages only: the
 * options allow no other), then where folios are.
 */
static int mb_move(struct mb_region *r, const struct mb_opts *o,
		   struct mb_result *res, struct mb_rw *rw)
{
	struct mb_hold hold = { .pipe = { -1, -1 } };
	int ret;

	if (o->hold_refs && mb_hold_start(&hold, r, o->hold_refs))
		return -1;
	ret = mb_timed_call(r, o, res, o->rw_thread ? rw : NULL);
	mb_hold_release(&hold);
	if (!ret && res->not_migrated && o->retry)
		ret = mb_move_retry(r, o->to, o->retry, res);
	if (!ret)
		mb_move_check(r, o->to, res, mb_check_when(o->driver));
	return ret;
}

/* Move, with the rw thread running around the call when asked. */
static int mb_migrate(struct mb_region *r, const struct mb_opts *o,
		      struct mb_result *res, struct mb_rw *rw)
{
	int ret;

	if (o->rw_thread) {
		mb_progress("starting the rw thread");
		if (mb_rw_start(rw, r))
			return -1;
	}
	mb_progress("moving %lu folios to node %ld (%s)", r->nfolios, o->to,
		    mb_driver_name(o->driver));
	ret = mb_move(r, o, res, rw);
	mb_rw_stop(rw, &res->rw);
	return ret;
}

/* Everything after the move; true when something is wrong. */
static bool mb_verify(struct mb_region *r, const struct mb_opts *o,
		      struct mb_result *res, const struct mb_rw *rw)
{
	bool bad = false, checked;

	mb_progress("verifying");
	if (res->failures || res->rw.mismatches)
		bad = true;
	if (mb_verify_placement(r, o->to, "after the move"))
		bad = true;
	if (res->folio_checked &&
	    mb_folio_check(r, true, "after the move", &checked))
		bad = true;
	if (mb_verify_data(r, rw->gens, 0))
		bad = true;
	return bad;
}

/*
 * --settle: write the complement of the pattern over every page, wait and
 * check it. A write into the old or the new folios that lands after the
 * migration returned (a DMA engine completing late) shows as a mismatch.
 */
static bool mb_settle(struct mb_region *r, const struct mb_opts *o)
{
	struct timespec ts = {
		.tv_sec = o->settle_ms / 1000,
		.tv_nsec = (long)(o->settle_ms % 1000) * 1000000L,
	};

	mb_progress("--settle: rewriting, checking again in %u ms",
		    o->settle_ms);
	mb_fill(r, ~0ULL);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	if (!mb_verify_data(r, NULL, ~0ULL))
		return false;
	mb_err("--settle: the pages changed in the %u ms after the migration and its check: a late write hit them",
	       o->settle_ms);
	return true;
}

static int mb_run(const struct mb_opts *o, size_t page_size)
{
	struct mb_result res = { .moved_pages = -1 };
	struct mb_region r = { .memfd = -1 };
	struct mb_rw rw = { .running = false };
	int ret = MB_EXIT_FAIL;
	bool must;

	mb_progress_on = (unsigned long long)o->pages * page_size >= MB_PROGRESS_BYTES;
	must = o->folio_size_given || o->folio_size != page_size;
	if (mb_batch_copy_setup(o) || mb_thp_setup(o, page_size))
		goto out;
	if (mb_region_setup(&r, o, page_size))
		goto out;

	mb_progress("faulting %lu pages on node %ld", r.npages, o->from);
	mb_fill(&r, 0);
	if (mb_folio_check(&r, must, "before the move", &res.folio_checked))
		goto out;
	if (mb_verify_placement(&r, o->from, "before the move"))
		goto out;

	if (mb_migrate(&r, o, &res, &rw))
		goto out;
	if (!mb_verify(&r, o, &res, &rw) &&
	    !(o->settle_ms && mb_settle(&r, o)))
		ret = MB_EXIT_OK;
	mb_print(&r, o, &res);
out:
	mb_rw_free(&rw);
	mb_region_free(&r);
	mb_knobs_restore();
	return ret;
}

int main(int argc, char **argv)
{
	struct mb_opts opts;
	long ps;
	int ret;

	ps = sysconf(_SC_PAGESIZE);
	if (ps <= 0 || ps % (long)sizeof(uint64_t)) {
		mb_err("cannot determine the page size");
		return MB_EXIT_FAIL;
	}
	ret = mb_parse_args(&opts, argc, argv, (size_t)ps);
	if (ret < 0) {
		mb_usage(stdout);
		return MB_EXIT_OK;
	}
	if (ret)
		return ret;
	if (mb_check_nodes(&opts, (unsigned long long)opts.pages * (size_t)ps))
		return MB_EXIT_FAIL;
	if (mb_driver_is_kernel(opts.driver) && mb_kernel_check(&opts))
		return MB_EXIT_FAIL;
	return mb_run(&opts, (size_t)ps);
}
