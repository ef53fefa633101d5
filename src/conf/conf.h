/* The jail.conf(5) engine: public interface.
 *
 * conf_load() reads configuration files (or memory), resolves every jail
 * (wildcards merged, variables substituted, += applied, command-line
 * parameters last) and type-checks the result, collecting every error in a
 * struct diag. It never touches the system beyond reading files. */
#ifndef BRIG_CONF_CONF_H
#define BRIG_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>

/* Which parameter table applies: jail.conf, or networks.conf (bridges). */
enum conf_schema {
	CONF_SCHEMA_JAILS,
	CONF_SCHEMA_NETWORKS,
};

enum conf_type {
	CONF_BOOL,
	CONF_INT,
	CONF_STRING,
	CONF_LIST,
};

/* Parameter flags (struct conf_pdef.flags). */
#define CONF_PF_IGNORED 0x001	/* meaningless on Linux: accepted, noted, unused */
#define CONF_PF_BRIG 0x002	/* a brig extension, not in FreeBSD */
#define CONF_PF_JAIL8 0x004	/* a jail(8) pseudo-parameter, not a kernel one */
#define CONF_PF_NOVAR 0x008	/* jail(8) refuses a variable of this name */
#define CONF_PF_IMMUTABLE 0x010	/* set once per jail (name, jid) */
#define CONF_PF_JAILSYS 0x020	/* string "new", "inherit" or "disable";
				 * bare "vnet;" = new, "novnet;" = disable */
#define CONF_PF_CMD 0x040	/* list of commands (hooks, command) */
#define CONF_PF_SPLIT 0x080	/* command line value splits at ',' */
#define CONF_PF_READONLY 0x100	/* FreeBSD reports it but cannot set it */
#define CONF_PF_UNTRUSTED 0x200	/* may come from an untrusted source (an
				 * archive, an image): it acts only inside
				 * the jail and widens nothing the host
				 * gives; a JAILSYS one only as new or
				 * disable. Unmarked: the host's to decide. */
#define CONF_PF_KERNEL 0x400	/* a kernel parameter: jls(8) reports it, with
				 * its default when the jail did not set it */
#define CONF_PF_USERNS 0x800	/* acts only in a userns jail: set true in
				 * another, ignored on Linux (a warning) */

/* Every parameter's id, in table order: JP_ALLOW_ADJTIME ... (jail.conf),
 * NP_HOST ... (networks.conf). Code names a parameter by its id; only
 * conf/ knows the names. */
enum jparam {
#define P(id, name, type, flags, dflt, doc, linux) JP_##id,
#include "conf/params_jail.def"
#undef P
	JP__COUNT
};

enum nparam {
#define P(id, name, type, flags, dflt, doc) NP_##id,
#include "conf/params_net.def"
#undef P
	NP__COUNT
};

/* One row of a parameter table: every parameter brig knows is one row. */
struct conf_pdef {
	const char *name;
	enum conf_type type;
	unsigned flags;
	const char *dflt;	/* an unset parameter's value (NULL: none) */
	const char *doc;	/* one line for doc/conf.md and error hints */
	const char *linux;	/* what brig makes of it; for an ignored one,
				 * why (NULL in networks.conf) */
};

/* The table of a schema, sorted by name. */
const struct conf_pdef *conf_pdefs(enum conf_schema s, size_t *n);
/* The row for name, or NULL. "noX" is not resolved here. */
const struct conf_pdef *conf_pdef_find(enum conf_schema s, const char *name);
/* The row of a jail parameter's id. */
const struct conf_pdef *conf_jparam(enum jparam id);

/* One resolved parameter of one jail. For CONF_BOOL the single value is
 * "true" or "false"; CONF_INT a decimal integer; CONF_STRING one value;
 * CONF_LIST zero or more values. values[nvalues] is NULL (an argv). */
struct conf_param {
	const char *name;
	enum conf_type type;
	bool ignored;		/* FreeBSD-only: accepted, meaningless on Linux */
	char **values;
	size_t nvalues;
	const struct conf_pdef *def;	/* its row in the parameter table */
	const char *file;	/* where it was last set (NULL: command line) */
	int line, col;
};

struct conf_jail {
	char *name;		/* always set: its name parameter */
	/* What jail(8) calls it in its messages: the block's label ("5309"
	 * for "5309 { name = web; }"), the name on the command line, NULL
	 * for a command-line jail without a name. */
	const char *label;
	struct conf_param *params;	/* in first-set order, "name" first */
	size_t nparams;
	const char *file;	/* where the jail's block starts (NULL: command line) */
	int line, col;
	/* With conf_source.isolate: the first error of this jail's own
	 * configuration (a complete diagnostic line), NULL if it has none;
	 * such a jail cannot be started, the others can. */
	const char *error;
	size_t nerrors;		/* how many errors it has */
};

struct conf {
	struct conf_jail *jails;	/* definition order, wildcards excluded */
	size_t njails;
	void *priv;		/* engine internals (owned storage) */
};

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
};

struct diag_msg {
	enum diag_level level;
	/* Complete and printed as is, gcc style:
	 * "FILE:LINE:COL: error: MESSAGE", "JAIL: PARAM: error: MESSAGE",
	 * "FILE:LINE:COL: note: MESSAGE". */
	char *text;
};

struct diag {
	struct diag_msg *msgs;
	size_t n, cap;
	size_t nerrors;
};

/* One in-memory file, for tests and the fuzzer. */
struct conf_memfile {
	const char *path;
	const char *data;
	size_t len;
};

struct conf_source {
	enum conf_schema schema;
	/* Exactly one of these: */
	const char *file;	/* a file path, "-" for stdin */
	/* A directory: jail.conf (if present) and every jail.conf.d/\*.conf
	 * in name order, except those another file includes (they count
	 * where they are included). networks.conf(.d) for the networks
	 * schema. */
	const char *confdir;
	const struct conf_memfile *mem;	/* in-memory file set; mem[0] is the main file */
	size_t nmem;
	/* Command-line parameters ("name=value", "name+=value", "name"),
	 * applied after the files to every jail selected. With no file,
	 * confdir or mem, they define one jail by themselves (jail(8)'s
	 * "jail -c name=x path=/ ..."); name= (or jid=) is then required. */
	char *const *cmdline;
	size_t ncmdline;
	/* With confdir: one more file of jail.conf.d, in memory, read after
	 * the others (the file brig create is about to write there). */
	const struct conf_memfile *extra;
	/* Check every jail but keep only its name and place (params is
	 * empty; conf_jail works); get the jails resolved
	 * one at a time with conf_each(). For commands that go through many
	 * jails once (config check/show): the memory of one jail, not all. */
	bool lazy;
	/* Configuration isolation, as FreeBSD's rc.d/jail reads each
	 * jail.conf.d/NAME.conf for its own jail: an error that belongs to
	 * jails (inside a jail's block, in a file its block includes, at the
	 * top of the file that defines it, in a wildcard that applies to it,
	 * a whole broken file: its jails) marks those jails (conf_jail.error)
	 * instead of failing the load; a file of jail.conf.d that cannot be
	 * read or parsed into a block stands for the jail its name says. Only
	 * an error that belongs to no file (the command line, an include
	 * loop) fails the load. Every error is still in the diag. */
	bool isolate;
};

/* Load and resolve. Returns 0 and *out on success; -1 when d has errors
 * (then *out is NULL), unless src->isolate placed them all on jails.
 * Warnings and notes may be present either way. A depend on a jail that
 * is not defined is a warning: that jail fails to start (jail(8)). */
int conf_load(const struct conf_source *src, struct conf **out, struct diag *d);
void conf_free(struct conf *c);

/* Lookups on a resolved jail. */
const struct conf_param *conf_param(const struct conf_jail *j, const char *name);
/* Last value of a string/int/bool parameter, or NULL if unset. */
const char *conf_str(const struct conf_jail *j, const char *name);
/* true for "true" and for a jailsys "new"; false for "false", "disable"
 * and "inherit"; dflt if unset. */
bool conf_bool(const struct conf_jail *j, const char *name, bool dflt);
long long conf_int(const struct conf_jail *j, const char *name, long long dflt);
const struct conf_jail *conf_jail(const struct conf *c, const char *name);

/* A configuration from an untrusted source (an export archive's jail.conf,
 * later an image's or a compose file's): one jail's block, reduced to the
 * parameters marked CONF_PF_UNTRUSTED. Never reads a file: .include is
 * not followed. Dropped, each a DIAG_WARNING at its FILE:LINE:COL: every
 * statement outside the block, every other block (wildcards, nested ones),
 * every .include, every parameter without the mark, and a JAILSYS
 * parameter whose value (variables substituted) is "inherit". */
struct conf_untrusted {
	const char *path;	/* names the text in messages */
	const char *text;
	size_t len;
	const char *jail;	/* the block taken */
	const char *name;	/* the jail's name from now on (NULL: jail) */
	/* "param=value" set by the caller (e.g. path), trusted, applied last. */
	char *const *trusted;
	size_t ntrusted;
};

/* 0 and *out (one jail, resolved and checked); -1 with the errors in d
 * (the text is not jail.conf, has no block `jail`, or what is kept does
 * not resolve). */
int conf_load_untrusted(const struct conf_untrusted *u, struct conf **out, struct diag *d);

/* exec.restart (a brig extension), as Docker's --restart: "no", or
 * "on-failure" (a status other than 0, or killed) or "always", each with
 * an optional ":MAX" (at most MAX restarts in a row; 0 or none: no
 * limit). NULL (unset) is "no". */
/* jail(8)'s shell metacharacters: a command of exec.* or `command` holding
 * one runs under /bin/sh -c, any other is split at blanks and executed
 * directly (core/hook.c; store/image_conf.c writes an image's command so). */
#define CONF_SHELL_CHARS "!\"$&'()*;<>?[\\]`{|}~"

enum conf_restart { CONF_RESTART_NO, CONF_RESTART_ON_FAILURE, CONF_RESTART_ALWAYS };
/* 0 and *mode, *max; -1 if s is none of these. */
int conf_restart_parse(const char *s, enum conf_restart *mode, long *max);
/* quota (a brig extension): bytes, or a number with a suffix k, m, g or t
 * (either case; powers of 1024, as rctl(8) and zfs(8) take them); "" and
 * "none": no limit (*bytes 0). 0 and *bytes; -1 if s is none of these, or
 * 0, or past 2^63. */
int conf_size_parse(const char *s, long long *bytes);

/* Validate a jail name (also used for templates and snapshots): returns NULL
 * if fine, else a static reason ("contains '/'", ...). */
const char *conf_name_invalid(const char *name);
/* Hierarchical jails (FreeBSD's a.b: the child b of jail a): the length
 * of name's parent's name (up to its last dot), 0 for a jail of the
 * host's; and whether name is below ancestor (a child, a grandchild...). */
size_t conf_name_parent_len(const char *name);
bool conf_name_below(const char *name, const char *ancestor);

/* Call fn for each jail (all, or those with pick[i]), in definition order;
 * after a lazy load each is resolved for the call and valid only during
 * it (one conf_each at a time per struct conf: it uses the load's scratch
 * memory). Stops at, and returns, the first non-zero fn result. */
int conf_each(const struct conf *c, const bool *pick,
	      int (*fn)(void *arg, const struct conf_jail *j), void *arg);

/* Output of `brig config show`: one jail as a JSON object
 * {"name": ..., "params": {...}} (bools as booleans, lists as arrays,
 * the rest as strings), or as a jail.conf block that loads back to the
 * same jail. */
struct json;
struct strbuf;
void conf_jail_json(const struct conf_jail *j, struct json *w);
void conf_jail_text(const struct conf_jail *j, struct strbuf *out);
/* s as a jail.conf double-quoted string whose value is s itself: '"',
 * '\\' and '$' escaped (nothing expands), control characters and bytes
 * that are not UTF-8 as \xNN (what brig writes into jail.conf files). */
void conf_quote(struct strbuf *out, const char *s);

/* Diagnostics. */
void diag_add(struct diag *d, enum diag_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_free(struct diag *d);

#endif
