// SPDX-License-Identifier: GPL-2.0
/*
 * mkbig.c - a large trace.dat from a small one, without root or tracefs:
 * the per-CPU ring-buffer pages of an uncompressed version-6 trace
 * (trace-cmd.dat.v6(5)), repeated K times, each repetition shifted
 * forward in time by the trace's span and a gap of one second.
 *
 *	mkbig IN OUT K		prints the events of OUT
 *
 * Only the top buffer is copied (a trace with instances is refused), and
 * only the page timestamps change: events carry deltas.  A page with an
 * absolute timestamp event is refused.  Convert the output with
 * `trace-cmd convert` for version 7 and zstd.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC		"\027\010\104tracing"
#define MAGIC_LEN	10
#define GAP		1000000000ULL	/* between repetitions, clock units */
#define PAGE_HDR	16		/* u64 timestamp, u64 commit */
#define COMMIT_MASK	((1ULL << 30) - 1)	/* without the missed flags */
#define TYPE_PADDING	29
#define TYPE_EXTEND	30
#define TYPE_STAMP	31
#define TS_SHIFT	27

struct in {
	unsigned char	*buf;
	size_t		size;
	size_t		pos;
	uint32_t	page_size;
	uint32_t	cpus;
	size_t		table;		/* the (offset, size) pairs */
	int		err;
};

struct cpu {
	uint64_t	off;
	uint64_t	size;
};

struct stats {
	uint64_t	events;
	uint64_t	first;		/* earliest page timestamp */
	uint64_t	last;		/* latest event timestamp */
};

static const unsigned char *take(struct in *in, size_t n)
{
	const unsigned char *p = in->buf + in->pos;

	if (in->err || n > in->size - in->pos) {
		in->err = 1;
		return NULL;
	}
	in->pos += n;
	return p;
}

static uint64_t take_num(struct in *in, size_t n)
{
	const unsigned char *p = take(in, n);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, n);	/* little endian only, checked */
	return v;
}

static void skip_sized(struct in *in, size_t width)
{
	take(in, take_num(in, width));
}

static void skip_str(struct in *in)
{
	const unsigned char *nul;

	if (in->err)
		return;
	nul = memchr(in->buf + in->pos, 0, in->size - in->pos);
	if (!nul)
		in->err = 1;
	else
		in->pos = nul - in->buf + 1;
}

static int expect(struct in *in, const char *s, size_t n)
{
	const unsigned char *p = take(in, n);

	return p && !memcmp(p, s, n) ? 0 : -1;
}

/* The initial format up to the CPU count (trace-cmd.dat.v6(5)). */
static int walk_headers(struct in *in)
{
	uint64_t count, systems, i, j;

	if (expect(in, MAGIC, MAGIC_LEN) || expect(in, "6", 2) ||
	    take_num(in, 1) != 0 || take_num(in, 1) != 8)
		return -1;	/* version 6, little endian, 64-bit */
	in->page_size = take_num(in, 4);
	if (expect(in, "header_page", 12))
		return -1;
	skip_sized(in, 8);
	if (expect(in, "header_event", 13))
		return -1;
	skip_sized(in, 8);
	count = take_num(in, 4);
	for (i = 0; i < count && !in->err; i++)
		skip_sized(in, 8);
	systems = take_num(in, 4);
	for (i = 0; i < systems && !in->err; i++) {
		skip_str(in);
		count = take_num(in, 4);
		for (j = 0; j < count && !in->err; j++)
			skip_sized(in, 8);
	}
	skip_sized(in, 4);	/* kallsyms */
	skip_sized(in, 4);	/* trace_printk formats */
	skip_sized(in, 8);	/* saved command lines */
	in->cpus = take_num(in, 4);
	return in->err ? -1 : 0;
}

/* Options (no buffer instance), then the flyrecord table. */
static int walk_options(struct in *in)
{
	uint16_t id;

	if (in->pos + 10 <= in->size &&
	    !memcmp(in->buf + in->pos, "options  ", 10)) {
		in->pos += 10;
		while ((id = take_num(in, 2)) != 0 && !in->err) {
			if (id == 3) {
				fprintf(stderr, "mkbig: buffer instances are not supported\n");
				return -1;
			}
			skip_sized(in, 4);
		}
	}
	if (expect(in, "flyrecord", 10))
		return -1;
	in->table = in->pos;
	return take(in, 16 * (size_t)in->cpus) ? 0 : -1;
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Length of the event at p (0: the rest of the page is padding). */
static size_t event_len(const unsigned char *p, uint64_t *ts, int *stamp)
{
	uint32_t hdr = rd32(p), type = hdr & 0x1f, delta = hdr >> 5;

	switch (type) {
	case TYPE_PADDING:
		return delta ? 4 + rd32(p + 4) : 0;
	case TYPE_STAMP:
		*stamp = 1;
		return 8;
	case TYPE_EXTEND:
		*ts += ((uint64_t)rd32(p + 4) << TS_SHIFT) + delta;
		return 8;
	case 0:
		*ts += delta;
		return 4 + ((rd32(p + 4) + 3) & ~3U);
	default:
		*ts += delta;
		return 4 + 4 * type;
	}
}

/* Count the events of one page, and its last timestamp. */
static int walk_page(const unsigned char *page, size_t page_size,
		     struct stats *st)
{
	uint64_t ts, commit;
	size_t pos = PAGE_HDR, end, len;
	int stamp = 0;

	memcpy(&ts, page, 8);
	memcpy(&commit, page + 8, 8);
	end = PAGE_HDR + (commit & COMMIT_MASK);
	if (end > page_size)
		return -1;
	if (ts < st->first)
		st->first = ts;
	while (pos + 4 <= end) {
		uint32_t type = rd32(page + pos) & 0x1f;

		len = event_len(page + pos, &ts, &stamp);
		if (!len || pos + len > end || stamp)
			return stamp ? -2 : (len ? -1 : 0);
		if (type < TYPE_PADDING)
			st->events++;
		if (ts > st->last)
			st->last = ts;
		pos += len;
	}
	return 0;
}

static int walk_cpus(struct in *in, struct cpu *cpu, struct stats *st)
{
	uint64_t p;
	uint32_t i;
	int err;

	for (i = 0; i < in->cpus; i++) {
		memcpy(&cpu[i].off, in->buf + in->table + 16 * i, 8);
		memcpy(&cpu[i].size, in->buf + in->table + 16 * i + 8, 8);
		if (cpu[i].off > in->size || cpu[i].size > in->size - cpu[i].off ||
		    cpu[i].size % in->page_size || cpu[i].off % in->page_size)
			return -1;
		for (p = 0; p < cpu[i].size; p += in->page_size) {
			err = walk_page(in->buf + cpu[i].off + p,
					in->page_size, st);
			if (err == -2)
				fprintf(stderr, "mkbig: absolute timestamps are not supported\n");
			if (err)
				return -1;
		}
	}
	return 0;
}

/* Write the CPU data K times, page timestamps moved by shift each time. */
static int write_cpu(FILE *f, const struct in *in, const struct cpu *cpu,
		     unsigned int k, uint64_t shift)
{
	unsigned char *page = malloc(in->page_size);
	uint64_t p, ts;
	unsigned int r;
	int ret = -1;

	if (!page)
		return -1;
	for (r = 0; r < k; r++)
		for (p = 0; p < cpu->size; p += in->page_size) {
			memcpy(page, in->buf + cpu->off + p, in->page_size);
			memcpy(&ts, page, 8);
			ts += r * shift;
			memcpy(page, &ts, 8);
			if (fwrite(page, in->page_size, 1, f) != 1)
				goto out;
		}
	ret = 0;
out:
	free(page);
	return ret;
}

static int write_big(const char *path, struct in *in, const struct cpu *cpu,
		     unsigned int k, uint64_t shift)
{
	size_t head = in->size;
	uint64_t off;
	FILE *f;
	uint32_t i;
	int ret = -1;

	for (i = 0; i < in->cpus; i++)
		if (cpu[i].size && cpu[i].off < head)
			head = cpu[i].off;
	off = head;
	for (i = 0; i < in->cpus; i++) {	/* the new table */
		uint64_t size = cpu[i].size * k;

		memcpy(in->buf + in->table + 16 * i, &off, 8);
		memcpy(in->buf + in->table + 16 * i + 8, &size, 8);
		off += size;
	}
	f = fopen(path, "wb");
	if (!f)
		return -1;
	if (fwrite(in->buf, head, 1, f) != 1)
		goto out;
	for (i = 0; i < in->cpus; i++)
		if (write_cpu(f, in, &cpu[i], k, shift))
			goto out;
	ret = 0;
out:
	if (fclose(f))
		ret = -1;
	return ret;
}

static int slurp(struct in *in, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (n > 0 && !fseek(f, 0, SEEK_SET)) {
		in->buf = malloc(n);
		in->size = n;
		if (in->buf && fread(in->buf, 1, n, f) != (size_t)n) {
			free(in->buf);
			in->buf = NULL;
		}
	}
	fclose(f);
	return in->buf ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct stats st = { .first = UINT64_MAX };
	struct in in = { 0 };
	struct cpu *cpu = NULL;
	unsigned int k;
	int ret = 1;

	if (argc != 4 || (k = strtoul(argv[3], NULL, 10)) < 1) {
		fprintf(stderr, "usage: mkbig IN.v6.dat OUT.dat K\n");
		return 2;
	}
	if (slurp(&in, argv[1])) {
		fprintf(stderr, "mkbig: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (walk_headers(&in) || !in.page_size || walk_options(&in) ||
	    !(cpu = calloc(in.cpus, sizeof(*cpu))) ||
	    walk_cpus(&in, cpu, &st) || !st.events) {
		fprintf(stderr, "mkbig: %s: not an uncompressed little-endian 64-bit version 6 trace with events\n",
			argv[1]);
		goto out;
	}
	if (write_big(argv[2], &in, cpu, k, st.last - st.first + GAP)) {
		fprintf(stderr, "mkbig: %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	printf("%llu\n", (unsigned long long)st.events * k);
	ret = 0;
out:
	free(cpu);
	free(in.buf);
	return ret;
}
