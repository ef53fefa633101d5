/* brig export NAME FILE [--full] [--live]; brig import FILE [NAME] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/store_progress.h"
#include "core/core.h"
#include "store/store.h"
#include "util/mem.h"

/* brig export NAME FILE [--full] [--live] */
int cmd_export(int argc, char **argv)
{
	struct store_export x = { 0 };
	struct cli_progress cp;
	struct brig_err e;
	int running, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--full"))
			x.full = true;
		else if (!strcmp(argv[i], "--live"))
			x.live = true;
		else if (argv[i][0] != '-' && !x.jail)
			x.jail = argv[i];
		else if (argv[i][0] != '-' && !x.file)
			x.file = argv[i];
		else
			goto usage;
	}
	if (!x.jail || !x.file)
		goto usage;
	running = core_is_running(x.jail, &e);
	if (running < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (running && !x.live) {
		cli_error("%s: export: the jail is running; stop it first, or use --live "
			  "(its files are then read while it writes them)", x.jail);
		return 1;
	}
	x.live = running;
	cli_progress_init(&cp);
	x.progress = &cp.sp;
	rc = store_export(&x, &e);
	cli_progress_done(&cp);
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: exported to %s\n", x.jail, x.file);
	if (x.consistency)
		printf("%s: exported while running; the archive is %s\n", x.jail, x.consistency);
	return 0;
usage:
	cli_error("usage: brig export NAME FILE [--full] [--live]");
	return 2;
}

/* brig import FILE [NAME] */
int cmd_import(int argc, char **argv)
{
	cleanup_free char *name = NULL;
	struct store_jail j;
	struct cli_progress cp;
	struct brig_err e;
	int rc;

	if (argc < 2 || argc > 3 || argv[1][0] == '-' || (argc == 3 && argv[2][0] == '-')) {
		cli_error("usage: brig import FILE [NAME]");
		return 2;
	}
	cli_progress_init(&cp);
	rc = store_import(argv[1], argc == 3 ? argv[2] : NULL, &name, &cp.sp, &e);
	cli_progress_done(&cp);
	if (rc < 0 || store_jail_get(name, &j, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: imported from %s (template %s, %s) at %s\n"
	       "%s: configuration in %s; start it with: brig start %s\n",
	       name, argv[1], j.template, j.backend, j.path, name, j.conf, name);
	store_jail_free(&j);
	return 0;
}
