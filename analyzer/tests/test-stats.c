// SPDX-License-Identifier: GPL-2.0
/*
 * test-stats.c - exact moments and histogram percentiles within the
 * documented bound (1/64) on known distributions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "stats.h"

#define BOUND	(1.0 / 64)

static uint64_t rng_state = 88172645463325252ULL;

/* xorshift64: deterministic, no libc state */
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* nearest rank on a sorted array */
static uint64_t exact_pct(const uint64_t *v, size_t n, double pct)
{
	size_t rank = (size_t)ceil(pct / 100.0 * n);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static void assert_close(uint64_t got, uint64_t want)
{
	double err = fabs((double)got - (double)want);

	if (err > BOUND * (double)want) {
		fail_msg("percentile %llu, exact %llu: error %.4f > 1/64",
			 (unsigned long long)got, (unsigned long long)want,
			 err / (double)want);
	}
}

/* Feed v[0..n) and check moments and p50/p90/p99 against the exact. */
static void check_distribution(uint64_t *v, size_t n)
{
	static const double pcts[] = { 1, 50, 90, 99, 99.9, 100 };
	struct ms_stats *s = malloc(sizeof(*s));
	uint64_t total = 0;
	size_t i;

	assert_non_null(s);
	ms_stats_init(s);
	for (i = 0; i < n; i++) {
		ms_stats_add(s, v[i]);
		total += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	assert_int_equal(s->count, n);
	assert_int_equal(s->total, total);
	assert_int_equal(s->min, v[0]);
	assert_int_equal(s->max, v[n - 1]);
	assert_int_equal(ms_stats_mean(s), (total + n / 2) / n);
	for (i = 0; i < ARRAY_SIZE(pcts); i++)
		assert_close(ms_stats_percentile(s, pcts[i]),
			     exact_pct(v, n, pcts[i]));
	free(s);
}

static void test_bucket_bounds(void **state)
{
	uint64_t v;
	int i;

	(void)state;
	for (v = 0; v < 200000; v++) {
		unsigned int b = ms_hist_bucket(v);

		assert_true(b < MS_HIST_BUCKETS);
		assert_true(ms_hist_lower(b) <= v);
		assert_true(v - ms_hist_lower(b) < ms_hist_width(b));
	}
	for (i = 0; i < 100000; i++) {
		unsigned int b;

		v = rng() >> (rng() % 64);
		b = ms_hist_bucket(v);
		assert_true(b < MS_HIST_BUCKETS);
		assert_true(ms_hist_lower(b) <= v);
		assert_true(v - ms_hist_lower(b) < ms_hist_width(b));
		/* the width of a bucket is at most 1/64 of its lower bound */
		if (v >= MS_HIST_SUB)
			assert_true(ms_hist_width(b) * 64 <= ms_hist_lower(b));
	}
	assert_int_equal(ms_hist_bucket(UINT64_MAX), MS_HIST_BUCKETS - 1);
	assert_int_equal(ms_hist_bucket(63), 63);
	assert_int_equal(ms_hist_bucket(64), 64);
	assert_int_equal(ms_hist_bucket(127), 127);
	assert_int_equal(ms_hist_bucket(128), 128);
	assert_int_equal(ms_hist_bucket(129), 128);
}

static void test_empty(void **state)
{
	struct ms_stats *s = malloc(sizeof(*s));

	(void)state;
	assert_non_null(s);
	ms_stats_init(s);
	assert_int_equal(s->count, 0);
	assert_int_equal(ms_stats_mean(s), 0);
	assert_int_equal(ms_stats_percentile(s, 50), 0);
	assert_int_equal(ms_stats_percentile(s, 99), 0);
	free(s);
}

static void test_single_and_constant(void **state)
{
	uint64_t one[] = { 123456789 };
	uint64_t same[1000];
	size_t i;

	(void)state;
	check_distribution(one, 1);
	for (i = 0; i < ARRAY_SIZE(same); i++)
		same[i] = 4242;
	check_distribution(same, ARRAY_SIZE(same));
}

static void test_uniform(void **state)
{
	size_t i, n = 100000;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = i + 1;
	check_distribution(v, n);
	for (i = 0; i < n; i++)
		v[i] = 1000 + rng() % 10000000;
	check_distribution(v, n);
	free(v);
}

/* durations spread over 9 decades, like migrate_pages() calls */
static void test_log_uniform(void **state)
{
	size_t i, n = 200000;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = (uint64_t)pow(10, 1 + 9.0 * (rng() % 1000000) / 1e6);
	check_distribution(v, n);
	free(v);
}

static void test_exponential(void **state)
{
	size_t i, n = 100000;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++) {
		double u = (rng() % 1000000 + 1) / 1000001.0;

		v[i] = (uint64_t)(-50000.0 * log(u));
	}
	check_distribution(v, n);
	free(v);
}

/* 99% fast, 1% very slow: p99 must not be dragged to the tail */
static void test_bimodal(void **state)
{
	size_t i, n = 10000;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = i % 100 ? 1500 + i % 7 : 2000000000ULL + i;
	check_distribution(v, n);
	free(v);
}

static void test_huge_values(void **state)
{
	uint64_t v[] = { UINT64_MAX / 4, UINT64_MAX / 3, 1ULL << 62, 5 };

	(void)state;
	check_distribution(v, ARRAY_SIZE(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_bounds),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_and_constant),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_log_uniform),
		cmocka_unit_test(test_exponential),
		cmocka_unit_test(test_bimodal),
		cmocka_unit_test(test_huge_values),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
