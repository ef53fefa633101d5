/* The jail.conf engine's private header: one context, the arena, interned
 * names, the syntax tree of a file, the jail blocks built from it.
 *
 * The pipeline (conf_load): read + parse every file once (source.c, lex.c,
 * parse.c), splice .include files into jail blocks (walk.c), resolve each
 * jail (resolve.c), then type-check the result in a pass of its own
 * (check.c). Everything lives in one arena owned by the struct conf. */
#ifndef BRIG_CONF_CF_H
#define BRIG_CONF_CF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "util/strbuf.h"

struct cf_ctx;

/* Limits. Each refuses input cleanly instead of exhausting memory. */
#define CF_FILE_MAX (16u << 20)		/* bytes per file */
#define CF_TOTAL_MAX (64u << 20)	/* bytes of all files together */
#define CF_EXCERPT_MAX 40		/* bytes of a file's text quoted in a message */
#define CF_EXPAND_MAX (64u << 20)	/* bytes produced by substitution */
#define CF_INCLUDE_DEPTH 32		/* nested .include, as FreeBSD */
#define CF_BLOCK_DEPTH 32		/* nested jail blocks */
#define CF_VAR_DEPTH 256		/* variables referring to variables */
#define CF_MAX_ERRORS 10000		/* then "too many errors" */
#define CF_SPLICE_MAX 4000000u		/* statements after includes */

/* ---- the typed model (model.c) ---- */
struct jail_def;
struct jail_set;
struct conf_pos;
struct jval;
/* A model named name with every parameter at its default; its arena (for
 * a producer's values); derive what several values give, once all are set. */
struct jail_def *cf_def_new(const char *name, const struct conf_pos *at);
struct cf_arena *cf_def_arena(struct jail_def *d);
/* d's value of id, to write (set; its own, not the shared default). */
struct jval *cf_def_val(struct jail_def *d, enum jparam id);
void cf_def_finish(struct jail_def *d);
void cf_jail_set_free(struct jail_set *s);

/* ---- arena: bump allocation, freed all at once ---- */
struct cf_chunk;
struct cf_arena {
	struct cf_chunk *chunks;
	char *cur, *end;
	size_t next;		/* size of the next chunk */
	bool heap;		/* chunks from malloc: for small, many arenas
				 * (a model each), where a mapping each costs */
};
void *cf_alloc_slow(struct cf_arena *a, size_t n);

/* n bytes, 8-aligned (all the engine needs), uninitialised: a bump of
 * the current chunk, inline (600,000 calls for 10,000 jails). */
static inline void *cf_alloc(struct cf_arena *a, size_t n)
{
	size_t k = (n + 7) & ~(size_t)7;
	char *p = a->cur;

	if (n == 0 || k < n || !p || (size_t)(a->end - p) < k)
		return cf_alloc_slow(a, n);
	a->cur = p + k;
	return p;
}

/* n zeroed bytes. */
static inline void *cf_zalloc(struct cf_arena *a, size_t n)
{
	return memset(cf_alloc(a, n), 0, n);
}

/* A NUL-terminated copy of s[0..n). */
static inline char *cf_strndup(struct cf_arena *a, const char *s, size_t n)
{
	char *p = cf_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
void cf_arena_free(struct cf_arena *a);
void cf_arena_rewind(struct cf_arena *a);

/* ---- interned names: parameters, variables and jails ---- */
struct cf_name {
	const char *s;
	uint32_t len;
	uint32_t hash;
	/* As a parameter name (computed on first use, see cf_name_param). */
	bool param_done;
	bool neg;			/* reached canon by dropping a "no" */
	const struct conf_pdef *def;	/* of canon; NULL: unknown */
	struct cf_name *canon;		/* the table's spelling */
	/* Scratch while one jail is resolved (-1: unset). */
	int32_t pslot;			/* the parameter entry */
	int32_t vslot;			/* the variable entry */
	bool varset;			/* a variable with this parameter's name is set */
	/* As a jail name: index in conf->jails, -1 if none. */
	int32_t jail;
	/* As the path of an included file: the file, once read. */
	struct cf_file *file;
	/* As the first component of wildcards ("web" of "web.*"): their
	 * index in ctx->wlists, -1 if none. */
	int32_t wlist;
};

struct cf_names {
	struct cf_name **tab;
	size_t cap, n;
	struct cf_name *recent[64];	/* the same names come back often */
};
struct cf_name *cf_name_get(struct cf_ctx *ctx, const char *s, size_t len);
struct cf_name *cf_name_find(const struct cf_names *t, const char *s);
struct cf_name *cf_name_findn(const struct cf_names *t, const char *s, size_t len);
void cf_names_reserve(struct cf_names *t, size_t more);
/* Fill the parameter fields of n (def, canon, neg); returns n->canon. */
struct cf_name *cf_name_param(struct cf_ctx *ctx, struct cf_name *n);

/* ---- the parameter table ---- */
const struct conf_pdef *cf_pdef_lookup(enum conf_schema s, const char *name, size_t len);
/* The closest known name to an unknown one, or NULL. */
const char *cf_pdef_suggest(enum conf_schema s, const char *name);

/* ---- locations and diagnostics ---- */
struct cf_loc {
	const char *path;	/* NULL: command line */
	uint32_t line, col;	/* line 0: the whole file */
};
void cf_diag(struct cf_ctx *ctx, enum diag_level lvl, const struct cf_loc *loc,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void cf_vdiag(struct cf_ctx *ctx, enum diag_level lvl, const struct cf_loc *loc,
	      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* An error about a jail at loc: "FILE:L:C: error: JAIL: [WHAT: ]MESSAGE". */
void cf_vjail_error(struct cf_ctx *ctx, const struct cf_loc *loc, const char *jail,
		    const char *what, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
/* Quote s for a message: "..." with control characters escaped. */
const char *cf_q(struct cf_ctx *ctx, const char *s);
/* cf_q of at most max bytes of s (cut at a character's start), followed
 * by "..." when s is longer: for text of a file in a message. */
const char *cf_qn(struct cf_ctx *ctx, const char *s, size_t max);

/* ---- the syntax tree of one file ---- */
struct cf_var {
	struct cf_name *name;
	uint32_t pos;		/* where it is inserted in the text */
	uint32_t line, col;
};

/* One value: text with variables to insert at positions. */
struct cf_str {
	const char *s;
	uint32_t len;
	uint32_t nvars;
	const struct cf_var *vars;
};

enum {
	CF_S_VAR = 1,		/* $name = ...: a variable */
	CF_S_APPEND = 2,	/* += */
	CF_S_NEG = 4,		/* written with the "no" prefix */
	CF_S_BAD = 8,		/* already reported: not applied */
};

struct cf_stmt {
	struct cf_name *name;	/* parameter: canonical; variable: its name */
	const struct conf_pdef *def;	/* NULL for variables */
	uint32_t flags;
	uint32_t nvals;
	const struct cf_str *vals;
	struct cf_loc loc;
};

enum cf_node_kind { CF_N_STMT, CF_N_BLOCK, CF_N_INCLUDE };

struct cf_file;

/* An .include: its patterns, and the files they name (cf_expand_includes). */
struct cf_include {
	const char **pats;
	size_t npats;
	struct cf_file **files;
	size_t nfiles;
	bool expanded;
	bool reported;		/* depth/cycle error said once */
};

/* One item of a file: a statement, a jail block, or an .include. */
struct cf_node {
	enum cf_node_kind kind;
	union {
		struct cf_stmt stmt;
		struct {
			const char *name;	/* the label as written */
			struct cf_node **items;
			size_t n;
			struct cf_loc loc;
			struct cf_loc end;	/* its '}' (or the end of the file) */
		} block;
		struct {
			struct cf_include *inc;
			struct cf_loc loc;
		} include;
	};
};

/* One configuration file, read and parsed once however often included. */
struct cf_file {
	const char *path;	/* as named (for messages) */
	const char *dir;	/* prefix for relative includes: "" or ".../" */
	dev_t dev;
	ino_t ino;
	long mem;		/* index in the memory set, -1 for real files */
	struct cf_node **items;
	size_t nitems;
	bool included;		/* some other file includes it */
	bool walked;		/* its statements were spliced somewhere */
	bool on_stack;		/* being walked: an include of it is a cycle */
	bool scanned;		/* its includes were expanded */
	/* Isolation (taint.c): the first error of the file and the files it
	 * includes (any), and of its top level and top-level includes (top);
	 * -1 if none; state 0 new, 1 being computed, 2 done. */
	int32_t any_err, top_err;
	uint8_t any_state, top_state;
};

/* An error met while reading and parsing a file, for isolation. */
struct cf_perr {
	struct cf_file *file;
	uint32_t line, col;
	int32_t msg;		/* index in the diag */
	bool whole;		/* the whole file is in doubt (missing '}', bad UTF-8) */
	bool top;		/* outside every top-level block of the file */
};

/* ---- jail blocks: every jail and wildcard, in file order ---- */
struct cf_block {
	const char *name;	/* id->s */
	struct cf_name *id;
	struct cf_name *first;	/* its first component ("a" of a.b.c) */
	struct cf_loc loc;
	uint32_t seq;
	bool wild;
	bool unnamed;		/* a command-line jail with jid= and no name= */
	/* Its statements: those of its block in the syntax tree (the .include
	 * files in it followed), or a list (global parameters, command line). */
	const struct cf_node *node;
	const struct cf_stmt **stmts;
	size_t n, cap;
	int32_t taint;		/* isolation: the first error it is in, -1 none */
};

/* ---- the whole load ---- */
struct cf_ctx {
	const struct conf_source *src;
	enum conf_schema schema;
	struct diag *d;
	struct jail_set *set;		/* conf_jail_set(), built once */
	struct cf_arena arena;		/* lives as long as the struct conf */
	struct cf_arena tmp;		/* per-jail scratch */
	struct cf_names names;
	bool too_many;			/* error cap reached */

	struct cf_file **files;		/* every file read, in reading order */
	size_t nfiles, capfiles;
	struct cf_file **byid;		/* hash on (dev, ino) or memory index */
	size_t capbyid;
	size_t total_bytes;

	struct cf_block **blocks;	/* definition order, wildcards included */
	size_t nblocks, capblocks;
	struct cf_block *global;	/* the wildcard made of global params */
	/* The wildcard blocks in order: those starting with "*", and the
	 * others by their first component, so that a jail meets only the
	 * wildcards that may match it. */
	const struct cf_block **wild_any;
	size_t nwild_any, nwild;
	struct cf_wlist {
		const struct cf_block **v;
		size_t n, cap;
	} *wlists;
	size_t nwlists, capwlists;
	bool lazy;			/* keep only names and depend (conf_source.lazy) */
	struct cf_arena *out;		/* where resolved values go */
	struct cf_name **jail_ids;	/* each jail's name, interned */
	struct cf_deps {		/* each jail's depend, interned */
		struct cf_name **v;
		uint32_t n;
		int line, col;		/* where depend was set */
		const char *path;
	} *deps;
	struct cf_name *n_name, *n_jid;	/* the parameters a label sets */
	const struct conf_pdef *d_depend;
	struct cf_block *cmdline;	/* command-line params, applied last */
	struct cf_rctl {		/* rctl.conf's rules (rctl_conf.c) */
		struct cf_name *jail;
		struct cf_stmt st;	/* rctl += "RESOURCE:ACTION=AMOUNT" */
	} *rctl;
	size_t nrctl, caprctl;
	uint32_t *rctl_by_jail;		/* rctl's indices by jail, then file order */
	struct cf_file **stack;		/* include stack while walking */
	size_t depth;
	size_t spliced;			/* statements met by the walk */
	size_t nblocknodes;		/* jail blocks parsed (names to come) */
	bool broken;			/* includes loop, nest or grow too much */
	/* Some text no UTF-8 check has passed may be in a value: a byte of
	 * 0x80 or more from an escape (\x, octal), a command-line parameter
	 * or rctl.conf. Without it every value is valid UTF-8 by
	 * construction (files are checked whole, values are made of their
	 * characters), and check.c does not scan each value again. */
	bool raw_bytes;
	struct cf_pscratch *pscratch;	/* cf_parse's buffers, kept between files */

	/* Isolation: where an error belongs while it is reported. */
	struct cf_file *pfile;		/* the file being parsed or scanned */
	bool pwhole;			/* the error puts the whole file in doubt */
	int32_t cur_jail;		/* the jail being resolved or checked, -1 */
	int32_t *jerr;			/* per jail: its first error, -1 */
	uint32_t *jnerr;		/* per jail: how many */
	struct cf_perr *perrs;		/* errors of reading and parsing */
	size_t nperrs, capperrs, nmarked;
	bool root_pending;		/* reading a root file: errors go to root_err */
	int32_t root_err;
	struct cf_unread {		/* jail.conf.d files that could not be read */
		const char *path;
		int32_t err;
	} *unread;
	size_t nunread, capunread;
	size_t nglobal;			/* errors that belong to no jail or file */

	size_t expanded;		/* bytes made by substitution so far */
	struct strbuf qbuf[4];		/* cf_q's rotating buffers */
	struct strbuf path;		/* scratch for include paths */
	char *rbuf;			/* the text of the file being read */
	size_t caprbuf;
	int kept[32];			/* files read whole, closed together */
	size_t nkept;
	unsigned qi;
	/* jail.conf.d's listing (its .conf files, sorted), kept until the
	 * includes are expanded: a glob of that folder uses it. */
	struct cf_listing {
		struct cf_dent *v;
		char *pool;
		size_t n;
		dev_t dev;
		ino_t ino;
	} confd;
};

/* conf.c */
/* The command-line parameters (src->cmdline) as a block applied last. */
struct cf_block *cf_cmdline_block(struct cf_ctx *ctx);
/* Free what only the load needed (after cf_resolve and cf_check_all). */
void cf_ctx_trim(struct cf_ctx *ctx);

/* rctl_conf.c: DIR/rctl.conf and DIR/rctl.conf.d/\*.conf, read before the
 * jails are resolved; then every rule's jail checked (after the names). */
void cf_rctl_load(struct cf_ctx *ctx, const char *dir);
void cf_rctl_check(struct cf_ctx *ctx);

/* source.c */
struct cf_file *cf_load_root(struct cf_ctx *ctx, const char *path);
/* A root file given in memory (conf_source.extra); NULL if too large. */
struct cf_file *cf_load_text(struct cf_ctx *ctx, const struct conf_memfile *m);
void cf_expand_includes(struct cf_ctx *ctx);
/* DIR/BASE.conf (*main, NULL if absent) and DIR/BASE.conf.d/\*.conf in
 * name order (returned, malloc'd, *n of them). */
struct cf_file **cf_confdir_files(struct cf_ctx *ctx, const char *dir, const char *base,
				  struct cf_file **main, size_t *n);
bool cf_utf8_check(struct cf_ctx *ctx, const char *path, const char *buf, size_t len);

/* An entry of a folder, as getdents64(2) tells it. */
struct cf_dent {
	char *name;
	ino_t ino;
	unsigned char type;	/* DT_REG, DT_LNK, DT_UNKNOWN... */
};

/* prefetch.c: a thread reading two of every three entries from..n of
 * the open folder dfd ahead of the loader (NULL: not worth it, fewer
 * than CF_PREFETCH_MIN files or one CPU). take: the text of entry i (NUL-
 * terminated, valid until end) if the thread read it whole, else false:
 * the caller reads it itself. end: stop the thread, free the texts. */
#define CF_PREFETCH_MIN 512
/* The least number of files for the thread: CF_PREFETCH_MIN; tests set
 * it (SIZE_MAX: never, 1: always) to compare the two paths' loads. */
extern size_t cf_prefetch_min;
/* Tests only: called with jail.conf.d's descriptor once it is listed,
 * before its files are read (to change the folder in between). */
extern void (*cf_listed_hook)(int dfd);
struct cf_prefetch *cf_prefetch_start(int dfd, const struct cf_dent *v, size_t from, size_t n);
bool cf_prefetch_take(struct cf_prefetch *p, size_t i, const char **text, size_t *len);
void cf_prefetch_end(struct cf_prefetch *p);
/* Length of the valid multi-byte UTF-8 sequence at s (n bytes left), or 0. */
size_t cf_utf8_seq(const unsigned char *s, size_t n);

/* parse.c */
void cf_parse(struct cf_ctx *ctx, struct cf_file *f, const char *buf, size_t len);
/* Free what cf_parse keeps from one file to the next. */
void cf_parse_scratch_free(struct cf_ctx *ctx);
/* A parameter statement from the command line ("name=value" ...). */
const struct cf_stmt *cf_parse_cmdline(struct cf_ctx *ctx, const char *arg);

/* walk.c */
void cf_walk_root(struct cf_ctx *ctx, struct cf_file *f);
struct cf_block *cf_block_new(struct cf_ctx *ctx, const char *name, size_t len,
			      const struct cf_loc *loc, const struct cf_node *node,
			      struct cf_name *first);
void cf_block_add(struct cf_ctx *ctx, struct cf_block *b, const struct cf_stmt *st);
bool cf_wild_name(const char *name);
bool cf_wild_match(const char *jail, const char *wild);

/* taint.c: isolation. Which error of reading and parsing a top-level
 * block node is in (walked with the include stack as it is now), -1. */
int32_t cf_taint_top(struct cf_ctx *ctx, const struct cf_node *n);
/* The jail.conf.d files with errors (roots, and those that could not be
 * read) that define no jail of their name: a jail of that name each,
 * marked by the file's first error (isolate only). */
void cf_taint_phantoms(struct cf_ctx *ctx, struct cf_file **roots, size_t n);
/* Copy each jail's first error into it (conf_jail.error). */
void cf_taint_finish(struct cf_ctx *ctx, struct conf *c);

/* resolve.c: every jail resolved and checked (cf_check_jail) in turn. */
void cf_resolve(struct cf_ctx *ctx, struct conf *c);

/* check.c: a resolved jail's values against their types, then what
 * involves all jails (names, duplicates, depend). */
void cf_check_jail(struct cf_ctx *ctx, struct conf_jail *j);
void cf_check_all(struct cf_ctx *ctx, struct conf *c);
/* "true", "false" (any case) or an integer (non-zero is true). */
bool cf_parse_bool(const char *s, bool *v);

#endif
