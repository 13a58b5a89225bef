/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guard.h - a crash inside libtracecmd on a corrupt file becomes one line.
 *
 * libtracecmd 1.3.1 trusts what it decompresses: a zstd chunk of event
 * data whose bytes were flipped passes every check trace-check.c can make
 * on the container (sizes, offsets, section ids), then the library reads
 * past its buffers or frees a half-built handle
 * (tracecmd_buffer_instance_handle() closes it on a failed read and the
 * caller's pointer stays).  migscope cannot check that data without
 * decompressing it itself, so the calls into the library run between
 * ms_lib_enter() and ms_lib_leave(): a SIGSEGV, SIGBUS, SIGFPE, SIGILL or
 * SIGABRT there prints "migscope: FILE: corrupt: ..." and exits 1.
 * Everywhere else, migscope's own callbacks included, the signals keep
 * their default action: a bug in migscope is a crash, never blamed on the
 * file.
 */
#ifndef MS_GUARD_H
#define MS_GUARD_H

void ms_lib_enter(const char *path);
void ms_lib_leave(void);
int ms_lib_suspend(void);	/* in a callback: returns the state */
void ms_lib_resume(int state);

#endif /* MS_GUARD_H */
