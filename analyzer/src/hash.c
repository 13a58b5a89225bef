// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c - chained hash table keyed by a u64, grown when it gets full.
 */
#include <stdlib.h>

#include "hash.h"

#define HASH_MIN_BUCKETS	64

static size_t slot(const struct ms_hash *h, uint64_t key)
{
	/* Fibonacci hashing: batch ids and pids are sequential */
	return ((key * 0x9E3779B97F4A7C15ULL) >> 32) & (h->nr_buckets - 1);
}

int ms_hash_init(struct ms_hash *h)
{
	h->count = 0;
	h->cursor = 0;
	h->nr_buckets = HASH_MIN_BUCKETS;
	h->buckets = calloc(h->nr_buckets, sizeof(*h->buckets));
	return h->buckets ? 0 : -1;
}

/* Frees the table, not the nodes: drain it with ms_hash_pop() first. */
void ms_hash_free(struct ms_hash *h)
{
	free(h->buckets);
	h->buckets = NULL;
	h->nr_buckets = 0;
	h->count = 0;
}

struct ms_hash_node *ms_hash_find(const struct ms_hash *h, uint64_t key)
{
	struct ms_hash_node *n;

	for (n = h->buckets[slot(h, key)]; n; n = n->next)
		if (n->key == key)
			return n;
	return NULL;
}

static int grow(struct ms_hash *h)
{
	struct ms_hash old = *h;
	struct ms_hash_node *n, *next;
	size_t i;

	h->nr_buckets = old.nr_buckets * 2;
	h->buckets = calloc(h->nr_buckets, sizeof(*h->buckets));
	if (!h->buckets) {
		*h = old;
		return -1;
	}
	for (i = 0; i < old.nr_buckets; i++) {
		for (n = old.buckets[i]; n; n = next) {
			size_t s = slot(h, n->key);

			next = n->next;
			n->next = h->buckets[s];
			h->buckets[s] = n;
		}
	}
	free(old.buckets);
	h->cursor = 0;
	return 0;
}

int ms_hash_add(struct ms_hash *h, struct ms_hash_node *node)
{
	size_t s;

	if (h->count >= h->nr_buckets && grow(h))
		return -1;
	s = slot(h, node->key);
	node->next = h->buckets[s];
	h->buckets[s] = node;
	h->count++;
	if (s < h->cursor)
		h->cursor = s;
	return 0;
}

void ms_hash_del(struct ms_hash *h, struct ms_hash_node *node)
{
	struct ms_hash_node **p;

	for (p = &h->buckets[slot(h, node->key)]; *p; p = &(*p)->next) {
		if (*p == node) {
			*p = node->next;
			h->count--;
			return;
		}
	}
}

/*
 * Remove and return any node, NULL when empty.  The scan resumes where the
 * last one stopped (buckets below the cursor are empty), so draining a
 * table of n nodes costs O(n + buckets), not O(n * buckets).
 */
struct ms_hash_node *ms_hash_pop(struct ms_hash *h)
{
	size_t i;

	if (!h->count)
		return NULL;
	for (i = h->cursor; i < h->nr_buckets; i++) {
		struct ms_hash_node *n = h->buckets[i];

		if (n) {
			h->buckets[i] = n->next;
			h->count--;
			h->cursor = i;
			return n;
		}
	}
	return NULL;
}

void ms_hash_each(const struct ms_hash *h,
		  void (*fn)(struct ms_hash_node *node, void *data),
		  void *data)
{
	struct ms_hash_node *n, *next;
	size_t i;

	for (i = 0; i < h->nr_buckets && h->count; i++) {
		for (n = h->buckets[i]; n; n = next) {
			next = n->next;
			fn(n, data);
		}
	}
}
