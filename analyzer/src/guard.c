// SPDX-License-Identifier: GPL-2.0
/*
 * guard.c - fork, run, and turn a crash of the child into one line.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guard.h"
#include "migscope.h"

static int wait_child(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int report_crash(const char *path, int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr,
			"migscope: %s: corrupt: reading it crashed libtracecmd (%s) - record or copy it again\n",
			path,
			strsignal(WTERMSIG(status)));
	else
		fprintf(stderr,
			"migscope: %s: reading it failed (exit status %d)\n",
			path, WEXITSTATUS(status));
	return MS_EXIT_ERROR;
}

/* Returns fn's exit status, or MS_EXIT_ERROR if the child crashed. */
int ms_guard(int (*fn)(void *arg), void *arg, const char *path)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "migscope: fork: %s\n", strerror(errno));
		return MS_EXIT_ERROR;
	}
	if (pid == 0)
		exit(fn(arg));
	if (wait_child(pid, &status)) {
		fprintf(stderr, "migscope: waitpid: %s\n", strerror(errno));
		return MS_EXIT_ERROR;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) <= MS_EXIT_USAGE)
		return WEXITSTATUS(status);
	return report_crash(path, status);
}
