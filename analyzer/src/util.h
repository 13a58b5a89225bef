/* SPDX-License-Identifier: GPL-2.0 */
/* util.h - the two macros every C program ends up needing. */
#ifndef MS_UTIL_H
#define MS_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a)	((int)(sizeof(a) / sizeof((a)[0])))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif /* MS_UTIL_H */
