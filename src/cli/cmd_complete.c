/* brig complete WHAT [ARG]: names for the shell completions
 * (completions/), one per line. Internal and quiet: an error prints
 * nothing, a completion simply offers no names.
 *
 *   commands          the verbs brig --help lists
 *   flags VERB        the options in VERB's usage line
 *   jails             the configured jails
 *   running           the running jails
 *   templates         the templates
 *   snapshots JAIL    the snapshots of a jail
 *   bridges           the bridges of networks.conf */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "conf/conf.h"
#include "core/core.h"
#include "net/net.h"
#include "store/store.h"
#include "util/paths.h"

/* Whether the word w (n long) occurs in [start, w) already. */
static bool seen(const char *start, const char *w, size_t n)
{
	for (const char *p = start; p < w; p++)
		if (strncmp(p, w, n) == 0 && (p == start || strchr(" [|", p[-1])) && strchr(" []|", p[n]))
			return true;
	return false;
}

/* Every word of VERB's usage line that starts with '-' ("[-f" -> "-f"). */
static int flags(const char *verb)
{
	for (size_t i = 0; i < cli_ncommands; i++) {
		const char *u = cli_commands[i].usage;

		if (!u || strcmp(cli_commands[i].name, verb) != 0)
			continue;
		const char *start = u;

		while (*u) {
			size_t n;

			u += strspn(u, " [|");
			n = strcspn(u, " []|");
			/* Once each ("exec [-u USER] JAIL [-u USER]"); not "--". */
			if (n > 1 && u[0] == '-' && strncmp(u, "--", n) != 0 && !seen(start, u, n))
				printf("%.*s\n", (int)n, u);
			u += n;
			u += strspn(u, "]");
		}
	}
	return 0;
}

/* The configured jails: a quiet, lazy load (names only). */
static int jails(void)
{
	struct conf_source src = {
		.schema = CONF_SCHEMA_JAILS, .confdir = brig_confdir(), .lazy = true,
	};
	struct diag d = { 0 };
	struct conf *c = NULL;

	if (conf_load(&src, &c, &d) == 0) {
		for (size_t i = 0; i < c->njails; i++)
			printf("%s\n", c->jails[i].name);
		conf_free(c);
	}
	diag_free(&d);
	return 0;
}

static int running(void)
{
	struct core_jail *v;
	size_t n;

	if (core_list(&v, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		printf("%s\n", v[i].name);
	core_list_free(v, n);
	return 0;
}

static int templates(void)
{
	struct store_template *v;
	struct brig_err e = { 0 };
	size_t n;

	if (store_template_list(&v, &n, &e) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		printf("%s\n", v[i].name);
	store_template_list_free(v, n);
	return 0;
}

static int snapshots(const char *jail)
{
	struct store_snapshot *v;
	struct brig_err e = { 0 };
	size_t n;

	if (store_snapshot_list(jail, &v, &n, &e) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		printf("%s\n", v[i].name);
	store_snapshot_list_free(v, n);
	return 0;
}

static int bridges(void)
{
	struct net_bridge_info *v;
	struct brig_err e = { 0 };
	size_t n;

	if (net_bridge_list(&v, &n, &e) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].declared)
			printf("%s\n", v[i].name);
	net_bridge_list_free(v, n);
	return 0;
}

int cmd_complete(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (argc == 2 && !strcmp(what, "commands")) {
		for (size_t i = 0; i < cli_ncommands; i++)
			if (cli_commands[i].usage)
				printf("%s\n", cli_commands[i].name);
		return 0;
	}
	if (argc == 3 && !strcmp(what, "flags"))
		return flags(argv[2]);
	if (argc == 2 && !strcmp(what, "jails"))
		return jails();
	if (argc == 2 && !strcmp(what, "running"))
		return running();
	if (argc == 2 && !strcmp(what, "templates"))
		return templates();
	if (argc == 3 && !strcmp(what, "snapshots"))
		return snapshots(argv[2]);
	if (argc == 2 && !strcmp(what, "bridges"))
		return bridges();
	return 2;
}
