/* The walk: the syntax trees of the files, .include files followed where
 * they stand, become the list of jail blocks in file order. Nested blocks
 * are jails of their own (a { b {} } is a and a.b); statements outside any
 * block form the wildcard jail "*", placed where the first of them
 * appears. Include loops and nesting too deep are found here; a block's
 * statements are read from the tree again when the jail is resolved. */
#include "conf/cf.h"

#include <string.h>

#include "util/mem.h"

/* A new block named name[0..len); first: the name's first component if
 * known (a nested block's is its parent's), else NULL. */
struct cf_block *cf_block_new(struct cf_ctx *ctx, const char *name, size_t len,
			      const struct cf_loc *loc, const struct cf_node *node,
			      struct cf_name *first)
{
	struct cf_block *b = cf_zalloc(&ctx->arena, sizeof(*b));
	const char *dot = memchr(name, '.', len);

	b->id = cf_name_get(ctx, name, len);
	b->name = b->id->s;
	b->first = first ? first : dot ? cf_name_get(ctx, name, (size_t)(dot - name)) : b->id;
	b->loc = *loc;
	b->seq = (uint32_t)ctx->nblocks;
	b->wild = cf_wild_name(name);
	b->node = node;
	b->taint = -1;
	ctx->blocks = xgrow(ctx->blocks, &ctx->capblocks, ctx->nblocks + 1, sizeof(*ctx->blocks));
	ctx->blocks[ctx->nblocks++] = b;
	return b;
}

/* Add a statement to a block's list. */
void cf_block_add(struct cf_ctx *ctx, struct cf_block *b, const struct cf_stmt *st)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		const struct cf_stmt **v = cf_alloc(&ctx->arena, cap * sizeof(*v));

		if (b->n)
			memcpy(v, b->stmts, b->n * sizeof(*v));
		b->stmts = v;
		b->cap = cap;
	}
	b->stmts[b->n++] = st;
}

/* "include cycle: a.conf -> b.conf -> a.conf" from the include stack. */
static void cycle_error(struct cf_ctx *ctx, const struct cf_loc *at, const struct cf_file *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	while (i < ctx->depth && ctx->stack[i] != f)
		i++;
	for (; i < ctx->depth; i++)
		sb_addf(&sb, "%s -> ", ctx->stack[i]->path);
	sb_adds(&sb, f->path);
	cf_diag(ctx, DIAG_ERROR, at, "include cycle: %s", sb.s);
	sb_free(&sb);
}

static void walk_items(struct cf_ctx *ctx, struct cf_node **items, size_t n, struct cf_block *cur);

/* Walk an included file at this point, unless that loops or nests too deep. */
static void walk_include(struct cf_ctx *ctx, const struct cf_node *n, struct cf_block *cur)
{
	struct cf_include *inc = n->include.inc;

	for (size_t i = 0; i < inc->nfiles && !ctx->broken; i++) {
		struct cf_file *f = inc->files[i];

		if (f->on_stack || ctx->depth > CF_INCLUDE_DEPTH) {
			if (!inc->reported && f->on_stack)
				cycle_error(ctx, &n->include.loc, f);
			else if (!inc->reported)
				cf_diag(ctx, DIAG_ERROR, &n->include.loc,
					"too many nested includes (over %d)", CF_INCLUDE_DEPTH);
			inc->reported = true;
			ctx->broken = true;
			continue;
		}
		f->on_stack = f->walked = true;
		ctx->stack[ctx->depth++] = f;
		walk_items(ctx, f->items, f->nitems, cur);
		ctx->depth--;
		f->on_stack = false;
	}
}

/* A jail block: a new jail named after its label (and its parents'). */
static void walk_block(struct cf_ctx *ctx, const struct cf_node *n, struct cf_block *cur)
{
	const char *label = n->block.name;
	size_t l = strlen(label);
	struct cf_block *b;

	if (cur) {
		sb_reset(&ctx->path);
		sb_adds(&ctx->path, cur->name);
		sb_addc(&ctx->path, '.');
		sb_addn(&ctx->path, label, l);
		b = cf_block_new(ctx, ctx->path.s, ctx->path.len, &n->block.loc, n, cur->first);
		b->taint = cur->taint;
	} else {
		b = cf_block_new(ctx, label, l, &n->block.loc, n, NULL);
		b->taint = cf_taint_top(ctx, n);
	}
	walk_items(ctx, n->block.items, n->block.n, b);
}

/* Walk a list of items inside block cur (NULL: outside any block). */
static void walk_items(struct cf_ctx *ctx, struct cf_node **items, size_t n, struct cf_block *cur)
{
	for (size_t i = 0; i < n && !ctx->broken; i++) {
		const struct cf_node *node = items[i];

		switch (node->kind) {
		case CF_N_STMT:
			/* Includes can repeat a file many times over. */
			if (++ctx->spliced > CF_SPLICE_MAX) {
				cf_diag(ctx, DIAG_ERROR, &node->stmt.loc,
					"includes make more than %u statements", CF_SPLICE_MAX);
				ctx->broken = true;
				break;
			}
			if (cur)
				break;
			if (!ctx->global)
				ctx->global = cf_block_new(ctx, "*", 1, &node->stmt.loc, NULL, NULL);
			cf_block_add(ctx, ctx->global, &node->stmt);
			break;
		case CF_N_BLOCK:
			walk_block(ctx, node, cur);
			break;
		case CF_N_INCLUDE:
		default:
			walk_include(ctx, node, cur);
			break;
		}
	}
}

/* Walk a top-level file. */
void cf_walk_root(struct cf_ctx *ctx, struct cf_file *f)
{
	if (!ctx->stack) {
		ctx->stack = cf_alloc(&ctx->arena, (CF_INCLUDE_DEPTH + 2) * sizeof(*ctx->stack));
		/* Each block names a jail: make room for the names at once. */
		cf_names_reserve(&ctx->names, ctx->nblocknodes + 16);
	}
	f->on_stack = f->walked = true;
	ctx->stack[0] = f;
	ctx->depth = 1;
	walk_items(ctx, f->items, f->nitems, NULL);
	ctx->depth = 0;
	f->on_stack = false;
}

/* A wildcard name has "*" as a whole component: "*", "foo.*", "*.bar". */
bool cf_wild_name(const char *name)
{
	for (const char *s = strchr(name, '*'); s; s = strchr(s + 1, '*'))
		if ((s == name || s[-1] == '.') && (s[1] == '\0' || s[1] == '.'))
			return true;
	return false;
}

/* Does the wildcard match the jail? A "*" component matches one component
 * of the jail's name; a final "*" matches one or more ("foo.*" matches
 * foo.bar and foo.bar.baz, not foo). */
bool cf_wild_match(const char *jail, const char *wild)
{
	for (;;) {
		if (wild[0] == '*' && (wild[1] == '\0' || wild[1] == '.')) {
			if (wild[1] == '\0')
				return true;
			while (*jail && *jail != '.')
				jail++;
			if (*jail != '.')
				return false;
		} else {
			while (*wild && *wild != '.' && *wild == *jail) {
				wild++;
				jail++;
			}
			if (*wild != *jail)
				return false;
			if (*wild == '\0')
				return true;
		}
		jail++;	/* both at '.' */
		wild += wild[0] == '*' ? 2 : 1;
	}
}
