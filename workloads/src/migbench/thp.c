// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the THP/mTHP controls for one folio size, and the batch-copy
 * knobs of the migscope series.
 *
 * Linux 6.12 (mm/huge_memory.c, mm/shmem.c):
 *   transparent_hugepage/hugepages-<N>kB/enabled         anonymous memory,
 *       orders 2..PMD (16K..2M with 4K pages): always inherit madvise never
 *   transparent_hugepage/hugepages-<N>kB/shmem_enabled   anonymous shmem
 *       (MAP_SHARED|MAP_ANONYMOUS) only, orders 1..PMD:
 *       always inherit within_size advise never
 *   transparent_hugepage/shmem_enabled                   the shm mount (memfd,
 *       SysV shm) and the "inherit" orders of anonymous shmem:
 *       always within_size advise never deny force
 * For one folio size S > 4K migbench writes madvise (anon) or advise (shmem)
 * to S and never to every other size, and maps the region with
 * MADV_HUGEPAGE: only S can be allocated. For shmem the top-level
 * shmem_enabled goes to never first (force would make anonymous shmem use
 * the inherit orders only, deny would forbid all), so that it is restored
 * last. memfd: top-level shmem_enabled = advise (PMD size only).
 *
 * khugepaged and shmem in 6.12: shmem_allowable_huge_orders() returns the
 * shmem orders allowed without intersecting them with the orders asked
 * for, so khugepaged's PMD check passes for an anonymous shmem range with
 * any mTHP order enabled; it then collapses the range into a 2M folio and
 * retracts its page tables (seen in the testbed: whole 2M ranges of a
 * freshly written 128K region unmapped). khugepaged only runs while an
 * anonymous PMD control is on (hugepage_pmd_enabled()), so for shmem and
 * memfd migbench also writes never to transparent_hugepage/enabled and to
 * every hugepages-<N>kB/enabled: khugepaged stops for the run.
 *
 * The batch-copy patches add /sys/kernel/mm/migrate/{batch_copy,
 * batch_max_pages,migrator}.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migbench.h"

#define MB_THP_DIR	"transparent_hugepage"
#define MB_MIGRATE_DIR	"migrate"

static int mb_path(char *buf, size_t len, const char *fmt, const char *a,
		   const char *b)
{
	int n = snprintf(buf, len, fmt, mb_sysfs_mm(), a, b);

	if (n < 0 || (size_t)n >= len) {
		mb_err("sysfs path too long under %s", mb_sysfs_mm());
		return -1;
	}
	return 0;
}

/* @buf = "@a/@b/@c" ("@a/@c" when @b is empty); -1 if it does not fit */
static int mb_join(char *buf, size_t len, const char *a, const char *b,
		   const char *c)
{
	int n = snprintf(buf, len, "%s/%s%s%s", a, b, *b ? "/" : "", c);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* "16K 32K ..." : the sizes that have the control @file */
static void mb_thp_sizes(const char *dir, const char *file, char *buf,
			 size_t len)
{
	unsigned long kb, list[64];
	char path[512], sz[32];
	struct dirent *d;
	size_t used = 0;
	int i, j, n = 0;
	DIR *dh;

	buf[0] = '\0';
	dh = opendir(dir);
	if (!dh)
		return;
	while ((d = readdir(dh)) && n < 64) {
		if (sscanf(d->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		if (!mb_join(path, sizeof(path), dir, d->d_name, file) &&
		    !access(path, F_OK))
			list[n++] = kb;
	}
	closedir(dh);
	for (i = 1; i < n; i++)		/* a handful: insertion sort */
		for (j = i; j > 0 && list[j - 1] > list[j]; j--) {
			kb = list[j];
			list[j] = list[j - 1];
			list[j - 1] = kb;
		}
	for (i = 0; i < n; i++) {
		j = snprintf(buf + used, len - used, "%s%s", i ? " " : "",
			     mb_size_str(list[i] << 10, sz, sizeof(sz)));
		if (j < 0 || (size_t)j >= len - used)
			return;
		used += (size_t)j;
	}
}

/*
 * @file of every hugepages-*kB: @value for @target_kb, never for the others
 * (@target_kb 0: never for all)
 */
static int mb_thp_set_sizes(const char *dir, const char *file,
			    unsigned long target_kb, const char *value)
{
	char path[512];
	struct dirent *d;
	unsigned long kb;
	int ret = -1;
	DIR *dh;

	dh = opendir(dir);
	if (!dh) {
		mb_err("cannot list %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dh))) {
		if (sscanf(d->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		if (mb_join(path, sizeof(path), dir, d->d_name, file) ||
		    access(path, F_OK))
			continue;	/* e.g. 8K has no anonymous control */
		if (mb_knob_set(path, kb == target_kb ? value : "never"))
			goto out;
	}
	ret = 0;
out:
	closedir(dh);
	return ret;
}

/* Every anonymous THP control to never: khugepaged stops (see above). */
static int mb_thp_anon_off(const char *dir)
{
	char path[512];

	if (mb_join(path, sizeof(path), dir, "", "enabled")) {
		mb_err("sysfs path too long: %s", dir);
		return -1;
	}
	return mb_knob_set(path, "never") ||
	       mb_thp_set_sizes(dir, "enabled", 0, "never") ? -1 : 0;
}

int mb_thp_setup(const struct mb_opts *o, size_t page_size)
{
	unsigned long kb = o->folio_size >> 10;
	const char *file, *value;
	char dir[512], path[512], sizes[512], name[64], sz[32];

	if (o->folio_size == page_size)
		return 0;	/* MADV_NOHUGEPAGE does it */
	if (mb_path(dir, sizeof(dir), "%s/%s%s", MB_THP_DIR, ""))
		return -1;
	if (mb_path(path, sizeof(path), "%s/%s/%s", MB_THP_DIR, "shmem_enabled"))
		return -1;
	if (access(dir, F_OK)) {
		mb_err("--folio-size %s: no %s: kernel without CONFIG_TRANSPARENT_HUGEPAGE",
		       mb_size_str(o->folio_size, sz, sizeof(sz)), dir);
		return -1;
	}
	if (o->backing == MB_BACKING_MEMFD)
		return mb_knob_set(path, "advise") || mb_thp_anon_off(dir);
	if (o->backing == MB_BACKING_SHMEM &&
	    (mb_knob_set(path, "never") || mb_thp_anon_off(dir)))
		return -1;

	file = o->backing == MB_BACKING_ANON ? "enabled" : "shmem_enabled";
	value = o->backing == MB_BACKING_ANON ? "madvise" : "advise";
	snprintf(name, sizeof(name), "hugepages-%lukB", kb);
	if (mb_join(path, sizeof(path), dir, name, file) || access(path, F_OK)) {
		mb_thp_sizes(dir, file, sizes, sizeof(sizes));
		mb_err("--folio-size %s --backing %s: this kernel has no %s: its %s folio sizes are: %s",
		       mb_size_str(o->folio_size, sz, sizeof(sz)),
		       mb_backing_name(o->backing), path,
		       o->backing == MB_BACKING_ANON ? "anonymous" : "shmem",
		       sizes[0] ? sizes : "none");
		return -1;
	}
	return mb_thp_set_sizes(dir, file, kb, value);
}

int mb_batch_copy_setup(const struct mb_opts *o)
{
	char path[512], now[64];

	if (o->batch_copy < 0)
		return 0;
	if (mb_path(path, sizeof(path), "%s/%s/%s", MB_MIGRATE_DIR, "batch_copy"))
		return -1;
	if (access(path, F_OK)) {
		mb_err("--batch-copy %d: no %s: " MB_NO_BATCH_COPY,
		       o->batch_copy, path);
		return -1;
	}
	if (mb_knob_set(path, o->batch_copy ? "1" : "0"))
		return -1;
	if (mb_knob_read(path, now, sizeof(now)) ||
	    strtol(now, NULL, 10) != o->batch_copy) {
		mb_err("--batch-copy %d: %s reads '%s' after the write",
		       o->batch_copy, path, now);
		return -1;
	}
	return 0;
}

static long mb_read_long(const char *name)
{
	char path[512], buf[64], *end;
	long v;

	if (mb_path(path, sizeof(path), "%s/%s/%s", MB_MIGRATE_DIR, name) ||
	    mb_knob_read(path, buf, sizeof(buf)))
		return -1;
	v = strtol(buf, &end, 10);
	return end == buf ? -1 : v;
}

void mb_copy_state_read(struct mb_copy_state *cs)
{
	char path[512];

	cs->batch_copy = mb_read_long("batch_copy");
	cs->batch_max_pages = mb_read_long("batch_max_pages");
	if (mb_path(path, sizeof(path), "%s/%s/%s", MB_MIGRATE_DIR, "migrator") ||
	    mb_knob_read(path, cs->migrator, sizeof(cs->migrator)))
		cs->migrator[0] = '\0';
}
