/* rctl -u FILTER: a jail's usage as FreeBSD's rctl(8) prints it
 * (RESOURCE=AMOUNT, one per line, in rctl's units). */
#include "cli/cli.h"
#include "cli/fe.h"

int fe_rctl_usage(const char *filter, bool human)
{
	(void)filter;
	(void)human;
	cli_error("-u: not yet");
	return 1;
}
