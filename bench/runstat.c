// SPDX-License-Identifier: GPL-2.0
/*
 * runstat.c - run a command with its standard output to /dev/null and
 * print its wall time and CPU time (user + system) in seconds and its
 * peak RSS in KiB (wait4(2) rusage), one line: "WALL CPU KIB".  Exits
 * with the command's status.
 *
 *	runstat CMD [ARG...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void child(char **argv)
{
	int null = open("/dev/null", O_WRONLY);

	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		_exit(127);
	close(null);
	execvp(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double start;
	pid_t pid;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: runstat CMD [ARG...]\n");
		return 2;
	}
	start = now();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid)
		child(argv + 1);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 1;
	}
	printf("%.4f %.4f %ld\n", now() - start,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
	if (!WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
