/* brig start | stop | restart [-f FILE] [-p N] [-v] [-q] [--all | --boot | JAIL...];
 * brig reload [-f FILE] [-p N] [-v] [-q] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "conf/model.h"
#include "core/core.h"
#include "store/store.h"
#include "util/mem.h"

struct lc_opts {
	const char *file;
	bool all;
	bool boot;		/* start --boot: the jails whose `boot` is on */
	struct core_ops ops;
	int failures;		/* reported failures, for the exit status */
	char **names;
	size_t n;
};

/* One line per jail, as jail(8) prints them. */
static void report(void *ctx, const char *jail, enum core_event ev, const char *msg)
{
	struct lc_opts *o = ctx;

	switch (ev) {
	case CORE_EV_STARTED:
		if (!o->ops.quiet)
			printf("%s: created\n", jail);
		break;
	case CORE_EV_STOPPED:
		if (!o->ops.quiet)
			printf("%s: removed\n", jail);
		break;
	case CORE_EV_ALREADY:
		if (!o->ops.quiet)
			printf("%s: already running\n", jail);
		break;
	case CORE_EV_NOT_RUNNING:
		/* With --all, every defined jail that is down would say so. */
		if (!o->ops.quiet && !o->all)
			printf("%s: not running\n", jail);
		break;
	case CORE_EV_VERBOSE:
		printf("%s: %s\n", jail, msg);
		break;
	case CORE_EV_WARNING:
		cli_warn("%s", msg);
		break;
	case CORE_EV_CHANGED:
		if (!o->ops.quiet)
			printf("%s: configuration changed (%s): restarting\n", jail, msg);
		break;
	case CORE_EV_FAILED:
	case CORE_EV_SKIPPED:
	case CORE_EV_ENDED:
		o->failures++;
		cli_error("%s", msg);
		break;
	default:
		break;
	}
	fflush(stdout);
}

/* Which selections a verb takes. */
enum lc_sel { SEL_NAMES = 1, SEL_ALL = 2, SEL_BOOT = 4 };

/* The usage message; exit status 2. */
static int usage(const char *verb, unsigned sel)
{
	cli_error("usage: brig %s [-f FILE] [-p N] [-q] [-v]%s", verb,
		  sel == (SEL_NAMES | SEL_ALL | SEL_BOOT) ? " --all | --boot | JAIL..." :
		  sel == (SEL_NAMES | SEL_ALL)		  ? " --all | JAIL..." :
		  sel == SEL_NAMES			  ? " JAIL..." : "");
	return 2;
}

/* Parse the common options, before or after the jail names; 0, or 2 for
 * a usage error. */
static int parse(int argc, char **argv, struct lc_opts *o, unsigned sel)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "boot", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->ops.report = report;
	o->ops.ctx = o;
	o->ops.own_log = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:p:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case 'p':
			o->ops.parallel = atoi(optarg);
			if (o->ops.parallel < 1) {
				cli_error("%s: -p: expected a number of jails above 0", argv[0]);
				return 2;
			}
			break;
		case 'q':
			o->ops.quiet = true;
			break;
		case 'v':
			o->ops.verbose = true;
			break;
		case 'a':
			if (!(sel & SEL_ALL))
				return usage(argv[0], sel);
			o->all = true;
			break;
		case 'b':
			if (!(sel & SEL_BOOT))
				return usage(argv[0], sel);
			o->boot = true;
			break;
		default:
			return usage(argv[0], sel);
		}
	}
	o->names = argv + optind;
	o->n = (size_t)(argc - optind);
	if (!(sel & SEL_NAMES)) {
		if (o->n > 0)
			return usage(argv[0], sel);
		return 0;
	}
	if ((o->all || o->boot) == (o->n > 0) || (o->all && o->boot)) {
		cli_error("%s: name the jails%s", argv[0],
			  sel & SEL_BOOT ? ", or --all, or --boot" : sel & SEL_ALL ? ", or --all" : "");
		return 2;
	}
	return 0;
}

/* start --all and --boot (at boot, when no root is mounted): every thin
 * root of the store at its path, a jail's that is not started too (those
 * started are mounted by their start, which reports a failure). */
static void mount_roots(const struct conf *c, const struct lc_opts *o)
{
	const struct jail_set *s = conf_jail_set(c);
	char **skip = xcalloc(c->njails + 1, sizeof(*skip));
	struct diag d = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->njails; i++)
		if (!o->boot || jd_on(s->v[i], JP_BOOT))
			skip[n++] = c->jails[i].name;
	store_roots_mount(skip, n, &d);
	for (size_t i = 0; i < d.n; i++)
		cli_warn("%s", d.msgs[i].text);
	diag_free(&d);
	free(skip);
}

enum lc_verb { LC_START = 1, LC_STOP = 2, LC_RESTART = LC_START | LC_STOP, LC_RELOAD = 4 };

/* Stop and/or start (a restart stops, then starts if all stopped well),
 * or reload; the exit status: 1 if any jail failed (the others went on). */
static int act(int argc, char **argv, enum lc_verb verb)
{
	static const unsigned sels[] = {
		[LC_START] = SEL_NAMES | SEL_ALL | SEL_BOOT,
		[LC_STOP] = SEL_NAMES | SEL_ALL,
		[LC_RESTART] = SEL_NAMES,
		[LC_RELOAD] = 0,
	};
	struct lc_opts o;
	struct conf *c;
	const struct jail_set *set;
	cleanup_free char **boot = NULL;
	int r = parse(argc, argv, &o, sels[verb]);

	if (r)
		return r;
	c = cli_load_conf(o.file, NULL, 0);
	/* A stop works from what each jail recorded when it started. */
	if (!c && verb != LC_STOP)
		return 1;
	set = c ? conf_jail_set(c) : NULL;
	if (o.boot) {
		boot = core_boot_names(set, &o.n);
		o.names = boot;
	}
	if (verb == LC_START && (o.all || o.boot))
		mount_roots(c, &o);
	if (verb == LC_RELOAD)
		r = core_reload(set, &o.ops);
	if (!c)
		cli_warn("the configuration does not load: stopping from what the jails recorded");
	if (verb & LC_STOP)
		r = core_stop(set, o.names, o.n, &o.ops);
	/* --boot with every jail off: nothing to start (n == 0 means all). */
	if (r == 0 && (verb & LC_START) && !(o.boot && o.n == 0))
		r = core_start(set, o.names, o.n, &o.ops);
	conf_free(c);
	return r || o.failures ? 1 : 0;
}

int cmd_start(int argc, char **argv)
{
	return act(argc, argv, LC_START);
}

int cmd_stop(int argc, char **argv)
{
	return act(argc, argv, LC_STOP);
}

int cmd_restart(int argc, char **argv)
{
	return act(argc, argv, LC_RESTART);
}

int cmd_reload(int argc, char **argv)
{
	return act(argc, argv, LC_RELOAD);
}

/* The configuration as it is now, for a restart (its errors are in the
 * jail's log: the reaper's stderr is /dev/null). */
static struct conf *load_for_reap(void)
{
	return cli_load_conf_quiet(NULL, false);
}

/* brig reap NAME [PIDFD]: what a jail's reaper runs once the jail's init
 * has ended (sys/reaper.h), with the init's pidfd open at PIDFD. Looking
 * at the jail cleans up after it, unless it runs again or another brig is
 * at it (that one cleans up). Internal: no output, status 0 unless the
 * name is bad. */
int cmd_reap(int argc, char **argv)
{
	struct brig_err e = { 0 };
	int pidfd = argc == 3 ? atoi(argv[2]) : -1;

	if (argc != 2 && argc != 3)
		return 2;
	return core_reap(argv[1], pidfd > 2 ? pidfd : -1, load_for_reap, &e) < 0 ? 1 : 0;
}

/* brig _rctl-crossed NAME RULE COUNT: internal, run by the jail's reaper. */
int cmd_rctl_crossed(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	core_rctl_crossed(argv[1], argv[2], argv[3]);
	return 0;
}

/* brig _cgroup-group [JAIL]: internal, for the tests' leak check. The
 * cgroup group (below each hierarchy's root) of the jails of this run
 * directory, or of JAIL. --remove: remove this run directory's group in
 * every hierarchy (core_cgroup_group_remove), for the package's removal
 * and the demo; exit 1 if one is still in use. */
int cmd_cgroup_group(int argc, char **argv)
{
	cleanup_free char *group = NULL;

	if (argc == 2 && strcmp(argv[1], "--remove") == 0) {
		struct brig_err e = { 0 };

		if (core_cgroup_group_remove(&e) == 0)
			return 0;
		cli_print_err(&e);
		return 1;
	}
	if (argc > 2 || (argc == 2 && conf_name_invalid(argv[1])))
		return 2;
	group = core_cgroup_group(argc == 2 ? argv[1] : NULL);
	printf("%s\n", group);
	return 0;
}
