/* What the store left out of untrusted input (device nodes, an archive's
 * host-side configuration), told to the user. Paths and messages quote the
 * input: anything but printable ASCII is shown as '?', so that an archive
 * cannot write escape sequences to the terminal. */
#include "cli/store_report.h"

#include <stdio.h>

#include "cli/cli.h"
#include "conf/model.h"
#include "core/core.h"

/* s on stderr, control and non-ASCII bytes as '?'. */
static void put_shown(const char *s)
{
	for (; *s; s++)
		fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', stderr);
}

void cli_report_devices(const char *who, const struct store_devices *d, const char *again)
{
	if (!d->dropped)
		return;
	fprintf(stderr, "%s: warning: %s: %llu device node%s dropped (first: ", cli_prog, who,
		d->dropped, d->dropped > 1 ? "s" : "");
	put_shown(d->first ? d->first : "?");
	fprintf(stderr, "); %s --devices keeps them\n", again);
}

void cli_report_dropped(const char *who, const struct diag *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->msgs[i].level == DIAG_WARNING;
	if (!n)
		return;
	fprintf(stderr, "%s: warning: %s: left out of the archive's configuration, which may set only "
		"what acts inside the jail (--trust keeps it all, and runs it as root):\n", cli_prog, who);
	for (size_t i = 0; i < d->n; i++) {
		if (d->msgs[i].level != DIAG_WARNING)
			continue;
		fputs("  ", stderr);
		put_shown(d->msgs[i].text);
		fputc('\n', stderr);
	}
}

void cli_report_changed(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		fprintf(stderr, "%s: warning: ", cli_prog);
		put_shown(d->msgs[i].text);
		fputc('\n', stderr);
	}
}

int cli_quota_made(const char *name, const char *path)
{
	struct conf *c = cli_load_conf_quiet(NULL, false);
	const struct jail_def *d = c ? jail_set_find(conf_jail_set(c), name) : NULL;
	struct brig_err e, ignored;
	int rc = 0;

	if (d && core_quota_bytes(d) && core_quota_set(d, path, &e) < 0) {
		cli_print_err(&e);
		store_jail_destroy(name, &ignored);
		rc = -1;
	}
	conf_free(c);
	return rc;
}
