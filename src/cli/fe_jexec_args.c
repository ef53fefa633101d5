/* jexec(8)'s command line. */
#include <getopt.h>
#include <string.h>

#include "cli/fe.h"

#define JEXEC_USAGE "usage: jexec [-l] [-u username | -U username] jail [command ...]"

int jexec_parse(int argc, char **argv, struct jexec_args *a, struct brig_err *e)
{
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;	/* glibc: start afresh (tests parse many times) */
	opterr = 0;
	while ((c = getopt(argc, argv, "+lnu:U:")) != -1) {
		switch (c) {
		case 'l':
			a->login = true;
			break;
		case 'n':
			/* jexec(8): "specified name, now unused". */
			break;
		case 'u':
			a->host_user = optarg;
			break;
		case 'U':
			a->jail_user = optarg;
			break;
		default:
			return brig_err_set(e, 0, JEXEC_USAGE);
		}
	}
	if (optind >= argc || (a->host_user && a->jail_user))
		return brig_err_set(e, 0, JEXEC_USAGE);
	a->jail = argv[optind];
	a->argv = optind + 1 < argc ? argv + optind + 1 : NULL;
	return 0;
}
