/* The check pass, after resolution and before any command acts: every
 * value against its parameter's type (the values are normalised on the
 * way: booleans become "true"/"false", integers decimal), jail names,
 * duplicate jails, and depend (unknown jails, loops). */
#include "conf/cf.h"
#include "util/utf8.h"
#include "conf/rctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/devfs_rules.h"
#include "util/mem.h"

/* A boolean value as jail(8) reads it; false if it is none. */
bool cf_parse_bool(const char *s, bool *v)
{
	char *end;
	long n;

	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0) {
		*v = strcasecmp(s, "true") == 0;
		return true;
	}
	/* FreeBSD takes any integer, and (strtol) an empty string as 0. */
	n = strtol(s, &end, 10);
	if (*end != '\0')
		return false;
	*v = n != 0;
	return true;
}

int conf_restart_parse(const char *s, enum conf_restart *mode, long *max)
{
	static const struct {
		const char *word;
		enum conf_restart mode;
	} words[] = {
		{ "no", CONF_RESTART_NO },
		{ "on-failure", CONF_RESTART_ON_FAILURE },
		{ "always", CONF_RESTART_ALWAYS },
	};

	*mode = CONF_RESTART_NO;
	*max = 0;
	if (!s)
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);
		char *end;

		if (strncmp(s, words[i].word, n) != 0 || (s[n] != '\0' && s[n] != ':'))
			continue;
		*mode = words[i].mode;
		if (!s[n])
			return 0;
		if (*mode == CONF_RESTART_NO || !(s[n + 1] >= '0' && s[n + 1] <= '9'))
			return -1;
		errno = 0;
		*max = strtol(s + n + 1, &end, 10);
		return *end || errno ? -1 : 0;
	}
	return -1;
}

/* An error about a parameter of a jail, where it was set. */
__attribute__((format(printf, 4, 5)))
static void param_error(struct cf_ctx *ctx, const struct conf_jail *j, const struct conf_param *p,
			const char *fmt, ...)
{
	struct cf_loc at = { p->file, (uint32_t)p->line, (uint32_t)p->col };
	va_list ap;

	va_start(ap, fmt);
	cf_vjail_error(ctx, &at, j->name, p->name, fmt, ap);
	va_end(ap);
}

/* Make p hold the single value s (the array keeps its NULL end). */
static void set_one(struct cf_ctx *ctx, struct conf_param *p, const char *s)
{
	if (p->nvalues == 0)
		p->values = cf_alloc(ctx->out, 2 * sizeof(char *));
	p->values[0] = (char *)s;
	p->values[1] = NULL;
	p->nvalues = 1;
}

/* "new", "inherit", "disable" (or 1, 2, 0, or a boolean). */
static const char *jailsys(const char *s)
{
	static const char *const names[] = { "disable", "new", "inherit" };
	char *end;
	long n;
	bool b;

	for (size_t i = 0; i < 3; i++)
		if (strcasecmp(s, names[i]) == 0)
			return names[i];
	n = strtol(s, &end, 10);
	if (*s && *end == '\0')
		return n >= 0 && n <= 2 ? names[n] : NULL;
	if (cf_parse_bool(s, &b))
		return b ? "new" : "disable";
	return NULL;
}

/* Whether s is valid UTF-8. */
static bool utf8_ok(const char *s)
{
	size_t bad;

	return utf8_valid(s, strlen(s), &bad);
}

/* rctl: each rule parsed and normalised (rctl -l's form); of two rules
 * for the same resource and action, the later one stays (as rctl -a
 * replaces one). */
static void check_rctl(struct cf_ctx *ctx, const struct conf_jail *j, struct conf_param *p)
{
	struct rctl_rule *r = cf_alloc(&ctx->tmp, (p->nvalues + 1) * sizeof(*r));
	size_t k = 0;

	for (size_t i = 0; i < p->nvalues; i++) {
		char msg[256];
		size_t at;

		if (rctl_parse(p->values[i], false, &r[i], msg, sizeof(msg), &at) < 0) {
			param_error(ctx, j, p, "%s", msg);
			return;
		}
	}
	for (size_t i = 0; i < p->nvalues; i++) {
		char buf[96];
		bool later = false;

		for (size_t l = i + 1; l < p->nvalues && !later; l++)
			later = r[l].res == r[i].res && strcmp(r[l].actname, r[i].actname) == 0;
		if (later)
			continue;
		rctl_format(&r[i], buf, sizeof(buf));
		p->values[k++] = cf_strndup(ctx->out, buf, strlen(buf));
	}
	p->values[k] = NULL;
	p->nvalues = k;
}

/* Check and normalise one parameter's value(s) against its type. */
static void check_param(struct cf_ctx *ctx, const struct conf_jail *j, struct conf_param *p)
{
	const char *last = p->nvalues ? p->values[p->nvalues - 1] : NULL;

	/* A file is UTF-8 (source.c); a value from the command line or an
	 * escape must be too: the state of a running jail records its
	 * model as JSON, which holds nothing else. Only those can bring
	 * other bytes (ctx->raw_bytes): scanning every value of 10,000
	 * jails again cost 7% of a load. */
	for (size_t i = 0; ctx->raw_bytes && i < p->nvalues; i++)
		if (!utf8_ok(p->values[i])) {
			param_error(ctx, j, p, "value is not valid UTF-8");
			return;
		}

	switch (p->type) {
	case CONF_BOOL: {
		bool v = true;

		if (last && !cf_parse_bool(last, &v)) {
			param_error(ctx, j, p, "unknown boolean value %s", cf_q(ctx, last));
			return;
		}
		set_one(ctx, p, v ? "true" : "false");
		return;
	}
	case CONF_INT: {
		char *end;
		long long v;

		errno = 0;
		v = last ? strtoll(last, &end, 10) : 0;
		if (!last || end == last || *end != '\0') {
			param_error(ctx, j, p, "non-integer value %s", cf_q(ctx, last ? last : ""));
			return;
		}
		if (errno == ERANGE) {
			param_error(ctx, j, p, "integer value %s out of range", cf_q(ctx, last));
			return;
		}
		/* A Linux routing table; 253-255 are its default, main and
		 * local (FreeBSD's FIBs go to net.fibs - 1, at most 65535). */
		if (p->def == conf_jparam(JP_EXEC_FIB) && (v < 0 || v > 65535 || (v >= 253 && v <= 255))) {
			param_error(ctx, j, p, "%s: not a routing table brig gives a jail (0 to 65535, "
				    "but not 253-255: Linux's default, main and local tables)", cf_q(ctx, last));
			return;
		}
		{
			char *buf = cf_alloc(ctx->out, 24);

			snprintf(buf, 24, "%lld", v);
			set_one(ctx, p, buf);
		}
		return;
	}
	case CONF_STRING:
		if (p->def->flags & CONF_PF_JAILSYS) {
			const char *v = last ? jailsys(last) : "new";

			if (!v)
				param_error(ctx, j, p, "unknown value %s (expected \"new\", \"inherit\" or \"disable\")",
					    cf_q(ctx, last));
			else
				set_one(ctx, p, v);
			return;
		}
		/* A bare `cpuset;` is an empty list too (as `cpuset = "";`). */
		if (p->def == conf_jparam(JP_CPUSET)) {
			char msg[160];

			if (rctl_cpuset_valid(last ? last : "", msg, sizeof(msg)) < 0) {
				param_error(ctx, j, p, "%s", msg);
				return;
			}
		}
		if (p->def == conf_jparam(JP_EXEC_RESTART)) {
			enum conf_restart mode;
			long max;

			if (conf_restart_parse(last, &mode, &max) < 0) {
				param_error(ctx, j, p, "unknown value %s (expected \"no\", \"on-failure\" or "
					    "\"always\", the last two with an optional \":MAX\")",
					    cf_q(ctx, last ? last : ""));
				return;
			}
		}
		if (p->def == conf_jparam(JP_QUOTA)) {
			long long bytes;

			if (conf_size_parse(last, &bytes) < 0) {
				param_error(ctx, j, p, "bad size %s (expected bytes or a number with "
					    "k, m, g or t, as in \"10g\"; or \"none\")",
					    cf_q(ctx, last ? last : ""));
				return;
			}
		}
		set_one(ctx, p, last ? last : "");
		return;
	case CONF_LIST:
	default: {
		/* An empty string in a list is no value: jail(8) skips it
		 * (next_command: commands, mount, vnet.interface, the
		 * interface aliases of ip4.addr and ip6.addr), and libjail
		 * reads "" as an empty list. */
		size_t k = 0;

		for (size_t i = 0; i < p->nvalues; i++)
			if (p->values[i][0] != '\0')
				p->values[k++] = p->values[i];
		p->values[k] = NULL;
		p->nvalues = k;
		if (p->def == conf_jparam(JP_RCTL))
			check_rctl(ctx, j, p);
		return;
	}
	}
}

/* Index every jail by name; a name defined twice is an error. */
static void check_names(struct cf_ctx *ctx, struct conf *c)
{
	const char *what = ctx->schema == CONF_SCHEMA_NETWORKS ? "network" : "jail";

	for (size_t i = 0; i < c->njails && !ctx->too_many; i++) {
		struct conf_jail *j = &c->jails[i];
		struct cf_loc at = { j->file, (uint32_t)j->line, (uint32_t)j->col };
		const char *why = conf_name_invalid(j->name);
		struct cf_name *n;

		ctx->cur_jail = (int32_t)i;
		if (why) {
			cf_diag(ctx, DIAG_ERROR, &at, "invalid %s name %s: %s", what, cf_q(ctx, j->name), why);
			ctx->cur_jail = -1;
			continue;
		}
		n = ctx->jail_ids[i];
		if (n->jail >= 0) {
			const struct conf_jail *first = &c->jails[n->jail];
			size_t nerr = ctx->d->nerrors;

			if (first->file)
				cf_diag(ctx, DIAG_ERROR, &at, "%s %s is already defined at %s:%d", what,
					cf_q(ctx, j->name), first->file, first->line);
			else
				cf_diag(ctx, DIAG_ERROR, &at, "%s %s is defined twice", what,
					cf_q(ctx, j->name));
			/* Isolation: which of the two is meant is unknown. */
			if (ctx->d->nerrors > nerr && ctx->jerr[n->jail] < 0) {
				ctx->jerr[n->jail] = (int32_t)(ctx->d->n - 1);
				ctx->jnerr[n->jail]++;
			}
			ctx->cur_jail = -1;
			continue;
		}
		ctx->cur_jail = -1;
		n->jail = (int32_t)i;
	}
}

/* An error about a jail's depend parameter. */
__attribute__((format(printf, 4, 5)))
static void dep_error(struct cf_ctx *ctx, const struct conf_jail *j, const struct cf_deps *dp,
		      const char *fmt, ...)
{
	struct cf_loc at = { dp->path, (uint32_t)dp->line, (uint32_t)dp->col };
	va_list ap;

	va_start(ap, fmt);
	cf_vjail_error(ctx, &at, j->name, "depend", fmt, ap);
	va_end(ap);
}

/* Unknown jails in depend: a warning, as that jail alone fails to start
 * (jail(8)), and destroying a jail others depend on asks for -f. */
static void check_depend_names(struct cf_ctx *ctx, struct conf *c)
{
	for (size_t i = 0; i < c->njails && !ctx->too_many; i++) {
		const struct cf_deps *dp = &ctx->deps[i];
		struct cf_loc at = { dp->path, (uint32_t)dp->line, (uint32_t)dp->col };

		for (uint32_t k = 0; k < dp->n; k++)
			if (dp->v[k]->jail < 0)
				cf_diag(ctx, DIAG_WARNING, &at, "%s: depend: depends on undefined jail %s",
					c->jails[i].name, cf_q(ctx, dp->v[k]->s));
	}
}

/* Dependency loops, each reported once: "dependency loop: a -> b -> a".
 * An iterative depth-first search; a jail on the path seen again closes
 * a loop. */
static void check_depend_loops(struct cf_ctx *ctx, struct conf *c)
{
	enum { WHITE, GREY, BLACK };
	unsigned char *colour = xcalloc(c->njails + 1, 1);
	size_t *path = xcalloc(c->njails + 1, sizeof(*path));
	size_t *next = xcalloc(c->njails + 1, sizeof(*next));

	for (size_t s = 0; s < c->njails; s++) {
		size_t depth = 0;

		if (colour[s] != WHITE)
			continue;
		path[depth] = s;
		next[depth++] = 0;
		colour[s] = GREY;
		while (depth > 0 && !ctx->too_many) {
			size_t u = path[depth - 1];
			const struct cf_deps *dp = &ctx->deps[u];
			int32_t v;

			if (next[depth - 1] >= dp->n) {
				colour[u] = BLACK;
				depth--;
				continue;
			}
			v = dp->v[next[depth - 1]++]->jail;
			if (v < 0 || colour[v] == BLACK)
				continue;
			if (colour[v] == GREY) {
				struct strbuf sb = STRBUF_INIT;
				size_t k = 0;

				while (path[k] != (size_t)v)
					k++;
				for (; k < depth; k++)
					sb_addf(&sb, "%s -> ", c->jails[path[k]].name);
				sb_adds(&sb, c->jails[v].name);
				ctx->cur_jail = (int32_t)u;
				dep_error(ctx, &c->jails[u], dp, "dependency loop: %s", sb.s);
				ctx->cur_jail = -1;
				sb_free(&sb);
				continue;
			}
			colour[v] = GREY;
			path[depth] = (size_t)v;
			next[depth++] = 0;
		}
	}
	free(colour);
	free(path);
	free(next);
}

/* One unhidden device without a Linux meaning, for check_devfs_ruleset. */
struct unmapped_ctx {
	struct cf_ctx *ctx;
	const struct cf_loc *at;
	const char *jail;
	long long num;
};

static void warn_unmapped(void *arg, const char *file, int line, int col, const char *pattern)
{
	struct unmapped_ctx *u = arg;
	const char *base = strrchr(file, '/');

	cf_diag(u->ctx, DIAG_WARNING, u->at, "%s: devfs_ruleset %lld unhides '%s' (%s:%d:%d): no such "
		"device in a Linux jail's /dev (not made)", u->jail, u->num, pattern, base ? base + 1 : file,
		line, col);
}

/* devfs_ruleset: FreeBSD's default rulesets 0-5 (sys/devices.c maps
 * them), or one of devfs.rules(5) (conf/devfs_rules.c) that must be
 * defined and parse; a jail whose ruleset is not does not start. A
 * warning, not an error: the file still loads and its other jails still
 * start. What a ruleset unhides that Linux has not is said too. */
static void check_devfs_ruleset(struct cf_ctx *ctx, const struct conf_jail *j, const struct conf_param *p)
{
	struct cf_loc at = { p->file, (uint32_t)p->line, (uint32_t)p->col };
	struct devfs_rules *rules;
	struct brig_err e;
	char *end;
	long long v;

	v = strtoll(p->values[0], &end, 10);
	if (*end != '\0' || (v >= 0 && v <= 5))
		return;
	rules = devfs_rules_load(&e);
	if (!rules || devfs_rules_eval(rules, v, &e) < 0) {
		cf_diag(ctx, DIAG_WARNING, &at, "%s: devfs_ruleset: %s: the jail will not start", j->name, e.msg);
	} else {
		struct unmapped_ctx u = { ctx, &at, j->name, v };

		devfs_rules_unmapped(rules, v, warn_unmapped, &u);
	}
	devfs_rules_free(rules);
}

/* The parameter of row id in j, or NULL if j does not set it. */
static const struct conf_param *jail_param(const struct conf_jail *j, enum jparam id)
{
	const struct conf_pdef *d = conf_jparam(id);

	for (size_t k = 0; k < j->nparams; k++)
		if (j->params[k].def == d)
			return &j->params[k];
	return NULL;
}

/* A parameter j sets to true. */
static bool jail_on(const struct conf_jail *j, enum jparam id)
{
	const struct conf_param *p = jail_param(j, id);

	return p && p->nvalues == 1 && strcmp(p->values[0], "true") == 0;
}

/* exec.service's values are its argv, word for word: one value with a
 * blank is one word, the program's name, which no jail has (a start
 * would fail on it). */
static void check_service(struct cf_ctx *ctx, const struct conf_jail *j)
{
	const struct conf_param *p = jail_param(j, JP_EXEC_SERVICE);

	if (p && p->nvalues == 1 && strpbrk(p->values[0], " \t")) {
		struct cf_loc at = { p->file, (uint32_t)p->line, (uint32_t)p->col };

		cf_diag(ctx, DIAG_WARNING, &at, "%s: exec.service: one value with a blank is one "
			"word, the program's name: give each word as a value (\"/usr/sbin/httpd\", "
			"\"-f\")", j->name);
	}
}

/* What brig cannot honour, once per jail and parameter, where it was
 * set: a parameter meaningless on Linux, one that acts only in a userns
 * jail (set true in another; false in one, which cannot be held to it),
 * enforce_statfs other than 2. A warning:
 * the jail still starts, as FreeBSD's would, without that effect. */
static void check_linux(struct cf_ctx *ctx, const struct conf_jail *j)
{
	const struct conf_param *ps = jail_param(j, JP_ENFORCE_STATFS);
	const struct conf_param *um = jail_param(j, JP_USERNS_MAP);
	bool userns = jail_on(j, JP_USERNS) || (um && um->nvalues == 1 && *um->values[0]);

	for (size_t k = 0; k < j->nparams && ctx->schema == CONF_SCHEMA_JAILS; k++) {
		const struct conf_param *p = &j->params[k];
		struct cf_loc at = { p->file, (uint32_t)p->line, (uint32_t)p->col };
		unsigned f = p->def ? p->def->flags : 0;

		if (f & CONF_PF_IGNORED)
			cf_diag(ctx, DIAG_WARNING, &at, "%s: %s: ignored on Linux: %s", j->name, p->name,
				p->def->linux);
		else if ((f & CONF_PF_USERNS) && p->nvalues == 1 &&
			 strcmp(p->values[0], userns ? "false" : "true") == 0)
			cf_diag(ctx, DIAG_WARNING, &at, userns ?
				"%s: %s = false: not honoured in a userns jail: it holds CAP_SYS_ADMIN "
				"over its own namespaces, whatever this says" :
				"%s: %s: ignored on Linux without userns: it would need CAP_SYS_ADMIN "
				"over the host (with userns, over the jail's own namespaces)",
				j->name, p->name);
	}
	if (ps && ps->nvalues == 1 && strcmp(ps->values[0], "2") != 0) {
		struct cf_loc at = { ps->file, (uint32_t)ps->line, (uint32_t)ps->col };

		cf_diag(ctx, DIAG_WARNING, &at, "%s: enforce_statfs: %s is not honoured on Linux: the "
			"jail's own mount namespace shows only its own mounts (2)", j->name,
			ps->values[0]);
	}
	check_service(ctx, j);
}

/* Check (and normalise) every value of a resolved jail. */
void cf_check_jail(struct cf_ctx *ctx, struct conf_jail *j)
{
	const struct conf_pdef *devfs = conf_jparam(JP_DEVFS_RULESET);

	for (size_t k = 0; k < j->nparams && !ctx->too_many; k++) {
		check_param(ctx, j, &j->params[k]);
		if (j->params[k].def == devfs && j->params[k].nvalues == 1)
			check_devfs_ruleset(ctx, j, &j->params[k]);
	}
	check_linux(ctx, j);
}

/* The checks that involve all jails: names, duplicates, depend. */
void cf_check_all(struct cf_ctx *ctx, struct conf *c)
{
	check_names(ctx, c);
	if (ctx->schema == CONF_SCHEMA_JAILS) {
		check_depend_names(ctx, c);
		check_depend_loops(ctx, c);
	}
}
