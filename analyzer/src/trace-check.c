// SPDX-License-Identifier: GPL-2.0
/*
 * trace-check.c - walk the headers of a trace-cmd file (trace-cmd.dat.v6(5),
 * trace-cmd.dat.v7(5)) and check that every offset and size they hold
 * stays inside the file; and read what the options say about the clock.
 *
 * What each check guards against in libtracecmd 1.3.1 (measured with a
 * bare tracecmd_open() + tracecmd_iterate_events() over every buffer, on
 * every 97th cut of tests/data/series-v6.dat and every 37th of series.dat):
 *
 * - The per-CPU data offsets and sizes (v6 flyrecord, v7 BUFFER options):
 *   the library maps the CPU data where the header says and reads pages
 *   past the end of the file: 178 of 423 cuts of series-v6.dat, every cut
 *   inside the CPU data, end in SIGSEGV.  This is the check that keeps a
 *   cut file from crashing the library.
 * - Compressed chunks (v7): the library allocates the sizes the chunk
 *   headers give and decompresses into them; a size past the section is
 *   refused here before it allocates it.
 * - Everything before the data (magic, version, endianness, page size,
 *   the sized header blocks, the section chain and the options): on a cut
 *   there the library refuses the file (tracecmd_open() returns NULL:
 *   461 of 465 cuts of series.dat) but says nothing about why; these
 *   checks only give the one-line message that names the cut.
 * - FIFOs, sockets, devices, directories: the library open(2)s and
 *   mmap(2)s the path as a file; a FIFO without a writer blocks in open()
 *   forever (open_regular()).
 *
 * Not detectable by any reader: trace.dat has no checksum, so a flipped
 * bit in an event format or in uncompressed event data reads as another
 * value (17 of 120 random single-bit flips of series-v6.dat change the
 * report with exit 0; 6 of 120 of series.dat, inside zstd frames written
 * without a checksum).  The engines count what such a value makes
 * inconsistent (a phase longer than its call, a span that ends before it
 * begins); the rest is what the file says.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "trace-check.h"

#define MAGIC		"\027\010\104tracing"
#define MAGIC_LEN	10
#define MAX_COUNT	65536	/* events, systems, CPUs: more is garbage */
#define MAX_STR		4096
#define MAX_OPT_SECTIONS 4096
#define MAX_OPT_SECTION	(64u << 20)	/* a decompressed options section */

#define ADVICE_CUT	"the recording or the copy was cut short; " \
			"record or copy it again"
#define ADVICE_BAD	"the file is damaged; record or copy it again"

/* v7 section and option ids */
enum {
	SEC_OPTIONS	= 0,
	OPT_DONE	= 0,
	OPT_BUFFER	= 3,
	OPT_TRACECLOCK	= 4,
	OPT_TSC2NSEC	= 14,
	OPT_HEADER_INFO	= 16,
	OPT_FTRACE_EVENTS,
	OPT_EVENT_FORMATS,
	OPT_KALLSYMS,
	OPT_PRINTK,
	OPT_CMDLINES,
	OPT_BUFFER_TEXT,
};

#define SEC_FL_COMPRESS	1

/*
 * A reader of the file, or of one decompressed options section in memory
 * (mem set: offsets are into mem, size is its length).
 */
struct rd {
	int		fd;
	const unsigned char *mem;
	uint64_t	size;
	bool		big_endian;
	char		compression[64]; /* v7: "none", "zstd", "zlib" */
	bool		compressed;	/* v7: a compression algorithm is set */
	struct ms_file_info *info;
	char		*msg;
	size_t		len;
};

static int fail(struct rd *rd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->msg, rd->len, fmt, ap);
	va_end(ap);
	return -1;
}

static int fail_cut(struct rd *rd, const char *what, uint64_t end)
{
	return fail(rd,
		    "truncated: %s ends at byte %llu, past the end of the file (%llu bytes) - "
		    ADVICE_CUT, what,
		    (unsigned long long)end, (unsigned long long)rd->size);
}

static int fail_corrupt(struct rd *rd, const char *what)
{
	return fail(rd, "corrupt: %s - " ADVICE_BAD, what);
}

/* Is [off, off + n) inside the file? */
static bool inside(const struct rd *rd, uint64_t off, uint64_t n)
{
	return off <= rd->size && n <= rd->size - off;
}

static uint64_t end_of(uint64_t off, uint64_t n)
{
	return off + n < off ? UINT64_MAX : off + n;
}

static int need(struct rd *rd, uint64_t off, uint64_t n, const char *what)
{
	if (inside(rd, off, n))
		return 0;
	if (rd->mem)	/* inside a decompressed section: not a cut */
		return fail_corrupt(rd, what);
	return fail_cut(rd, what, end_of(off, n));
}

static int read_at(struct rd *rd, uint64_t off, void *buf, size_t n,
		   const char *what)
{
	size_t done = 0;

	if (need(rd, off, n, what))
		return -1;
	if (rd->mem) {
		memcpy(buf, rd->mem + off, n);
		return 0;
	}
	while (done < n) {
		ssize_t r = pread(rd->fd, (char *)buf + done, n - done,
				  off + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return fail(rd, "read error: %s", r ? strerror(errno) :
				    "file shrank while being read");
		done += r;
	}
	return 0;
}

static int rd_u16(struct rd *rd, uint64_t off, uint16_t *v, const char *what)
{
	if (read_at(rd, off, v, sizeof(*v), what))
		return -1;
	*v = rd->big_endian ? be16toh(*v) : le16toh(*v);
	return 0;
}

static int rd_u32(struct rd *rd, uint64_t off, uint32_t *v, const char *what)
{
	if (read_at(rd, off, v, sizeof(*v), what))
		return -1;
	*v = rd->big_endian ? be32toh(*v) : le32toh(*v);
	return 0;
}

static int rd_u64(struct rd *rd, uint64_t off, uint64_t *v, const char *what)
{
	if (read_at(rd, off, v, sizeof(*v), what))
		return -1;
	*v = rd->big_endian ? be64toh(*v) : le64toh(*v);
	return 0;
}

/*
 * Read a NUL-terminated string of at most max - 1 chars at off into buf;
 * *next is the offset after its NUL.
 */
static int rd_str(struct rd *rd, uint64_t off, char *buf, size_t max,
		  uint64_t *next, const char *what)
{
	size_t n = max;
	char *nul;

	if (!inside(rd, off, 1))
		return fail_cut(rd, what, end_of(off, 1));
	if (rd->size - off < n)
		n = rd->size - off;
	if (read_at(rd, off, buf, n, what))
		return -1;
	nul = memchr(buf, '\0', n);
	if (!nul) {
		if (n < max)
			return fail_cut(rd, what, rd->size + 1);
		return fail_corrupt(rd, what);
	}
	*next = off + (nul - buf) + 1;
	return 0;
}

/* Skip a block preceded by its size (4 or 8 bytes); *pos moves past it. */
static int skip_sized(struct rd *rd, uint64_t *pos, int width,
		      const char *what)
{
	uint64_t size;
	uint32_t size32;

	if (width == 4) {
		if (rd_u32(rd, *pos, &size32, what))
			return -1;
		size = size32;
	} else if (rd_u64(rd, *pos, &size, what)) {
		return -1;
	}
	*pos += width;
	if (need(rd, *pos, size, what))
		return -1;
	*pos += size;
	return 0;
}

static int expect(struct rd *rd, uint64_t off, const char *s, size_t n,
		  const char *what)
{
	char buf[16];

	if (read_at(rd, off, buf, n, what))
		return -1;
	if (memcmp(buf, s, n))
		return fail_corrupt(rd, what);
	return 0;
}

static int check_count(struct rd *rd, uint64_t *pos, uint32_t *count,
		       const char *what)
{
	if (rd_u32(rd, *pos, count, what))
		return -1;
	*pos += 4;
	if (*count > MAX_COUNT)
		return fail_corrupt(rd, what);
	return 0;
}

/* ---- version 7: sections reached through the options ---------------- */

/* A section header at off and its size (compressed size if compressed) */
static int check_section(struct rd *rd, uint64_t off, uint16_t *flags,
			 const char *what)
{
	uint32_t csize, usize;
	uint64_t size;

	if (rd_u16(rd, off + 2, flags, what) ||
	    rd_u64(rd, off + 8, &size, what) ||
	    need(rd, off + 16, size, what))
		return -1;
	if (!(*flags & SEC_FL_COMPRESS) || !size)
		return 0;
	if (size < 8)
		return fail_corrupt(rd, what);
	if (rd_u32(rd, off + 16, &csize, what) ||
	    rd_u32(rd, off + 20, &usize, what))
		return -1;
	if (csize > size - 8)
		return fail_corrupt(rd, what);
	return 0;
}

/*
 * Compressed CPU data: a chunk count, then (csize, usize, data) chunks;
 * the size the BUFFER option gives does not count the chunk count.
 */
static int check_chunks(struct rd *rd, uint64_t off, uint64_t size,
			const char *what)
{
	uint64_t pos = off + 4, end = off + 4 + size;
	uint32_t count, csize, i;

	if (need(rd, off, 4 + size, what) || rd_u32(rd, off, &count, what))
		return -1;
	for (i = 0; i < count; i++) {
		if (pos + 8 > end)
			return fail_corrupt(rd, what);
		if (rd_u32(rd, pos, &csize, what))
			return -1;
		pos += 8 + (uint64_t)csize;
		if (pos > end)
			return fail_corrupt(rd, what);
	}
	return 0;
}

/* The per-CPU entries of a BUFFER option (in src), their data in file */
static int check_cpu_data(struct rd *file, struct rd *src, uint64_t pos,
			  uint32_t cpus, bool chunks, const char *name)
{
	char what[384];
	uint64_t off, size;
	uint32_t i, cpu;

	for (i = 0; i < cpus; i++, pos += 20) {
		snprintf(what, sizeof(what), "buffer \"%s\" CPU data", name);
		if (rd_u32(src, pos, &cpu, what) ||
		    rd_u64(src, pos + 4, &off, what) ||
		    rd_u64(src, pos + 12, &size, what))
			return -1;
		snprintf(what, sizeof(what), "CPU %u data of buffer \"%s\"",
			 cpu, name);
		if (need(file, off, size, what))
			return -1;
		if (chunks && size && check_chunks(file, off, size, what))
			return -1;
	}
	return 0;
}

/* ---- what the options say about the timestamps ----------------------- */

/* "local [mono] boot\n" (the trace_clock file) or "mono": the clock */
static void clock_name(char *out, const char *text)
{
	const char *open = strchr(text, '['), *close;
	size_t n;

	if (open && (close = strchr(open, ']'))) {
		text = open + 1;
		n = close - text;
	} else {
		n = strcspn(text, " \n");
	}
	if (n >= MS_FILE_CLOCK_LEN)
		n = MS_FILE_CLOCK_LEN - 1;
	memcpy(out, text, n);
	out[n] = '\0';
}

static int take_traceclock(struct rd *src, uint64_t pos, uint32_t size)
{
	char text[256];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;

	if (read_at(src, pos, text, n, "trace clock option"))
		return -1;
	text[n] = '\0';
	clock_name(src->info->clock, text);
	return 0;
}

/* TSC2NSEC: u32 multiplier, u32 shift, u64 offset (trace-cmd --tsc2nsec) */
static int take_tsc2nsec(struct rd *src, uint64_t pos, uint32_t size)
{
	struct ms_file_info *info = src->info;

	if (size < 16)
		return fail_corrupt(src, "TSC2NSEC option");
	if (rd_u32(src, pos, &info->tsc_mult, "TSC2NSEC option") ||
	    rd_u32(src, pos + 4, &info->tsc_shift, "TSC2NSEC option"))
		return -1;
	if (!info->tsc_mult || info->tsc_shift > 63)
		return fail_corrupt(src, "TSC2NSEC option");
	info->tsc2nsec = true;
	return 0;
}

static void keep_buffer_clock(struct ms_file_info *info, const char *name,
			      const char *clock)
{
	int i = info->nr_buffers;

	if (i >= MS_FILE_MAX_BUFFERS)
		return;
	snprintf(info->buffers[i].name, sizeof(info->buffers[i].name), "%s",
		 name);
	clock_name(info->buffers[i].clock, clock);
	info->nr_buffers++;
}

const char *ms_file_clock(const struct ms_file_info *info, const char *name)
{
	int i;

	for (i = 0; i < info->nr_buffers; i++)
		if (!strcmp(info->buffers[i].name, name) &&
		    info->buffers[i].clock[0])
			return info->buffers[i].clock;
	return info->clock;
}

/* BUFFER option: section offset, name, clock, page size, CPUs, per CPU */
static int check_buffer_v7(struct rd *file, struct rd *src, uint64_t pos,
			   uint64_t end)
{
	char name[256], clock[256];
	uint32_t page_size, cpus;
	uint64_t sec;
	uint16_t flags;

	if (rd_u64(src, pos, &sec, "buffer option") ||
	    rd_str(src, pos + 8, name, sizeof(name), &pos, "buffer name") ||
	    rd_str(src, pos, clock, sizeof(clock), &pos, "buffer clock") ||
	    rd_u32(src, pos, &page_size, "buffer option") ||
	    rd_u32(src, pos + 4, &cpus, "buffer option"))
		return -1;
	pos += 8;
	if (cpus > MAX_COUNT || pos + (uint64_t)cpus * 20 > end)
		return fail_corrupt(src, "buffer option");
	keep_buffer_clock(file->info, name, clock);
	if (check_section(file, sec, &flags, "buffer data section"))
		return -1;
	return check_cpu_data(file, src, pos, cpus,
			      file->compressed && (flags & SEC_FL_COMPRESS),
			      name);
}

static int check_option_v7(struct rd *file, struct rd *src, uint16_t id,
			   uint64_t pos, uint32_t size, uint64_t *next)
{
	uint16_t flags;
	uint64_t off;

	switch (id) {
	case OPT_DONE:
		if (size < 8)
			return fail_corrupt(src, "options section end");
		return rd_u64(src, pos, next, "options section end");
	case OPT_BUFFER:
		return check_buffer_v7(file, src, pos, pos + size);
	case OPT_TRACECLOCK:
		return take_traceclock(src, pos, size);
	case OPT_TSC2NSEC:
		return take_tsc2nsec(src, pos, size);
	case OPT_HEADER_INFO:
	case OPT_FTRACE_EVENTS:
	case OPT_EVENT_FORMATS:
	case OPT_KALLSYMS:
	case OPT_PRINTK:
	case OPT_CMDLINES:
	case OPT_BUFFER_TEXT:
		if (size < 8)
			return fail_corrupt(src, "section option");
		if (rd_u64(src, pos, &off, "section option"))
			return -1;
		return check_section(file, off, &flags, "metadata section");
	default:
		return 0;
	}
}

/* The options in [pos, end) of src, one after the other. */
static int walk_options_v7(struct rd *file, struct rd *src, uint64_t pos,
			   uint64_t end, uint64_t *next)
{
	uint32_t osize;
	uint16_t id;

	while (pos + 6 <= end) {
		if (rd_u16(src, pos, &id, "option") ||
		    rd_u32(src, pos + 2, &osize, "option"))
			return -1;
		pos += 6;
		if (osize > end - pos)
			return fail_corrupt(src, "option size");
		if (check_option_v7(file, src, id, pos, osize, next))
			return -1;
		if (id == OPT_DONE)
			return 0;
		pos += osize;
	}
	return 0;
}

/* Decompress csize bytes at file offset off into a new buffer of usize. */
static unsigned char *inflate_section(struct rd *rd, uint64_t off,
				      uint32_t csize, uint32_t usize)
{
	unsigned char *in = NULL, *out = NULL;
	uLongf zlen = usize;
	size_t n;

	in = malloc(csize ? csize : 1);
	out = malloc(usize ? usize : 1);
	if (!in || !out) {
		fail(rd, "out of memory reading the options");
		goto err;
	}
	if (read_at(rd, off, in, csize, "options section"))
		goto err;
	if (!strcmp(rd->compression, "zstd")) {
		n = ZSTD_decompress(out, usize, in, csize);
		if (ZSTD_isError(n) || n != usize)
			goto corrupt;
	} else if (uncompress(out, &zlen, in, csize) != Z_OK ||
		   zlen != usize) {
		goto corrupt;
	}
	free(in);
	return out;
corrupt:
	fail_corrupt(rd, "compressed options section");
err:
	free(in);
	free(out);
	return NULL;
}

/*
 * A compressed options section: (csize, usize, data) after the section
 * header.  zstd and zlib are the methods trace-cmd 3.1 has; any other is
 * left to libtracecmd, and what the options say is then unknown.
 */
static int walk_compressed_v7(struct rd *file, uint64_t off, uint64_t *next)
{
	struct rd src = *file;
	uint32_t csize, usize;
	unsigned char *mem;
	int ret;

	if (strcmp(file->compression, "zstd") &&
	    strcmp(file->compression, "zlib")) {
		file->info->options_unread = true;
		return 0;
	}
	if (rd_u32(file, off + 16, &csize, "options section") ||
	    rd_u32(file, off + 20, &usize, "options section"))
		return -1;
	if (usize > MAX_OPT_SECTION)
		return fail_corrupt(file, "options section size");
	mem = inflate_section(file, off + 24, csize, usize);
	if (!mem)
		return -1;
	src.mem = mem;
	src.size = usize;
	ret = walk_options_v7(file, &src, 0, usize, next);
	free(mem);
	return ret;
}

/* One options section: *next is the offset of the next one, or 0. */
static int check_options_v7(struct rd *rd, uint64_t off, uint64_t *next)
{
	uint64_t size;
	uint16_t id, flags;

	*next = 0;
	if (rd_u16(rd, off, &id, "options section") ||
	    check_section(rd, off, &flags, "options section"))
		return -1;
	if (id != SEC_OPTIONS)
		return fail_corrupt(rd, "options section id");
	if (rd_u64(rd, off + 8, &size, "options section"))
		return -1;
	if ((flags & SEC_FL_COMPRESS) && size)
		return walk_compressed_v7(rd, off, next);
	return walk_options_v7(rd, rd, off + 16, off + 16 + size, next);
}

/*
 * Sections follow each other from the end of the file header to the end
 * of the file (libtracecmd walks them so to find the strings sections):
 * a cut anywhere leaves the last one incomplete.
 */
static int check_section_chain(struct rd *rd, uint64_t pos)
{
	uint64_t size;
	uint16_t id;
	char what[64];

	while (pos < rd->size) {
		if (rd_u16(rd, pos, &id, "section header") ||
		    rd_u64(rd, pos + 8, &size, "section header"))
			return -1;
		snprintf(what, sizeof(what), "section %u", id);
		if (need(rd, pos + 16, size, what))
			return -1;
		pos += 16 + size;
	}
	return 0;
}

static int check_v7(struct rd *rd, uint64_t pos)
{
	char version[64];
	uint64_t off;
	int n = 0;

	if (rd_str(rd, pos, rd->compression, sizeof(rd->compression), &pos,
		   "compression name") ||
	    rd_str(rd, pos, version, sizeof(version), &pos,
		   "compression version") ||
	    rd_u64(rd, pos, &off, "first options offset"))
		return -1;
	rd->compressed = strcmp(rd->compression, "none") != 0;
	if (!off)
		return fail_corrupt(rd, "no options section");
	if (check_section_chain(rd, pos + 8))
		return -1;
	while (off) {
		if (++n > MAX_OPT_SECTIONS)
			return fail_corrupt(rd, "options sections loop");
		if (check_options_v7(rd, off, &off))
			return -1;
	}
	return 0;
}

/* ---- version 6: one header after the other, then the options -------- */

static int check_formats_v6(struct rd *rd, uint64_t *pos)
{
	uint32_t count, systems, i, j;
	char name[MAX_STR];

	if (check_count(rd, pos, &count, "ftrace event formats"))
		return -1;
	for (i = 0; i < count; i++)
		if (skip_sized(rd, pos, 8, "ftrace event formats"))
			return -1;
	if (check_count(rd, pos, &systems, "event formats"))
		return -1;
	for (i = 0; i < systems; i++) {
		if (rd_str(rd, *pos, name, sizeof(name), pos,
			   "event system name") ||
		    check_count(rd, pos, &count, "event formats"))
			return -1;
		for (j = 0; j < count; j++)
			if (skip_sized(rd, pos, 8, "event formats"))
				return -1;
	}
	return 0;
}

/* "flyrecord\0" and a (offset, size) pair per CPU, or latency text */
static int check_flyrecord_v6(struct rd *rd, uint64_t pos, uint32_t cpus,
			      const char *name)
{
	char what[384], kind[10];
	uint64_t off, size;
	uint32_t i;

	if (read_at(rd, pos, kind, sizeof(kind), "buffer data header"))
		return -1;
	if (!memcmp(kind, "latency  ", sizeof(kind)))
		return 0;
	if (memcmp(kind, "flyrecord", sizeof(kind)))
		return fail_corrupt(rd, "buffer data header");
	pos += sizeof(kind);
	for (i = 0; i < cpus; i++, pos += 16) {
		snprintf(what, sizeof(what), "CPU %u data of buffer \"%s\"",
			 i, name);
		if (rd_u64(rd, pos, &off, what) ||
		    rd_u64(rd, pos + 8, &size, what) ||
		    need(rd, off, size, what))
			return -1;
	}
	return 0;
}

static int check_options_v6(struct rd *rd, uint64_t *pos, uint32_t cpus)
{
	char name[256];
	uint64_t off, next;
	uint32_t size;
	uint16_t id;

	for (;;) {
		if (rd_u16(rd, *pos, &id, "options"))
			return -1;
		*pos += 2;
		if (id == OPT_DONE)
			return 0;
		if (rd_u32(rd, *pos, &size, "options"))
			return -1;
		*pos += 4;
		if (need(rd, *pos, size, "option"))
			return -1;
		if (id == OPT_TRACECLOCK && take_traceclock(rd, *pos, size))
			return -1;
		if (id == OPT_TSC2NSEC && take_tsc2nsec(rd, *pos, size))
			return -1;
		if (id == OPT_BUFFER) {
			if (size < 9)
				return fail_corrupt(rd, "buffer option");
			if (rd_u64(rd, *pos, &off, "buffer option") ||
			    rd_str(rd, *pos + 8, name, sizeof(name), &next,
				   "buffer name") ||
			    check_flyrecord_v6(rd, off, cpus, name))
				return -1;
		}
		*pos += size;
	}
}

static int check_headers_v6(struct rd *rd, uint64_t *pos)
{
	if (expect(rd, *pos, "header_page", 12, "header page"))
		return -1;
	*pos += 12;
	if (skip_sized(rd, pos, 8, "header page") ||
	    expect(rd, *pos, "header_event", 13, "header event"))
		return -1;
	*pos += 13;
	return skip_sized(rd, pos, 8, "header event");
}

static int check_v6(struct rd *rd, uint64_t pos)
{
	uint32_t cpus;
	char kind[10];

	if (check_headers_v6(rd, &pos) ||
	    check_formats_v6(rd, &pos) ||
	    skip_sized(rd, &pos, 4, "kallsyms") ||
	    skip_sized(rd, &pos, 4, "trace_printk formats") ||
	    skip_sized(rd, &pos, 8, "saved command lines") ||
	    check_count(rd, &pos, &cpus, "CPU count"))
		return -1;
	if (read_at(rd, pos, kind, sizeof(kind), "data header"))
		return -1;
	if (!memcmp(kind, "options  ", sizeof(kind))) {
		pos += sizeof(kind);
		if (check_options_v6(rd, &pos, cpus))
			return -1;
	}
	return check_flyrecord_v6(rd, pos, cpus, "");
}

/* ---- the initial format, common to all versions ---------------------- */

static int check_header(struct rd *rd, uint64_t *pos, int *version)
{
	unsigned char magic[MAGIC_LEN], flags[2];
	size_t n = rd->size < MAGIC_LEN ? rd->size : MAGIC_LEN;
	uint32_t page_size;
	char ver[16], *endp;

	if (read_at(rd, 0, magic, n, "magic"))
		return -1;
	if (memcmp(magic, MAGIC, n))
		return fail(rd, "not a trace-cmd file (bad magic) - give a trace.dat written by trace-cmd record or extract");
	if (n < MAGIC_LEN)
		return fail_cut(rd, "the file header", MAGIC_LEN);
	if (rd_str(rd, MAGIC_LEN, ver, sizeof(ver), pos, "file version"))
		return -1;
	*version = strtol(ver, &endp, 10);
	if (*endp || endp == ver)
		return fail_corrupt(rd, "file version");
	if (*version != 6 && *version != 7)
		return fail(rd,
			    "trace-cmd file version %d is not supported (6 and 7 are) - convert it with trace-cmd convert --file-version 7",
			    *version);
	if (read_at(rd, *pos, flags, 2, "file header"))
		return -1;
	if (flags[0] > 1 || (flags[1] != 4 && flags[1] != 8))
		return fail_corrupt(rd, "endianness or long size");
	rd->big_endian = flags[0];
	if (rd_u32(rd, *pos + 2, &page_size, "file header"))
		return -1;
	if (!page_size || page_size & (page_size - 1) || page_size > 1 << 24)
		return fail_corrupt(rd, "page size");
	rd->info->page_size = page_size;
	rd->info->version = *version;
	*pos += 6;
	return 0;
}

static int check_file(struct rd *rd)
{
	uint64_t pos = 0;
	int version = 0;

	if (!rd->size)
		return fail(rd, "empty file - the recording wrote nothing; record again");
	if (check_header(rd, &pos, &version))
		return -1;
	return version == 7 ? check_v7(rd, pos) : check_v6(rd, pos);
}

static int open_regular(struct rd *rd, const char *path)
{
	struct stat st;

	/*
	 * O_NONBLOCK: open(2) of a FIFO without a writer would wait for one
	 * forever; the type check below then turns it away.
	 */
	rd->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (rd->fd < 0) {
		if (errno == ENOENT)
			return fail(rd, "no such file - check the path (see migscope-report(1) to record a trace)");
		return fail(rd, "cannot open: %s", strerror(errno));
	}
	if (fstat(rd->fd, &st))
		return fail(rd, "cannot stat: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fail(rd, "is a directory - give the trace.dat file");
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return fail(rd, "is a pipe or socket - libtracecmd needs to seek: write the trace to a file first (trace-cmd record -o FILE)");
	if (!S_ISREG(st.st_mode))
		return fail(rd, "not a regular file (a device?) - copy the trace to a file first");
	rd->size = st.st_size;
	return 0;
}

int ms_trace_check(const char *path, struct ms_file_info *info, char *msg,
		   size_t len)
{
	struct rd rd = { .fd = -1, .info = info, .msg = msg, .len = len };
	int ret;

	memset(info, 0, sizeof(*info));
	ret = open_regular(&rd, path);
	if (!ret)
		ret = check_file(&rd);
	if (rd.fd >= 0)
		close(rd.fd);
	return ret;
}
