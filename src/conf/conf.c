/* Placeholder until the engine lands. */
#include "conf/conf.h"

#include <stdlib.h>

int conf_load(const struct conf_source *src, struct conf **out, struct diag *d)
{
	(void)src;
	*out = NULL;
	diag_add(d, DIAG_ERROR, "configuration engine not implemented");
	return -1;
}

void conf_free(struct conf *c) { free(c); }
const char *conf_default_dir(void) { const char *e = getenv("BRIG_CONFDIR"); return e ? e : "/etc/brig"; }
void diag_add(struct diag *d, enum diag_level lvl, const char *fmt, ...) { (void)lvl; (void)fmt; d->nerrors++; }
void diag_free(struct diag *d) { (void)d; }
