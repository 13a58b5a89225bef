/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guard.h - run the part of a verb that reads a trace in a child process.
 *
 * libtracecmd 1.3.1 crashes on some corrupt files that pass every check
 * trace-check.c can make without decompressing the data (a zstd chunk of
 * event data with flipped bytes makes tracecmd_buffer_instance_handle()
 * close a half-built handle).  In a child, such a crash becomes one line
 * on stderr and exit status 1 instead of a core dump.
 */
#ifndef MS_GUARD_H
#define MS_GUARD_H

int ms_guard(int (*fn)(void *arg), void *arg, const char *path);

#endif /* MS_GUARD_H */
