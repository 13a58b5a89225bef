// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the folio sizes the kernel gave, page by page.
 *
 * /proc/self/pagemap gives the PFN of every page (bits 0-54, hidden as 0
 * without CAP_SYS_ADMIN), /proc/kpageflags the flags of every PFN. A folio
 * is a KPF_COMPOUND_HEAD page followed by KPF_COMPOUND_TAIL pages at the
 * following PFNs; KPF_THP marks anonymous and shmem large folios (any size,
 * not only PMD); a page with neither compound flag is an order-0 folio.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migbench.h"

#define MB_PAGEMAP		"/proc/self/pagemap"
#define MB_KPAGEFLAGS		"/proc/kpageflags"
#define MB_PM_PFN_MASK		((1ULL << 55) - 1)
#define MB_PM_PRESENT		(1ULL << 63)
#define MB_KPF_COMPOUND_HEAD	15
#define MB_KPF_COMPOUND_TAIL	16
#define MB_KPF_HUGE		17
#define MB_KPF_THP		22
#define MB_CHUNK		4096UL	/* entries per pread */
#define MB_HIST_MAX		16

enum mb_piece_kind {
	MB_PIECE_FOLIO,		/* head (or order-0) at an aligned index */
	MB_PIECE_UNALIGNED,	/* a folio that starts off the folio grid */
	MB_PIECE_TAIL,		/* tail pages whose head is outside the region */
	MB_PIECE_NOT_THP,	/* a compound page that is not a THP (hugetlb?) */
	MB_PIECE_ABSENT,	/* page not present */
};

struct mb_hist {
	struct {
		unsigned long pages;
		enum mb_piece_kind kind;
		unsigned long count;
	} e[MB_HIST_MAX];
	int n;
	unsigned long other;		/* pieces beyond MB_HIST_MAX kinds */
};

struct mb_folio_map {
	int pagemap_fd;
	int kpf_fd;
	uint64_t *pm;			/* per page: the pagemap entry */
	uint64_t *pfn;			/* per page; 0: not present */
	uint64_t *flags;		/* per page */
};

static void mb_hist_add(struct mb_hist *h, unsigned long pages,
			enum mb_piece_kind kind)
{
	int i;

	for (i = 0; i < h->n; i++) {
		if (h->e[i].pages == pages && h->e[i].kind == kind) {
			h->e[i].count++;
			return;
		}
	}
	if (h->n == MB_HIST_MAX) {
		h->other++;
		return;
	}
	h->e[h->n].pages = pages;
	h->e[h->n].kind = kind;
	h->e[h->n].count = 1;
	h->n++;
}

static const char *mb_kind_str(enum mb_piece_kind kind)
{
	switch (kind) {
	case MB_PIECE_FOLIO:
		return "";
	case MB_PIECE_UNALIGNED:
		return " not aligned to the folio size";
	case MB_PIECE_TAIL:
		return " of tail pages (the folio starts before the region)";
	case MB_PIECE_NOT_THP:
		return " compound, not THP";
	case MB_PIECE_ABSENT:
		return " not present";
	}
	return "";
}

static void mb_hist_format(const struct mb_hist *h, size_t page_size,
			   char *buf, size_t len)
{
	size_t used = 0;
	char sz[32];
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < h->n; i++) {
		n = snprintf(buf + used, len - used, "%s%lu x %s%s",
			     i ? ", " : "", h->e[i].count,
			     mb_size_str(h->e[i].pages * page_size, sz, sizeof(sz)),
			     mb_kind_str(h->e[i].kind));
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
	if (h->other)
		snprintf(buf + used, len - used, ", %lu more of other kinds",
			 h->other);
}

/* Open pagemap and kpageflags; -1 with @why set when they cannot be used. */
static int mb_folio_open(struct mb_folio_map *m, char *why, size_t len)
{
	m->pagemap_fd = open(MB_PAGEMAP, O_RDONLY | O_CLOEXEC);
	if (m->pagemap_fd < 0) {
		snprintf(why, len, "cannot open %s: %s%s", MB_PAGEMAP,
			 strerror(errno),
			 errno == ENOENT ? " (kernel without CONFIG_PROC_PAGE_MONITOR)" : "");
		return -1;
	}
	m->kpf_fd = open(MB_KPAGEFLAGS, O_RDONLY | O_CLOEXEC);
	if (m->kpf_fd < 0) {
		snprintf(why, len, "cannot open %s: %s%s", MB_KPAGEFLAGS,
			 strerror(errno),
			 errno == ENOENT ? " (kernel without CONFIG_PROC_PAGE_MONITOR)" :
			 errno == EACCES || errno == EPERM ? " (needs root)" : "");
		return -1;
	}
	return 0;
}

static int mb_pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf = (char *)buf + n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int mb_folio_read_pfns(const struct mb_region *r,
			      struct mb_folio_map *m, char *why, size_t len)
{
	off_t base = (off_t)((uintptr_t)r->addr / r->page_size) * 8;
	unsigned long i, n, present = 0;

	for (i = 0; i < r->npages; i += n) {
		n = r->npages - i < MB_CHUNK ? r->npages - i : MB_CHUNK;
		if (mb_pread_all(m->pagemap_fd, m->pm + i, n * 8,
				 base + (off_t)i * 8)) {
			snprintf(why, len, "cannot read %s: %s", MB_PAGEMAP,
				 strerror(errno));
			return -1;
		}
	}
	for (i = 0; i < r->npages; i++) {
		m->pfn[i] = 0;
		if (m->pm[i] & MB_PM_PRESENT)
			m->pfn[i] = m->pm[i] & MB_PM_PFN_MASK;
		if (m->pfn[i])
			present++;
	}
	if (!present) {
		snprintf(why, len, "%s shows no PFN (they read as 0 without CAP_SYS_ADMIN: run as root)",
			 MB_PAGEMAP);
		return -1;
	}
	return 0;
}

/* kpageflags for every page, one pread per run of consecutive PFNs. */
static int mb_folio_read_flags(const struct mb_region *r,
			       struct mb_folio_map *m, char *why, size_t len)
{
	unsigned long i, j;

	for (i = 0; i < r->npages; i = j) {
		j = i + 1;
		if (!m->pfn[i])
			continue;
		while (j < r->npages && j - i < MB_CHUNK &&
		       m->pfn[j] == m->pfn[i] + (j - i))
			j++;
		if (mb_pread_all(m->kpf_fd, m->flags + i, (j - i) * 8,
				 (off_t)(m->pfn[i] * 8))) {
			snprintf(why, len, "cannot read %s at PFN 0x%llx: %s",
				 MB_KPAGEFLAGS, (unsigned long long)m->pfn[i],
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

static bool mb_flag(uint64_t flags, int bit)
{
	return flags & (1ULL << bit);
}

/*
 * Split the region into pieces (folios, or parts of folios at its edges)
 * and count them; returns the number of pieces that are not a whole folio
 * of the asked size at an aligned index, and the first of them in @first.
 * A smaller folio inside a folio that --retry moved again is counted in
 * @split instead: the kernel may split a large folio whose migration
 * failed before (see mb_folio_check).
 */
static unsigned long mb_folio_walk(const struct mb_region *r,
				   const struct mb_folio_map *m,
				   struct mb_hist *h, unsigned long *first,
				   unsigned long *split)
{
	unsigned long i, j, bad = 0, want = r->folio_pages;
	enum mb_piece_kind kind;
	uint64_t f;

	for (i = 0; i < r->npages; i = j) {
		j = i + 1;
		f = m->flags[i];
		if (!m->pfn[i]) {
			kind = MB_PIECE_ABSENT;
		} else if (mb_flag(f, MB_KPF_COMPOUND_HEAD) ||
			   mb_flag(f, MB_KPF_COMPOUND_TAIL)) {
			while (j < r->npages && m->pfn[j] == m->pfn[i] + (j - i) &&
			       mb_flag(m->flags[j], MB_KPF_COMPOUND_TAIL))
				j++;
			if (!mb_flag(f, MB_KPF_COMPOUND_HEAD))
				kind = MB_PIECE_TAIL;
			else if (!mb_flag(f, MB_KPF_THP) || mb_flag(f, MB_KPF_HUGE))
				kind = MB_PIECE_NOT_THP;
			else
				kind = i % want ? MB_PIECE_UNALIGNED : MB_PIECE_FOLIO;
		} else {
			kind = MB_PIECE_FOLIO;	/* order 0 */
		}
		mb_hist_add(h, j - i, kind);
		if (kind == MB_PIECE_FOLIO && j - i < want && r->retried &&
		    r->retried[i / want] && (j - 1) / want == i / want) {
			(*split)++;
			continue;
		}
		if (kind != MB_PIECE_FOLIO || j - i != want) {
			if (!bad++)
				*first = i;
		}
	}
	return bad;
}

static void mb_folio_report(const struct mb_region *r,
			    const struct mb_folio_map *m, const struct mb_hist *h,
			    unsigned long bad, unsigned long first,
			    const char *when)
{
	char hist[1024], knobs[2048], a[32];

	mb_hist_format(h, r->page_size, hist, sizeof(hist));
	mb_knobs_describe(knobs, sizeof(knobs));
	mb_err("FOLIO SIZE MISMATCH %s: asked for %lu folios of %s (%s); the kernel gave: %s",
	       when, r->nfolios, mb_size_str(r->folio_size, a, sizeof(a)),
	       mb_backing_name(r->backing), hist);
	mb_err("%lu pieces are not a %s folio; the first starts at page %lu (%p): pagemap entry 0x%016llx, kpageflags 0x%llx",
	       bad, a, first, (void *)(r->addr + first * r->page_size),
	       (unsigned long long)m->pm[first],
	       (unsigned long long)m->flags[first]);
	mb_err("sysfs knobs changed by migbench: %s",
	       knobs[0] ? knobs : "none (base pages come from MADV_NOHUGEPAGE)");
}

/*
 * Check that every folio of the region has the asked size. With @must
 * false (no --folio-size given), a kernel or user that cannot read
 * kpageflags only skips the check (*checked = false).
 */
int mb_folio_check(const struct mb_region *r, bool must, const char *when,
		   bool *checked)
{
	struct mb_folio_map m = { .pagemap_fd = -1, .kpf_fd = -1 };
	struct mb_hist h = { .n = 0 };
	unsigned long bad, first = 0, split = 0;
	char why[512];
	int ret = -1;

	*checked = false;
	m.pm = calloc(r->npages, sizeof(*m.pm));
	m.pfn = calloc(r->npages, sizeof(*m.pfn));
	m.flags = calloc(r->npages, sizeof(*m.flags));
	if (!m.pm || !m.pfn || !m.flags) {
		mb_err("cannot allocate the folio check's tables for %lu pages",
		       r->npages);
		goto out;
	}
	if (mb_folio_open(&m, why, sizeof(why)) ||
	    mb_folio_read_pfns(r, &m, why, sizeof(why)) ||
	    mb_folio_read_flags(r, &m, why, sizeof(why))) {
		if (must) {
			mb_err("cannot check the folio sizes %s: %s", when, why);
			goto out;
		}
		mb_err("note: folio sizes not checked: %s", why);
		ret = 0;
		goto out;
	}
	bad = mb_folio_walk(r, &m, &h, &first, &split);
	if (split)
		mb_err("note: %s: %lu smaller folio(s) inside folios that --retry moved: the kernel split them (Linux 6.12 marks an anon large folio partially mapped when a migration unmaps it and fails, and splits it on the next migration)",
		       when, split);
	if (bad) {
		mb_folio_report(r, &m, &h, bad, first, when);
		goto out;
	}
	*checked = true;
	ret = 0;
out:
	if (m.pagemap_fd >= 0)
		close(m.pagemap_fd);
	if (m.kpf_fd >= 0)
		close(m.kpf_fd);
	free(m.pm);
	free(m.pfn);
	free(m.flags);
	return ret;
}

/*
 * The PFN of every base page of the region into @pfn (0: not present), for
 * the compact driver's count of pages that moved. -1 with a message when
 * pagemap cannot be read or shows no PFN (not root).
 */
int mb_region_pfns(const struct mb_region *r, uint64_t *pfn)
{
	struct mb_folio_map m = { .kpf_fd = -1, .pfn = pfn };
	char why[512];
	int ret = -1;

	m.pm = calloc(r->npages, sizeof(*m.pm));
	if (!m.pm) {
		mb_err("cannot allocate the pagemap table for %lu pages",
		       r->npages);
		return -1;
	}
	m.pagemap_fd = open(MB_PAGEMAP, O_RDONLY | O_CLOEXEC);
	if (m.pagemap_fd < 0)
		snprintf(why, sizeof(why), "cannot open %s: %s", MB_PAGEMAP,
			 strerror(errno));
	else if (!mb_folio_read_pfns(r, &m, why, sizeof(why)))
		ret = 0;
	if (ret)
		mb_err("note: pages moved by compaction not counted: %s", why);
	if (m.pagemap_fd >= 0)
		close(m.pagemap_fd);
	free(m.pm);
	return ret;
}
