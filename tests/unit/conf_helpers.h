/* Helpers for the configuration engine's unit tests: load an in-memory
 * file set, read values back, look at the diagnostics. */
#ifndef BRIG_TEST_CONF_HELPERS_H
#define BRIG_TEST_CONF_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/mem.h"
#include "util/strbuf.h"

struct ld {
	struct conf *c;
	struct diag d;
	int rc;
	char *msgs;	/* every diagnostic, one per line */
	struct strbuf tmp;
};

/* Load files given as (path, text) pairs, NULL-terminated; the first is
 * the main file. cmd: command-line parameters (may be NULL). */
static inline int ld_load(struct ld *l, enum conf_schema schema, char *const *cmd, size_t ncmd,
			  ...)
{
	struct conf_memfile mem[64];
	size_t n = 0;
	struct conf_source src = { .schema = schema, .cmdline = cmd, .ncmdline = ncmd };
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	const char *path;

	memset(l, 0, sizeof(*l));
	va_start(ap, ncmd);
	while (n < 64 && (path = va_arg(ap, const char *))) {
		mem[n].path = path;
		mem[n].data = va_arg(ap, const char *);
		mem[n].len = strlen(mem[n].data);
		n++;
	}
	va_end(ap);
	src.mem = mem;
	src.nmem = n;
	l->rc = conf_load(&src, &l->c, &l->d);
	for (size_t i = 0; i < l->d.n; i++)
		sb_addf(&sb, "%s\n", l->d.msgs[i].text);
	l->msgs = sb_steal(&sb);
	return l->rc;
}

/* One main file, jails schema, no command line. */
#define LOAD(l, text) ld_load((l), CONF_SCHEMA_JAILS, NULL, 0, "jail.conf", (text), (char *)NULL)
#define LOADF(l, ...) ld_load((l), CONF_SCHEMA_JAILS, NULL, 0, __VA_ARGS__, (char *)NULL)

static inline void ld_free(struct ld *l)
{
	conf_free(l->c);
	diag_free(&l->d);
	free(l->msgs);
	sb_free(&l->tmp);
}

/* The jail, which must exist. */
static inline const struct conf_jail *J(struct ld *l, const char *name)
{
	const struct conf_jail *j = l->c ? conf_jail(l->c, name) : NULL;

	if (!j) {
		fprintf(stderr, "no jail %s; diagnostics:\n%s", name, l->msgs);
		abort();
	}
	return j;
}

/* A parameter's values joined with "|", or "(unset)". */
static inline const char *V(struct ld *l, const char *jail, const char *param)
{
	const struct conf_param *p = conf_param(J(l, jail), param);

	sb_reset(&l->tmp);
	if (!p)
		return "(unset)";
	sb_addn(&l->tmp, "", 0);
	for (size_t i = 0; i < p->nvalues; i++)
		sb_addf(&l->tmp, "%s%s", i ? "|" : "", p->values[i]);
	return l->tmp.s;
}

/* The jails' names joined with ",". */
static inline const char *NAMES(struct ld *l)
{
	sb_reset(&l->tmp);
	sb_addn(&l->tmp, "", 0);
	for (size_t i = 0; l->c && i < l->c->njails; i++)
		sb_addf(&l->tmp, "%s%s", i ? "," : "", l->c->jails[i].name);
	return l->tmp.s;
}

#endif
