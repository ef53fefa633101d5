/* jexec(8): run a command (or a shell) inside a running jail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"

int fe_jexec(int argc, char **argv)
{
	struct brig_err e = { 0 };
	struct core_jail j = { 0 };
	struct jexec_args a;
	struct core_exec_opts o;
	char *end;
	unsigned long jid;
	int rc;

	if (jexec_parse(argc, argv, &a, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	if (core_find(a.jail, &j, &e) < 0) {
		/* libjail's words for a jail that is not there. */
		jid = strtoul(a.jail, &end, 10);
		if (*a.jail && *end == '\0')
			cli_error("jail %lu not found", jid);
		else
			cli_error("jail \"%s\" not found", a.jail);
		return 1;
	}
	o = (struct core_exec_opts){
		.user = a.jail_user,
		.host_user = a.host_user,
		.login = a.login,
		.argv = a.argv,
	};
	fflush(stdout);
	rc = core_exec(&j, &o, &e);
	if (rc < 0) {
		cli_print_err(&e);
		rc = 1;
	}
	core_jail_free(&j);
	return rc;
}
