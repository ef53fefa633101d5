/* A jail as one typed model: what every layer but conf/ reads.
 *
 * conf/ resolves each jail once into a struct jail_def: every parameter of
 * the table (conf/params_jail.def) by its id, parsed into its type, with
 * its default when unset and where it was set. jail.conf is one producer
 * (jail_def_build, from a resolved struct conf_jail); the state of a
 * running jail is another (jail_def_from_json, the model it was started
 * with); an OCI bundle, an image's configuration or a compose service
 * will be others. core, net, store, sys and cli read the model only: no
 * layer outside conf/ looks a parameter up by its name.
 *
 * A model owns its memory (one allocation arena): it outlives the
 * configuration it was built from. */
#ifndef BRIG_CONF_MODEL_H
#define BRIG_CONF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "util/err.h"

struct json;
struct json_t;

/* FreeBSD's jailsys values (host, ip4, ip6, vnet, sysv*), numbered as
 * jail(8) numbers them. */
enum jsys {
	JSYS_DISABLE = 0,
	JSYS_NEW = 1,
	JSYS_INHERIT = 2,
};

/* Where a value was set: FILE:LINE:COL, or file NULL (the command line
 * when set, the table's default when not). */
struct conf_pos {
	const char *file;
	int line, col;
};

/* One parameter of a model. */
struct jval {
	bool set;		/* given; else the table's default (or nothing) */
	long long i;		/* bool: 0 or 1; int: the number; jailsys: enum jsys */
	const char *s;		/* string, bool, int: the (normalised) text; NULL:
				 * unset without default */
	char *const *v;		/* list: the values, v[n] is NULL (never NULL itself);
				 * its s: the values joined by "," (as jls shows them) */
	size_t n;
	struct conf_pos at;
};

/* One entry of ip4.addr / ip6.addr: FreeBSD's [IFACE|]ADDR[/PREFIX],
 * split once. */
struct jaddr {
	const char *text;	/* as written */
	const char *iface;	/* NULL: none given */
	const char *addr;	/* ADDR[/PREFIX] */
	const char *bare;	/* ADDR alone */
};

/* A jail. */
struct jail_def {
	const char *name;
	struct conf_pos at;	/* where its block starts */
	/* With configuration isolation: the first error of its own
	 * configuration (a complete diagnostic line); such a jail cannot be
	 * started. NULL: none. */
	const char *error;
	size_t nerrors;
	/* Each parameter's value: one of the model's own memory when set,
	 * else the table's default, which every model shares (a model is
	 * ~1 KB and what its jail sets, not a full table: 10,000 jails'
	 * models are built together by config check and start --all). */
	const struct jval *p[JP__COUNT];
	struct jaddr *ip4, *ip6;	/* ip4.addr, ip6.addr split */
	size_t nip4, nip6;
	enum conf_restart restart;	/* exec.restart */
	long restart_max;
	void *priv;		/* owned storage */
};

/* A bridge of networks.conf. */
struct net_def {
	const char *name;
	struct conf_pos at;
	struct jval p[NP__COUNT];
};

/* The jails of a configuration, in definition order. */
struct jail_set {
	struct jail_def **v;
	size_t n;
	void *priv;
};

/* ---- reading a model ---- */

static inline const struct jval *jd_val(const struct jail_def *d, enum jparam id)
{
	return d->p[id];
}
/* A bool; a jailsys parameter is true for new. */
static inline bool jd_on(const struct jail_def *d, enum jparam id)
{
	const struct jval *v = d->p[id];

	return (conf_jparam(id)->flags & CONF_PF_JAILSYS) ? v->s && v->i == JSYS_NEW : v->i != 0;
}
static inline long long jd_int(const struct jail_def *d, enum jparam id)
{
	return d->p[id]->i;
}
/* A string (the text of a bool or int), NULL if unset without default. */
static inline const char *jd_str(const struct jail_def *d, enum jparam id)
{
	return d->p[id]->s;
}
/* A string that is set and not empty, else NULL. */
static inline const char *jd_nonempty(const struct jail_def *d, enum jparam id)
{
	const char *s = d->p[id]->s;

	return s && *s ? s : NULL;
}
static inline bool jd_set(const struct jail_def *d, enum jparam id)
{
	return d->p[id]->set;
}
/* A list's values (v[n] is NULL) and their number. */
static inline char *const *jd_list(const struct jail_def *d, enum jparam id, size_t *n)
{
	*n = d->p[id]->n;
	return d->p[id]->v;
}
/* "FILE:LINE:COL: " where id was set, or "" (caller frees). */
char *jd_where(const struct jail_def *d, enum jparam id);
/* The parameter's name, for messages. */
static inline const char *jd_name(enum jparam id)
{
	return conf_jparam(id)->name;
}

/* The same for a bridge. */
static inline const char *nd_name(enum nparam id)
{
	size_t n;

	return conf_pdefs(CONF_SCHEMA_NETWORKS, &n)[id].name;
}
static inline bool nd_on(const struct net_def *d, enum nparam id)
{
	return d->p[id].i != 0;
}
static inline long long nd_int(const struct net_def *d, enum nparam id)
{
	return d->p[id].i;
}
static inline char *const *nd_list(const struct net_def *d, enum nparam id, size_t *n)
{
	*n = d->p[id].n;
	return d->p[id].v;
}

/* ---- producers ---- */

/* The model of a resolved jail j (its values as conf_load checked and
 * normalised them). Never fails: a value that did not check (a jail with
 * an error of its own) is left at its default. Free with jail_def_free. */
struct jail_def *jail_def_build(const struct conf_jail *j);
/* A copy of d that owns its memory. */
struct jail_def *jail_def_copy(const struct jail_def *d);
/* A copy of was whose parameters ids[0..n) have with's values (jail -m:
 * the running jail's model with what it changed). */
struct jail_def *jail_def_update(const struct jail_def *was, const struct jail_def *with,
				 const enum jparam *ids, size_t n);
void jail_def_free(struct jail_def *d);

/* The models of every jail of c (definition order), built once and kept
 * with c, in its memory (freed by conf_free; jail_def_free on one of them
 * does nothing). */
const struct jail_set *conf_jail_set(const struct conf *c);
/* A jail of s by name, or NULL. */
const struct jail_def *jail_set_find(const struct jail_set *s, const char *name);
/* Its index in s, or -1. */
long jail_set_index(const struct jail_set *s, const char *name);

/* The bridges of a networks.conf configuration, as models (valid while c
 * lives; free the array with net_defs_free). */
struct net_def *net_defs_build(const struct conf *c, size_t *n);
void net_defs_free(struct net_def *v, size_t n);

/* A model from "NAME VALUE" pairs (what the state of a running jail
 * recorded before it recorded the model as JSON): a scalar takes its
 * value (the last one given), a list gets each value appended; a NULL
 * value marks a list set with nothing added. Unknown names (a newer
 * brig's) and values that are not of their type are left out, at the
 * default. Never fails; free with jail_def_free. */
struct jail_def *jail_def_from_params(const char *name, char *const *names, char *const *values,
				      size_t n);

/* The model as JSON (for the state of a running jail): an object with
 * "name" and "params" (the parameters set, by name: bools as booleans,
 * ints as numbers, lists as arrays, the rest as strings). */
void jail_def_json(const struct jail_def *d, struct json *w);
/* And back (a jansson object as jail_def_json wrote it): 0 and *out; -1
 * with e set (not that shape, an unknown parameter, a value of the wrong
 * type). */
int jail_def_from_json(const struct json_t *o, struct jail_def **out, struct brig_err *e);

/* Whether two models differ, and in which parameter first (NULL: they do
 * not): brig reload restarts a jail whose configuration changed. `boot`
 * does not count: it says when a jail starts, not how it runs; nor does
 * `rctl`: reload changes a running jail's limits live. */
const char *jail_def_differs(const struct jail_def *a, const struct jail_def *b);
/* Whether parameter id has the same value in both. */
bool jail_def_same_param(const struct jail_def *a, const struct jail_def *b, enum jparam id);

#endif
