/* Placeholder until the engine lands. */
#include "conf/conf.h"

#include <stdlib.h>

int conf_load(const struct conf_source *src, struct conf **out, struct diag *d)
{
	(void)src;
	*out = NULL;
	diag_add(d, DIAG_ERROR, "configuration engine not implemented");
	return -1;
}

void conf_free(struct conf *c) { free(c); }
const char *conf_default_dir(void) { const char *e = getenv("BRIG_CONFDIR"); return e ? e : "/etc/brig"; }
void diag_add(struct diag *d, enum diag_level lvl, const char *fmt, ...) { (void)lvl; (void)fmt; d->nerrors++; }
void diag_free(struct diag *d) { (void)d; }

/* Lookups, minimal until the engine lands (core/ is written against them). */
#include <string.h>

const struct conf_param *conf_param(const struct conf_jail *j, const char *name)
{
	for (size_t i = 0; j && i < j->nparams; i++)
		if (strcmp(j->params[i].name, name) == 0)
			return &j->params[i];
	return NULL;
}

const char *conf_str(const struct conf_jail *j, const char *name)
{
	const struct conf_param *p = conf_param(j, name);

	return p && p->nvalues ? p->values[p->nvalues - 1] : NULL;
}

bool conf_bool(const struct conf_jail *j, const char *name, bool dflt)
{
	const char *v = conf_str(j, name);

	return v ? strcmp(v, "false") != 0 && strcmp(v, "0") != 0 : dflt;
}

long long conf_int(const struct conf_jail *j, const char *name, long long dflt)
{
	const char *v = conf_str(j, name);

	return v ? strtoll(v, NULL, 10) : dflt;
}

const struct conf_jail *conf_jail(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && i < c->njails; i++)
		if (strcmp(c->jails[i].name, name) == 0)
			return &c->jails[i];
	return NULL;
}

const char *conf_name_invalid(const char *name)
{
	if (!name || !*name)
		return "is empty";
	if (strlen(name) > 255)
		return "is too long";
	if (name[0] == '.' || name[0] == '-')
		return "must begin with a letter, digit or '_'";
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-'))
			return "contains a character other than letters, digits, '_', '.', '-'";
	return NULL;
}
