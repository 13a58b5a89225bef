// SPDX-License-Identifier: GPL-2.0
/* migbench: command line and --help */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "migbench.h"

void mb_usage(FILE *f)
{
	fprintf(f,
"usage: " MB_NAME " (--pages N | --size SIZE | --folios N) --from A --to B\n"
"                [--folio-size SIZE] [--backing anon|shmem|memfd] [--rw-thread]\n"
"                [--batch-copy 0|1] [--retry N] [--hold-refs N] [--settle MS]\n"
"                [--json]\n"
"                [--driver move_pages|mbind|migrate_pages] [--strict]\n"
"       " MB_NAME " (--pages N | ...) --from A [--to B] [--folio-size SIZE] ...\n"
"                --driver numa-fault|promote|demote|compact|offline|\n"
"                         damon-cold|damon-hot\n"
"                [--timeout SEC]\n"
"                [--compact node|all|proactive] [--filler SIZE]\n"
"\n"
"Map memory made of folios of one size, bind it to node A (mbind\n"
"MPOL_BIND), fault it in with a pattern that depends on page index and\n"
"offset, check that every folio has the asked size and every page is on A,\n"
"then time ONE migration system call (CLOCK_MONOTONIC around the system\n"
"call only) that moves every folio to node B: move_pages(2) by default,\n"
"mbind(2) or migrate_pages(2) with --driver; then check that every page is\n"
"on B, every folio still has its size and every byte is intact.\n"
"\n"
"  --pages N          number of base pages to migrate\n"
"  --size SIZE        bytes to migrate (e.g. 1G, 64M): a multiple of the\n"
"                     folio size; K, M, G suffixes are powers of 1024\n"
"  --folios N         number of folios to migrate\n"
"  --from A           source node (must have memory)\n"
"  --to B             destination node (must have memory; A == B measures\n"
"                     the system call without moving anything)\n"
"  --folio-size SIZE  4K (default: base pages), 16K, 32K, 64K, 128K, 256K,\n"
"                     512K, 1M or 2M: a power of two up to the PMD size.\n"
"                     Above the base page size migbench writes the THP\n"
"                     controls so that this size, and only this size, is\n"
"                     allocated (hugepages-<N>kB/enabled = madvise for anon,\n"
"                     hugepages-<N>kB/shmem_enabled = advise for shmem, every\n"
"                     other size never), maps a region aligned to the folio\n"
"                     size with MADV_HUGEPAGE, and restores every control it\n"
"                     changed at exit, also on errors and on SIGINT/SIGTERM.\n"
"                     Sizes are checked page by page with /proc/self/pagemap\n"
"                     and /proc/kpageflags (needs root); any other size is an\n"
"                     error that lists the sizes the kernel gave. The pages\n"
"                     handed to move_pages(2) are the first page of each\n"
"                     folio (a folio's other pages would be refused with\n"
"                     -EBUSY while the folio is isolated).\n"
"  --backing KIND     anon (default): private anonymous memory;\n"
"                     shmem: MAP_SHARED|MAP_ANONYMOUS, the only shmem whose\n"
"                     folio sizes follow the per-size shmem_enabled controls\n"
"                     in Linux 6.12; memfd: a memfd_create() file, which only\n"
"                     takes the base page size or the PMD size (2M, through\n"
"                     transparent_hugepage/shmem_enabled = advise)\n"
"  --rw-thread        run a thread that reads, checks and rewrites one word\n"
"                     of every page, pass after pass, from before the\n"
"                     move_pages(2) call until it returns; what it reads must\n"
"                     be what it wrote last (or the pattern), and the final\n"
"                     contents check accounts for its writes\n"
"  --batch-copy 0|1   write /sys/kernel/mm/migrate/batch_copy for the run\n"
"                     (0: legacy per-folio copy, 1: batch copy) and restore it\n"
"                     at exit; an error on a kernel without the batch-copy\n"
"                     patches\n"
"  --driver CALL      the timed call (default move_pages):\n"
"                     move_pages: move_pages(2) with the first page of\n"
"                     every folio, node B for each;\n"
"                     mbind: mbind(2) of the region, MPOL_BIND to {B} with\n"
"                     MPOL_MF_MOVE (folios it cannot move stay on A and\n"
"                     are not reported by the call);\n"
"                     migrate_pages: migrate_pages(2) of migbench itself\n"
"                     (pid 0) from {A} to {B}. It moves EVERY page of the\n"
"                     process on A (stack, heap, the binary), not only the\n"
"                     region: the pgmigrate deltas count those too.\n"
"                     The kernel-driven drivers (no migration system call:\n"
"                     migbench sets the knobs, provokes the kernel and\n"
"                     waits at most --timeout until every folio is on B;\n"
"                     seconds = from the trigger to then):\n"
"                     numa-fault: kernel.numa_balancing=1, the region's\n"
"                     MPOL_BIND dropped, migbench reads every page from\n"
"                     node B's CPUs until NUMA-hinting faults moved it\n"
"                     (B needs CPUs);\n"
"                     promote: the same with kernel.numa_balancing=2\n"
"                     (memory tiering) from a slow-tier node A to a\n"
"                     top-tier node B (see memory_tiering in sysfs);\n"
"                     demote: /sys/kernel/mm/numa/demotion_enabled=1;\n"
"                     migbench faults in memory bound to A, 8 MiB at a\n"
"                     time (at most twice A's MemTotal), until reclaim\n"
"                     demoted the unused region to B (B in a lower tier);\n"
"                     compact: fragments A (a filler bound to A is faulted\n"
"                     in and every other page of it freed), then compacts\n"
"                     it (--compact); --to is A, the region is not\n"
"                     required to move (moved_pages counts what did);\n"
"                     offline: offlines every memory block holding the\n"
"                     region that is in ZONE_MOVABLE (memoryN/state),\n"
"                     which migrates its pages (reason memory_hotplug) to\n"
"                     another node: Linux 6.12 excludes the block's own\n"
"                     node and takes the nearest one with room, B; then\n"
"                     onlines the blocks again; --rw-thread keeps the\n"
"                     region busy meanwhile;\n"
"                     damon-cold, damon-hot: DAMON (sysfs, paddr) watches\n"
"                     the physical range of the region and applies the\n"
"                     DAMOS action migrate_cold (the region is left idle)\n"
"                     or migrate_hot (migbench reads every page, pass\n"
"                     after pass) with target_nid B (reason damon; Linux\n"
"                     6.11 or later); kdamond 0 is removed at the end.\n"
"                     Knobs are written back at exit\n"
"  --timeout SEC      (kernel-driven drivers) wait at most SEC seconds for\n"
"                     the kernel (default 300); a folio not on B by then\n"
"                     is a failure\n"
"  --compact HOW      (--driver compact) node (default): write 1 to\n"
"                     /sys/devices/system/node/nodeA/compact; all:\n"
"                     /proc/sys/vm/compact_memory; proactive:\n"
"                     vm.compaction_proactiveness=100, then wait until\n"
"                     kcompactd migrated and went quiet for 2 s\n"
"  --filler SIZE      (--driver compact) the fragmenting filler (default:\n"
"                     three quarters of A's free memory, so that it spans\n"
"                     most of the node and compaction has pages to move)\n"
"  --strict           (--driver mbind) add MPOL_MF_STRICT: Linux 6.12 then\n"
"                     fails with EIO when some folio could not be moved;\n"
"                     migbench reports it (\"eio\":true) and counts the\n"
"                     folios not on B, not as a system error\n"
"  --retry N          (--driver move_pages) when the timed call leaves folios\n"
"                     unmigrated (move_pages returns N > 0: the kernel gave\n"
"                     up on them, as it may under concurrent access), move\n"
"                     those again, untimed, up to N more calls (0..100,\n"
"                     default 0: none)\n"
"  --hold-refs N      (tests) hold a reference to the first page of the first\n"
"                     N folios (1..16) during the timed call, through\n"
"                     vmsplice(2) into a pipe, so that the kernel cannot\n"
"                     migrate them (move_pages returns N, mbind --strict\n"
"                     fails with EIO, migrate_pages counts them); dropped\n"
"                     before any --retry call\n"
"  --settle MS        (tests) after the move and its check, write the\n"
"                     complement of the pattern over every page, wait MS\n"
"                     milliseconds (1..600000) and check every byte again:\n"
"                     a write into the old or new folios that lands after\n"
"                     the migration returned (a DMA engine completing\n"
"                     late) fails the run\n"
"  --json             print the result as one JSON object:\n"
"                     {\"tool\":\"migbench\",\"pages\":N,\"page_size\":P,\n"
"                      \"bytes\":N*P,\"folio_size\":S,\"folios\":F,\n"
"                      \"backing\":\"anon\",\"folio_check\":\"ok\",\n"
"                      \"from_node\":A,\"to_node\":B,\n"
"                      \"driver\":\"move_pages\",\"strict\":false,\"eio\":false,\n"
"                      \"seconds\":S,\"gbps\":G,\n"
"                      \"failures\":F,\"calls\":1,\"not_migrated\":N,\n"
"                      \"retries\":R,\"retried_folios\":N,\n"
"                      \"pgmigrate_success\":D,\"pgmigrate_fail\":D,\n"
"                      \"thp_migration_success\":D,\"thp_migration_fail\":D,\n"
"                      \"thp_migration_split\":D,\n"
"                      \"batch_copy\":M,\"batch_max_pages\":N,\"migrator\":\"kernel\",\n"
"                      \"rw_thread\":true,\"rw_passes\":N,\"rw_touches\":N,\n"
"                      \"rw_touches_during\":N,\"rw_mismatches\":N,\n"
"                      \"timeout\":S,\"compact\":null,\"moved_pages\":N,\n"
"                      \"side_bytes\":N,\"passes\":N,\n"
"                      \"vmstat\":{\"pgmigrate_success\":D,...}}\n"
"                     gbps = bytes / seconds / 1e9; failures = base pages\n"
"                     whose folio is not on B at the end (after --retry);\n"
"                     calls = 1 (the timed call) for every driver;\n"
"                     not_migrated = what the timed call reported:\n"
"                     move_pages: its return value (folios the kernel did\n"
"                     not migrate); migrate_pages: its return value (what\n"
"                     it could not move of the whole process: folios in\n"
"                     Linux 6.12, though the man page says pages); mbind:\n"
"                     the region's folios not on B after the call (it\n"
"                     returns no count); strict = --strict; eio = mbind\n"
"                     --strict failed with EIO; retries and\n"
"                     retried_folios = the untimed --retry calls and the\n"
"                     folios handed to them; the pgmigrate and\n"
"                     thp_migration fields are /proc/vmstat deltas around\n"
"                     the timed call (-1: not in /proc/vmstat); batch_copy,\n"
"                     batch_max_pages and migrator are null on a kernel\n"
"                     without the batch-copy patches; folio_check is\n"
"                     \"skipped\" when kpageflags cannot be read and no\n"
"                     --folio-size was given; timeout, compact (the\n"
"                     --compact way, null for other drivers), moved_pages\n"
"                     (compact: region pages whose PFN changed, -1 when not\n"
"                     known or not compact), side_bytes (demote: pressure,\n"
"                     compact: filler bytes faulted in) and passes\n"
"                     (numa-fault, promote: read passes; demote: pressure\n"
"                     steps) belong to the kernel-driven drivers; vmstat\n"
"                     holds the /proc/vmstat deltas of every counter\n"
"                     migbench reads (NUMA balancing, promotion, demotion,\n"
"                     compaction; -1 when absent)\n"
"  -h, --help         show this text\n"
"\n"
"Environment: MIGBENCH_SYSFS_MM replaces /sys/kernel/mm for the THP and\n"
"batch-copy knobs (tests).\n"
"\n"
"Exit status: 0 all pages moved and verified; 1 a failed page (also one\n"
"that --hold-refs kept on A), a wrong byte, a wrong folio size, a mismatch\n"
"seen by the rw thread or a system error (the first bad page is named on\n"
"stderr); 2 a usage error. Progress\n"
"goes to stderr for runs of 256 MiB or more.\n");
}

static int mb_parse_node(const char *opt, const char *s, long *node)
{
	unsigned long long v;

	if (mb_parse_ulong(opt, s, &v))
		return -1;
	if (v >= MB_MAX_NODES) {
		mb_err("%s %llu: node numbers go up to %d", opt, v, MB_MAX_NODES - 1);
		return -1;
	}
	*node = (long)v;
	return 0;
}

static int mb_parse_count(const char *opt, const char *s, unsigned long *val)
{
	unsigned long long v;

	if (mb_parse_ulong(opt, s, &v))
		return -1;
	if (!v || v > ULONG_MAX) {
		mb_err("%s %s: expected at least 1", opt, s);
		return -1;
	}
	*val = (unsigned long)v;
	return 0;
}

static int mb_parse_driver(const char *s, enum mb_driver *d)
{
	if (!strcmp(s, "move_pages"))
		*d = MB_DRIVER_MOVE_PAGES;
	else if (!strcmp(s, "mbind"))
		*d = MB_DRIVER_MBIND;
	else if (!strcmp(s, "migrate_pages"))
		*d = MB_DRIVER_MIGRATE_PAGES;
	else if (!strcmp(s, "numa-fault"))
		*d = MB_DRIVER_NUMA_FAULT;
	else if (!strcmp(s, "promote"))
		*d = MB_DRIVER_PROMOTE;
	else if (!strcmp(s, "demote"))
		*d = MB_DRIVER_DEMOTE;
	else if (!strcmp(s, "compact"))
		*d = MB_DRIVER_COMPACT;
	else if (!strcmp(s, "offline"))
		*d = MB_DRIVER_OFFLINE;
	else if (!strcmp(s, "damon-cold"))
		*d = MB_DRIVER_DAMON_COLD;
	else if (!strcmp(s, "damon-hot"))
		*d = MB_DRIVER_DAMON_HOT;
	else {
		mb_err("--driver '%s': expected move_pages, mbind, migrate_pages, numa-fault, promote, demote, compact, offline, damon-cold or damon-hot",
		       s);
		return -1;
	}
	return 0;
}

static int mb_parse_compact(const char *s, enum mb_compact_how *c)
{
	if (!strcmp(s, "node"))
		*c = MB_COMPACT_NODE;
	else if (!strcmp(s, "all"))
		*c = MB_COMPACT_ALL;
	else if (!strcmp(s, "proactive"))
		*c = MB_COMPACT_PROACTIVE;
	else {
		mb_err("--compact '%s': expected node, all or proactive", s);
		return -1;
	}
	return 0;
}

static int mb_parse_backing(const char *s, enum mb_backing *b)
{
	if (!strcmp(s, "anon"))
		*b = MB_BACKING_ANON;
	else if (!strcmp(s, "shmem"))
		*b = MB_BACKING_SHMEM;
	else if (!strcmp(s, "memfd"))
		*b = MB_BACKING_MEMFD;
	else {
		mb_err("--backing '%s': expected anon, shmem or memfd", s);
		return -1;
	}
	return 0;
}

enum {
	MB_OPT_PAGES = 256, MB_OPT_SIZE, MB_OPT_FOLIOS, MB_OPT_FROM, MB_OPT_TO,
	MB_OPT_JSON, MB_OPT_FOLIO_SIZE, MB_OPT_BACKING, MB_OPT_RW_THREAD,
	MB_OPT_BATCH_COPY, MB_OPT_RETRY, MB_OPT_HOLD_REFS, MB_OPT_DRIVER,
	MB_OPT_STRICT, MB_OPT_TIMEOUT, MB_OPT_COMPACT, MB_OPT_FILLER,
	MB_OPT_SETTLE,
};

static const struct option mb_longopts[] = {
	{ "pages", required_argument, NULL, MB_OPT_PAGES },
	{ "size", required_argument, NULL, MB_OPT_SIZE },
	{ "folios", required_argument, NULL, MB_OPT_FOLIOS },
	{ "from", required_argument, NULL, MB_OPT_FROM },
	{ "to", required_argument, NULL, MB_OPT_TO },
	{ "json", no_argument, NULL, MB_OPT_JSON },
	{ "folio-size", required_argument, NULL, MB_OPT_FOLIO_SIZE },
	{ "backing", required_argument, NULL, MB_OPT_BACKING },
	{ "rw-thread", no_argument, NULL, MB_OPT_RW_THREAD },
	{ "batch-copy", required_argument, NULL, MB_OPT_BATCH_COPY },
	{ "retry", required_argument, NULL, MB_OPT_RETRY },
	{ "hold-refs", required_argument, NULL, MB_OPT_HOLD_REFS },
	{ "settle", required_argument, NULL, MB_OPT_SETTLE },
	{ "driver", required_argument, NULL, MB_OPT_DRIVER },
	{ "strict", no_argument, NULL, MB_OPT_STRICT },
	{ "timeout", required_argument, NULL, MB_OPT_TIMEOUT },
	{ "compact", required_argument, NULL, MB_OPT_COMPACT },
	{ "filler", required_argument, NULL, MB_OPT_FILLER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int mb_parse_opt(struct mb_opts *o, int c, const char *arg)
{
	unsigned long long v;

	switch (c) {
	case MB_OPT_PAGES:
		return mb_parse_count("--pages", arg, &o->pages);
	case MB_OPT_SIZE:
		if (mb_parse_size("--size", arg, &o->size))
			return -1;
		if (!o->size) {
			mb_err("--size %s: expected at least one page", arg);
			return -1;
		}
		return 0;
	case MB_OPT_FOLIOS:
		return mb_parse_count("--folios", arg, &o->folios);
	case MB_OPT_FROM:
		return mb_parse_node("--from", arg, &o->from);
	case MB_OPT_TO:
		return mb_parse_node("--to", arg, &o->to);
	case MB_OPT_JSON:
		o->json = true;
		return 0;
	case MB_OPT_FOLIO_SIZE:
		if (mb_parse_size("--folio-size", arg, &v))
			return -1;
		if (!v || v > SIZE_MAX) {
			mb_err("--folio-size %s: expected a size such as 4K or 2M", arg);
			return -1;
		}
		o->folio_size = (size_t)v;
		o->folio_size_given = true;
		return 0;
	case MB_OPT_BACKING:
		return mb_parse_backing(arg, &o->backing);
	case MB_OPT_RW_THREAD:
		o->rw_thread = true;
		return 0;
	case MB_OPT_BATCH_COPY:
		if (strcmp(arg, "0") && strcmp(arg, "1")) {
			mb_err("--batch-copy '%s': expected 0 (legacy per-folio copy) or 1 (batch copy)",
			       arg);
			return -1;
		}
		o->batch_copy = arg[0] - '0';
		return 0;
	case MB_OPT_RETRY:
		if (mb_parse_ulong("--retry", arg, &v))
			return -1;
		if (v > MB_MAX_RETRY) {
			mb_err("--retry %s: expected 0 to %d calls", arg,
			       MB_MAX_RETRY);
			return -1;
		}
		o->retry = (unsigned int)v;
		o->retry_given = true;
		return 0;
	case MB_OPT_HOLD_REFS:
		if (mb_parse_ulong("--hold-refs", arg, &v))
			return -1;
		if (!v || v > MB_MAX_HOLD) {
			mb_err("--hold-refs %s: expected 1 to %d folios", arg,
			       MB_MAX_HOLD);
			return -1;
		}
		o->hold_refs = (unsigned long)v;
		return 0;
	case MB_OPT_SETTLE:
		if (mb_parse_ulong("--settle", arg, &v))
			return -1;
		if (!v || v > MB_MAX_SETTLE_MS) {
			mb_err("--settle %s: expected 1 to %d ms", arg,
			       MB_MAX_SETTLE_MS);
			return -1;
		}
		o->settle_ms = (unsigned int)v;
		return 0;
	case MB_OPT_DRIVER:
		return mb_parse_driver(arg, &o->driver);
	case MB_OPT_STRICT:
		o->strict = true;
		return 0;
	case MB_OPT_TIMEOUT:
		if (mb_parse_count("--timeout", arg, &o->timeout))
			return -1;
		o->given |= MB_GIVEN_TIMEOUT;
		return 0;
	case MB_OPT_COMPACT:
		o->given |= MB_GIVEN_COMPACT;
		return mb_parse_compact(arg, &o->compact);
	case MB_OPT_FILLER:
		o->given |= MB_GIVEN_COMPACT;
		if (mb_parse_size("--filler", arg, &o->filler))
			return -1;
		if (!o->filler) {
			mb_err("--filler %s: expected at least two pages", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

static int mb_check_folio_size(struct mb_opts *o, size_t page_size)
{
	size_t pmd_size = page_size / sizeof(uint64_t) * page_size;
	size_t fs = o->folio_size;
	char a[32], b[32], c[32];

	if (!fs)
		fs = o->folio_size = page_size;
	if (fs < page_size || (fs & (fs - 1)) || fs > pmd_size) {
		mb_err("--folio-size %zu: expected a power of two from the page size (%s) to the PMD size (%s)",
		       fs, mb_size_str(page_size, a, sizeof(a)),
		       mb_size_str(pmd_size, b, sizeof(b)));
		return -1;
	}
	if (o->backing == MB_BACKING_MEMFD && fs != page_size && fs != pmd_size) {
		mb_err("--backing memfd --folio-size %s: a memfd (a shmem file) takes only %s or %s folios in Linux 6.12 (the per-size shmem_enabled controls apply to MAP_SHARED|MAP_ANONYMOUS only): use --backing shmem",
		       mb_size_str(fs, a, sizeof(a)),
		       mb_size_str(page_size, b, sizeof(b)),
		       mb_size_str(pmd_size, c, sizeof(c)));
		return -1;
	}
	return 0;
}

static int mb_check_amount(struct mb_opts *o, size_t page_size)
{
	unsigned long long bytes;
	unsigned long fp = o->folio_size / page_size;
	char a[32];

	if (!!o->pages + !!o->size + !!o->folios > 1) {
		mb_err("give one of --pages, --size and --folios");
		return -1;
	}
	if (!o->pages && !o->size && !o->folios) {
		mb_err("missing --pages N, --size SIZE or --folios N");
		return -1;
	}
	if (o->folios) {
		if (o->folios > ULONG_MAX / fp) {
			mb_err("--folios %lu: too large", o->folios);
			return -1;
		}
		o->pages = o->folios * fp;
	} else if (o->size) {
		if (o->size % page_size) {
			mb_err("--size %llu: not a multiple of the page size (%zu)",
			       o->size, page_size);
			return -1;
		}
		if (o->size / page_size > ULONG_MAX) {
			mb_err("--size %llu: too large", o->size);
			return -1;
		}
		o->pages = (unsigned long)(o->size / page_size);
	}
	if (o->pages % fp) {
		mb_err("%lu pages (%llu bytes): not a multiple of the folio size (%s)",
		       o->pages, (unsigned long long)o->pages * page_size,
		       mb_size_str(o->folio_size, a, sizeof(a)));
		return -1;
	}
	o->folios = o->pages / fp;
	bytes = (unsigned long long)o->pages * page_size;
	if (o->pages > SIZE_MAX / page_size ||
	    bytes > SIZE_MAX - o->folio_size) {
		mb_err("%lu pages: too large for the address space", o->pages);
		return -1;
	}
	if (o->hold_refs > o->folios) {
		mb_err("--hold-refs %lu: the run has only %lu folio(s)",
		       o->hold_refs, o->folios);
		return -1;
	}
	return 0;
}

/*
 * The kernel-driven drivers own the region while the kernel moves it: no
 * rw thread, no held references, no retry; --timeout, --compact and
 * --filler are theirs. compact moves within node A.
 */
static int mb_check_kernel_driver(struct mb_opts *o)
{
	const char *d = mb_driver_name(o->driver);

	if (!mb_driver_is_kernel(o->driver)) {
		if (o->given & (MB_GIVEN_TIMEOUT | MB_GIVEN_COMPACT)) {
			mb_err("--timeout, --compact and --filler go with the kernel-driven drivers (numa-fault, promote, demote, compact, offline, damon-cold, damon-hot), not --driver %s",
			       d);
			return -1;
		}
		return 0;
	}
	if ((o->rw_thread && o->driver != MB_DRIVER_OFFLINE) || o->hold_refs ||
	    o->retry_given) {
		mb_err("--driver %s: --rw-thread, --hold-refs and --retry go with the system-call drivers (the kernel moves this region on its own time)",
		       d);
		return -1;
	}
	if ((o->given & MB_GIVEN_COMPACT) && o->driver != MB_DRIVER_COMPACT) {
		mb_err("--compact and --filler go with --driver compact, not --driver %s",
		       d);
		return -1;
	}
	if (o->driver != MB_DRIVER_COMPACT && o->from >= 0 && o->from == o->to) {
		mb_err("--driver %s --from %ld --to %ld: the kernel has nothing to move to the node the region is on: give two nodes",
		       d, o->from, o->to);
		return -1;
	}
	if (o->driver == MB_DRIVER_COMPACT) {
		if (o->to >= 0 && o->to != o->from) {
			mb_err("--driver compact --from %ld --to %ld: compaction moves folios within one node: give --to %ld or no --to",
			       o->from, o->to, o->from);
			return -1;
		}
		o->to = o->from;
	}
	return 0;
}

/* --strict is an mbind(2) flag; --retry's untimed calls are move_pages(2). */
static int mb_check_driver(struct mb_opts *o)
{
	const char *d = mb_driver_name(o->driver);

	if (o->strict && o->driver != MB_DRIVER_MBIND) {
		mb_err("--strict goes with --driver mbind (it adds MPOL_MF_STRICT to the mbind call), not --driver %s: drop --strict or use --driver mbind",
		       d);
		return -1;
	}
	if (o->retry_given && o->driver != MB_DRIVER_MOVE_PAGES) {
		mb_err("--retry goes with --driver move_pages (its untimed calls are move_pages of the folios left behind), not --driver %s: drop --retry or use --driver move_pages",
		       d);
		return -1;
	}
	return mb_check_kernel_driver(o);
}

static int mb_check_opts(struct mb_opts *o, size_t page_size)
{
	if (mb_check_driver(o))
		return -1;
	if (mb_check_folio_size(o, page_size))
		return -1;
	if (mb_check_amount(o, page_size))
		return -1;
	if (o->from < 0 || o->to < 0) {
		mb_err("missing --from A and --to B (source and destination nodes)");
		return -1;
	}
	return 0;
}

/* Returns MB_EXIT_OK to go on, or the exit status to stop with (-1: help). */
int mb_parse_args(struct mb_opts *o, int argc, char **argv, size_t page_size)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->from = -1;
	o->to = -1;
	o->batch_copy = -1;
	o->backing = MB_BACKING_ANON;
	o->driver = MB_DRIVER_MOVE_PAGES;
	o->timeout = MB_DEFAULT_TIMEOUT;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", mb_longopts, NULL)) != -1) {
		if (c == 'h')
			return -1;
		if (c == ':') {
			mb_err("option '%s' needs a value (see --help)",
			       argv[optind - 1]);
			return MB_EXIT_USAGE;
		}
		if (c == '?') {
			mb_err("unknown option '%s' (see --help)",
			       argv[optind - 1]);
			return MB_EXIT_USAGE;
		}
		if (mb_parse_opt(o, c, optarg))
			return MB_EXIT_USAGE;
	}
	if (optind < argc) {
		mb_err("unexpected argument '%s' (see --help)", argv[optind]);
		return MB_EXIT_USAGE;
	}
	if (mb_check_opts(o, page_size))
		return MB_EXIT_USAGE;
	return MB_EXIT_OK;
}
