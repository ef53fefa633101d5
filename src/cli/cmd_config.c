/* brig config check|show: load the configuration, report every problem,
 * print the resolved jails (FreeBSD-style text or JSON). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

static int usage(void)
{
	fprintf(stderr, "usage: brig config check [-f FILE] [PARAM=VALUE...]\n"
			"       brig config show [-f FILE] [--json] [JAIL...] [PARAM=VALUE...]\n");
	return 2;
}

/* The jails to show: all, or those named (in definition order). Unknown
 * names are errors. Returns -1 after printing them. */
static int select_jails(const struct conf *c, char **names, size_t n, bool *pick)
{
	int rc = 0;

	for (size_t i = 0; i < c->njails; i++)
		pick[i] = n == 0;
	for (size_t k = 0; k < n; k++) {
		const struct conf_jail *j = conf_jail(c, names[k]);

		if (!j) {
			cli_error("config show: no jail named \"%s\"", names[k]);
			rc = -1;
			continue;
		}
		pick[j - c->jails] = true;
	}
	return rc;
}

/* The output of show, built whole before anything is written. */
static void render(const struct conf *c, const bool *pick, bool json, struct strbuf *out)
{
	struct json w;
	bool first = true;

	if (json) {
		json_init(&w, out, true);
		json_arr_begin(&w);
	}
	for (size_t i = 0; i < c->njails; i++) {
		if (!pick[i])
			continue;
		if (json) {
			conf_jail_json(&c->jails[i], &w);
		} else {
			if (!first)
				sb_addc(out, '\n');
			conf_jail_text(&c->jails[i], out);
		}
		first = false;
	}
	if (json) {
		json_arr_end(&w);
		sb_addc(out, '\n');
	}
}

int cmd_config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	bool json = false, show;
	char **params, **names;
	size_t nparams = 0, nnames = 0;
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS };
	struct diag d = { 0 };
	struct conf *c = NULL;
	int opt, rc;

	if (argc < 2)
		return usage();
	show = strcmp(argv[1], "show") == 0;
	if (!show && strcmp(argv[1], "check") != 0)
		return usage();
	argc--;
	argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+f:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			file = optarg;
			break;
		case 'j':
			if (!show)
				return usage();
			json = true;
			break;
		case 'h':
		default:
			return usage();
		}
	}
	/* show: JAIL names and PARAM=VALUE; check: parameters only. */
	params = xcalloc((size_t)argc + 1, sizeof(*params));
	names = xcalloc((size_t)argc + 1, sizeof(*names));
	for (int i = optind; i < argc; i++) {
		if (show && !strchr(argv[i], '='))
			names[nnames++] = argv[i];
		else
			params[nparams++] = argv[i];
	}
	src.file = file;
	src.confdir = file ? NULL : conf_default_dir();
	src.cmdline = params;
	src.ncmdline = nparams;
	rc = conf_load(&src, &c, &d) < 0 ? 1 : 0;
	if (show) {
		/* Errors always; notes ("ignored on Linux") belong to check. */
		for (size_t i = 0; i < d.n; i++)
			if (d.msgs[i].level != DIAG_NOTE)
				fprintf(stderr, "%s\n", d.msgs[i].text);
	} else {
		cli_print_diag(&d);
	}
	diag_free(&d);
	if (rc == 0 && show) {
		bool *pick = xcalloc(c->njails + 1, sizeof(*pick));
		struct strbuf out = STRBUF_INIT;

		if (select_jails(c, names, nnames, pick) < 0) {
			rc = 1;
		} else {
			render(c, pick, json, &out);
			if (fwrite(out.s, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
				cli_error("config show: writing the output failed");
				rc = 1;
			}
		}
		sb_free(&out);
		free(pick);
	}
	conf_free(c);
	free(params);
	free(names);
	return rc;
}
