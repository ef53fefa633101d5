/* The jail.conf lexer, as FreeBSD's jaillex.l sees the language: words made
 * of pieces written without whitespace between them (unquoted runs, 'single'
 * and "double" quoted strings, backslash escapes, $variables), the
 * punctuation ; , = += { }, and comments (#, //, and C style). */
#ifndef BRIG_CONF_LEX_H
#define BRIG_CONF_LEX_H

#include "conf/cf.h"

enum cf_tok {
	T_EOF,
	T_WORD,
	T_SEMI,
	T_COMMA,
	T_EQ,
	T_PLEQ,
	T_LBRACE,
	T_RBRACE,
	T_BAD,		/* a character that starts nothing */
};

/* One word: its text (escapes decoded) and the variables inserted in it. */
struct cf_word {
	struct strbuf text;
	struct cf_var *vars;
	size_t nvars, capvars;
	unsigned npieces;	/* a name must be one piece */
	uint32_t eline, ecol;	/* just after its last character */
};

struct cf_token {
	enum cf_tok kind;
	struct cf_loc loc;
	struct cf_word w;	/* T_WORD */
	char bad[8];		/* T_BAD: the character */
	bool err;		/* a lexical error was reported in it */
};

struct cf_lexer {
	struct cf_ctx *ctx;
	const char *path;
	const char *p, *end;
	const char *ls;		/* start of the current line */
	uint32_t line;
	bool error;		/* a lexical error in the current token */
	struct strbuf name;	/* scratch for ${...} names */
};

void cf_lex_init(struct cf_lexer *lx, struct cf_ctx *ctx, const char *path,
		 const char *buf, size_t len);
/* The next token into t (t->w is reused). */
void cf_lex(struct cf_lexer *lx, struct cf_token *t);

#endif
