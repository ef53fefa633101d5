#include "cli/cli.h"
#include "cli/cmds.h"

int cmd_snapshot(int argc, char **argv)
{
	(void)argc;
	cli_error("%s: not implemented yet", argv[0]);
	return 2;
}

int cmd_snapshots(int argc, char **argv)
{
	(void)argc;
	cli_error("%s: not implemented yet", argv[0]);
	return 2;
}

int cmd_rollback(int argc, char **argv)
{
	(void)argc;
	cli_error("%s: not implemented yet", argv[0]);
	return 2;
}
