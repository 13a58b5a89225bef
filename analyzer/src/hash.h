/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hash.h - a chained hash table of intrusive nodes keyed by a u64.
 *
 * It holds only what is open (tasks in a call, batches in flight), so its
 * size follows the number of open objects, never the number of events.
 */
#ifndef MS_HASH_H
#define MS_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct ms_hash_node {
	struct ms_hash_node	*next;
	uint64_t		key;
};

struct ms_hash {
	struct ms_hash_node	**buckets;
	size_t			nr_buckets;	/* a power of two */
	size_t			count;
	size_t			cursor;		/* no node below it: ms_hash_pop() */
};

int ms_hash_init(struct ms_hash *h);
void ms_hash_free(struct ms_hash *h);
struct ms_hash_node *ms_hash_find(const struct ms_hash *h, uint64_t key);
int ms_hash_add(struct ms_hash *h, struct ms_hash_node *node);
void ms_hash_del(struct ms_hash *h, struct ms_hash_node *node);
struct ms_hash_node *ms_hash_pop(struct ms_hash *h);
/* Call fn on every node; fn must not add or delete nodes. */
void ms_hash_each(const struct ms_hash *h,
		  void (*fn)(struct ms_hash_node *node, void *data),
		  void *data);

#endif /* MS_HASH_H */
