// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the migration counters of /proc/vmstat. In Linux 6.12
 * migrate_pages() adds to pgmigrate_success and pgmigrate_fail in base
 * pages (a 2M folio counts 512), to thp_migration_* in PMD-sized folios.
 * They count every migration in the system (compaction, NUMA balancing),
 * not only this process's. The kernel-driven drivers (kdriver.c) read
 * the NUMA balancing, promotion, demotion and compaction counters too.
 */
#define _GNU_SOURCE
#include <string.h>

#include "migbench.h"

/* every counter migbench reads, in the order of the JSON "vmstat" object */
static const struct {
	const char *name;
	size_t off;
} mb_vm_fields[] = {
#define MB_VM(f) { #f, offsetof(struct mb_vmstat, f) }
	MB_VM(pgmigrate_success),
	MB_VM(pgmigrate_fail),
	MB_VM(thp_migration_success),
	MB_VM(thp_migration_fail),
	MB_VM(thp_migration_split),
	MB_VM(numa_hint_faults),
	MB_VM(numa_pages_migrated),
	MB_VM(pgpromote_success),
	MB_VM(pgpromote_candidate),
	MB_VM(pgdemote_kswapd),
	MB_VM(pgdemote_direct),
	MB_VM(pgdemote_khugepaged),
	MB_VM(compact_migrate_scanned),
	MB_VM(compact_isolated),
	MB_VM(compact_stall),
	MB_VM(compact_success),
	MB_VM(compact_daemon_migrate_scanned),
#undef MB_VM
};

static long long *mb_vm_slot(struct mb_vmstat *v, size_t i)
{
	return (long long *)((char *)v + mb_vm_fields[i].off);
}

static long long mb_vm_get(const struct mb_vmstat *v, size_t i)
{
	return *(const long long *)((const char *)v + mb_vm_fields[i].off);
}

/* after - before; -1 when either is absent */
long long mb_vm_delta(long long before, long long after)
{
	if (before < 0 || after < 0)
		return -1;
	return after - before;
}

void mb_vmstat_read(struct mb_vmstat *v)
{
	char name[64], line[128];
	long long val;
	size_t i;
	FILE *f;

	for (i = 0; i < MB_ARRAY_SIZE(mb_vm_fields); i++)
		*mb_vm_slot(v, i) = -1;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld", name, &val) != 2)
			continue;
		for (i = 0; i < MB_ARRAY_SIZE(mb_vm_fields); i++)
			if (!strcmp(name, mb_vm_fields[i].name))
				*mb_vm_slot(v, i) = val;
	}
	fclose(f);
}

/* ,"vmstat":{"NAME":DELTA,...}: every counter, -1 when absent */
void mb_vmstat_print_json(const struct mb_vmstat *a, const struct mb_vmstat *b)
{
	size_t i;

	printf(",\"vmstat\":{");
	for (i = 0; i < MB_ARRAY_SIZE(mb_vm_fields); i++)
		printf("%s\"%s\":%lld", i ? "," : "", mb_vm_fields[i].name,
		       mb_vm_delta(mb_vm_get(a, i), mb_vm_get(b, i)));
	printf("}");
}
