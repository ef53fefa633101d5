/* brig create's check of a new jail's file before anything is written:
 * the configuration as it would be with the file, isolated (a broken
 * file of another jail is not the new jail's business). The new jail
 * must have no error of its own (unknown parameters, bad values, a name
 * already defined elsewhere) and no clash with another jail (an address
 * on the same bridge, a host interface, an rdr port). */
#include <string.h>

#include "core/core.h"
#include "net/net.h"
#include "util/mem.h"

int core_check_new(const char *name, const char *confpath, const char *text, struct brig_err *e)
{
	struct conf_memfile m = { .path = confpath, .data = text, .len = strlen(text) };
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = conf_default_dir(),
				   .extra = &m, .isolate = true };
	struct diag d = { 0 };
	struct conf *c = NULL;
	const struct conf_jail *j;
	int rc = 0;

	if (conf_load(&src, &c, &d) < 0) {
		const char *first = "";

		for (size_t i = 0; i < d.n && !*first; i++)
			if (d.msgs[i].level == DIAG_ERROR)
				first = d.msgs[i].text;
		rc = brig_err_set(e, 0, "the configuration would not load (nothing written): %s", first);
	} else if (!(j = conf_jail(c, name))) {
		rc = brig_err_set(e, 0, "%s would not define jail %s (nothing written)", confpath, name);
	} else if (j->error) {
		rc = brig_err_set(e, 0, "its block would not load (nothing written): %s", j->error);
	} else if (net_jail_clash(c, j, e) < 0) {
		rc = -1;
	}
	diag_free(&d);
	conf_free(c);
	return rc;
}
