/* The jail.conf.d/NAME.conf file brig create writes: readable, meant to be
 * edited, with the defaults a FreeBSD jail starts with. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "store/oci.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"
#include "util/strbuf.h"

/* What a jail starts with unless the given parameters say otherwise. */
static const struct {
	const char *name;
	const char *line;
	const char *negation;	/* the same parameter turned off */
	bool rc;		/* /etc/rc's: not for an image's command */
} defaults[] = {
	{ "exec.start", "exec.start = \"/bin/sh /etc/rc\";", NULL, true },
	{ "exec.stop", "exec.stop = \"/bin/sh /etc/rc.shutdown\";", NULL, true },
	{ "mount.devfs", "mount.devfs;", "mount.nodevfs", false },
};

/* What the first lines of the block say (as Bastille's jail.conf does, a
 * new file explains itself). */
static const char intro[] =
	"\t# Its /etc/rc starts the services its /etc/rc.conf enables (the busybox\n"
	"\t# template: syslogd and crond, as FreeBSD's rc.conf defaults); the jail\n"
	"\t# ends when its last process does, unless persist is set.\n";
static const char intro_image[] =
	"\t# Its template is a container image: the image's command runs as the\n"
	"\t# jail's service, with the image's environment, working directory and\n"
	"\t# user (below); the jail ends when it does, unless persist is set.\n";

/* Parameters shown commented out, each with what it is for; left out
 * when the command line sets the parameter. "%N": the jail's name. */
static const struct {
	const char *name;
	const char *text;
} hints[] = {
	{ "exec.consolelog", "\t# The output of exec.start and exec.stop (and of the services\n"
			     "\t# they start) goes to brig's log of the jail (`brig logs %N`),\n"
			     "\t# or to a file of your own:\n"
			     "\t#exec.consolelog = \"/var/log/jail_console_%N.log\";\n" },
	{ "persist", "\t# Keep the jail up with no process left in it:\n"
		     "\t#persist;\n" },
	{ "exec.restart", "\t# Start it again when it ends on its own (a brig extension): \"always\",\n"
			  "\t# or \"on-failure\" (a status other than 0, or killed); \":N\" limits\n"
			  "\t# the restarts. `brig stop` never restarts it.\n"
			  "\t#exec.restart = \"on-failure:5\";\n" },
	{ "vnet", "\t# A network stack of its own, on a bridge of networks.conf:\n"
		  "\t#vnet;\n"
		  "\t#vnet.bridge = \"bridge0\";\n" },
	{ "ip4.addr", "\t#ip4.addr = \"10.10.0.10/24\";\n"
		      "\t#ip4.defaultrouter = \"10.10.0.1\";\n"
		      "\t# A host port forwarded to the jail:\n"
		      "\t#rdr = \"tcp 8080 80\";\n" },
};

/* Path of jail.conf.d/NAME.conf; caller frees. */
char *jailconf_path(const char *name)
{
	return xasprintf("%s/jail.conf.d/%s.conf", brig_confdir(), name);
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

/* Append text with each "%N" replaced by name. */
static void add_named(struct strbuf *sb, const char *text, const char *name)
{
	for (const char *p = text; *p; p++) {
		if (p[0] == '%' && p[1] == 'N') {
			sb_adds(sb, name);
			p++;
		} else {
			sb_addc(sb, *p);
		}
	}
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

/* One command-line parameter of verb (create, import) as a line of the
 * block; its name in *name. */
static int param_line(const char *arg, const char *verb, struct strbuf *line, char **name,
		      struct brig_err *e)
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
		return brig_err_set(e, 0, "`%s`: %s is set by brig %s", arg, *name, verb);
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
		      const char *backend, const struct image_config *img, char *const *params,
		      size_t nparams, struct brig_err *e)
{
	/* An image's command is its service: no /etc/rc around it (the
	 * image may have no shell). */
	bool image_cmd = img && img->nentrypoint + img->ncmd > 0;

	struct strbuf includes = STRBUF_INIT, given = STRBUF_INIT, out = STRBUF_INIT;
	bool overridden[ARRAY_SIZE(defaults)] = { false };
	bool hinted[ARRAY_SIZE(hints)] = { false };

	for (size_t i = 0; i < nparams; i++) {
		struct strbuf *sb = !strncmp(params[i], ".include=", 9) ? &includes : &given;
		cleanup_free char *pname = NULL;

		sb_addc(sb, '\t');
		if (param_line(params[i], "create", sb, &pname, e) < 0) {
			sb_free(&includes);
			sb_free(&given);
			return NULL;
		}
		sb_addc(sb, '\n');
		for (size_t d = 0; d < ARRAY_SIZE(defaults); d++)
			if (!strcmp(pname, defaults[d].name) ||
			    (defaults[d].negation && !strcmp(pname, defaults[d].negation)))
				overridden[d] = true;
		for (size_t h = 0; h < ARRAY_SIZE(hints); h++)
			if (!strcmp(pname, hints[h].name))
				hinted[h] = true;
	}
	sb_addf(&out, "# Jail %s, made by `brig create` from template %s (%s).\n"
		      "# This file is yours to edit; `brig destroy %s` removes it. Every\n"
		      "# parameter is in brig.conf(5); `brig config check` checks it.\n"
		      "%s {\n", name, template, backend, name, name);
	sb_adds(&out, image_cmd ? intro_image : intro);
	for (size_t d = 0; d < ARRAY_SIZE(defaults); d++)
		if (!overridden[d] && !(image_cmd && defaults[d].rc))
			sb_addf(&out, "\t%s\n", defaults[d].line);
	for (size_t h = 0; h < ARRAY_SIZE(hints); h++)
		if (!hinted[h])
			add_named(&out, hints[h].text, name);
	if (includes.len)
		sb_adds(&out, includes.s);
	add_path_line(&out, path);
	if (img)
		image_conf_lines(&out, img, template);
	if (given.len)
		sb_adds(&out, given.s);
	sb_adds(&out, "}\n");
	sb_free(&includes);
	sb_free(&given);
	return sb_steal(&out);
}

/* Past the string or comment that starts at text + i (none: i). */
static size_t skip_lexeme(const char *text, size_t i)
{
	char q = text[i];

	if (q == '#' || (q == '/' && text[i + 1] == '/'))
		return i + strcspn(text + i, "\n");
	if (q == '/' && text[i + 1] == '*') {
		const char *end = strstr(text + i + 2, "*/");

		return end ? (size_t)(end - text) + 2 : strlen(text);
	}
	if (q != '"' && q != '\'')
		return i;
	for (i++; text[i] && text[i] != q; i++)
		if (text[i] == '\\' && text[i + 1])
			i++;
	return text[i] ? i + 1 : i;
}

/* Whether the word name ends just before text + i (blanks between). */
static bool named_before(const char *text, size_t i, const char *name)
{
	size_t n = strlen(name);

	while (i > 0 && strchr(" \t\n", text[i - 1]))
		i--;
	return i >= n && !strncmp(text + i - n, name, n) &&
	       (i == n || strchr(" \t\n;}", text[i - n - 1]));
}

/* The offsets of the braces of the top-level block `name`; -1 if none. */
static int find_block(const char *text, const char *name, size_t *lbrace, size_t *rbrace)
{
	size_t depth = 0;
	bool found = false;

	for (size_t i = 0; text[i];) {
		size_t next = skip_lexeme(text, i);

		if (next != i) {
			i = next;
			continue;
		}
		if (text[i] == '{') {
			if (depth == 0 && !found && named_before(text, i, name)) {
				*lbrace = i;
				found = true;
			}
			depth++;
		} else if (text[i] == '}') {
			if (depth == 0)
				return -1;
			if (--depth == 0 && found) {
				*rbrace = i;
				return 0;
			}
		}
		i++;
	}
	return -1;
}

/* brig import's command-line parameters added to the block `name` of
 * text: .include lines first in the block (the archive's own settings
 * and its path come after them and win, as brig create's do), the others
 * last (they win over the archive's). */
char *jailconf_add_params(const char *text, const char *name, char *const *params,
			  size_t nparams, struct brig_err *e)
{
	struct strbuf includes = STRBUF_INIT, given = STRBUF_INIT, out = STRBUF_INIT;
	size_t lbrace = 0, rbrace = 0;

	if (find_block(text, name, &lbrace, &rbrace) < 0) {
		brig_err_set(e, 0, "its configuration has no block `%s {`", name);
		return NULL;
	}
	for (size_t i = 0; i < nparams; i++) {
		struct strbuf *sb = !strncmp(params[i], ".include=", 9) ? &includes : &given;
		cleanup_free char *pname = NULL;

		sb_adds(sb, "\t");
		if (param_line(params[i], "import", sb, &pname, e) < 0) {
			sb_free(&includes);
			sb_free(&given);
			return NULL;
		}
		sb_adds(sb, "\n");
	}
	sb_addn(&out, text, lbrace + 1);
	if (includes.len) {
		sb_adds(&out, "\n\t# Given to brig import:\n");
		sb_addn(&out, includes.s, includes.len - 1);
	}
	sb_addn(&out, text + lbrace + 1, rbrace - lbrace - 1);
	if (given.len) {
		/* On lines of their own, before the closing brace's line. */
		while (out.len && (out.s[out.len - 1] == ' ' || out.s[out.len - 1] == '\t'))
			out.s[--out.len] = '\0';
		if (out.len && out.s[out.len - 1] != '\n')
			sb_addc(&out, '\n');
		sb_adds(&out, "\t# Given to brig import:\n");
		sb_adds(&out, given.s);
	}
	sb_adds(&out, text + rbrace);
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
	cleanup_free char *dir = xasprintf("%s/jail.conf.d", brig_confdir());

	return mkdirp(dir, 0755, e);
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
	if (write_all(fd, text, len) < 0 || fsync(fd) < 0) {
		int err = errno;

		close(fd);
		unlink(path);
		return brig_err_set(e, err, "writing `%s`", path);
	}
	close(fd);
	return 0;
}
