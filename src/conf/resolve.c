/* Resolution, per jail, as FreeBSD's jail(8) does it (config.c):
 *
 * 1. The jail's label sets "name" (or "jid" when purely numeric).
 * 2. Wildcard blocks that match it, and its own statements, are applied in
 *    file order: a wildcard above the jail is overridden by it, one below
 *    overrides it. Without += a value replaces the earlier one; += appends.
 *    Command-line parameters come last.
 * 3. Variables and parameters are substituted into the values ($x, ${x}),
 *    per jail, so a wildcard "path = /jails/$name" gives each its own path.
 *
 * Names are interned: each has a scratch slot for its entry in the jail
 * being resolved, so a jail costs time in proportion to its statements. */
#include "conf/cf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

enum { NEW, BUSY, DONE, BAD };

struct group {
	const struct cf_stmt *st;
	int32_t next;
};

/* A parameter or variable of the jail being resolved. */
struct entry {
	struct cf_name *name;
	const struct conf_pdef *def;	/* NULL: a variable */
	const struct cf_stmt *last;	/* the last statement that set it */
	int32_t first, tail;		/* its value groups */
	int state;
	char **out;			/* resolved values */
	size_t nout;
};

struct resolver {
	struct cf_ctx *ctx;
	const struct cf_block *jail;
	struct entry *e;
	size_t n, cap;
	struct group *g;
	size_t ng, capg;
	int32_t *chain;			/* entries being resolved, for loop messages */
	int32_t taint;			/* the first error of a wildcard applied, -1 */
	size_t nchain;
	struct strbuf sb[CF_VAR_DEPTH + 2];
	char **vals[CF_VAR_DEPTH + 2];	/* values being collected, per depth */
	size_t capvals[CF_VAR_DEPTH + 2];
};

/* An error about the jail being resolved: "FILE:L:C: error: JAIL: ...". */
__attribute__((format(printf, 3, 4)))
static void jail_error(struct resolver *r, const struct cf_loc *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_vjail_error(r->ctx, at, r->jail->name, NULL, fmt, ap);
	va_end(ap);
}

/* How an entry reads in a message: "path" or "$var". */
static const char *shown(const struct entry *e)
{
	return e->name->s;
}

static const char *sigil(const struct entry *e)
{
	return e->def ? "" : "$";
}

/* Set the statement's values on the jail (replace, or append with +=). */
static void apply(struct resolver *r, const struct cf_stmt *st)
{
	bool var = st->flags & CF_S_VAR;
	struct cf_name *canon = var ? cf_name_param(r->ctx, st->name) : st->name;
	int32_t *slot = var ? &st->name->vslot : &canon->pslot;
	struct entry *e;

	if ((var && canon && canon->pslot >= 0) || (!var && canon->varset)) {
		jail_error(r, &st->loc, "variable \"$%s\" cannot have the same name as a parameter",
			   canon->s);
		return;
	}
	if (*slot < 0) {
		if (r->n + 1 >= r->cap)	/* xgrow's test, without its call */
			r->e = xgrow(r->e, &r->cap, r->n + 1, sizeof(*r->e));
		*slot = (int32_t)r->n;
		r->e[r->n++] = (struct entry){
			.name = st->name, .def = st->def, .first = -1, .tail = -1,
		};
		if (var && canon)
			canon->varset = true;
	} else if (r->e[*slot].def && (r->e[*slot].def->flags & CONF_PF_IMMUTABLE)) {
		jail_error(r, &st->loc, "cannot redefine parameter \"%s\"", st->def->name);
		return;
	}
	e = &r->e[*slot];
	if (!(st->flags & CF_S_APPEND) || st->nvals == 0)
		e->first = e->tail = -1;
	e->last = st;
	if (st->nvals == 0)
		return;
	if (r->ng + 1 >= r->capg)
		r->g = xgrow(r->g, &r->capg, r->ng + 1, sizeof(*r->g));
	r->g[r->ng] = (struct group){ st, -1 };
	if (e->tail >= 0)
		r->g[e->tail].next = (int32_t)r->ng;
	else
		e->first = (int32_t)r->ng;
	e->tail = (int32_t)r->ng++;
}

/* The statements of a block in the syntax tree, following its .include
 * files as the walk did (which found no loop, or nothing is resolved). */
static void apply_items(struct resolver *r, struct cf_node *const *items, size_t n, unsigned depth)
{
	for (size_t i = 0; i < n; i++) {
		const struct cf_node *node = items[i];

		if (node->kind == CF_N_STMT) {
			apply(r, &node->stmt);
		} else if (node->kind == CF_N_INCLUDE && depth <= CF_INCLUDE_DEPTH) {
			const struct cf_include *inc = node->include.inc;

			for (size_t k = 0; k < inc->nfiles; k++)
				apply_items(r, inc->files[k]->items, inc->files[k]->nitems, depth + 1);
		}
	}
}

/* Apply a block's statements, from the tree or from its list. */
static void apply_block(struct resolver *r, const struct cf_block *b)
{
	if (b->node)
		apply_items(r, b->node->block.items, b->node->block.n, 0);
	for (size_t i = 0; i < b->n; i++)
		apply(r, b->stmts[i]);
}

/* The entry a $reference names: a variable, else a parameter; -1. */
static int32_t lookup(struct resolver *r, struct cf_name *n)
{
	struct cf_name *c;

	if (n->vslot >= 0)
		return n->vslot;
	c = cf_name_param(r->ctx, n);
	return c ? c->pslot : -1;
}

/* Append a value at this depth. */
static void put(struct resolver *r, unsigned depth, size_t *n, char *s)
{
	if (*n >= r->capvals[depth])
		r->vals[depth] = xgrow(r->vals[depth], &r->capvals[depth], *n + 1, sizeof(char *));
	r->vals[depth][(*n)++] = s;
}

static bool resolve(struct resolver *r, int32_t idx, unsigned depth);

/* "variable loop: $a -> $b -> $a" from the chain of entries. */
static void loop_error(struct resolver *r, int32_t t, const struct cf_loc *at, const struct entry *in)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	while (i < r->nchain && r->chain[i] != t)
		i++;
	for (; i < r->nchain; i++)
		sb_addf(&sb, "%s%s -> ", sigil(&r->e[r->chain[i]]), shown(&r->e[r->chain[i]]));
	sb_addf(&sb, "%s%s", sigil(&r->e[t]), shown(&r->e[t]));
	jail_error(r, at, "%s%s: variable loop: %s", sigil(in), shown(in), sb.s);
	sb_free(&sb);
}

/* Substitute the variables of one value of entry idx; the results (one,
 * or several when the value is a lone array) are put at this depth. */
static bool subst(struct resolver *r, int32_t idx, const struct cf_stmt *st, const struct cf_str *v,
		  unsigned depth, size_t *n)
{
	struct strbuf *sb = &r->sb[depth];
	uint32_t pos = 0;

	sb_reset(sb);
	for (uint32_t k = 0; k < v->nvars; k++) {
		const struct cf_var *var = &v->vars[k];
		struct cf_loc at = { st->loc.path, var->line, var->col };
		int32_t t = lookup(r, var->name);
		const struct entry *te;

		sb_addn(sb, v->s + pos, var->pos - pos);
		pos = var->pos;
		if (t >= 0 && r->e[t].state == BUSY) {
			loop_error(r, t, &at, &r->e[idx]);
			return false;
		}
		if (t >= 0 && !resolve(r, t, depth + 1))
			return false;
		te = t >= 0 ? &r->e[t] : NULL;
		if (!te || te->nout == 0) {
			jail_error(r, &at, "%s%s: variable \"%s\" not found", sigil(&r->e[idx]),
				   shown(&r->e[idx]), var->name->s);
			return false;
		}
		if (te->nout > 1) {
			if (v->len != 0 || v->nvars > 1) {
				jail_error(r, &at, "%s%s: array cannot be substituted inline",
					   sigil(&r->e[idx]), shown(&r->e[idx]));
				return false;
			}
			for (size_t i = 0; i < te->nout; i++)
				put(r, depth, n, te->out[i]);
			r->ctx->expanded += te->nout * sizeof(char *);
			return true;
		}
		sb_adds(sb, te->out[0]);
		if (sb->len > CF_EXPAND_MAX - r->ctx->expanded) {
			jail_error(r, &at, "%s%s: variables expand to more than %u MiB",
				   sigil(&r->e[idx]), shown(&r->e[idx]), CF_EXPAND_MAX >> 20);
			return false;
		}
	}
	sb_addn(sb, v->s + pos, v->len - pos);
	r->ctx->expanded += sb->len;
	put(r, depth, n, cf_strndup(r->e[idx].def ? r->ctx->out : &r->ctx->tmp, sb->s, sb->len));
	return true;
}

/* Resolve one entry (after those its values refer to). */
static bool resolve(struct resolver *r, int32_t idx, unsigned depth)
{
	struct entry *e = &r->e[idx];
	struct cf_arena *a = e->def ? r->ctx->out : &r->ctx->tmp;
	bool ok = true;
	size_t n = 0;

	if (e->state == DONE || e->state == BAD)
		return e->state == DONE;
	if (depth > CF_VAR_DEPTH || r->ctx->expanded > CF_EXPAND_MAX) {
		jail_error(r, &e->last->loc, "%s%s: variables nested too deeply or too large",
			   sigil(e), shown(e));
		e->state = BAD;
		return false;
	}
	e->state = BUSY;
	r->chain[r->nchain++] = idx;
	for (int32_t g = e->first; g >= 0 && ok; g = r->g[g].next) {
		const struct cf_stmt *st = r->g[g].st;

		for (uint32_t i = 0; i < st->nvals && ok; i++) {
			if (st->vals[i].nvars == 0)
				put(r, depth, &n, (char *)st->vals[i].s);
			else
				ok = subst(r, idx, st, &st->vals[i], depth, &n);
			if (ok && r->ctx->expanded > CF_EXPAND_MAX) {
				jail_error(r, &st->loc, "%s%s: variables expand to more than %u MiB",
					   sigil(e), shown(e), CF_EXPAND_MAX >> 20);
				ok = false;
			}
		}
	}
	r->nchain--;
	e = &r->e[idx];
	e->state = ok ? DONE : BAD;
	e->nout = n;
	e->out = cf_alloc(a, (n + 1) * sizeof(char *));
	if (n)
		memcpy(e->out, r->vals[depth], n * sizeof(char *));
	e->out[n] = NULL;	/* values are NULL-terminated: an argv */
	return ok;
}

/* A boolean written with "no" (nopersist, allow.nomount, novnet): the
 * value it stands for. A value that is no boolean is left for check.c. */
static void negate(struct cf_ctx *ctx, struct entry *e)
{
	bool sys = e->def->flags & CONF_PF_JAILSYS;
	bool v = true;

	if (e->nout && !cf_parse_bool(e->out[e->nout - 1], &v))
		return;
	e->out = cf_alloc(ctx->out, 2 * sizeof(char *));
	e->nout = 1;
	e->out[0] = (char *)(sys ? (v ? "disable" : "new") : (v ? "false" : "true"));
	e->out[1] = NULL;
}

/* Whether a label is a JID (jails schema only): purely numeric, and not
 * 0 (strtol, as jail(8) tests it). */
static bool numeric(const struct cf_ctx *ctx, const char *label)
{
	char *end;

	return ctx->schema == CONF_SCHEMA_JAILS && strtol(label, &end, 10) != 0 && *end == '\0';
}

/* The jail's label as an implicit parameter: name, or (as_jid) jid. */
static const struct cf_stmt *implicit(struct cf_ctx *ctx, const struct cf_block *b, bool as_jid)
{
	struct cf_stmt *st = cf_zalloc(&ctx->tmp, sizeof(*st));
	struct cf_str *v = cf_zalloc(&ctx->tmp, sizeof(*v));

	v->s = b->name;
	v->len = (uint32_t)strlen(b->name);
	st->name = as_jid ? ctx->n_jid : ctx->n_name;
	st->def = st->name->def;
	st->vals = v;
	st->nvals = 1;
	st->loc = b->loc;
	return st;
}

/* The resolved jail, "name" first. */
static void emit(struct resolver *r, struct conf_jail *j)
{
	struct cf_ctx *ctx = r->ctx;
	struct cf_name *nm = ctx->n_name;
	size_t np = 0, k = 1;

	/* A parameter whose substitution failed (already reported) is left
	 * out: its value is not what the file says, checking it is moot. */
	for (size_t i = 0; i < r->n; i++)
		np += r->e[i].def && (r->e[i].state != BAD || r->e[i].name == nm);
	j->label = r->jail->unnamed ? NULL : r->jail->name;
	j->file = r->jail->loc.path;
	j->line = (int)r->jail->loc.line;
	j->col = (int)r->jail->loc.col;
	/* Every field is set below: no need to zero 10,000 jails' worth. */
	j->params = cf_alloc(ctx->out, np * sizeof(*j->params));
	j->nparams = np;
	for (size_t i = 0; i < r->n; i++) {
		struct entry *e = &r->e[i];
		struct conf_param *p;

		if (!e->def || (e->state == BAD && e->name != nm))
			continue;
		if (e->last && (e->last->flags & CF_S_NEG) && e->state == DONE)
			negate(ctx, e);
		p = e->name == nm ? &j->params[0] : &j->params[k++];
		p->name = e->def->name;
		p->type = e->def->type;
		p->ignored = e->def->flags & CONF_PF_IGNORED;
		p->values = e->out;
		p->nvalues = e->nout;
		p->def = e->def;
		p->file = e->last->loc.path;
		p->line = (int)e->last->loc.line;
		p->col = (int)e->last->loc.col;
	}
	j->name = j->params[0].nvalues ? j->params[0].values[j->params[0].nvalues - 1] :
					 (char *)r->jail->name;
}

/* Forget the jail just resolved: clear the names' scratch slots. */
static void reset(struct resolver *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct cf_name *n = r->e[i].name;

		if (r->e[i].def) {
			n->pslot = -1;
		} else {
			struct cf_name *c = cf_name_param(r->ctx, n);

			n->vslot = -1;
			if (c)
				c->varset = false;
		}
	}
	r->n = r->ng = r->nchain = 0;
	r->taint = -1;
	cf_arena_rewind(&r->ctx->tmp);
}

/* The resolver's memory. */
static void resolver_fini(struct resolver *r)
{
	for (size_t i = 0; i < CF_VAR_DEPTH + 2; i++) {
		sb_free(&r->sb[i]);
		free(r->vals[i]);
	}
	free(r->chain);
	free(r->e);
	free(r->g);
}

/* qsort order of rctl.conf's rules: by jail, then in file order. */
static int by_jail(const void *a, const void *b, void *arg)
{
	const struct cf_rctl *v = arg;
	uint32_t i = *(const uint32_t *)a, k = *(const uint32_t *)b;
	uintptr_t ji = (uintptr_t)v[i].jail, jk = (uintptr_t)v[k].jail;

	return ji != jk ? (ji < jk ? -1 : 1) : (i > k) - (i < k);
}

/* Index rctl.conf's rules by jail, so that each jail finds its own
 * without a look at every rule (10,000 jails of one rule each). */
static void index_rctl(struct cf_ctx *ctx)
{
	if (!ctx->nrctl || ctx->rctl_by_jail)
		return;
	ctx->rctl_by_jail = xcalloc(ctx->nrctl, sizeof(*ctx->rctl_by_jail));
	for (size_t i = 0; i < ctx->nrctl; i++)
		ctx->rctl_by_jail[i] = (uint32_t)i;
	qsort_r(ctx->rctl_by_jail, ctx->nrctl, sizeof(*ctx->rctl_by_jail), by_jail, ctx->rctl);
}

/* Where the rules of jail id start in rctl_by_jail (nrctl: none). */
static size_t rctl_first(const struct cf_ctx *ctx, const struct cf_name *id)
{
	size_t lo = 0, hi = ctx->nrctl;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)ctx->rctl[ctx->rctl_by_jail[mid]].jail < (uintptr_t)id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Resolve one jail block into j (values in ctx->out), then check it. */
static void resolve_jail(struct resolver *r, const struct cf_block *b, struct conf_jail *j)
{
	struct cf_ctx *ctx = r->ctx;
	bool self = false;

	if (!r->chain)
		r->chain = xcalloc(CF_VAR_DEPTH + 2, sizeof(*r->chain));
	r->jail = b;
	apply(r, implicit(ctx, b, numeric(ctx, b->name)));
	const struct cf_wlist *more = b->first->wlist >= 0 ? &ctx->wlists[b->first->wlist] : NULL;
	size_t i = 0, k = 0, nmore = more ? more->n : 0;

	/* The wildcards that may match, in file order: a merge of the two. */
	while (i < ctx->nwild_any || k < nmore) {
		const struct cf_block *w;

		if (k == nmore || (i < ctx->nwild_any && ctx->wild_any[i]->seq < more->v[k]->seq))
			w = ctx->wild_any[i++];
		else
			w = more->v[k++];
		if (!self && b->seq < w->seq) {
			apply_block(r, b);
			self = true;
		}
		if (cf_wild_match(b->name, w->name)) {
			apply_block(r, w);
			if (w->taint >= 0 && (r->taint < 0 || w->taint < r->taint))
				r->taint = w->taint;
		}
	}
	if (!self)
		apply_block(r, b);
	for (size_t q = rctl_first(ctx, b->id); q < ctx->nrctl &&
	     ctx->rctl[ctx->rctl_by_jail[q]].jail == b->id; q++)
		apply(r, &ctx->rctl[ctx->rctl_by_jail[q]].st);
	if (ctx->cmdline)
		apply_block(r, ctx->cmdline);
	/* A numeric jail without a name is named by its number: ${name}
	 * is "5309" (jail(8), FreeBSD 14). */
	if (ctx->n_name->pslot < 0)
		apply(r, implicit(ctx, b, false));
	for (size_t e = 0; e < r->n; e++)
		resolve(r, (int32_t)e, 0);
	emit(r, j);
	cf_check_jail(ctx, j);
}

/* A jail's depend list, interned, for the checks. */
static void keep_deps(struct cf_ctx *ctx, const struct conf_jail *j, struct cf_deps *dp)
{
	const struct conf_param *dep = NULL;

	for (size_t i = 0; i < j->nparams && !dep; i++)
		if (j->params[i].def == ctx->d_depend)
			dep = &j->params[i];
	if (!dep || dep->nvalues == 0)
		return;
	dp->v = cf_alloc(&ctx->arena, dep->nvalues * sizeof(*dp->v));
	for (size_t i = 0; i < dep->nvalues; i++)
		dp->v[dp->n++] = cf_name_get(ctx, dep->values[i], strlen(dep->values[i]));
	dp->path = dep->file;
	dp->line = dep->line;
	dp->col = dep->col;
}

/* What a lazy load keeps of a jail: its name and place. */
static void keep_little(struct cf_ctx *ctx, const struct cf_block *b, struct conf_jail *j)
{
	if (j->name != b->name)
		j->name = cf_strndup(&ctx->arena, j->name, strlen(j->name));
	j->params = NULL;
	j->nparams = 0;
}

/* Sort the wildcards for resolve_jail: "*..." ones in a list, the others
 * in a list per first component. */
static void index_wildcards(struct cf_ctx *ctx)
{
	ctx->wild_any = cf_alloc(&ctx->arena, (ctx->nblocks + 1) * sizeof(*ctx->wild_any));
	for (size_t i = 0; i < ctx->nblocks; i++) {
		const struct cf_block *b = ctx->blocks[i];
		struct cf_name *first = b->first;
		struct cf_wlist *l;

		if (!b->wild)
			continue;
		ctx->nwild++;
		if (b->name[0] == '*' && (b->name[1] == '\0' || b->name[1] == '.')) {
			ctx->wild_any[ctx->nwild_any++] = b;
			continue;
		}
		if (first->wlist < 0) {
			ctx->wlists = xgrow(ctx->wlists, &ctx->capwlists, ctx->nwlists + 1,
					    sizeof(*ctx->wlists));
			ctx->wlists[ctx->nwlists] = (struct cf_wlist){ 0 };
			first->wlist = (int32_t)ctx->nwlists++;
		}
		l = &ctx->wlists[first->wlist];
		l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = b;
	}
}

/* Resolve and check every jail; a lazy load keeps little of each. */
void cf_resolve(struct cf_ctx *ctx, struct conf *c)
{
	struct resolver r = { .ctx = ctx, .taint = -1 };
	size_t nj = 0;

	ctx->n_name = cf_name_param(ctx, cf_name_get(ctx, "name", 4));
	ctx->n_jid = cf_name_param(ctx, cf_name_get(ctx, "jid", 3));
	ctx->d_depend = conf_pdef_find(ctx->schema, "depend");
	index_wildcards(ctx);
	index_rctl(ctx);
	c->jails = cf_zalloc(&ctx->arena, (ctx->nblocks - ctx->nwild + 1) * sizeof(*c->jails));
	ctx->jail_ids = cf_alloc(&ctx->arena, (ctx->nblocks - ctx->nwild + 1) * sizeof(*ctx->jail_ids));
	ctx->deps = cf_zalloc(&ctx->arena, (ctx->nblocks - ctx->nwild + 1) * sizeof(*ctx->deps));
	ctx->out = ctx->lazy ? &ctx->tmp : &ctx->arena;
	ctx->jerr = cf_alloc(&ctx->arena, (ctx->nblocks - ctx->nwild + 1) * sizeof(*ctx->jerr));
	ctx->jnerr = cf_zalloc(&ctx->arena, (ctx->nblocks - ctx->nwild + 1) * sizeof(*ctx->jnerr));
	for (size_t i = 0; i < ctx->nblocks && !ctx->too_many && !ctx->broken; i++) {
		int32_t t;

		if (ctx->blocks[i]->wild)
			continue;
		ctx->jerr[nj] = -1;
		ctx->cur_jail = (int32_t)nj;
		resolve_jail(&r, ctx->blocks[i], &c->jails[nj]);
		ctx->cur_jail = -1;
		/* Isolation: the errors of its blocks and wildcards, first. */
		t = ctx->blocks[i]->taint;
		if (r.taint >= 0 && (t < 0 || r.taint < t))
			t = r.taint;
		if (t >= 0) {
			if (ctx->jerr[nj] < 0 || t < ctx->jerr[nj])
				ctx->jerr[nj] = t;
			ctx->jnerr[nj]++;
		}
		ctx->jail_ids[nj] = c->jails[nj].name == ctx->blocks[i]->name ?
			ctx->blocks[i]->id : cf_name_get(ctx, c->jails[nj].name, strlen(c->jails[nj].name));
		keep_deps(ctx, &c->jails[nj], &ctx->deps[nj]);
		if (ctx->lazy)
			keep_little(ctx, ctx->blocks[i], &c->jails[nj]);
		nj++;
		reset(&r);
	}
	c->njails = nj;
	resolver_fini(&r);
}

/* Each picked jail in turn, resolved again after a lazy load. */
int conf_each(const struct conf *c, const bool *pick, int (*fn)(void *arg, const struct conf_jail *j),
	      void *arg)
{
	struct cf_ctx *ctx = c->priv;
	struct resolver r = { .ctx = ctx };
	struct diag quiet = { 0 }, *saved;
	int rc = 0;

	if (!ctx || !ctx->lazy) {
		for (size_t i = 0; i < c->njails && rc == 0; i++)
			if (!pick || pick[i])
				rc = fn(arg, &c->jails[i]);
		return rc;
	}
	/* Resolve each jail again, as the load did; it found no error. */
	saved = ctx->d;
	ctx->d = &quiet;
	for (size_t i = 0, k = 0; i < ctx->nblocks && rc == 0; i++) {
		struct conf_jail j = { 0 };

		if (ctx->blocks[i]->wild)
			continue;
		if (!pick || pick[k]) {
			resolve_jail(&r, ctx->blocks[i], &j);
			j.error = c->jails[k].error;
			j.nerrors = c->jails[k].nerrors;
			rc = fn(arg, &j);
		}
		k++;
		reset(&r);
	}
	resolver_fini(&r);
	diag_free(&quiet);
	ctx->d = saved;
	return rc;
}
