/* A jail's model as its state records it: written once at start, read
 * back by stop, exec, reload and reconciliation, which need the jail as
 * it started (its configuration may have changed since, or no longer
 * load). The one place that knows how: today "param NAME VALUE" lines
 * (every parameter set, lists joined with "," for jls) and a "hook NAME
 * VALUE" line per value of each list (a value may hold a comma). */
#include <string.h>

#include "core/jail.h"
#include "util/mem.h"
#include "util/strbuf.h"

void jail_record(struct jstate *st, const struct jail_def *d)
{
	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct jval *v = jd_val(d, (enum jparam)id);
		struct strbuf sb = STRBUF_INIT;

		if (!v->set)
			continue;
		if (conf_jparam((enum jparam)id)->type != CONF_LIST) {
			state_add_param(st, jd_name((enum jparam)id), v->s ? v->s : "");
			continue;
		}
		for (size_t i = 0; i < v->n; i++)
			sb_addf(&sb, "%s%s", i ? "," : "", v->v[i]);
		state_add_param(st, jd_name((enum jparam)id), sb.s ? sb.s : "");
		sb_free(&sb);
		for (size_t i = 0; i < v->n; i++)
			state_add_hook(st, jd_name((enum jparam)id), v->v[i]);
	}
	st->hooks = true;
}

/* "NAME VALUE" pairs for jail_def_from_params, with the strings made for them. */
struct pairs {
	char **names, **values, **owned;
	size_t n, nowned;
};

static void pair(struct pairs *p, const char *name, const char *value, bool own)
{
	p->names = xrealloc(p->names, (p->n + 1) * sizeof(*p->names));
	p->values = xrealloc(p->values, (p->n + 1) * sizeof(*p->values));
	p->names[p->n] = (char *)name;
	p->values[p->n++] = (char *)value;
	if (own) {
		p->owned = xrealloc(p->owned, (p->nowned + 1) * sizeof(*p->owned));
		p->owned[p->nowned++] = (char *)value;
	}
}

/* A list's values: its hook lines, or (a state from a brig that wrote
 * them for the stop hooks only) its param line split at ",". */
static void list_pairs(struct pairs *p, const struct jstate *st, const char *name, const char *joined)
{
	bool lines = false;

	for (size_t i = 0; i < st->nhooks; i++)
		if (!strcmp(st->hnames[i], name)) {
			pair(p, name, st->hvalues[i], false);
			lines = true;
		}
	if (lines)
		return;
	pair(p, name, NULL, false);	/* set, even when empty */
	for (const char *s = joined; *joined;) {
		size_t len = strcspn(s, ",");

		pair(p, name, xstrndup(s, len), true);
		if (!s[len])
			break;
		s += len + 1;
	}
}

struct jail_def *jail_recorded_def(const struct jstate *st)
{
	struct pairs p = { 0 };
	struct jail_def *d;

	for (size_t id = 0; id < JP__COUNT; id++) {
		const char *name = jd_name((enum jparam)id), *v = state_param(st, name);

		if (!v)
			continue;
		if (conf_jparam((enum jparam)id)->type == CONF_LIST)
			list_pairs(&p, st, name, v);
		else
			pair(&p, name, v, false);
	}
	d = jail_def_from_params(st->name, p.names, p.values, p.n);
	for (size_t i = 0; i < p.nowned; i++)
		free(p.owned[i]);
	free(p.owned);
	free(p.names);
	free(p.values);
	return d;
}
