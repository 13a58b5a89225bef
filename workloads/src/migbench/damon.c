// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the DAMON drivers. DAMON (CONFIG_DAMON_SYSFS, _PADDR) watches
 * the physical range that holds the region on node A and applies one
 * DAMOS scheme to it: migrate_cold (damon-cold: the region is left alone,
 * so it has no accesses) or migrate_hot (damon-hot: migbench reads one
 * word of every page, pass after pass), both with target_nid B. DAMON
 * migrates what matches (reason damon) until every folio of the region is
 * on B. "seconds" runs from "on" to that; side_bytes is the scheme's
 * sz_applied (the bytes DAMOS applied the action to), passes the
 * placement queries. kernel.numa_balancing is 0 meanwhile. kdamond 0 is set up from nothing and removed at the
 * end (nr_kdamonds back to 0), also on a fatal signal (knob.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "migbench.h"

#define MB_DAMON	"/sys/kernel/mm/damon/admin"
#define MB_KDAMOND	MB_DAMON "/kdamonds/0"
#define MB_DAMON_CTX	MB_KDAMOND "/contexts/0"
#define MB_DAMON_SCHEME	MB_DAMON_CTX "/schemes/0"
#define MB_DAMON_POLL_S	0.2

int mb_damon_check(void)
{
	char n[32];

	if (access(MB_DAMON "/kdamonds/nr_kdamonds", W_OK)) {
		mb_err("--driver damon-*: no %s/kdamonds/nr_kdamonds: kernel without CONFIG_DAMON_SYSFS and CONFIG_DAMON_PADDR (or not root)",
		       MB_DAMON);
		return -1;
	}
	if (mb_knob_read(MB_DAMON "/kdamonds/nr_kdamonds", n, sizeof(n)) ||
	    strcmp(n, "0")) {
		mb_err("--driver damon-*: %s/kdamonds/nr_kdamonds is %s: another DAMON user is set up; migbench sets up kdamond 0 from nothing (write 0 there when it is off)",
		       MB_DAMON, n);
		return -1;
	}
	return 0;
}

/* Write @value to DAMON file @rel under kdamond 0 (or the admin root). */
static int mb_damon_write(const char *rel, const char *value)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", MB_DAMON, rel);
	return mb_trigger(path, value);
}

static int mb_damon_write_u64(const char *rel, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	return mb_damon_write(rel, buf);
}

/* The physical range [*start, *end) of the region's present pages. */
static int mb_damon_range(const struct mb_region *r, unsigned long long *start,
			  unsigned long long *end)
{
	uint64_t *pfn = calloc(r->npages, sizeof(*pfn)), lo = UINT64_MAX, hi = 0;
	unsigned long i;
	int ret = -1;

	if (!pfn) {
		mb_err("out of memory for the PFN table");
		return -1;
	}
	if (mb_region_pfns(r, pfn))
		goto out;
	for (i = 0; i < r->npages; i++) {
		if (!pfn[i])
			continue;
		lo = pfn[i] < lo ? pfn[i] : lo;
		hi = pfn[i] > hi ? pfn[i] : hi;
	}
	if (lo > hi) {
		mb_err("--driver damon-*: no page of the region is present (pagemap)");
		goto out;
	}
	*start = lo * r->page_size;
	*end = (hi + 1) * r->page_size;
	ret = 0;
out:
	free(pfn);
	return ret;
}

/* kdamond 0: one paddr context over [start, end), one scheme. */
static int mb_damon_setup(const struct mb_opts *o, unsigned long long start,
			  unsigned long long end)
{
	bool hot = o->driver == MB_DRIVER_DAMON_HOT;

	/* saved and restored: nr_kdamonds back to 0 removes all of it */
	if (mb_knob_set(MB_DAMON "/kdamonds/nr_kdamonds", "1") ||
	    mb_damon_write("kdamonds/0/contexts/nr_contexts", "1") ||
	    mb_damon_write("kdamonds/0/contexts/0/operations", "paddr") ||
	    mb_damon_write("kdamonds/0/contexts/0/monitoring_attrs/intervals/sample_us", "5000") ||
	    mb_damon_write("kdamonds/0/contexts/0/monitoring_attrs/intervals/aggr_us", "100000") ||
	    mb_damon_write("kdamonds/0/contexts/0/targets/nr_targets", "1") ||
	    mb_damon_write("kdamonds/0/contexts/0/targets/0/regions/nr_regions", "1") ||
	    mb_damon_write_u64("kdamonds/0/contexts/0/targets/0/regions/0/start", start) ||
	    mb_damon_write_u64("kdamonds/0/contexts/0/targets/0/regions/0/end", end) ||
	    mb_damon_write("kdamonds/0/contexts/0/schemes/nr_schemes", "1"))
		return -1;
	if (mb_damon_write("kdamonds/0/contexts/0/schemes/0/action",
			   hot ? "migrate_hot" : "migrate_cold")) {
		mb_err("--driver %s: DAMOS has no %s action: Linux 6.11 or later",
		       mb_driver_name(o->driver),
		       hot ? "migrate_hot" : "migrate_cold");
		return -1;
	}
	return mb_damon_write_u64("kdamonds/0/contexts/0/schemes/0/target_nid",
				  o->to) ||
	       /* the sysfs ranges start as [0, 0]: nothing would match */
	       mb_damon_write("kdamonds/0/contexts/0/schemes/0/access_pattern/sz/max",
			      "18446744073709551615") ||
	       mb_damon_write("kdamonds/0/contexts/0/schemes/0/access_pattern/age/max",
			      "4294967295") ||
	       mb_damon_write("kdamonds/0/contexts/0/schemes/0/access_pattern/nr_accesses/min",
			      hot ? "1" : "0") ||
	       mb_damon_write("kdamonds/0/contexts/0/schemes/0/access_pattern/nr_accesses/max",
			      hot ? "4294967295" : "0");
}

/* The scheme's sz_applied after an update, or 0. */
static unsigned long long mb_damon_applied(void)
{
	char buf[64];

	if (mb_damon_write("kdamonds/0/state", "update_schemes_stats") ||
	    mb_knob_read(MB_DAMON_SCHEME "/stats/sz_applied", buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 10);
}

/*
 * DAMON clears the accessed bits of the region's PTEs without a TLB flush
 * (x86 ptep_clear_young), so reads through a cached translation set
 * none: a region that fits in the TLB looks idle (under TCG migrate_hot
 * took 168 s for 2048 pages). A protection change flushes the TLB.
 */
static int mb_damon_flush_tlb(const struct mb_region *r)
{
	if (mprotect(r->addr, r->len, PROT_READ) ||
	    mprotect(r->addr, r->len, PROT_READ | PROT_WRITE)) {
		mb_err("mprotect of the region (to flush the TLB) failed: %s",
		       strerror(errno));
		return -1;
	}
	return 0;
}

/* Until every folio is on B or the timeout; the folios left, or -1. */
static long mb_damon_wait(struct mb_region *r, const struct mb_opts *o,
			  struct mb_result *res, double end)
{
	bool hot = o->driver == MB_DRIVER_DAMON_HOT;
	double next = 0;
	long left = -1;

	for (;;) {
		if (hot) {
			if (mb_damon_flush_tlb(r))
				return -1;
			mb_touch(r);
		} else
			usleep(50000);
		if (mb_now() < next)
			continue;
		if (mb_query_folios(r))
			return -1;
		left = (long)mb_folios_off_node(r, o->to);
		res->passes++;
		if (!left || mb_now() > end)
			return left;
		next = mb_now() + MB_DAMON_POLL_S;
	}
}

int mb_damon(struct mb_region *r, const struct mb_opts *o,
	     struct mb_result *res)
{
	unsigned long long start, end;
	struct mb_timing t;
	long left;

	/* no NUMA-hinting fault moves the region under DAMON's feet */
	if (mb_knob_proc("kernel/numa_balancing", "0") ||
	    mb_unbind(r->addr, r->len) || mb_damon_range(r, &start, &end) ||
	    mb_damon_setup(o, start, end))
		return -1;
	mb_progress("DAMON %s over physical [%#llx, %#llx) to node %ld",
		    o->driver == MB_DRIVER_DAMON_HOT ? "migrate_hot" :
		    "migrate_cold", start, end, o->to);
	mb_timing_start(&t, res, NULL);
	if (mb_knob_set(MB_KDAMOND "/state", "on"))
		return -1;
	left = mb_damon_wait(r, o, res, t.t0 + (double)o->timeout);
	mb_timing_stop(&t, res);
	res->side_bytes = mb_damon_applied();
	/* stop here: what DAMOS applied from now on would not be counted */
	if (mb_knob_set(MB_KDAMOND "/state", "off") || left < 0)
		return -1;
	if (left)
		mb_err("--driver %s: after %lu s, %ld of %lu folio(s) are still not on node %ld (DAMOS applied %llu bytes); raise --timeout",
		       mb_driver_name(o->driver), o->timeout, left,
		       r->nfolios, o->to, res->side_bytes);
	return 0;
}
