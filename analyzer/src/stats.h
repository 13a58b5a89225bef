/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - streaming statistics of durations.
 *
 * count, total, min, max and mean are exact.  Percentiles come from a
 * log-linear histogram: values below 64 have a bucket each, above that
 * every power of two is split into 64 equal buckets, so a bucket is never
 * wider than 1/64 of its lower bound.  A percentile is reported as the
 * middle of the bucket holding the nearest-rank sample, clamped to
 * [min, max]: its relative error is below 1/128 (documented as 1/64).
 * The memory is fixed (MS_HIST_BUCKETS counters), whatever the count.
 */
#ifndef MS_STATS_H
#define MS_STATS_H

#include <stdint.h>

#define MS_HIST_SUB_BITS	6
#define MS_HIST_SUB		(1 << MS_HIST_SUB_BITS)
/* one linear range below 64, then 58 more powers of two up to 2^64 */
#define MS_HIST_BUCKETS		((64 - MS_HIST_SUB_BITS + 1) * MS_HIST_SUB)

struct ms_stats {
	uint64_t	count;
	uint64_t	total;
	uint64_t	min;
	uint64_t	max;
	uint64_t	hist[MS_HIST_BUCKETS];
};

void ms_stats_init(struct ms_stats *s);
void ms_stats_add(struct ms_stats *s, uint64_t value);
uint64_t ms_stats_mean(const struct ms_stats *s);
uint64_t ms_stats_percentile(const struct ms_stats *s, double pct);

/* exposed for the tests */
unsigned int ms_hist_bucket(uint64_t value);
uint64_t ms_hist_lower(unsigned int bucket);
uint64_t ms_hist_width(unsigned int bucket);

#endif /* MS_STATS_H */
