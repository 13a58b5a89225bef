// SPDX-License-Identifier: GPL-2.0
/*
 * migbench --hold-refs N (tests): hold an extra reference to the first
 * page of N folios during the timed call (any --driver), so that the kernel
 * cannot migrate those folios (their reference count never settles):
 * move_pages(2) returns N, mbind(2) --strict fails with EIO, migrate_pages(2)
 * counts them in what it returns. vmsplice(2) without SPLICE_F_GIFT makes the pipe
 * take a reference to each user page it is given; closing the pipe drops
 * them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "migbench.h"

void mb_hold_release(struct mb_hold *h)
{
	if (h->pipe[0] >= 0)
		close(h->pipe[0]);
	if (h->pipe[1] >= 0)
		close(h->pipe[1]);
	h->pipe[0] = h->pipe[1] = -1;
}

/* @folios is at most r->nfolios and MB_MAX_HOLD (checked with the options). */
int mb_hold_start(struct mb_hold *h, const struct mb_region *r,
		  unsigned long folios)
{
	struct iovec iov;
	unsigned long i;
	ssize_t n;

	h->pipe[0] = h->pipe[1] = -1;
	if (pipe(h->pipe)) {
		mb_err("--hold-refs: pipe() failed: %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < folios; i++) {
		iov.iov_base = r->folio_addrs[i];
		iov.iov_len = r->page_size;
		n = vmsplice(h->pipe[1], &iov, 1, SPLICE_F_NONBLOCK);
		if (n != (ssize_t)r->page_size) {
			mb_err("--hold-refs: vmsplice() of folio %lu: %s", i,
			       n < 0 ? strerror(errno) : "short splice");
			goto fail;
		}
	}
	return 0;
fail:
	mb_hold_release(h);
	return -1;
}
