/* A compose file, read by libfyaml (anchors, aliases and merge keys
 * resolved by the library), mapped to brig's files: one jail per service,
 * one bridge per network, rdr rules, depend, exec.env, command, mounts,
 * rctl rules. Whatever has no mapping is listed with file:line and why;
 * nothing is dropped silently, `x-` fields aside (the specification's
 * extension fields, for anchors). Every value is written as a jail.conf
 * literal: nothing in a compose file expands in jail.conf or runs on the
 * host, and the only host paths mounted are those the file names. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "conf/conf.h"
#include "compose/internal.h"
#include "util/io.h"
#include "util/isolate.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/utf8.h"

int cx_line(struct fy_node *n)
{
	struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

	if (!m && n && (fy_node_is_mapping(n) || fy_node_is_sequence(n))) {
		void *it = NULL;

		if (fy_node_is_mapping(n)) {
			struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);

			return p ? cx_line(fy_node_pair_key(p)) : 0;
		}
		return cx_line(fy_node_sequence_iterate(n, &it));
	}
	return m ? m->line + 1 : 0;
}

void cx_fail(struct cx *c, struct fy_node *at, const char *where, const char *fmt, ...)
{
	struct fy_token *t = at ? fy_node_get_scalar_token(at) : NULL;
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	char why[256];
	va_list ap;

	if (c->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(c->err, sizeof(c->err), "%s:%d:%d: %s: %s", c->file, m ? m->line + 1 : cx_line(at),
		 m ? m->column + 1 : 0, where, why);
}

void cx_unsup(struct cx *c, struct fy_node *at, const char *where, const char *fmt, ...)
{
	va_list ap;
	char why[512];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* One line each, whatever the names and values in it hold. */
	for (char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	cleanup_free char *w = xstrdup(where);

	for (char *p = w; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	sb_addf(&c->unsup, "%s:%d: %s: %s\n", c->file, cx_line(at), w, why);
	c->nunsup++;
}

/* A scalar's value, interpolated; NULL (and listed) when it is not a
 * scalar or its interpolation fails. */
char *cx_str(struct cx *c, struct fy_node *n, const char *where)
{
	const char *s, *why;
	char *out;
	size_t len;

	if (!n || !fy_node_is_scalar(n)) {
		cx_unsup(c, n, where, "expected a single value");
		return NULL;
	}
	s = fy_node_get_scalar(n, &len);
	if (!s)
		s = "";
	cleanup_free char *raw = xstrndup(s, len);
	size_t bad;

	/* The file is UTF-8 (checked before libfyaml reads it), but a
	 * scalar libfyaml 0.8 gives back need not be: in a block scalar
	 * indented as its key is, its last byte is one it never wrote
	 * (valgrind: uninitialised; fuzz/corpus-compose/libfyaml-block-
	 * uninit). Whatever goes into a jail's file is checked here. */
	if (!utf8_valid(raw, len, &bad)) {
		cx_unsup(c, n, where, "%s at byte %zu of the value", raw[bad] ? "not UTF-8" : "a NUL byte", bad);
		return NULL;
	}
	if (compose_interp(raw, c->lookup, c->ctx, &out, &why) < 0) {
		cx_unsup(c, n, where, "%s", why);
		return NULL;
	}
	return out;
}

/* A list parameter: name = "a", "b"; */
void cx_param_list(struct strbuf *sb, const char *name, char *const *v, size_t n)
{
	if (!n)
		return;
	sb_addf(sb, "\t%s = ", name);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_adds(sb, ",\n\t    ");
		conf_quote(sb, v[i]);
	}
	sb_adds(sb, ";\n");
}

void cx_param(struct strbuf *sb, const char *name, const char *v)
{
	cx_param_list(sb, name, (char *const *)&v, 1);
}

void cx_strv_push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void cx_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *compose_project_name(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		char ch = (char)tolower((unsigned char)*s);

		if (isalnum((unsigned char)ch) || ((ch == '_' || ch == '-') && sb.len))
			sb_addc(&sb, ch);
	}
	if (!sb.len || sb.len > 40) {
		sb_free(&sb);
		return NULL;
	}
	return sb_steal(&sb);
}

/* A service, network or volume name that can be part of a jail's, a
 * bridge's and a file's name. */
bool cx_name_ok(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > 40 || !isalnum((unsigned char)*s) || !isalnum((unsigned char)s[len - 1]) ||
	    strstr(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

static const struct {
	const char *key, *why;
} top_unsupported[] = {
	{ "secrets", "secrets have no brig equivalent: put the file in the jail or bind it with volumes" },
	{ "configs", "configs have no brig equivalent: bind the file with volumes" },
	{ "include", "include is not supported: import each file" },
};

static void add_file(struct compose_result *r, char *path, char *text)
{
	r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
	r->files[r->nfiles].path = path;
	r->files[r->nfiles].text = text;
	r->nfiles++;
}

static int run(struct cx *c, struct fy_document *doc, const char *fallback,
	       struct compose_result *r, char *err, size_t errlen)
{
	struct fy_node *root = fy_document_root(doc);
	struct fy_node *services = NULL, *networks = NULL, *volumes = NULL;
	struct fy_node_pair *p;
	void *it = NULL;

	if (!root || !fy_node_is_mapping(root)) {
		snprintf(err, errlen, "%s:%d: not a compose file: the top level is not a mapping",
			 c->file, cx_line(root));
		return -1;
	}
	while ((p = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		const char *key = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;
		bool done = false;

		if (!key) {
			cx_unsup(c, k, "(top level)", "a key that is not a plain name");
			continue;
		}
		if (!strncmp(key, "x-", 2) || !strcmp(key, "version"))
			continue;
		if (!strcmp(key, "services")) {
			services = v;
			continue;
		}
		if (!strcmp(key, "networks")) {
			networks = v;
			continue;
		}
		if (!strcmp(key, "volumes")) {
			volumes = v;
			continue;
		}
		if (!strcmp(key, "name")) {
			if (!c->project) {
				cleanup_free char *n = cx_str(c, v, "name");

				c->project = n ? compose_project_name(n) : NULL;
			}
			continue;
		}
		for (size_t i = 0; i < sizeof(top_unsupported) / sizeof(*top_unsupported); i++)
			if (!strcmp(key, top_unsupported[i].key)) {
				cx_unsup(c, k, key, "%s", top_unsupported[i].why);
				done = true;
			}
		if (!done)
			cx_unsup(c, k, key, "unknown top-level key");
	}
	if (!c->project && fallback)
		c->project = xstrdup(fallback);
	if (!c->project) {
		snprintf(err, errlen, "%s: no project name: give one with -p", c->file);
		return -1;
	}
	if (!services || !fy_node_is_mapping(services) || !fy_node_mapping_item_count(services)) {
		snprintf(err, errlen, "%s:%d: no services", c->file, cx_line(services ? services : root));
		return -1;
	}
	r->project = xstrdup(c->project);
	cx_networks(c, networks);
	if (c->err[0]) {
		snprintf(err, errlen, "%s", c->err);
		return -1;
	}
	cx_volumes(c, volumes);
	if (cx_services(c, services) < 0) {
		snprintf(err, errlen, "%s", c->err);
		return -1;
	}
	size_t hosts_total = 0;

	for (size_t i = 0; i < c->nsvc; i++) {
		char *h = hosts_total <= CX_HOSTS_TOTAL_MAX ? cx_hosts(c, &c->svc[i]) : NULL;

		hosts_total += h ? strlen(h) : 0;
		if (!h || hosts_total > CX_HOSTS_TOTAL_MAX) {
			free(h);
			snprintf(err, errlen, "%s: service %s: its /etc/hosts would be larger than %u "
				 "bytes, or all jails' larger than %u (services, networks, aliases)",
				 c->file, c->svc[i].name, CX_HOSTS_MAX, CX_HOSTS_TOTAL_MAX);
			return -1;
		}
		r->hosts = xrealloc(r->hosts, (r->njails + 1) * sizeof(*r->hosts));
		r->hosts[r->njails] = h;
		add_file(r, xasprintf("jail.conf.d/%s_%s.conf", c->project, c->svc[i].name),
			 sb_steal(&c->svc[i].conf));
		r->templates = xrealloc(r->templates, (r->njails + 1) * sizeof(*r->templates));
		r->templates[r->njails] = c->svc[i].tmpl ? xstrdup(c->svc[i].tmpl) : NULL;
		r->resolv = xrealloc(r->resolv, (r->njails + 1) * sizeof(*r->resolv));
		r->resolv[r->njails] = cx_resolv(c, &c->svc[i]);
		cx_strv_push(&r->jails, &r->njails, xasprintf("%s_%s", c->project, c->svc[i].name));
	}
	char *nets = cx_networks_conf(c);

	if (nets)
		add_file(r, xasprintf("networks.conf.d/%s.conf", c->project), nets);
	for (size_t i = 0; i < c->nvol; i++)
		cx_strv_push(&r->volumes, &r->nvolumes, xstrdup(c->vol[i].dir));
	char *nn = cx_networks_notes(c);

	if (nn)
		sb_adds(&c->notes, nn);
	free(nn);
	r->notes = c->notes.len ? sb_steal(&c->notes) : NULL;
	r->nunsupported = c->nunsup;
	r->unsupported = c->unsup.len ? sb_steal(&c->unsup) : NULL;
	return 0;
}

static void cx_free(struct cx *c)
{
	for (size_t i = 0; i < c->nsvc; i++) {
		free(c->svc[i].name);
		sb_free(&c->svc[i].conf);
		cx_strv_free(c->svc[i].deps, c->svc[i].ndeps);
		free(c->svc[i].tmpl);
		free(c->svc[i].alias);
		sb_free(&c->svc[i].extra_hosts);
		free(c->svc[i].cap_add);
		free(c->svc[i].cap_drop);
		for (size_t k = 0; k < c->svc[i].natt; k++)
			cx_strv_free(c->svc[i].att[k].aliases, c->svc[i].att[k].naliases);
		free(c->svc[i].att);
		sb_free(&c->svc[i].resolv);
		sb_free(&c->svc[i].resolv_search);
		sb_free(&c->svc[i].resolv_opts);
	}
	free(c->svc);
	for (size_t i = 0; i < c->nnet; i++) {
		free(c->net[i].name);
		free(c->net[i].bridge);
		free(c->net[i].skipped);
	}
	free(c->net);
	for (size_t i = 0; i < c->nvol; i++) {
		free(c->vol[i].name);
		free(c->vol[i].dir);
	}
	free(c->vol);
	for (size_t i = 0; i < c->ndocs; i++) {
		fy_document_destroy(c->docs[i].doc);
		free(c->docs[i].file);
		free(c->docs[i].dir);
	}
	free(c->docs);
	sb_free(&c->notes);
	sb_free(&c->unsup);
	free(c->project);
}

static int import_doc(const struct compose_opts *o, struct fy_document *doc,
		      compose_lookup_fn lookup, void *ctx, const char *dir, const char *fallback,
		      struct compose_result *r, char *err, size_t errlen)
{
	struct cx c = { .text_only = !dir };
	int rc;

	memset(r, 0, sizeof(*r));
	c.file = o->file;
	c.dir = dir ? dir : ".";
	c.images = o->images;
	c.storedir = o->storedir ? o->storedir : "/var/lib/brig";
	c.lookup = lookup;
	c.ctx = ctx;
	c.image = o->image;
	c.image_ctx = o->image_ctx;
	c.used = o->used;
	c.nused = o->nused;
	c.profiles = o->profiles;
	c.nprofiles = o->nprofiles;
	if (o->project) {
		c.project = compose_project_name(o->project);
		if (!c.project) {
			snprintf(err, errlen, "project name \"%s\": no letter or digit in it, or too long",
				 o->project);
			return -1;
		}
	}
	if (!doc) {
		snprintf(err, errlen, "%s: not a YAML document (libfyaml could not parse it)", o->file);
		cx_free(&c);
		return -1;
	}
	rc = run(&c, doc, fallback, r, err, errlen);
	cx_free(&c);
	if (rc < 0)
		compose_result_free(r);
	return rc;
}

/* Where libfyaml's diagnostics go: the first is kept for the error, none
 * printed; in the probe's child (build), also written to fd at once. */
struct diag_to {
	struct strbuf *msg;
	int fd;			/* -1: none */
};

static void diag_out(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	struct diag_to *to = user;

	(void)diag;
	if (to->msg->len)
		return;
	sb_addn(to->msg, buf, strcspn(buf, "\n") < len ? strcspn(buf, "\n") : len);
	if (to->fd >= 0)
		(void)write_all(to->fd, to->msg->s, to->msg->len);
}

#define EXPAND_MAX 200000
/* The largest compose file read (bytes). */
#define COMPOSE_MAX (16u << 20)

/* Count n's nodes as resolved into *budget; -1 when it runs out. */
static int expand_size(struct fy_node *n, size_t *budget, int depth)
{
	struct fy_node_pair *p;
	struct fy_node *e;
	void *it = NULL;

	if (!n)
		return 0;
	if (!*budget || depth > 64)
		return -1;
	(*budget)--;
	if (fy_node_is_alias(n))
		return expand_size(fy_node_resolve_alias(n), budget, depth + 1);
	if (fy_node_is_sequence(n)) {
		while ((e = fy_node_sequence_iterate(n, &it)))
			if (expand_size(e, budget, depth + 1) < 0)
				return -1;
	} else if (fy_node_is_mapping(n)) {
		while ((p = fy_node_mapping_iterate(n, &it)))
			if (expand_size(fy_node_pair_key(p), budget, depth + 1) < 0 ||
			    expand_size(fy_node_pair_value(p), budget, depth + 1) < 0)
				return -1;
	}
	return 0;
}

/* What libfyaml is given must be checked first: UTF-8 (0.8 loops for
 * ever on some invalid UTF-8: a directive line with 0xff bytes), and no
 * run of four single quotes (two escaped quotes in a row in a
 * single-quoted scalar: 0.7 gives back bytes it never wrote, and leaks
 * a buffer while it parses a longer run, before any node can be looked
 * at: fuzz/corpus-compose/libfyaml-squote*). Such a run anywhere else (a
 * comment, a double-quoted value) is refused too: rare, and said where.
 * False, with err, if it is not. */
static bool text_ok(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	size_t bad, line = 1, col = 1, run = 0;

	if (!utf8_valid(text, len, &bad)) {
		snprintf(err, errlen, "%s: not UTF-8 (byte %zu)", name, bad);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		run = text[i] == '\'' ? run + 1 : 0;
		if (run == 4) {
			snprintf(err, errlen, "%s:%zu:%zu: four single quotes in a row (two escaped quotes "
				 "in a single-quoted value), which libfyaml 0.7 reads wrong: write the "
				 "value double-quoted", name, line, col - 3);
			return false;
		}
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return true;
}

/* The document of file, or of text when file is NULL; anchors, aliases
 * and merge keys resolved. NULL and *msg when it is not YAML. libfyaml's
 * first diagnostic also goes to fd (-1: nowhere). */
static struct fy_document *parse(const char *file, const char *text, size_t len,
				 struct strbuf *msg, int fd)
{
	struct diag_to to = { msg, fd };
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_document *doc;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_out;
	dcfg.user = &to;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = true;
	dcfg.show_type = false;
	dcfg.show_module = false;
	cfg.diag = fy_diag_create(&dcfg);
	if (!cfg.diag)
		return NULL;
	doc = file ? fy_document_build_from_file(&cfg, file) :
		fy_document_build_from_string(&cfg, text, len);
	fy_diag_destroy(cfg.diag);
	/* Aliases are resolved only when what they expand to is bounded (a
	 * "billion laughs" file would take the host's memory). */
	size_t budget = EXPAND_MAX;

	if (doc && expand_size(fy_document_root(doc), &budget, 0) < 0) {
		sb_reset(msg);
		sb_addf(msg, "its aliases expand to more than %d nodes", EXPAND_MAX);
		fy_document_destroy(doc);
		return NULL;
	}
	if (doc && fy_document_resolve(doc) != 0) {
		if (!msg->len)
			sb_adds(msg, "an alias or merge key that does not resolve");
		fy_document_destroy(doc);
		return NULL;
	}
	return doc;
}

/* libfyaml (0.7.12, Debian 12's) crashes on some invalid YAML:
 * fuzz_compose found a write through a null pointer in its cleanup
 * after "cannot use tab for indentation of block entry"
 * (fuzz/corpus-compose/libfyaml-tab-crash); its tracker holds more of the
 * kind, and text_ok turns away two known ones. So a compose file is read
 * first by a child process (util/isolate.h), bounded in time; only when
 * the child got through is it read here. */
#define PARSE_CPU_S 10
#define PARSE_WALL_MS 20000

struct probe {
	const char *file, *text;
	size_t len;
};

static void probe_parse(void *arg, int fd)
{
	struct probe *pr = arg;
	struct strbuf msg = STRBUF_INIT;

	fy_document_destroy(parse(pr->file, pr->text, pr->len, &msg, fd));
	sb_free(&msg);
}

static struct fy_document *build(const char *file, const char *text, size_t len,
				 struct strbuf *msg)
{
	struct probe pr = { file, text, len };
	struct strbuf said = STRBUF_INIT;
	int end = isolate_call(probe_parse, &pr, PARSE_CPU_S, PARSE_WALL_MS, &said);

	if (end == ISOLATE_DONE) {
		sb_free(&said);
		return parse(file, text, len, msg, -1);
	}
	int saved = errno;

	sb_reset(msg);
	if (end < 0)
		sb_addf(msg, "no process to read it in: %s", strerror(saved));
	else if (end == ISOLATE_LATE)
		sb_addf(msg, "libfyaml %s did not finish reading it (%d s of CPU, %d s in all)",
			fy_library_version(), PARSE_CPU_S, PARSE_WALL_MS / 1000);
	else
		sb_addf(msg, "%s%slibfyaml %s crashed reading it", said.s ? said.s : "",
			said.len ? "; then " : "", fy_library_version());
	sb_free(&said);
	return NULL;
}

struct fy_document *cx_doc_load(const char *path, char *err, size_t errlen)
{
	struct strbuf msg = STRBUF_INIT;
	struct brig_err re = { 0 };
	struct fy_document *doc;
	char *text;
	size_t len;

	/* As compose_import: UTF-8 checked before libfyaml reads it. */
	if (read_bounded(AT_FDCWD, path, READ_PATH, COMPOSE_MAX, &text, &len, &re) < 0) {
		snprintf(err, errlen, "%s", re.msg);
		return NULL;
	}
	if (!text_ok(path, text, len, err, errlen)) {
		free(text);
		return NULL;
	}
	free(text);
	doc = build(path, NULL, 0, &msg);
	if (!doc)
		snprintf(err, errlen, "%s: not a YAML document: %s", path,
			 msg.len ? msg.s : "libfyaml could not read it");
	sb_free(&msg);
	return doc;
}

static int yaml_error(const char *file, struct strbuf *msg, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: not a YAML document: %s", file,
		 msg->len ? msg->s : "libfyaml could not read it");
	return -1;
}

/* The environment, then the .env file beside the compose file. */
struct envfile {
	compose_lookup_fn lookup;
	void *ctx;
	char **kv;		/* "KEY=value" */
	size_t n;
};

static const char *env_lookup(void *ctx, const char *name)
{
	struct envfile *e = ctx;
	const char *v = e->lookup ? e->lookup(e->ctx, name) : NULL;
	size_t len = strlen(name);

	if (v)
		return v;
	for (size_t i = e->n; i-- > 0;)
		if (!strncmp(e->kv[i], name, len) && e->kv[i][len] == '=')
			return e->kv[i] + len + 1;
	return NULL;
}

static const char *no_env(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

int compose_import_text(const struct compose_opts *o, const char *text, size_t len,
			struct compose_result *r, char *err, size_t errlen)
{
	struct strbuf msg = STRBUF_INIT;
	struct fy_document *doc;

	if (!text_ok(o->file, text, len, err, errlen))
		return -1;
	doc = build(NULL, text, len, &msg);
	int rc = doc ? import_doc(o, doc, o->lookup ? o->lookup : no_env, o->ctx, NULL, "project",
				  r, err, errlen) : yaml_error(o->file, &msg, err, errlen);

	fy_document_destroy(doc);
	sb_free(&msg);
	return rc;
}

int compose_import(const struct compose_opts *o, struct compose_result *r, char *err,
		   size_t errlen)
{
	struct envfile e = { o->lookup, o->ctx, NULL, 0 };
	cleanup_free char *dir = xstrdup(o->file);
	cleanup_free char *proj = NULL;
	char *slash = strrchr(dir, '/');
	char abs[PATH_MAX];
	struct strbuf msg = STRBUF_INIT;
	struct brig_err re = { 0 };
	struct fy_document *doc;
	char *text;
	size_t len;
	int rc;

	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (*dir ? dir : "/") : ".", abs)) {
		snprintf(err, errlen, "%s: its directory: %s", o->file, strerror(errno));
		return -1;
	}
	if (cx_env_file(abs, ".env", &e.kv, &e.n, err, errlen, true) < 0)
		return -1;
	/* -p, then the file's `name:` (run() reads it), then the directory. */
	proj = compose_project_name(strrchr(abs, '/') + 1);
	/* libfyaml 0.8 loops for ever on some invalid UTF-8 (a directive
	 * line with 0xff bytes: fuzz_compose): a compose file is UTF-8, and
	 * is checked before libfyaml reads it. */
	if (read_bounded(AT_FDCWD, o->file, READ_PATH, COMPOSE_MAX, &text, &len, &re) < 0) {
		snprintf(err, errlen, "%s", re.msg);
		cx_strv_free(e.kv, e.n);
		return -1;
	}
	if (!text_ok(o->file, text, len, err, errlen)) {
		free(text);
		cx_strv_free(e.kv, e.n);
		return -1;
	}
	free(text);
	doc = build(o->file, NULL, 0, &msg);
	rc = doc ? import_doc(o, doc, env_lookup, &e, abs, proj, r, err, errlen) :
		yaml_error(o->file, &msg, err, errlen);
	fy_document_destroy(doc);
	sb_free(&msg);
	cx_strv_free(e.kv, e.n);
	return rc;
}

void compose_result_free(struct compose_result *r)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].text);
	}
	free(r->files);
	for (size_t i = 0; i < r->njails; i++) {
		free(r->templates[i]);
		free(r->hosts ? r->hosts[i] : NULL);
		free(r->resolv ? r->resolv[i] : NULL);
	}
	free(r->resolv);
	free(r->templates);
	free(r->hosts);
	cx_strv_free(r->jails, r->njails);
	cx_strv_free(r->volumes, r->nvolumes);
	free(r->unsupported);
	free(r->notes);
	free(r->project);
	memset(r, 0, sizeof(*r));
}
