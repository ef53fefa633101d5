/* The FreeBSD front-ends (jail, jls, jexec): what their pieces share, and
 * the pure parts (argument parsing, formatting) the unit tests reach. */
#ifndef BRIG_CLI_FE_H
#define BRIG_CLI_FE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/model.h"
#include "core/core.h"
#include "util/err.h"
#include "util/strbuf.h"

/* ---- Jail parameters as the FreeBSD kernel reports them (fe_kparams.c) */

enum kp_type {
	KP_BOOL,	/* "true" / "false"; jls -n prints NAME or noNAME */
	KP_INT,
	KP_STR,
	KP_SYS,		/* jailsys: "new", "inherit" or "disable" */
	KP_IPLIST,	/* ip4.addr, ip6.addr: a list of addresses */
};

/* One parameter value of one jail. */
struct kp_value {
	enum kp_type type;
	const char *str;		/* scalar types; never NULL */
	char *const *list;		/* KP_IPLIST */
	size_t nlist;
	char buf[24];			/* storage for a number */
};

/* The kernel parameters (the rows of conf's table marked KERN) in jls's
 * "all" order: top-level names first, each group sorted by name. */
size_t kp_count(void);
enum jparam kp_id(size_t i);
const char *kp_name(size_t i);
/* The id of a jail.conf parameter named on jls's command line, or -1. */
int kp_find(const char *name);
/* Read-only in the kernel: jls -s leaves it out. */
bool kp_readonly(enum jparam id);
/* The value jls prints for parameter id of jail j: what the jail recorded
 * at start, else for a kernel parameter its default (the table's, or
 * computed: doc/frontends.md lists them). False for a parameter that is
 * not a kernel one and that j did not record. */
bool kp_value(const struct core_jail *j, enum jparam id, struct kp_value *out);
/* What the running jail j recorded for id at start, or NULL: the one
 * place cli reads a running jail's parameters. */
const char *kp_recorded(const struct core_jail *j, enum jparam id);
/* "persist" -> "nopersist", "allow.mount" -> "allow.nomount" (caller frees). */
char *kp_noname(const char *name);

/* ---- A libxo-shaped JSON writer (fe_xo.c) */

/* FreeBSD tools print JSON through libxo: compact output puts ": " after
 * container and list names but ":" after leaf names, ", " between
 * containers and "," between leaves; pretty output indents by two. */
struct xo {
	struct strbuf *out;
	bool pretty;
	int depth;
	bool not_first[16];
	char closer[16];
};

/* Start the top-level object, with libxo's "__version" when given. */
void xo_begin(struct xo *x, struct strbuf *out, bool pretty, const char *version);
/* Open a container ('{') or a list ('['), named unless inside a list. */
void xo_open(struct xo *x, const char *name, char bracket);
/* Close the innermost open container or list. */
void xo_close(struct xo *x);
/* A leaf: a quoted string, or (quote == false) a number as is. */
void xo_leaf(struct xo *x, const char *name, const char *value, bool quote);
/* A string inside an open list. */
void xo_list_item(struct xo *x, const char *value);
/* Close everything still open and end the line. */
void xo_end(struct xo *x);

/* ---- jls (fe_jls_fmt.c, fe_jls.c) */

enum {
	JLS_DEFAULT = 0x01,
	JLS_HEADER = 0x02,
	JLS_NAMEVAL = 0x04,
	JLS_QUOTED = 0x08,
	JLS_SKIP = 0x10,
	JLS_VERBOSE = 0x20,
	JLS_JAIL_NAME = 0x40,
};

struct jls_opts {
	unsigned pflags;	/* JLS_* as jls(8)'s flags combine them */
	const char *jail;	/* -j: name or JID */
	bool check;		/* -c: exit status only */
	bool json;		/* --libxo json */
	bool pretty;		/* --libxo json,pretty */
	char **params;		/* named parameters (into argv) */
	size_t nparams;
};

/* Parse jls's arguments (argv[0] is the program). Returns 0, or -1 with e
 * set ("usage: ..." for a bad option). */
int jls_parse(int argc, char **argv, struct jls_opts *o, struct brig_err *e);
/* Print the jails as jls(8) would into out; -1 and e for an unknown
 * parameter. */
int jls_format(const struct jls_opts *o, const struct core_jail *v, size_t n,
	       struct strbuf *out, struct brig_err *e);

/* ---- jail (fe_jail_args.c, fe_jail.c) */

enum jail_op {
	JAIL_OP_CREATE = 0x1,	/* -c */
	JAIL_OP_REMOVE = 0x2,	/* -r, -R */
	JAIL_OP_MODIFY = 0x4,	/* -m */
};

struct jail_args {
	unsigned op;		/* JAIL_OP_* */
	bool rflag_raw;		/* -R: remove without configuration */
	int verbose;		/* -1: -q or -i; 0; 1: -v (jail(8)'s verbose) */
	bool print_jid;		/* -i */
	const char *conf_file;	/* -f */
	const char *jid_file;	/* -J */
	int parallel;		/* -p N; 0: not given or -p 0 (no limit) */
	bool from_params;	/* jail described by param=value arguments */
	bool old_style;		/* ... by jail(8)'s oldest form: path hostname ip command */
	char **params;		/* from_params: "name=value" for conf (owned) */
	size_t nparams;
	char **names;		/* otherwise: jails named (into argv) */
	size_t nnames;
};

/* Parse jail's arguments as jail(8) does. Returns 0, or -1 with e set
 * (the usage text for misuse). */
int jail_parse(int argc, char **argv, struct jail_args *a, struct brig_err *e);
/* What jail(8) gives a jail created from param=value arguments that the
 * arguments leave out: without name= or jid=, the JID free_jid() returns
 * (called only then: the jail is named by it, as the kernel names it);
 * without path=, "/" (the kernel's root for a jail without one). */
void jail_args_complete(struct jail_args *a, int (*free_jid)(void));
void jail_args_free(struct jail_args *a);
/* jail(8) -J: "jid=N name=value ..." for a created jail (no newline). */
void jail_format_jidfile(struct strbuf *out, int jid, const struct conf_jail *cj);
/* The same for the oldest form: "JID\tPATH\tHOSTNAME\tIP,...\tCOMMAND". */
void jail_format_jidfile_old(struct strbuf *out, int jid, const struct conf_jail *cj);

/* ---- jexec (fe_jexec.c) */

struct jexec_args {
	bool login;		/* -l */
	const char *host_user;	/* -u: from the host's passwd */
	const char *jail_user;	/* -U: from the jail's passwd */
	const char *jail;
	char **argv;		/* NULL: a shell */
};

int jexec_parse(int argc, char **argv, struct jexec_args *a, struct brig_err *e);

/* ---- rctl(8) (fe_rctl.c: cmds.h's fe_rctl) */

/* rctl -u [-h] FILTER: usage of the jail FILTER names ("jail:NAME"), one
 * RESOURCE=AMOUNT per line (fe_rctl_usage.c). The exit status. */
int fe_rctl_usage(const char *filter, bool human);

#endif
