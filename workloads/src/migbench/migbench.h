/* SPDX-License-Identifier: GPL-2.0 */
/*
 * migbench - shared declarations. One job per file:
 *
 *   main.c     the run: set up, fault in, migrate, verify, print
 *   opts.c     command line and --help
 *   util.c     messages and number parsing
 *   numa.c     NUMA system calls, node lists, page placement, --retry
 *   driver.c   the timed call: move_pages(2), mbind(2) or migrate_pages(2)
 *   kdriver.c  the kernel-driven drivers: NUMA faults, promotion, demotion,
 *              compaction (migbench provokes the kernel and waits)
 *   offline.c  the memory-offline driver: offline the region's blocks
 *   damon.c    the DAMON drivers: DAMOS migrate_cold / migrate_hot
 *   region.c   the migrated memory: backing, alignment, per-folio arrays
 *   pattern.c  the data pattern and the byte-for-byte check
 *   rw.c       the thread that reads and writes the region during the move
 *   folio.c    folio sizes from /proc/self/pagemap and /proc/kpageflags
 *   knob.c     sysfs knobs: set, remember, restore at exit and on signals
 *   thp.c      THP/mTHP controls for one folio size; the batch-copy knobs
 *   vmstat.c   /proc/vmstat migration counters
 */
#ifndef MIGBENCH_H
#define MIGBENCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MB_NAME			"migbench"
#define MB_MAX_NODES		1024
#define MB_MAX_RETRY		100	/* --retry: untimed calls at most */
#define MB_MAX_HOLD		16	/* --hold-refs: one pipe's buffers */
#define MB_MAX_SETTLE_MS	600000	/* --settle: 10 minutes at most */
#define MB_PROGRESS_BYTES	(256ULL << 20)

#define MB_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __mb_printf(a, b)	__attribute__((format(printf, a, b)))

#define MB_EXIT_OK		0
#define MB_EXIT_FAIL		1
#define MB_EXIT_USAGE		2

/* sysfs below /sys/kernel/mm; MIGBENCH_SYSFS_MM overrides it (tests) */
#define MB_SYSFS_MM_DEFAULT	"/sys/kernel/mm"
#define MB_NO_BATCH_COPY	"kernel without the batch-copy patches"

/* uapi values, spelled out so no NUMA header or library is needed */
#define MB_MPOL_BIND		2
#define MB_MPOL_MF_STRICT	(1 << 0)
#define MB_MPOL_MF_MOVE		(1 << 1)

enum mb_backing {
	MB_BACKING_ANON,	/* MAP_PRIVATE | MAP_ANONYMOUS */
	MB_BACKING_SHMEM,	/* MAP_SHARED | MAP_ANONYMOUS (anonymous shmem) */
	MB_BACKING_MEMFD,	/* memfd_create(): a shmem file, MAP_SHARED */
};

enum mb_driver {
	MB_DRIVER_MOVE_PAGES,	/* one move_pages(2) call */
	MB_DRIVER_MBIND,	/* one mbind(MPOL_BIND, MPOL_MF_MOVE) call */
	MB_DRIVER_MIGRATE_PAGES,/* one migrate_pages(2) of the whole process */
	MB_DRIVER_NUMA_FAULT,	/* NUMA-hinting faults, numa_balancing=1 */
	MB_DRIVER_PROMOTE,	/* memory tiering promotion, numa_balancing=2 */
	MB_DRIVER_DEMOTE,	/* reclaim demotion, demotion_enabled=1 */
	MB_DRIVER_COMPACT,	/* compaction of a fragmented node */
	MB_DRIVER_OFFLINE,	/* offline the region's movable memory blocks */
	MB_DRIVER_DAMON_COLD,	/* DAMOS migrate_cold of the idle region */
	MB_DRIVER_DAMON_HOT,	/* DAMOS migrate_hot of the read region */
};

/* the first kernel-driven driver: migbench provokes, the kernel migrates */
#define MB_DRIVER_KERNEL	MB_DRIVER_NUMA_FAULT

enum mb_compact_how {
	MB_COMPACT_NODE,	/* /sys/devices/system/node/nodeA/compact */
	MB_COMPACT_ALL,		/* /proc/sys/vm/compact_memory */
	MB_COMPACT_PROACTIVE,	/* vm.compaction_proactiveness = 100, wait */
};

#define MB_DEFAULT_TIMEOUT	300	/* s: --timeout of kernel-driven drivers */

struct mb_opts {
	unsigned long pages;		/* base pages; 0: not given */
	unsigned long long size;	/* bytes; 0: not given */
	unsigned long folios;		/* 0: not given */
	size_t folio_size;		/* bytes; the page size if not given */
	bool folio_size_given;
	long from;			/* -1: not given */
	long to;
	bool json;
	bool rw_thread;
	int batch_copy;			/* -1: leave the knob alone */
	unsigned int retry;		/* --retry: untimed calls allowed */
	bool retry_given;
	bool strict;			/* --strict: mbind MPOL_MF_STRICT */
	unsigned long hold_refs;	/* --hold-refs: folios held (tests) */
	unsigned int settle_ms;		/* --settle: recheck after (tests) */
	enum mb_backing backing;
	enum mb_driver driver;
	unsigned long timeout;		/* s: kernel-driven drivers */
	enum mb_compact_how compact;	/* --compact */
	unsigned long long filler;	/* --filler bytes; 0: automatic */
	unsigned int given;		/* MB_GIVEN_*: options given */
};

#define MB_GIVEN_TIMEOUT	(1U << 0)
#define MB_GIVEN_COMPACT	(1U << 1)	/* --compact or --filler */

struct mb_region {
	unsigned char *addr;
	size_t len;
	size_t page_size;
	size_t folio_size;
	unsigned long npages;		/* base pages */
	unsigned long nfolios;
	unsigned long folio_pages;	/* base pages per folio */
	enum mb_backing backing;
	int memfd;			/* -1 unless MB_BACKING_MEMFD */
	void **pages;			/* every base page, for placement queries */
	int *status;			/* node of each base page, or -errno */
	void **folio_addrs;		/* first page of every folio: what moves */
	int *folio_nodes;		/* destination of every folio */
	int *folio_status;		/* move_pages status of every folio */
	bool *retried;			/* folios handed to --retry, or NULL */
};

struct mb_vmstat {
	long long pgmigrate_success;	/* -1: not in /proc/vmstat */
	long long pgmigrate_fail;
	long long thp_migration_success;
	long long thp_migration_fail;
	long long thp_migration_split;
	long long numa_hint_faults;
	long long numa_pages_migrated;
	long long pgpromote_success;
	long long pgpromote_candidate;
	long long pgdemote_kswapd;
	long long pgdemote_direct;
	long long pgdemote_khugepaged;
	long long compact_migrate_scanned;
	long long compact_isolated;
	long long compact_stall;
	long long compact_success;
	long long compact_daemon_migrate_scanned;
};

struct mb_rw_stats {
	unsigned long passes;		/* full passes over the region */
	unsigned long touches;		/* pages read, checked and written */
	unsigned long touches_during;	/* ... while the timed call ran */
	unsigned long mismatches;	/* words that read back wrong */
};

struct mb_rw {
	pthread_t thread;
	bool running;
	const struct mb_region *r;
	uint32_t *gens;			/* writes to each page's slot word */
	atomic_bool stop;
	atomic_ulong passes;
	atomic_ulong touches;
	unsigned long mismatches;	/* read by main after the join */
	unsigned long bad_page;		/* the first mismatch */
	size_t bad_off;
	uint64_t bad_got, bad_want;
};

struct mb_result {
	double seconds;
	unsigned long failures;		/* base pages not on the destination */
	unsigned long calls;		/* migration system calls timed */
	unsigned long not_migrated;	/* folios the timed call returned
					 * (mbind: folios found not on B) */
	bool eio;			/* mbind --strict failed with EIO */
	unsigned long retries;		/* untimed calls made by --retry */
	unsigned long retried_folios;	/* folios handed to those calls */
	struct mb_vmstat vm_before, vm_after;
	struct mb_rw_stats rw;
	bool folio_checked;		/* sizes checked via kpageflags */
	/* kernel-driven drivers */
	long moved_pages;		/* compact, offline: region pages
					 * whose PFN changed; -1: not known */
	unsigned long long side_bytes;	/* demote: pressure, compact: filler,
					 * offline: bytes offlined */
	unsigned long passes;		/* numa-fault/promote: read passes,
					 * demote: pressure steps, offline:
					 * blocks offlined */
};

/* the kernel's copy knobs as read at the end of the run (-1 / "": absent) */
struct mb_copy_state {
	long batch_copy;
	long batch_max_pages;
	char migrator[64];
};

/* util.c */
extern bool mb_progress_on;
void mb_err(const char *fmt, ...) __mb_printf(1, 2);
void mb_progress(const char *fmt, ...) __mb_printf(1, 2);
int mb_parse_ulong(const char *opt, const char *s, unsigned long long *val);
int mb_parse_size(const char *opt, const char *s, unsigned long long *val);
const char *mb_size_str(size_t bytes, char *buf, size_t len);
const char *mb_backing_name(enum mb_backing b);
const char *mb_driver_name(enum mb_driver d);
const char *mb_compact_name(enum mb_compact_how c);

/* opts.c */
int mb_parse_args(struct mb_opts *o, int argc, char **argv, size_t page_size);
void mb_usage(FILE *f);

/* numa.c */
const char *mb_errno_hint(int err);
int mb_check_nodes(const struct mb_opts *o, size_t bytes);
long mb_move_pages(unsigned long count, void **pages, const int *nodes,
		   int *status, int flags);
long mb_mbind_node(void *addr, size_t len, long node, int flags);
long mb_migrate_self(long from, long to);
int mb_bind(void *addr, size_t len, long node);
int mb_unbind(void *addr, size_t len);
int mb_nodelist_parse(const char *s, bool *nodes);
int mb_node_cpus(long node, char *list, size_t len);
long long mb_node_meminfo_kb(long node, const char *key);
int mb_verify_placement(struct mb_region *r, long node, const char *when);
int mb_query_folios(struct mb_region *r);
unsigned long mb_folios_off_node(const struct mb_region *r, long node);
int mb_move_retry(struct mb_region *r, long to, unsigned int retry,
		  struct mb_result *res);
void mb_move_check(struct mb_region *r, long to, struct mb_result *res,
		   const char *when);

/* driver.c */
int mb_move_all(struct mb_region *r, long to, struct mb_result *res,
		struct mb_rw *rw);
int mb_mbind_all(struct mb_region *r, long to, bool strict,
		 struct mb_result *res, struct mb_rw *rw);
int mb_migrate_all(struct mb_region *r, long from, long to,
		   struct mb_result *res, struct mb_rw *rw);
struct mb_timing {
	double t0;			/* CLOCK_MONOTONIC, s */
	unsigned long touches0;
	struct mb_rw *rw;		/* NULL: no rw thread */
};
double mb_now(void);
void mb_timing_start(struct mb_timing *t, struct mb_result *res,
		     struct mb_rw *rw);
void mb_timing_stop(const struct mb_timing *t, struct mb_result *res);

/* kdriver.c */
bool mb_driver_is_kernel(enum mb_driver d);
int mb_kernel_check(const struct mb_opts *o);
void mb_touch(const struct mb_region *r);	/* read a word of every page */
int mb_knob_proc(const char *rel, const char *value);	/* /proc/sys/REL */
int mb_kernel_all(struct mb_region *r, const struct mb_opts *o,
		  struct mb_result *res, struct mb_rw *rw);

/* offline.c */
int mb_offline_check(void);
int mb_offline(struct mb_region *r, const struct mb_opts *o,
	       struct mb_result *res, struct mb_rw *rw);

/* damon.c */
int mb_damon_check(void);
int mb_damon(struct mb_region *r, const struct mb_opts *o,
	     struct mb_result *res);

/* hold.c */
struct mb_hold {
	int pipe[2];			/* -1: nothing held */
};
int mb_hold_start(struct mb_hold *h, const struct mb_region *r,
		  unsigned long folios);
void mb_hold_release(struct mb_hold *h);

/* region.c */
int mb_region_setup(struct mb_region *r, const struct mb_opts *o,
		    size_t page_size);
void mb_region_free(struct mb_region *r);

/* pattern.c */
uint64_t mb_pattern(unsigned long idx, size_t off);
size_t mb_rw_slot(const struct mb_region *r, unsigned long idx);
uint64_t mb_rw_value(const struct mb_region *r, unsigned long idx,
		     uint32_t gen);
void mb_fill(struct mb_region *r, uint64_t flip);
int mb_verify_data(const struct mb_region *r, const uint32_t *gens,
		   uint64_t flip);

/* rw.c */
int mb_rw_start(struct mb_rw *rw, const struct mb_region *r);
void mb_rw_stop(struct mb_rw *rw, struct mb_rw_stats *st);
void mb_rw_free(struct mb_rw *rw);

/* folio.c */
int mb_folio_check(const struct mb_region *r, bool must, const char *when,
		   bool *checked);
int mb_region_pfns(const struct mb_region *r, uint64_t *pfn);

/* knob.c */
const char *mb_sysfs_mm(void);
int mb_knob_read(const char *path, char *buf, size_t len);
int mb_knob_set(const char *path, const char *value);
int mb_trigger(const char *path, const char *value);
const char *mb_proc_sys(void);
void mb_knobs_restore(void);
void mb_knobs_describe(char *buf, size_t len);

/* thp.c */
int mb_thp_setup(const struct mb_opts *o, size_t page_size);
int mb_batch_copy_setup(const struct mb_opts *o);
void mb_copy_state_read(struct mb_copy_state *cs);

/* vmstat.c */
void mb_vmstat_read(struct mb_vmstat *v);
long long mb_vm_delta(long long before, long long after);
void mb_vmstat_print_json(const struct mb_vmstat *a, const struct mb_vmstat *b);

#endif /* MIGBENCH_H */
