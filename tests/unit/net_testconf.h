/* Hand-built configurations for the net/ unit tests: jails and bridges
 * written as tc_set() strings, made into models by the real loader
 * (tc_load: their text as test.conf). */
#ifndef BRIG_TESTS_NET_TESTCONF_H
#define BRIG_TESTS_NET_TESTCONF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/model.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Add one value to parameter name of j (created as a list if new). */
static inline void tc_add(struct conf_jail *j, const char *name, const char *value)
{
	struct conf_param *p = (struct conf_param *)conf_param(j, name);

	if (!p) {
		j->params = xrealloc(j->params, (j->nparams + 1) * sizeof(*j->params));
		p = &j->params[j->nparams++];
		memset(p, 0, sizeof(*p));
		p->name = xstrdup(name);
		p->type = CONF_LIST;
	}
	p->values = xrealloc(p->values, (p->nvalues + 1) * sizeof(*p->values));
	p->values[p->nvalues++] = xstrdup(value);
}

/* Apply "param" (true), "param=value" (replaces) or "param+=value". */
static inline void tc_set(struct conf_jail *j, const char *s)
{
	const char *eq = strchr(s, '=');
	bool append = eq && eq > s && eq[-1] == '+';
	char *pname = eq ? xstrndup(s, (size_t)(eq - s - append)) : xstrdup(s);
	struct conf_param *p = (struct conf_param *)conf_param(j, pname);

	if (p && !append) {
		for (size_t i = 0; i < p->nvalues; i++)
			free(p->values[i]);
		p->nvalues = 0;
	}
	tc_add(j, pname, eq ? eq + 1 : "true");
	free(pname);
}

/* Start jail `name` with no parameters. */
static inline void tc_jail_init(struct conf_jail *j, const char *name)
{
	memset(j, 0, sizeof(*j));
	j->name = xstrdup(name);
	j->file = "test.conf";
}

/* A jail from tc_set() strings, NULL-terminated. */
static inline void tc_jail(struct conf_jail *j, const char *name, ...)
{
	va_list ap;
	const char *s;

	tc_jail_init(j, name);
	va_start(ap, name);
	while ((s = va_arg(ap, const char *)))
		tc_set(j, s);
	va_end(ap);
}

static inline void tc_jail_free(struct conf_jail *j)
{
	for (size_t i = 0; i < j->nparams; i++) {
		for (size_t k = 0; k < j->params[i].nvalues; k++)
			free(j->params[i].values[k]);
		free(j->params[i].values);
		free((char *)j->params[i].name);
	}
	free(j->params);
	free(j->name);
	memset(j, 0, sizeof(*j));
}

/* A configuration of n jails (taken over: freed by tc_conf_free). */
static inline struct conf tc_conf(struct conf_jail *jails, size_t n)
{
	struct conf c = { .jails = jails, .njails = n };

	return c;
}

static inline void tc_conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->njails; i++)
		tc_jail_free(&c->jails[i]);
}

/* The configuration of the n jails (or bridges, with schema
 * CONF_SCHEMA_NETWORKS) v as the loader makes it of their text, file
 * test.conf; aborts if it does not load. Free with conf_free. */
static inline struct conf *tc_load(const struct conf_jail *v, size_t n, enum conf_schema schema)
{
	struct strbuf sb = STRBUF_INIT;
	struct conf_memfile m = { .path = "test.conf" };
	struct conf_source src = { .schema = schema, .mem = &m, .nmem = 1 };
	struct diag d = { 0 };
	struct conf *c = NULL;

	for (size_t i = 0; i < n; i++) {
		struct conf_jail copy = v[i];

		copy.file = NULL;
		conf_jail_text(&copy, &sb);
	}
	m.data = sb.s ? sb.s : "";
	m.len = sb.len;
	if (conf_load(&src, &c, &d) < 0) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i].text);
		abort();
	}
	diag_free(&d);
	sb_free(&sb);
	return c;
}

/* The model of jail name of c. */
static inline const struct jail_def *tc_model(const struct conf *c, const char *name)
{
	const struct jail_def *d = jail_set_find(conf_jail_set(c), name);

	if (!d)
		abort();
	return d;
}

#endif
