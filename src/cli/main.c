/* brig: argv -> one command. The jail/jls/jexec front-ends are chosen by
 * the name brig was run as. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "core/core.h"

#ifndef BRIG_VERSION
#define BRIG_VERSION "0.1"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* NULL: internal, not listed */
};

static const struct command commands[] = {
	{ "config", cmd_config, "config check|show [-f FILE] [--json] [JAIL...]" },
	{ "start", cmd_start, "start [-f FILE] [-p N] [-q] [-v] --all | JAIL..." },
	{ "stop", cmd_stop, "stop [-f FILE] [-p N] [-q] [-v] --all | JAIL..." },
	{ "restart", cmd_restart, "restart [-f FILE] [-p N] [-q] [-v] JAIL..." },
	{ "ls", cmd_ls, "ls [-a] [--json]" },
	{ "exec", cmd_exec, "exec JAIL [-u USER] [--] COMMAND [ARG...]" },
	{ "console", cmd_console, "console JAIL" },
	{ "net", cmd_net, "net ls [--json] | up NAME | down NAME" },
	{ "template", cmd_template, "template create NAME --from SOURCE | ls [--json] | rm NAME" },
	{ "create", cmd_create, "create NAME -t TEMPLATE [--thick] [PARAM=VALUE...]" },
	{ "destroy", cmd_destroy, "destroy NAME [-f]" },
	{ "snapshot", cmd_snapshot, "snapshot NAME [SNAP] | snapshot rm NAME SNAP" },
	{ "snapshots", cmd_snapshots, "snapshots NAME [--json]" },
	{ "rollback", cmd_rollback, "rollback NAME SNAP" },
	{ "export", cmd_export, "export NAME FILE [--full] [--live]" },
	{ "import", cmd_import, "import FILE [NAME]" },
	/* Internal: run by a jail's reaper (sys/reaper.h) when its init ends. */
	{ "reap", cmd_reap, NULL },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: brig COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].usage)
			fprintf(f, "  brig %s\n", commands[i].usage);
	fprintf(f, "\nAlso runs as jail(8), jls(8) and jexec(8) when called by those names.\n"
		   "See brig(8) and brig.conf(5).\n");
}

int main(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;

	base = base ? base + 1 : (argc > 0 ? argv[0] : "brig");
	core_set_lock_notice(cli_lock_notice);
	if (strcmp(base, "jail") == 0) {
		cli_prog = "jail";
		return fe_jail(argc, argv);
	}
	if (strcmp(base, "jls") == 0) {
		cli_prog = "jls";
		return fe_jls(argc, argv);
	}
	if (strcmp(base, "jexec") == 0) {
		cli_prog = "jexec";
		return fe_jexec(argc, argv);
	}

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("brig %s\n", BRIG_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		/* One place answers `brig VERB --help` for every verb. */
		if (argc > 2 && commands[i].usage &&
		    (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
			printf("usage: brig %s\n", commands[i].usage);
			return 0;
		}
		return commands[i].fn(argc - 1, argv + 1);
	}
	cli_error("unknown command \"%s\" (see brig --help)", argv[1]);
	return 2;
}
