// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - streaming statistics with a log-linear histogram.
 */
#include <math.h>
#include <string.h>

#include "stats.h"

void ms_stats_init(struct ms_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->min = UINT64_MAX;
}

unsigned int ms_hist_bucket(uint64_t value)
{
	unsigned int msb, shift;

	if (value < MS_HIST_SUB)
		return value;
	msb = 63 - __builtin_clzll(value);
	shift = msb - MS_HIST_SUB_BITS;
	return (shift + 1) * MS_HIST_SUB +
	       ((value >> shift) & (MS_HIST_SUB - 1));
}

uint64_t ms_hist_lower(unsigned int bucket)
{
	unsigned int shift;

	if (bucket < MS_HIST_SUB)
		return bucket;
	shift = bucket / MS_HIST_SUB - 1;
	return (uint64_t)(MS_HIST_SUB + bucket % MS_HIST_SUB) << shift;
}

uint64_t ms_hist_width(unsigned int bucket)
{
	if (bucket < MS_HIST_SUB)
		return 1;
	return 1ULL << (bucket / MS_HIST_SUB - 1);
}

void ms_stats_add(struct ms_stats *s, uint64_t value)
{
	s->count++;
	s->total += value;
	if (value < s->min)
		s->min = value;
	if (value > s->max)
		s->max = value;
	s->hist[ms_hist_bucket(value)]++;
}

uint64_t ms_stats_mean(const struct ms_stats *s)
{
	if (!s->count)
		return 0;
	return (s->total + s->count / 2) / s->count;
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * The nearest-rank percentile: the smallest sample such that pct percent
 * of the samples are at most it; 0 when there is no sample.
 */
uint64_t ms_stats_percentile(const struct ms_stats *s, double pct)
{
	uint64_t rank, seen = 0;
	unsigned int b;

	if (!s->count)
		return 0;
	rank = (uint64_t)ceil(pct / 100.0 * (double)s->count);
	if (rank < 1)
		rank = 1;
	if (rank > s->count)
		rank = s->count;
	for (b = 0; b < MS_HIST_BUCKETS; b++) {
		seen += s->hist[b];
		if (seen >= rank)
			break;
	}
	if (b == MS_HIST_BUCKETS)
		return s->max;
	return clamp(ms_hist_lower(b) + (ms_hist_width(b) - 1) / 2,
		     s->min, s->max);
}
