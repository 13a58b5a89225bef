/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verb-common.h - what every verb (report, dma, ccd, compare) does the
 * same way: run the parsed command line, word a failed
 * scan, and the JSON helpers and header pieces (kernel, environment).
 */
#ifndef MS_VERB_COMMON_H
#define MS_VERB_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "report.h"
#include "trace-input.h"

/*
 * parsed: what parse_args() returned (0 run, 1 help printed, -1 usage
 * error).  Runs fn(arg) when it is 0; the exit status of the verb either
 * way.
 */
int ms_verb_run(int parsed, int (*fn)(void *arg), void *arg);
int ms_strict_status(int ret, bool strict, const char *path,
		     const struct ms_scan *scan);
/* The exit status after a failed write of the output (EPIPE: quiet 0). */
int ms_write_failed(const char *what);

/*
 * --by ARG of a verb: the index of ARG in names[nr] (names[0] is the
 * default), or -1 after one line on stderr naming the values.
 */
int ms_parse_by(const char *verb, const char *arg, const char *const names[],
		int nr);
/*
 * --by picks the CSV rows only (text and JSON show every grouping):
 * 0 with --csv or without --by, else -1 after one line saying so.
 */
int ms_check_by(const char *verb, bool by, bool csv);
/*
 * A count or a size such as 128K (K, M, G: binary) for option opt of verb:
 * 0, or -1 after one line on stderr.
 */
int ms_parse_size(const char *verb, const char *opt, const char *arg,
		  u64 *out);

/* The message for a failed ms_input_scan() of buffer (ret < 0). */
void ms_scan_error(struct ms_input *in, int buffer, int ret, char *msg,
		   size_t len);

json_t *ms_json_u64(u64 v);
json_t *ms_json_real(double v);		/* null for NAN */
json_t *ms_json_str(const char *s);	/* null for NULL */
json_t *ms_json_kernel(const struct ms_machine *m);
json_t *ms_json_environment(const struct ms_report *r);
json_t *ms_json_lost(const struct ms_scan *scan);
json_t *ms_json_lost_batches(const struct ms_scan *scan, u64 batches);
void ms_text_lost(const struct ms_scan *scan, u64 batches, FILE *out);
void ms_csv_lost(const struct ms_scan *scan, u64 batches, FILE *out);
/* Print root (consumed) with a newline; 0, or -1 if root is NULL or on error */
/* tb: rename the *_ns keys when the times are not ns (NULL: as they are) */
int ms_json_dump(json_t *root, const struct ms_timebase *tb, FILE *out);

#endif /* MS_VERB_COMMON_H */
