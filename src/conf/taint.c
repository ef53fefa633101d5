/* Configuration isolation (conf_source.isolate): which errors of reading
 * and parsing belong to which jails, as FreeBSD's rc.d/jail keeps each
 * jail.conf.d/NAME.conf to its own jail. The unit is the top-level block:
 * a jail (and the jails nested in it) is marked by an error inside its
 * top-level block, in any file that block includes, at the top level of
 * a file it is defined in (or of one included there), and by an error
 * that puts a whole file in doubt (a missing '}', bad UTF-8). Resolution
 * adds the errors of the wildcards that apply to a jail, and its own. */
#include "conf/cf.h"

#include <string.h>

#include "util/mem.h"

/* The earlier of two errors (-1: none). */
static int32_t first(int32_t a, int32_t b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

/* Is (line, col) within [a, b]? */
static bool within(const struct cf_perr *p, const struct cf_loc *a, const struct cf_loc *b)
{
	if (p->line < a->line || (p->line == a->line && p->col < a->col))
		return false;
	return p->line < b->line || (p->line == b->line && p->col <= b->col);
}

/* Mark the errors outside every top-level block of their file. */
static void mark_top(struct cf_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nperrs; i++) {
		struct cf_perr *p = &ctx->perrs[i];
		const struct cf_file *f = p->file;

		p->top = true;
		for (size_t k = 0; k < f->nitems && p->top; k++)
			if (f->items[k]->kind == CF_N_BLOCK &&
			    within(p, &f->items[k]->block.loc, &f->items[k]->block.end))
				p->top = false;
	}
}

static int32_t file_any(struct cf_ctx *ctx, struct cf_file *f);

/* The first error in the files that the .include nodes under items (in
 * blocks too) name, and in theirs. */
static int32_t includes_any(struct cf_ctx *ctx, struct cf_node *const *items, size_t n)
{
	int32_t r = -1;

	for (size_t i = 0; i < n; i++) {
		const struct cf_node *node = items[i];

		if (node->kind == CF_N_INCLUDE)
			for (size_t k = 0; k < node->include.inc->nfiles; k++)
				r = first(r, file_any(ctx, node->include.inc->files[k]));
		else if (node->kind == CF_N_BLOCK)
			r = first(r, includes_any(ctx, node->block.items, node->block.n));
	}
	return r;
}

/* The first error anywhere in f and the files it includes. */
static int32_t file_any(struct cf_ctx *ctx, struct cf_file *f)
{
	int32_t r = -1;

	if (f->any_state)
		return f->any_err;	/* done, or a loop (reported by the walk) */
	f->any_state = 1;
	for (size_t i = 0; i < ctx->nperrs; i++)
		if (ctx->perrs[i].file == f)
			r = first(r, ctx->perrs[i].msg);
	r = first(r, includes_any(ctx, f->items, f->nitems));
	f->any_err = r;
	f->any_state = 2;
	return r;
}

/* The first error at the top level of f (or of the whole file), and at
 * the top level of the files its top level includes. */
static int32_t file_top(struct cf_ctx *ctx, struct cf_file *f)
{
	int32_t r = -1;

	if (f->top_state)
		return f->top_err;
	f->top_state = 1;
	for (size_t i = 0; i < ctx->nperrs; i++)
		if (ctx->perrs[i].file == f && (ctx->perrs[i].whole || ctx->perrs[i].top))
			r = first(r, ctx->perrs[i].msg);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i]->kind == CF_N_INCLUDE)
			for (size_t k = 0; k < f->items[i]->include.inc->nfiles; k++)
				r = first(r, file_top(ctx, f->items[i]->include.inc->files[k]));
	f->top_err = r;
	f->top_state = 2;
	return r;
}

int32_t cf_taint_top(struct cf_ctx *ctx, const struct cf_node *n)
{
	const struct cf_file *fa;
	int32_t r = -1;

	if (!ctx->src->isolate || !ctx->nperrs || ctx->depth == 0)
		return -1;
	if (ctx->nmarked != ctx->nperrs) {
		mark_top(ctx);
		ctx->nmarked = ctx->nperrs;
	}
	fa = ctx->stack[ctx->depth - 1];
	for (size_t i = 0; i < ctx->depth; i++)
		r = first(r, file_top(ctx, ctx->stack[i]));
	for (size_t i = 0; i < ctx->nperrs; i++)
		if (ctx->perrs[i].file == fa && within(&ctx->perrs[i], &n->block.loc, &n->block.end))
			r = first(r, ctx->perrs[i].msg);
	return first(r, includes_any(ctx, n->block.items, n->block.n));
}

/* A jail named after the file at path (jail.conf.d/NAME.conf), marked by
 * err, unless a block defines that jail or the name is no jail name. */
static void phantom(struct cf_ctx *ctx, const char *path, int32_t err)
{
	const char *base = strrchr(path, '/');
	size_t len;
	struct cf_name *id;
	struct cf_loc at = { path, 0, 0 };
	char *name;

	base = base ? base + 1 : path;
	len = strlen(base) - 5;	/* ".conf" */
	name = cf_strndup(&ctx->arena, base, len);
	if (conf_name_invalid(name))
		return;
	id = cf_name_get(ctx, name, len);
	for (size_t i = 0; i < ctx->nblocks; i++)
		if (ctx->blocks[i]->id == id && !ctx->blocks[i]->wild)
			return;
	cf_block_new(ctx, name, len, &at, NULL, NULL)->taint = err;
}

void cf_taint_phantoms(struct cf_ctx *ctx, struct cf_file **roots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int32_t err = file_any(ctx, roots[i]);

		if (err >= 0)
			phantom(ctx, roots[i]->path, err);
	}
	for (size_t i = 0; i < ctx->nunread; i++)
		phantom(ctx, ctx->unread[i].path, ctx->unread[i].err);
}

void cf_taint_finish(struct cf_ctx *ctx, struct conf *c)
{
	for (size_t i = 0; ctx->jerr && i < c->njails; i++) {
		const char *text;

		if (ctx->jerr[i] < 0 || (size_t)ctx->jerr[i] >= ctx->d->n)
			continue;
		text = ctx->d->msgs[ctx->jerr[i]].text;
		c->jails[i].error = cf_strndup(&ctx->arena, text, strlen(text));
		c->jails[i].nerrors = ctx->jnerr[i] ? ctx->jnerr[i] : 1;
	}
}
