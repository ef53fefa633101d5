/* Helpers shared by the command files: printing and loading configuration. */
#ifndef BRIG_CLI_CLI_H
#define BRIG_CLI_CLI_H

#include <stdbool.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "util/err.h"

/* Program name for messages ("brig", "jail", "jls", "jexec"). */
extern const char *cli_prog;

/* "brig: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print e as "brig: <message>" on stderr. */
void cli_print_err(const struct brig_err *e);
/* "brig: web: waiting for another brig (pid N) ..." (core_set_lock_notice). */
void cli_lock_notice(const char *jail, pid_t holder);
/* Print every diagnostic on stderr. */
void cli_print_diag(const struct diag *d);

/* Load the jail configuration: `file` (NULL: the default confdir) and
 * command-line parameters, isolated (conf_source.isolate): a jail whose
 * own configuration has errors is marked (core reports its first error
 * when it is started), the others load. Prints the errors that fail the
 * load; returns NULL then. */
struct conf *cli_load_conf(const char *file, char *const *params, int nparams);
/* The same, printing nothing; lazy: names, places and errors only. */
struct conf *cli_load_conf_quiet(const char *file, bool lazy);

#endif
