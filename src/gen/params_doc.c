/* The parameter lists of the documentation, generated from the one
 * parameter table (conf/params_jail.def, conf/params_net.def).
 *
 * A document marks each generated part with two lines it keeps:
 *   <!-- generated: NAME (make docs) -->  ...  <!-- end generated -->
 * (in a man page: .\" generated: NAME (make docs)  ...  .\" end generated)
 * and everything between them is this program's. The prose around them
 * is the document's own.
 *
 * Usage: params-doc [FILE...]          rewrite the generated parts (make docs)
 *        params-doc --check [FILE...]  "PASS docs/FILE" when each part is
 *                                      what the table generates, else
 *                                      "FAIL ..." and exit 1 (tests/run.sh);
 *                                      a man page (FILE.5) must also name
 *                                      every parameter in bold
 * Without FILE: the documents below, from the top of the source tree. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/rctl.h"
#include "util/mem.h"
#include "util/strbuf.h"

static const char *type_name(const struct conf_pdef *r)
{
	switch (r->type) {
	case CONF_BOOL:
		return "bool";
	case CONF_INT:
		return "int";
	case CONF_LIST:
		return "list";
	case CONF_STRING:
	default:
		return "string";
	}
}

/* The "Notes" column: what the flags say. */
static void notes(struct strbuf *out, unsigned f)
{
	static const struct {
		unsigned flag;
		const char *text;
	} says[] = {
		{ CONF_PF_IGNORED, "ignored on Linux" },
		{ CONF_PF_USERNS, "userns jails only" },
		{ CONF_PF_READONLY, "read-only in FreeBSD" },
		{ CONF_PF_JAIL8, "jail(8)" },
		{ CONF_PF_BRIG, "brig extension" },
		{ CONF_PF_IMMUTABLE, "set once" },
		{ CONF_PF_CMD, "commands" },
		{ CONF_PF_JAILSYS, "new / inherit / disable" },
		{ CONF_PF_SPLIT, "`a,b` on the command line" },
	};
	bool first = true;

	for (size_t i = 0; i < sizeof(says) / sizeof(says[0]); i++) {
		if (!(f & says[i].flag))
			continue;
		sb_adds(out, first ? "" : ", ");
		sb_adds(out, says[i].text);
		first = false;
	}
}

/* Markdown table cell text: '|' escaped. */
static void cell(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			sb_addc(out, '\\');
		sb_addc(out, *s);
	}
}

/* | Parameter | Type | Notes | Meaning | (and, for jails, On Linux |),
 * one row per parameter. */
static void md_table(struct strbuf *out, enum conf_schema s)
{
	size_t n;
	const struct conf_pdef *t = conf_pdefs(s, &n);

	bool jails = s == CONF_SCHEMA_JAILS;

	sb_adds(out, jails ? "| Parameter | Type | Notes | Meaning | On Linux |\n|---|---|---|---|---|\n"
			   : "| Parameter | Type | Notes | Meaning |\n|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		sb_addf(out, "| `%s` | %s | ", t[i].name, type_name(&t[i]));
		notes(out, t[i].flags);
		sb_adds(out, " | ");
		cell(out, t[i].doc);
		if (jails) {
			sb_adds(out, " | ");
			cell(out, t[i].linux);
		}
		sb_adds(out, " |\n");
	}
}

/* `a`, `b`, ... of the jail parameters with every flag of all and none
 * of none. */
static void md_names(struct strbuf *out, unsigned all, unsigned none)
{
	size_t n;
	const struct conf_pdef *t = conf_pdefs(CONF_SCHEMA_JAILS, &n);
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if ((t[i].flags & all) != all || (t[i].flags & none))
			continue;
		sb_addf(out, "%s`%s`", first ? "" : ", ", t[i].name);
		first = false;
	}
}

/* The kernel parameters with a default, one row per default value: what
 * jls prints for a parameter the jail did not set. */
static void md_jls_defaults(struct strbuf *out)
{
	size_t n;
	const struct conf_pdef *t = conf_pdefs(CONF_SCHEMA_JAILS, &n);
	bool *done = xcalloc(n, sizeof(*done));

	sb_adds(out, "| parameter | value printed |\n| --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		const char *v = t[i].dflt;

		if (done[i] || !v || !(t[i].flags & CONF_PF_KERNEL))
			continue;
		sb_adds(out, "| ");
		for (size_t k = i; k < n; k++) {
			if (!t[k].dflt || !(t[k].flags & CONF_PF_KERNEL) || strcmp(t[k].dflt, v))
				continue;
			sb_addf(out, "%s`%s`", k == i ? "" : ", ", t[k].name);
			done[k] = true;
		}
		if (*v)
			sb_addf(out, " | `%s` |\n", v);
		else
			sb_adds(out, " | empty |\n");
	}
	free(done);
}

/* What brig.conf(5) calls a row's type (caller frees). */
static char *man_type(const struct conf_pdef *r)
{
	if (r->flags & CONF_PF_JAILSYS)
		return xstrdup("new/inherit/disable");
	return r->flags & CONF_PF_READONLY ? xasprintf("%s, read\\-only", type_name(r))
					    : xstrdup(type_name(r));
}

/* Man page text: '\' escaped, and '-' as the minus sign it is in names
 * and numbers. */
static void man_text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '-')
			sb_addc(out, '\\');
		sb_addc(out, *s == '\\' ? 'e' : *s);
	}
}

/* brig.conf(5)'s table of FreeBSD's parameters (every row but brig's
 * own): name, type and what it means on Linux, "Ignored on Linux" first
 * where it means nothing there. */
static void man_linux(struct strbuf *out)
{
	size_t n;
	const struct conf_pdef *t = conf_pdefs(CONF_SCHEMA_JAILS, &n);

	for (size_t i = 0; i < n; i++) {
		char *ty;

		if (t[i].flags & CONF_PF_BRIG)
			continue;
		ty = man_type(&t[i]);
		sb_addf(out, ".TP\n.BR %s \" (%s)\"\n", t[i].name, ty);
		if (t[i].flags & CONF_PF_IGNORED)
			sb_adds(out, "Ignored on Linux: ");
		man_text(out, t[i].linux);
		sb_adds(out, ".\n");
		free(ty);
	}
}

static const char *unit_name(enum rctl_unit u)
{
	static const char *const names[] = { "bytes", "number", "percent", "seconds", "per second" };

	return names[u];
}

/* The actions a resource takes ("refused": none). */
static void actions(struct strbuf *out, const struct rctl_resdef *d)
{
	static const struct {
		unsigned a;
		const char *name;
	} names[] = { { RCTL_DENY, "deny" }, { RCTL_LOG, "log, devctl" }, { RCTL_THROTTLE, "throttle" } };
	bool first = true;

	if (!d->actions) {
		sb_adds(out, "refused");
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (d->actions & names[i].a) {
			sb_addf(out, "%s%s", first ? "" : ", ", names[i].name);
			first = false;
		}
	if (d->actions & RCTL_SIG) {
		sb_adds(out, ", sig");
		for (const char *c = d->sig + 3; *c; c++)
			sb_addc(out, (char)(*c - 'A' + 'a'));
	}
}

/* The rctl resources (conf/rctl.def), as a Markdown table. */
static void md_rctl(struct strbuf *out)
{
	sb_adds(out, "| FreeBSD resource | Unit | Actions | cgroup v2 | cgroup v1 | Notes |\n"
		     "|---|---|---|---|---|---|\n");
	for (int i = 0; i < RCTL__COUNT; i++) {
		const struct rctl_resdef *d = rctl_res((enum rctl_res)i);

		sb_addf(out, "| `%s` | %s | ", d->name, unit_name(d->unit));
		actions(out, d);
		sb_addf(out, " | %s | %s | ", d->v2 ? d->v2 : "none", d->v1 ? d->v1 : "none");
		cell(out, d->notes);
		sb_adds(out, " |\n");
	}
}

/* The same for brig.conf(5): one tagged paragraph per resource. */
static void man_rctl(struct strbuf *out)
{
	for (int i = 0; i < RCTL__COUNT; i++) {
		const struct rctl_resdef *d = rctl_res((enum rctl_res)i);

		sb_addf(out, ".TP\n.BR %s \" (%s; ", d->name, unit_name(d->unit));
		actions(out, d);
		sb_adds(out, ")\"\n");
		if (!d->actions) {
			sb_adds(out, "Refused by config check: ");
		} else {
			sb_adds(out, "v2: ");
			man_text(out, d->v2);
			sb_adds(out, "; v1: ");
			man_text(out, d->v1);
			sb_adds(out, ". ");
		}
		/* The notes as a sentence of their own. */
		sb_addc(out, (char)(d->notes[0] >= 'a' && d->notes[0] <= 'z' ? d->notes[0] - 'a' + 'A' : d->notes[0]));
		man_text(out, d->notes + 1);
		sb_adds(out, ".\n");
	}
}

/* The text of the generated part NAME; false if there is no such part. */
static bool generate(const char *name, struct strbuf *out)
{
	if (!strcmp(name, "jail-params")) {
		md_table(out, CONF_SCHEMA_JAILS);
	} else if (!strcmp(name, "net-params")) {
		md_table(out, CONF_SCHEMA_NETWORKS);
	} else if (!strcmp(name, "jail-ignored")) {
		sb_adds(out, "Ignored on Linux: ");
		md_names(out, CONF_PF_IGNORED, 0);
		sb_adds(out, ".\n");
	} else if (!strcmp(name, "jail-untrusted")) {
		md_names(out, CONF_PF_UNTRUSTED, CONF_PF_JAILSYS);
		sb_adds(out, ", and ");
		md_names(out, CONF_PF_UNTRUSTED | CONF_PF_JAILSYS, 0);
		sb_adds(out, " as new or disable (never inherit).\n");
	} else if (!strcmp(name, "jls-defaults")) {
		md_jls_defaults(out);
	} else if (!strcmp(name, "man-linux")) {
		man_linux(out);
	} else if (!strcmp(name, "rctl-resources")) {
		md_rctl(out);
	} else if (!strcmp(name, "man-rctl")) {
		man_rctl(out);
	} else {
		return false;
	}
	return true;
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t got;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, got);
	fclose(f);
	return sb.s ? sb_steal(&sb) : xstrdup("");
}

/* The line at p (with its newline), and its length. */
static size_t line_len(const char *p)
{
	const char *eol = strchr(p, '\n');

	return eol ? (size_t)(eol - p + 1) : strlen(p);
}

static const char *line_has(const char *p, size_t len, const char *what)
{
	return memmem(p, len, what, strlen(what));
}

/* The document text with every generated part regenerated; NULL (and a
 * message) for a part of no known name or without its end line. */
static char *regenerate(const char *path, const char *text)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		size_t len = line_len(p);
		const char *mark = line_has(p, len, "generated: ");
		char name[64];

		sb_addn(&out, p, len);
		if (!mark || sscanf(mark, "generated: %63[a-z-]", name) != 1) {
			p += len;
			continue;
		}
		if (!generate(name, &out)) {
			fprintf(stderr, "%s: no generated part named %s\n", path, name);
			sb_free(&out);
			return NULL;
		}
		/* The old text goes; the end line stays. */
		for (p += len; *p && !line_has(p, line_len(p), "end generated"); p += line_len(p))
			;
		if (!*p) {
			fprintf(stderr, "%s: generated part %s has no end line\n", path, name);
			sb_free(&out);
			return NULL;
		}
	}
	return out.s ? sb_steal(&out) : xstrdup("");
}

/* A man page names every parameter in bold, in its prose or in a
 * generated list: the first it does not, or NULL. */
static const char *undocumented(const char *text)
{
	static const enum conf_schema schemas[] = { CONF_SCHEMA_JAILS, CONF_SCHEMA_NETWORKS };

	for (size_t k = 0; k < 2; k++) {
		size_t n;
		const struct conf_pdef *t = conf_pdefs(schemas[k], &n);

		for (size_t i = 0; i < n; i++) {
			static const char *const forms[][2] = {
				{ "\\fB", "\\fR" }, { "\n.B ", "\n" }, { "\n.B ", " " },
				{ "\n.BR ", "\n" }, { "\n.BR ", " " },
			};
			bool found = false;

			for (size_t f = 0; !found && f < sizeof(forms) / sizeof(forms[0]); f++) {
				char *pat = xasprintf("%s%s%s", forms[f][0], t[i].name, forms[f][1]);

				found = strstr(text, pat) != NULL;
				free(pat);
			}
			if (!found)
				return t[i].name;
		}
	}
	return NULL;
}

/* The documents that list parameters. */
static const char *const documents[] = {
	"man/brig.conf.5",
	"doc/conf.md",
	"doc/frontends.md",
	NULL,
};

int main(int argc, char **argv)
{
	bool check = argc > 1 && !strcmp(argv[1], "--check");
	char *const *files = argv + (check ? 2 : 1);
	int rc = 0;

	if (!*files)
		files = (char *const *)documents;
	for (size_t i = 0; files[i]; i++) {
		const char *path = files[i];
		char *old = slurp(path), *new = old ? regenerate(path, old) : NULL;

		if (!old)
			perror(path);
		if (!new) {
			rc = 1;
		} else if (check) {
			size_t len = strlen(path);
			const char *missing = len > 2 && !strcmp(path + len - 2, ".5") ?
					      undocumented(old) : NULL;

			if (missing) {
				printf("FAIL docs/%s: parameter %s is not described\n", path, missing);
				rc = 1;
			} else if (strcmp(old, new) == 0) {
				printf("PASS docs/%s\n", path);
			} else {
				printf("FAIL docs/%s: its parameter lists are not what "
				       "conf/params_*.def generates (make docs)\n", path);
				rc = 1;
			}
		} else if (strcmp(old, new) != 0) {
			FILE *f = fopen(path, "w");

			if (!f || fputs(new, f) < 0 || fclose(f) != 0) {
				perror(path);
				rc = 1;
			}
		}
		free(old);
		free(new);
	}
	return rc;
}
