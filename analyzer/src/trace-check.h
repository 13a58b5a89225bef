/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace-check.h - structural check of a trace-cmd file before libtracecmd
 * opens it.
 *
 * libtracecmd 1.3.1 frees twice or allocates absurd sizes on some
 * truncated files, so every offset and size in the file headers (version
 * 6 and 7) is checked against the file size first.  The check reads the
 * headers only, never the event data.
 */
#ifndef MS_TRACE_CHECK_H
#define MS_TRACE_CHECK_H

#include <stddef.h>

/*
 * 0 if the file can be handed to libtracecmd, with the page size of the
 * traced machine in *page_size; -1 otherwise, with one line in msg: the
 * cause, then what to do.
 */
int ms_trace_check(const char *path, unsigned int *page_size, char *msg,
		   size_t len);

#endif /* MS_TRACE_CHECK_H */
