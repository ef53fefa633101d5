/* brig create NAME -t TEMPLATE [--thick] [PARAM=VALUE...]; brig destroy NAME [-f] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/store_progress.h"
#include "core/core.h"
#include "store/store.h"
#include "util/mem.h"

/* brig create NAME -t TEMPLATE [--thick] [PARAM=VALUE...] */
int cmd_create(int argc, char **argv)
{
	struct store_create c = { 0 };
	cleanup_free char **params = xcalloc((size_t)argc, sizeof(*params));
	cleanup_free char *conf = NULL;
	struct store_jail j;
	struct cli_progress cp;
	struct brig_err e;
	int rc;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-t") || !strcmp(argv[i], "--template")) && i + 1 < argc)
			c.template = argv[++i];
		else if (!strcmp(argv[i], "--thick"))
			c.thick = true;
		else if (argv[i][0] != '-' && !c.name)
			c.name = argv[i];
		else if (argv[i][0] != '-')
			params[c.nparams++] = argv[i];
		else
			goto usage;
	}
	if (!c.name || !c.template)
		goto usage;
	c.params = params;
	c.check = core_check_new;
	cli_progress_init(&cp);
	c.progress = &cp.sp;
	rc = store_jail_create(&c, &conf, &e);
	cli_progress_done(&cp);
	if (rc < 0 || store_jail_get(c.name, &j, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: created from template %s (%s, %s) at %s\n"
	       "%s: configuration in %s; start it with: brig start %s\n",
	       c.name, c.template, c.thick ? "thick" : "thin", j.backend, j.path, c.name, conf, c.name);
	store_jail_free(&j);
	return 0;
usage:
	cli_error("usage: brig create NAME -t TEMPLATE [--thick] [PARAM=VALUE...]");
	return 2;
}

/* Report a failure of core_stop. */
static void report(void *ctx, const char *jail, enum core_event ev, const char *msg)
{
	(void)ctx;
	if (ev == CORE_EV_FAILED || ev == CORE_EV_SKIPPED)
		cli_error("%s: stop: %s", jail, msg ? msg : "failed");
}

/* Stop a running jail before it is destroyed (-f). */
static int stop_first(char *name)
{
	struct core_ops ops = { .quiet = true, .report = report };
	struct conf *c = cli_load_conf(NULL, NULL, 0);
	int failed;

	if (!c) {
		cli_error("%s: destroy: cannot stop it: the configuration does not load", name);
		return -1;
	}
	failed = core_stop(conf_jail_set(c), &name, 1, &ops);
	conf_free(c);
	return failed ? -1 : 0;
}

/* brig destroy NAME [-f] */
int cmd_destroy(int argc, char **argv)
{
	char *name = NULL;
	bool force = false;
	struct brig_err e;
	int running;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = true;
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			goto usage;
	}
	if (!name)
		goto usage;
	/* FreeBSD's jail(8) fails a jail whose depend names no jail: say so
	 * now rather than leave bb to find out at its next start. */
	if (!force) {
		struct conf *c = cli_load_conf_quiet(NULL, false);
		cleanup_free char *deps = c ? core_dependents(conf_jail_set(c), name) : NULL;

		conf_free(c);
		if (deps) {
			cli_error("%s: destroy: jail%s %s depend%s on it (depend = %s); change %s first, "
				  "or use -f", name, strchr(deps, ',') ? "s" : "", deps,
				  strchr(deps, ',') ? "" : "s", name, strchr(deps, ',') ? "them" : "it");
			return 1;
		}
	}
	running = core_is_running(name, &e);
	if (running < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (running && !force) {
		cli_error("%s: destroy: the jail is running; stop it first (brig stop %s) or use -f",
			  name, name);
		return 1;
	}
	if (running && stop_first(name) < 0)
		return 1;
	if (store_jail_destroy(name, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: destroyed\n", name);
	return 0;
usage:
	cli_error("usage: brig destroy NAME [-f]");
	return 2;
}
