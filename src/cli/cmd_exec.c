/* brig exec [-t] [-u USER] JAIL [-t] [-u USER] [--] COMMAND [ARG...]; brig console JAIL */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "core/core.h"

#define EXEC_USAGE "usage: brig exec [-t] [-u USER] JAIL [-t] [-u USER] [--] COMMAND [ARG...]"

/* Run o in the jail named name; the exit status (the command's). */
static int run_in(const char *name, const struct core_exec_opts *o)
{
	struct brig_err e = { 0 };
	struct core_jail j;
	int r;

	if (core_find_running(name, &j, &e) < 0) {
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

/* -t and -u USER, before or after the jail's name (`brig exec -u nobody
 * web id`, `brig exec web -u nobody id`), up to the command; 0 or -1. */
static int exec_options(int argc, char **argv, struct core_exec_opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "+tu:")) != -1) {
		switch (c) {
		case 't':
			o->tty = CORE_TTY_ALWAYS;
			break;
		case 'u':
			o->user = optarg;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	struct core_exec_opts o = { 0 };
	const char *name;

	optind = 1;
	if (exec_options(argc, argv, &o) < 0 || optind >= argc) {
		cli_error(EXEC_USAGE);
		return 2;
	}
	name = argv[optind++];
	if (exec_options(argc, argv, &o) < 0) {
		cli_error(EXEC_USAGE);
		return 2;
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
	struct core_exec_opts o = { .login = true, .tty = CORE_TTY_ALWAYS };

	if (argc != 2) {
		cli_error("usage: brig console JAIL");
		return 2;
	}
	return run_in(argv[1], &o);
}
