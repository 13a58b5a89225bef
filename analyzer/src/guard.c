// SPDX-License-Identifier: GPL-2.0
/*
 * guard.c - the signal handler of guard.h, armed only inside libtracecmd.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "migscope.h"

static volatile sig_atomic_t in_lib;
static char msg_head[512];	/* "migscope: FILE: corrupt: ..." */
static size_t msg_len;
static int armed;
static int err_fd = STDERR_FILENO;	/* stderr before any muting */

static const int guarded[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static void put(const char *s)
{
	ssize_t n = write(err_fd, s, strlen(s));

	(void)n;
}

/* async-signal-safe: write(2) and _exit(2) only */
static void on_crash(int sig)
{
	const char *name = sig == SIGSEGV ? "SIGSEGV" :
			   sig == SIGBUS ? "SIGBUS" :
			   sig == SIGFPE ? "SIGFPE" :
			   sig == SIGILL ? "SIGILL" : "SIGABRT";

	if (!in_lib) {
		/* not the library's: the default action, on return */
		signal(sig, SIG_DFL);
		return;
	}
	if (write(err_fd, msg_head, msg_len) < 0)
		_exit(MS_EXIT_ERROR);
	put(name);
	put(") - record or copy it again\n");
	_exit(MS_EXIT_ERROR);
}

static void arm(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		sigaction(guarded[i], &sa, NULL);
	/* trace-input.c points fd 2 at /dev/null inside the library */
	err_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (err_fd < 0)
		err_fd = STDERR_FILENO;
	armed = 1;
}

/* Call before trace-input.c mutes stderr: the first call keeps fd 2. */
void ms_lib_enter(const char *path)
{
	int n;

	if (!armed)
		arm();
	n = snprintf(msg_head, sizeof(msg_head),
		     "migscope: %s: corrupt: libtracecmd crashed reading it (",
		     path);
	msg_len = n < 0 ? 0 : (size_t)n < sizeof(msg_head) ? (size_t)n :
			  sizeof(msg_head) - 1;
	in_lib = 1;
}

void ms_lib_leave(void)
{
	in_lib = 0;
}

int ms_lib_suspend(void)
{
	int state = in_lib;

	in_lib = 0;
	return state;
}

void ms_lib_resume(int state)
{
	in_lib = state;
}
