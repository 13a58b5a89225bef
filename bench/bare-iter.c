// SPDX-License-Identifier: GPL-2.0
/*
 * bare-iter.c - the floor for migscope's reading speed: open a trace.dat
 * with libtracecmd as migscope does, iterate every record of every buffer
 * with tracecmd_iterate_events(), read common_type only, and print the
 * number of records.
 *
 *	bare-iter TRACE.dat
 */
#include <stdio.h>

#include <trace-cmd.h>

static int on_record(struct tracecmd_input *h, struct tep_record *rec,
		     int cpu, void *data)
{
	unsigned long long *count = data;

	(void)cpu;
	if (tep_data_type(tracecmd_get_tep(h), rec) >= 0)
		(*count)++;
	return 0;
}

static int iterate(struct tracecmd_input *h, unsigned long long *count)
{
	if (!tracecmd_get_tep(h))
		return -1;
	return tracecmd_iterate_events(h, NULL, 0, on_record, count) < 0 ?
	       -1 : 0;
}

int main(int argc, char **argv)
{
	struct tracecmd_input *top, *h;
	unsigned long long count = 0;
	int i, n, ret = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: bare-iter TRACE.dat\n");
		return 2;
	}
	tracecmd_set_loglevel(TEP_LOG_NONE);
	top = tracecmd_open(argv[1], TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!top) {
		fprintf(stderr, "bare-iter: %s: cannot open\n", argv[1]);
		return 1;
	}
	if (iterate(top, &count))
		goto out;
	n = tracecmd_buffer_instances(top);
	for (i = 0; i < n; i++) {
		h = tracecmd_buffer_instance_handle(top, i);
		if (!h || iterate(h, &count)) {
			if (h)
				tracecmd_close(h);
			goto out;
		}
		tracecmd_close(h);
	}
	printf("%llu\n", count);
	ret = 0;
out:
	tracecmd_close(top);
	return ret;
}
