/* brig exec JAIL [-u USER] [--] COMMAND [ARG...]; brig console JAIL */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "core/core.h"

/* Run o in the jail named name; the exit status (the command's). */
static int run_in(const char *name, const struct core_exec_opts *o)
{
	struct brig_err e = { 0 };
	struct core_jail j;
	int r;

	if (core_find(name, &j, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	r = core_exec(&j, o, &e);
	core_jail_free(&j);
	if (r < 0) {
		cli_print_err(&e);
		return 127;
	}
	return r;
}

int cmd_exec(int argc, char **argv)
{
	struct core_exec_opts o = { 0 };
	const char *name;
	int c;

	if (argc < 2) {
		cli_error("usage: brig exec JAIL [-u USER] [--] COMMAND [ARG...]");
		return 2;
	}
	name = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "+u:")) != -1) {
		if (c != 'u') {
			cli_error("usage: brig exec JAIL [-u USER] [--] COMMAND [ARG...]");
			return 2;
		}
		o.user = optarg;
	}
	if (optind >= argc) {
		cli_error("exec: no command given (brig console %s gives a shell)", name);
		return 2;
	}
	o.argv = argv + optind;
	return run_in(name, &o);
}

int cmd_console(int argc, char **argv)
{
	struct core_exec_opts o = { .login = true, .pty = true };

	if (argc != 2) {
		cli_error("usage: brig console JAIL");
		return 2;
	}
	return run_in(argv[1], &o);
}
