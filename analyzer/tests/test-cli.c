// SPDX-License-Identifier: GPL-2.0
/*
 * test-cli.c - the migscope binary (built with ASan/UBSan, path in
 * $MIGSCOPE): bad inputs give exit status 1 and exactly one line on
 * stderr with no sanitizer report; good traces give the expected
 * reports; every fixture (tests/fixtures/\*.dat) holds the invariants of
 * tests/invariants.jq.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

struct run {
	int	status;		/* exit status, -1 if killed */
	char	*out;
	char	*err;
	int	err_lines;
	bool	sanitizer;	/* an ASan/UBSan/LSan report was written */
};

static char tmpdir[] = "/tmp/migscope-test-XXXXXX";

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v ? v : def;
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

static char *data(const char *name)
{
	return path_in(env_or("MS_TESTDATA", "tests/data"), name);
}

static char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*size = 0;
	if (!f)
		return NULL;
	n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = calloc(1, n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = n;
	}
	fclose(f);
	return buf;
}

static void spit(const char *path, const void *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Sanitizer reports go to files named san.* in tmpdir. */
static void child_env(void)
{
	char *v;

	if (asprintf(&v, "%s:log_path=%s/san", env_or("ASAN_OPTIONS", ""),
		     tmpdir) > 0)
		setenv("ASAN_OPTIONS", v, 1);
	if (asprintf(&v, "%s:log_path=%s/san", env_or("UBSAN_OPTIONS", ""),
		     tmpdir) > 0)
		setenv("UBSAN_OPTIONS", v, 1);
}

static bool sanitizer_logs(void)
{
	struct dirent *d;
	bool found = false;
	DIR *dir = opendir(tmpdir);

	if (!dir)
		return false;
	while ((d = readdir(dir))) {
		if (!strncmp(d->d_name, "san.", 4)) {
			char *p = path_in(tmpdir, d->d_name);
			size_t n;
			char *log = slurp(p, &n);

			print_error("%s", log ? log : "");
			free(log);
			unlink(p);
			free(p);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* argv: bin, then args (NULL-terminated, 14 at most) */
static void make_argv(char *argv[16], const char *bin,
		      const char *const args[])
{
	size_t i;

	argv[0] = (char *)bin;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
}

/* Run $MIGSCOPE with args (NULL-terminated), capture stdout/stderr. */
static void run(struct run *r, const char *const args[])
{
	char *out = path_in(tmpdir, "stdout"), *err = path_in(tmpdir, "stderr");
	const char *bin = env_or("MIGSCOPE", "build/check/migscope");
	char *argv[16];
	size_t n;
	pid_t pid;
	int status;

	make_argv(argv, bin, args);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		child_env();
		alarm(120);	/* a hang (a FIFO opened blocking) fails */
		execv(bin, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->out = slurp(out, &n);
	r->err = slurp(err, &n);
	assert_non_null(r->out);
	assert_non_null(r->err);
	r->err_lines = count_lines(r->err);
	r->sanitizer = sanitizer_logs() || strstr(r->err, "Sanitizer") ||
		       strstr(r->err, "runtime error");
	free(out);
	free(err);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* exit 1, one line "migscope: ...", nothing on stdout, no sanitizer */
static void expect_one_line_error(const char *const args[],
				  const char *contains)
{
	struct run r;

	run(&r, args);
	if (r.status != 1 || r.err_lines != 1 || r.sanitizer ||
	    strncmp(r.err, "migscope: ", 10) || *r.out ||
	    (contains && !strstr(r.err, contains)))
		fail_msg("%s %s: status %d, %d stderr lines:\n%s", args[0],
			 args[1] ? args[1] : "", r.status, r.err_lines, r.err);
	run_free(&r);
}

static void expect_report_error(const char *path, const char *contains)
{
	const char *args[] = { "report", path, NULL };

	expect_one_line_error(args, contains);
}

static void test_usage(void **state)
{
	const char *none[] = { NULL };
	const char *version[] = { "--version", NULL };
	const char *help[] = { "--help", NULL };
	const char *bogus[] = { "bogus", NULL };
	const char *both[] = { "report", "--json", "--csv", "x", NULL };
	const char *nofile[] = { "report", NULL };
	const char *rhelp[] = { "report", "--help", NULL };
	struct run r;

	(void)state;
	run(&r, none);
	assert_int_equal(r.status, 2);
	run_free(&r);
	run(&r, version);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "migscope 0.1\n");
	run_free(&r);
	run(&r, help);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "report"));
	assert_non_null(strstr(r.out, "catalog"));
	run_free(&r);
	run(&r, bogus);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.err_lines, 1);
	run_free(&r);
	run(&r, both);
	assert_int_equal(r.status, 2);
	run_free(&r);
	run(&r, nofile);
	assert_int_equal(r.status, 2);
	run_free(&r);
	run(&r, rhelp);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "1/64"));
	run_free(&r);
}

static void test_missing_empty_text_dir(void **state)
{
	char *empty = path_in(tmpdir, "empty.dat");
	char *text = path_in(tmpdir, "text.dat");
	char *magic = path_in(tmpdir, "magic.dat");
	char *v5 = path_in(tmpdir, "v5.dat");
	static const char lines[] = "this is not a trace\nat all\n";
	static const char v5_head[] = "\027\010\104tracing5\0\0\010";

	(void)state;
	spit(empty, "", 0);
	spit(text, lines, sizeof(lines) - 1);
	spit(magic, "\027\010\104tracing", 10);
	spit(v5, v5_head, sizeof(v5_head) - 1);
	expect_report_error("/nonexistent/trace.dat", "no such file");
	expect_report_error(empty, "empty file");
	expect_report_error(text, "not a trace-cmd file");
	expect_report_error(tmpdir, "is a directory");
	expect_report_error(magic, "truncated");
	expect_report_error(v5, "version 5 is not supported");
	unlink(empty);
	unlink(text);
	unlink(magic);
	unlink(v5);
	free(empty);
	free(text);
	free(magic);
	free(v5);
}

/* A FIFO, a device: one line at once, never a hang in open(2). */
static void test_fifo_device(void **state)
{
	char *fifo = path_in(tmpdir, "fifo.dat");

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	expect_report_error(fifo, "is a pipe or socket");
	expect_report_error("/dev/null", "not a regular file");
	unlink(fifo);
	free(fifo);
}

/*
 * The reader of stdout went away (migscope ... | head -1): a quiet end,
 * by SIGPIPE or, with SIGPIPE ignored, exit 0 on EPIPE; never an error
 * that blames the trace.
 */
static void run_closed_pipe(const char *const args[], bool ignore,
			    int *status, char **err)
{
	const char *bin = env_or("MIGSCOPE", "build/check/migscope");
	char *errf = path_in(tmpdir, "stderr"), *argv[16];
	int p[2], st;
	size_t n;
	pid_t pid;

	make_argv(argv, bin, args);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		close(p[0]);	/* nobody reads: the first write fails */
		if (e < 0 || dup2(p[1], 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL);
		child_env();
		alarm(120);
		execv(bin, argv);
		_exit(127);
	}
	close(p[0]);
	close(p[1]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	*status = st;
	*err = slurp(errf, &n);
	assert_non_null(*err);
	free(errf);
}

static void test_closed_stdout(void **state)
{
	char *series = data("series.dat"), *dma = data("dma-t3.dat");
	const char *report[] = { "report", "--csv", series, NULL };
	const char *dmav[] = { "dma", "--csv", dma, NULL };
	const char *const *cases[] = { report, dmav };
	size_t i;
	int ign;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (ign = 0; ign < 2; ign++) {
			char *err;
			int st;

			run_closed_pipe(cases[i], ign, &st, &err);
			if (*err || !(ign ? WIFEXITED(st) &&
					    !WEXITSTATUS(st) :
					    WIFSIGNALED(st) &&
					    WTERMSIG(st) == SIGPIPE))
				fail_msg("%s, SIGPIPE %s: status 0x%x: %s",
					 cases[i][0], ign ? "ignored" : "default",
					 st, err);
			free(err);
		}
	}
	free(series);
	free(dma);
}

/*
 * crash-instance.dat (tests/data/README.md): libtracecmd 1.3.1 dies with
 * SIGSEGV in tracecmd_buffer_instance_handle() -> tracecmd_close() on it.
 * Every verb that reads it says so in one line and exits 1; nothing is
 * printed on stdout, no sanitizer report (the guard runs before ASan's).
 */
static void test_library_crash(void **state)
{
	char *bad = data("crash-instance.dat"), *good = data("series.dat");
	const char *report[] = { "report", bad, NULL };
	const char *json[] = { "report", "--json", bad, NULL };
	const char *dma[] = { "dma", bad, NULL };
	const char *ccd[] = { "ccd", "--csv", bad, NULL };
	const char *cmp[] = { "compare", good, bad, NULL };
	const char *const *cases[] = { report, json, dma, ccd, cmp };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		expect_one_line_error(cases[i],
				      "corrupt: libtracecmd crashed reading it (SIGSEGV)");
	free(bad);
	free(good);
}

/* Cut a committed trace at offsets (negative: from the end). */
static void cut_and_check(const char *name, const long *offsets, size_t n)
{
	char *src = data(name), *cut = path_in(tmpdir, "cut.dat");
	size_t size, i;
	char *buf = slurp(src, &size);

	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		long off = offsets[i] < 0 ? (long)size + offsets[i] :
					    offsets[i];

		assert_true(off > 0 && (size_t)off < size);
		spit(cut, buf, off);
		expect_report_error(cut, NULL);
	}
	unlink(cut);
	free(cut);
	free(buf);
	free(src);
}

static void test_truncated_v7(void **state)
{
	static const long offsets[] = {
		1, 3, 10, 11, 12, 20, 31, 36, 37, 100, 1000, 3370, 3371, 4000,
		4654, 8192, 8300, 12000, 12288, 16000, -129, -127, -100, -1,
	};

	(void)state;
	cut_and_check("series.dat", offsets, ARRAY_SIZE(offsets));
}

static void test_truncated_v6(void **state)
{
	static const long offsets[] = {
		12, 30, 100, 1000, 5000, 0x5a00, 0x7000, 0x8000, 20000, -4096,
		-1,
	};

	(void)state;
	cut_and_check("series-v6.dat", offsets, ARRAY_SIZE(offsets));
}

static void test_no_migration(void **state)
{
	char *nomig = data("nomig.dat"), *series = data("series.dat");
	const char *nosuch[] = { "report", "--buffer", "nosuch", series,
				 NULL };
	const char *noise[] = { "report", "-B", "noise", series, NULL };

	(void)state;
	expect_report_error(nomig, "no page-migration events");
	expect_one_line_error(nosuch, "buffers: top, ");
	expect_one_line_error(noise, "in buffer noise");
	free(nomig);
	free(series);
}

static void expect_ok(struct run *r, const char *const args[])
{
	run(r, args);
	if (r->status != 0 || r->sanitizer || *r->err)
		fail_msg("%s %s: status %d:\n%s", args[0], args[1], r->status,
			 r->err);
}

/* jq -e PROGRAM (a file with -f) on the JSON in json */
static bool jq_ok(const char *json, const char *program, bool file)
{
	char *in = path_in(tmpdir, "report.json"), *cmd;
	int ret;

	spit(in, json, strlen(json));
	if (asprintf(&cmd, "jq -e %s '%s' '%s' > /dev/null", file ? "-f" : "",
		     program, in) < 0)
		return false;
	ret = system(cmd);
	free(cmd);
	unlink(in);
	free(in);
	return ret == 0;
}

/* bash -c CMD (process substitution); its exit status */
static int run_bash(const char *cmd)
{
	char *full;
	int ret;

	if (asprintf(&full, "bash -c \"$MS_CMD\"") < 0)
		return -1;
	setenv("MS_CMD", cmd, 1);
	ret = system(full);
	unsetenv("MS_CMD");
	free(full);
	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

static const char *invariants(void)
{
	return env_or("MS_INVARIANTS", "tests/invariants.jq");
}

static void test_series_text(void **state)
{
	char *series = data("series.dat");
	const char *args[] = { "report", series, NULL };
	const char *one[] = { "report", "--buffer", "migscope", series, NULL };
	struct run r, r1;

	(void)state;
	expect_ok(&r, args);
	assert_non_null(strstr(r.out, "kernel:     6.12.0-migscope #1 SMP"));
	assert_non_null(strstr(r.out, "timings:    EMULATED machine "
				      "(qemu-tcg) \u2014 compare ratios"));
	assert_non_null(strstr(r.out, "\nunattributed "));
	assert_non_null(strstr(r.out, "\nundo "));
	assert_non_null(strstr(r.out, "L3 1      CPUs 1, node 1"));
	assert_non_null(strstr(r.out, "move_pages() syscalls: 5 (1 failed)"));
	assert_non_null(strstr(r.out, "4 begin without end, 4 end without"));
	expect_ok(&r1, one);
	/* the other buffers hold no migration event: same tables */
	assert_string_equal(strstr(r.out, "\nphase"), strstr(r1.out, "\nphase"));
	run_free(&r);
	run_free(&r1);
	free(series);
}

static void test_series_json(void **state)
{
	char *series = data("series.dat");
	const char *args[] = { "report", "--json", series, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, args);
	assert_true(jq_ok(r.out, invariants(), true));
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, ".series and .syscalls.count == 5 "
		"and .calls.count == 5 and .calls.pages_succeeded == 29 "
		"and .calls.pages_failed == 4 and .calls.bytes == 118784 "
		"and .batches.count == 6 "
		"and ([.phases[].count] == [6, 5, 0, 5, 1]) "
		"and .phases[0].pages == 30 and .phases[0].failed == 3 "
		"and .nested.calls == 1 and .nested.pages == 1 "
		"and .nested.by_reason[0].reason == \"compaction\" "
		"and .nested.by_reason[0].batches == 1 "
		"and .lost_events == {\"events\": 0, \"gaps\": 0, "
		"\"events_at_least\": false, \"calls\": 0, \"batches\": 0, "
		"\"syscalls\": 0} "
		"and .unpaired.begin_without_end == 4 "
		"and .unpaired.end_without_begin == 4 "
		"and .kernel.release == \"6.12.0-migscope\" "
		"and .clock == \"mono\" and .page_size == 4096 "
		"and .environment.emulated == \"qemu-tcg\" "
		"and .environment.hypervisor == true "
		"and (.topology.cpus | length) == 2 "
		"and (.topology.nodes | length) == 3 "
		"and .topology.l3_domains[1].cpus == \"1\" "
		"and .missing_events == [] and .record_hint == null", false));
	run_free(&r);
	free(series);
}

static void test_series_csv(void **state)
{
	char *series = data("series.dat");
	const char *args[] = { "report", "--csv", series, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, args);
	assert_int_equal(count_lines(r.out), 9);
	assert_memory_equal(r.out, "phase,count,total_ns,mean_ns,p50_ns,"
			    "p90_ns,p99_ns,max_ns,ns_per_page,share\nunmap,6,",
			    strlen("phase,count,total_ns,mean_ns,p50_ns,p90_ns,"
				   "p99_ns,max_ns,ns_per_page,share\nunmap,6,"));
	assert_non_null(strstr(r.out, "\nflush,5,"));
	assert_non_null(strstr(r.out, "\nmove,5,"));
	assert_non_null(strstr(r.out, "\nnested,1,"));
	assert_non_null(strstr(r.out, "\n# lost events: 0 in 0 gaps"));
	assert_non_null(strstr(r.out, "\nundo,1,"));
	assert_non_null(strstr(r.out, "\nunattributed,,"));
	assert_non_null(strstr(r.out, ",,,,,,,0."));
	run_free(&r);
	free(series);
}

/* exit 2 and one line on stderr holding contains, nothing on stdout */
static void expect_usage_error(const char *const args[], const char *contains)
{
	struct run r;

	run(&r, args);
	if (r.status != 2 || r.err_lines != 1 || r.sanitizer || *r.out ||
	    !strstr(r.err, contains))
		fail_msg("%s %s: status %d, %d stderr lines:\n%s", args[0],
			 args[1], r.status, r.err_lines, r.err);
	run_free(&r);
}

/*
 * --csv --by reason / mode on series.dat (make-traces.sh): its 5
 * outermost calls are move_pages(2)'s (reason 3, mode 2), 29 pages
 * succeeded, 4 failed, 6 batches of 16, 8, 4, 1, 2 and 2 pages at their
 * begin (p50 2, p99 and max 16) of 4, 2, 2, 0, 2, 2 folios unmapped; the
 * row's time is the whole trace's.  tsc.dat: one batch of 512 pages, in
 * cycles.
 */
static void test_csv_by(void **state)
{
	char *series = data("series.dat"), *tsc = data("tsc.dat");
	const char *reason[] = { "report", "--csv", "--by", "reason", series,
				 NULL };
	const char *mode[] = { "report", "--by", "mode", "--csv", series,
			       NULL };
	const char *phase[] = { "report", "--csv", "--by", "phase", series,
				NULL };
	const char *csv[] = { "report", "--csv", series, NULL };
	const char *json[] = { "report", "--json", series, NULL };
	const char *cycles[] = { "report", "--csv", "--by", "reason", tsc,
				 NULL };
	const char *nocsv[] = { "report", "--by", "reason", series, NULL };
	const char *bad[] = { "report", "--csv", "--by", "nosuch", series,
			      NULL };
	const char *help[] = { "report", "--help", NULL };
	const char *row = "\nsyscall_or_cpuset,5,29,4,";
	struct run r, j;
	char *p, *prog;
	long long total;

	(void)state;
	expect_ok(&r, reason);
	assert_int_equal(count_lines(r.out), 3);
	assert_non_null(strstr(r.out, ",share,batches,batch_folios_p50,"));
	assert_non_null(strstr(r.out, "\n# lost events: 0 in 0 gaps; "
				      "left out: 0 calls, 0 batches\n"));
	p = strstr(r.out, row);
	assert_non_null(p);
	p += strlen(row);
	total = strtoll(p, &p, 10);
	/* share 1, 6 batches, folios p50 p99 max, pages p50 p99 max */
	assert_memory_equal(p, ",1,6,2,4,4,2,16,16,", 19);
	expect_ok(&j, json);
	assert_true(asprintf(&prog, ".calls.total_ns == %lld "
			     "and .by_reason[0].batch_pages.p50 == 2", total) > 0);
	assert_true(jq_ok(j.out, prog, false));
	free(prog);
	run_free(&j);
	run_free(&r);
	expect_ok(&r, mode);
	assert_non_null(strstr(r.out, "\nMIGRATE_SYNC,5,29,4,"));
	assert_int_equal(strncmp(r.out, "mode,calls,", 11), 0);
	run_free(&r);
	expect_ok(&r, phase);
	expect_ok(&j, csv);
	assert_string_equal(r.out, j.out);
	run_free(&r);
	run_free(&j);
	expect_ok(&r, cycles);
	assert_non_null(strstr(r.out, ",pages_failed,total_cycles,share,"));
	assert_null(strstr(r.out, "_ns"));
	assert_non_null(strstr(r.out, "\nsyscall_or_cpuset,1,512,0,"));
	assert_non_null(strstr(r.out, ",512,512,512,"));
	run_free(&r);
	expect_usage_error(nocsv, "--by picks the rows of the CSV");
	expect_usage_error(bad, "--by nosuch: not one of phase, reason, mode");
	expect_ok(&r, help);
	assert_non_null(strstr(r.out, "--by phase|reason|mode"));
	run_free(&r);
	free(series);
	free(tsc);
}

/*
 * The callers section on tsc.dat: migbench moved 512 folios of 4 KiB in
 * one batch (tsc.migbench.json: bytes 2097152).  A threshold at that size
 * leaves it offered, one byte (or one folio) more puts all of it below;
 * the trace has no migscope:migrate marker, so without an option there
 * is no threshold.  A size that is not one is a usage error.
 */
static void test_callers_threshold(void **state)
{
	char *tsc = data("tsc.dat");
	const char *none[] = { "report", "--json", tsc, NULL };
	const char *at[] = { "report", "--json", "--min-bytes", "2M", tsc,
			     NULL };
	const char *above[] = { "report", "--json", "--min-bytes", "2097153",
				tsc, NULL };
	const char *folios[] = { "report", "--min-folios", "513", tsc, NULL };
	const char *bad[] = { "report", "--min-bytes", "12Q", tsc, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, none);
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, ".threshold == null and "
			  ".by_reason[0].callers == null and "
			  ".by_reason[0].batch_bytes.max == 2097152", false));
	run_free(&r);
	expect_ok(&r, at);
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, ".threshold.min_bytes == 2097152 and "
			  ".threshold.min_folios == null and "
			  ".by_reason[0].callers.judged_batches == 1 and "
			  ".by_reason[0].callers.below_batches == 0 and "
			  ".by_reason[0].callers.judged_bytes == 2097152", false));
	run_free(&r);
	expect_ok(&r, above);
	assert_true(jq_ok(r.out, ".by_reason[0].callers.below_batches == 1 and "
			  ".by_reason[0].callers.below_bytes == 2097152 and "
			  ".by_reason[0].callers.below_bytes_share == 1", false));
	run_free(&r);
	expect_ok(&r, folios);
	assert_non_null(strstr(r.out, "\ncallers (threshold from --min-folios/--min-bytes: min_folios 513, min_bytes none;"));
	assert_non_null(strstr(r.out, "\n  syscall_or_cpuset        1       1  100.0%     2097152  100.0%"));
	run_free(&r);
	expect_usage_error(bad, "--min-bytes 12Q: expected a count");
	free(tsc);
}

static void test_upstream_only(void **state)
{
	char *up = data("upstream.dat"), *unrec = data("unrecorded.dat");
	const char *text[] = { "report", up, NULL };
	const char *json[] = { "report", "--json", up, NULL };
	const char *text2[] = { "report", unrec, NULL };
	const char *json2[] = { "report", "--json", unrec, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, text);
	assert_non_null(strstr(r.out, "the kernel lacks the migscope series "
				      "(kernel/patches)"));
	assert_non_null(strstr(r.out, "trace-cmd record -e migrate_batch "
				      "-e migrate:mm_migrate_pages_start "
				      "-e migrate:mm_migrate_pages"));
	assert_non_null(strstr(r.out,
			       "migrate_pages() calls (outermost): 5, pages 29"));
	assert_non_null(strstr(r.out, "\nnested (compaction) "));
	assert_non_null(strstr(r.out, "\nlost events: none\n"));
	assert_non_null(strstr(r.out, "timings:    bare metal"));
	run_free(&r);
	expect_ok(&r, json);
	assert_true(jq_ok(r.out, invariants(), true));
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, "(.series | not) and .calls.count == 5 "
		"and .nested.calls == 1 "
		"and (.missing_events | length) == 13 "
		"and (.record_hint | startswith(\"trace-cmd record\")) "
		"and (.unattributed.share + .nested.share - 1 | fabs) < 1e-9",
		false));
	run_free(&r);
	expect_ok(&r, text2);
	assert_non_null(strstr(r.out, "the kernel has the series but the "
				      "events were not recorded"));
	assert_non_null(strstr(r.out, "topology:   unknown"));
	assert_non_null(strstr(r.out, "kernel:     unknown"));
	run_free(&r);
	expect_ok(&r, json2);
	assert_true(jq_ok(r.out, invariants(), true));
	assert_schema(r.out, "report");
	/* no markers: the clock is the file's own (fakemig: local) */
	assert_true(jq_ok(r.out, ".kernel == null and .clock == \"local\" "
		"and .timebase.source == \"file\" "
		"and .timebase.per_cpu_clock "
		"and .topology == null and .environment.emulated == null "
		"and .environment.hypervisor == null "
		"and .page_size == 4096", false));
	run_free(&r);
	free(up);
	free(unrec);
}

/*
 * lost.dat (tests/data/README.md): the missed-events flag on one page of
 * a one-call trace, inside the call: the call, its 32 batches and its
 * move_pages(2) are left out and counted, the two queries are not
 * touched; --strict prints the report, then fails with exit 3.
 */
static void test_lost_events(void **state)
{
	char *lost = data("lost.dat"), *dma = data("dma-t3.dat");
	const char *json[] = { "report", "--json", lost, NULL };
	const char *text[] = { "report", lost, NULL };
	const char *strict[] = { "report", "--strict", lost, NULL };
	const char *dmas[] = { "dma", "--strict", "--json", dma, NULL };
	const char *ccd[] = { "ccd", "--json", lost, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, json);
	assert_true(jq_ok(r.out, invariants(), true));
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, ".lost_events == {\"events\": 1, "
		"\"gaps\": 1, \"events_at_least\": true, \"calls\": 1, "
		"\"batches\": 32, \"syscalls\": 1} "
		"and .calls.count == 0 and .batches.count == 0 "
		"and all(.phases[]; .count == 0) "
		"and .syscalls.query_only == 2 and .syscalls.count == 0",
		false));
	run_free(&r);
	expect_ok(&r, text);
	assert_non_null(strstr(r.out, "\nlost events: at least 1 in 1 gaps "
				      "(first on CPU 2, "));
	assert_non_null(strstr(r.out, "left out: 1 calls, 32 batches, "
				      "1 syscalls"));
	run_free(&r);
	run(&r, strict);
	assert_int_equal(r.status, 3);
	assert_int_equal(r.err_lines, 1);
	assert_non_null(strstr(r.err, "1 events lost in 1 gaps (--strict)"));
	assert_non_null(strstr(r.out, "\nlost events: at least 1"));
	run_free(&r);
	/* no gap: --strict passes; every verb's JSON has the key */
	expect_ok(&r, dmas);
	assert_schema(r.out, "dma");
	assert_true(jq_ok(r.out, ".lost_events.gaps == 0 and "
			  ".lost_events.batches == 0 and "
			  ".schema_version == 3", false));
	run_free(&r);
	run(&r, ccd);	/* no mtcopy events: exit 1 */
	assert_int_equal(r.status, 1);
	run_free(&r);
	free(lost);
	free(dma);
}

/*
 * Clocks, from testbed traces of one migbench run of 512 pages each
 * (tests/data/README.md): tsc.dat recorded with trace-cmd record -C
 * x86-tsc and no markers, so its times are TSC cycles; tsc2nsec.dat the
 * same file with a TSC2NSEC option for 2596.115 MHz, which libtracecmd
 * applies to every timestamp: the same spans in ns.  local.dat: -C local.
 */
static void test_clocks(void **state)
{
	char *tsc = data("tsc.dat"), *ns = data("tsc2nsec.dat");
	char *local = data("local.dat"), *series = data("series.dat");
	const char *tsc_json[] = { "report", "--json", tsc, NULL };
	const char *tsc_csv[] = { "report", "--csv", tsc, NULL };
	const char *ns_json[] = { "report", "--json", ns, NULL };
	const char *ns_text[] = { "report", ns, NULL };
	const char *cmp[] = { "compare", tsc, ns, NULL };
	const char *local_text[] = { "report", local, NULL };
	const char *local_json[] = { "report", "--json", local, NULL };
	const char *series_json[] = { "report", "--json", series, NULL };
	long long cycles, nsec;
	struct run r;
	char *end;

	(void)state;
	expect_ok(&r, tsc_json);
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, invariants(), true));
	assert_true(jq_ok(r.out, ".time_unit == \"cycles\" "
		"and .clock == \"x86-tsc\" and .timebase.source == \"file\" "
		"and .timebase.tsc_khz == null "
		"and ([paths | .[-1] | strings "
		"| select(endswith(\"_ns\") or startswith(\"ns_\"))] == []) "
		"and .calls.count == 1 and .calls.pages_succeeded == 512",
		false));
	/* calls, copy, unmap totals in cycles */
	assert_non_null(strstr(r.out, "\"total_cycles\""));
	end = strstr(r.out, "\"calls\"");
	assert_non_null(end);
	assert_int_equal(sscanf(strstr(end, "\"total_cycles\""),
				"\"total_cycles\": %lld", &cycles), 1);
	run_free(&r);
	expect_ok(&r, tsc_csv);
	assert_memory_equal(r.out, "phase,count,total_cycles,", 25);
	run_free(&r);

	expect_ok(&r, ns_json);
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, ".time_unit == \"ns\" "
		"and .timebase.converted_by_libtracecmd "
		"and (.timebase.tsc_khz - 2596115 | fabs) < 1 "
		"and .calls.count == 1 "
		"and ([.phases[] | select(.ns_per_page != null) "
		"| (.cycles_per_page / .ns_per_page - 2.596115) | fabs "
		"| select(. > 1e-6)] == [])", false));
	end = strstr(r.out, "\"calls\"");
	assert_int_equal(sscanf(strstr(end, "\"total_ns\""),
				"\"total_ns\": %lld", &nsec), 1);
	run_free(&r);
	/* the same span: cycles / 2.596115 GHz, within libtracecmd's rounding */
	assert_true(llabs(nsec - llround(cycles / 2.596115)) <= 2);
	expect_ok(&r, ns_text);
	assert_non_null(strstr(r.out, "converted to ns by libtracecmd with "
				      "the file's TSC2NSEC option"));
	assert_non_null(strstr(r.out, "TSC cycles per page migrated: "));
	run_free(&r);
	/* ns against cycles: refused */
	run(&r, cmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "times in ns, but"));
	run_free(&r);

	expect_ok(&r, local_text);
	assert_non_null(strstr(r.out, "warning: clock local is per CPU"));
	run_free(&r);
	expect_ok(&r, local_json);
	assert_schema(r.out, "report");
	assert_true(jq_ok(r.out, ".clock == \"local\" "
		"and .timebase.per_cpu_clock and .timebase.source == \"file\"",
		false));
	run_free(&r);
	/* extracted instance: the file says local, the marker mono */
	expect_ok(&r, series_json);
	assert_true(jq_ok(r.out, ".clock == \"mono\" "
		"and .timebase.source == \"marker\" "
		"and (.timebase.note | test(\"trace-cmd extract\")) "
		"and (.timebase.per_cpu_clock | not)", false));
	run_free(&r);
	free(tsc);
	free(ns);
	free(local);
	free(series);
}

/* The A and B values of metric @name in `migscope compare` output @out. */
static void compare_values(const char *out, const char *name, double *a,
			   double *b)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(out, key);
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(key), "%lf %lf", a, b), 2);
}

/*
 * A gate on metric @name tripped by half its change from A to B (as a
 * relative change with @pp false, in percentage points with @pp true),
 * in the direction of the change, into @buf.
 */
static const char *half_gate(char *buf, size_t len, const char *name,
			     double a, double b, bool pp)
{
	double c = pp ? (b - a) * 100 : (b / a - 1) * 100;

	snprintf(buf, len, "%s %s %+.3f%s", name, c > 0 ? ">" : "<", c / 2,
		 pp ? "pp" : "%");
	return buf;
}

/*
 * compare --fail-if gates on the change from A to B (the committed demo
 * runs of 16384 and 65536 pages, one move_pages(2) call each), after
 * printing the comparison. The thresholds come from the two traces'
 * own figures, as printed: a gate at half the change (in its direction)
 * trips with exit 4 and one line naming the metric, one at the change
 * plus 5 % in either direction does not; percentage points the same;
 * a reason's metric gates the same way, and a metric that did not
 * change (one call each) does not trip.
 */
static void test_compare_fail_if(void **state)
{
	const char *dir = env_or("MS_RESULTS", "../results/demo");
	char *a = path_in(dir, "4K-x16384.trace.dat");
	char *b = path_in(dir, "4K-x65536.trace.dat");
	const char *plain[] = { "compare", a, b, NULL };
	char g1[96], g2[96], g3[96], want[128];
	const char *gates[8];
	double ua, ub, ra, rb, c;
	struct run r;

	(void)state;
	expect_ok(&r, plain);
	compare_values(r.out, "unmap.share", &ua, &ub);
	compare_values(r.out, "reason.syscall_or_cpuset.copy.share", &ra, &rb);
	run_free(&r);
	assert_true(ua > 0 && ub > 0 && fabs(ub / ua - 1) > 0.001);
	assert_true(ra > 0 && rb > 0 && fabs(rb - ra) > 0.0001);

	/* beyond the change either way: passes, and prints the rows */
	c = fabs(ub / ua - 1) * 100 + 5;
	snprintf(g1, sizeof(g1), "unmap.share > +%.3f%%", c);
	snprintf(g2, sizeof(g2), "unmap.share < -%.3f%%", c);
	gates[0] = "compare";
	gates[1] = "--fail-if"; gates[2] = g1;
	gates[3] = "--fail-if"; gates[4] = g2;
	gates[5] = a; gates[6] = b; gates[7] = NULL;
	expect_ok(&r, gates);
	assert_non_null(strstr(r.out, "\nunmap.share "));
	assert_non_null(strstr(r.out, "\ncopy.share "));
	run_free(&r);

	/* half the change: trips, one line */
	gates[2] = half_gate(g1, sizeof(g1), "unmap.share", ua, ub, false);
	gates[3] = a; gates[4] = b; gates[5] = NULL;
	run(&r, gates);
	assert_int_equal(r.status, 4);
	assert_int_equal(r.err_lines, 1);
	snprintf(want, sizeof(want), "regression: unmap.share changed %c",
		 ub > ua ? '+' : '-');
	assert_non_null(strstr(r.err, want));
	run_free(&r);

	/* the same in percentage points */
	gates[2] = half_gate(g1, sizeof(g1), "unmap.share", ua, ub, true);
	run(&r, gates);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "regression: unmap.share changed"));
	run_free(&r);

	/* one reason's metric trips; its calls (1 and 1) do not */
	gates[2] = half_gate(g2, sizeof(g2),
			     "reason.syscall_or_cpuset.copy.share", ra, rb, true);
	snprintf(g3, sizeof(g3), "reason.syscall_or_cpuset.calls > 0");
	gates[3] = "--fail-if"; gates[4] = g3;
	gates[5] = a; gates[6] = b; gates[7] = NULL;
	run(&r, gates);
	assert_int_equal(r.status, 4);
	assert_int_equal(r.err_lines, 1);
	assert_non_null(strstr(r.err, "reason.syscall_or_cpuset.copy.share changed"));
	assert_non_null(strstr(r.out, "\nreason.syscall_or_cpuset.pages "));
	/* the mode rows: move_pages(2) migrates MIGRATE_SYNC */
	assert_non_null(strstr(r.out, "\nmode.MIGRATE_SYNC.calls "));
	run_free(&r);

	gates[2] = "nosuch > 1%"; gates[3] = a; gates[4] = b; gates[5] = NULL;
	expect_one_line_error(gates, "no metric nosuch");
	gates[2] = "unmap.share >> 5%";
	run(&r, gates);
	assert_int_equal(r.status, 2);
	run_free(&r);
	free(a);
	free(b);
}

/*
 * Every line of `migscope catalog` is a field of events.catalog (what
 * tracepoints/check-catalog also checks).  Cataloged events the analyzer
 * does not read yet (copy, mtcopy, dcbm: later verbs) are listed only.
 */
static void test_catalog(void **state)
{
	const char *catalog = env_or("MS_EVENTS_CATALOG",
				     "../tracepoints/events.catalog");
	const char *args[] = { "catalog", NULL };
	char *want = path_in(tmpdir, "want"), *got = path_in(tmpdir, "got");
	char *cmd;
	struct run r;

	(void)state;
	if (access(catalog, R_OK)) {
		print_message("no %s: catalog comparison skipped\n", catalog);
		skip();
	}
	expect_ok(&r, args);
	assert_true(count_lines(r.out) > 30);
	spit(got, r.out, strlen(r.out));
	assert_true(asprintf(&cmd, "awk '$1 == \"event\" { e = $2 } "
			     "$1 == \"field\" { print e, $2 }' '%s' | sort > '%s' "
			     "&& sort '%s' | comm -13 '%s' - >&2 | grep -q . "
			     "&& exit 1; "
			     "awk '{ print $1 }' '%s' | sort -u | comm -13 - "
			     "<(awk '$1 == \"event\" { print $2 }' '%s' | sort) "
			     "| sed 's/^/  not read yet: /'; exit 0",
			     catalog, want, got, want, got, catalog) > 0);
	assert_int_equal(run_bash(cmd), 0);
	unlink(want);
	unlink(got);
	free(cmd);
	free(want);
	free(got);
	run_free(&r);
}

static int check_fixture(const char *path)
{
	const char *args[] = { "report", "--json", path, NULL };
	struct run r;
	int ok;

	run(&r, args);
	ok = r.status == 0 && !r.sanitizer && !*r.err &&
	     jq_ok(r.out, invariants(), true);
	if (!ok)
		print_error("fixture %s: status %d\n%s", path, r.status,
			    r.err);
	else
		assert_schema(r.out, "report");
	run_free(&r);
	return ok;
}

static char *fixture(const char *name)
{
	return path_in(env_or("MS_FIXTURES", "tests/fixtures"), name);
}

/*
 * A real batch copy of 16K folios (testbed, phases preset with
 * remove_migration_pte): copy phase, migrator name (a __string field),
 * folio order from the PTEs, first-folio latency, query-only syscalls.
 */
static void test_copy_fixture(void **state)
{
	char *p = fixture("copy-16k.dat");
	const char *json[] = { "report", "--json", p, NULL };
	const char *text[] = { "report", p, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, json);
	assert_true(jq_ok(r.out, invariants(), true));
	assert_true(jq_ok(r.out, ".series and .syscalls.count == 1 "
		"and .syscalls.query_only == 2 "
		"and .copy_fraction > 0 and .copy_fraction < 1 "
		"and .throughput.gbps > 0 "
		"and .throughput.bytes == .calls.bytes "
		"and ([.by_order[] | .order] == [2]) "
		"and .by_order[0].folio_bytes == 16384 "
		"and .by_order[0].folios == 16 and .by_order[0].pages == 64 "
		"and .by_migrator == [.by_migrator[0]] "
		"and .by_migrator[0].migrator == \"kernel\" "
		"and .by_migrator[0].bytes == 262144 "
		"and .by_migrator[0].fallbacks == 0 "
		"and .copy_dispatch.count == 1 "
		"and .copy_dispatch.fallbacks == 0 "
		"and ([.copy_dispatch.declined[]] | add) == 0 "
		"and .first_folio_latency.count == 1 "
		"and .first_folio_latency.mean_ns > 0 "
		"and .first_folio_latency.mean_ns < "
		"    .first_folio_latency.batch_mean_ns "
		"and .missing_events == []", false));
	run_free(&r);
	expect_ok(&r, text);
	assert_non_null(strstr(r.out, "copy fraction F: 0."));
	assert_non_null(strstr(r.out, "\n  2 (16K)  "));
	assert_non_null(strstr(r.out, "first-folio latency (batch begin"));
	assert_non_null(strstr(r.out, "move_pages() queries (no migration inside, not counted below): 2"));
	run_free(&r);
	free(p);
}

/*
 * ccd by mode on a testbed mtcopy trace (2 batches of move_pages(2), 4
 * workers each): the modes and the reasons both partition the same
 * worker runs, and the CSV rows name the modes.
 */
static void test_ccd_by_mode(void **state)
{
	char *p = fixture("mtcopy-spread-8cpu.dat");
	const char *json[] = { "ccd", "--json", p, NULL };
	const char *csv[] = { "ccd", "--csv", "--by", "mode", p, NULL };
	struct run r;

	(void)state;
	expect_ok(&r, json);
	assert_schema(r.out, "ccd");
	assert_true(jq_ok(r.out, "([.workers[].workers] | add) as $w "
		"| ([.by_mode[].workers] | add) == $w "
		"and ([.by_reason[].workers] | add) == $w "
		"and ([.by_mode[].batches] | add) == "
		"    ([.by_reason[].batches] | add) "
		"and ([.by_mode[].mode] | all(startswith(\"MIGRATE_\")))",
		false));
	run_free(&r);
	expect_ok(&r, csv);
	assert_int_equal(strncmp(r.out, "mode,l3,node,workers,", 21), 0);
	assert_non_null(strstr(r.out, "\nMIGRATE_"));
	run_free(&r);
	free(p);
}

/* Real traces from the testbed (make fixtures): invariants only. */
static void test_fixtures(void **state)
{
	const char *dir = env_or("MS_FIXTURES", "tests/fixtures");
	struct dirent *d;
	int n = 0, bad = 0;
	DIR *dp;

	(void)state;
	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		size_t len = strlen(d->d_name);
		char *p;

		if (len < 5 || strcmp(d->d_name + len - 4, ".dat"))
			continue;
		p = path_in(dir, d->d_name);
		n++;
		bad += !check_fixture(p);
		free(p);
	}
	if (dp)
		closedir(dp);
	print_message("%d fixture(s) in %s\n", n, dir);
	assert_int_equal(bad, 0);
}

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	static const char * const files[] = { "stdout", "stderr" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char *p = path_in(tmpdir, files[i]);

		if (p)
			unlink(p);
		free(p);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_missing_empty_text_dir),
		cmocka_unit_test(test_fifo_device),
		cmocka_unit_test(test_closed_stdout),
		cmocka_unit_test(test_library_crash),
		cmocka_unit_test(test_lost_events),
		cmocka_unit_test(test_compare_fail_if),
		cmocka_unit_test(test_truncated_v7),
		cmocka_unit_test(test_truncated_v6),
		cmocka_unit_test(test_no_migration),
		cmocka_unit_test(test_series_text),
		cmocka_unit_test(test_series_json),
		cmocka_unit_test(test_series_csv),
		cmocka_unit_test(test_csv_by),
		cmocka_unit_test(test_callers_threshold),
		cmocka_unit_test(test_upstream_only),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_copy_fixture),
		cmocka_unit_test(test_ccd_by_mode),
	};

	return cmocka_run_group_tests_name("cli", tests, group_setup,
					   group_teardown);
}
