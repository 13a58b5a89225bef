// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the timed call, one per --driver.
 *
 *   move_pages     move_pages(2) with the first page of every folio;
 *   mbind          mbind(MPOL_BIND, {B}, MPOL_MF_MOVE [| MPOL_MF_STRICT])
 *                  over the region;
 *   migrate_pages  migrate_pages(2) of this process from {A} to {B}: every
 *                  page of the process on A moves, not only the region.
 *
 * Every driver is timed the same way: the /proc/vmstat counters are read
 * just outside the timed section, CLOCK_MONOTONIC is read right around
 * the system call, and the rw thread's page count is sampled with it. What
 * the call could not move ends up in res->not_migrated, and r->folio_status
 * holds every folio's node afterwards (mb_move_check counts the failures).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "migbench.h"

static unsigned long mb_touches(const struct mb_rw *rw)
{
	if (!rw)
		return 0;
	return atomic_load_explicit(&rw->touches, memory_order_relaxed);
}

/* CLOCK_MONOTONIC in seconds */
double mb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void mb_timing_start(struct mb_timing *t, struct mb_result *res,
		     struct mb_rw *rw)
{
	t->rw = rw;
	mb_vmstat_read(&res->vm_before);
	t->touches0 = mb_touches(rw);
	t->t0 = mb_now();
}

/* Keeps errno: the caller reads the system call's errno after this. */
void mb_timing_stop(const struct mb_timing *t, struct mb_result *res)
{
	int err = errno;
	double t1 = mb_now();

	res->rw.touches_during = mb_touches(t->rw) - t->touches0;
	mb_vmstat_read(&res->vm_after);
	res->seconds = t1 - t->t0;
	res->calls = 1;
	errno = err;
}

/* ---- move_pages ------------------------------------------------------------ */

/*
 * One move_pages(2) call with the first page of every folio. When the
 * kernel left folios unmigrated, their placement is queried (see
 * mb_move_retry).
 */
int mb_move_all(struct mb_region *r, long to, struct mb_result *res,
		struct mb_rw *rw)
{
	struct mb_timing t;
	unsigned long i;
	long ret;

	for (i = 0; i < r->nfolios; i++) {
		r->folio_nodes[i] = (int)to;
		r->folio_status[i] = INT_MIN;
	}
	mb_timing_start(&t, res, rw);
	ret = mb_move_pages(r->nfolios, r->folio_addrs, r->folio_nodes,
			    r->folio_status, MB_MPOL_MF_MOVE);
	mb_timing_stop(&t, res);
	if (ret < 0) {
		mb_err("move_pages(%lu folios -> node %ld) failed: %s (%s)",
		       r->nfolios, to, strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	if (ret > 0) {
		res->not_migrated = (unsigned long)ret;
		mb_err("note: move_pages returned %ld: the kernel did not migrate %ld folio(s) (migrate_pages gives up on a folio whose references do not settle within its retries, as under concurrent access) and stored no status for their batch; asking where every folio is",
		       ret, ret);
		return mb_query_folios(r);
	}
	return 0;
}

/* ---- mbind ----------------------------------------------------------------- */

static void mb_mbind_note(const struct mb_region *r, long to, bool strict,
			  const struct mb_result *res)
{
	unsigned long n = res->not_migrated;

	if (res->eio && n)
		mb_err("note: mbind(MPOL_MF_MOVE | MPOL_MF_STRICT) failed with EIO: %lu of %lu folio(s) could not be moved and are not on node %ld",
		       n, r->nfolios, to);
	else if (res->eio)
		mb_err("note: mbind(MPOL_MF_MOVE | MPOL_MF_STRICT) failed with EIO, yet every folio is on node %ld",
		       to);
	else if (n && strict)
		mb_err("note: mbind(MPOL_MF_MOVE | MPOL_MF_STRICT) returned 0, yet %lu of %lu folio(s) are not on node %ld",
		       n, r->nfolios, to);
	else if (n)
		mb_err("note: mbind(MPOL_MF_MOVE) returned 0 and left %lu of %lu folio(s) off node %ld (without --strict it does not report the folios it could not move)",
		       n, r->nfolios, to);
}

/*
 * One mbind(MPOL_BIND, {to}, MPOL_MF_MOVE) call over the region, with
 * MPOL_MF_STRICT for --strict: Linux 6.12 then fails with EIO when it
 * could not move some folio, which is a result here, not an error. mbind
 * returns no count either way: res->not_migrated is the number of folios
 * found off @to afterwards.
 */
int mb_mbind_all(struct mb_region *r, long to, bool strict,
		 struct mb_result *res, struct mb_rw *rw)
{
	int flags = MB_MPOL_MF_MOVE | (strict ? MB_MPOL_MF_STRICT : 0);
	struct mb_timing t;
	long ret;

	mb_timing_start(&t, res, rw);
	ret = mb_mbind_node(r->addr, r->len, to, flags);
	mb_timing_stop(&t, res);
	if (ret && !(strict && errno == EIO)) {
		mb_err("mbind(MPOL_BIND, node %ld, MPOL_MF_MOVE%s) of %zu bytes failed: %s (%s)",
		       to, strict ? " | MPOL_MF_STRICT" : "", r->len,
		       strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	res->eio = ret != 0;
	if (mb_query_folios(r))
		return -1;
	res->not_migrated = mb_folios_off_node(r, to);
	mb_mbind_note(r, to, strict, res);
	return 0;
}

/* ---- migrate_pages --------------------------------------------------------- */

/*
 * One migrate_pages(2) call for this process from {from} to {to}. It moves
 * every page of the process on @from (stack, heap, the binary's pages), so
 * the vmstat deltas count more than the region. Its return value, kept in
 * res->not_migrated, is what it could not move; the man page says pages,
 * Linux 6.12 counts folios (queue_pages_range() and migrate_pages() both
 * count folios), of the whole process.
 */
int mb_migrate_all(struct mb_region *r, long from, long to,
		   struct mb_result *res, struct mb_rw *rw)
{
	struct mb_timing t;
	long ret;

	mb_timing_start(&t, res, rw);
	ret = mb_migrate_self(from, to);
	mb_timing_stop(&t, res);
	if (ret < 0) {
		mb_err("migrate_pages(pid 0, node %ld -> node %ld) failed: %s (%s)",
		       from, to, strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	res->not_migrated = (unsigned long)ret;
	if (mb_query_folios(r))
		return -1;
	if (ret > 0)
		mb_err("note: migrate_pages returned %ld: it could not move %ld folio(s) of the process (it moves every page of the process on node %ld, not only the region); %lu of the region's %lu folio(s) are not on node %ld",
		       ret, ret, from, mb_folios_off_node(r, to), r->nfolios,
		       to);
	return 0;
}
