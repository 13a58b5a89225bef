/* SPDX-License-Identifier: GPL-2.0 */
/*
 * topology.h - the machine a trace was recorded on, from the
 * "migscope:KIND key=value ..." lines migscope-record writes to
 * trace_marker (format: tracepoints/README.md).  Independent of
 * libtracecmd: feed it the text of each ftrace:print record.
 */
#ifndef MS_TOPOLOGY_H
#define MS_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_MAX_CPU	65535	/* larger numbers are garbage */

struct ms_cpu_topo {
	int	cpu;
	int	package;	/* -1: not given */
	int	die;
	int	node;
	int	l3;		/* L3 domain id, -1: none or unknown */
	char	*l3_list;	/* shared_cpu_list as recorded */
};

struct ms_node_topo {
	int		node;
	char		*cpus;		/* may be empty: a memory-only node */
	long long	mem_kb;		/* -1: not given */
};

struct ms_l3_domain {
	int	id;		/* 0.. in order of lowest CPU */
	char	*cpus;
	int	node;		/* -1 when its CPUs span nodes */
	int	first_cpu;
};

struct ms_machine {
	int			nr_markers;	/* lines understood */

	char			*release;	/* kernel */
	char			*version;
	char			*arch;

	char			*clock;		/* clock */
	uint64_t		page_size;	/* 0: not given */
	int			ncpus;
	double			cpu_mhz;	/* 0: unknown; never a TSC rate */
	double			tsc_khz;	/* kernel's TSC rate, 0: unknown */
	char			*tsc_from;	/* where migscope-record read it */
	int			tsc_stable;	/* -1: not said */
	char			*recorded;	/* record: the -e values */

	bool			have_migrate;	/* migrate: the copy's settings
						   at record start */
	char			*migrator;	/* the active one, "kernel" */
	char			*offload_reasons;
	long long		min_folios;	/* its thresholds, -1: none */
	long long		min_bytes;

	bool			have_env;	/* env */
	int			hypervisor;	/* -1: not given */
	char			*emulated;

	struct ms_cpu_topo	*cpus;		/* sorted by cpu after finish */
	int			nr_cpus;
	struct ms_node_topo	*nodes;
	int			nr_nodes;
	struct ms_l3_domain	*l3;
	int			nr_l3;
};

void ms_machine_init(struct ms_machine *m);
int ms_machine_parse(struct ms_machine *m, const char *line, size_t len);
int ms_machine_finish(struct ms_machine *m);
void ms_machine_free(struct ms_machine *m);
bool ms_machine_has_topology(const struct ms_machine *m);
bool ms_machine_recorded(const struct ms_machine *m, const char *system,
			 const char *name);

#endif /* MS_TOPOLOGY_H */
