// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: NUMA system calls, node lists, page placement and the untimed
 * --retry calls (the timed call of each driver is in driver.c).
 *
 * No libnuma: the system calls are made with syscall(2), so the binary
 * links statically and runs in a busybox initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "migbench.h"

#define MB_HAS_MEMORY		"/sys/devices/system/node/has_memory"
#define MB_BITS_PER_LONG	(8 * sizeof(unsigned long))
#define MB_MASK_WORDS		(MB_MAX_NODES / MB_BITS_PER_LONG)
/* maxnode counts one more than the bits the kernel reads */
#define MB_MAXNODE		(MB_MAX_NODES + 1)

long mb_move_pages(unsigned long count, void **pages, const int *nodes,
		   int *status, int flags)
{
	return syscall(SYS_move_pages, 0, count, pages, nodes, status, flags);
}

static long mb_mbind(void *addr, size_t len, int mode,
		     const unsigned long *mask, unsigned long maxnode,
		     int flags)
{
	return syscall(SYS_mbind, addr, len, mode, mask, maxnode, flags);
}

static void mb_node_mask(unsigned long *mask, long node)
{
	memset(mask, 0, MB_MASK_WORDS * sizeof(*mask));
	mask[node / MB_BITS_PER_LONG] |= 1UL << (node % MB_BITS_PER_LONG);
}

/* mbind(MPOL_BIND, {node}, flags) over [addr, addr + len); errno on -1 */
long mb_mbind_node(void *addr, size_t len, long node, int flags)
{
	unsigned long mask[MB_MASK_WORDS];

	mb_node_mask(mask, node);
	return mb_mbind(addr, len, MB_MPOL_BIND, mask, MB_MAXNODE, flags);
}

/* migrate_pages(2) of this process from {from} to {to}; errno on -1 */
long mb_migrate_self(long from, long to)
{
	unsigned long old_nodes[MB_MASK_WORDS], new_nodes[MB_MASK_WORDS];

	mb_node_mask(old_nodes, from);
	mb_node_mask(new_nodes, to);
	return syscall(SYS_migrate_pages, 0, MB_MAXNODE, old_nodes, new_nodes);
}

/* The fix for a failed NUMA system call, by errno. */
const char *mb_errno_hint(int err)
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

/* Parse a sysfs node list ("0-1,3") into a bitmap of MB_MAX_NODES. */
int mb_nodelist_parse(const char *s, bool *nodes)
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
	if (mb_nodelist_parse(buf, nodes)) {
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

/* The @key line ("MemFree", "MemTotal") of @node's meminfo in KiB, or -1. */
long long mb_node_meminfo_kb(long node, const char *key)
{
	char path[128], line[256], name[64];
	long long kb = -1, v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%ld/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %*d %63[^:]: %lld kB", name, &v) == 2 &&
		    !strcmp(name, key)) {
			kb = v;
			break;
		}
	}
	fclose(f);
	return kb;
}

/*
 * The CPU list of @node ("2-3") into @list; 0 when it has CPUs, -1 when
 * it has none or the list cannot be read (@list then empty).
 */
int mb_node_cpus(long node, char *list, size_t len)
{
	char path[128];
	FILE *f;

	list[0] = '\0';
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%ld/cpulist",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(list, (int)len, f))
		list[0] = '\0';
	fclose(f);
	list[strcspn(list, "\n")] = '\0';
	return list[0] ? 0 : -1;
}

/* A node short of free memory OOM-kills the run: say so beforehand. */
static void mb_warn_free(long node, unsigned long long bytes)
{
	long long kb = mb_node_meminfo_kb(node, "MemFree");

	if (kb >= 0 && (unsigned long long)kb * 1024 < bytes)
		mb_err("warning: node %ld has %lld MiB free (MemFree) for %llu MiB: the run may fail or be OOM-killed",
		       node, kb / 1024, bytes >> 20);
}

int mb_check_nodes(const struct mb_opts *o, size_t bytes)
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
		mb_warn_free(o->from, bytes);
		if (o->to != o->from)
			mb_warn_free(o->to, bytes);
		return 0;
	}
	mb_format_nodes(mem, list, sizeof(list));
	mb_err("node %ld has no memory; memory nodes: %s", bad, list);
	return -1;
}

int mb_bind(void *addr, size_t len, long node)
{
	if (mb_mbind_node(addr, len, node, 0)) {
		mb_err("mbind(MPOL_BIND, node %ld) failed: %s (%s)", node,
		       strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	return 0;
}

/* mbind(MPOL_DEFAULT) over the region: the kernel may move it again */
int mb_unbind(void *addr, size_t len)
{
	if (mb_mbind(addr, len, 0, NULL, 0, 0)) {
		mb_err("mbind(MPOL_DEFAULT) failed: %s (%s)", strerror(errno),
		       mb_errno_hint(errno));
		return -1;
	}
	return 0;
}

/* ---- placement of every base page ---------------------------------------- */

static void mb_report_bad_page(void *addr, unsigned long idx, int st,
			       long want, const char *what, const char *when)
{
	if (st < 0)
		mb_err("%s: %s %lu at %p: status %d (%s), expected node %ld",
		       when, what, idx, addr, st, strerror(-st), want);
	else
		mb_err("%s: %s %lu at %p is on node %d, expected node %ld",
		       when, what, idx, addr, st, want);
}

/* Count the entries whose status is not @node; name the first one. */
static unsigned long mb_count_off_node(void **addrs, const int *status,
				       unsigned long n, long node,
				       const char *what, const char *when)
{
	unsigned long i, bad = 0;

	for (i = 0; i < n; i++) {
		if (status[i] == node)
			continue;
		if (!bad++)
			mb_report_bad_page(addrs[i], i, status[i], node, what,
					   when);
	}
	if (bad)
		mb_err("%s: %lu of %lu %ss are not on node %ld", when, bad, n,
		       what, node);
	return bad;
}

int mb_verify_placement(struct mb_region *r, long node, const char *when)
{
	if (mb_move_pages(r->npages, r->pages, NULL, r->status, 0) < 0) {
		mb_err("move_pages(nodes=NULL) to query page nodes failed: %s (%s)",
		       strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	if (mb_count_off_node(r->pages, r->status, r->npages, node, "page",
			      when))
		return -1;
	return 0;
}

/* ---- where the folios are, --retry ----------------------------------------- */

/*
 * Where every folio is, into r->folio_status: after a move_pages(2) call
 * that returned N > 0 (the kernel did not migrate N folios and stored no
 * status for the node batch that failed), and after mbind(2) and
 * migrate_pages(2), which store no status at all.
 */
int mb_query_folios(struct mb_region *r)
{
	if (mb_move_pages(r->nfolios, r->folio_addrs, NULL, r->folio_status,
			  0) < 0) {
		mb_err("move_pages(nodes=NULL) to query folio nodes failed: %s (%s)",
		       strerror(errno), mb_errno_hint(errno));
		return -1;
	}
	return 0;
}

/*
 * --retry: move the folios that are not on @to again, untimed, up to
 * @retry times; every call is counted in res->retries.
 */
int mb_move_retry(struct mb_region *r, long to, unsigned int retry,
		  struct mb_result *res)
{
	unsigned long i, n;
	void **addrs;
	int *status, ret = 0;
	long moved;

	addrs = calloc(r->nfolios, sizeof(*addrs));
	status = calloc(r->nfolios, sizeof(*status));
	if (!r->retried)
		r->retried = calloc(r->nfolios, sizeof(*r->retried));
	if (!addrs || !status || !r->retried) {
		mb_err("out of memory for the --retry lists");
		ret = -1;
		goto out;
	}
	while (res->retries < retry) {
		for (i = n = 0; i < r->nfolios; i++) {
			if (r->folio_status[i] == to)
				continue;
			r->retried[i] = true;
			addrs[n++] = r->folio_addrs[i];
		}
		if (!n)
			break;
		res->retries++;
		res->retried_folios += n;
		/* r->folio_nodes holds @to for every folio (mb_move_all) */
		moved = mb_move_pages(n, addrs, r->folio_nodes, status,
				      MB_MPOL_MF_MOVE);
		if (moved < 0) {
			mb_err("--retry: move_pages(%lu folios -> node %ld) failed: %s (%s)",
			       n, to, strerror(errno), mb_errno_hint(errno));
			ret = -1;
			goto out;
		}
		if (mb_query_folios(r)) {
			ret = -1;
			goto out;
		}
	}
out:
	free(addrs);
	free(status);
	return ret;
}

/* Folios whose r->folio_status is not @node (quietly: see mb_move_check). */
unsigned long mb_folios_off_node(const struct mb_region *r, long node)
{
	unsigned long i, n = 0;

	for (i = 0; i < r->nfolios; i++)
		if (r->folio_status[i] != node)
			n++;
	return n;
}

/* Base pages of folios not on @to, after the call and any --retry. */
void mb_move_check(struct mb_region *r, long to, struct mb_result *res,
		   const char *when)
{
	unsigned long bad;

	bad = mb_count_off_node(r->folio_addrs, r->folio_status, r->nfolios,
				to, "folio", when);
	res->failures = bad * r->folio_pages;
}
