// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the migrated memory.
 *
 * The region is mapped at an address aligned to the folio size (a large
 * folio is only allocated for a naturally aligned range): a PROT_NONE
 * reservation of len + alignment is made first, then the backing is mapped
 * over its aligned part with MAP_FIXED and the rest is unmapped. For shmem
 * the mapping starts at file offset 0, so file index and address stay
 * aligned together (the kernel checks both).
 *
 * Folio sizes in Linux 6.12, by backing:
 *   anon   hugepages-<N>kB/enabled: always | inherit | madvise | never;
 *          madvise needs MADV_HUGEPAGE on the range
 *   shmem  MAP_SHARED|MAP_ANONYMOUS is the only shmem for which the per-size
 *          hugepages-<N>kB/shmem_enabled controls count (vma_is_anon_shmem()
 *          in shmem_allowable_huge_orders()); advise needs MADV_HUGEPAGE
 *   memfd  a shmem file: only the PMD size, through the shm mount's huge
 *          setting, i.e. transparent_hugepage/shmem_enabled (advise +
 *          MADV_HUGEPAGE, always, or force)
 * MADV_NOHUGEPAGE gives base pages for every backing (vma_thp_disabled()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "migbench.h"

static int mb_region_alloc_arrays(struct mb_region *r)
{
	unsigned long i;

	r->pages = calloc(r->npages, sizeof(*r->pages));
	r->status = calloc(r->npages, sizeof(*r->status));
	r->folio_addrs = calloc(r->nfolios, sizeof(*r->folio_addrs));
	r->folio_nodes = calloc(r->nfolios, sizeof(*r->folio_nodes));
	r->folio_status = calloc(r->nfolios, sizeof(*r->folio_status));
	if (!r->pages || !r->status || !r->folio_addrs || !r->folio_nodes ||
	    !r->folio_status) {
		mb_err("cannot allocate the per-page arrays for %lu pages",
		       r->npages);
		return -1;
	}
	for (i = 0; i < r->npages; i++)
		r->pages[i] = r->addr + i * r->page_size;
	for (i = 0; i < r->nfolios; i++)
		r->folio_addrs[i] = r->addr + i * r->folio_size;
	return 0;
}

/* An address range of @len aligned to @align, reserved with PROT_NONE. */
static void *mb_reserve_aligned(size_t len, size_t align)
{
	unsigned char *p, *a;
	size_t head, tail;

	p = mmap(NULL, len + align, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		mb_err("mmap of %zu bytes (address reservation) failed: %s",
		       len + align, strerror(errno));
		return NULL;
	}
	a = (unsigned char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	head = (size_t)(a - p);
	tail = align - head;
	if (head)
		munmap(p, head);
	if (tail)
		munmap(a + len, tail);
	return a;
}

static int mb_region_map(struct mb_region *r)
{
	int flags = MAP_FIXED, fd = -1;
	void *want, *p;

	want = mb_reserve_aligned(r->len, r->folio_size);
	if (!want)
		return -1;
	switch (r->backing) {
	case MB_BACKING_ANON:
		flags |= MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
		break;
	case MB_BACKING_SHMEM:
		flags |= MAP_SHARED | MAP_ANONYMOUS;
		break;
	case MB_BACKING_MEMFD:
		r->memfd = memfd_create(MB_NAME, MFD_CLOEXEC);
		if (r->memfd < 0) {
			mb_err("memfd_create failed: %s%s", strerror(errno),
			       errno == ENOSYS ? " (kernel without CONFIG_MEMFD_CREATE)" : "");
			goto err;
		}
		if (ftruncate(r->memfd, (off_t)r->len)) {
			mb_err("ftruncate of the memfd to %zu bytes failed: %s",
			       r->len, strerror(errno));
			goto err;
		}
		flags |= MAP_SHARED;
		fd = r->memfd;
		break;
	}
	p = mmap(want, r->len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED) {
		mb_err("mmap of %zu bytes (%s) failed: %s", r->len,
		       mb_backing_name(r->backing), strerror(errno));
		goto err;
	}
	r->addr = p;
	return 0;
err:
	munmap(want, r->len);
	return -1;
}

/*
 * MADV_HUGEPAGE for large folios (the controls migbench sets are
 * "madvise"/"advise"), MADV_NOHUGEPAGE for base pages. For base pages an
 * error is tolerated: EINVAL is a kernel without THP, ENOSYS one without
 * madvise(2) (CONFIG_ADVISE_SYSCALLS); the folio check names what it got.
 */
static int mb_region_advise(struct mb_region *r)
{
	bool large = r->folio_size > r->page_size;
	int advice = large ? MADV_HUGEPAGE : MADV_NOHUGEPAGE;
	const char *name = large ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE";

	if (!madvise(r->addr, r->len, advice))
		return 0;
	if (!large && (errno == EINVAL || errno == ENOSYS))
		return 0;
	mb_err("madvise(%s) failed: %s%s", name, strerror(errno),
	       errno == ENOSYS ? " (kernel without CONFIG_ADVISE_SYSCALLS)" :
	       errno == EINVAL ? " (kernel without CONFIG_TRANSPARENT_HUGEPAGE)" : "");
	return -1;
}

int mb_region_setup(struct mb_region *r, const struct mb_opts *o,
		    size_t page_size)
{
	memset(r, 0, sizeof(*r));
	r->memfd = -1;
	r->page_size = page_size;
	r->folio_size = o->folio_size;
	r->folio_pages = o->folio_size / page_size;
	r->npages = o->pages;
	r->nfolios = o->folios;
	r->len = o->pages * page_size;
	r->backing = o->backing;

	if (mb_region_map(r))
		return -1;
	if (mb_region_advise(r))
		return -1;
	if (mb_bind(r->addr, r->len, o->from))
		return -1;
	return mb_region_alloc_arrays(r);
}

void mb_region_free(struct mb_region *r)
{
	if (r->addr)
		munmap(r->addr, r->len);
	if (r->memfd >= 0)
		close(r->memfd);
	free(r->pages);
	free(r->status);
	free(r->folio_addrs);
	free(r->folio_nodes);
	free(r->folio_status);
	free(r->retried);
}
