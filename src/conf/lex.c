/* The lexer: see lex.h. Same tokens as FreeBSD's jaillex.l, with lexical
 * errors reported at FILE:LINE:COL and lexing resumed at the next line. */
#include "conf/lex.h"

#include <string.h>

#include "util/mem.h"

/* Characters of unquoted runs: [A-Za-z0-9_!%&()\-.:<>?@\[\]^`|~]. */
static const bool atom_chars[256] = {
	['a' ... 'z'] = true, ['A' ... 'Z'] = true, ['0' ... '9'] = true,
	['_'] = true, ['!'] = true, ['%'] = true, ['&'] = true, ['('] = true,
	[')'] = true, ['-'] = true, ['.'] = true, [':'] = true, ['<'] = true,
	['>'] = true, ['?'] = true, ['@'] = true, ['['] = true, [']'] = true,
	['^'] = true, ['`'] = true, ['|'] = true, ['~'] = true,
};

/* Does c belong to an unquoted run? */
static bool is_atom(unsigned char c)
{
	return atom_chars[c];
}

/* Can c start a $variable name? */
static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Can c continue a $variable name? */
static bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Bytes in the UTF-8 character whose first byte is c (the file is valid). */
static size_t char_len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Start lexing buf[0..len), the text of path. */
void cf_lex_init(struct cf_lexer *lx, struct cf_ctx *ctx, const char *path,
		 const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->ctx = ctx;
	lx->path = path;
	lx->p = lx->ls = buf;
	lx->end = buf + len;
	lx->line = 1;
}

/* The location of p. */
static struct cf_loc here(const struct cf_lexer *lx, const char *p)
{
	return (struct cf_loc){ lx->path, lx->line, (uint32_t)(p - lx->ls) + 1 };
}

__attribute__((format(printf, 3, 4)))
static void lex_error(struct cf_lexer *lx, const struct cf_loc *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_vdiag(lx->ctx, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
	lx->error = true;
}

/* Step over the newline at lx->p. */
static void newline(struct cf_lexer *lx)
{
	lx->p++;
	lx->line++;
	lx->ls = lx->p;
}

/* A backslash escape at lx->p, decoded into out. */
static void escape(struct cf_lexer *lx, struct strbuf *out)
{
	struct cf_loc at = here(lx, lx->p);
	const char *p = ++lx->p;
	unsigned v = 0;
	int n = 0;

	if (p == lx->end) {
		sb_addc(out, '\\');
		return;
	}
	switch (*p) {
	case '\n':
		newline(lx);	/* backslash-newline continues the line */
		return;
	case '\r':
		if (p + 1 < lx->end && p[1] == '\n') {
			lx->p++;
			newline(lx);
			return;
		}
		sb_addc(out, '\r');
		lx->p++;
		return;
	case 'a': sb_addc(out, '\a'); break;
	case 'b': sb_addc(out, '\b'); break;
	case 'f': sb_addc(out, '\f'); break;
	case 'n': sb_addc(out, '\n'); break;
	case 'r': sb_addc(out, '\r'); break;
	case 't': sb_addc(out, '\t'); break;
	case 'v': sb_addc(out, '\v'); break;
	case 'x':
		for (p++; n < 2 && p < lx->end; p++, n++) {
			char c = *p;

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				v = v * 16 + (unsigned)((c | 0x20) - 'a' + 10);
			else
				break;
		}
		lx->p = p;
		if (n == 0)
			lex_error(lx, &at, "\\x used with no following hex digits");
		else if (v == 0)
			lex_error(lx, &at, "NUL character (\\x00) in a string");
		else
			sb_addc(out, (char)v);
		lx->ctx->raw_bytes |= v >= 0x80;
		return;
	default:
		if (*p >= '0' && *p <= '7') {
			for (; n < 3 && p < lx->end && *p >= '0' && *p <= '7'; p++, n++)
				v = v * 8 + (unsigned)(*p - '0');
			lx->p = p;
			if ((v & 0xff) == 0)
				lex_error(lx, &at, "NUL character (\\0) in a string");
			else
				sb_addc(out, (char)(v & 0xff));
			lx->ctx->raw_bytes |= (v & 0xff) >= 0x80;
			return;
		}
		/* Any other character stands for itself. */
		n = (int)char_len((unsigned char)*p);
		if (p + n > lx->end)
			n = (int)(lx->end - p);
		sb_addn(out, p, (size_t)n);
		lx->p = p + n;
		return;
	}
	lx->p++;
}

/* Record a variable reference at the current end of w's text. */
static void add_var(struct cf_lexer *lx, struct cf_word *w, const char *name, size_t len,
		    const struct cf_loc *at)
{
	w->vars = xgrow(w->vars, &w->capvars, w->nvars + 1, sizeof(*w->vars));
	w->vars[w->nvars++] = (struct cf_var){
		.name = cf_name_get(lx->ctx, name, len),
		.pos = (uint32_t)w->text.len,
		.line = at->line,
		.col = at->col,
	};
	w->npieces++;
}

/* A variable at lx->p ('$'), in a double-quoted string or not. A '$' that
 * starts no variable is a plain character. */
static void variable(struct cf_lexer *lx, struct cf_word *w, bool dq)
{
	struct cf_loc at = here(lx, lx->p);
	const char *p = lx->p + 1;

	if (p < lx->end && is_ident_start(*p)) {
		const char *s = p;

		while (p < lx->end && is_ident(*p))
			p++;
		lx->p = p;
		add_var(lx, w, s, (size_t)(p - s), &at);
		return;
	}
	if (p >= lx->end || *p != '{') {
		sb_addc(&w->text, '$');
		lx->p++;
		if (!dq)
			w->npieces++;
		return;
	}
	lx->p = p + 1;
	sb_reset(&lx->name);
	for (;;) {
		char c = lx->p < lx->end ? *lx->p : '\0';

		if (lx->p == lx->end || c == '\n' || c == '{' || (dq && c == '"')) {
			lex_error(lx, &at, "unterminated variable (missing '}')");
			return;
		}
		if (c == '}')
			break;
		if (c == '\\')
			escape(lx, &lx->name);
		else
			sb_addc(&lx->name, *lx->p++);
	}
	lx->p++;
	if (lx->name.len == 0) {
		lex_error(lx, &at, "empty variable name \"${}\"");
		return;
	}
	add_var(lx, w, lx->name.s, lx->name.len, &at);
}

/* A quoted string at lx->p. Single quotes take no variables. An
 * unterminated string is reported at its quote; lexing goes on at the end
 * of that line, as FreeBSD does. */
static void quoted(struct cf_lexer *lx, struct cf_word *w)
{
	char q = *lx->p;
	const char *save_p = lx->p, *save_ls = lx->ls;
	uint32_t save_line = lx->line;
	struct cf_loc at = here(lx, lx->p);

	lx->p++;
	w->npieces++;
	for (;;) {
		if (lx->p == lx->end) {
			lex_error(lx, &at, "unterminated string (missing %c)", q);
			lx->p = save_p;
			lx->ls = save_ls;
			lx->line = save_line;
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			return;
		}
		if (*lx->p == q) {
			lx->p++;
			return;
		}
		if (*lx->p == '\\') {
			escape(lx, &w->text);
		} else if (q == '"' && *lx->p == '$') {
			variable(lx, w, true);
		} else if (*lx->p == '\n') {
			sb_addc(&w->text, '\n');
			newline(lx);
		} else {
			const char *s = lx->p;

			while (lx->p < lx->end && *lx->p != q && *lx->p != '\\' && *lx->p != '\n' &&
			       !(q == '"' && *lx->p == '$'))
				lx->p++;
			sb_addn(&w->text, s, (size_t)(lx->p - s));
		}
	}
}

/* A word: pieces written without whitespace between them. */
static void word(struct cf_lexer *lx, struct cf_word *w)
{
	sb_reset(&w->text);
	if (!w->text.s)
		sb_addn(&w->text, "", 0);
	w->nvars = 0;
	w->npieces = 0;
	while (lx->p < lx->end) {
		unsigned char c = (unsigned char)*lx->p;
		char next = lx->p + 1 < lx->end ? lx->p[1] : '\0';

		if (is_atom(c)) {
			const char *s = lx->p;

			while (lx->p < lx->end && is_atom((unsigned char)*lx->p))
				lx->p++;
			sb_addn(&w->text, s, (size_t)(lx->p - s));
			w->npieces++;
		} else if (c == '\\') {
			escape(lx, &w->text);
			w->npieces++;
		} else if (c == '$') {
			variable(lx, w, false);
		} else if (c == '*' || (c == '/' && next != '/' && next != '*') ||
			   (c == '+' && next != '=')) {
			sb_addc(&w->text, (char)c);
			lx->p++;
			w->npieces++;
		} else if (c == '\'' || c == '"') {
			quoted(lx, w);
		} else {
			break;
		}
	}
	w->eline = lx->line;
	w->ecol = (uint32_t)(lx->p - lx->ls) + 1;
}

/* Skip whitespace and comments. */
static void skip_space(struct cf_lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		char next = lx->p + 1 < lx->end ? lx->p[1] : '\0';

		if (c == '\n') {
			newline(lx);
		} else if (c == ' ' || c == '\t' || c == '\r') {
			lx->p++;
		} else if (c == '#' || (c == '/' && next == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '/' && next == '*') {
			struct cf_loc at = here(lx, lx->p);

			lx->p += 2;
			for (;;) {
				if (lx->p >= lx->end) {
					lex_error(lx, &at, "unterminated comment (missing */)");
					break;
				}
				if (*lx->p == '*' && lx->p + 1 < lx->end && lx->p[1] == '/') {
					lx->p += 2;
					break;
				}
				if (*lx->p == '\n')
					newline(lx);
				else
					lx->p++;
			}
		} else {
			break;
		}
	}
}

/* The next token, without the error bookkeeping of cf_lex. */
static void lex_token(struct cf_lexer *lx, struct cf_token *t)
{
	unsigned char c;

	skip_space(lx);
	t->loc = here(lx, lx->p);
	if (lx->p >= lx->end) {
		t->kind = T_EOF;
		return;
	}
	c = (unsigned char)*lx->p;
	switch (c) {
	case ';': t->kind = T_SEMI; lx->p++; return;
	case ',': t->kind = T_COMMA; lx->p++; return;
	case '=': t->kind = T_EQ; lx->p++; return;
	case '{': t->kind = T_LBRACE; lx->p++; return;
	case '}': t->kind = T_RBRACE; lx->p++; return;
	case '+':
		if (lx->p + 1 < lx->end && lx->p[1] == '=') {
			t->kind = T_PLEQ;
			lx->p += 2;
			return;
		}
		break;
	default:
		break;
	}
	if (is_atom(c) || strchr("\\$*/+'\"", c)) {
		t->kind = T_WORD;
		word(lx, &t->w);
		return;
	}
	t->kind = T_BAD;
	{
		size_t n = char_len(c);

		if (n > (size_t)(lx->end - lx->p))
			n = (size_t)(lx->end - lx->p);
		memcpy(t->bad, lx->p, n);
		t->bad[n] = '\0';
		lx->p += n;
	}
}

/* The next token, noting whether lexing it reported an error. */
void cf_lex(struct cf_lexer *lx, struct cf_token *t)
{
	lx->error = false;
	lex_token(lx, t);
	t->err = lx->error;
}
