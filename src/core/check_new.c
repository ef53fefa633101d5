/* brig create's and brig import's check of a new jail's file before
 * anything is written: the configuration as it would be with the file,
 * isolated (a broken file of another jail is not the new jail's
 * business). The new jail must have no error of its own (unknown
 * parameters, bad values, a name already defined elsewhere) and no clash
 * with another jail (an address on the same bridge, a host interface, an
 * rdr port). brig import --trust renames or leaves out what of the
 * archive's configuration clashes, and says so. */
#include <string.h>

#include "conf/model.h"
#include "core/core.h"
#include "net/net.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/strbuf.h"

/* The configuration with text as the file confpath; *j: the new jail.
 * -1 (e set) when it would not load or the jail has errors. */
static int load_with(const char *name, const char *confpath, const char *text,
		     struct conf **c, const struct conf_jail **j, struct brig_err *e)
{
	struct conf_memfile m = { .path = confpath, .data = text, .len = strlen(text) };
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = brig_confdir(),
				   .extra = &m, .isolate = true };
	struct diag d = { 0 };
	int rc = 0;

	*c = NULL;
	if (conf_load(&src, c, &d) < 0) {
		const char *first = "";

		for (size_t i = 0; i < d.n && !*first; i++)
			if (d.msgs[i].level == DIAG_ERROR)
				first = d.msgs[i].text;
		rc = brig_err_set(e, 0, "the configuration would not load (nothing written): %s", first);
	} else if (!(*j = conf_jail(*c, name))) {
		rc = brig_err_set(e, 0, "%s would not define jail %s (nothing written)", confpath, name);
	} else if ((*j)->error) {
		rc = brig_err_set(e, 0, "its block would not load (nothing written): %s", (*j)->error);
	}
	diag_free(&d);
	if (rc < 0) {
		conf_free(*c);
		*c = NULL;
	}
	return rc;
}

int core_check_new(const char *name, const char *confpath, const char *text, struct brig_err *e)
{
	const struct conf_jail *j;
	struct conf *c;
	int rc = load_with(name, confpath, text, &c, &j, e);

	if (rc == 0) {
		const struct jail_set *s = conf_jail_set(c);
		struct net_plan *p = net_plan_new(s);

		if (net_jail_clash(p, jail_set_find(s, name), e) < 0 ||
		    core_quota_new(jail_set_find(s, name), e) < 0)
			rc = -1;
		net_plan_free(p);
	}
	conf_free(c);
	return rc;
}

/* Whether the clash x is among cl (the same parameter and value). */
static bool among(const struct net_clashes *cl, const struct net_clash *x)
{
	for (size_t i = 0; i < cl->n; i++)
		if (cl->v[i].param == x->param && !strcmp(cl->v[i].value, x->value))
			return true;
	return false;
}

/* The clash of param and value in cl, or NULL. */
static const struct net_clash *clash_of(const struct net_clashes *cl, enum jparam param,
					const char *value)
{
	for (size_t i = 0; i < cl->n; i++)
		if (cl->v[i].param == param && !strcmp(cl->v[i].value, value))
			return &cl->v[i];
	return NULL;
}

/* Whether p is the parameter id. */
static bool is(const struct conf_param *p, enum jparam id)
{
	return p->def == conf_jparam(id);
}

/* Whether p is a default router (ip4.defaultrouter, ip6.defaultrouter)
 * whose family lost every address of the jail d (a router needs one). */
static bool router_orphaned(const struct jail_def *d, const struct net_clashes *cl,
			    const struct conf_param *p)
{
	enum jparam addrs = is(p, JP_IP4_DEFAULTROUTER) ? JP_IP4_ADDR : JP_IP6_ADDR;
	size_t n;
	char *const *v = jd_list(d, addrs, &n);

	if (!is(p, JP_IP4_DEFAULTROUTER) && !is(p, JP_IP6_DEFAULTROUTER))
		return false;
	for (size_t k = 0; k < n; k++)
		if (!clash_of(cl, addrs, v[k]))
			return false;
	return jd_set(d, addrs);
}

/* One address value with its interface renamed ("OLD|ADDR" -> "NEW|ADDR"),
 * or NULL when it names no renamed interface. */
static char *renamed_addr(const struct net_clashes *cl, const char *value)
{
	const char *bar = strchr(value, '|');

	for (size_t i = 0; bar && i < cl->n; i++)
		if (cl->v[i].param == JP_VNET_INTERFACE &&
		    strlen(cl->v[i].value) == (size_t)(bar - value) &&
		    !strncmp(cl->v[i].value, value, (size_t)(bar - value)))
			return xasprintf("%s%s", cl->v[i].fresh, bar);
	return NULL;
}

/* The jail's parameters (j, its model d) with what clashes renamed or
 * left out; each change a note in changed and a comment line in notes.
 * The values are new strings (*owned, to free). */
static struct conf_param *fix_params(const struct conf_jail *j, const struct jail_def *d,
				     const struct net_clashes *cl,
				     size_t *n, char ***owned, size_t *nowned,
				     struct diag *changed, struct strbuf *notes)
{
	struct conf_param *v = xcalloc(j->nparams + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < j->nparams; i++) {
		const struct conf_param *p = &j->params[i];
		bool net = is(p, JP_VNET_INTERFACE) || is(p, JP_RDR) || is(p, JP_IP4_ADDR) ||
			   is(p, JP_IP6_ADDR);
		struct conf_param q = *p;

		if (router_orphaned(d, cl, p)) {
			diag_add(changed, DIAG_NOTE, "%s: %s \"%s\" left out: no %s address is left",
				 j->name, p->name, p->nvalues ? p->values[0] : "", p->name[2] == '4' ? "IPv4" : "IPv6");
			sb_addf(notes, "#   %s \"%s\" left out: no %s address is left\n", p->name,
				p->nvalues ? p->values[0] : "", p->name[2] == '4' ? "IPv4" : "IPv6");
			continue;
		}
		if (net) {
			q.values = xcalloc(p->nvalues + 1, sizeof(*q.values));
			q.nvalues = 0;
			*owned = xrealloc(*owned, (*nowned + 1) * sizeof(**owned));
			(*owned)[(*nowned)++] = (char *)q.values;
		}
		for (size_t k = 0; net && k < p->nvalues; k++) {
			const struct net_clash *x = clash_of(cl, (enum jparam)(p->def - conf_jparam(0)),
							     p->values[k]);
			char *val = x ? NULL : renamed_addr(cl, p->values[k]);

			if (x && x->fresh) {
				val = xstrdup(x->fresh);
				diag_add(changed, DIAG_NOTE, "%s: %s \"%s\" renamed \"%s\": %s", j->name,
					 p->name, x->value, x->fresh, x->why);
				sb_addf(notes, "#   %s \"%s\" renamed \"%s\": %s\n", p->name, x->value,
					x->fresh, x->why);
			} else if (x) {
				diag_add(changed, DIAG_NOTE, "%s: %s \"%s\" left out: %s", j->name, p->name,
					 x->value, x->why);
				sb_addf(notes, "#   %s \"%s\" left out: %s\n", p->name, x->value, x->why);
				continue;
			}
			if (val) {
				*owned = xrealloc(*owned, (*nowned + 1) * sizeof(**owned));
				(*owned)[(*nowned)++] = val;
			}
			q.values[q.nvalues++] = val ? val : p->values[k];
		}
		if (!net || q.nvalues)
			v[(*n)++] = q;
	}
	return v;
}

/* The fixed file: a header saying what changed, then the jail resolved. */
static char *fixed_text(const struct conf_jail *j, const struct jail_def *d,
			const struct net_clashes *cl, struct diag *changed)
{
	struct strbuf out = STRBUF_INIT, notes = STRBUF_INIT;
	struct conf_jail copy = *j;
	char **owned = NULL;
	size_t nowned = 0;

	copy.params = fix_params(j, d, cl, &copy.nparams, &owned, &nowned, changed, &notes);
	copy.file = NULL;
	sb_addf(&out, "# Jail %s, imported by `brig import --trust`. What of the archive's\n"
		      "# configuration clashed with other jails was changed, and the rest\n"
		      "# written out resolved (as `brig config show` prints it):\n%s"
		      "# This file is yours to edit; `brig destroy %s` removes it.\n",
		j->name, notes.s ? notes.s : "", j->name);
	conf_jail_text(&copy, &out);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(copy.params);
	sb_free(&notes);
	return sb_steal(&out);
}

/* The line of text after which the command line's parameters come (the
 * last "# Given to brig import:" comment, jailconf_add_params); 0: none. */
static int given_from(const char *text)
{
	int line = 1, at = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		else if (!strncmp(p, "# Given to brig import:", 23))
			at = line;
	}
	return at;
}

/* Whether the clashing parameter x of jail d was set last by the command
 * line (after line from of confpath). */
static bool given(const struct jail_def *d, const char *confpath, int from,
		  const struct net_clash *x)
{
	const struct jval *v = jd_val(d, x->param);

	return from && v->set && v->at.file && !strcmp(v->at.file, confpath) && v->at.line > from;
}

/* Every clash of jail name of c with the other jails of c. */
static int clashes(const struct conf *c, const char *name, struct net_clashes *out)
{
	const struct jail_set *s = conf_jail_set(c);
	struct net_plan *p = net_plan_new(s);
	int n = net_jail_clashes(p, jail_set_find(s, name), out);

	net_plan_free(p);
	return n;
}

int core_check_import(const char *name, const char *confpath, const char *archive,
		      const char *text, bool fix, char **fixed, struct diag *changed,
		      struct brig_err *e)
{
	struct net_clashes now = { 0 }, before = { 0 };
	const struct conf_jail *j, *ja;
	const struct jail_def *d;
	struct conf *c = NULL, *ca = NULL;
	struct brig_err ignored;
	int rc;

	*fixed = NULL;
	if (!fix)
		return core_check_new(name, confpath, text, e);
	rc = load_with(name, confpath, text, &c, &j, e);
	if (rc < 0 || clashes(c, name, &now) == 0)
		goto done;
	d = jail_set_find(conf_jail_set(c), name);
	/* Only what the archive brought is changed: a clash that a
	 * parameter of the command line made is refused. */
	if (load_with(name, confpath, archive, &ca, &ja, &ignored) == 0)
		clashes(ca, name, &before);
	for (size_t i = 0; i < now.n; i++) {
		const struct net_clash *x = &now.v[i];

		if (!among(&before, x) || given(d, confpath, given_from(text), x)) {
			rc = brig_err_set(e, 0, "%s \"%s\" (given on the command line): %s",
					  jd_name(x->param), x->value, x->why);
			goto done;
		}
		if (x->param == JP_VNET_INTERFACE && !x->fresh) {
			rc = brig_err_set(e, 0, "vnet.interface \"%s\": %s; it is a host interface moved "
					  "into the jail: give another with vnet.interface=NAME", x->value, x->why);
			goto done;
		}
	}
	*fixed = fixed_text(j, d, &now, changed);
	rc = core_check_new(name, confpath, *fixed, e);
	if (rc < 0) {
		free(*fixed);
		*fixed = NULL;
		brig_err_wrap(e, "after renaming and leaving out what clashed");
	}
done:
	net_clashes_free(&now);
	net_clashes_free(&before);
	conf_free(c);
	conf_free(ca);
	return rc;
}
