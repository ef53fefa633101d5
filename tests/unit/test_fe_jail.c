/* Unit tests for jail(8)'s front-end: what it says, what it asks core to
 * do, and its exit status, with core and the configuration engine replaced
 * by fakes defined here (the linker then takes no core or conf object from
 * libbrig). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"
#include "util/mem.h"

/* ---- A fake configuration engine: "name=value", "name+=value", "name"
 * from the command line; from a file, one jail per line:
 * "JAIL param=value ...". */

static void set_param(struct conf_jail *j, const char *arg)
{
	const char *eq = strchr(arg, '=');
	bool append = eq && eq > arg && eq[-1] == '+';
	size_t nlen = eq ? (size_t)(eq - arg) - append : strlen(arg);
	struct conf_param *p = NULL;

	for (size_t i = 0; i < j->nparams; i++)
		if (strlen(j->params[i].name) == nlen && !strncmp(j->params[i].name, arg, nlen))
			p = &j->params[i];
	if (!p) {
		j->params = xrealloc(j->params, (j->nparams + 1) * sizeof(*p));
		p = &j->params[j->nparams++];
		memset(p, 0, sizeof(*p));
		p->name = xstrndup(arg, nlen);
		p->def = conf_pdef_find(CONF_SCHEMA_JAILS, p->name);
		p->type = eq ? CONF_STRING : CONF_BOOL;
	}
	if (!append) {
		for (size_t i = 0; i < p->nvalues; i++)
			free(p->values[i]);
		p->nvalues = 0;
	} else {
		p->type = CONF_LIST;
	}
	p->values = xrealloc(p->values, (p->nvalues + 1) * sizeof(char *));
	p->values[p->nvalues++] = xstrdup(eq ? eq + 1 : "true");
	if (!strncmp(arg, "name=", 5)) {
		free(j->name);
		j->name = xstrdup(eq + 1);
		j->label = j->name;
	}
}

static struct conf_jail *new_jail(struct conf *c)
{
	c->jails = xrealloc(c->jails, (c->njails + 1) * sizeof(*c->jails));
	memset(&c->jails[c->njails], 0, sizeof(c->jails[0]));
	return &c->jails[c->njails++];
}

int conf_load(const struct conf_source *src, struct conf **out, struct diag *d)
{
	struct conf *c = xcalloc(1, sizeof(*c));
	char line[1024];
	FILE *f;

	(void)d;
	if (src->cmdline && src->ncmdline) {
		struct conf_jail *j = new_jail(c);

		for (size_t i = 0; i < src->ncmdline; i++)
			set_param(j, src->cmdline[i]);
		*out = c;
		return 0;
	}
	f = fopen(src->file ? src->file : "/nonexistent", "r");
	if (!f) {
		free(c);
		*out = NULL;
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct conf_jail *j = new_jail(c);
		char *save = NULL, *tok = strtok_r(line, " \n", &save);
		char *nm = xasprintf("name=%s", tok);

		set_param(j, nm);
		free(nm);
		while ((tok = strtok_r(NULL, " \n", &save)))
			set_param(j, tok);
	}
	fclose(f);
	*out = c;
	return 0;
}

/* A model whose values are an array of its own, for the fakes to write
 * (free(d) frees both). */
struct fake_def {
	struct jail_def d;
	struct jval v[JP__COUNT];
};
static struct jail_def *fake_def(struct jval **vals)
{
	struct fake_def *f = xcalloc(1, sizeof(*f));

	for (size_t id = 0; id < JP__COUNT; id++)
		f->d.p[id] = &f->v[id];
	*vals = f->v;
	return &f->d;
}

/* The models of the fake configuration: each parameter set by its id,
 * the others at the table's default. */
const struct jail_set *conf_jail_set(const struct conf *c)
{
	struct jail_set *s = c->priv;

	if (s)
		return s;
	s = xcalloc(1, sizeof(*s));
	s->v = xcalloc(c->njails + 1, sizeof(*s->v));
	for (s->n = 0; s->n < c->njails; s->n++) {
		const struct conf_jail *j = &c->jails[s->n];
		struct jval *v;
		struct jail_def *d = fake_def(&v);
		static char *const none[1] = { NULL };

		d->name = j->name;
		for (size_t id = 0; id < JP__COUNT; id++)
			v[id] = (struct jval){ .s = conf_jparam((enum jparam)id)->dflt, .v = none };
		for (size_t i = 0; i < j->nparams; i++) {
			const struct conf_param *p = &j->params[i];

			if (p->def)
				v[p->def - conf_jparam(0)] = (struct jval){
					.set = true, .s = p->values[p->nvalues - 1],
					.v = p->values, .n = p->def->type == CONF_LIST ? p->nvalues : 0 };
		}
		s->v[s->n] = d;
	}
	s->priv = (void *)c;	/* the fake core_start reads the configuration */
	((struct conf *)c)->priv = s;
	return s;
}

const struct jail_def *jail_set_find(const struct jail_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i]->name, name))
			return s->v[i];
	return NULL;
}

void conf_free(struct conf *c)
{
	struct jail_set *s;

	if (!c)
		return;
	s = c->priv;
	for (size_t i = 0; s && i < s->n; i++)
		free(s->v[i]);
	if (s)
		free(s->v);
	free(s);
	for (size_t i = 0; i < c->njails; i++) {
		struct conf_jail *j = &c->jails[i];

		for (size_t k = 0; k < j->nparams; k++) {
			for (size_t v = 0; v < j->params[k].nvalues; v++)
				free(j->params[k].values[v]);
			free(j->params[k].values);
			free((char *)j->params[k].name);
		}
		free(j->params);
		free(j->name);
	}
	free(c->jails);
	free(c);
}

const struct conf_jail *conf_jail(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && i < c->njails; i++)
		if (!strcmp(c->jails[i].name, name))
			return &c->jails[i];
	return NULL;
}

void diag_free(struct diag *d) { (void)d; }

/* ---- A fake core: jails "run" in a table. */

struct fake_jail {
	char *name;
	int jid;
	struct strbuf params;	/* "name=value\n" lines */
};

static struct fake_jail running[8];
static size_t nrunning;
static bool last_no_hooks;
static int last_parallel;

static int lowest_free_jid(void)
{
	for (int jid = 1;; jid++) {
		bool used = false;

		for (size_t i = 0; i < nrunning; i++)
			used |= running[i].jid == jid;
		if (!used)
			return jid;
	}
}

static struct fake_jail *fake_find(const char *s)
{
	for (size_t i = 0; i < nrunning; i++)
		if (!strcmp(running[i].name, s) || atoi(s) == running[i].jid)
			return &running[i];
	return NULL;
}

static void start_one(const struct conf_jail *cj, const struct core_ops *o)
{
	struct fake_jail *j;
	const char *fail = conf_str(cj, "fail");

	if (fake_find(cj->name)) {
		o->report(o->ctx, cj->name, CORE_EV_ALREADY, NULL);
		return;
	}
	if (fail) {
		char *msg = xasprintf("%s: start: exec.prestart: %s: failed", cj->name, fail);

		o->report(o->ctx, cj->name, CORE_EV_FAILED, msg);
		free(msg);
		return;
	}
	printf("PRESTART %s\n", cj->name);
	fflush(stdout);
	j = &running[nrunning++];
	memset(j, 0, sizeof(*j));
	j->name = xstrdup(cj->name);
	j->jid = lowest_free_jid();
	for (size_t i = 0; i < cj->nparams; i++) {
		sb_addf(&j->params, "%s=", cj->params[i].name);
		for (size_t k = 0; k < cj->params[i].nvalues; k++)
			sb_addf(&j->params, "%s%s", k ? "," : "", cj->params[i].values[k]);
		sb_addc(&j->params, '\n');
	}
	if (o->verbose)
		o->report(o->ctx, cj->name, CORE_EV_VERBOSE, "run command: echo PRE");
	if (o->created)
		o->created(o->ctx, j->name, j->jid);
	if (conf_str(cj, "failafter")) {
		/* Failed after the jail existed: core undoes it. */
		o->report(o->ctx, cj->name, CORE_EV_FAILED, "start: exec.start: /bin/false: failed");
		free(j->name);
		sb_free(&j->params);
		nrunning--;
		return;
	}
	printf("POSTSTART %s\n", cj->name);
	fflush(stdout);
	o->report(o->ctx, j->name, CORE_EV_STARTED, NULL);
}

int core_start(const struct jail_set *s, char *const *names, size_t n, const struct core_ops *o)
{
	const struct conf *c = s->priv;

	last_parallel = o->parallel;
	if (n == 0)
		for (size_t i = 0; i < c->njails; i++)
			start_one(&c->jails[i], o);
	for (size_t i = 0; i < n; i++)
		start_one(conf_jail(c, names[i]), o);
	return 0;
}

int core_stop(const struct jail_set *s, char *const *names, size_t n, const struct core_ops *o)
{
	(void)s;
	last_no_hooks = o->no_hooks;
	for (size_t i = 0; i < n; i++) {
		struct fake_jail *j = fake_find(names[i]);

		if (!j) {
			o->report(o->ctx, names[i], CORE_EV_NOT_RUNNING, NULL);
			continue;
		}
		if (!o->no_hooks)
			printf("PRESTOP %s\n", j->name);
		if (strstr(j->params.s, "warnstop="))
			o->report(o->ctx, names[i], CORE_EV_WARNING, "exec.prestop: /bin/false: failed");
		o->report(o->ctx, names[i], CORE_EV_STOPPED, NULL);
		free(j->name);
		sb_free(&j->params);
		*j = running[--nrunning];
	}
	return 0;
}

const char *core_fixed(enum jparam id)
{
	return id == JP_HOST_HOSTNAME ? NULL : "fixed";
}

/* jail -m: the fake jail's parameters ids take with's values. */
int core_modify(const struct jail_def *with, const enum jparam *ids, size_t n, struct brig_err *e)
{
	struct fake_jail *j = fake_find(with->name);

	if (!j)
		return brig_err_set(e, 0, "\"%s\" not found", with->name);
	for (size_t i = 0; i < n; i++) {
		assert_null(core_fixed(ids[i]));
		sb_addf(&j->params, "%s=%s\n", jd_name(ids[i]), jd_str(with, ids[i]));
	}
	printf("MODIFY %s\n", with->name);
	return 0;
}

/* A core_jail (owned copy) of a fake one. */
static void fill(const struct fake_jail *f, struct core_jail *out)
{
	char *lines = xstrdup(f->params.s ? f->params.s : ""), *save = NULL, *l;
	struct jval *vals;

	memset(out, 0, sizeof(*out));
	out->jid = f->jid;
	out->name = xstrdup(f->name);
	out->path = xstrdup("/");
	out->hostname = xstrdup(f->name);
	out->def = fake_def(&vals);
	for (l = strtok_r(lines, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(l, '=');
		const struct conf_pdef *r;

		*eq = '\0';
		r = conf_pdef_find(CONF_SCHEMA_JAILS, l);
		if (r) {
			/* A later line (jail -m) wins. */
			free((char *)vals[r - conf_jparam(0)].s);
			vals[r - conf_jparam(0)] = (struct jval){ .set = true, .s = xstrdup(eq + 1) };
		}
	}
	free(lines);
}

int core_find(const char *name_or_jid, struct core_jail *out, struct brig_err *e)
{
	struct fake_jail *f = fake_find(name_or_jid);

	if (!f)
		return brig_err_set(e, 0, "%s: not running", name_or_jid);
	fill(f, out);
	return 0;
}

int core_list(struct core_jail **out, size_t *n, struct brig_err *e)
{
	(void)e;
	*out = xcalloc(nrunning + 1, sizeof(**out));
	for (size_t i = 0; i < nrunning; i++)
		fill(&running[i], &(*out)[i]);
	*n = nrunning;
	return 0;
}

void core_jail_free(struct core_jail *j)
{
	for (size_t id = 0; j->def && id < JP__COUNT; id++)
		free((char *)j->def->p[id]->s);
	free(j->def);
	free(j->name);
	free(j->path);
	free(j->hostname);
	memset(j, 0, sizeof(*j));
}

void core_list_free(struct core_jail *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		core_jail_free(&v[i]);
	free(v);
}

/* conf_str on the fake's jails. */
const char *conf_str(const struct conf_jail *j, const char *name)
{
	for (size_t i = 0; i < j->nparams; i++)
		if (!strcmp(j->params[i].name, name) && j->params[i].nvalues)
			return j->params[i].values[j->params[i].nvalues - 1];
	return NULL;
}

/* ---- Running the front-end */

static char *out_s, *err_s;

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		sb_addn(&sb, buf, (size_t)n);
	if (fd >= 0)
		close(fd);
	return sb_steal(&sb);
}

/* jail ARGS... (NULL-terminated): its exit status; stdout and stderr in
 * out_s and err_s. */
static int jail(const char *first, ...)
{
	char *argv[32] = { "jail", (char *)first };
	int argc = 2, rc, o, e, fo, fe;
	va_list ap;
	const char *a;

	va_start(ap, first);
	while ((a = va_arg(ap, const char *)) != NULL)
		argv[argc++] = (char *)a;
	va_end(ap);
	free(out_s);
	free(err_s);
	fflush(stdout);
	fflush(stderr);
	o = dup(1);
	e = dup(2);
	fo = open("/tmp/test_fe_jail.out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open("/tmp/test_fe_jail.err", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = fe_jail(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(o, 1);
	dup2(e, 2);
	close(o);
	close(e);
	close(fo);
	close(fe);
	out_s = slurp("/tmp/test_fe_jail.out");
	err_s = slurp("/tmp/test_fe_jail.err");
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	while (nrunning > 0) {
		free(running[nrunning - 1].name);
		sb_free(&running[--nrunning].params);
	}
	free(out_s);
	free(err_s);
	out_s = err_s = NULL;
	unlink("/tmp/test_fe_jail.out");
	unlink("/tmp/test_fe_jail.err");
	unlink("/tmp/test_fe_jail.conf");
	unlink("/tmp/test_fe_jail.jid");
	setenv("BRIG_CONFDIR", "/nonexistent", 1);
	return 0;
}

static void write_conf(const char *text)
{
	FILE *f = fopen("/tmp/test_fe_jail.conf", "w");

	fputs(text, f);
	fclose(f);
}

static void test_create_and_remove(void **state)
{
	(void)state;
	assert_int_equal(jail("-c", "name=web", "path=/", "persist", NULL), 0);
	/* "created" after exec.prestart, before exec.poststart: jail(8)'s order. */
	assert_string_equal(out_s, "PRESTART web\nweb: created\nPOSTSTART web\n");
	assert_string_equal(err_s, "");
	assert_int_equal(jail("-c", "name=web", "path=/", NULL), 1);
	assert_string_equal(err_s, "jail: \"web\" already exists\n");
	/* No configuration: jail -r of one jail is silent, as jail(8). */
	assert_int_equal(jail("-r", "web", NULL), 0);
	assert_string_equal(out_s, "PRESTOP web\n");
	assert_int_equal(jail("-r", "web", NULL), 1);
	assert_string_equal(err_s, "jail: \"web\" not found\n");
	assert_int_equal(jail("-q", "-r", "web", NULL), 1);
	assert_string_equal(err_s, "");
}

static void test_remove_messages(void **state)
{
	(void)state;
	assert_int_equal(jail("-q", "-c", "name=a", NULL), 0);
	assert_string_equal(out_s, "PRESTART a\nPOSTSTART a\n");
	assert_int_equal(jail("-q", "-c", "name=b", NULL), 0);
	assert_int_equal(jail("-q", "-c", "name=c", NULL), 0);
	/* By JID; -v says "removed" even when jail(8) would not. */
	assert_int_equal(jail("-v", "-r", "2", NULL), 0);
	assert_string_equal(out_s, "PRESTOP b\nb: removed\n");
	/* Several jails or a pattern: "removed" for each. */
	assert_int_equal(jail("-r", "*", NULL), 0);
	assert_non_null(strstr(out_s, "a: removed\n"));
	assert_non_null(strstr(out_s, "c: removed\n"));
	/* A pattern that matches nothing is not an error. */
	assert_int_equal(jail("-r", "*", NULL), 0);
	assert_string_equal(err_s, "");
}

static void test_remove_raw(void **state)
{
	(void)state;
	assert_int_equal(jail("-c", "name=a", NULL), 0);
	assert_int_equal(jail("-R", "a", NULL), 0);
	assert_true(last_no_hooks);
	assert_string_equal(out_s, "");
	assert_int_equal(nrunning, 0);
}

static void test_print_jid_and_jidfile(void **state)
{
	char *jf;

	(void)state;
	assert_int_equal(jail("-c", "name=a", NULL), 0);
	assert_int_equal(jail("-i", "-J", "/tmp/test_fe_jail.jid", "-p", "2", "-c", "name=b",
			      "path=/j b", "persist", "exec.start=sh /etc/rc", NULL), 0);
	assert_string_equal(out_s, "PRESTART b\n2\nPOSTSTART b\n");
	assert_int_equal(last_parallel, 2);
	jf = slurp("/tmp/test_fe_jail.jid");
	assert_string_equal(jf, "jid=2 name=b path=\"/j b\" persist exec.start=\"sh /etc/rc\"\n");
	free(jf);
	assert_int_equal(jail("-J", "/nonexistent/dir/jid", "-c", "name=c", NULL), 1);
	assert_string_equal(err_s, "jail: open /nonexistent/dir/jid: No such file or directory\n");
}

static void test_failure(void **state)
{
	(void)state;
	assert_int_equal(jail("-c", "name=bad", "fail=/bin/false", NULL), 1);
	assert_string_equal(err_s, "jail: bad: start: exec.prestart: /bin/false: failed\n");
	assert_string_equal(out_s, "");
}

static void test_failure_after_create(void **state)
{
	(void)state;
	assert_int_equal(jail("-c", "name=bad", "failafter", NULL), 1);
	assert_string_equal(out_s, "PRESTART bad\nbad: created\nbad: removed\n");
	assert_string_equal(err_s, "jail: bad: start: exec.start: /bin/false: failed\n");
	assert_int_equal(nrunning, 0);
}

static void test_verbose_and_warnings(void **state)
{
	(void)state;
	assert_int_equal(jail("-v", "-c", "name=v", "warnstop=1", NULL), 0);
	assert_string_equal(out_s, "PRESTART v\nv: run command: echo PRE\nv: created\nPOSTSTART v\n");
	/* A failing stop hook: warned, the jail still goes, exit status 1. */
	assert_int_equal(jail("-r", "v", NULL), 1);
	assert_string_equal(err_s, "jail: v: exec.prestop: /bin/false: failed\n");
	assert_int_equal(nrunning, 0);
}

static void test_modify(void **state)
{
	(void)state;
	assert_int_equal(jail("-m", "name=w", "path=/", NULL), 1);
	assert_string_equal(err_s, "jail: \"w\" not found\n");
	assert_int_equal(jail("-cm", "name=w", "path=/", NULL), 0);
	assert_string_equal(out_s, "PRESTART w\nw: created\nPOSTSTART w\n");
	assert_int_equal(jail("-cm", "name=w", "path=/", NULL), 0);
	assert_string_equal(out_s, "w: updated\n");
	/* The hostname changes live; -m says "updated", then nothing is
	 * left to change. */
	assert_int_equal(jail("-m", "name=w", "path=/", "host.hostname=h2", NULL), 0);
	assert_string_equal(out_s, "MODIFY w\nw: updated\n");
	assert_int_equal(jail("-m", "name=w", "path=/", "host.hostname=h2", NULL), 0);
	assert_string_equal(out_s, "w: updated\n");
	/* What cannot change refuses the whole change, and says why. */
	assert_int_equal(jail("-m", "name=w", "path=/other", "host.hostname=h3", NULL), 1);
	assert_string_equal(err_s, "jail: w: path cannot be changed after creation: fixed\n");
	assert_string_equal(out_s, "");
	assert_int_equal(jail("-rm", "name=w", "path=/other", NULL), 0);
	assert_string_equal(out_s, "PRESTOP w\nPRESTART w\nw: created\nPOSTSTART w\n");
	assert_int_equal(jail("-rm", "name=w", "path=/other", NULL), 0);
	assert_string_equal(out_s, "w: updated\n");
}

static void test_restart(void **state)
{
	(void)state;
	assert_int_equal(jail("-rc", "name=r", NULL), 1);
	assert_string_equal(err_s, "jail: \"r\" not found\n");
	assert_int_equal(jail("-c", "name=r", NULL), 0);
	assert_int_equal(jail("-rc", "name=r", NULL), 0);
	/* jail(8) says only "created" when it restarts. */
	assert_string_equal(out_s, "PRESTOP r\nPRESTART r\nr: created\nPOSTSTART r\n");
}

static void test_from_config(void **state)
{
	(void)state;
	write_conf("one persist\ntwo persist\nweb jid=5309\n");
	/* A number names the jail whose jid it is. */
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-qc", "5309", NULL), 0);
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-r", "5309", NULL), 0);
	assert_string_equal(out_s, "PRESTOP web\nweb: removed\n");
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-c", "two", NULL), 0);
	assert_string_equal(out_s, "PRESTART two\ntwo: created\nPOSTSTART two\n");
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-c", "three", NULL), 1);
	assert_string_equal(err_s, "jail: \"three\" not found\n");
	/* No name: every jail of the file. */
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-qc", NULL), 1);
	assert_string_equal(err_s, "jail: \"two\" already exists\n");
	assert_int_equal(nrunning, 3);
	/* With a configuration, removing one jail says so, by name or JID. */
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-r", "1", NULL), 0);
	assert_string_equal(out_s, "PRESTOP two\ntwo: removed\n");
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-r", "one", NULL), 0);
	assert_string_equal(out_s, "PRESTOP one\none: removed\n");
	assert_int_equal(jail("-f", "/tmp/test_fe_jail.conf", "-r", "one", NULL), 1);
	assert_string_equal(err_s, "jail: \"one\" not found\n");
}

static void test_usage_and_bad_config(void **state)
{
	(void)state;
	assert_int_equal(jail("-r", NULL), 1);
	assert_memory_equal(err_s, "usage: jail ", 12);
	assert_int_equal(jail("-f", "/nonexistent/jail.conf", "-c", "x", NULL), 1);
	assert_string_equal(err_s, "jail: cannot load the jail configuration\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_create_and_remove, teardown),
		cmocka_unit_test_teardown(test_remove_messages, teardown),
		cmocka_unit_test_teardown(test_remove_raw, teardown),
		cmocka_unit_test_teardown(test_print_jid_and_jidfile, teardown),
		cmocka_unit_test_teardown(test_failure, teardown),
		cmocka_unit_test_teardown(test_failure_after_create, teardown),
		cmocka_unit_test_teardown(test_verbose_and_warnings, teardown),
		cmocka_unit_test_teardown(test_modify, teardown),
		cmocka_unit_test_teardown(test_restart, teardown),
		cmocka_unit_test_teardown(test_from_config, teardown),
		cmocka_unit_test_teardown(test_usage_and_bad_config, teardown),
	};

	cli_prog = "jail";	/* as main() sets it for argv[0] "jail" */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
