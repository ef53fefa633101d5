/* libFuzzer target over the whole configuration engine: lex, parse,
 * .include from an in-memory file set, resolve, check, show.
 *
 * Input: one flag byte, then up to 8 files separated by "%%%\n" (named
 * jail.conf, a.conf, b.conf, sub/c.conf, ... so that includes and globs
 * find them). Flags: bit 0 networks schema, bit 1 command-line parameters
 * after the files, bit 2 no files: the lines are command-line parameters,
 * bit 3 the first file is an untrusted archive's jail.conf (block "j"),
 * bit 4 each line is an rctl(8) rule (bit 5: with its subject, as in
 * rctl.conf), a filter and a CPU list (conf/rctl.h).
 *
 * Beyond "no crash, no leak": a lazy load must give the same jails as a
 * full one, and what `config show` prints must load back to the same
 * jails, and a rule that parses must read back from its normal form to
 * the same rule (abort() otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/model.h"
#include "conf/rctl.h"
#include <jansson.h>
#include "util/json.h"
#include "util/strbuf.h"

static const char *const names[] = {
	"jail.conf", "a.conf", "b.conf", "sub/c.conf", "sub/d.conf", "e.inc", ".hidden.conf", "f.conf",
};
#define NFILES (sizeof(names) / sizeof(names[0]))
#define SEP "%%%\n"

/* Every jail of c as JSON, and as text. */
static void render(const struct conf *c, struct strbuf *json, struct strbuf *text)
{
	struct json w;

	json_init(&w, json, false);
	json_arr_begin(&w);
	for (size_t i = 0; i < c->njails; i++) {
		conf_jail_json(&c->jails[i], &w);
		conf_jail_text(&c->jails[i], text);
	}
	json_arr_end(&w);
}

/* The lookups others use, on every jail; every jail's model, and the
 * model as a running jail's state records it reads back the same. */
static void use(const struct conf *c, enum conf_schema schema)
{
	const struct jail_set *set;

	if (schema == CONF_SCHEMA_NETWORKS) {
		size_t n;

		net_defs_free(net_defs_build(c, &n), n);
		return;
	}
	set = conf_jail_set(c);

	if (set->n != c->njails)
		abort();
	for (size_t i = 0; i < c->njails; i++) {
		const struct conf_jail *j = &c->jails[i];
		const struct jail_def *d = set->v[i];
		struct strbuf sb = STRBUF_INIT;
		struct brig_err e = { 0 };
		struct jail_def *back = NULL;
		struct json w;
		json_t *o;

		if (conf_jail(c, j->name) != j || conf_name_invalid(j->name))
			abort();
		if (jail_set_find(set, j->name) != d || strcmp(d->name, j->name) != 0)
			abort();
		for (size_t k = 0; k < j->nparams; k++)
			if (j->params[k].values[j->params[k].nvalues] != NULL)
				abort();	/* values are an argv */
		json_init(&w, &sb, false);
		jail_def_json(d, &w);
		o = json_loads(sb.s, 0, NULL);
		if (!o || jail_def_from_json(o, &back, &e) < 0 || jail_def_differs(d, back))
			abort();
		json_decref(o);
		jail_def_free(back);
		brig_err_clear(&e);
		sb_free(&sb);
	}
}

/* conf_each's callback: the jail as JSON. */
static int each_json(void *arg, const struct conf_jail *j)
{
	conf_jail_json(j, arg);
	return 0;
}

/* A lazy load (config check/show) sees the same jails as a full one. */
static void lazy_same(struct conf_source src, const struct strbuf *json)
{
	struct strbuf json2 = STRBUF_INIT;
	struct diag d = { 0 };
	struct conf *c;
	struct json w;

	src.lazy = true;
	if (conf_load(&src, &c, &d) < 0)
		abort();
	json_init(&w, &json2, false);
	json_arr_begin(&w);
	conf_each(c, NULL, each_json, &w);
	json_arr_end(&w);
	if (strcmp(json->s, json2.s) != 0)
		abort();
	conf_free(c);
	diag_free(&d);
	sb_free(&json2);
}

/* What show prints loads back to the same jails. */
static void round_trip(enum conf_schema schema, const struct strbuf *json, const struct strbuf *text)
{
	struct conf_memfile mem = { "show.conf", text->s ? text->s : "", text->len };
	struct conf_source src = { .schema = schema, .mem = &mem, .nmem = 1 };
	struct strbuf json2 = STRBUF_INIT, text2 = STRBUF_INIT;
	struct diag d = { 0 };
	struct conf *c;

	if (text->len > (16u << 20))
		return;	/* too large to be a file: refused, rightly */
	if (conf_load(&src, &c, &d) < 0)
		abort();
	render(c, &json2, &text2);
	if (strcmp(json->s, json2.s) != 0)
		abort();
	conf_free(c);
	diag_free(&d);
	sb_free(&json2);
	sb_free(&text2);
}

/* One rctl rule, filter and CPU list per line. */
static void rctl_lines(const char *p, const char *end, bool subject)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		char *line = strndup(p, len);
		struct rctl_rule r, back;
		struct rctl_filter f;
		char msg[256], a[128], b[128];
		size_t at;

		if (rctl_parse(line, subject, &r, msg, sizeof(msg), &at) == 0) {
			rctl_format(&r, a, sizeof(a));
			if (rctl_parse(a, false, &back, msg, sizeof(msg), &at) < 0)
				abort();
			rctl_format(&back, b, sizeof(b));
			if (strcmp(a, b) != 0 || back.res != r.res || back.amount != r.amount ||
			    back.action != r.action)
				abort();
		} else if (at > strlen(line)) {
			abort();
		}
		/* A whole rule, as a filter, matches that rule. */
		if (rctl_filter_parse(line, &f, msg, sizeof(msg)) == 0 &&
		    rctl_parse(line, true, &r, msg, sizeof(msg), &at) == 0) {
			char *jail = strndup(r.jail, r.jlen);

			if (!strchr(jail, ':') && !rctl_filter_match(&f, jail, &r))
				abort();
			free(jail);
		}
		rctl_cpuset_valid(line, msg, sizeof(msg));
		free(line);
		p += len + (nl != NULL);
	}
}

/* An archive's jail.conf: whatever it says, the one jail that comes out
 * carries only parameters marked as safe from an untrusted source, and the
 * importer's path and name. */
static void untrusted(const char *text, size_t len)
{
	static char *const trusted[] = { "path=/var/lib/brig/jails/k/root" };
	struct conf_untrusted u = { "archive.conf", text, len, "j", "k", trusted, 1 };
	struct diag d = { 0 };
	struct conf *c = NULL;

	if (conf_load_untrusted(&u, &c, &d) == 0) {
		if (c->njails != 1 || strcmp(c->jails[0].name, "k") != 0)
			abort();
		for (size_t k = 0; k < c->jails[0].nparams; k++) {
			const struct conf_param *pm = &c->jails[0].params[k];

			if (strcmp(pm->name, "path") && strcmp(pm->name, "name") &&
			    !(pm->def && (pm->def->flags & CONF_PF_UNTRUSTED)))
				abort();
		}
		conf_free(c);
	} else if (c || d.nerrors == 0) {
		abort();
	}
	diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *fixed[] = { "persist", "exec.start+=extra", "ip4.addr=10.0.0.1,10.0.0.2",
				 "host.hostname=h", "allow.nomount" };
	struct conf_memfile mem[NFILES];
	struct conf_source src = { 0 };
	char *lines[16];
	size_t n = 0, nlines = 0;
	const char *p, *end;
	uint8_t flags = 0;
	struct diag d = { 0 };
	struct conf *c = NULL;

	if (size > 0) {
		flags = data[0];
		data++;
		size--;
	}
	p = (const char *)data;
	end = p + size;
	if (flags & 8) {
		untrusted(p, size);
		return 0;
	}
	if (flags & 16) {
		rctl_lines(p, end, flags & 32);
		return 0;
	}
	src.schema = flags & 1 ? CONF_SCHEMA_NETWORKS : CONF_SCHEMA_JAILS;
	if (flags & 4) {
		/* No files: each line is a command-line parameter. */
		while (p < end && nlines < 16) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *stop = nl ? nl : end;

			lines[nlines] = strndup(p, (size_t)(stop - p));
			nlines++;
			p = stop + (nl ? 1 : 0);
		}
		src.cmdline = lines;
		src.ncmdline = nlines;
	} else {
		while (n < NFILES) {
			const char *sep = n + 1 < NFILES ? memmem(p, (size_t)(end - p), SEP, 4) : NULL;
			const char *stop = sep ? sep : end;

			mem[n] = (struct conf_memfile){ names[n], p, (size_t)(stop - p) };
			n++;
			if (!sep)
				break;
			p = sep + 4;
		}
		src.mem = mem;
		src.nmem = n;
		if (flags & 2) {
			src.cmdline = fixed;
			src.ncmdline = sizeof(fixed) / sizeof(fixed[0]);
		}
	}
	if (conf_load(&src, &c, &d) == 0) {
		struct strbuf json = STRBUF_INIT, text = STRBUF_INIT;

		if (d.nerrors)
			abort();
		render(c, &json, &text);
		use(c, src.schema);
		lazy_same(src, &json);
		round_trip(src.schema, &json, &text);
		sb_free(&json);
		sb_free(&text);
		conf_free(c);
	} else if (c || d.nerrors == 0) {
		abort();
	}
	diag_free(&d);
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	return 0;
}
