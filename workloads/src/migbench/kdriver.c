// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the kernel-driven drivers. Here the kernel decides to migrate;
 * migbench sets the knobs, provokes it and waits until every folio of the
 * region is where the kernel should have put it:
 *
 *   numa-fault  kernel.numa_balancing = 1; the region's MPOL_BIND is
 *               dropped and migbench reads one word of every page from
 *               node B's CPUs, pass after pass: NUMA-hinting faults move
 *               the folios to B (reason numa_misplaced);
 *   promote     kernel.numa_balancing = 2 (memory tiering): the same from a
 *               slow-tier node A to a top-tier node B (reason
 *               numa_misplaced; vmstat pgpromote_success);
 *   demote      /sys/kernel/mm/numa/demotion_enabled = 1: migbench faults
 *               in "pressure" memory bound to A, 8 MiB at a time, until
 *               reclaim on A has demoted the region (older and unused) to
 *               B (reason demotion; pgdemote_kswapd, pgdemote_direct);
 *   compact     a "filler" bound to A is faulted in and every other page of
 *               it freed, then A is compacted (reason compaction). The
 *               region stays on A; moved_pages counts its pages whose PFN
 *               changed.
 *
 * "seconds" runs from the trigger to the end (every folio on B; the
 * compaction write returned, or proactive compaction went quiet); the
 * vmstat counters are read around it. Every knob changed is restored at
 * exit (knob.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "migbench.h"

#define MB_POLL_S		0.2	/* placement queries at most this often */
#define MB_PRESSURE_STEP	(8ULL << 20)
#define MB_FILLER_DEFAULT	(256ULL << 20)	/* MemFree unknown */
#define MB_QUIET_S		2.0	/* proactive: no migration for this long */
#define MB_MEMTIER		"/sys/devices/virtual/memory_tiering"

static volatile uint64_t mb_sink;	/* keeps the reads of mb_touch */

bool mb_driver_is_kernel(enum mb_driver d)
{
	return d >= MB_DRIVER_KERNEL;
}

/* ---- checks before the run ------------------------------------------------- */

/*
 * The memory tier of @node: N of the memory_tierN that lists it (N is the
 * abstract distance divided by the tier chunk, so it grows with the
 * distance: 4 for DRAM), or -1.
 */
static int mb_node_tier(long node)
{
	char path[512], list[256];
	bool nodes[MB_MAX_NODES];
	struct dirent *e;
	int tier = -1, t;
	DIR *d;

	d = opendir(MB_MEMTIER);
	if (!d)
		return -1;
	while (tier < 0 && (e = readdir(d))) {
		if (sscanf(e->d_name, "memory_tier%d", &t) != 1)
			continue;
		snprintf(path, sizeof(path), MB_MEMTIER "/%s/nodelist",
			 e->d_name);
		if (!mb_knob_read(path, list, sizeof(list)) &&
		    !mb_nodelist_parse(list, nodes) && nodes[node])
			tier = t;
	}
	closedir(d);
	return tier;
}

/* promote: A below B; demote: A above B. */
static int mb_check_tiers(const struct mb_opts *o)
{
	bool promote = o->driver == MB_DRIVER_PROMOTE;
	int ta = mb_node_tier(o->from), tb = mb_node_tier(o->to);

	if (ta < 0 || tb < 0) {
		mb_err("--driver %s: cannot find the memory tiers of nodes %ld and %ld in %s (kernel without CONFIG_NUMA and sysfs?)",
		       mb_driver_name(o->driver), o->from, o->to, MB_MEMTIER);
		return -1;
	}
	if (promote ? ta > tb : ta < tb)
		return 0;
	mb_err("--driver %s: node %ld is in memory_tier%d and node %ld in memory_tier%d: %s needs node %ld in a %s tier than node %ld; give the slow node a larger distance (qemu HMAT: testbed/run --hmat; a CXL or dax/kmem node)",
	       mb_driver_name(o->driver), o->from, ta, o->to, tb,
	       promote ? "promotion" : "demotion", o->from,
	       promote ? "lower (slower)" : "higher (faster)", o->to);
	return -1;
}

/* The checks that need the running system; the options are checked. */
int mb_kernel_check(const struct mb_opts *o)
{
	char cpus[256];

	switch (o->driver) {
	case MB_DRIVER_NUMA_FAULT:
	case MB_DRIVER_PROMOTE:
		if (mb_node_cpus(o->to, cpus, sizeof(cpus))) {
			mb_err("--driver %s: node %ld has no CPUs: NUMA balancing moves a folio to the node of the CPU that touches it, so --to must be a node with CPUs",
			       mb_driver_name(o->driver), o->to);
			return -1;
		}
		return o->driver == MB_DRIVER_PROMOTE ? mb_check_tiers(o) : 0;
	case MB_DRIVER_DEMOTE:
		return mb_check_tiers(o);
	case MB_DRIVER_OFFLINE:
		return mb_offline_check();
	case MB_DRIVER_DAMON_COLD:
	case MB_DRIVER_DAMON_HOT:
		return mb_damon_check();
	default:
		return 0;
	}
}

/* ---- helpers --------------------------------------------------------------- */

int mb_knob_proc(const char *rel, const char *value)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", mb_proc_sys(), rel);
	return mb_knob_set(path, value);
}

/* Run on the CPUs of @node (a sysfs list, parsed like a node list). */
static int mb_run_on_node(long node)
{
	bool cpus[MB_MAX_NODES];
	char list[256];
	cpu_set_t set;
	int i;

	if (mb_node_cpus(node, list, sizeof(list)) ||
	    mb_nodelist_parse(list, cpus)) {
		mb_err("cannot read the CPUs of node %ld ('%s')", node, list);
		return -1;
	}
	CPU_ZERO(&set);
	for (i = 0; i < MB_MAX_NODES && i < CPU_SETSIZE; i++)
		if (cpus[i])
			CPU_SET(i, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		mb_err("sched_setaffinity(CPUs %s of node %ld) failed: %s", list,
		       node, strerror(errno));
		return -1;
	}
	return 0;
}

/* Read one word of every page: a NUMA-hinting fault where one is armed. */
void mb_touch(const struct mb_region *r)
{
	uint64_t sum = 0;
	unsigned long i;

	for (i = 0; i < r->npages; i++)
		sum += *(volatile const uint64_t *)(r->addr + i * r->page_size);
	mb_sink = sum;
}

/* Folios not on @to, or -1 when the query failed. */
static long mb_left(struct mb_region *r, long to)
{
	if (mb_query_folios(r))
		return -1;
	return (long)mb_folios_off_node(r, to);
}

static void mb_timeout_msg(const struct mb_opts *o, const struct mb_region *r,
			   long left, const char *what)
{
	mb_err("--driver %s: after %lu s, %ld of %lu folio(s) are still not on node %ld (%s); raise --timeout, or see the vmstat deltas in the output",
	       mb_driver_name(o->driver), o->timeout, left, r->nfolios, o->to,
	       what);
}

/* ---- numa-fault, promote --------------------------------------------------- */

static int mb_hint_faults(struct mb_region *r, const struct mb_opts *o,
			  struct mb_result *res)
{
	const char *mode = o->driver == MB_DRIVER_PROMOTE ? "2" : "1";
	double next = 0, end;
	struct mb_timing t;
	long left = -1;

	if (mb_unbind(r->addr, r->len) || mb_run_on_node(o->to))
		return -1;
	mb_timing_start(&t, res, NULL);
	if (mb_knob_proc("kernel/numa_balancing", mode))
		return -1;
	end = t.t0 + (double)o->timeout;
	for (;;) {
		mb_touch(r);
		res->passes++;
		if (mb_now() < next)
			continue;
		left = mb_left(r, o->to);
		if (left <= 0 || mb_now() > end)
			break;
		next = mb_now() + MB_POLL_S;
	}
	mb_timing_stop(&t, res);
	if (left < 0)
		return -1;
	if (mb_knob_proc("kernel/numa_balancing", "0"))
		return -1;
	if (left)
		mb_timeout_msg(o, r, left, o->driver == MB_DRIVER_PROMOTE ?
			       "not promoted" : "no NUMA-hinting fault moved them");
	return 0;
}

/* ---- demote ---------------------------------------------------------------- */

static unsigned char *mb_map_bound(size_t len, long node, const char *what)
{
	unsigned char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		mb_err("mmap of %zu bytes (%s) failed: %s", len, what,
		       strerror(errno));
		return NULL;
	}
	madvise(p, len, MADV_NOHUGEPAGE);	/* base pages: no THP */
	if (mb_bind(p, len, node)) {
		munmap(p, len);
		return NULL;
	}
	return p;
}

/* The most pressure to map: twice node A's memory, at least 64 MiB. */
static size_t mb_pressure_max(long node)
{
	long long kb = mb_node_meminfo_kb(node, "MemTotal");

	if (kb <= 0)
		return 1ULL << 30;
	return (size_t)kb * 2048 > (64ULL << 20) ? (size_t)kb * 2048 : 64ULL << 20;
}

static int mb_demote(struct mb_region *r, const struct mb_opts *o,
		     struct mb_result *res)
{
	size_t max = mb_pressure_max(o->from), done = 0, step;
	char knob[512];
	struct mb_timing t;
	unsigned char *p;
	double end;
	long left;
	int ret = -1;

	p = mb_map_bound(max, o->from, "demotion pressure");
	if (!p)
		return -1;
	if (mb_knob_proc("kernel/numa_balancing", "0"))
		goto out;
	snprintf(knob, sizeof(knob), "%s/numa/demotion_enabled", mb_sysfs_mm());
	if (mb_knob_set(knob, "1"))
		goto out;
	mb_timing_start(&t, res, NULL);
	end = t.t0 + (double)o->timeout;
	for (;;) {
		left = mb_left(r, o->to);
		if (left <= 0 || mb_now() > end)
			break;
		if (done < max) {
			step = max - done < MB_PRESSURE_STEP ? max - done :
							      MB_PRESSURE_STEP;
			memset(p + done, 0x5a, step);
			done += step;
			res->passes++;
		} else {
			usleep(100000);	/* all mapped: let kswapd go on */
		}
	}
	mb_timing_stop(&t, res);
	res->side_bytes = done;
	if (left < 0)
		goto out;
	if (left)
		mb_timeout_msg(o, r, left, "not demoted");
	ret = 0;
out:
	munmap(p, max);
	return ret;
}

/* ---- compact --------------------------------------------------------------- */

/*
 * The filler: three quarters of node A's free memory, or --filler. Page
 * allocations come from the top of a zone first, where compaction's free
 * scanner starts: a filler that spans only the top leaves the migration
 * scanner (from the bottom) little to move. One that spans most of the
 * zone leaves pages to move below the point where the scanners meet.
 */
static size_t mb_filler_size(const struct mb_opts *o, size_t page_size)
{
	long long kb = mb_node_meminfo_kb(o->from, "MemFree");
	size_t len = o->filler;

	if (!len)
		len = kb > 0 ? (size_t)kb * 768 : MB_FILLER_DEFAULT;
	return len / (2 * page_size) * 2 * page_size;
}

/* Fault the filler in, then free every other page of it: free holes. */
static unsigned char *mb_fragment(const struct mb_opts *o, size_t len,
				  size_t page_size)
{
	unsigned char *p;
	size_t off;

	p = mb_map_bound(len, o->from, "compaction filler");
	if (!p)
		return NULL;
	memset(p, 0xa5, len);
	for (off = page_size; off < len; off += 2 * page_size) {
		if (madvise(p + off, page_size, MADV_DONTNEED)) {
			mb_err("madvise(MADV_DONTNEED) of the filler failed: %s (kernel without CONFIG_ADVISE_SYSCALLS?)",
			       strerror(errno));
			munmap(p, len);
			return NULL;
		}
	}
	return p;
}

/* Proactive compaction: wait until it migrated and then went quiet. */
static int mb_compact_proactive(double end)
{
	long long last = -1, now;
	struct mb_vmstat v;
	double quiet = 0;

	if (mb_knob_proc("vm/compaction_proactiveness", "100"))
		return -1;
	while (mb_now() < end) {
		usleep(100000);
		mb_vmstat_read(&v);
		now = v.pgmigrate_success;
		if (now != last) {
			last = now;
			quiet = mb_now() + MB_QUIET_S;
		} else if (quiet && mb_now() > quiet) {
			break;
		}
	}
	return 0;	/* the knob is restored at exit */
}

static int mb_compact_trigger(const struct mb_opts *o, double end)
{
	char path[512];

	switch (o->compact) {
	case MB_COMPACT_ALL:
		snprintf(path, sizeof(path), "%s/vm/compact_memory",
			 mb_proc_sys());
		return mb_trigger(path, "1");
	case MB_COMPACT_PROACTIVE:
		return mb_compact_proactive(end);
	case MB_COMPACT_NODE:
	default:
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%ld/compact",
			 o->from);
		return mb_trigger(path, "1");
	}
}

static long mb_pfns_moved(const struct mb_region *r, const uint64_t *a,
			  const uint64_t *b)
{
	unsigned long i;
	long n = 0;

	for (i = 0; i < r->npages; i++)
		if (a[i] != b[i])
			n++;
	return n;
}

static int mb_compact(struct mb_region *r, const struct mb_opts *o,
		      struct mb_result *res)
{
	size_t len = mb_filler_size(o, r->page_size);
	uint64_t *before = NULL, *after = NULL;
	unsigned char *filler = NULL;
	struct mb_timing t;
	int ret = -1, trig;

	res->moved_pages = -1;
	before = calloc(r->npages, sizeof(*before));
	after = calloc(r->npages, sizeof(*after));
	if (!before || !after) {
		mb_err("cannot allocate the PFN tables for %lu pages", r->npages);
		goto out;
	}
	if (len && !(filler = mb_fragment(o, len, r->page_size)))
		goto out;
	res->side_bytes = len;
	if (mb_knob_proc("kernel/numa_balancing", "0"))
		goto out;
	trig = mb_region_pfns(r, before);
	mb_timing_start(&t, res, NULL);
	ret = mb_compact_trigger(o, t.t0 + (double)o->timeout);
	mb_timing_stop(&t, res);
	if (!ret && !trig && !mb_region_pfns(r, after))
		res->moved_pages = mb_pfns_moved(r, before, after);
out:
	if (filler)
		munmap(filler, len);
	free(before);
	free(after);
	return ret;
}

/* ---- the driver ------------------------------------------------------------ */

/*
 * The last pages faulted in still sit in the per-CPU LRU add batch of the
 * CPU that wrote them; neither a NUMA-hinting fault nor reclaim can
 * isolate a folio that is not on an LRU list, and nothing drains that
 * batch while that CPU idles (measured: 15 of 2048 folios stayed behind
 * for 300 s). mbind(MPOL_MF_MOVE) onto the node the region is on drains
 * every CPU's batch (lru_cache_disable()) and moves nothing.
 */
static int mb_drain_lru(struct mb_region *r, long node)
{
	if (mb_mbind_node(r->addr, r->len, node, MB_MPOL_MF_MOVE)) {
		mb_err("mbind(MPOL_BIND, node %ld, MPOL_MF_MOVE) to drain the LRU add batches failed: %s (%s)",
		       node, strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	return 0;
}

int mb_kernel_all(struct mb_region *r, const struct mb_opts *o,
		  struct mb_result *res, struct mb_rw *rw)
{
	int ret;

	if (mb_drain_lru(r, o->from))
		return -1;

	switch (o->driver) {
	case MB_DRIVER_DEMOTE:
		ret = mb_demote(r, o, res);
		break;
	case MB_DRIVER_COMPACT:
		ret = mb_compact(r, o, res);
		break;
	case MB_DRIVER_OFFLINE:
		ret = mb_offline(r, o, res, rw);
		break;
	case MB_DRIVER_DAMON_COLD:
	case MB_DRIVER_DAMON_HOT:
		ret = mb_damon(r, o, res);
		break;
	default:
		ret = mb_hint_faults(r, o, res);
		break;
	}
	if (!ret && mb_query_folios(r))
		ret = -1;
	return ret;
}
