// SPDX-License-Identifier: GPL-2.0
/*
 * fakemig - emit a known sequence of migscope events from user space.
 *
 * Used once, as root, by make-traces.sh to produce the small trace.dat
 * files in this directory.  Each ms_* function below is a uprobe whose
 * event carries the name and the fields of one event of
 * tracepoints/events.catalog, so the recorded file goes through exactly
 * the same libtracecmd path as a trace of the patched kernel, with a
 * sequence whose counts are known (see EXPECTED in make-traces.sh).
 *
 * Build: gcc -O1 -o fakemig fakemig.c
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define probe __attribute__((noipa, used))
#define barrier() __asm__ __volatile__("" ::: "memory")

struct call_end {
	uint64_t succeeded;
	uint64_t failed;
	uint64_t thp_succeeded;
	uint64_t thp_failed;
	uint64_t thp_split;
	uint64_t large_folio_split;
	int32_t mode;
	int32_t reason;
};

probe void ms_sys_enter(uint64_t nr_pages) { (void)nr_pages; barrier(); }
probe void ms_sys_exit(int64_t ret) { (void)ret; barrier(); }
probe void ms_call_start(int mode, int reason)
{
	(void)mode; (void)reason; barrier();
}
probe void ms_call_end(const struct call_end *e) { (void)e; barrier(); }
probe void ms_batch_begin(uint64_t id, int mode, int reason, int nr_pass,
			  uint32_t folios, uint64_t pages)
{
	(void)id; (void)mode; (void)reason; (void)nr_pass; (void)folios;
	(void)pages; barrier();
}
probe void ms_batch_end(uint64_t id, uint64_t succeeded, uint64_t failed,
			int rc)
{
	(void)id; (void)succeeded; (void)failed; (void)rc; barrier();
}

#define PHASE_PROBES(name)						\
probe void ms_##name##_begin(uint64_t id) { (void)id; barrier(); }	\
probe void ms_##name##_end(uint64_t id, uint32_t folios,		\
			   uint64_t pages, uint32_t failed,		\
			   uint32_t retried)				\
{									\
	(void)id; (void)folios; (void)pages; (void)failed;		\
	(void)retried; barrier();					\
}

PHASE_PROBES(unmap)
PHASE_PROBES(flush)
PHASE_PROBES(move)
PHASE_PROBES(undo)

static void call_end(uint64_t ok, uint64_t failed, int mode, int reason)
{
	struct call_end e = {
		.succeeded = ok, .failed = failed, .mode = mode,
		.reason = reason,
	};

	ms_call_end(&e);
}

/* One complete, successful batch: unmap, flush, move. */
static void clean_batch(uint64_t id, uint32_t folios, uint64_t pages)
{
	ms_batch_begin(id, 2, 3, 10, folios, pages);
	ms_unmap_begin(id);
	ms_unmap_end(id, folios, pages, 0, 0);
	ms_flush_begin(id);
	ms_flush_end(id, folios, pages, 0, 0);
	ms_move_begin(id);
	ms_move_end(id, folios, pages, 0, 0);
	ms_batch_end(id, pages, 0, 0);
}

/* S1: move_pages() of 16 pages, one call, one batch. */
static void simple(void)
{
	ms_sys_enter(16);
	ms_call_start(2, 3);
	clean_batch(100, 4, 16);
	call_end(16, 0, 2, 3);
	ms_sys_exit(0);
}

/* S2: compaction (a nested call) inside the unmap phase of batch 101. */
static void nested(void)
{
	ms_sys_enter(8);
	ms_call_start(2, 3);
	ms_batch_begin(101, 2, 3, 10, 2, 8);
	ms_unmap_begin(101);
	ms_call_start(0, 0);
	clean_batch(102, 1, 1);
	call_end(1, 0, 0, 0);
	ms_unmap_end(101, 2, 8, 0, 0);
	ms_flush_begin(101);
	ms_flush_end(101, 2, 8, 0, 0);
	ms_move_begin(101);
	ms_move_end(101, 2, 8, 0, 0);
	ms_batch_end(101, 8, 0, 0);
	call_end(8, 0, 2, 3);
	ms_sys_exit(0);
}

/* S4: one call, two batches, failures, an undo and a negative rc. */
static void failing(void)
{
	ms_sys_enter(6);
	ms_call_start(2, 3);
	ms_batch_begin(105, 2, 3, 10, 4, 4);
	ms_unmap_begin(105);
	ms_unmap_end(105, 2, 2, 2, 0);
	ms_flush_begin(105);
	ms_flush_end(105, 2, 2, 0, 0);
	ms_move_begin(105);
	ms_move_end(105, 1, 1, 1, 0);
	ms_undo_begin(105);
	ms_undo_end(105, 1, 1, 0, 0);
	ms_batch_end(105, 1, 3, 3);
	ms_batch_begin(106, 2, 3, 10, 1, 1);
	ms_unmap_begin(106);
	ms_unmap_end(106, 0, 0, 1, 0);
	ms_batch_end(106, 0, 1, -12);
	call_end(1, 4, 2, 3);
	ms_sys_exit(-14);
}

/* S5: a task seen mid-call: ends without begins, then begins never ended */
static void unpaired(void)
{
	ms_unmap_end(999, 1, 1, 0, 0);
	ms_batch_end(998, 1, 0, 0);
	call_end(1, 0, 2, 3);
	ms_sys_exit(0);
	ms_sys_enter(1);
	ms_call_start(2, 3);
	ms_batch_begin(107, 2, 3, 10, 1, 1);
	ms_unmap_begin(107);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void pass(int wfd, int rfd)
{
	char c = 0;

	if (write(wfd, &c, 1) != 1 || read(rfd, &c, 1) != 1)
		exit(1);
}

/*
 * S3: two tasks on two CPUs, batches 103 (parent) and 104 (child) open at
 * the same time, their events interleaved in time.
 */
static void interleaved(void)
{
	int to_child[2], to_parent[2];
	char c;
	pid_t pid;

	if (pipe(to_child) || pipe(to_parent))
		exit(1);
	pid = fork();
	if (pid == 0) {
		pin(1);
		if (read(to_child[0], &c, 1) != 1)
			exit(1);
		ms_sys_enter(2);
		ms_call_start(2, 3);
		ms_batch_begin(104, 2, 3, 10, 2, 2);
		ms_unmap_begin(104);
		pass(to_parent[1], to_child[0]);
		ms_unmap_end(104, 2, 2, 0, 0);
		ms_flush_begin(104);
		ms_flush_end(104, 2, 2, 0, 0);
		if (write(to_parent[1], &c, 1) != 1)
			exit(1);
		ms_move_begin(104);
		ms_move_end(104, 2, 2, 0, 0);
		ms_batch_end(104, 2, 0, 0);
		call_end(2, 0, 2, 3);
		ms_sys_exit(0);
		exit(0);
	}
	pin(0);
	ms_sys_enter(2);
	ms_call_start(2, 3);
	ms_batch_begin(103, 2, 3, 10, 2, 2);
	pass(to_child[1], to_parent[0]);
	ms_unmap_begin(103);
	ms_unmap_end(103, 2, 2, 0, 0);
	pass(to_child[1], to_parent[0]);
	ms_flush_begin(103);
	ms_flush_end(103, 2, 2, 0, 0);
	ms_move_begin(103);
	ms_move_end(103, 2, 2, 0, 0);
	ms_batch_end(103, 2, 0, 0);
	call_end(2, 0, 2, 3);
	ms_sys_exit(0);
	waitpid(pid, NULL, 0);
}

static void in_child(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* fakemig [N]: N > 1 repeats S1 and S2 N times (a large trace) */
int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 1;

	for (i = 0; i < n; i++) {
		simple();
		nested();
	}
	interleaved();
	failing();
	in_child(unpaired);
	return 0;
}
