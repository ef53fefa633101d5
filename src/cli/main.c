/* brig: argv -> one command. The jail/jls/jexec front-ends are chosen by
 * the name brig was run as. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "util/strdist.h"
#include "core/core.h"

#ifndef BRIG_VERSION
#define BRIG_VERSION "0.1"
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: brig COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < cli_ncommands; i++)
		if (cli_commands[i].usage)
			fprintf(f, "  brig %s\n", cli_commands[i].usage);
	fprintf(f, "\nexec, console and jexec never pass the caller's terminal into a jail: each of\n"
		   "stdin, stdout, stderr that is a terminal becomes a fresh pty of the jail,\n"
		   "relayed (exec -t: a pty for all three, terminal or not).\n");
	fprintf(f, "\nAlso runs as jail(8), jls(8), jexec(8), rctl(8) and brig-oci (an OCI runtime,\n"
		   "as runc) when called by those names.\n"
		   "See brig(8) and brig.conf(5).\n");
}

/* The listed command closest to a mistyped one, if close enough. */
static const char *suggest(const char *word)
{
	size_t max = str_hint_max(strlen(word)), bestd = max + 1;
	const char *best = NULL;

	for (size_t i = 0; i < cli_ncommands; i++) {
		size_t d;

		if (!cli_commands[i].usage)
			continue;
		d = str_distance(word, cli_commands[i].name, max);
		if (d < bestd) {
			bestd = d;
			best = cli_commands[i].name;
		}
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *hint;
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
	if (strcmp(base, "rctl") == 0) {
		cli_prog = "rctl";
		return fe_rctl(argc, argv);
	}
	if (strcmp(base, "brig-oci") == 0)
		return fe_oci(argc, argv);
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
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_command *cmd = &cli_commands[i];

		if (strcmp(argv[1], cmd->name) != 0)
			continue;
		/* One place answers `brig VERB --help` for every verb. */
		if (argc > 2 && cmd->usage && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
			printf("usage: brig %s\n", cmd->usage);
			return 0;
		}
		return cmd->fn(argc - 1, argv + 1);
	}
	hint = suggest(argv[1]);
	if (hint)
		cli_error("unknown command \"%s\"; did you mean \"%s\"? (see brig --help)", argv[1], hint);
	else
		cli_error("unknown command \"%s\" (see brig --help)", argv[1]);
	return 2;
}
