// SPDX-License-Identifier: GPL-2.0
/*
 * trace-catalog.c - `migscope catalog`: one "SYSTEM:EVENT FIELD" line per
 * event field the analyzer reads, straight from the table trace-input.c
 * looks events up with (catalog.c).  tracepoints/check-catalog compares
 * it with tracepoints/events.catalog.
 */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "migscope.h"

static void catalog_usage(FILE *out)
{
	fprintf(out,
		"usage: migscope catalog\n"
		"\n"
		"Print \"SYSTEM:EVENT FIELD\" for every event field the analyzer reads,\n"
		"one per line, in catalog order.\n");
}

int cmd_catalog(int argc, char **argv)
{
	const struct ms_event_desc *ev;
	int i, j, nr;

	if (argc == 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		catalog_usage(stdout);
		return MS_EXIT_OK;
	}
	if (argc != 1) {
		catalog_usage(stderr);
		return MS_EXIT_USAGE;
	}
	ev = ms_catalog_events(&nr);
	for (i = 0; i < nr; i++)
		for (j = 0; j < ev[i].nr_fields; j++)
			printf("%s:%s %s\n", ev[i].system, ev[i].name,
			       ev[i].fields[j].name);
	return fflush(stdout) || ferror(stdout) ? MS_EXIT_ERROR : MS_EXIT_OK;
}
