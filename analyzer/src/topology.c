// SPDX-License-Identifier: GPL-2.0
/*
 * topology.c - parse migscope marker lines into struct ms_machine and
 * group CPUs into L3 domains.
 *
 * A line is "migscope:KIND key=value key="quoted value" ...".  Unknown
 * kinds, unknown keys, tokens without '=' and lines that do not start
 * with "migscope:" are ignored; a key that is missing or not a number
 * reads as -1.  Nothing here trusts the input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

#define MARKER_PREFIX	"migscope:"
#define MAX_KV		16

struct kv {
	const char	*key;
	size_t		klen;
	const char	*val;
	size_t		vlen;
};

struct kvs {
	struct kv	kv[MAX_KV];
	int		nr;
};

void ms_machine_init(struct ms_machine *m)
{
	memset(m, 0, sizeof(*m));
	m->hypervisor = -1;
	m->ncpus = -1;
	m->tsc_stable = -1;
	m->min_folios = -1;
	m->min_bytes = -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

/* Parse one value at *p (quoted or bare); advance *p past it. */
static void take_value(const char **p, const char *end, struct kv *kv)
{
	const char *s = *p;

	if (s < end && *s == '"') {
		const char *q = memchr(s + 1, '"', end - s - 1);

		kv->val = s + 1;
		kv->vlen = (q ? q : end) - kv->val;
		*p = q ? q + 1 : end;
		return;
	}
	while (s < end && !is_space(*s))
		s++;
	kv->val = *p;
	kv->vlen = s - *p;
	*p = s;
}

/* Split "k=v k2="v 2" junk" into key/value pairs. */
static void split_kvs(const char *p, const char *end, struct kvs *out)
{
	out->nr = 0;
	while (p < end && out->nr < MAX_KV) {
		struct kv *kv = &out->kv[out->nr];
		const char *k;

		while (p < end && is_space(*p))
			p++;
		k = p;
		while (p < end && !is_space(*p) && *p != '=')
			p++;
		if (p >= end || *p != '=' || p == k) {
			while (p < end && !is_space(*p))
				p++;
			continue;
		}
		kv->key = k;
		kv->klen = p - k;
		p++;
		take_value(&p, end, kv);
		out->nr++;
	}
}

static const struct kv *kv_find(const struct kvs *kvs, const char *key)
{
	size_t len = strlen(key);
	int i;

	/* the last occurrence wins */
	for (i = kvs->nr - 1; i >= 0; i--) {
		const struct kv *kv = &kvs->kv[i];

		if (kv->klen == len && !memcmp(kv->key, key, len))
			return kv;
	}
	return NULL;
}

/* A copy of the value of key, NULL if missing; *err set on ENOMEM. */
static char *kv_str(const struct kvs *kvs, const char *key, int *err)
{
	const struct kv *kv = kv_find(kvs, key);
	char *s;

	if (!kv)
		return NULL;
	s = strndup(kv->val, kv->vlen);
	if (!s)
		*err = -1;
	return s;
}

static bool kv_ll(const struct kvs *kvs, const char *key, long long *out)
{
	const struct kv *kv = kv_find(kvs, key);
	char buf[32], *endp;
	long long v;

	if (!kv || !kv->vlen || kv->vlen >= sizeof(buf))
		return false;
	memcpy(buf, kv->val, kv->vlen);
	buf[kv->vlen] = '\0';
	errno = 0;
	v = strtoll(buf, &endp, 10);
	if (errno || *endp)
		return false;
	*out = v;
	return true;
}

/* A small non-negative integer (cpu, node, ...), -1 when absent/bad. */
static int kv_id(const struct kvs *kvs, const char *key)
{
	long long v;

	if (!kv_ll(kvs, key, &v) || v < 0 || v > MS_MAX_CPU)
		return -1;
	return v;
}

static double kv_double(const struct kvs *kvs, const char *key)
{
	const struct kv *kv = kv_find(kvs, key);
	char buf[32], *endp;
	double v;

	if (!kv || !kv->vlen || kv->vlen >= sizeof(buf))
		return 0;
	memcpy(buf, kv->val, kv->vlen);
	buf[kv->vlen] = '\0';
	v = strtod(buf, &endp);
	if (*endp || !(v > 0 && v < 1e7))
		return 0;
	return v;
}

/* Replace *dst by the value of key if the key is there. */
static int set_str(char **dst, const struct kvs *kvs, const char *key)
{
	int err = 0;
	char *s = kv_str(kvs, key, &err);

	if (s) {
		free(*dst);
		*dst = s;
	}
	return err;
}

static int parse_kernel(struct ms_machine *m, const struct kvs *kvs)
{
	if (set_str(&m->release, kvs, "release") ||
	    set_str(&m->version, kvs, "version") ||
	    set_str(&m->arch, kvs, "machine"))
		return -1;
	return 0;
}

/* "mono" or, as in the trace_clock file, "local [mono] boot" */
static void clean_clock(char *clock)
{
	char *open = strchr(clock, '['), *close;

	if (!open)
		return;
	close = strchr(open, ']');
	if (!close)
		return;
	*close = '\0';
	memmove(clock, open + 1, strlen(open + 1) + 1);
}

static int parse_clock(struct ms_machine *m, const struct kvs *kvs)
{
	long long v;

	if (set_str(&m->clock, kvs, "trace_clock"))
		return -1;
	if (m->clock)
		clean_clock(m->clock);
	if (kv_ll(kvs, "page_size", &v) && v > 0 && v <= (1LL << 30))
		m->page_size = v;
	m->ncpus = kv_id(kvs, "ncpus");
	m->cpu_mhz = kv_double(kvs, "cpu_mhz");
	m->tsc_khz = kv_double(kvs, "tsc_khz");
	if (kv_ll(kvs, "tsc_stable", &v) && (v == 0 || v == 1))
		m->tsc_stable = v;
	return set_str(&m->tsc_from, kvs, "tsc_khz_from");
}

static int parse_env(struct ms_machine *m, const struct kvs *kvs)
{
	long long v;

	m->have_env = true;
	if (kv_ll(kvs, "hypervisor", &v) && (v == 0 || v == 1))
		m->hypervisor = v;
	return set_str(&m->emulated, kvs, "emulated");
}

/* a threshold: a count >= 0, else -1 (the migrator has none) */
static long long kv_threshold(const struct kvs *kvs, const char *key)
{
	long long v;

	return kv_ll(kvs, key, &v) && v >= 0 ? v : -1;
}

static int parse_migrate(struct ms_machine *m, const struct kvs *kvs)
{
	m->have_migrate = true;
	m->min_folios = kv_threshold(kvs, "min_folios");
	m->min_bytes = kv_threshold(kvs, "min_bytes");
	if (set_str(&m->migrator, kvs, "migrator"))
		return -1;
	return set_str(&m->offload_reasons, kvs, "offload_reasons");
}

static struct ms_cpu_topo *cpu_slot(struct ms_machine *m, int cpu)
{
	struct ms_cpu_topo *c;
	int i;

	for (i = 0; i < m->nr_cpus; i++)
		if (m->cpus[i].cpu == cpu)
			return &m->cpus[i];
	/* grow by one: bounded by the number of distinct CPUs */
	c = realloc(m->cpus, (m->nr_cpus + 1) * sizeof(*c));
	if (!c)
		return NULL;
	m->cpus = c;
	c = &m->cpus[m->nr_cpus++];
	memset(c, 0, sizeof(*c));
	c->cpu = cpu;
	return c;
}

static int parse_cpu(struct ms_machine *m, const struct kvs *kvs)
{
	int cpu = kv_id(kvs, "cpu");
	struct ms_cpu_topo *c;
	int err = 0;
	char *l3;

	if (cpu < 0)
		return 0;
	l3 = kv_str(kvs, "l3", &err);
	if (err)
		return -1;
	c = cpu_slot(m, cpu);
	if (!c) {
		free(l3);
		return -1;
	}
	c->package = kv_id(kvs, "package");
	c->die = kv_id(kvs, "die");
	c->node = kv_id(kvs, "node");
	c->l3 = -1;
	free(c->l3_list);
	c->l3_list = l3;
	return 0;
}

static struct ms_node_topo *node_slot(struct ms_machine *m, int node)
{
	struct ms_node_topo *n;
	int i;

	for (i = 0; i < m->nr_nodes; i++)
		if (m->nodes[i].node == node)
			return &m->nodes[i];
	n = realloc(m->nodes, (m->nr_nodes + 1) * sizeof(*n));
	if (!n)
		return NULL;
	m->nodes = n;
	n = &m->nodes[m->nr_nodes++];
	memset(n, 0, sizeof(*n));
	n->node = node;
	return n;
}

static int parse_node(struct ms_machine *m, const struct kvs *kvs)
{
	int node = kv_id(kvs, "node");
	struct ms_node_topo *n;
	long long kb;
	int err = 0;
	char *cpus;

	if (node < 0)
		return 0;
	cpus = kv_str(kvs, "cpus", &err);
	if (err)
		return -1;
	n = node_slot(m, node);
	if (!n) {
		free(cpus);
		return -1;
	}
	free(n->cpus);
	n->cpus = cpus;
	n->mem_kb = kv_ll(kvs, "mem_kb", &kb) && kb >= 0 ? kb : -1;
	return 0;
}

static bool kind_is(const char *kind, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(kind, name, len);
}

static int dispatch(struct ms_machine *m, const char *kind, size_t klen,
		    const struct kvs *kvs)
{
	if (kind_is(kind, klen, "kernel"))
		return parse_kernel(m, kvs);
	if (kind_is(kind, klen, "clock"))
		return parse_clock(m, kvs);
	if (kind_is(kind, klen, "env"))
		return parse_env(m, kvs);
	if (kind_is(kind, klen, "migrate"))
		return parse_migrate(m, kvs);
	if (kind_is(kind, klen, "cpu"))
		return parse_cpu(m, kvs);
	if (kind_is(kind, klen, "node"))
		return parse_node(m, kvs);
	if (kind_is(kind, klen, "record"))
		return set_str(&m->recorded, kvs, "events");
	if (kind_is(kind, klen, "begin") || kind_is(kind, klen, "end"))
		return 0;
	return 1;
}

/*
 * Parse one ftrace:print text (not necessarily NUL-terminated).
 * Returns 1 if it was a migscope marker, 0 if ignored, -1 on ENOMEM.
 */
int ms_machine_parse(struct ms_machine *m, const char *line, size_t len)
{
	size_t plen = strlen(MARKER_PREFIX);
	const char *p, *kind, *end = line + len;
	struct kvs kvs;
	int ret;

	if (len < plen || memcmp(line, MARKER_PREFIX, plen))
		return 0;
	p = memchr(line, '\0', len);
	if (p)
		end = p;
	kind = p = line + plen;
	while (p < end && !is_space(*p))
		p++;
	split_kvs(p, end, &kvs);
	ret = dispatch(m, kind, p - kind, &kvs);
	if (ret < 0)
		return -1;
	if (ret > 0)
		return 0;
	m->nr_markers++;
	return 1;
}

/* The lowest CPU number in a CPU list such as "4-7,0-1"; -1 if none. */
static int cpulist_first(const char *list)
{
	const char *p = list;
	long best = -1;

	while (*p) {
		char *endp;
		long v;

		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		v = strtol(p, &endp, 10);
		if (v <= MS_MAX_CPU && (best < 0 || v < best))
			best = v;
		p = endp;
	}
	return best;
}

static struct ms_l3_domain *l3_find(struct ms_machine *m, const char *list)
{
	int i;

	for (i = 0; i < m->nr_l3; i++)
		if (!strcmp(m->l3[i].cpus, list))
			return &m->l3[i];
	return NULL;
}

static int l3_add(struct ms_machine *m, struct ms_cpu_topo *c)
{
	struct ms_l3_domain *d = l3_find(m, c->l3_list);
	int first = cpulist_first(c->l3_list);

	if (d) {
		if (d->node != c->node)
			d->node = -1;
		return 0;
	}
	if (first < 0)
		return 0;
	d = realloc(m->l3, (m->nr_l3 + 1) * sizeof(*d));
	if (!d)
		return -1;
	m->l3 = d;
	d = &m->l3[m->nr_l3];
	d->cpus = strdup(c->l3_list);
	if (!d->cpus)
		return -1;
	d->first_cpu = first;
	d->node = c->node;
	d->id = -1;
	m->nr_l3++;
	return 0;
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct ms_cpu_topo *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

/* Stable: domains with the same lowest CPU keep their first-seen order */
static void l3_sort(struct ms_machine *m)
{
	int i, j;

	for (i = 1; i < m->nr_l3; i++) {
		struct ms_l3_domain d = m->l3[i];

		for (j = i; j > 0 && m->l3[j - 1].first_cpu > d.first_cpu; j--)
			m->l3[j] = m->l3[j - 1];
		m->l3[j] = d;
	}
	for (i = 0; i < m->nr_l3; i++)
		m->l3[i].id = i;
}

/*
 * After the last marker: sort CPUs, group them into L3 domains by their
 * l3 CPU-list string, number the domains by lowest CPU.
 */
int ms_machine_finish(struct ms_machine *m)
{
	int i;

	if (m->nr_cpus)
		qsort(m->cpus, m->nr_cpus, sizeof(*m->cpus), cmp_cpu);
	for (i = 0; i < m->nr_cpus; i++) {
		struct ms_cpu_topo *c = &m->cpus[i];

		if (c->l3_list && l3_add(m, c))
			return -1;
	}
	l3_sort(m);
	for (i = 0; i < m->nr_cpus; i++) {
		struct ms_cpu_topo *c = &m->cpus[i];
		struct ms_l3_domain *d;

		d = c->l3_list ? l3_find(m, c->l3_list) : NULL;
		c->l3 = d ? d->id : -1;
	}
	return 0;
}

/* Does a word of the events list name system:name (or all of system)? */
static bool names_event(const char *w, size_t n, const char *system,
			const char *name)
{
	size_t ls = strlen(system), ln = strlen(name);

	if (n < ls || memcmp(w, system, ls))
		return false;
	if (n == ls || (n == ls + 2 && !memcmp(w + ls, ":*", 2)))
		return true;
	if (w[ls] != ':')
		return false;
	w += ls + 1;
	n -= ls + 1;
	if (n && w[n - 1] == '*')	/* a prefix glob: migrate:mm_* */
		return n - 1 <= ln && !memcmp(w, name, n - 1);
	return n == ln && !memcmp(w, name, n);
}

/*
 * Was system:name recorded, as the migscope:record marker (the -e values
 * migscope-record passed to trace-cmd) says?  false without the marker.
 */
bool ms_machine_recorded(const struct ms_machine *m, const char *system,
			 const char *name)
{
	const char *p = m->recorded;
	size_t n;

	while (p && *p) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n && names_event(p, n, system, name))
			return true;
		p += n;
	}
	return false;
}

bool ms_machine_has_topology(const struct ms_machine *m)
{
	return m->nr_cpus > 0 || m->nr_nodes > 0;
}

void ms_machine_free(struct ms_machine *m)
{
	int i;

	for (i = 0; i < m->nr_cpus; i++)
		free(m->cpus[i].l3_list);
	for (i = 0; i < m->nr_nodes; i++)
		free(m->nodes[i].cpus);
	for (i = 0; i < m->nr_l3; i++)
		free(m->l3[i].cpus);
	free(m->cpus);
	free(m->nodes);
	free(m->l3);
	free(m->release);
	free(m->version);
	free(m->arch);
	free(m->clock);
	free(m->tsc_from);
	free(m->recorded);
	free(m->emulated);
	free(m->migrator);
	free(m->offload_reasons);
	ms_machine_init(m);
}
