/* What the store left out of untrusted input, told to the user. */
#ifndef BRIG_CLI_STORE_REPORT_H
#define BRIG_CLI_STORE_REPORT_H

#include "store/store.h"

/* One line: "WHO: N device nodes dropped (first: PATH); AGAIN keeps them". */
void cli_report_devices(const char *who, const struct store_devices *d, const char *again);
/* The statements of an archive's configuration left out, one line each. */
void cli_report_dropped(const char *who, const struct diag *d);
/* What brig import --trust changed of the archive's configuration (an
 * interface renamed, an address or rdr left out), one line each. */
void cli_report_changed(const struct diag *d);
/* A jail just made (brig create, import): set its quota, as its
 * configuration says; when that fails, say why and destroy it again
 * (a quota is never dropped). 0, or -1 once said. */
int cli_quota_made(const char *name, const char *path);

#endif
