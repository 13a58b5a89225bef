/* SPDX-License-Identifier: GPL-2.0 */
/*
 * migscope.h - the subcommands ("verbs") of the migscope CLI, one file
 * each: trace-report.c, trace-catalog.c, trace-dma.c, trace-ccd.c,
 * trace-compare.c.
 */
#ifndef MIGSCOPE_H
#define MIGSCOPE_H

#define MS_EXIT_OK	0
#define MS_EXIT_ERROR	1	/* bad input, I/O, out of memory */
#define MS_EXIT_USAGE	2	/* bad command line */
#define MS_EXIT_LOST	3	/* --strict: the trace lost events */
#define MS_EXIT_REGRESSION 4	/* compare --fail-if: a gate tripped */

int cmd_report(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_dma(int argc, char **argv);
int cmd_ccd(int argc, char **argv);
int cmd_compare(int argc, char **argv);

#endif /* MIGSCOPE_H */
