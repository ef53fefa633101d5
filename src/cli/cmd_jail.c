/* brig create NAME -t TEMPLATE [--thick] [PARAM=VALUE...]; brig destroy NAME [-f] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/store_report.h"
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
	if (cli_quota_made(c.name, j.path) < 0) {
		store_jail_free(&j);
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

/* brig destroy NAME [-f] */
int cmd_destroy(int argc, char **argv)
{
	char *name = NULL;
	bool force = false;
	struct conf *c;
	struct brig_err e;
	int rc;

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
	 * now rather than leave bb to find out at its next start. With -f,
	 * the configuration is the stop's, if the jail runs (without it, it
	 * stops as it started). */
	c = cli_load_conf_quiet(NULL, false);
	if (!force) {
		cleanup_free char *deps = c ? core_dependents(conf_jail_set(c), name) : NULL;

		if (deps) {
			cli_error("%s: destroy: jail%s %s depend%s on it (depend = %s); change %s first, "
				  "or use -f", name, strchr(deps, ',') ? "s" : "", deps,
				  strchr(deps, ',') ? "" : "s", name, strchr(deps, ',') ? "them" : "it");
			conf_free(c);
			return 1;
		}
	}
	rc = core_destroy(c ? conf_jail_set(c) : NULL, name, force, &e);
	conf_free(c);
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: destroyed\n", name);
	return 0;
usage:
	cli_error("usage: brig destroy NAME [-f]");
	return 2;
}
