/* brig stats [JAIL...] [--json] [--watch [-n SECS]]: each running jail's
 * usage (core/usage.h). */
#include "cli/cli.h"
#include "cli/cmds.h"

int cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("stats: not yet");
	return 1;
}
