// SPDX-License-Identifier: GPL-2.0
/*
 * mkseed.c - write the events of a trace.dat in the byte encoding of
 * fuzz.h, so that the engine fuzzer starts from real event streams.
 *
 *   mkseed TRACE.dat OUT [MAX_EVENTS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trace-input.h"

struct seed {
	FILE	*out;
	u64	prev;
	long	left;
};

static int type_index(enum ms_event_type t)
{
	size_t i;

	for (i = 0; i < FUZZ_NR_TYPES; i++)
		if (fuzz_types[i] == t)
			return (int)i;
	return -1;
}

static int name_index(const char *name)
{
	return !strcmp(name, "mtcopy") ? 1 : !strcmp(name, "dcbm") ? 2 : 0;
}

static int on_event(const struct ms_event *ev, void *data)
{
	struct seed *s = data;
	unsigned char p[FUZZ_REC];
	u64 step = ev->ts > s->prev ? ev->ts - s->prev : 0;
	int t = type_index(ev->type);
	unsigned int w;

	if (t < 0 || s->left-- <= 0)
		return 0;
	if (s->prev && step > 0x7fff)
		step = 0x7fff;
	s->prev = ev->ts;
	w = (ev->worker | ev->chan | (u64)ev->order) & 7;
	w |= ((unsigned int)ev->worker_cpu & 0x1f) << 3;
	/* the migrator: byte 11 modulo 3, kept where the low bits allow */
	while (w % 3 != (unsigned int)name_index(ev->name) && w < 0xfd)
		w += 8;
	p[0] = t;
	p[1] = (ev->pid & 3) | (ev->cpu & 3) << 2;
	p[2] = ev->id % 8;
	p[3] = ev->phase;
	p[4] = ev->reason >= 0 && ev->reason < MS_NR_REASONS ? ev->reason :
							       MS_NR_REASONS;
	p[5] = step & 0xff;
	p[6] = (step >> 8) & 0x7f;
	p[7] = ev->folios & 0xff;
	p[8] = ev->pages & 0xff;
	p[9] = (ev->pages >> 8) & 0xff;
	p[10] = (unsigned char)(signed char)(ev->rc ? ev->rc : ev->ret);
	p[11] = w & 0xff;
	return fwrite(p, 1, sizeof(p), s->out) == sizeof(p) ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct seed s = { .left = argc > 3 ? atol(argv[3]) : 4000 };
	struct ms_scan scan = { .on_event = on_event, .data = &s };
	struct ms_input in;
	char msg[512];
	int i, ret = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: mkseed TRACE.dat OUT [MAX_EVENTS]\n");
		return 2;
	}
	if (ms_input_open(&in, argv[1], msg, sizeof(msg))) {
		fprintf(stderr, "mkseed: %s: %s\n", argv[1], msg);
		return 1;
	}
	s.out = fopen(argv[2], "wb");
	if (!s.out) {
		perror(argv[2]);
		goto out;
	}
	for (i = 0; i < ms_input_nr_buffers(&in); i++)
		if (ms_input_scan(&in, i, &scan))
			goto out;
	ret = 0;
out:
	if (s.out && fclose(s.out))
		ret = 1;
	ms_input_close(&in);
	return ret;
}
