/* conf_load: where configuration comes from, and the order of the passes.
 * Also the lookups others use on a resolved jail. */
#include "conf/cf.h"
#include "conf/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

/* Command-line parameters, as a block applied last to every jail. */
struct cf_block *cf_cmdline_block(struct cf_ctx *ctx)
{
	static const struct cf_loc none = { NULL, 0, 0 };
	struct cf_block *b = cf_zalloc(&ctx->arena, sizeof(*b));

	b->name = "*";
	b->loc = none;
	b->wild = true;
	for (size_t i = 0; i < ctx->src->ncmdline; i++) {
		const struct cf_stmt *st = cf_parse_cmdline(ctx, ctx->src->cmdline[i]);

		if (st)
			cf_block_add(ctx, b, st);
	}
	return b;
}

/* jail(8) without a file: one jail made of the command-line parameters,
 * named by name= (or jid=). */
static void cmdline_jail(struct cf_ctx *ctx, struct cf_block *params)
{
	static const struct cf_loc none = { NULL, 0, 0 };
	const struct cf_stmt *label = NULL;
	struct cf_block *b;

	for (size_t i = 0; i < params->n; i++) {
		const struct cf_stmt *st = params->stmts[i];

		if (st->nvals && (strcmp(st->def->name, "name") == 0 ||
				  (strcmp(st->def->name, "jid") == 0 &&
				   (!label || strcmp(label->def->name, "name") != 0))))
			label = st;
	}
	if (!label) {
		cf_diag(ctx, DIAG_ERROR, NULL, "no jail name: give name=NAME");
		return;
	}
	b = cf_block_new(ctx, label->vals[label->nvals - 1].s, label->vals[label->nvals - 1].len,
			 &none, NULL, NULL);
	b->unnamed = strcmp(label->def->name, "name") != 0;
	for (size_t i = 0; i < params->n; i++)
		if (params->stmts[i]->def != label->def)
			cf_block_add(ctx, b, params->stmts[i]);
}

/* A configuration directory: BASE.conf, then each BASE.conf.d/\*.conf in
 * name order that no other file includes; a file only included from
 * files that never load (a loop among them) is walked last. */
static void load_confdir(struct cf_ctx *ctx, const char *dir)
{
	const char *base = ctx->schema == CONF_SCHEMA_NETWORKS ? "networks" : "jail";
	struct cf_file *top;
	size_t n;
	struct cf_file **roots = cf_confdir_files(ctx, dir, base, &top, &n);

	if (ctx->src->extra) {
		struct cf_file *f = cf_load_text(ctx, ctx->src->extra);

		roots = xrealloc(roots, (n + 2) * sizeof(*roots));
		if (f)
			roots[n++] = f;
	}

	cf_expand_includes(ctx);
	if (ctx->schema == CONF_SCHEMA_JAILS)
		cf_rctl_load(ctx, dir);
	if (top)
		cf_walk_root(ctx, top);
	for (size_t i = 0; i < n; i++)
		if (!roots[i]->included && !roots[i]->walked)
			cf_walk_root(ctx, roots[i]);
	for (size_t i = 0; i < n; i++)
		if (!roots[i]->walked)
			cf_walk_root(ctx, roots[i]);
	if (ctx->src->isolate && !ctx->broken)
		cf_taint_phantoms(ctx, roots, n);
	if (!top && n == 0 && ctx->d->nerrors == 0) {
		struct cf_loc at = { dir, 0, 0 };

		cf_diag(ctx, DIAG_NOTE, &at, "no configuration (no %s.conf, no %s.conf.d/*.conf)",
			base, base);
	}
	free(roots);
}

/* Free what only the load needed; keep the arena and the names (and the
 * blocks, which conf_each resolves again after a lazy load). */
void cf_ctx_trim(struct cf_ctx *ctx)
{
	free(ctx->files);
	free(ctx->byid);
	free(ctx->perrs);
	free(ctx->unread);
	cf_parse_scratch_free(ctx);
	free(ctx->rbuf);
	free(ctx->confd.v);
	free(ctx->confd.pool);
	memset(&ctx->confd, 0, sizeof(ctx->confd));
	ctx->rbuf = NULL;
	ctx->caprbuf = 0;
	ctx->files = NULL;
	ctx->byid = NULL;
	ctx->perrs = NULL;
	ctx->unread = NULL;
	ctx->nperrs = ctx->nunread = 0;
	if (!ctx->lazy) {
		free(ctx->blocks);
		ctx->blocks = NULL;
		ctx->nblocks = 0;
		cf_arena_free(&ctx->tmp);
	}
}

/* Read the sources, then resolve and check every jail. */
int conf_load(const struct conf_source *src, struct conf **out, struct diag *d)
{
	struct cf_ctx *ctx = xcalloc(1, sizeof(*ctx));
	struct conf *c = xcalloc(1, sizeof(*c));
	size_t errors = d->nerrors;
	struct cf_block *params;

	ctx->src = src;
	ctx->schema = src->schema;
	ctx->d = d;
	ctx->cur_jail = ctx->root_err = -1;
	c->priv = ctx;
	params = cf_cmdline_block(ctx);
	if (src->mem && src->nmem) {
		struct cf_file *f = cf_load_root(ctx, src->mem[0].path ? src->mem[0].path : "");

		cf_expand_includes(ctx);
		if (f)
			cf_walk_root(ctx, f);
	} else if (src->file) {
		struct cf_file *f = cf_load_root(ctx, src->file);

		cf_expand_includes(ctx);
		if (f)
			cf_walk_root(ctx, f);
	} else if (src->confdir) {
		load_confdir(ctx, src->confdir);
	} else {
		cmdline_jail(ctx, params);
		params = NULL;
	}
	ctx->cmdline = params && params->n ? params : NULL;
	ctx->lazy = src->lazy;
	cf_resolve(ctx, c);
	cf_check_all(ctx, c);
	cf_rctl_check(ctx);
	if (src->isolate)
		cf_taint_finish(ctx, c);
	cf_ctx_trim(ctx);
	/* Isolated, only errors that belong to no jail fail the load. */
	if (src->isolate ? ctx->nglobal || ctx->too_many || ctx->broken : d->nerrors > errors) {
		conf_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}

/* Free a configuration and everything it holds. */
void conf_free(struct conf *c)
{
	struct cf_ctx *ctx;

	if (!c)
		return;
	ctx = c->priv;
	if (ctx) {
		cf_ctx_trim(ctx);
		cf_jail_set_free(ctx->set);
		free(ctx->blocks);
		cf_arena_free(&ctx->tmp);
		for (size_t i = 0; i < ctx->nwlists; i++)
			free(ctx->wlists[i].v);
		free(ctx->wlists);
		free(ctx->rctl);
		free(ctx->rctl_by_jail);
		for (size_t i = 0; i < 4; i++)
			sb_free(&ctx->qbuf[i]);
		sb_free(&ctx->path);
		free(ctx->names.tab);
		cf_arena_free(&ctx->arena);
		free(ctx);
	}
	free(c);
}

/* A jail's parameter by name, or NULL. */
const struct conf_param *conf_param(const struct conf_jail *j, const char *name)
{
	for (size_t i = 0; i < j->nparams; i++)
		if (strcmp(j->params[i].name, name) == 0)
			return &j->params[i];
	return NULL;
}

/* A parameter's last value, or NULL. */
const char *conf_str(const struct conf_jail *j, const char *name)
{
	const struct conf_param *p = conf_param(j, name);

	return p && p->nvalues ? p->values[p->nvalues - 1] : NULL;
}

/* A boolean (or new/inherit/disable) parameter as true or false. */
bool conf_bool(const struct conf_jail *j, const char *name, bool dflt)
{
	const char *s = conf_str(j, name);
	bool v;

	if (!s)
		return dflt;
	if (strcasecmp(s, "new") == 0)
		return true;
	if (strcasecmp(s, "disable") == 0 || strcasecmp(s, "inherit") == 0)
		return false;
	return cf_parse_bool(s, &v) ? v : dflt;
}

/* An integer parameter, or dflt. */
long long conf_int(const struct conf_jail *j, const char *name, long long dflt)
{
	const char *s = conf_str(j, name);
	char *end;
	long long v;

	if (!s)
		return dflt;
	errno = 0;
	v = strtoll(s, &end, 10);
	return end == s || *end || errno ? dflt : v;
}

/* A jail by name, through the names table. */
const struct conf_jail *conf_jail(const struct conf *c, const char *name)
{
	const struct cf_ctx *ctx = c->priv;
	const struct cf_name *n = ctx ? cf_name_find(&ctx->names, name) : NULL;

	return n && n->jail >= 0 && (size_t)n->jail < c->njails ? &c->jails[n->jail] : NULL;
}
