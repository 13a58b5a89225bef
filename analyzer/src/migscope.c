// SPDX-License-Identifier: GPL-2.0
/*
 * migscope.c - entry point: dispatch to the verbs.
 *
 *   migscope report [--json|--csv] [--buffer NAME] FILE
 *   migscope ccd [--json|--csv] FILE
 *   migscope compare [--json] A B
 *   migscope catalog
 */
#include <stdio.h>
#include <string.h>

#include "migscope.h"
#include "report.h"
#include "util.h"

struct verb {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*summary;
};

static const struct verb verbs[] = {
	{ "report",  cmd_report,
	  "per-phase cost of page migration from a trace.dat" },
	{ "dma",     cmd_dma,
	  "DMA copy (dcbm) setup, transfer and teardown per batch and channel" },
	{ "ccd",     cmd_ccd,
	  "multi-threaded copy (mtcopy) per worker CPU, L3 domain and node" },
	{ "compare", cmd_compare,
	  "two traces side by side, with ratios B/A" },
	{ "catalog", cmd_catalog,
	  "list the event fields the analyzer reads" },
};

#define NR_VERBS	ARRAY_SIZE(verbs)

static void usage(FILE *out)
{
	int i;

	fprintf(out, "usage: migscope COMMAND [ARGS]\n"
		"       migscope --help | --version\n\ncommands:\n");
	for (i = 0; i < NR_VERBS; i++)
		fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(out,
		"\nmigscope COMMAND --help describes a command; see also migscope(1).\n");
}

static const struct verb *find_verb(const char *name)
{
	int i;

	for (i = 0; i < NR_VERBS; i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct verb *verb;

	if (argc < 2) {
		usage(stderr);
		return MS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return MS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("migscope %s\n", MS_VERSION);
		return MS_EXIT_OK;
	}
	verb = find_verb(argv[1]);
	if (!verb) {
		fprintf(stderr,
			"migscope: unknown command '%s' (see migscope --help)\n",
			argv[1]);
		return MS_EXIT_USAGE;
	}
	return verb->run(argc - 1, argv + 1);
}
