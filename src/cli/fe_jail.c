/* jail(8): create, remove, restart and modify jails with FreeBSD's flags,
 * messages and exit status, on top of core. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"
#include "util/mem.h"
#include "util/paths.h"

/* A jail this run created, and its JID. */
struct created {
	char *name;
	int jid;
};

struct run {
	const struct jail_args *a;
	const struct conf *c;
	FILE *jfp;		/* -J */
	bool note_remove;	/* jail(8) says "removed" for this remove */
	bool wild;		/* jails were chosen by a pattern: absent is fine */
	bool failed;
	struct created *created;
	size_t ncreated, cap;
};

/* A list of jail names (owned strings). */
struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(name);
}

static void names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* What jail(8) calls a jail in its messages: its block's label ("5309"
 * for "5309 { name = web; }"); NULL for a command-line jail without a
 * name (jail(8) then notes nothing at its default verbosity). A jail the
 * configuration does not define: its name. */
static const char *label(const struct run *r, const char *jail)
{
	const struct conf_jail *cj = r->c ? conf_jail(r->c, jail) : NULL;

	return cj ? cj->label : jail;
}

/* The label, or for a jail without one its name (warnings name it). */
static const char *called(const struct run *r, const char *jail)
{
	const char *l = label(r, jail);

	return l ? l : jail;
}

/* jail(8)'s notes: "NAME: created", or without a name (-v only) "created". */
static void note(const struct run *r, const char *jail, const char *what)
{
	const char *l = label(r, jail);

	if (r->a->verbose > 0 || (r->a->verbose == 0 && l))
		printf("%s%s%s\n", l ? l : "", l ? ": " : "", what);
	fflush(stdout);
}

/* jail(8)'s warnings: "jail: NAME: message". core's messages may already
 * start with the jail's name. */
static void warn_jail(const struct run *r, const char *jail, const char *msg)
{
	size_t len = strlen(jail);

	if (!msg)
		msg = "failed";
	if (!strncmp(msg, jail, len) && !strncmp(msg + len, ": ", 2))
		msg += len + 2;
	cli_error("%s: %s", called(r, jail), msg);
}

static struct created *find_created(struct run *r, const char *jail)
{
	for (size_t i = 0; i < r->ncreated; i++)
		if (strcmp(r->created[i].name, jail) == 0)
			return &r->created[i];
	return NULL;
}

/* The jail exists: -i prints its JID, otherwise "NAME: created". */
static void on_created(void *ctx, const char *jail, int jid)
{
	struct run *r = ctx;

	if (find_created(r, jail))
		return;
	r->created = xgrow(r->created, &r->cap, r->ncreated + 1, sizeof(*r->created));
	r->created[r->ncreated++] = (struct created){ xstrdup(jail), jid };
	if (r->a->print_jid)
		printf("%d\n", jid);
	if (r->a->verbose >= 0)
		note(r, jail, "created");
	fflush(stdout);
}

/* A jail finished starting (through exec.poststart): its -J line. */
static void on_started(struct run *r, const char *jail)
{
	struct created *cr = find_created(r, jail);
	const struct conf_jail *cj = conf_jail(r->c, jail);
	struct strbuf line = STRBUF_INIT;

	if (!cr) {
		/* core did not say when the jail came to be: say it now. */
		struct core_jail j = { 0 };
		struct brig_err e = { 0 };

		on_created(r, jail, core_find(jail, &j, &e) == 0 ? j.jid : 0);
		core_jail_free(&j);
		cr = find_created(r, jail);
	}
	if (!r->jfp || !cj)
		return;
	if (r->a->old_style)
		jail_format_jidfile_old(&line, cr->jid, cj);
	else
		jail_format_jidfile(&line, cr->jid, cj);
	fprintf(r->jfp, "%s\n", line.s);
	sb_free(&line);
}

/* core's report of each jail's outcome, in jail(8)'s words. */
static void report(void *ctx, const char *jail, enum core_event ev, const char *msg)
{
	struct run *r = ctx;

	switch (ev) {
	case CORE_EV_STARTED:
	case CORE_EV_ENDED:
		/* jail(8): a jail whose command ends is removed, not an error. */
		on_started(r, jail);
		break;
	case CORE_EV_STOPPED:
		if (r->a->verbose > 0 || (r->a->verbose == 0 && r->note_remove))
			note(r, jail, "removed");
		break;
	case CORE_EV_FAILED:
		warn_jail(r, jail, msg);
		r->failed = true;
		/* A jail that was created is removed again, and jail(8) says so. */
		if (find_created(r, jail) && r->a->verbose >= 0)
			note(r, jail, "removed");
		break;
	case CORE_EV_SKIPPED:
	case CORE_EV_WARNING:
		/* jail(8) warns and fails the jail, but goes on removing it. */
		warn_jail(r, jail, msg);
		r->failed = true;
		break;
	case CORE_EV_VERBOSE:
		/* jail -v: "NAME: run command in jail: ...". */
		printf("%s: %s\n", jail, msg ? msg : "");
		fflush(stdout);
		break;
	case CORE_EV_NOT_RUNNING:
		if (r->wild)
			break;
		if (r->a->verbose >= 0)
			cli_error("\"%s\" not found", called(r, jail));
		r->failed = true;
		break;
	case CORE_EV_ALREADY:
		cli_error("\"%s\" already exists", called(r, jail));
		r->failed = true;
		break;
	default:
		break;
	}
}

static struct core_ops ops_for(struct run *r)
{
	return (struct core_ops){
		.parallel = r->a->parallel,
		.quiet = r->a->verbose < 0,
		.verbose = r->a->verbose > 0,
		.no_hooks = r->a->rflag_raw,
		.ended_ok = true,
		.report = report,
		.created = on_created,
		.ctx = r,
	};
}

/* The configuration: the param=value jail, or the file (-f) or brig's
 * configuration directory. Errors are printed. */
static struct conf *load(const struct jail_args *a)
{
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS };
	struct diag d = { 0 };
	struct conf *c = NULL;
	bool said = false;

	if (a->from_params) {
		src.cmdline = a->params;
		src.ncmdline = a->nparams;
	} else if (a->conf_file) {
		src.file = a->conf_file;
		src.isolate = true;
	} else {
		src.confdir = brig_confdir();
		src.isolate = true;
	}
	if (conf_load(&src, &c, &d) < 0)
		c = NULL;
	/* Isolated: a jail's own errors are said when it is started. */
	for (size_t i = 0; !c && i < d.n; i++) {
		if (d.msgs[i].level == DIAG_ERROR) {
			fprintf(stderr, "%s: %s\n", cli_prog, d.msgs[i].text);
			said = true;
		}
	}
	if (!c && !said)
		cli_error("cannot load the jail configuration");
	diag_free(&d);
	return c;
}

/* The configuration's jail for a command-line name: by name, or for a
 * number the jail whose jid it is ("5309 { name = web; }" is web). */
static const struct jail_def *conf_target(const struct conf *c, const char *arg)
{
	const struct jail_set *s = conf_jail_set(c);
	const struct jail_def *d = jail_set_find(s, arg);

	if (d || !arg[0] || strspn(arg, "0123456789") != strlen(arg))
		return d;
	for (size_t i = 0; i < s->n; i++) {
		const char *jid = jd_str(s->v[i], JP_JID);

		if (jid && strcmp(jid, arg) == 0)
			return s->v[i];
	}
	return NULL;
}

/* Whether brig's configuration directory holds a configuration:
 * jail.conf, or a file of jail.conf.d. */
static bool confdir_has_conf(const char *dir)
{
	cleanup_free char *file = xasprintf("%s/jail.conf", dir);
	cleanup_free char *sub = xasprintf("%s/jail.conf.d", dir);
	struct stat st;
	struct dirent *de;
	DIR *d;
	bool found = stat(file, &st) == 0;

	d = found ? NULL : opendir(sub);
	while (d && !found && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		found = de->d_name[0] != '.' && len > 5 && !strcmp(de->d_name + len - 5, ".conf");
	}
	if (d)
		closedir(d);
	return found;
}

/* jail -r uses the configuration only when there is one (jail(8) stats
 * /etc/jail.conf); jail -R never does. */
static bool have_conf(const struct jail_args *a)
{
	struct stat st;

	if (a->rflag_raw)
		return false;
	if (a->conf_file)
		return !strcmp(a->conf_file, "-") || stat(a->conf_file, &st) == 0;
	return confdir_has_conf(brig_confdir());
}

static bool is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Running jails matching a pattern ('*': all of them). */
static void add_matching(struct names *l, const char *pattern)
{
	struct core_jail *v = NULL;
	struct brig_err e = { 0 };
	size_t n = 0;

	if (core_list(&v, &n, &e) < 0) {
		cli_print_err(&e);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pattern, v[i].name, 0) == 0)
			names_add(l, v[i].name);
	core_list_free(v, n);
}

/* jail -r / -R: the jails named (or JIDs, or patterns), stopped in
 * reverse dependency order. */
static void do_remove(struct run *r)
{
	const struct jail_args *a = r->a;
	bool docf = have_conf(a);
	struct conf *c = docf ? load(a) : NULL;
	struct names l = { 0 };

	if (docf && !c) {
		r->failed = true;
		return;
	}
	r->c = c;
	r->note_remove = docf || a->nnames > 1 || is_pattern(a->names[0]);
	for (size_t i = 0; i < a->nnames; i++) {
		const char *arg = a->names[i];
		struct core_jail j = { 0 };
		struct brig_err e = { 0 };

		if (is_pattern(arg)) {
			r->wild = true;
			add_matching(&l, arg);
		} else if (c && conf_target(c, arg)) {
			names_add(&l, conf_target(c, arg)->name);
		} else if (core_find(arg, &j, &e) == 0) {
			names_add(&l, j.name);
			core_jail_free(&j);
		} else {
			if (a->verbose >= 0)
				cli_error("\"%s\" not found", arg);
			r->failed = true;
		}
	}
	if (l.n > 0) {
		struct core_ops o = ops_for(r);

		if (core_stop(c ? conf_jail_set(c) : NULL, l.v, l.n, &o) < 0)
			r->failed = true;
	}
	names_free(&l);
	conf_free(c);
}

/* The parameters d sets that the running jail j does not have (as it
 * was started, or changed by -m since) into ids; their number. */
static size_t changed_params(const struct jail_def *d, const struct core_jail *j, enum jparam *ids)
{
	size_t n = 0;

	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct jval *v = jd_val(d, (enum jparam)id);
		const char *have = kp_recorded(j, (enum jparam)id);
		struct strbuf want = STRBUF_INIT;
		bool same;

		if (!v->set)
			continue;
		if (conf_jparam((enum jparam)id)->type != CONF_LIST)
			sb_adds(&want, v->s);
		for (size_t k = 0; k < v->n; k++) {
			if (k)
				sb_addc(&want, ',');
			sb_adds(&want, v->v[k]);
		}
		same = have && strcmp(have, want.s ? want.s : "") == 0;
		sb_free(&want);
		if (!same)
			ids[n++] = (enum jparam)id;
	}
	return n;
}

/* jail -m of a running jail: what Linux can change, changed live; any
 * parameter that cannot change refuses the whole change, naming it and
 * why. */
static void modify(struct run *r, const struct jail_def *d, const enum jparam *ids, size_t n)
{
	struct brig_err e = { 0 };

	for (size_t i = 0; i < n; i++)
		if (core_fixed(ids[i])) {
			cleanup_free char *msg = xasprintf("%s cannot be changed after creation: %s",
							   jd_name(ids[i]), core_fixed(ids[i]));

			warn_jail(r, d->name, msg);
			r->failed = true;
			return;
		}
	if (core_modify(d, ids, n, &e) < 0) {
		warn_jail(r, d->name, e.msg);
		r->failed = true;
	} else if (r->a->verbose >= 0) {
		note(r, d->name, "updated");
	}
}

/* What -c, -m, -cm, -rc, -rm, -crm do to one jail, as jail(8) decides:
 * start it, restart it, report it unchanged, or refuse. */
static void plan_one(struct run *r, const struct jail_def *d, struct names *start,
		     struct names *restart)
{
	unsigned op = r->a->op;
	struct core_jail j = { 0 };
	struct brig_err e = { 0 };
	bool running;
	enum jparam ids[JP__COUNT];
	size_t nchanged;

	if (op == JAIL_OP_CREATE) {
		names_add(start, d->name);
		return;
	}
	running = core_find(d->name, &j, &e) == 0;
	if (!running) {
		if (op & JAIL_OP_CREATE && op & JAIL_OP_MODIFY) {
			names_add(start, d->name);
		} else {
			cli_error("\"%s\" not found", d->name);
			r->failed = true;
		}
		return;
	}
	/* -rc restarts whatever it would change. */
	nchanged = op & JAIL_OP_MODIFY ? changed_params(d, &j, ids) : 1;
	if (nchanged == 0) {
		if (r->a->verbose >= 0)
			note(r, d->name, "updated");
	} else if (op & JAIL_OP_REMOVE) {
		names_add(restart, d->name);
	} else {
		modify(r, d, ids, nchanged);
	}
	core_jail_free(&j);
}

/* The lowest JID no running jail has (the one brig gives next, unless
 * another brig takes it first: then the start fails, naming its holder). */
static int lowest_free_jid(void)
{
	struct core_jail *v = NULL;
	struct brig_err e = { 0 };
	size_t n = 0;
	int jid = 1;

	if (core_list(&v, &n, &e) < 0)
		return jid;
	/* core_list is ordered by JID. */
	for (size_t i = 0; i < n && v[i].jid <= jid; i++)
		if (v[i].jid == jid)
			jid++;
	core_list_free(v, n);
	return jid;
}

/* jail(8) without a configuration file: a depend names running jails. */
static bool depends_run(struct run *r, const struct jail_def *d)
{
	size_t n;
	char *const *deps = jd_list(d, JP_DEPEND, &n);
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		struct core_jail j = { 0 };
		struct brig_err e = { 0 };

		if (core_find(deps[i], &j, &e) == 0) {
			core_jail_free(&j);
			continue;
		}
		cli_error("depends on nonexistent jail \"%s\"", deps[i]);
		r->failed = true;
		ok = false;
	}
	return ok;
}

/* jail -c (and -m, -rc and their mixes): from param=value arguments, or
 * the configuration's jail named, or all of its jails. */
static void do_create(struct run *r)
{
	const struct jail_args *a = r->a;
	struct conf *c = load(a);
	struct names start = { 0 }, restart = { 0 };
	struct core_ops o;

	if (!c) {
		r->failed = true;
		return;
	}
	r->c = c;
	o = ops_for(r);
	if (a->nnames > 0 && !conf_target(c, a->names[0])) {
		cli_error("\"%s\" not found", a->names[0]);
		r->failed = true;
	} else if (a->nnames > 0) {
		plan_one(r, conf_target(c, a->names[0]), &start, &restart);
	} else if (a->from_params && c->njails == 1) {
		if (depends_run(r, conf_jail_set(c)->v[0]))
			plan_one(r, conf_jail_set(c)->v[0], &start, &restart);
	} else {
		for (size_t i = 0; i < c->njails; i++)
			plan_one(r, conf_jail_set(c)->v[i], &start, &restart);
	}
	fflush(stdout);
	if (restart.n > 0) {
		if (core_stop(conf_jail_set(c), restart.v, restart.n, &o) < 0)
			r->failed = true;
		for (size_t i = 0; i < restart.n; i++)
			names_add(&start, restart.v[i]);
	}
	/* Every failure is also reported, but the count is what core vouches for. */
	if (start.n > 0 && core_start(conf_jail_set(c), start.v, start.n, &o) != 0)
		r->failed = true;
	names_free(&start);
	names_free(&restart);
	conf_free(c);
}

int fe_jail(int argc, char **argv)
{
	struct brig_err e = { 0 };
	struct jail_args a;
	struct run r = { .a = &a };

	if (jail_parse(argc, argv, &a, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	/* Line by line, so our lines and the hooks' output keep their order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (a.jid_file) {
		r.jfp = fopen(a.jid_file, "w");
		if (!r.jfp) {
			cli_error("open %s: %s", a.jid_file, strerror(errno));
			jail_args_free(&a);
			return 1;
		}
		setvbuf(r.jfp, NULL, _IOLBF, 0);
	}
	if (a.op == JAIL_OP_REMOVE) {
		do_remove(&r);
	} else {
		jail_args_complete(&a, lowest_free_jid);
		do_create(&r);
	}
	if (r.jfp)
		fclose(r.jfp);
	for (size_t i = 0; i < r.ncreated; i++)
		free(r.created[i].name);
	free(r.created);
	jail_args_free(&a);
	return r.failed ? 1 : 0;
}
