#include "cli/cli.h"
#include "cli/cmds.h"

int cmd_config(int argc, char **argv)
{
	(void)argc;
	cli_error("%s: not implemented yet", argv[0]);
	return 2;
}
