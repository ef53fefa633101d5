/* A jail as it was when it started, rebuilt from its state for stopping
 * it: the configuration may have changed since, or no longer load (a
 * typo, a block not closed), and a stop must still work, with the stop
 * hooks, timeouts and users the jail started with. Scalar parameters come
 * from the "param" lines (one value each), the stop hooks from the "hook"
 * lines (one command each: a command may hold a comma). */
#include <string.h>

#include "core/jail.h"
#include "util/mem.h"

/* The stop hooks a state records, in the order a stop runs them. */
static const char *const stop_hooks[] = { "exec.prestop", "exec.stop", "exec.poststop", "exec.release" };

void recorded_hooks_add(struct jstate *st, const struct conf_jail *j)
{
	for (size_t i = 0; i < ARRAY_SIZE(stop_hooks); i++) {
		const struct conf_param *p = conf_param(j, stop_hooks[i]);

		for (size_t k = 0; p && k < p->nvalues; k++)
			state_add_hook(st, stop_hooks[i], p->values[k]);
	}
	st->hooks = true;
}

/* A parameter of out with the given values (copied; NULL-terminated). */
static void add_param(struct conf_jail *out, const struct conf_pdef *def, char *const *v, size_t n)
{
	struct conf_param *p = &out->params[out->nparams++];

	p->name = def->name;
	p->type = def->type;
	p->def = def;
	p->values = xcalloc(n + 1, sizeof(*p->values));
	for (size_t i = 0; i < n; i++)
		p->values[i] = xstrdup(v[i]);
	p->nvalues = n;
}

int recorded_jail(const struct jstate *st, struct conf_jail *out)
{
	memset(out, 0, sizeof(*out));
	if (!st->hooks)
		return 0;	/* started by a brig that did not record them */
	out->name = st->name;
	out->params = xcalloc(st->nparams + ARRAY_SIZE(stop_hooks) + 1, sizeof(*out->params));
	for (size_t i = 0; i < st->nparams; i++) {
		const struct conf_pdef *def = conf_pdef_find(CONF_SCHEMA_JAILS, st->pnames[i]);

		if (def && def->type != CONF_LIST)
			add_param(out, def, &st->pvalues[i], 1);
	}
	for (size_t h = 0; h < ARRAY_SIZE(stop_hooks); h++) {
		char **v = xcalloc(st->nhooks + 1, sizeof(*v));
		size_t n = 0;

		for (size_t i = 0; i < st->nhooks; i++)
			if (!strcmp(st->hnames[i], stop_hooks[h]))
				v[n++] = st->hvalues[i];
		if (n)
			add_param(out, conf_pdef_find(CONF_SCHEMA_JAILS, stop_hooks[h]), v, n);
		free(v);
	}
	return 1;
}

void recorded_jail_free(struct conf_jail *j)
{
	for (size_t i = 0; i < j->nparams; i++) {
		for (size_t k = 0; k < j->params[i].nvalues; k++)
			free(j->params[i].values[k]);
		free(j->params[i].values);
	}
	free(j->params);
	memset(j, 0, sizeof(*j));
}
