// SPDX-License-Identifier: GPL-2.0
/*
 * test-topology.c - the marker parser: quoted values, missing keys,
 * garbage, L3 domain grouping and numbering.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "topology.h"

static int feed(struct ms_machine *m, const char *line)
{
	return ms_machine_parse(m, line, strlen(line));
}

static void test_full_set(void **state)
{
	static const char * const lines[] = {
		"migscope:begin v=1",
		"migscope:kernel release=6.12.0-migscope version=\"#1 SMP "
		"PREEMPT_DYNAMIC Debian 6.12.9-1\" machine=x86_64",
		"migscope:clock trace_clock=x86-tsc page_size=4096 ncpus=4 "
		"cpu_mhz=2994.374",
		"migscope:env hypervisor=1 emulated=\"qemu-tcg\"",
		"migscope:cpu cpu=0 package=0 die=0 node=0 l3=\"0-1\"",
		"migscope:cpu cpu=1 package=0 die=0 node=0 l3=\"0-1\"",
		"migscope:cpu cpu=2 package=0 die=1 node=1 l3=\"2-3\"",
		"migscope:cpu cpu=3 package=0 die=1 node=1 l3=\"2-3\"",
		"migscope:node node=0 cpus=\"0-1\" mem_kb=2097152",
		"migscope:node node=1 cpus=\"2-3\" mem_kb=0",
		"migscope:node node=2 cpus=\"\" mem_kb=1048576",
		"migscope:end\n",
	};
	struct ms_machine m;
	size_t i;

	(void)state;
	ms_machine_init(&m);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		assert_int_equal(feed(&m, lines[i]), 1);
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_int_equal(m.nr_markers, ARRAY_SIZE(lines));
	assert_string_equal(m.release, "6.12.0-migscope");
	assert_string_equal(m.version, "#1 SMP PREEMPT_DYNAMIC Debian 6.12.9-1");
	assert_string_equal(m.arch, "x86_64");
	assert_string_equal(m.clock, "x86-tsc");
	assert_int_equal(m.page_size, 4096);
	assert_int_equal(m.ncpus, 4);
	assert_true(m.cpu_mhz > 2994.3 && m.cpu_mhz < 2994.4);
	assert_true(m.have_env);
	assert_int_equal(m.hypervisor, 1);
	assert_string_equal(m.emulated, "qemu-tcg");
	assert_int_equal(m.nr_cpus, 4);
	assert_int_equal(m.nr_nodes, 3);
	assert_int_equal(m.nr_l3, 2);
	assert_int_equal(m.cpus[2].die, 1);
	assert_int_equal(m.cpus[2].l3, 1);
	assert_string_equal(m.l3[1].cpus, "2-3");
	assert_int_equal(m.l3[1].node, 1);
	assert_string_equal(m.nodes[2].cpus, "");
	assert_int_equal(m.nodes[2].mem_kb, 1048576);
	assert_true(ms_machine_has_topology(&m));
	ms_machine_free(&m);
}

/* Domains are numbered by lowest CPU, whatever order the CPUs come in. */
static void test_l3_order(void **state)
{
	static const char * const lines[] = {
		"migscope:cpu cpu=6 node=1 l3=\"4-7\"",
		"migscope:cpu cpu=1 node=0 l3=\"0-1,8\"",
		"migscope:cpu cpu=9 node=2 l3=\"9\"",
		"migscope:cpu cpu=4 node=1 l3=\"4-7\"",
		"migscope:cpu cpu=8 node=1 l3=\"0-1,8\"",
		"migscope:cpu cpu=10 node=2 l3=-",
		"migscope:cpu cpu=11 node=2",
	};
	struct ms_machine m;
	size_t i;

	(void)state;
	ms_machine_init(&m);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		assert_int_equal(feed(&m, lines[i]), 1);
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_int_equal(m.nr_l3, 3);
	assert_string_equal(m.l3[0].cpus, "0-1,8");
	assert_int_equal(m.l3[0].id, 0);
	assert_int_equal(m.l3[0].node, -1);	/* CPUs 1 and 8 differ */
	assert_string_equal(m.l3[1].cpus, "4-7");
	assert_int_equal(m.l3[1].node, 1);
	assert_string_equal(m.l3[2].cpus, "9");
	/* CPUs sorted by number, each with its domain */
	assert_int_equal(m.cpus[0].cpu, 1);
	assert_int_equal(m.cpus[0].l3, 0);
	assert_int_equal(m.cpus[1].cpu, 4);
	assert_int_equal(m.cpus[1].l3, 1);
	assert_int_equal(m.cpus[2].cpu, 6);
	assert_int_equal(m.cpus[2].l3, 1);
	assert_int_equal(m.cpus[3].cpu, 8);
	assert_int_equal(m.cpus[3].l3, 0);
	assert_int_equal(m.cpus[4].l3, 2);
	assert_int_equal(m.cpus[5].l3, -1);	/* l3=- */
	assert_int_equal(m.cpus[6].l3, -1);	/* no l3 key */
	ms_machine_free(&m);
}

/* The migrate marker: the active migrator, its reasons and threshold */
static void test_migrate_marker(void **state)
{
	struct ms_machine m;

	(void)state;
	ms_machine_init(&m);
	assert_false(m.have_migrate);
	assert_int_equal(m.min_folios, -1);
	assert_int_equal(feed(&m, "migscope:migrate migrator=dcbm batch_copy=1 offload_reasons=\"demotion memory_hotplug\" min_folios=4 min_bytes=65536"), 1);
	assert_true(m.have_migrate);
	assert_string_equal(m.migrator, "dcbm");
	assert_string_equal(m.offload_reasons, "demotion memory_hotplug");
	assert_int_equal(m.min_folios, 4);
	assert_int_equal(m.min_bytes, 65536);
	/* a migrator without a threshold; a negative or garbage one is none */
	assert_int_equal(feed(&m, "migscope:migrate migrator=mtcopy min_bytes=-3 min_folios=x"), 1);
	assert_string_equal(m.migrator, "mtcopy");
	assert_int_equal(m.min_folios, -1);
	assert_int_equal(m.min_bytes, -1);
	ms_machine_free(&m);
}

static void test_missing_keys(void **state)
{
	struct ms_machine m;

	(void)state;
	ms_machine_init(&m);
	assert_int_equal(feed(&m, "migscope:cpu cpu=3"), 1);
	assert_int_equal(feed(&m, "migscope:node node=0"), 1);
	assert_int_equal(feed(&m, "migscope:clock"), 1);
	assert_int_equal(feed(&m, "migscope:env"), 1);
	assert_int_equal(feed(&m, "migscope:kernel"), 1);
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_int_equal(m.cpus[0].package, -1);
	assert_int_equal(m.cpus[0].die, -1);
	assert_int_equal(m.cpus[0].node, -1);
	assert_int_equal(m.cpus[0].l3, -1);
	assert_null(m.nodes[0].cpus);
	assert_int_equal(m.nodes[0].mem_kb, -1);
	assert_null(m.clock);
	assert_int_equal(m.page_size, 0);
	assert_int_equal(m.ncpus, -1);
	assert_true(m.cpu_mhz == 0);
	assert_true(m.have_env);
	assert_int_equal(m.hypervisor, -1);
	assert_null(m.emulated);
	assert_null(m.release);
	ms_machine_free(&m);
}

static void test_garbage_ignored(void **state)
{
	static const char * const lines[] = {
		"",
		"m",
		"migscope",
		"migscope:",
		"migscope: ",
		"hello: not a migscope marker",
		"MIGSCOPE:cpu cpu=1",
		"migscope:cpux cpu=1",
		"migscope:unknown a=b",
		"migscope:cpu",
		"migscope:cpu cpu=",
		"migscope:cpu cpu=abc",
		"migscope:cpu cpu=-1",
		"migscope:cpu cpu=1x",
		"migscope:cpu cpu=99999999999999999999999",
		"migscope:cpu cpu=70000",
		"migscope:cpu =1 == = cpu",
		"migscope:node node=\"",
		"migscope:node cpus=\"0-3\"",
		"migscope:clock page_size=-4096 cpu_mhz=nan ncpus=zz",
		"migscope:clock page_size=99999999999999 cpu_mhz=1e300",
		"migscope:env hypervisor=7",
	};
	struct ms_machine m;
	size_t i;

	(void)state;
	ms_machine_init(&m);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		assert_true(feed(&m, lines[i]) >= 0);
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_int_equal(m.nr_cpus, 0);
	assert_int_equal(m.nr_nodes, 0);
	assert_int_equal(m.page_size, 0);
	assert_true(m.cpu_mhz == 0);
	assert_int_equal(m.hypervisor, -1);
	assert_false(ms_machine_has_topology(&m));
	ms_machine_free(&m);
}

static void test_quotes(void **state)
{
	struct ms_machine m;

	(void)state;
	ms_machine_init(&m);
	/* unterminated quote: the value runs to the end of the line */
	feed(&m, "migscope:kernel release=6.12 version=\"#1 SMP");
	/* key=value glued after a quote, and spaces inside quotes */
	feed(&m, "migscope:node node=4 cpus=\"0-1, 4\"mem_kb=12");
	/* the last occurrence of a key wins */
	feed(&m, "migscope:env emulated=a emulated=\"b c\"");
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_string_equal(m.version, "#1 SMP");
	assert_string_equal(m.nodes[0].cpus, "0-1, 4");
	assert_int_equal(m.nodes[0].mem_kb, 12);
	assert_string_equal(m.emulated, "b c");
	ms_machine_free(&m);
}

/* ftrace:print text is not NUL-terminated and may carry a newline */
static void test_bounded_text(void **state)
{
	char buf[] = "migscope:cpu cpu=5 node=1 l3=\"5\"\nXXXXXXXX";
	char nul[] = "migscope:cpu cpu=6\0cpu=7 garbage";
	struct ms_machine m;

	(void)state;
	ms_machine_init(&m);
	assert_int_equal(ms_machine_parse(&m, buf,
					  strlen("migscope:cpu cpu=5 node=1 "
						 "l3=\"5\"\n")), 1);
	assert_int_equal(ms_machine_parse(&m, nul, sizeof(nul)), 1);
	/* cut inside the prefix */
	assert_int_equal(ms_machine_parse(&m, buf, 5), 0);
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_int_equal(m.nr_cpus, 2);
	assert_int_equal(m.cpus[0].cpu, 5);
	assert_int_equal(m.cpus[0].node, 1);
	assert_int_equal(m.cpus[1].cpu, 6);
	ms_machine_free(&m);
}

static void test_repeated_markers(void **state)
{
	struct ms_machine m;

	(void)state;
	ms_machine_init(&m);
	feed(&m, "migscope:cpu cpu=0 node=0 l3=\"0\"");
	feed(&m, "migscope:cpu cpu=0 node=1 l3=\"0-1\"");
	feed(&m, "migscope:clock trace_clock=\"local [mono] boot\"");
	feed(&m, "migscope:kernel release=a");
	feed(&m, "migscope:kernel release=b");
	assert_int_equal(ms_machine_finish(&m), 0);
	assert_int_equal(m.nr_cpus, 1);
	assert_int_equal(m.cpus[0].node, 1);
	assert_int_equal(m.nr_l3, 1);
	assert_string_equal(m.l3[0].cpus, "0-1");
	assert_string_equal(m.clock, "mono");
	assert_string_equal(m.release, "b");
	ms_machine_free(&m);
}

/* Random bytes after the prefix: no crash, no leak (ASan/LSan). */
static void test_random_lines(void **state)
{
	static const char alphabet[] = "migscope:cpunodekl3=\" -0123456789\n";
	uint64_t x = 0x2545F4914F6CDD1DULL;
	struct ms_machine m;
	char line[96];
	int i, j;

	(void)state;
	ms_machine_init(&m);
	for (i = 0; i < 20000; i++) {
		size_t n = 9 + i % 80;

		memcpy(line, "migscope:", 9);
		for (j = 9; j < (int)n; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			line[j] = i % 3 ? alphabet[x % (sizeof(alphabet) - 1)]
					: (char)(x & 0xff);
		}
		assert_true(ms_machine_parse(&m, line, n) >= 0);
	}
	assert_int_equal(ms_machine_finish(&m), 0);
	ms_machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_set),
		cmocka_unit_test(test_l3_order),
		cmocka_unit_test(test_migrate_marker),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_garbage_ignored),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_bounded_text),
		cmocka_unit_test(test_repeated_markers),
		cmocka_unit_test(test_random_lines),
	};

	return cmocka_run_group_tests_name("topology", tests, NULL, NULL);
}
