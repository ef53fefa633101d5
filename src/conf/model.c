/* jail.conf as a producer of the typed model: a resolved jail (its values
 * checked and normalised by conf_load) becomes a struct jail_def, every
 * parameter parsed once into its type, unset ones at the table's default. */
#include "conf/model.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/cf.h"
#include "util/mem.h"

static char *const no_values[1] = { NULL };

/* The model's storage. */
struct def_priv {
	struct cf_arena arena;
};

static char *keep(struct cf_arena *a, const char *s)
{
	return s ? cf_strndup(a, s, strlen(s)) : NULL;
}

/* A jailsys value as jail.conf writes it: new, inherit, disable (conf's
 * check normalised every other form to these; an old state file may hold
 * another case): *s becomes the name as written here, which the state's
 * JSON reader takes. */
static bool parse_jsys(const char **s, long long *out)
{
	static const char *const names[] = { "disable", "new", "inherit" };

	for (int i = 0; i < 3; i++)
		if (strcasecmp(*s, names[i]) == 0) {
			*out = i;
			*s = names[i];
			return true;
		}
	return false;
}

/* v->i from the text v->s for the type of row r; false if it does not
 * parse (a value that failed conf's check). */
static bool parse_scalar(const struct conf_pdef *r, struct jval *v)
{
	char *end;

	if (!v->s)
		return true;
	switch (r->type) {
	case CONF_BOOL:
		if (strcmp(v->s, "true") == 0 || strcmp(v->s, "false") == 0) {
			v->i = v->s[0] == 't';
			return true;
		}
		return false;
	case CONF_INT:
		errno = 0;
		v->i = strtoll(v->s, &end, 10);
		return end != v->s && !*end && !errno;
	case CONF_STRING:
		if (r->flags & CONF_PF_JAILSYS)
			return parse_jsys(&v->s, &v->i);
		return true;
	case CONF_LIST:
	default:
		return true;
	}
}

/* The table's defaults, parsed once: what an unset parameter of every
 * model points to (a list's text is "", as join_list makes it). */
static struct jval dflt[JP__COUNT];

static void make_defaults(void)
{
	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct conf_pdef *r = conf_jparam((enum jparam)id);

		dflt[id] = (struct jval){ .v = no_values, .s = r->dflt };
		if (r->type == CONF_LIST)
			dflt[id].s = "";
		else if (!parse_scalar(r, &dflt[id]))
			abort();	/* a default not of its type: a bug */
	}
}

static const struct jval *defaults(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, make_defaults);
	return dflt;
}

/* Every parameter at its default. */
static void set_defaults(struct jail_def *d)
{
	const struct jval *t = defaults();

	for (size_t id = 0; id < JP__COUNT; id++)
		d->p[id] = &t[id];
}

/* d's value of id, to write: set, in d's memory (a copy of the default
 * the first time). Only the model's own values are ever written. */
static struct jval *own(struct jail_def *d, struct cf_arena *a, size_t id)
{
	struct jval *v;

	if (d->p[id]->set)
		return (struct jval *)d->p[id];
	v = cf_alloc(a, sizeof(*v));
	*v = *d->p[id];
	v->set = true;
	d->p[id] = v;
	return v;
}

/* FreeBSD's [IFACE|]ADDR[/PREFIX]. */
static void split_addrs(struct cf_arena *a, const struct jval *v, struct jaddr **out, size_t *n)
{
	*n = v->n;
	*out = v->n ? cf_zalloc(a, v->n * sizeof(**out)) : NULL;
	for (size_t i = 0; i < v->n; i++) {
		struct jaddr *x = &(*out)[i];
		const char *bar = strchr(v->v[i], '|');

		x->text = v->v[i];
		x->iface = bar ? cf_strndup(a, v->v[i], (size_t)(bar - v->v[i])) : NULL;
		x->addr = bar ? bar + 1 : v->v[i];
		x->bare = cf_strndup(a, x->addr, strcspn(x->addr, "/ "));
	}
}

/* One resolved parameter into its slot; borrow: its strings are the
 * configuration's (which outlives d), else copied into a. */
static void take(struct jail_def *d, struct cf_arena *a, const struct conf_param *p, bool borrow)
{
	const struct conf_pdef *r = p->def;
	struct jval nv;

	if (!r || r < conf_jparam(0) || r >= conf_jparam(0) + JP__COUNT)
		return;	/* not a jail parameter (a bridge's, networks.conf) */
	nv = (struct jval){ .set = true, .v = no_values,
			    .at = { borrow ? p->file : keep(a, p->file), p->line, p->col } };
	if (r->type == CONF_LIST && borrow) {
		nv.v = p->values ? p->values : no_values;	/* an argv already */
		nv.n = p->nvalues;
	} else if (r->type == CONF_LIST) {
		char **vals = cf_alloc(a, (p->nvalues + 1) * sizeof(char *));

		for (size_t i = 0; i < p->nvalues; i++)
			vals[i] = keep(a, p->values[i]);
		vals[p->nvalues] = NULL;
		nv.v = vals;
		nv.n = p->nvalues;
	} else {
		const char *last = p->nvalues ? p->values[p->nvalues - 1] : "";

		nv.s = borrow ? last : keep(a, last);
		if (!parse_scalar(r, &nv))
			return;	/* did not check: the jail's error says so */
	}
	*own(d, a, (size_t)(r - conf_jparam(0))) = nv;
}

/* A list's values joined by ",", as jls shows them. */
static void join_list(struct cf_arena *a, struct jval *v)
{
	size_t len = 0;
	char *s;

	if (v->n == 0) {
		v->s = "";
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		len += strlen(v->v[i]) + 1;
	s = cf_alloc(a, len);
	v->s = s;
	for (size_t i = 0; i < v->n; i++) {
		size_t k = strlen(v->v[i]);

		memcpy(s, v->v[i], k);
		s += k;
		*s++ = i + 1 < v->n ? ',' : '\0';
	}
}

/* What is worked out of several values: the lists' text, addresses, the
 * restart policy. */
static void derive(struct jail_def *d, struct cf_arena *a)
{
	for (size_t id = 0; id < JP__COUNT; id++)
		if (d->p[id]->set && conf_jparam((enum jparam)id)->type == CONF_LIST)
			join_list(a, own(d, a, id));
	split_addrs(a, d->p[JP_IP4_ADDR], &d->ip4, &d->nip4);
	split_addrs(a, d->p[JP_IP6_ADDR], &d->ip6, &d->nip6);
	if (conf_restart_parse(d->p[JP_EXEC_RESTART]->s, &d->restart, &d->restart_max) < 0) {
		d->restart = CONF_RESTART_NO;
		d->restart_max = 0;
	}
}

/* An empty model named name, every parameter at its default. */
struct jail_def *cf_def_new(const char *name, const struct conf_pos *at)
{
	struct jail_def *d = xcalloc(1, sizeof(*d));
	struct def_priv *pv = xcalloc(1, sizeof(*pv));

	pv->arena.heap = true;
	d->priv = pv;
	set_defaults(d);
	d->name = keep(&pv->arena, name);
	if (at)
		d->at = (struct conf_pos){ keep(&pv->arena, at->file), at->line, at->col };
	return d;
}

struct cf_arena *cf_def_arena(struct jail_def *d)
{
	return &((struct def_priv *)d->priv)->arena;
}

struct jval *cf_def_val(struct jail_def *d, enum jparam id)
{
	return own(d, cf_def_arena(d), id);
}

void cf_def_finish(struct jail_def *d)
{
	derive(d, cf_def_arena(d));
}

/* d from the resolved jail j; see take() for borrow. */
static void build(struct jail_def *d, struct cf_arena *a, const struct conf_jail *j, bool borrow)
{
	d->error = borrow ? j->error : keep(a, j->error);
	d->nerrors = j->nerrors;
	for (size_t i = 0; i < j->nparams; i++)
		take(d, a, &j->params[i], borrow);
	derive(d, a);
}

struct jail_def *jail_def_build(const struct conf_jail *j)
{
	struct conf_pos at = { j->file, j->line, j->col };
	struct jail_def *d = cf_def_new(j->name, &at);

	build(d, cf_def_arena(d), j, false);
	return d;
}

struct jail_def *jail_def_from_params(const char *name, char *const *names, char *const *values,
				      size_t n)
{
	struct jail_def *d = cf_def_new(name, NULL);
	struct cf_arena *a = cf_def_arena(d);

	for (size_t i = 0; i < n; i++) {
		const struct conf_pdef *r = conf_pdef_find(CONF_SCHEMA_JAILS, names[i]);
		struct jval *v, nv;

		if (!r)
			continue;
		if (r->type == CONF_LIST) {
			char **vals;

			v = own(d, a, (size_t)(r - conf_jparam(0)));
			if (!values[i])
				continue;
			vals = cf_alloc(a, (v->n + 2) * sizeof(char *));
			memcpy(vals, v->v, v->n * sizeof(char *));
			vals[v->n++] = keep(a, values[i]);
			vals[v->n] = NULL;
			v->v = vals;
			continue;
		}
		nv = (struct jval){ .set = true, .v = no_values, .s = keep(a, values[i] ? values[i] : "") };
		if (parse_scalar(r, &nv))
			*own(d, a, (size_t)(r - conf_jparam(0))) = nv;
	}
	cf_def_finish(d);
	return d;
}

/* d's value of id becomes v (another model's), its strings kept in d's
 * memory; an unset v is the default, shared. */
static void copy_val(struct jail_def *d, size_t id, const struct jval *v)
{
	struct cf_arena *a = cf_def_arena(d);
	struct jval *w;

	if (!v->set) {
		d->p[id] = defaults() + id;
		return;
	}
	w = cf_alloc(a, sizeof(*w));
	*w = *v;
	w->s = keep(a, v->s);
	w->at.file = keep(a, v->at.file);
	if (v->n) {
		char **vals = cf_alloc(a, (v->n + 1) * sizeof(char *));

		for (size_t i = 0; i < v->n; i++)
			vals[i] = keep(a, v->v[i]);
		vals[v->n] = NULL;
		w->v = vals;
	}
	d->p[id] = w;
}

struct jail_def *jail_def_copy(const struct jail_def *src)
{
	struct jail_def *d = cf_def_new(src->name, &src->at);

	d->error = keep(cf_def_arena(d), src->error);
	d->nerrors = src->nerrors;
	for (size_t id = 0; id < JP__COUNT; id++)
		copy_val(d, id, src->p[id]);
	cf_def_finish(d);
	return d;
}

struct jail_def *jail_def_update(const struct jail_def *was, const struct jail_def *with,
				 const enum jparam *ids, size_t n)
{
	struct jail_def *d = jail_def_copy(was);

	for (size_t i = 0; i < n; i++)
		copy_val(d, ids[i], with->p[ids[i]]);
	cf_def_finish(d);
	return d;
}

void jail_def_free(struct jail_def *d)
{
	struct def_priv *pv;

	if (!d || !d->priv)
		return;	/* a model of a configuration's set: the set's */
	pv = d->priv;
	cf_arena_free(&pv->arena);
	free(pv);
	free(d);
}

char *jd_where(const struct jail_def *d, enum jparam id)
{
	const struct conf_pos *at = &d->p[id]->at;

	return at->file ? xasprintf("%s:%d:%d: ", at->file, at->line, at->col) : xstrdup("");
}

/* ---- the models of a configuration ---- */

const struct jail_set *conf_jail_set(const struct conf *c)
{
	struct cf_ctx *ctx = c->priv;
	struct jail_set *s = ctx->set;

	if (s)
		return s;
	s = xcalloc(1, sizeof(*s));
	s->n = c->njails;
	s->v = xcalloc(c->njails + 1, sizeof(*s->v));
	s->priv = (void *)c;
	/* In the configuration's own memory, its strings borrowed: a set of
	 * 500 jails is one allocation's work, not 500. */
	for (size_t i = 0; i < c->njails; i++) {
		const struct conf_jail *j = &c->jails[i];
		struct jail_def *d = cf_zalloc(&ctx->arena, sizeof(*d));

		set_defaults(d);
		d->name = j->name;
		d->at = (struct conf_pos){ j->file, j->line, j->col };
		build(d, &ctx->arena, j, true);
		s->v[i] = d;
	}
	ctx->set = s;
	return s;
}

void cf_jail_set_free(struct jail_set *s)
{
	if (!s)
		return;
	free(s->v);
	free(s);
}

long jail_set_index(const struct jail_set *s, const char *name)
{
	if (s->priv) {
		const struct conf *c = s->priv;
		const struct conf_jail *j = conf_jail(c, name);

		return j ? j - c->jails : -1;
	}
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i]->name, name) == 0)
			return (long)i;
	return -1;
}

const struct jail_def *jail_set_find(const struct jail_set *s, const char *name)
{
	long i = jail_set_index(s, name);

	return i < 0 ? NULL : s->v[i];
}

/* ---- bridges ---- */

struct net_def *net_defs_build(const struct conf *c, size_t *n)
{
	struct net_def *v = c->njails ? xcalloc(c->njails, sizeof(*v)) : NULL;
	const struct conf_pdef *t;
	size_t nt;

	t = conf_pdefs(CONF_SCHEMA_NETWORKS, &nt);
	for (size_t k = 0; k < c->njails; k++) {
		const struct conf_jail *j = &c->jails[k];
		struct net_def *d = &v[k];

		d->name = j->name;
		d->at = (struct conf_pos){ j->file, j->line, j->col };
		for (size_t id = 0; id < NP__COUNT; id++) {
			d->p[id] = (struct jval){ .v = no_values, .s = t[id].dflt };
			if (!parse_scalar(&t[id], &d->p[id]))
				abort();
		}
		for (size_t i = 0; i < j->nparams; i++) {
			const struct conf_param *p = &j->params[i];
			struct jval nv;

			if (!p->def)
				continue;
			nv = (struct jval){ .set = true, .v = p->values, .n = p->nvalues,
					    .at = { p->file, p->line, p->col } };
			if (p->def->type != CONF_LIST) {
				nv.v = no_values;
				nv.n = 0;
				nv.s = p->nvalues ? p->values[p->nvalues - 1] : "";
				if (!parse_scalar(p->def, &nv))
					continue;
			}
			d->p[p->def - t] = nv;
		}
	}
	*n = c->njails;
	return v;
}

void net_defs_free(struct net_def *v, size_t n)
{
	(void)n;
	free(v);
}
