/* The parser: tokens -> the syntax tree of one file, as FreeBSD's
 * jailparse.y reads them. A file is a list of statements:
 *
 *     NAME { ... }                 a jail block (blocks nest: a.b)
 *     NAME; NAME = V, ...; NAME += V; NAME V;    a parameter
 *     $VAR = V; ...                a variable
 *     .include "FILE-OR-GLOB";     another file, spliced in place
 *     ;                            nothing
 *
 * Every error is reported; parsing goes on with the next statement. A
 * missing ';' is reported where it belongs and the next statement is read
 * normally, so a file with three missing ';' gets three errors.
 *
 * A message quotes the file only once the file has shown that it is
 * jail.conf (a statement that names a parameter, a variable or .include,
 * or one read without a syntax error), and then at most
 * CF_EXCERPT_MAX bytes, escaped; a jail block's label counts too. A syntax
 * error before that which would quote the file means the file is something
 * else (`.include "/etc/shadow"`): one message, with the position and the
 * kinds of token but nothing of the text, and the rest of the file is
 * skipped. */
#include "conf/lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

struct parser {
	struct cf_ctx *ctx;
	struct cf_lexer lx;
	struct cf_token t[2];	/* current token and one of lookahead */
	int cur;
	bool peeked;
	unsigned depth;
	bool deep_said;
	bool bad;		/* a token of this statement had a lexical error */
	bool good;		/* a statement was read without a syntax error */
	bool foreign;		/* a syntax error came first: skip the rest */
	bool withheld;		/* the next message leaves text of the file out */
	unsigned nsyntax;	/* syntax errors so far */
	/* Scratch reused for every statement and block: the items of the
	 * blocks being parsed (a stack), and the values of a statement. */
	struct cf_node **items;
	size_t nitems, capitems;
	struct cf_str *vals;
	size_t capvals;
};

/* The current token. */
static struct cf_token *tok(struct parser *p)
{
	return &p->t[p->cur];
}

/* The token after the current one. */
static struct cf_token *peek(struct parser *p)
{
	if (!p->peeked) {
		cf_lex(&p->lx, &p->t[1 - p->cur]);
		p->peeked = true;
	}
	return &p->t[1 - p->cur];
}

/* Go to the next token. */
static void advance(struct parser *p)
{
	p->bad |= p->t[p->cur].err;
	if (p->peeked) {
		p->cur = 1 - p->cur;
		p->peeked = false;
	} else {
		cf_lex(&p->lx, &p->t[p->cur]);
	}
}

/* Text of the file in a message: quoted, bounded, escaped; or NULL while
 * the file has not shown it is jail.conf. */
static const char *excerpt(struct parser *p, const char *s)
{
	if (p->good)
		return cf_qn(p->ctx, s, CF_EXCERPT_MAX);
	p->withheld = true;
	return NULL;
}

/* How a token reads in a message. */
static const char *describe(struct parser *p, const struct cf_token *t)
{
	const char *x;

	switch (t->kind) {
	case T_EOF: return "end of file";
	case T_SEMI: return "';'";
	case T_COMMA: return "','";
	case T_EQ: return "'='";
	case T_PLEQ: return "'+='";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_BAD:
		x = excerpt(p, t->bad);
		return x ? x : "a stray character";
	case T_WORD:
	default:
		x = excerpt(p, t->w.text.s);
		return x ? x : "a word";
	}
}

/* A syntax error, unless a lexical error in this statement explains it. */
__attribute__((format(printf, 3, 4)))
static void syntax_error(struct parser *p, const struct cf_loc *at, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	if (p->foreign || p->bad || tok(p)->err) {
		p->withheld = false;
		return;
	}
	p->nsyntax++;
	va_start(ap, fmt);
	if (!p->withheld) {
		cf_vdiag(p->ctx, DIAG_ERROR, at, fmt, ap);
	} else {
		if (vasprintf(&msg, fmt, ap) < 0)
			abort();
		cf_diag(p->ctx, DIAG_ERROR, at, "%s: not jail.conf syntax, the rest of the file is skipped",
			msg);
		free(msg);
		p->foreign = true;
	}
	p->withheld = false;
	va_end(ap);
}

/* After an error: skip to the end of the statement (';' is eaten, a '}'
 * closing the current block is not), keeping braces balanced. */
static void skip_statement(struct parser *p)
{
	unsigned depth = 0;

	for (;;) {
		if (p->foreign)
			return;
		switch (tok(p)->kind) {
		case T_EOF:
			return;
		case T_SEMI:
			advance(p);
			if (depth == 0)
				return;
			break;
		case T_LBRACE:
			depth++;
			advance(p);
			break;
		case T_RBRACE:
			if (depth == 0)
				return;
			depth--;
			advance(p);
			break;
		default:
			advance(p);
			break;
		}
	}
}

/* One more item for the innermost block being parsed. */
static void push(struct parser *p, struct cf_node *n)
{
	p->items = xgrow(p->items, &p->capitems, p->nitems + 1, sizeof(*p->items));
	p->items[p->nitems++] = n;
}

/* The items pushed since start, moved into the arena. */
static struct cf_node **finish(struct parser *p, size_t start, size_t *n)
{
	struct cf_node **items = NULL;

	*n = p->nitems - start;
	if (*n) {
		items = cf_alloc(&p->ctx->arena, *n * sizeof(*items));
		memcpy(items, p->items + start, *n * sizeof(*items));
	}
	p->nitems = start;
	return items;
}

/* A new, zeroed node of the syntax tree. */
static struct cf_node *node_new(struct cf_ctx *ctx, enum cf_node_kind kind)
{
	struct cf_node *n = cf_zalloc(&ctx->arena, sizeof(*n));

	n->kind = kind;
	return n;
}

/* A word as a value in the arena. */
static void word_value(struct cf_ctx *ctx, const struct cf_word *w, struct cf_str *out)
{
	struct cf_var *vars = NULL;

	if (w->nvars) {
		vars = cf_alloc(&ctx->arena, w->nvars * sizeof(*vars));
		memcpy(vars, w->vars, w->nvars * sizeof(*vars));
	}
	out->s = cf_strndup(&ctx->arena, w->text.s, w->text.len);
	out->len = (uint32_t)w->text.len;
	out->nvars = (uint32_t)w->nvars;
	out->vars = vars;
}

enum vals_end { V_OK, V_NOSEMI, V_ERROR };

/* value (',' value)* ';'. The values go to *vals (arena). */
static enum vals_end parse_values(struct parser *p, const char *after, struct cf_str **vals,
				  uint32_t *nvals)
{
	size_t n = 0;
	struct cf_loc end = { 0 };
	enum vals_end r;

	for (;;) {
		struct cf_token *t = tok(p);

		if (t->kind != T_WORD) {
			syntax_error(p, &t->loc, "expected a value after %s, found %s", after,
				     describe(p, t));
			if (t->kind == T_SEMI)
				advance(p);
			else
				skip_statement(p);
			r = V_ERROR;
			break;
		}
		p->vals = xgrow(p->vals, &p->capvals, n + 1, sizeof(*p->vals));
		word_value(p->ctx, &t->w, &p->vals[n++]);
		end = (struct cf_loc){ p->lx.path, t->w.eline, t->w.ecol };
		advance(p);
		t = tok(p);
		if (t->kind == T_COMMA) {
			advance(p);
			after = "','";
			continue;
		}
		if (t->kind == T_SEMI) {
			advance(p);
			r = V_OK;
		} else if (t->kind == T_WORD || t->kind == T_RBRACE || t->kind == T_EOF) {
			syntax_error(p, &end, "missing ';' before %s", describe(p, t));
			r = V_NOSEMI;
		} else {
			syntax_error(p, &t->loc, "expected ';' or ',' after a value, found %s",
				     describe(p, t));
			skip_statement(p);
			r = V_ERROR;
		}
		break;
	}
	*nvals = (uint32_t)n;
	*vals = NULL;
	if (n) {
		*vals = cf_alloc(&p->ctx->arena, n * sizeof(**vals));
		memcpy(*vals, p->vals, n * sizeof(**vals));
	}
	return r;
}

/* `.include "file", ...;` */
static void make_include(struct parser *p, const struct cf_loc *at,
			 bool nameval, const struct cf_str *vals, uint32_t nvals)
{
	struct cf_include *inc;
	struct cf_node *n;

	if (!nameval || nvals == 0) {
		cf_diag(p->ctx, DIAG_ERROR, at, ".include needs a file name: .include \"FILE\";");
		return;
	}
	n = node_new(p->ctx, CF_N_INCLUDE);
	n->include.loc = *at;
	n->include.inc = inc = cf_zalloc(&p->ctx->arena, sizeof(*inc));
	inc->pats = cf_alloc(&p->ctx->arena, nvals * sizeof(*inc->pats));
	for (uint32_t i = 0; i < nvals; i++) {
		if (vals[i].nvars) {
			cf_diag(p->ctx, DIAG_ERROR, at, "variables are not allowed in .include file names");
			return;
		}
		if (vals[i].len == 0) {
			cf_diag(p->ctx, DIAG_ERROR, at, ".include of an empty file name");
			return;
		}
		inc->pats[inc->npats++] = vals[i].s;
	}
	push(p, n);
}

/* The statement for a parameter or variable, checked against the table. */
static void make_stmt(struct parser *p, const struct cf_loc *at,
		      struct cf_name *name, bool var, bool append, const struct cf_str *vals,
		      uint32_t nvals)
{
	struct cf_ctx *ctx = p->ctx;
	struct cf_name *canon = cf_name_param(ctx, name);
	struct cf_stmt *st;
	struct cf_node *n;

	if (var && canon && (canon->def->flags & CONF_PF_NOVAR)) {
		cf_diag(ctx, DIAG_ERROR, at, "variable \"$%s\" cannot have the same name as a parameter",
			name->s);
		return;
	}
	if (!var && !canon) {
		const char *hint = cf_pdef_suggest(ctx->schema, name->s);

		if (hint)
			cf_diag(ctx, DIAG_ERROR, at, "unknown parameter %s; did you mean \"%s\"?",
				cf_qn(ctx, name->s, CF_EXCERPT_MAX), hint);
		else
			cf_diag(ctx, DIAG_ERROR, at, "unknown parameter %s",
				cf_qn(ctx, name->s, CF_EXCERPT_MAX));
		return;
	}
	n = node_new(ctx, CF_N_STMT);
	st = &n->stmt;
	st->name = var ? name : canon;
	st->def = var ? NULL : canon->def;
	st->flags = (var ? CF_S_VAR : 0) | (append ? CF_S_APPEND : 0) |
		    (!var && name->neg ? CF_S_NEG : 0);
	st->vals = vals;
	st->nvals = nvals;
	st->loc = *at;
	push(p, n);
}

/* A name must be one piece: a word, a quoted string or one $variable. */
static bool one_piece(const struct cf_word *w)
{
	return w->npieces == 1 && (w->nvars == 0 || (w->nvars == 1 && w->text.len == 0));
}

/* NAME [= | += | ] [VALUES] ; */
static void parse_stmt(struct parser *p)
{
	struct cf_token *t = tok(p);
	struct cf_loc at = t->loc;
	struct cf_loc end = { p->lx.path, t->w.eline, t->w.ecol };
	struct cf_str *vals = NULL;
	uint32_t nvals = 0;
	struct cf_name *name;
	bool var, append = false, nameval = false;
	enum vals_end r = V_OK;

	if (!one_piece(&t->w)) {
		syntax_error(p, &at, "expected a parameter name, found %s", describe(p, t));
		skip_statement(p);
		return;
	}
	var = t->w.nvars == 1;
	name = var ? t->w.vars[0].name : cf_name_get(p->ctx, t->w.text.s, t->w.text.len);
	/* A variable, a parameter brig knows or .include: jail.conf, whatever
	 * follows (a missing ';' is a typo in a jail.conf). */
	if (!p->good && (var || cf_name_param(p->ctx, name) || strcmp(name->s, ".include") == 0))
		p->good = true;
	advance(p);
	t = tok(p);
	switch (t->kind) {
	case T_SEMI:
		advance(p);
		break;
	case T_EQ:
	case T_PLEQ:
		append = t->kind == T_PLEQ;
		advance(p);
		r = parse_values(p, append ? "'+='" : "'='", &vals, &nvals);
		break;
	case T_WORD:
		nameval = true;
		r = parse_values(p, "the name", &vals, &nvals);
		break;
	case T_RBRACE:
	case T_EOF:
		syntax_error(p, &end, "missing ';' before %s", describe(p, t));
		break;
	default:
		syntax_error(p, &t->loc, "unexpected %s after %s", describe(p, t),
			     excerpt(p, name->s) ? excerpt(p, name->s) : "a name");
		skip_statement(p);
		return;
	}
	if (r == V_ERROR || p->bad)
		return;
	if (!var && strcmp(name->s, ".include") == 0)
		make_include(p, &at, nameval, vals, nvals);
	else
		make_stmt(p, &at, name, var, append, vals, nvals);
}

static void parse_items(struct parser *p);

/* LABEL { ... } -- or, with no label, a block parsed only to be skipped. */
static void parse_block(struct parser *p, bool labelled)
{
	struct cf_token *t = tok(p);
	struct cf_loc at = t->loc, end;
	size_t start = p->nitems;
	const char *label = NULL;
	bool keep = labelled;
	struct cf_node *n;

	if (labelled) {
		/* FreeBSD wants one piece; brig also takes joined pieces
		 * (foo.* unquoted is "foo." and "*"), but no variables. */
		if (t->w.nvars) {
			syntax_error(p, &at, "a jail name cannot hold variables");
			keep = false;
		}
		label = cf_strndup(&p->ctx->arena, t->w.text.s, t->w.text.len);
		/* NAME { is jail.conf. */
		p->good = true;
		advance(p);
	} else {
		syntax_error(p, &at, "'{' without a jail name before it");
	}
	advance(p);	/* '{' */
	p->depth++;
	if (p->depth > CF_BLOCK_DEPTH && keep) {
		if (!p->deep_said)
			cf_diag(p->ctx, DIAG_ERROR, &at, "jail blocks nested too deeply (over %d)",
				CF_BLOCK_DEPTH);
		p->deep_said = true;
		keep = false;
	}
	parse_items(p);
	p->depth--;
	end = tok(p)->loc;
	/* Where a block ends is unknown: every block of the file is in doubt. */
	p->ctx->pwhole = tok(p)->kind != T_RBRACE;
	if (tok(p)->kind == T_RBRACE)
		advance(p);
	else if (label && excerpt(p, label))
		syntax_error(p, &at, "missing '}': block %s is not closed", excerpt(p, label));
	else
		syntax_error(p, &at, "missing '}'");
	p->ctx->pwhole = false;
	if (!keep) {
		p->nitems = start;
		return;
	}
	n = node_new(p->ctx, CF_N_BLOCK);
	p->ctx->nblocknodes++;
	n->block.loc = at;
	n->block.end = end;
	n->block.name = label;
	n->block.items = finish(p, start, &n->block.n);
	push(p, n);
}

/* Statements up to the end of the file or of the current block. */
static void parse_items(struct parser *p)
{
	for (;;) {
		struct cf_token *t = tok(p);

		if (p->foreign)
			return;
		p->bad = false;
		switch (t->kind) {
		case T_EOF:
			return;
		case T_RBRACE:
			if (p->depth > 0)
				return;
			syntax_error(p, &t->loc, "unexpected '}' (no block is open)");
			advance(p);
			break;
		case T_SEMI:
			advance(p);
			break;
		case T_WORD: {
			unsigned before = p->nsyntax;

			if (peek(p)->kind == T_LBRACE)
				parse_block(p, true);
			else
				parse_stmt(p);
			/* The file reads as jail.conf: its text may be quoted. */
			if (p->nsyntax == before && !p->bad)
				p->good = true;
			break;
		}
		case T_LBRACE:
			parse_block(p, false);
			break;
		case T_COMMA:
		case T_EQ:
		case T_PLEQ:
		case T_BAD:
		default:
			syntax_error(p, &t->loc, "unexpected %s%s",
				     t->kind == T_BAD && p->good ? "character " : "",
				     describe(p, t));
			advance(p);
			skip_statement(p);
			break;
		}
	}
}

/* What cf_parse keeps from one file to the next: the buffers of its
 * tokens, its lexer and its stacks (10,000 small files grew them 40,000
 * times). */
struct cf_pscratch {
	struct cf_word w[2];
	struct strbuf name;
	struct cf_node **items;
	size_t capitems;
	struct cf_str *vals;
	size_t capvals;
};

static void scratch_free(struct cf_pscratch *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < 2; i++) {
		sb_free(&k->w[i].text);
		free(k->w[i].vars);
	}
	sb_free(&k->name);
	free(k->items);
	free(k->vals);
	free(k);
}

/* Parse a file's text into f's items. */
void cf_parse(struct cf_ctx *ctx, struct cf_file *f, const char *buf, size_t len)
{
	struct cf_pscratch *k = ctx->pscratch ? ctx->pscratch : xcalloc(1, sizeof(*k));
	struct parser p = { .ctx = ctx };

	ctx->pscratch = NULL;	/* this parse's own while it runs */
	cf_lex_init(&p.lx, ctx, f->path, buf, len);
	p.lx.name = k->name;
	p.t[0].w = k->w[0];
	p.t[1].w = k->w[1];
	p.items = k->items;
	p.capitems = k->capitems;
	p.vals = k->vals;
	p.capvals = k->capvals;
	advance(&p);
	parse_items(&p);
	f->items = finish(&p, 0, &f->nitems);
	*k = (struct cf_pscratch){
		.w = { p.t[0].w, p.t[1].w }, .name = p.lx.name,
		.items = p.items, .capitems = p.capitems, .vals = p.vals, .capvals = p.capvals,
	};
	if (ctx->pscratch)	/* a parse within this one kept its own */
		scratch_free(k);
	else
		ctx->pscratch = k;
}

void cf_parse_scratch_free(struct cf_ctx *ctx)
{
	scratch_free(ctx->pscratch);
	ctx->pscratch = NULL;
}

/* A command-line parameter as a statement; NULL if it is bad. */
const struct cf_stmt *cf_parse_cmdline(struct cf_ctx *ctx, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	bool append = eq && eq > arg && eq[-1] == '+';
	struct cf_name *name, *canon;
	struct cf_stmt *st;
	struct cf_str *vals;
	uint32_t n = 0;

	if (append)
		nlen--;
	if (nlen == 0) {
		cf_diag(ctx, DIAG_ERROR, NULL, "%s: missing parameter name", cf_q(ctx, arg));
		return NULL;
	}
	name = cf_name_get(ctx, arg, nlen);
	canon = cf_name_param(ctx, name);
	if (!canon) {
		const char *hint = cf_pdef_suggest(ctx->schema, name->s);

		cf_diag(ctx, DIAG_ERROR, NULL, "unknown parameter %s%s%s%s", cf_q(ctx, name->s),
			hint ? "; did you mean \"" : "", hint ? hint : "", hint ? "\"?" : "");
		return NULL;
	}
	st = cf_zalloc(&ctx->arena, sizeof(*st));
	st->name = canon;
	st->def = canon->def;
	st->flags = (append ? CF_S_APPEND : 0) | (name->neg ? CF_S_NEG : 0);
	for (const unsigned char *c = (const unsigned char *)arg; *c && !ctx->raw_bytes; c++)
		ctx->raw_bytes = *c >= 0x80;
	if (eq) {
		const char *v = eq + 1;
		bool split = canon->def->flags & CONF_PF_SPLIT;
		size_t max = 1;

		for (const char *c = v; split && *c; c++)
			max += *c == ',';
		vals = cf_zalloc(&ctx->arena, max * sizeof(*vals));
		for (;;) {
			const char *comma = split ? strchr(v, ',') : NULL;
			size_t len = comma ? (size_t)(comma - v) : strlen(v);

			vals[n].s = cf_strndup(&ctx->arena, v, len);
			vals[n++].len = (uint32_t)len;
			if (!comma)
				break;
			v = comma + 1;
		}
		st->vals = vals;
		st->nvals = n;
	}
	return st;
}
