/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace-check.h - structural check of a trace-cmd file before libtracecmd
 * opens it.
 *
 * libtracecmd 1.3.1 maps CPU data past the end of a cut file and crashes
 * reading it, and refuses other cut files without a reason, so every
 * offset and size in the file headers (version 6 and 7) is checked
 * against the file size first (trace-check.c says which check guards
 * against what).  The check reads the headers only, never the event data.
 */
#ifndef MS_TRACE_CHECK_H
#define MS_TRACE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_FILE_CLOCK_LEN	32
#define MS_FILE_MAX_BUFFERS	16	/* instances whose clock is kept */

/*
 * What the file's own headers say about its timestamps.  libtracecmd 1.3.1
 * reads the same options but does not tell: tracecmd_get_trace_clock() is
 * not in its public header, and there is no tracecmd_get_tsc2nsec() yet.
 * With a TSC2NSEC option it multiplies every x86-tsc timestamp into ns
 * before a record reaches migscope, so the clock name alone does not give
 * the unit.
 */
struct ms_file_info {
	unsigned int	page_size;	/* of the traced machine */
	int		version;	/* 6 or 7 */
	char		clock[MS_FILE_CLOCK_LEN]; /* TRACECLOCK: "" none */
	int		nr_buffers;	/* v7 BUFFER options kept below */
	struct {
		char	name[256];
		char	clock[MS_FILE_CLOCK_LEN];
	} buffers[MS_FILE_MAX_BUFFERS];
	bool		tsc2nsec;	/* TSC2NSEC option present */
	uint32_t	tsc_mult;	/* ns = cycles * mult >> shift */
	uint32_t	tsc_shift;
	bool		options_unread;	/* compressed by an unknown method */
};

/*
 * 0 if the file can be handed to libtracecmd, with what its headers say
 * in *info; -1 otherwise, with one line in msg: the cause, then what to
 * do.
 */
int ms_trace_check(const char *path, struct ms_file_info *info, char *msg,
		   size_t len);

/* The clock of buffer name ("" top) as the file gives it; "" unknown. */
const char *ms_file_clock(const struct ms_file_info *info, const char *name);

#endif /* MS_TRACE_CHECK_H */
