// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the memory-offline driver. The region is on node A; migbench
 * finds the memory blocks that hold its pages (/proc/self/pagemap PFNs,
 * /sys/devices/system/memory/block_size_bytes) and offlines each of them
 * that is in ZONE_MOVABLE (write "offline" to memoryN/state): the kernel
 * migrates every page out of the block (reason memory_hotplug) to another
 * node (do_migrate_range() leaves the block's own node out of the target
 * mask unless it is the only one; the nearest node with room wins: the
 * --to node the run expects), while
 * the rw thread, with --rw-thread, keeps reading and writing the region.
 * Then every offlined block is onlined again (online_movable). "seconds"
 * covers the offline writes; moved_pages counts the region pages whose
 * PFN changed, passes the blocks offlined, side_bytes their bytes.
 * Movable memory in the testbed: testbed/run --hotplug (a pc-dimm onlined
 * as movable).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migbench.h"

#define MB_MEMORY	"/sys/devices/system/memory"

/* The memory block size in bytes (block_size_bytes is hex), or 0. */
static unsigned long long mb_block_size(void)
{
	char buf[64], *end;
	unsigned long long v;

	if (mb_knob_read(MB_MEMORY "/block_size_bytes", buf, sizeof(buf)))
		return 0;
	v = strtoull(buf, &end, 16);
	return end == buf ? 0 : v;
}

int mb_offline_check(void)
{
	if (access(MB_MEMORY "/block_size_bytes", R_OK)) {
		mb_err("--driver offline: no %s/block_size_bytes: kernel without CONFIG_MEMORY_HOTPLUG (and CONFIG_MEMORY_HOTREMOVE)",
		       MB_MEMORY);
		return -1;
	}
	return 0;
}

/* Whether online block @blk is in ZONE_MOVABLE (valid_zones says so). */
static bool mb_block_movable(unsigned long long blk)
{
	char path[128], zones[128];

	snprintf(path, sizeof(path), MB_MEMORY "/memory%llu/valid_zones", blk);
	return !mb_knob_read(path, zones, sizeof(zones)) &&
	       !strcmp(zones, "Movable");
}

static int mb_block_set(unsigned long long blk, const char *state)
{
	char path[128];

	snprintf(path, sizeof(path), MB_MEMORY "/memory%llu/state", blk);
	return mb_trigger(path, state);
}

static int mb_cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The blocks of the region's present pages, sorted, with repeats. */
static unsigned long mb_region_blocks(const struct mb_region *r,
				      const uint64_t *pfn, uint64_t *blk,
				      unsigned long long bsize)
{
	unsigned long i, n = 0;

	for (i = 0; i < r->npages; i++)
		if (pfn[i])
			blk[n++] = pfn[i] * r->page_size / bsize;
	qsort(blk, n, sizeof(*blk), mb_cmp_u64);
	return n;
}

/* Drop the repeats of sorted @v[n]; the count left. */
static unsigned long mb_unique(uint64_t *v, unsigned long n)
{
	unsigned long i, k = 0;

	for (i = 0; i < n; i++)
		if (!k || v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

/* Offline the movable blocks of @blk[n]; mark them in @done. */
static int mb_offline_blocks(const uint64_t *blk, unsigned long n, bool *done,
			     struct mb_result *res, unsigned long long bsize)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (!mb_block_movable(blk[i]))
			continue;
		mb_progress("offlining memory block %llu",
			    (unsigned long long)blk[i]);
		if (mb_block_set(blk[i], "offline"))
			return -1;
		done[i] = true;
		res->passes++;
		res->side_bytes += bsize;
	}
	return 0;
}

/* Online again what was offlined; every failure is named. */
static int mb_online_blocks(const uint64_t *blk, unsigned long n,
			    const bool *done)
{
	unsigned long i;
	int ret = 0;

	for (i = 0; i < n; i++)
		if (done[i] && mb_block_set(blk[i], "online_movable"))
			ret = -1;
	return ret;
}

static long mb_pfns_changed(const struct mb_region *r, const uint64_t *a,
			    const uint64_t *b)
{
	unsigned long i;
	long n = 0;

	for (i = 0; i < r->npages; i++)
		n += a[i] != b[i];
	return n;
}

int mb_offline(struct mb_region *r, const struct mb_opts *o,
	       struct mb_result *res, struct mb_rw *rw)
{
	unsigned long long bsize = mb_block_size();
	uint64_t *before, *after, *blk;
	struct mb_timing t;
	unsigned long n;
	bool *done;
	int ret = -1;

	before = calloc(r->npages, sizeof(*before));
	after = calloc(r->npages, sizeof(*after));
	blk = calloc(r->npages, sizeof(*blk));
	done = calloc(r->npages, sizeof(*done));
	if (!before || !after || !blk || !done || !bsize) {
		mb_err(bsize ? "out of memory for the block tables" :
		       "cannot read " MB_MEMORY "/block_size_bytes");
		goto out;
	}
	if (mb_region_pfns(r, before))
		goto out;
	n = mb_unique(blk, mb_region_blocks(r, before, blk, bsize));
	mb_timing_start(&t, res, rw);
	ret = mb_offline_blocks(blk, n, done, res, bsize);
	mb_timing_stop(&t, res);
	if (mb_online_blocks(blk, n, done))
		ret = -1;
	if (ret)
		goto out;
	if (!res->passes) {
		mb_err("--driver offline: none of the %lu memory block(s) holding the region on node %ld is in ZONE_MOVABLE: give the node movable memory (testbed/run --hotplug SIZE; movable_node, or memhp_default_state=online_movable for hot-plugged memory)",
		       n, o->from);
		ret = -1;
		goto out;
	}
	if (!mb_region_pfns(r, after))
		res->moved_pages = mb_pfns_changed(r, before, after);
out:
	free(before);
	free(after);
	free(blk);
	free(done);
	return ret;
}
