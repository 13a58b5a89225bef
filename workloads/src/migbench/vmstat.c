// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the migration counters of /proc/vmstat. In Linux 6.12
 * migrate_pages() adds to pgmigrate_success and pgmigrate_fail in base
 * pages (a 2M folio counts 512), to thp_migration_* in PMD-sized folios.
 * They count every migration in the system (compaction, NUMA balancing),
 * not only this process's.
 */
#define _GNU_SOURCE
#include <string.h>

#include "migbench.h"

void mb_vmstat_read(struct mb_vmstat *v)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "pgmigrate_success", offsetof(struct mb_vmstat, pgmigrate_success) },
		{ "pgmigrate_fail", offsetof(struct mb_vmstat, pgmigrate_fail) },
		{ "thp_migration_success", offsetof(struct mb_vmstat, thp_migration_success) },
		{ "thp_migration_fail", offsetof(struct mb_vmstat, thp_migration_fail) },
		{ "thp_migration_split", offsetof(struct mb_vmstat, thp_migration_split) },
	};
	char name[64], line[128];
	long long val;
	size_t i;
	FILE *f;

	for (i = 0; i < MB_ARRAY_SIZE(fields); i++)
		*(long long *)((char *)v + fields[i].off) = -1;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld", name, &val) != 2)
			continue;
		for (i = 0; i < MB_ARRAY_SIZE(fields); i++)
			if (!strcmp(name, fields[i].name))
				*(long long *)((char *)v + fields[i].off) = val;
	}
	fclose(f);
}
