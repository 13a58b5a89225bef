// SPDX-License-Identifier: GPL-2.0
/*
 * trace-input.c - libtracecmd side of migscope: open a checked trace.dat,
 * look the catalog events up once per buffer, iterate the records of a
 * buffer and normalize them into struct ms_event.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "guard.h"
#include "trace-check.h"
#include "trace-input.h"

#define MAX_EVENT_ID	65535	/* common_type is 16 bits */

struct bound_event {
	int				index;	/* in the catalog */
	struct tep_format_field		*fields[MS_MAX_FIELDS];
};

/* The catalog bound to the formats of one buffer. */
struct binding {
	struct tep_handle		*tep;
	const struct ms_event_desc	*events;
	int				nr_events;
	struct bound_event		bound[MS_CATALOG_MAX];
	int				*slot;	/* event id -> bound[], -1 */
	int				max_id;
	int				print_id;
	struct tep_format_field		*print_buf;
	struct ms_scan			*scan;
	int				err;
	/*
	 * The event handed to the engines, reused: only the members the
	 * previous record's event wrote are cleared before the next one, so
	 * a record costs its own fields, not a memset of the whole event.
	 */
	struct ms_event			ev;
	const struct ms_event_desc	*last;
	/*
	 * Little-endian file on a little-endian host: numbers are copied out
	 * of the record at the offsets resolved at binding time, instead of
	 * tep_read_number_field()'s generic per-call switch.
	 */
	bool				raw;
	int				type_off;	/* common_type, or -1 */
	int				pid_off;	/* common_pid, or -1 */
};

/*
 * libtracecmd 1.3.1 prints some errors (failed mmap of a damaged file)
 * to stderr whatever its log level: stderr points to /dev/null while it
 * runs, so that migscope prints one line per error.  Returns the saved
 * stderr, or -1.
 */
static int mute_stderr(void)
{
	int saved, null;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void unmute_stderr(int saved)
{
	if (saved < 0)
		return;
	dup2(saved, STDERR_FILENO);
	close(saved);
}

int ms_input_open(struct ms_input *in, const char *path, char *msg,
		  size_t len)
{
	int saved;

	in->handle = NULL;
	in->path = strdup(path);
	if (!in->path) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	if (ms_trace_check(path, &in->file, msg, len))
		goto fail;
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	ms_lib_enter(in->path);
	saved = mute_stderr();
	in->handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	unmute_stderr(saved);
	ms_lib_leave();
	if (!in->handle) {
		snprintf(msg, len,
			 "corrupt: libtracecmd cannot read it - record or copy it again");
		goto fail;
	}
	if (!tracecmd_get_tep(in->handle)) {
		snprintf(msg, len,
			 "corrupt: no event formats in the file - record or copy it again");
		goto fail;
	}
	return 0;
fail:
	ms_input_close(in);
	return -1;
}

void ms_input_close(struct ms_input *in)
{
	int saved;

	if (in->handle) {
		ms_lib_enter(in->path);
		saved = mute_stderr();
		tracecmd_close(in->handle);
		unmute_stderr(saved);
		ms_lib_leave();
		in->handle = NULL;
	}
	free(in->path);
	in->path = NULL;
}

int ms_input_nr_buffers(struct ms_input *in)
{
	int n = tracecmd_buffer_instances(in->handle);

	return 1 + (n > 0 ? n : 0);
}

/* "" for the top buffer */
const char *ms_input_buffer_name(struct ms_input *in, int buffer)
{
	const char *name;

	if (buffer <= 0)
		return "";
	name = tracecmd_buffer_instance_name(in->handle, buffer - 1);
	return name ? name : "?";
}

/* An instance by name; "top" is the top buffer unless an instance has it */
int ms_input_find_buffer(struct ms_input *in, const char *name)
{
	int i, n = ms_input_nr_buffers(in);

	for (i = 1; i < n; i++)
		if (!strcmp(ms_input_buffer_name(in, i), name))
			return i;
	if (!strcmp(name, "top"))
		return 0;
	return -1;
}

bool ms_input_has_format(struct ms_input *in, const char *system,
			 const char *name)
{
	struct tep_handle *tep = tracecmd_get_tep(in->handle);

	return tep && tep_find_event_by_name(tep, system, name);
}

int ms_input_page_size(struct ms_input *in)
{
	return in->file.page_size;
}

/* A string field must be a __data_loc, a number must not. */
static bool field_fits(const struct ms_field_desc *fd,
		       const struct tep_format_field *f)
{
	bool dynamic = f->flags & TEP_FIELD_IS_DYNAMIC;

	return fd->type == MS_FT_STR ? dynamic && f->size == 4 : !dynamic;
}

/*
 * The common_type and common_pid offsets, the same in every format of a
 * file: taken from the first bound event that has them at their usual
 * sizes (2 and 4 bytes); -1 keeps the library's readers.
 */
static void common_fields(struct binding *b, struct tep_event *ev)
{
	struct tep_format_field *f;

	if (b->type_off >= 0)
		return;
	f = tep_find_common_field(ev, "common_type");
	if (!f || f->size != 2 || f->offset < 0)
		return;
	b->type_off = f->offset;
	f = tep_find_common_field(ev, "common_pid");
	if (f && f->size == 4 && f->offset >= 0)
		b->pid_off = f->offset;
}

static int bind_event(struct binding *b, int index)
{
	const struct ms_event_desc *d = &b->events[index];
	struct bound_event *be = &b->bound[index];
	struct tep_event *ev;
	int i;

	be->index = index;
	ev = tep_find_event_by_name(b->tep, d->system, d->name);
	if (!ev || ev->id < 0 || ev->id > MAX_EVENT_ID)
		return 0;
	for (i = 0; i < d->nr_fields && i < MS_MAX_FIELDS; i++) {
		be->fields[i] = tep_find_field(ev, d->fields[i].name);
		if (be->fields[i] && !field_fits(&d->fields[i],
						 be->fields[i]))
			be->fields[i] = NULL;	/* reads as 0 or "" */
		if (!be->fields[i] && !d->fields[i].optional)
			b->scan->bad_format[index] = true;
	}
	common_fields(b, ev);
	if (ev->id > b->max_id) {
		int *slot = realloc(b->slot, (ev->id + 1) * sizeof(*slot));

		if (!slot)
			return -1;
		for (i = b->max_id + 1; i <= ev->id; i++)
			slot[i] = -1;
		b->slot = slot;
		b->max_id = ev->id;
	}
	b->slot[ev->id] = index;
	return 0;
}

static void bind_print(struct binding *b)
{
	struct tep_event *ev = tep_find_event_by_name(b->tep, "ftrace",
						       "print");

	b->print_id = -1;
	if (!ev)
		return;
	b->print_buf = tep_find_field(ev, "buf");
	if (b->print_buf)
		b->print_id = ev->id;
}

static int binding_init(struct binding *b, struct tracecmd_input *h,
			struct ms_scan *scan)
{
	int i;

	memset(b, 0, sizeof(*b));
	b->tep = tracecmd_get_tep(h);
	b->scan = scan;
	b->max_id = -1;
	b->type_off = -1;
	b->pid_off = -1;
	b->events = ms_catalog_events(&b->nr_events);
	if (!b->tep)
		return -1;
	b->raw = !tep_is_file_bigendian(b->tep) &&
		 !tep_is_local_bigendian(b->tep);
	for (i = 0; i < b->nr_events; i++)
		if (bind_event(b, i))
			return -1;
	bind_print(b);
	return 0;
}

static s64 sign_extend(u64 v, int size)
{
	int shift = 64 - 8 * size;

	if (size <= 0 || size >= 8)
		return (s64)v;
	return (s64)(v << shift) >> shift;
}

static bool is_signed(enum ms_ftype t)
{
	return t == MS_FT_S32 || t == MS_FT_S64;
}

/*
 * A __string field: a __data_loc (or __rel_loc) word, offset in the low
 * 16 bits and length (with the NUL) in the high 16, points into the
 * record.  Copied into the char array at fd->offset, cut to fit; false if
 * it points out of the record.
 */
static bool read_string(const struct ms_field_desc *fd,
			struct tep_format_field *f, struct tep_record *rec,
			struct ms_event *ev)
{
	char *dst = (char *)ev + fd->offset;
	unsigned long long loc;
	unsigned int off, len;

	if (!(f->flags & TEP_FIELD_IS_DYNAMIC) || f->size != 4 ||
	    f->offset < 0 || f->offset + f->size > rec->size)
		return false;
	if (tep_read_number_field(f, rec->data, &loc))
		return false;
	off = loc & 0xffff;
	len = (loc >> 16) & 0xffff;
	if (f->flags & TEP_FIELD_IS_RELATIVE)
		off += f->offset + f->size;
	if (off > (unsigned int)rec->size || len > rec->size - off)
		return false;
	if (len >= MS_NAME_MAX)
		len = MS_NAME_MAX - 1;
	memcpy(dst, (const char *)rec->data + off, len);
	dst[len] = '\0';	/* the field's own NUL, or the cut */
	return true;
}

/* A number of size bytes at off of a little-endian record, on a LE host. */
static unsigned long long read_raw(const void *data, int off, int size)
{
	const char *p = (const char *)data + off;
	unsigned long long val = 0;
	uint32_t v32;
	uint16_t v16;

	/* one load of the field's own width (no store-forwarding stall) */
	switch (size) {
	case 8:
		memcpy(&val, p, 8);
		return val;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 1:
		return *(const unsigned char *)p;
	}
	memcpy(&val, p, size);
	return val;
}

/* Read one field into its ms_event member; false if out of the record. */
static bool read_field(const struct binding *b, const struct ms_field_desc *fd,
		       struct tep_format_field *f, struct tep_record *rec,
		       struct ms_event *ev)
{
	unsigned long long val;
	u64 *member = (u64 *)((char *)ev + fd->offset);

	if (!f)
		return true;	/* missing from the format: reads as 0 */
	if (fd->type == MS_FT_STR)
		return read_string(fd, f, rec, ev);
	if (f->offset < 0 || f->size <= 0 || f->size > 8 ||
	    f->offset + f->size > rec->size)
		return false;
	if (fd->unread)
		return true;	/* in the record, not needed: stays 0 */
	if (b->raw)
		val = read_raw(rec->data, f->offset, f->size);
	else if (tep_read_number_field(f, rec->data, &val))
		return false;
	if (is_signed(fd->type))
		val = (u64)sign_extend(val, f->size);
	*member = val;
	return true;
}

/* Zero what the previous record's event wrote: the rest is still 0. */
static void clear_last(struct binding *b)
{
	const struct ms_event_desc *d = b->last;
	int i;

	for (i = 0; d && i < d->nr_fields && i < MS_MAX_FIELDS; i++) {
		char *member = (char *)&b->ev + d->fields[i].offset;

		if (d->fields[i].unread)
			continue;
		if (d->fields[i].type == MS_FT_STR)
			member[0] = '\0';
		else
			*(u64 *)member = 0;
	}
}

static bool normalize(struct binding *b, const struct bound_event *be,
		      struct tep_record *rec, struct ms_event *ev)
{
	const struct ms_event_desc *d = &b->events[be->index];
	int i;

	clear_last(b);
	b->last = d;
	ev->ts = rec->ts;
	ev->cpu = rec->cpu;
	if (b->raw && b->pid_off >= 0 && b->pid_off + 4 <= rec->size)
		ev->pid = (int)read_raw(rec->data, b->pid_off, 4);
	else
		ev->pid = tep_data_pid(b->tep, rec);
	ev->type = d->type;
	ev->phase = d->phase;
	ev->syscall = d->syscall;
	for (i = 0; i < d->nr_fields && i < MS_MAX_FIELDS; i++)
		if (!read_field(b, &d->fields[i], be->fields[i], rec, ev))
			return false;
	return true;
}

/* The text of an ftrace:print record, bounded by the record. */
static int on_print(struct binding *b, struct tep_record *rec)
{
	struct tep_format_field *f = b->print_buf;
	const char *text;
	int len;

	if (!b->scan->on_marker || f->offset < 0 || f->offset > rec->size)
		return 0;
	text = (const char *)rec->data + f->offset;
	len = rec->size - f->offset;
	if (f->flags & TEP_FIELD_IS_DYNAMIC)
		return 0;	/* ftrace:print has a fixed buf[] */
	return b->scan->on_marker(text, len, b->scan->data);
}

/*
 * The ring buffer dropped events on this CPU before rec: counted in the
 * scan and handed to the engines as MS_EV_LOST before rec.  libtracecmd
 * gives the count when the kernel stored it, -1 when it did not (counted
 * as 1 event, the least it can be).
 */
static int on_missed(struct binding *b, const struct tep_record *rec)
{
	struct ms_scan *scan = b->scan;
	struct ms_event ev = {
		.ts = rec->ts, .cpu = rec->cpu, .pid = -1,
		.type = MS_EV_LOST,
		.lost = rec->missed_events > 0 ? rec->missed_events : 0,
	};

	scan->missed += rec->missed_events > 0 ? rec->missed_events : 1;
	scan->missed_unknown += rec->missed_events < 0;
	if (!scan->gaps++) {
		scan->first_gap_cpu = rec->cpu;
		scan->first_gap_ts = rec->ts;
	}
	if (!scan->on_event)
		return 0;
	return scan->on_event(&ev, scan->data);
}

static int handle_record(struct binding *b, struct tep_record *rec);

static int on_record(struct tracecmd_input *h, struct tep_record *rec,
		     int cpu, void *data)
{
	struct binding *b = data;
	int lib = ms_lib_suspend();	/* our code from here */
	int ret = 0;

	(void)h;
	(void)cpu;
	if (handle_record(b, rec))
		ret = -1;
	ms_lib_resume(lib);
	return ret;
}

/* One record: 0, or -1 to stop the iteration (b->err says why). */
static int handle_record(struct binding *b, struct tep_record *rec)
{
	struct ms_scan *scan = b->scan;
	int id, index;

	if (rec->missed_events) {
		b->err = on_missed(b, rec);
		if (b->err < 0)
			return -1;
	}
	if (rec->size < 2)
		return 0;
	if (b->raw && b->type_off >= 0 && b->type_off + 2 <= rec->size)
		id = (int)read_raw(rec->data, b->type_off, 2);
	else
		id = tep_data_type(b->tep, rec);
	if (id == b->print_id)
		b->err = on_print(b, rec);
	else if (scan->on_event && id >= 0 && id <= b->max_id &&
		 b->slot[id] >= 0) {
		index = b->slot[id];
		if (!normalize(b, &b->bound[index], rec, &b->ev)) {
			scan->malformed++;
			return 0;
		}
		scan->seen[index]++;
		b->err = scan->on_event(&b->ev, scan->data);
	}
	return b->err < 0 ? -1 : 0;
}

u64 ms_scan_records(const struct ms_scan *scan)
{
	u64 n = 0;
	int i;

	for (i = 0; i < MS_CATALOG_MAX; i++)
		n += scan->seen[i];
	return n;
}

const char *ms_input_events_buffer(struct ms_input *in,
				   const struct ms_scan *scan)
{
	return scan->have_events_buffer ?
	       ms_input_buffer_name(in, scan->events_buffer) : "";
}

static struct tracecmd_input *buffer_handle(struct ms_input *in, int buffer)
{
	if (buffer == 0)
		return in->handle;
	return tracecmd_buffer_instance_handle(in->handle, buffer - 1);
}

/*
 * Feed every record of one buffer to the scan.  Returns 0, -1 if a
 * callback failed, MS_SCAN_CORRUPT if libtracecmd cannot open the buffer.
 */
int ms_input_scan(struct ms_input *in, int buffer, struct ms_scan *scan)
{
	struct tracecmd_input *h;
	unsigned long long first;
	struct binding b;
	u64 before;
	int saved, ret = -1;

	ms_lib_enter(in->path);
	saved = mute_stderr();
	h = buffer_handle(in, buffer);
	if (!h) {
		ret = MS_SCAN_CORRUPT;
		goto out;
	}
	if (binding_init(&b, h, scan))
		goto out_close;
	first = tracecmd_get_first_ts(h);
	if (first && (!scan->first_ts || first < scan->first_ts))
		scan->first_ts = first;
	before = ms_scan_records(scan);
	tracecmd_iterate_events(h, NULL, 0, on_record, &b);
	if (!scan->have_events_buffer && ms_scan_records(scan) > before) {
		scan->have_events_buffer = true;
		scan->events_buffer = buffer;
	}
	ret = b.err < 0 ? -1 : 0;
out_close:
	free(b.slot);
	if (h != in->handle)
		tracecmd_close(h);
out:
	unmute_stderr(saved);
	ms_lib_leave();
	return ret;
}
