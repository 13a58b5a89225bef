// SPDX-License-Identifier: GPL-2.0
/*
 * migbench - time one move_pages(2) call that migrates a buffer between
 * two NUMA nodes, and check that every byte and every page arrived.
 *
 *   1. mmap anonymous memory, mbind(MPOL_BIND) it to the source node;
 *   2. fault it in by writing a pattern that depends on page index and
 *      offset;
 *   3. check with move_pages(nodes = NULL) that every page is on the source;
 *   4. time exactly one move_pages(2) call that moves all pages to the
 *      destination (CLOCK_MONOTONIC around the system call only);
 *   5. check that every page is on the destination and every byte is intact.
 *
 * No libnuma: the NUMA system calls are made with syscall(2), so the binary
 * links statically and runs in a busybox initramfs.
 *
 * The backing (anonymous memory) and the driver (move_pages) are kept
 * behind small switches so that folio sizes, shmem, a concurrent
 * reader/writer and the mbind/migrate_pages drivers can be added later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MB_NAME			"migbench"
#define MB_MAX_NODES		1024
#define MB_BITS_PER_LONG	(8 * sizeof(unsigned long))
#define MB_MASK_WORDS		(MB_MAX_NODES / MB_BITS_PER_LONG)
#define MB_HAS_MEMORY		"/sys/devices/system/node/has_memory"
#define MB_PROGRESS_BYTES	(256ULL << 20)

/* uapi values, spelled out so no NUMA header or library is needed */
#define MB_MPOL_BIND		2
#define MB_MPOL_MF_MOVE		(1 << 1)

#define MB_EXIT_OK		0
#define MB_EXIT_FAIL		1
#define MB_EXIT_USAGE		2

enum mb_backing {
	MB_BACKING_ANON,	/* private anonymous memory */
};

enum mb_driver {
	MB_DRIVER_MOVE_PAGES,	/* one move_pages(2) call */
};

struct mb_opts {
	unsigned long pages;	/* 0: not given */
	unsigned long long size;	/* bytes; 0: not given */
	long from;		/* -1: not given */
	long to;
	bool json;
	enum mb_backing backing;
	enum mb_driver driver;
};

struct mb_region {
	unsigned char *addr;
	size_t len;
	size_t page_size;
	unsigned long npages;
	void **pages;		/* address of each page, for move_pages() */
	int *nodes;		/* destination node of each page */
	int *status;		/* node of each page, or -errno */
};

struct mb_result {
	double seconds;
	unsigned long failures;	/* pages not on the destination */
	unsigned long calls;	/* migration system calls timed */
};

static bool mb_progress_on;

static void mb_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, MB_NAME ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void mb_progress(const char *fmt, ...)
{
	va_list ap;

	if (!mb_progress_on)
		return;
	fprintf(stderr, MB_NAME ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void mb_usage(FILE *f)
{
	fprintf(f,
"usage: " MB_NAME " (--pages N | --size SIZE) --from A --to B [--json]\n"
"\n"
"Map anonymous memory (base pages, MADV_NOHUGEPAGE), bind it to node A\n"
"(mbind MPOL_BIND), fault it in with a pattern that depends on page index\n"
"and offset, check that every page is on A, then time ONE move_pages(2)\n"
"call (CLOCK_MONOTONIC around the system call only) that moves every page\n"
"to node B, and check that every page is on B and every byte is intact.\n"
"\n"
"  --pages N      number of base pages to migrate\n"
"  --size SIZE    bytes to migrate instead of --pages: a multiple of the\n"
"                 page size, with an optional K, M or G suffix (powers of 1024)\n"
"  --from A       source node (must have memory)\n"
"  --to B         destination node (must have memory; A == B measures the\n"
"                 system call without moving anything)\n"
"  --json         print the result as one JSON object:\n"
"                 {\"tool\":\"migbench\",\"pages\":N,\"page_size\":P,\"bytes\":N*P,\n"
"                  \"from_node\":A,\"to_node\":B,\"seconds\":S,\"gbps\":G,\n"
"                  \"failures\":F,\"calls\":1}\n"
"                 gbps = bytes / seconds / 1e9; failures = pages whose\n"
"                 move_pages status is not B (or is negative)\n"
"  -h, --help     show this text\n"
"\n"
"Exit status: 0 all pages moved and verified; 1 a failed page, a wrong\n"
"byte or a system error (the first bad page is named on stderr);\n"
"2 a usage error. Progress goes to stderr for runs of 256 MiB or more.\n");
}

/* ---- argument parsing ------------------------------------------------- */

static int mb_parse_ulong(const char *opt, const char *s, unsigned long long *val)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		goto bad;
	*val = v;
	return 0;
bad:
	mb_err("%s '%s': expected a non-negative decimal number", opt, s);
	return -1;
}

static int mb_parse_size(const char *s, unsigned long long *val)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		goto bad;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	default:
		goto bad;
	}
	if (mult > 1 && (!strcmp(end, "iB") || !strcmp(end, "B")))
		end += strlen(end);
	if (*end)
		goto bad;
	if (v > ULLONG_MAX / mult)
		goto bad;
	*val = v * mult;
	return 0;
bad:
	mb_err("--size '%s': expected a number of bytes with an optional K, M or G suffix (e.g. 64M)",
	       s);
	return -1;
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

enum { MB_OPT_PAGES = 256, MB_OPT_SIZE, MB_OPT_FROM, MB_OPT_TO, MB_OPT_JSON };

static const struct option mb_longopts[] = {
	{ "pages", required_argument, NULL, MB_OPT_PAGES },
	{ "size", required_argument, NULL, MB_OPT_SIZE },
	{ "from", required_argument, NULL, MB_OPT_FROM },
	{ "to", required_argument, NULL, MB_OPT_TO },
	{ "json", no_argument, NULL, MB_OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int mb_parse_opt(struct mb_opts *o, int c, const char *arg)
{
	unsigned long long v;

	switch (c) {
	case MB_OPT_PAGES:
		if (mb_parse_ulong("--pages", arg, &v))
			return -1;
		if (!v || v > ULONG_MAX) {
			mb_err("--pages %s: expected at least 1 page", arg);
			return -1;
		}
		o->pages = (unsigned long)v;
		return 0;
	case MB_OPT_SIZE:
		if (mb_parse_size(arg, &o->size))
			return -1;
		if (!o->size) {
			mb_err("--size %s: expected at least one page", arg);
			return -1;
		}
		return 0;
	case MB_OPT_FROM:
		return mb_parse_node("--from", arg, &o->from);
	case MB_OPT_TO:
		return mb_parse_node("--to", arg, &o->to);
	case MB_OPT_JSON:
		o->json = true;
		return 0;
	}
	return -1;
}

static int mb_check_opts(struct mb_opts *o, size_t page_size)
{
	if (o->pages && o->size) {
		mb_err("give either --pages or --size, not both");
		return -1;
	}
	if (!o->pages && !o->size) {
		mb_err("missing --pages N or --size SIZE");
		return -1;
	}
	if (o->from < 0 || o->to < 0) {
		mb_err("missing --from A and --to B (source and destination nodes)");
		return -1;
	}
	if (o->size) {
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
	if (o->pages > SIZE_MAX / page_size) {
		mb_err("--pages %lu: too large for the address space", o->pages);
		return -1;
	}
	return 0;
}

/* Returns MB_EXIT_OK to go on, or the exit status to stop with (-1: help). */
static int mb_parse_args(struct mb_opts *o, int argc, char **argv,
			 size_t page_size)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->from = -1;
	o->to = -1;
	o->backing = MB_BACKING_ANON;
	o->driver = MB_DRIVER_MOVE_PAGES;

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

/* ---- NUMA system calls and node lists --------------------------------- */

static long mb_move_pages(unsigned long count, void **pages, const int *nodes,
			  int *status, int flags)
{
	return syscall(SYS_move_pages, 0, count, pages, nodes, status, flags);
}

static long mb_mbind(void *addr, size_t len, int mode,
		     const unsigned long *mask, unsigned long maxnode)
{
	return syscall(SYS_mbind, addr, len, mode, mask, maxnode, 0);
}

/* Parse a sysfs node list ("0-1,3") into a bitmap of MB_MAX_NODES. */
static int mb_parse_nodelist(const char *s, bool *nodes)
{
	unsigned long a, b;
	char *end;

	memset(nodes, 0, MB_MAX_NODES * sizeof(*nodes));
	while (*s && *s != '\n') {
		a = strtoul(s, &end, 10);
		if (end == s)
			return -1;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s)
				return -1;
		}
		if (a > b || b >= MB_MAX_NODES)
			return -1;
		while (a <= b)
			nodes[a++] = true;
		s = end;
		if (*s == ',')
			s++;
	}
	return 0;
}

static int mb_read_mem_nodes(bool *nodes)
{
	char buf[4096];
	FILE *f;
	int ret = -1;

	f = fopen(MB_HAS_MEMORY, "r");
	if (!f) {
		mb_err("cannot read %s: %s (kernel without CONFIG_NUMA, or sysfs not mounted)",
		       MB_HAS_MEMORY, strerror(errno));
		return -1;
	}
	if (!fgets(buf, sizeof(buf), f)) {
		mb_err("%s is empty", MB_HAS_MEMORY);
		goto out;
	}
	if (mb_parse_nodelist(buf, nodes)) {
		mb_err("cannot parse %s: '%s'", MB_HAS_MEMORY, buf);
		goto out;
	}
	ret = 0;
out:
	fclose(f);
	return ret;
}

static void mb_format_nodes(const bool *nodes, char *buf, size_t len)
{
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < MB_MAX_NODES; i++) {
		if (!nodes[i])
			continue;
		n = snprintf(buf + used, len - used, "%s%d", used ? " " : "", i);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/* MemFree of @node in KiB, or -1 if unknown. */
static long long mb_node_free_kb(long node)
{
	char path[128], line[256];
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%ld/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %*d MemFree: %lld kB", &kb) == 1)
			break;
		kb = -1;
	}
	fclose(f);
	return kb;
}

/* A node short of free memory OOM-kills the run: say so beforehand. */
static void mb_warn_free(long node, unsigned long long bytes)
{
	long long kb = mb_node_free_kb(node);

	if (kb >= 0 && (unsigned long long)kb * 1024 < bytes)
		mb_err("warning: node %ld has %lld MiB free (MemFree) for %llu MiB: the run may fail or be OOM-killed",
		       node, kb / 1024, bytes >> 20);
}

static int mb_check_nodes(const struct mb_opts *o, size_t page_size)
{
	bool mem[MB_MAX_NODES];
	char list[512];
	long bad = -1;

	if (mb_read_mem_nodes(mem))
		return -1;
	if (!mem[o->from])
		bad = o->from;
	else if (!mem[o->to])
		bad = o->to;
	if (bad < 0) {
		mb_warn_free(o->from, (unsigned long long)o->pages * page_size);
		if (o->to != o->from)
			mb_warn_free(o->to, (unsigned long long)o->pages * page_size);
		return 0;
	}
	mb_format_nodes(mem, list, sizeof(list));
	mb_err("node %ld has no memory; memory nodes: %s", bad, list);
	return -1;
}

/* The fix for a failed NUMA system call, by errno. */
static const char *mb_errno_hint(int err)
{
	switch (err) {
	case ENOSYS:
		return "kernel without CONFIG_NUMA or CONFIG_MIGRATION";
	case EPERM:
		return "kernel without CONFIG_NUMA/CONFIG_MIGRATION, or a seccomp filter (container) forbids NUMA system calls: run with CAP_SYS_NICE or unconfined";
	case ENODEV:
		return "the destination node is not online";
	case EACCES:
		return "the node is not allowed by this task's cpuset";
	case ENOMEM:
		return "not enough memory on the destination node (or for the status arrays)";
	case EINVAL:
		return "invalid node or flags for this kernel";
	}
	return "unexpected error";
}

/* ---- the region: backing memory and the per-page arrays --------------- */

static int mb_region_alloc_arrays(struct mb_region *r)
{
	unsigned long i;

	r->pages = calloc(r->npages, sizeof(*r->pages));
	r->nodes = calloc(r->npages, sizeof(*r->nodes));
	r->status = calloc(r->npages, sizeof(*r->status));
	if (!r->pages || !r->nodes || !r->status) {
		mb_err("cannot allocate the per-page arrays for %lu pages", r->npages);
		return -1;
	}
	for (i = 0; i < r->npages; i++)
		r->pages[i] = r->addr + i * r->page_size;
	return 0;
}

static int mb_region_map_anon(struct mb_region *r)
{
	void *p;

	p = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		mb_err("mmap of %zu bytes failed: %s", r->len, strerror(errno));
		return -1;
	}
	r->addr = p;
	/*
	 * Base pages only: the folio size is part of what is measured.
	 * EINVAL: kernel without THP; ENOSYS: without madvise(2)
	 * (CONFIG_ADVISE_SYSCALLS): THP can then only come from
	 * transparent_hugepage/enabled=always, which the testbed leaves off.
	 */
	if (madvise(p, r->len, MADV_NOHUGEPAGE) && errno != EINVAL &&
	    errno != ENOSYS) {
		mb_err("madvise(MADV_NOHUGEPAGE) failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int mb_region_bind(struct mb_region *r, long node)
{
	unsigned long mask[MB_MASK_WORDS];

	memset(mask, 0, sizeof(mask));
	mask[node / MB_BITS_PER_LONG] |= 1UL << (node % MB_BITS_PER_LONG);
	/* maxnode counts one more than the bits the kernel reads */
	if (mb_mbind(r->addr, r->len, MB_MPOL_BIND, mask, MB_MAX_NODES + 1)) {
		mb_err("mbind(MPOL_BIND, node %ld) failed: %s (%s)", node,
		       strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	return 0;
}

static int mb_region_setup(struct mb_region *r, const struct mb_opts *o,
			   size_t page_size)
{
	memset(r, 0, sizeof(*r));
	r->page_size = page_size;
	r->npages = o->pages;
	r->len = o->pages * page_size;

	switch (o->backing) {
	case MB_BACKING_ANON:
		if (mb_region_map_anon(r))
			return -1;
		break;
	}
	if (mb_region_bind(r, o->from))
		return -1;
	return mb_region_alloc_arrays(r);
}

static void mb_region_free(struct mb_region *r)
{
	if (r->addr)
		munmap(r->addr, r->len);
	free(r->pages);
	free(r->nodes);
	free(r->status);
}

/* ---- the data pattern -------------------------------------------------- */

/* The 64-bit word at byte offset @off of page @idx. */
static inline uint64_t mb_pattern(unsigned long idx, size_t off)
{
	uint64_t x = ((uint64_t)idx << 24) ^ (uint64_t)off;

	return (x + 1) * 0x9e3779b97f4a7c15ULL;
}

static void mb_fill(struct mb_region *r)
{
	size_t off, words = r->page_size / sizeof(uint64_t);
	unsigned long i;
	uint64_t *p;

	for (i = 0; i < r->npages; i++) {
		p = (uint64_t *)(r->addr + i * r->page_size);
		for (off = 0; off < words; off++)
			p[off] = mb_pattern(i, off * sizeof(uint64_t));
	}
}

static void mb_report_bad_byte(const struct mb_region *r, unsigned long idx,
			       size_t word_off, uint64_t got, uint64_t want)
{
	const unsigned char *g = (const unsigned char *)&got;
	const unsigned char *w = (const unsigned char *)&want;
	size_t b;

	for (b = 0; b < sizeof(got); b++)
		if (g[b] != w[b])
			break;
	mb_err("data mismatch: page %lu at %p, byte offset %zu: 0x%02x, expected 0x%02x",
	       idx, (void *)(r->addr + idx * r->page_size), word_off + b,
	       g[b], w[b]);
}

static int mb_verify_data(const struct mb_region *r)
{
	size_t off, words = r->page_size / sizeof(uint64_t);
	unsigned long i, bad = 0, first = 0;
	const uint64_t *p;
	uint64_t want;

	for (i = 0; i < r->npages; i++) {
		p = (const uint64_t *)(r->addr + i * r->page_size);
		for (off = 0; off < words; off++) {
			want = mb_pattern(i, off * sizeof(uint64_t));
			if (p[off] == want)
				continue;
			if (!bad++) {
				first = i;
				mb_report_bad_byte(r, i, off * sizeof(uint64_t),
						   p[off], want);
			}
			break;
		}
	}
	if (bad)
		mb_err("%lu of %lu pages have wrong contents (first: page %lu)",
		       bad, r->npages, first);
	return bad ? -1 : 0;
}

/* ---- page placement ----------------------------------------------------- */

static int mb_query_nodes(struct mb_region *r)
{
	if (mb_move_pages(r->npages, r->pages, NULL, r->status, 0) < 0) {
		mb_err("move_pages(nodes=NULL) to query page nodes failed: %s (%s)",
		       strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	return 0;
}

static void mb_report_bad_page(const struct mb_region *r, unsigned long idx,
			       long want, const char *when)
{
	int st = r->status[idx];

	if (st < 0)
		mb_err("%s: page %lu at %p: status %d (%s), expected node %ld",
		       when, idx, r->pages[idx], st, strerror(-st), want);
	else
		mb_err("%s: page %lu at %p is on node %d, expected node %ld",
		       when, idx, r->pages[idx], st, want);
}

/* Count the pages whose status is not @node; name the first one. */
static unsigned long mb_count_off_node(const struct mb_region *r, long node,
				       const char *when)
{
	unsigned long i, bad = 0;

	for (i = 0; i < r->npages; i++) {
		if (r->status[i] == node)
			continue;
		if (!bad++)
			mb_report_bad_page(r, i, node, when);
	}
	if (bad)
		mb_err("%s: %lu of %lu pages are not on node %ld", when, bad,
		       r->npages, node);
	return bad;
}

static int mb_verify_placement(struct mb_region *r, long node, const char *when)
{
	if (mb_query_nodes(r))
		return -1;
	return mb_count_off_node(r, node, when) ? -1 : 0;
}

/* ---- the timed migration ------------------------------------------------ */

static double mb_elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static int mb_move_all(struct mb_region *r, long to, struct mb_result *res)
{
	struct timespec t0, t1;
	unsigned long i;
	long ret;
	int err;

	for (i = 0; i < r->npages; i++) {
		r->nodes[i] = (int)to;
		r->status[i] = INT_MIN;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = mb_move_pages(r->npages, r->pages, r->nodes, r->status,
			    MB_MPOL_MF_MOVE);
	err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);

	res->seconds = mb_elapsed(&t0, &t1);
	res->calls = 1;
	if (ret < 0) {
		mb_err("move_pages(%lu pages -> node %ld) failed: %s (%s)",
		       r->npages, to, strerror(err), mb_errno_hint(err));
		return -1;
	}
	res->failures = mb_count_off_node(r, to, "move_pages status");
	return 0;
}

static int mb_migrate(struct mb_region *r, const struct mb_opts *o,
		      struct mb_result *res)
{
	switch (o->driver) {
	case MB_DRIVER_MOVE_PAGES:
		return mb_move_all(r, o->to, res);
	}
	return -1;
}

/* ---- output -------------------------------------------------------------- */

static double mb_gbps(const struct mb_region *r, const struct mb_result *res)
{
	if (res->seconds <= 0)
		return 0;
	return (double)r->len / res->seconds / 1e9;
}

static void mb_print_json(const struct mb_region *r, const struct mb_opts *o,
			  const struct mb_result *res)
{
	printf("{\"tool\":\"migbench\",\"pages\":%lu,\"page_size\":%zu,"
	       "\"bytes\":%zu,\"from_node\":%ld,\"to_node\":%ld,"
	       "\"seconds\":%.9f,\"gbps\":%.6f,\"failures\":%lu,\"calls\":%lu}\n",
	       r->npages, r->page_size, r->len, o->from, o->to, res->seconds,
	       mb_gbps(r, res), res->failures, res->calls);
}

static void mb_print_text(const struct mb_region *r, const struct mb_opts *o,
			  const struct mb_result *res)
{
	printf("migbench: %lu pages (%zu bytes) node %ld -> node %ld: %.6f s, %.3f GB/s, %lu failures, %lu call\n",
	       r->npages, r->len, o->from, o->to, res->seconds,
	       mb_gbps(r, res), res->failures, res->calls);
}

static void mb_print(const struct mb_region *r, const struct mb_opts *o,
		     const struct mb_result *res)
{
	if (o->json)
		mb_print_json(r, o, res);
	else
		mb_print_text(r, o, res);
	fflush(stdout);
}

/* ---- main ------------------------------------------------------------------ */

static int mb_run(const struct mb_opts *o, size_t page_size)
{
	struct mb_result res = { 0 };
	struct mb_region r;
	int ret = MB_EXIT_FAIL;
	bool bad = false;

	mb_progress_on = (unsigned long long)o->pages * page_size >= MB_PROGRESS_BYTES;
	if (mb_region_setup(&r, o, page_size))
		goto out;

	mb_progress("faulting %lu pages on node %ld", r.npages, o->from);
	mb_fill(&r);
	if (mb_verify_placement(&r, o->from, "before the move"))
		goto out;

	mb_progress("moving %lu pages to node %ld", r.npages, o->to);
	if (mb_migrate(&r, o, &res))
		goto out;

	mb_progress("verifying");
	if (res.failures)
		bad = true;
	if (mb_verify_placement(&r, o->to, "after the move"))
		bad = true;
	if (mb_verify_data(&r))
		bad = true;
	mb_print(&r, o, &res);
	if (!bad)
		ret = MB_EXIT_OK;
out:
	mb_region_free(&r);
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
	if (mb_check_nodes(&opts, (size_t)ps))
		return MB_EXIT_FAIL;
	return mb_run(&opts, (size_t)ps);
}
