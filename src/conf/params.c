/* The parameter tables: every parameter brig knows, one row each, sorted
 * by name, from conf/params_jail.def and conf/params_net.def. */
#include "conf/cf.h"

#include <stdlib.h>
#include <string.h>

#include "util/strdist.h"

#define B CONF_BOOL
#define I CONF_INT
#define S CONF_STRING
#define L CONF_LIST
#define IGN CONF_PF_IGNORED
#define BRIG CONF_PF_BRIG
#define J8 (CONF_PF_JAIL8 | CONF_PF_NOVAR)
#define NOVAR CONF_PF_NOVAR
#define IMM CONF_PF_IMMUTABLE
#define SYS CONF_PF_JAILSYS
#define CMD CONF_PF_CMD
#define SPLIT CONF_PF_SPLIT
#define RO (CONF_PF_READONLY | CONF_PF_IGNORED)
#define USERNS CONF_PF_USERNS
/* May come from an archive (conf_load_untrusted): acts inside the jail
 * only. An allow-list: a new row is the host's to decide until marked. */
#define UT CONF_PF_UNTRUSTED

#define KERN CONF_PF_KERNEL

/* Indexed by enum jparam / enum nparam: the same rows in the same order. */
static const struct conf_pdef jail_params[] = {
#define P(id, name, type, flags, dflt, doc, linux) { name, type, flags, dflt, doc, linux },
#include "conf/params_jail.def"
#undef P
};

static const struct conf_pdef net_params[] = {
#define P(id, name, type, flags, dflt, doc) { name, type, flags, dflt, doc, NULL },
#include "conf/params_net.def"
#undef P
};

const struct conf_pdef *conf_jparam(enum jparam id)
{
	return &jail_params[id];
}

/* A schema's table and its length. */
const struct conf_pdef *conf_pdefs(enum conf_schema s, size_t *n)
{
	switch (s) {
	case CONF_SCHEMA_NETWORKS:
		*n = sizeof(net_params) / sizeof(net_params[0]);
		return net_params;
	case CONF_SCHEMA_JAILS:
	default:
		*n = sizeof(jail_params) / sizeof(jail_params[0]);
		return jail_params;
	}
}

/* Binary search of the sorted table. */
const struct conf_pdef *cf_pdef_lookup(enum conf_schema s, const char *name, size_t len)
{
	size_t lo = 0, hi;
	const struct conf_pdef *t = conf_pdefs(s, &hi);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(t[mid].name, name, len);

		if (c == 0 && t[mid].name[len] != '\0')
			c = 1;
		if (c == 0)
			return &t[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The row for name, or NULL. */
const struct conf_pdef *conf_pdef_find(enum conf_schema s, const char *name)
{
	return cf_pdef_lookup(s, name, strlen(name));
}

/* The known name closest to an unknown one, if close enough. */
const char *cf_pdef_suggest(enum conf_schema s, const char *name)
{
	size_t n, len = strlen(name);
	const struct conf_pdef *t = conf_pdefs(s, &n);
	size_t max = str_hint_max(len);
	const char *best = NULL;
	size_t bestd = max + 1;

	for (size_t i = 0; i < n; i++) {
		size_t d = str_distance(name, t[i].name, max);

		if (d < bestd) {
			bestd = d;
			best = t[i].name;
		}
	}
	return best;
}
