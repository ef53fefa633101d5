/* jls(8): list running jails, with FreeBSD's flags and output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"
#include "util/mem.h"

/* jls -j: FreeBSD's message when the jail is not there. */
static void not_found(const char *jail)
{
	char *end;
	unsigned long jid = strtoul(jail, &end, 10);

	if (jid != 0 && *end == '\0')
		cli_error("jail %lu not found", jid);
	else
		cli_error("jail \"%s\" not found", jail);
}

int fe_jls(int argc, char **argv)
{
	struct brig_err e = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct core_jail one = { 0 };
	struct core_jail *v = NULL;
	struct jls_opts o;
	size_t n = 0;
	int rc = 0;

	if (jls_parse(argc, argv, &o, &e) < 0) {
		if (!strncmp(e.msg, "usage:", 6))
			fprintf(stderr, "%s\n", e.msg);
		else
			cli_print_err(&e);
		return 1;
	}
	if (o.jail) {
		if (core_find(o.jail, &one, &e) < 0) {
			if (!o.check)
				not_found(o.jail);
			return 1;
		}
		v = &one;
		n = 1;
	} else if (core_list(&v, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (o.check) {
		rc = n > 0 ? 0 : 1;
	} else if (jls_format(&o, v, n, &out, &e) < 0) {
		cli_print_err(&e);
		rc = 1;
	} else if (out.len > 0) {
		fwrite(out.s, 1, out.len, stdout);
	}
	sb_free(&out);
	if (o.jail)
		core_jail_free(&one);
	else
		core_list_free(v, n);
	return rc;
}
