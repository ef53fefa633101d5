/* Splicing: the syntax trees of the files become the list of jail blocks,
 * in file order, each with the statements that apply to it. An .include
 * puts the included file's statements where it stands, inside a jail block
 * too. Nested blocks are jails of their own (a { b {} } is a and a.b);
 * statements outside any block form the wildcard jail "*", placed where the
 * first of them appears. */
#include "conf/cf.h"

#include <string.h>

#include "util/mem.h"

struct cf_block *cf_block_new(struct cf_ctx *ctx, const char *name, const struct cf_loc *loc)
{
	struct cf_block *b = cf_zalloc(&ctx->arena, sizeof(*b));

	b->name = name;
	b->loc = *loc;
	b->seq = (uint32_t)ctx->nblocks;
	b->wild = cf_wild_name(name);
	ctx->blocks = xgrow(ctx->blocks, &ctx->capblocks, ctx->nblocks + 1, sizeof(*ctx->blocks));
	ctx->blocks[ctx->nblocks++] = b;
	return b;
}

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
static void cycle_error(struct cf_ctx *ctx, struct cf_node *n, const struct cf_file *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	while (i < ctx->depth && ctx->stack[i] != f)
		i++;
	for (; i < ctx->depth; i++)
		sb_addf(&sb, "%s -> ", ctx->stack[i]->path);
	sb_adds(&sb, f->path);
	cf_diag(ctx, DIAG_ERROR, &n->loc, "include cycle: %s", sb.s);
	sb_free(&sb);
}

static void walk_items(struct cf_ctx *ctx, struct cf_node **items, size_t n, struct cf_block *cur);

/* Walk an included file at this point, unless that loops or nests too deep. */
static void walk_include(struct cf_ctx *ctx, struct cf_node *n, struct cf_block *cur)
{
	for (size_t i = 0; i < n->inc.nfiles; i++) {
		struct cf_file *f = n->inc.files[i];

		if (f->on_stack) {
			if (!n->inc.reported)
				cycle_error(ctx, n, f);
			n->inc.reported = true;
			continue;
		}
		if (ctx->depth > CF_INCLUDE_DEPTH) {
			if (!n->inc.reported)
				cf_diag(ctx, DIAG_ERROR, &n->loc,
					"too many nested includes (over %d)", CF_INCLUDE_DEPTH);
			n->inc.reported = true;
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
static void walk_block(struct cf_ctx *ctx, struct cf_node *n, struct cf_block *cur)
{
	const char *name = n->block.name;
	struct cf_block *b;

	if (cur) {
		size_t a = strlen(cur->name), l = strlen(name);
		char *full = cf_alloc(&ctx->arena, a + l + 2);

		memcpy(full, cur->name, a);
		full[a] = '.';
		memcpy(full + a + 1, name, l + 1);
		name = full;
	}
	b = cf_block_new(ctx, name, &n->loc);
	walk_items(ctx, n->block.items, n->block.n, b);
}

static void walk_items(struct cf_ctx *ctx, struct cf_node **items, size_t n, struct cf_block *cur)
{
	for (size_t i = 0; i < n; i++) {
		struct cf_node *node = items[i];

		switch (node->kind) {
		case CF_N_STMT:
			if (!cur && !ctx->global)
				ctx->global = cf_block_new(ctx, "*", &node->loc);
			cf_block_add(ctx, cur ? cur : ctx->global, node->stmt);
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

void cf_walk_root(struct cf_ctx *ctx, struct cf_file *f)
{
	if (!ctx->stack)
		ctx->stack = cf_alloc(&ctx->arena, (CF_INCLUDE_DEPTH + 2) * sizeof(*ctx->stack));
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
		const char *jd = strchr(jail, '.'), *wd = strchr(wild, '.');
		size_t jl = jd ? (size_t)(jd - jail) : strlen(jail);
		size_t wl = wd ? (size_t)(wd - wild) : strlen(wild);
		bool star = wl == 1 && wild[0] == '*';

		if (!wd)
			return star || (!jd && jl == wl && memcmp(jail, wild, jl) == 0);
		if (!jd)
			return false;
		if (!star && (jl != wl || memcmp(jail, wild, jl) != 0))
			return false;
		jail = jd + 1;
		wild = wd + 1;
	}
}
