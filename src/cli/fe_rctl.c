/* rctl(8): FreeBSD's resource-limits front-end, chosen by argv[0]. */
#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"

int fe_rctl(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("not yet");
	return 1;
}
