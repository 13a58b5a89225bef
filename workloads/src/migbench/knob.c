// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: sysfs knobs that migbench changes for a run.
 *
 * The first write to a knob saves its value; every saved knob whose last
 * write was not that value is written back, newest first, by mb_knobs_restore() (called at the end of the run
 * and registered with atexit) and by a handler for the fatal signals
 * (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
 * SIGILL) that uses only open/write/close before dying of the signal.
 * SIGKILL (the OOM killer) cannot be caught.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migbench.h"

#define MB_MAX_KNOBS	64

struct mb_knob {
	char path[256];
	char orig[64];
	char now[64];
};

static struct mb_knob mb_knobs[MB_MAX_KNOBS];
static volatile sig_atomic_t mb_nknobs;
static bool mb_knob_hooks;

static const int mb_fatal_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
	SIGILL,
};

const char *mb_sysfs_mm(void)
{
	const char *s = getenv("MIGBENCH_SYSFS_MM");

	return s && *s ? s : MB_SYSFS_MM_DEFAULT;
}

/* Async-signal-safe: 0, or -errno. */
static int mb_write_str(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/*
 * The value of a knob: the [selected] word of "always [madvise] never", or
 * the whole content without its newline. 0, or -1 with errno set.
 */
int mb_knob_read(const char *path, char *buf, size_t len)
{
	char raw[512], *s, *e;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, raw, sizeof(raw) - 1);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	raw[n] = '\0';
	s = strchr(raw, '[');
	e = s ? strchr(s, ']') : NULL;
	if (s && e) {
		s++;
		*e = '\0';
	} else {
		s = raw;
		s[strcspn(s, "\n")] = '\0';
	}
	if (strlen(s) >= len) {
		errno = EOVERFLOW;
		return -1;
	}
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

static void mb_knobs_on_signal(int sig)
{
	static const char msg[] = MB_NAME ": signal: restoring sysfs knobs\n";
	ssize_t n;
	int i;

	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;	/* a lost message changes nothing here */
	for (i = mb_nknobs - 1; i >= 0; i--)
		if (strcmp(mb_knobs[i].now, mb_knobs[i].orig))
			mb_write_str(mb_knobs[i].path, mb_knobs[i].orig);
	mb_nknobs = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void mb_knob_install_hooks(void)
{
	struct sigaction sa;
	size_t i;

	if (mb_knob_hooks)
		return;
	mb_knob_hooks = true;
	atexit(mb_knobs_restore);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mb_knobs_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < MB_ARRAY_SIZE(mb_fatal_signals); i++)
		sigaddset(&sa.sa_mask, mb_fatal_signals[i]);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < MB_ARRAY_SIZE(mb_fatal_signals); i++)
		sigaction(mb_fatal_signals[i], &sa, NULL);
}

static struct mb_knob *mb_knob_find(const char *path)
{
	int i;

	for (i = 0; i < mb_nknobs; i++)
		if (!strcmp(mb_knobs[i].path, path))
			return &mb_knobs[i];
	return NULL;
}

static const char *mb_write_hint(int err)
{
	switch (err) {
	case EINVAL:
		return " (the kernel refuses this value)";
	case EACCES:
	case EPERM:
		return " (needs root)";
	case EROFS:
		return " (sysfs is read-only here)";
	}
	return "";
}

/* Write @value to the knob at @path, saving its value the first time. */
int mb_knob_set(const char *path, const char *value)
{
	struct mb_knob *k = mb_knob_find(path);
	int err;

	if (!k) {
		if (mb_nknobs == MB_MAX_KNOBS) {
			mb_err("too many sysfs knobs to remember (%d)", MB_MAX_KNOBS);
			return -1;
		}
		if (strlen(path) >= sizeof(k->path)) {
			mb_err("sysfs path too long: %s", path);
			return -1;
		}
		k = &mb_knobs[mb_nknobs];
		if (mb_knob_read(path, k->orig, sizeof(k->orig))) {
			mb_err("cannot read %s: %s", path, strerror(errno));
			return -1;
		}
		memcpy(k->path, path, strlen(path) + 1);
		mb_knob_install_hooks();
		mb_nknobs = mb_nknobs + 1;	/* the entry is complete */
	}
	err = mb_write_str(path, value);
	if (err) {
		mb_err("cannot write '%s' to %s: %s%s", value, path,
		       strerror(-err), mb_write_hint(-err));
		return -1;
	}
	snprintf(k->now, sizeof(k->now), "%s", value);
	return 0;
}

/*
 * Write @value to a trigger such as /proc/sys/vm/compact_memory: nothing
 * is saved (there is no value to restore, and root cannot read it).
 */
int mb_trigger(const char *path, const char *value)
{
	int err = mb_write_str(path, value);

	if (err) {
		mb_err("cannot write '%s' to %s: %s%s", value, path,
		       strerror(-err), mb_write_hint(-err));
		return -1;
	}
	return 0;
}

/* /proc/sys, or $MIGBENCH_PROC_SYS (tests) */
const char *mb_proc_sys(void)
{
	const char *s = getenv("MIGBENCH_PROC_SYS");

	return s && *s ? s : "/proc/sys";
}

/* Write every saved knob back, newest first. */
void mb_knobs_restore(void)
{
	int i, err;

	for (i = mb_nknobs - 1; i >= 0; i--) {
		/* put back already (DAMON's state: "off" twice is EPERM) */
		if (!strcmp(mb_knobs[i].now, mb_knobs[i].orig)) {
			mb_nknobs = i;
			continue;
		}
		err = mb_write_str(mb_knobs[i].path, mb_knobs[i].orig);
		if (err)
			mb_err("cannot restore %s to '%s': %s", mb_knobs[i].path,
			       mb_knobs[i].orig, strerror(-err));
		mb_nknobs = i;
	}
}

/*
 * "transparent_hugepage/hugepages-64kB/enabled=madvise (was never), ...":
 * the knobs whose value migbench changed
 */
void mb_knobs_describe(char *buf, size_t len)
{
	size_t used = 0, root = strlen(mb_sysfs_mm());
	const char *p;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < mb_nknobs; i++) {
		if (!strcmp(mb_knobs[i].now, mb_knobs[i].orig))
			continue;
		p = mb_knobs[i].path;
		if (!strncmp(p, mb_sysfs_mm(), root) && p[root] == '/')
			p += root + 1;
		n = snprintf(buf + used, len - used, "%s%s=%s (was %s)",
			     used ? ", " : "", p, mb_knobs[i].now,
			     mb_knobs[i].orig);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}
