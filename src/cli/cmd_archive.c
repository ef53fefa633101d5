/* brig export NAME FILE [--full] [--live]; brig import FILE [NAME] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/store_progress.h"
#include "cli/store_report.h"
#include "core/core.h"
#include "store/store.h"
#include "util/mem.h"

/* brig export NAME FILE [--full] [--live] */
int cmd_export(int argc, char **argv)
{
	struct store_export x = { 0 };
	struct cli_progress cp;
	struct brig_err e;
	int rc;

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
	cli_progress_init(&cp);
	x.progress = &cp.sp;
	rc = core_export(&x, &e);
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

/* Whether arg is a parameter (PARAM=VALUE, $VAR=VALUE, .include=FILE),
 * not a jail's name. */
static bool is_param(const char *arg)
{
	return strchr(arg, '=') || arg[0] == '$' || arg[0] == '.';
}

/* brig import FILE [NAME] [--trust] [--devices] [PARAM=VALUE...] */
int cmd_import(int argc, char **argv)
{
	struct store_import im = { .check = core_check_import };
	cleanup_free char **params = xcalloc((size_t)argc, sizeof(*params));
	size_t nparams = 0;
	struct store_jail j;
	struct cli_progress cp;
	struct brig_err e;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trust"))
			im.trust = true;
		else if (!strcmp(argv[i], "--devices"))
			im.devices.keep = true;
		else if (argv[i][0] == '-')
			goto usage;
		else if (!im.file)
			im.file = argv[i];
		else if (!im.name && !nparams && !is_param(argv[i]))
			im.name = argv[i];
		else
			params[nparams++] = argv[i];
	}
	if (!im.file)
		goto usage;
	im.params = params;
	im.nparams = nparams;
	cli_progress_init(&cp);
	im.progress = &cp.sp;
	rc = store_import(&im, &e);
	cli_progress_done(&cp);
	if (rc < 0 || store_jail_get(im.made, &j, &e) < 0) {
		cli_print_err(&e);
		store_import_free(&im);
		return 1;
	}
	if (cli_quota_made(im.made, j.path) < 0) {
		store_jail_free(&j);
		store_import_free(&im);
		return 1;
	}
	cli_report_dropped(im.made, &im.dropped);
	cli_report_devices(im.made, &im.devices, "brig import");
	cli_report_changed(&im.changed);
	printf("%s: imported from %s (template %s, %s) at %s\n"
	       "%s: configuration in %s; start it with: brig start %s\n",
	       im.made, im.file, j.template, j.backend, j.path, im.made, j.conf, im.made);
	store_jail_free(&j);
	store_import_free(&im);
	return 0;
usage:
	cli_error("usage: brig import FILE [NAME] [--trust] [--devices] [PARAM=VALUE...]\n"
		  "  the archive's configuration gives only what acts inside the jail;\n"
		  "  --trust: keep all of it: runs whatever the archive says, as root, on this host\n"
		  "    (an interface, address or rdr that clashes with another jail is renamed or\n"
		  "    left out, and said)\n"
		  "  --devices: keep the archive's device nodes\n"
		  "  PARAM=VALUE: as brig create's, added to the jail's configuration (checked:\n"
		  "    a clash with another jail is refused)");
	return 2;
}
