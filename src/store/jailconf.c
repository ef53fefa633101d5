/* The jail.conf.d/NAME.conf file brig create writes: readable, meant to be
 * edited, with the defaults a FreeBSD jail starts with. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* What a jail starts with unless the given parameters say otherwise. */
static const struct {
	const char *name;
	const char *line;
	const char *negation;	/* the same parameter turned off */
} defaults[] = {
	{ "exec.start", "exec.start = \"/bin/sh /etc/rc\";", NULL },
	{ "exec.stop", "exec.stop = \"/bin/sh /etc/rc.shutdown\";", NULL },
	{ "mount.devfs", "mount.devfs;", "mount.nodevfs" },
};

/* Path of jail.conf.d/NAME.conf; caller frees. */
char *jailconf_path(const char *name)
{
	return xasprintf("%s/jail.conf.d/%s.conf", conf_default_dir(), name);
}

/* Append s as a jail.conf double-quoted string. "$" is kept: variables
 * expand in it, as in any jail.conf string. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"':
		case '\\':
			sb_addc(sb, '\\');
			sb_addc(sb, *s);
			break;
		case '\n':
			sb_adds(sb, "\\n");
			break;
		case '\t':
			sb_adds(sb, "\\t");
			break;
		default:
			sb_addc(sb, *s);
		}
	}
	sb_addc(sb, '"');
}

/* The jail.conf line setting path. */
static void add_path_line(struct strbuf *sb, const char *path)
{
	sb_adds(sb, "\tpath = ");
	add_quoted(sb, path);
	sb_adds(sb, ";\n");
}

/* A parameter or variable name: [$]?[A-Za-z_][A-Za-z0-9_.]*. */
static bool param_name_ok(const char *s, size_t n)
{
	size_t i = s[0] == '$' ? 1 : 0;

	if (n <= i || !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", s[i]))
		return false;
	for (; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.", s[i]))
			return false;
	return true;
}

/* One command-line parameter as a line of the block; its name in *name. */
static int param_line(const char *arg, struct strbuf *line, char **name, struct brig_err *e)
{
	size_t n = strcspn(arg, "+=");
	const char *op = arg + n;

	if (!strncmp(arg, ".include=", 9)) {
		if (!arg[9])
			return brig_err_set(e, 0, "`%s`: .include needs a file", arg);
		sb_adds(line, ".include ");
		add_quoted(line, arg + 9);
		sb_addc(line, ';');
		*name = xstrdup(".include");
		return 0;
	}
	if (!param_name_ok(arg, n) || (*op && *op != '=' && strncmp(op, "+=", 2)))
		return brig_err_set(e, 0, "`%s`: expected PARAM=VALUE, PARAM+=VALUE or PARAM", arg);
	*name = xstrndup(arg, n);
	if (!strcmp(*name, "path") || !strcmp(*name, "name"))
		return brig_err_set(e, 0, "`%s`: %s is set by brig create", arg, *name);
	sb_addn(line, arg, n);
	if (*op == '=') {
		sb_adds(line, " = ");
		add_quoted(line, op + 1);
	} else if (*op == '+') {
		sb_adds(line, " += ");
		add_quoted(line, op + 2);
	}
	sb_addc(line, ';');
	return 0;
}

/* The text of a new jail's file. Order matters, later lines win: the
 * defaults, then included files (the seed's base.conf sets exec.start,
 * and its own path), then the store's path, then the given parameters. */
char *jailconf_render(const char *name, const char *path, const char *template,
		      const char *backend, char *const *params, size_t nparams,
		      struct brig_err *e)
{
	struct strbuf includes = STRBUF_INIT, given = STRBUF_INIT, out = STRBUF_INIT;
	bool overridden[ARRAY_SIZE(defaults)] = { false };

	for (size_t i = 0; i < nparams; i++) {
		struct strbuf *sb = !strncmp(params[i], ".include=", 9) ? &includes : &given;
		cleanup_free char *pname = NULL;

		sb_addc(sb, '\t');
		if (param_line(params[i], sb, &pname, e) < 0) {
			sb_free(&includes);
			sb_free(&given);
			return NULL;
		}
		sb_addc(sb, '\n');
		for (size_t d = 0; d < ARRAY_SIZE(defaults); d++)
			if (!strcmp(pname, defaults[d].name) ||
			    (defaults[d].negation && !strcmp(pname, defaults[d].negation)))
				overridden[d] = true;
	}
	sb_addf(&out, "# Jail %s, made by `brig create` from template %s (%s).\n"
		      "# This file is yours to edit; `brig destroy %s` removes it.\n"
		      "%s {\n", name, template, backend, name, name);
	for (size_t d = 0; d < ARRAY_SIZE(defaults); d++)
		if (!overridden[d])
			sb_addf(&out, "\t%s\n", defaults[d].line);
	if (includes.len)
		sb_adds(&out, includes.s);
	add_path_line(&out, path);
	if (given.len)
		sb_adds(&out, given.s);
	sb_adds(&out, "}\n");
	sb_free(&includes);
	sb_free(&given);
	return sb_steal(&out);
}

/* Does line (of length n) start, after blanks, with word followed by a
 * blank or one of the characters in then? */
static bool line_starts(const char *line, size_t n, const char *word, const char *then)
{
	size_t w = strlen(word);

	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	if (n < w || strncmp(line, word, w) != 0)
		return false;
	return n == w || line[w] == ' ' || line[w] == '\t' || strchr(then, line[w]);
}

/* An existing file moved to a new name and path (import): the block's name
 * and its path lines rewritten in place (so that they still come after
 * any .include); a path line added after the header if it had none. */
char *jailconf_rebase(const char *text, const char *oldname, const char *name,
		      const char *path, struct brig_err *e)
{
	struct strbuf out = STRBUF_INIT;
	bool header = false, has_path = false;

	for (const char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
		if (line_starts(p, strcspn(p, "\n"), "path", "="))
			has_path = true;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		if (!header && line_starts(p, n, oldname, "{")) {
			const char *rest = strstr(p, oldname) + strlen(oldname);

			sb_addn(&out, p, (size_t)(rest - p) - strlen(oldname));
			sb_adds(&out, name);
			sb_addn(&out, rest, n - (size_t)(rest - p));
			sb_addc(&out, '\n');
			if (!has_path)
				add_path_line(&out, path);
			header = true;
		} else if (line_starts(p, n, "path", "=")) {
			add_path_line(&out, path);
		} else {
			sb_addn(&out, p, n);
			sb_addc(&out, '\n');
		}
		p += n + (p[n] == '\n');
	}
	if (!header) {
		sb_free(&out);
		brig_err_set(e, 0, "its configuration has no block `%s {`", oldname);
		return NULL;
	}
	return sb_steal(&out);
}

/* The errors of an untrusted configuration as one message: the first (and
 * how many more). */
static int conf_errors(const struct diag *d, size_t from, struct brig_err *e)
{
	const char *first = NULL;
	size_t n = 0;

	for (size_t i = from; i < d->n; i++) {
		if (d->msgs[i].level != DIAG_ERROR)
			continue;
		if (!first)
			first = d->msgs[i].text;
		n++;
	}
	if (n > 1)
		return brig_err_set(e, 0, "its configuration: %s (and %zu more error%s)", first, n - 1,
				    n > 2 ? "s" : "");
	return brig_err_set(e, 0, "its configuration: %s", first ? first : "not jail.conf");
}

/* An archive's file taken as untrusted input (import without --trust): the
 * block of its jail, and of it only what acts inside the jail (see
 * conf_load_untrusted), written anew as NAME with the store's path. What
 * was left out is in dropped, one warning each. */
char *jailconf_untrusted(const char *text, const char *member, const char *oldname,
			 const char *name, const char *path, const char *template,
			 const char *backend, struct diag *dropped, struct brig_err *e)
{
	cleanup_free char *pathparam = xasprintf("path=%s", path);
	char *const trusted[] = { pathparam };
	const struct conf_untrusted u = {
		.path = member, .text = text, .len = strlen(text), .jail = oldname, .name = name,
		.trusted = trusted, .ntrusted = 1,
	};
	struct strbuf out = STRBUF_INIT;
	size_t from = dropped->n, nwarn = 0;
	struct conf *c;

	if (conf_load_untrusted(&u, &c, dropped) < 0) {
		conf_errors(dropped, from, e);
		return NULL;
	}
	for (size_t i = from; i < dropped->n; i++)
		nwarn += dropped->msgs[i].level == DIAG_WARNING;
	sb_addf(&out, "# Jail %s, imported by `brig import` (template %s, %s).\n"
		      "# Only what acts inside the jail was taken from the archive's configuration",
		name, template, backend);
	if (nwarn)
		sb_addf(&out, ";\n# %zu statement%s left out (brig import --trust keeps them, as root)",
			nwarn, nwarn > 1 ? "s" : "");
	sb_addf(&out, ".\n# This file is yours to edit; `brig destroy %s` removes it.\n", name);
	conf_jail_text(&c->jails[0], &out);
	conf_free(c);
	return sb_steal(&out);
}

int jailconf_dir_make(struct brig_err *e)
{
	cleanup_free char *dir = xasprintf("%s/jail.conf.d", conf_default_dir());

	if (mkdir(conf_default_dir(), 0755) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "creating `%s`", conf_default_dir());
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "creating `%s`", dir);
	return 0;
}

/* Create jail.conf.d/NAME.conf with text; fails if it exists. */
int jailconf_write(const char *name, const char *text, struct brig_err *e)
{
	cleanup_free char *path = jailconf_path(name);
	size_t len = strlen(text);
	int fd;

	if (jailconf_dir_make(e) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return brig_err_set(e, errno, "creating `%s`", path);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		int err = errno ? errno : EIO;

		close(fd);
		unlink(path);
		return brig_err_set(e, err, "writing `%s`", path);
	}
	close(fd);
	return 0;
}
