// SPDX-License-Identifier: GPL-2.0
/* migbench: messages and number parsing */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migbench.h"

bool mb_progress_on;

static void mb_vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, MB_NAME ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void mb_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mb_vmsg(fmt, ap);
	va_end(ap);
}

void mb_progress(const char *fmt, ...)
{
	va_list ap;

	if (!mb_progress_on)
		return;
	va_start(ap, fmt);
	mb_vmsg(fmt, ap);
	va_end(ap);
}

int mb_parse_ulong(const char *opt, const char *s, unsigned long long *val)
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

/* "64M", "2M", "16K", "1G", "4096", "64MiB", "16kB": bytes (powers of 1024) */
int mb_parse_size(const char *opt, const char *s, unsigned long long *val)
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
	mb_err("%s '%s': expected a number of bytes with an optional K, M or G suffix (e.g. 64M)",
	       opt, s);
	return -1;
}

/* 4096 -> "4K", 2097152 -> "2M", 1073741824 -> "1G", 1000 -> "1000" */
const char *mb_size_str(size_t bytes, char *buf, size_t len)
{
	if (bytes && !(bytes & ((1UL << 30) - 1)))
		snprintf(buf, len, "%zuG", bytes >> 30);
	else if (bytes && !(bytes & ((1UL << 20) - 1)))
		snprintf(buf, len, "%zuM", bytes >> 20);
	else if (bytes && !(bytes & ((1UL << 10) - 1)))
		snprintf(buf, len, "%zuK", bytes >> 10);
	else
		snprintf(buf, len, "%zu", bytes);
	return buf;
}

const char *mb_backing_name(enum mb_backing b)
{
	switch (b) {
	case MB_BACKING_ANON:
		return "anon";
	case MB_BACKING_SHMEM:
		return "shmem";
	case MB_BACKING_MEMFD:
		return "memfd";
	}
	return "?";
}

const char *mb_driver_name(enum mb_driver d)
{
	switch (d) {
	case MB_DRIVER_MOVE_PAGES:
		return "move_pages";
	case MB_DRIVER_MBIND:
		return "mbind";
	case MB_DRIVER_MIGRATE_PAGES:
		return "migrate_pages";
	case MB_DRIVER_NUMA_FAULT:
		return "numa-fault";
	case MB_DRIVER_PROMOTE:
		return "promote";
	case MB_DRIVER_DEMOTE:
		return "demote";
	case MB_DRIVER_COMPACT:
		return "compact";
	case MB_DRIVER_OFFLINE:
		return "offline";
	case MB_DRIVER_DAMON_COLD:
		return "damon-cold";
	case MB_DRIVER_DAMON_HOT:
		return "damon-hot";
	}
	return "?";
}

const char *mb_compact_name(enum mb_compact_how c)
{
	switch (c) {
	case MB_COMPACT_NODE:
		return "node";
	case MB_COMPACT_ALL:
		return "all";
	case MB_COMPACT_PROACTIVE:
		return "proactive";
	}
	return "?";
}
