/* devfs.rules(5) read and evaluated over the devices brig's /dev can
 * hold (see devfs_rules.h). The syntax is rc.subr's: a '#' starts a
 * comment anywhere, `[name=number]` opens a ruleset, every other line is
 * a devfs(8) rule whose `$name` words are the numbers of rulesets
 * defined before. devfs(8) orders a ruleset's rules by number (a rule
 * without one gets the last number + 100) and matches paths with
 * fnmatch(3) and FNM_PATHNAME, as here. */
#include "conf/devfs_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/paths.h"
#include "util/readfile.h"

#define RULES_MAX (1024 * 1024)	/* bytes of one file */
#define INCLUDE_DEPTH 16

enum rkind { R_HIDE, R_UNHIDE, R_INCLUDE, R_OTHER };

struct rule {
	long long num;
	enum rkind kind;
	char *path;		/* NULL: any path */
	char *type;		/* NULL: any type */
	long long include;
	const char *file;	/* NULL: built in */
	int line, col;
};

struct ruleset {
	long long num;
	char *name;
	struct rule *rules;
	size_t n;
};

struct devfs_rules {
	struct ruleset *sets;
	size_t n;
	char **files;		/* the names rules point to */
	size_t nfiles;
};

/* The names FreeBSD's /dev gives the devices brig makes, with the group
 * each belongs to (0: made, but no group waits on it). */
static const struct {
	const char *name;
	unsigned int group;
	bool tty;
} dev_names[] = {
	{ "null", DEVR_BASIC, false },	{ "zero", DEVR_BASIC, false },
	{ "random", DEVR_BASIC, false }, { "urandom", DEVR_BASIC, false },
	{ "full", 0, false },		{ "tty", 0, true },
	{ "ptmx", DEVR_LOGIN, true },	{ "pts", DEVR_LOGIN, false },
	{ "pts/0", DEVR_LOGIN, true },	{ "fd", DEVR_FD, false },
	{ "fd/0", DEVR_FD, false },	{ "stdin", DEVR_FD, false },
	{ "stdout", DEVR_FD, false },	{ "stderr", DEVR_FD, false },
	{ "shm", 0, false },
};
#define NNAMES (sizeof(dev_names) / sizeof(dev_names[0]))

/* FreeBSD's /etc/defaults/devfs.rules, the rulesets jails use. */
static const char defaults[] =
	"[devfsrules_hide_all=1]\n"
	"add hide\n"
	"[devfsrules_unhide_basic=2]\n"
	"add path log unhide\nadd path null unhide\nadd path zero unhide\n"
	"add path crypto unhide\nadd path random unhide\nadd path urandom unhide\n"
	"[devfsrules_unhide_login=3]\n"
	"add path 'ptyp*' unhide\nadd path 'ptyq*' unhide\nadd path 'ptyr*' unhide\n"
	"add path 'ptys*' unhide\nadd path 'ptyP*' unhide\nadd path 'ptyQ*' unhide\n"
	"add path 'ptyR*' unhide\nadd path 'ptyS*' unhide\nadd path 'ttyp*' unhide\n"
	"add path 'ttyq*' unhide\nadd path 'ttyr*' unhide\nadd path 'ttys*' unhide\n"
	"add path 'ttyP*' unhide\nadd path 'ttyQ*' unhide\nadd path 'ttyR*' unhide\n"
	"add path 'ttyS*' unhide\nadd path ptmx unhide\nadd path pts unhide\n"
	"add path 'pts/*' unhide\nadd path fd unhide\nadd path 'fd/*' unhide\n"
	"add path stdin unhide\nadd path stdout unhide\nadd path stderr unhide\n"
	"[devfsrules_jail=4]\n"
	"add include $devfsrules_hide_all\nadd include $devfsrules_unhide_basic\n"
	"add include $devfsrules_unhide_login\nadd path fuse unhide\nadd path zfs unhide\n"
	"[devfsrules_jail_vnet=5]\n"
	"add include $devfsrules_hide_all\nadd include $devfsrules_unhide_basic\n"
	"add include $devfsrules_unhide_login\nadd include $devfsrules_jail\n"
	"add path pf unhide\n";

static void free_rule(struct rule *r)
{
	free(r->path);
	free(r->type);
}

void devfs_rules_free(struct devfs_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->sets[i].n; k++)
			free_rule(&r->sets[i].rules[k]);
		free(r->sets[i].rules);
		free(r->sets[i].name);
	}
	free(r->sets);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	free(r);
}

struct devfs_rules *devfs_rules_new(void)
{
	struct devfs_rules *r = xcalloc(1, sizeof(*r));
	struct brig_err e;

	if (devfs_rules_parse(r, NULL, defaults, &e) < 0)
		abort();	/* the built-in text is brig's own */
	return r;
}

static struct ruleset *find_num(const struct devfs_rules *r, long long num)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->sets[i].num == num)
			return &r->sets[i];
	return NULL;
}

static struct ruleset *find_name(const struct devfs_rules *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->sets[i].name) == len && memcmp(r->sets[i].name, name, len) == 0)
			return &r->sets[i];
	return NULL;
}

/* A number of digits only, at most 9 of them (devfs's are 16 bits). */
static bool number(const char *s, size_t len, long long *v)
{
	if (len == 0 || len > 9)
		return false;
	*v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* The parse of one file: where it is, for messages. */
struct pctx {
	struct devfs_rules *r;
	const char *file;	/* NULL: built in */
	int line;
	struct ruleset *cur;
	struct brig_err *e;
};

static int perr(struct pctx *p, size_t col, const char *fmt, const char *arg)
{
	return brig_err_set(p->e, 0, "%s:%d:%zu: %s%s", p->file ? p->file : "(built in)", p->line,
			    col + 1, fmt, arg);
}

/* `[name=number]` at s (the whole line, trimmed, len long). */
static int header(struct pctx *p, const char *s, size_t len, size_t col)
{
	const char *eq = memchr(s, '=', len);
	long long num;

	if (s[len - 1] != ']')
		return perr(p, col + len - 1, "a ruleset header ends with ']'", "");
	if (!eq || eq == s + 1)
		return perr(p, col + 1, "a ruleset header is [name=number]", "");
	if (!number(eq + 1, (size_t)(s + len - 1 - (eq + 1)), &num))
		return perr(p, col + (size_t)(eq + 1 - s), "the ruleset number is missing or not a number", "");
	p->cur = find_num(p->r, num);
	if (!p->cur) {
		p->r->sets = xrealloc(p->r->sets, (p->r->n + 1) * sizeof(*p->r->sets));
		p->cur = &p->r->sets[p->r->n++];
		*p->cur = (struct ruleset){ .num = num };
	}
	free(p->cur->name);
	p->cur->name = xstrndup(s + 1, (size_t)(eq - s - 1));
	return 0;
}

#define WORDS_MAX 16

/* One rule's words (quotes removed, $name replaced by its number). */
struct words {
	char *w[WORDS_MAX];
	size_t col[WORDS_MAX];
	size_t n;
};

static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->w[i]);
}

static int split(struct pctx *p, const char *s, size_t len, size_t col, struct words *w)
{
	size_t i = 0;

	while (i < len) {
		char buf[256];
		size_t n = 0, start;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (w->n == WORDS_MAX)
			return perr(p, col + i, "too many words in a rule", "");
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t') {
			if (s[i] == '\'' || s[i] == '"') {
				const char *q = memchr(s + i + 1, s[i], len - i - 1);

				if (!q)
					return perr(p, col + i, "unterminated quote", "");
				for (const char *c = s + i + 1; c < q && n < sizeof(buf) - 1; c++)
					buf[n++] = *c;
				i = (size_t)(q - s) + 1;
			} else if (n < sizeof(buf) - 1) {
				buf[n++] = s[i++];
			} else {
				i++;
			}
		}
		buf[n] = '\0';
		if (buf[0] == '$') {
			const struct ruleset *rs = find_name(p->r, buf + 1, n - 1);

			if (!rs)
				return perr(p, col + start, "no ruleset defined before by that name: ", buf);
			snprintf(buf, sizeof(buf), "%lld", rs->num);
		}
		w->col[w->n] = start;
		w->w[w->n++] = xstrdup(buf);
	}
	return 0;
}

/* Insert rule into the current ruleset in rule-number order. */
static void insert(struct ruleset *rs, struct rule *rule, bool numbered)
{
	size_t at = rs->n;

	if (!numbered)
		rule->num = rs->n ? rs->rules[rs->n - 1].num + 100 : 100;
	while (at > 0 && rs->rules[at - 1].num > rule->num)
		at--;
	rs->rules = xrealloc(rs->rules, (rs->n + 1) * sizeof(*rs->rules));
	memmove(&rs->rules[at + 1], &rs->rules[at], (rs->n - at) * sizeof(*rs->rules));
	rs->rules[at] = *rule;
	rs->n++;
}

static int rule_line(struct pctx *p, const char *s, size_t len, size_t col)
{
	static const char *const types[] = { "disk", "mem", "tape", "tty" };
	struct words w = { .n = 0 };
	struct rule rule = { .kind = R_OTHER, .file = p->file, .line = p->line, .col = (int)col + 1 };
	bool numbered = false, action = false;
	size_t i = 1;
	int rc = -1;

	if (split(p, s, len, col, &w) < 0)
		goto out;
	if (!p->cur) {
		perr(p, col, "a rule before any [name=number] ruleset", "");
		goto out;
	}
	if (strcmp(w.w[0], "add") != 0) {
		perr(p, col + w.col[0], "only `add` rules belong in devfs.rules, not ", w.w[0]);
		goto out;
	}
	if (i < w.n && number(w.w[i], strlen(w.w[i]), &rule.num)) {
		numbered = true;
		i++;
	}
	for (; i < w.n; i++) {
		const char *k = w.w[i];
		bool arg = strcmp(k, "path") == 0 || strcmp(k, "type") == 0 || strcmp(k, "include") == 0 ||
			   strcmp(k, "group") == 0 || strcmp(k, "user") == 0 || strcmp(k, "mode") == 0;

		if (arg && i + 1 == w.n) {
			perr(p, col + w.col[i], "a value is missing after ", k);
			goto out;
		}
		if (strcmp(k, "path") == 0 && !action && !rule.path) {
			rule.path = xstrdup(w.w[++i]);
		} else if (strcmp(k, "type") == 0 && !action && !rule.type) {
			bool known = false;

			for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
				known |= strcmp(types[t], w.w[i + 1]) == 0;
			if (!known) {
				perr(p, col + w.col[i + 1], "not a device type (disk, mem, tape, tty): ", w.w[i + 1]);
				goto out;
			}
			rule.type = xstrdup(w.w[++i]);
		} else if ((strcmp(k, "hide") == 0 || strcmp(k, "unhide") == 0) && rule.kind == R_OTHER) {
			rule.kind = k[0] == 'h' ? R_HIDE : R_UNHIDE;
			action = true;
		} else if (strcmp(k, "include") == 0 && rule.kind == R_OTHER) {
			if (!number(w.w[i + 1], strlen(w.w[i + 1]), &rule.include)) {
				perr(p, col + w.col[i + 1], "include takes a ruleset number or $name, not ", w.w[i + 1]);
				goto out;
			}
			rule.kind = R_INCLUDE;
			action = true;
			i++;
		} else if (strcmp(k, "group") == 0 || strcmp(k, "user") == 0 || strcmp(k, "mode") == 0) {
			action = true;	/* owners and modes: brig's nodes are 0666, root's */
			i++;
		} else {
			perr(p, col + w.col[i], "unexpected word in a rule: ", k);
			goto out;
		}
	}
	if (!action) {
		perr(p, col, "a rule without an action (hide, unhide, include, group, user, mode)", "");
		goto out;
	}
	insert(p->cur, &rule, numbered);
	rule = (struct rule){ .path = NULL };
	rc = 0;
out:
	free_rule(&rule);
	words_free(&w);
	return rc;
}

int devfs_rules_parse(struct devfs_rules *r, const char *file, const char *text, struct brig_err *e)
{
	struct pctx p = { r, NULL, 0, NULL, e };

	if (file) {
		r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
		p.file = r->files[r->nfiles++] = xstrdup(file);
	}
	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s), col = 0;
		const char *hash = memchr(s, '#', len);

		p.line++;
		if (hash)
			len = (size_t)(hash - s);
		while (col < len && (s[col] == ' ' || s[col] == '\t' || s[col] == '\r'))
			col++;
		while (len > col && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len--;
		if (len > col && (s[col] == '[' ? header(&p, s + col, len - col, col)
						: rule_line(&p, s + col, len - col, col)) < 0)
			return -1;
		s = nl ? nl + 1 : s + strlen(s);
	}
	return 0;
}

static char *host_file(size_t i)
{
	return i == 0 ? xstrdup("/etc/devfs.rules") : xasprintf("%s/devfs.rules", brig_confdir());
}

struct devfs_rules *devfs_rules_load(struct brig_err *e)
{
	struct devfs_rules *r = devfs_rules_new();

	for (size_t i = 0; i < 2; i++) {
		cleanup_free char *path = host_file(i), *text = NULL;

		if (read_bounded(AT_FDCWD, path, READ_PATH, RULES_MAX, &text, NULL, e) < 0) {
			if (e->errnum == ENOENT)
				continue;
			devfs_rules_free(r);
			return NULL;
		}
		if (devfs_rules_parse(r, path, text, e) < 0) {
			devfs_rules_free(r);
			return NULL;
		}
	}
	return r;
}

/* Does rule apply to name k of dev_names? */
static bool matches(const struct rule *rule, size_t k)
{
	if (rule->type && !(strcmp(rule->type, "tty") == 0 && dev_names[k].tty))
		return false;
	return !rule->path || fnmatch(rule->path, dev_names[k].name, FNM_PATHNAME) == 0;
}

/* One evaluation: the includes being applied (a loop is one seen
 * again) and a bound on the work (includes that fan out). */
struct walk {
	const struct ruleset *stack[INCLUDE_DEPTH + 1];
	int depth;
	long budget;
};

/* Apply ruleset rs to vis, includes first-come (devfs's own order). */
static int apply(const struct devfs_rules *r, const struct ruleset *rs, bool *vis, struct walk *w,
		 struct brig_err *e)
{
	for (int d = 0; d < w->depth; d++)
		if (w->stack[d] == rs)
			return brig_err_set(e, 0, "ruleset %lld includes itself (a loop)", rs->num);
	if (w->depth > INCLUDE_DEPTH)
		return brig_err_set(e, 0, "ruleset %lld: includes nest deeper than %d", rs->num, INCLUDE_DEPTH);
	w->stack[w->depth++] = rs;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *rule = &rs->rules[i];

		if (--w->budget < 0)
			return brig_err_set(e, 0, "ruleset %lld: too many rules through its includes", rs->num);
		if (rule->kind == R_INCLUDE) {
			const struct ruleset *in = find_num(r, rule->include);

			if (!in)
				return brig_err_set(e, 0, "%s:%d:%d: ruleset %lld includes ruleset %lld, "
						    "which is not defined", rule->file ? rule->file : "(built in)",
						    rule->line, rule->col, rs->num, rule->include);
			if (apply(r, in, vis, w, e) < 0)
				return -1;
			continue;
		}
		if (rule->kind == R_OTHER)
			continue;
		for (size_t k = 0; k < NNAMES; k++)
			if (matches(rule, k))
				vis[k] = rule->kind == R_UNHIDE;
	}
	w->depth--;
	return 0;
}

int devfs_rules_eval(const struct devfs_rules *r, long long num, struct brig_err *e)
{
	const struct ruleset *rs = find_num(r, num);
	bool vis[NNAMES];
	unsigned int groups = DEVR_BASIC | DEVR_LOGIN | DEVR_FD;

	if (!rs)
		return brig_err_set(e, 0, "ruleset %lld is defined neither by FreeBSD's defaults "
				    "(1-5) nor in a devfs.rules file", num);
	for (size_t k = 0; k < NNAMES; k++)
		vis[k] = true;	/* devfs hides nothing until a rule does */
	if (apply(r, rs, vis, &(struct walk){ .budget = 100000 }, e) < 0)
		return -1;
	for (size_t k = 0; k < NNAMES; k++)
		if (!vis[k])
			groups &= ~dev_names[k].group;
	return (int)groups;
}

static void unmapped(const struct devfs_rules *r, const struct ruleset *rs, struct walk *w,
		     void (*fn)(void *, const char *, int, int, const char *), void *ctx)
{
	for (int d = 0; rs && d < w->depth; d++)
		if (w->stack[d] == rs)
			return;
	if (!rs || w->depth > INCLUDE_DEPTH)
		return;
	w->stack[w->depth++] = rs;
	for (size_t i = 0; i < rs->n && --w->budget >= 0; i++) {
		const struct rule *rule = &rs->rules[i];
		bool any = false;

		if (rule->kind == R_INCLUDE)
			unmapped(r, find_num(r, rule->include), w, fn, ctx);
		if (rule->kind != R_UNHIDE || !rule->file || !rule->path)
			continue;
		for (size_t k = 0; k < NNAMES; k++)
			any |= matches(rule, k);
		if (!any)
			fn(ctx, rule->file, rule->line, rule->col, rule->path);
	}
	w->depth--;
}

void devfs_rules_unmapped(const struct devfs_rules *r, long long num,
			  void (*fn)(void *, const char *, int, int, const char *), void *ctx)
{
	unmapped(r, find_num(r, num), &(struct walk){ .budget = 100000 }, fn, ctx);
}
