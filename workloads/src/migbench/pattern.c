// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: the data pattern and the byte-for-byte check.
 *
 * Every 64-bit word holds a value derived from its page index and offset.
 * The rw thread owns one word per page (the page's slot, at an offset that
 * changes from page to page) and writes generation g = 1, 2, ... of a value
 * that differs from the pattern and from every other generation; the final
 * check expects the last generation the thread wrote there.
 */
#include <inttypes.h>
#include <string.h>

#include "migbench.h"

/* The 64-bit word at byte offset @off of page @idx. */
uint64_t mb_pattern(unsigned long idx, size_t off)
{
	uint64_t x = ((uint64_t)idx << 24) ^ (uint64_t)off;

	return (x + 1) * 0x9e3779b97f4a7c15ULL;
}

/* Byte offset of page @idx's rw slot: a different cache line per page. */
size_t mb_rw_slot(const struct mb_region *r, unsigned long idx)
{
	size_t words = r->page_size / sizeof(uint64_t);

	return ((idx * 67 + 5) % words) * sizeof(uint64_t);
}

/*
 * Generation @gen (>= 1) of page @idx's slot: the pattern XOR an odd
 * multiple of @gen, so it differs from the pattern and from every other
 * generation.
 */
uint64_t mb_rw_value(const struct mb_region *r, unsigned long idx,
		     uint32_t gen)
{
	return mb_pattern(idx, mb_rw_slot(r, idx)) ^
	       ((uint64_t)gen * 0xd1b54a32d192ed03ULL);
}

/* Fill every word with its pattern XOR @flip. */
void mb_fill(struct mb_region *r, uint64_t flip)
{
	size_t off, words = r->page_size / sizeof(uint64_t);
	unsigned long i;
	uint64_t *p;

	for (i = 0; i < r->npages; i++) {
		p = (uint64_t *)(r->addr + i * r->page_size);
		for (off = 0; off < words; off++)
			p[off] = mb_pattern(i, off * sizeof(uint64_t)) ^ flip;
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
	mb_err("data mismatch: page %lu at %p, byte offset %zu: 0x%02x, expected 0x%02x (word 0x%016" PRIx64 ", expected 0x%016" PRIx64 ")",
	       idx, (void *)(r->addr + idx * r->page_size), word_off + b,
	       g[b], w[b], got, want);
}

/*
 * Every byte of every page; @gens: the rw thread's writes, or NULL; @flip:
 * what mb_fill() was given.
 */
int mb_verify_data(const struct mb_region *r, const uint32_t *gens,
		   uint64_t flip)
{
	size_t off, slot, words = r->page_size / sizeof(uint64_t);
	unsigned long i, bad = 0, first = 0;
	const uint64_t *p;
	uint64_t want;

	for (i = 0; i < r->npages; i++) {
		p = (const uint64_t *)(r->addr + i * r->page_size);
		slot = (gens && gens[i]) ? mb_rw_slot(r, i) / sizeof(uint64_t) :
					   words;
		for (off = 0; off < words; off++) {
			if (off == slot)
				want = mb_rw_value(r, i, gens[i]);
			else
				want = mb_pattern(i, off * sizeof(uint64_t));
			want ^= flip;
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
