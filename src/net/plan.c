/* The network of one command: every jail's network parsed at most once,
 * networks.conf read at most once, whoever asks (the start's check, the
 * clash checks of brig create and import, brig config check, the
 * bring-up). A start of several jails parses them all before forking its
 * workers (net_plan_parse_all), which inherit the plan. */
#include <stdlib.h>
#include <string.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

struct net_plan *net_plan_new(const struct jail_set *s)
{
	struct net_plan *p = xcalloc(1, sizeof(*p));

	p->set = s;
	if (s && s->n) {
		p->jails = xcalloc(s->n, sizeof(*p->jails));
		for (size_t i = 0; i < s->n; i++)
			p->jails[i].def = s->v[i];
	}
	return p;
}

static void pj_free(struct net_pj *x)
{
	net_jail_free(&x->m);
	free(x->err);
}

void net_plan_free(struct net_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; p->jails && i < p->set->n; i++)
		pj_free(&p->jails[i]);
	while (p->extra) {
		struct net_pj *x = p->extra;

		p->extra = x->next;
		pj_free(x);
		free(x);
	}
	free(p->jails);
	free(p->keys);
	free(p->seen);
	net_networks_free(&p->nw);
	free(p);
}

/* The slot of d: its own in the set, or one kept beside it. */
static struct net_pj *slot(struct net_plan *p, const struct jail_def *d)
{
	long i = p->set ? jail_set_index(p->set, d->name) : -1;
	struct net_pj *x;

	if (i >= 0 && p->set->v[i] == d)
		return &p->jails[i];
	for (x = p->extra; x; x = x->next)
		if (x->def == d)
			return x;
	x = xcalloc(1, sizeof(*x));
	x->def = d;
	x->next = p->extra;
	p->extra = x;
	return x;
}

/* Parse x now if it has not been. */
static void parse(struct net_plan *p, struct net_pj *x)
{
	struct brig_err e = { 0 };

	if (x->state)
		return;
	p->nparsed++;
	if (net_jail_parse(x->def, &x->m, &e) == 0) {
		x->state = 1;
	} else {
		x->state = -1;
		x->err = xstrdup(e.msg);
	}
}

/* x's network, parsed once. */
static const struct net_jail *pj_jail(struct net_plan *p, struct net_pj *x, struct brig_err *e)
{
	parse(p, x);
	if (x->state < 0) {
		brig_err_set(e, 0, "%s", x->err);
		return NULL;
	}
	return &x->m;
}

const struct net_jail *net_plan_jail(struct net_plan *p, const struct jail_def *d,
				     struct brig_err *e)
{
	return pj_jail(p, slot(p, d), e);
}

const struct net_jail *net_plan_at(struct net_plan *p, size_t i)
{
	const struct jail_def *od = p->set->v[i];
	const struct net_jail *o;
	struct brig_err ignored;
	size_t nrdr;

	jd_list(od, JP_RDR, &nrdr);
	if (!jd_on(od, JP_VNET) && !nrdr)
		return NULL;
	o = pj_jail(p, &p->jails[i], &ignored);
	return o && (o->vnet || o->nrdrs) ? o : NULL;
}

const struct net_jail *net_plan_other(struct net_plan *p, const struct jail_def *d, size_t i)
{
	const struct jail_def *od = p->set->v[i];

	return od == d || !strcmp(od->name, d->name) ? NULL : net_plan_at(p, i);
}

void net_plan_parse_all(struct net_plan *p)
{
	const struct net_bridge *b;
	struct brig_err ignored;
	bool bridged = false;

	for (size_t i = 0; p->jails && i < p->set->n; i++) {
		struct net_pj *x = &p->jails[i];

		parse(p, x);
		for (size_t k = 0; x->state > 0 && k < x->m.nifs; k++)
			bridged = bridged || x->m.ifs[k].bridge;
	}
	/* Read once here rather than by each worker whose bridge is missing;
	 * a failure is kept, and told only to those that need the file. */
	if (bridged)
		net_networks_lookup(&p->nw, "", &b, &ignored);
	net_plan_index(p);
}
