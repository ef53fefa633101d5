#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/paths.h"

const char *cli_prog = "brig";

__attribute__((format(printf, 2, 0)))
static void vmsg(const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", cli_prog, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void cli_print_err(const struct brig_err *e)
{
	fprintf(stderr, "%s: %s\n", cli_prog, e->msg);
}

void cli_lock_notice(const char *jail, pid_t holder)
{
	if (holder > 0)
		fprintf(stderr, "%s: %s: waiting for another brig (pid %d) ...\n", cli_prog, jail, (int)holder);
	else
		fprintf(stderr, "%s: %s: waiting for another brig ...\n", cli_prog, jail);
}

void cli_print_diag(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msgs[i].text);
}

/* Load isolated; print the errors when the load fails (quiet: never). */
static struct conf *load(const char *file, char *const *params, int nparams, bool quiet, bool lazy)
{
	struct conf_source src = {
		.schema = CONF_SCHEMA_JAILS,
		.file = file,
		.confdir = file ? NULL : brig_confdir(),
		.cmdline = params,
		.ncmdline = nparams > 0 ? (size_t)nparams : 0,
		.isolate = true,
		.lazy = lazy,
	};
	struct diag d = { 0 };
	struct conf *c = NULL;

	if (conf_load(&src, &c, &d) < 0)
		c = NULL;
	/* Notes ("ignored on Linux") and warnings are for `config check`;
	 * errors that belong to a jail are said when that jail is started
	 * (config check shows them all); the others here. */
	for (size_t i = 0; !c && !quiet && i < d.n; i++)
		if (d.msgs[i].level == DIAG_ERROR)
			fprintf(stderr, "%s\n", d.msgs[i].text);
	diag_free(&d);
	return c;
}

struct conf *cli_load_conf(const char *file, char *const *params, int nparams)
{
	return load(file, params, nparams, false, false);
}

struct conf *cli_load_conf_quiet(const char *file, bool lazy)
{
	return load(file, NULL, 0, true, lazy);
}
