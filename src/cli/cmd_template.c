/* brig template create NAME --from SOURCE | ls [-v] [--json] | rm NAME */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/store_progress.h"
#include "cli/store_report.h"
#include "store/store.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

static int usage(void)
{
	cli_error("usage: brig template create NAME --from SOURCE [--devices] | ls [-v] [--json] | rm NAME\n"
		  "  SOURCE: busybox, a directory, a tarball (.tar, .tar.gz, .tgz, .txz, .tar.xz,\n"
		  "  .tar.zst), debootstrap:SUITE[:PKG,PKG...], an OCI image layout oci:DIR[:REF]\n"
		  "  or docker-archive:FILE (docker save, podman save)\n"
		  "  --devices: keep the source's device nodes (left out by default: a jail\n"
		  "  gets its /dev from brig)");
	return 2;
}

/* brig template create NAME --from SOURCE [--devices] */
static int create(int argc, char **argv)
{
	const char *name = NULL, *source = NULL;
	struct store_devices dev = { 0 };
	struct cli_progress cp;
	struct brig_err e;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--from") && i + 1 < argc)
			source = argv[++i];
		else if (!strncmp(argv[i], "--from=", 7))
			source = argv[i] + 7;
		else if (!strcmp(argv[i], "--devices"))
			dev.keep = true;
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			return usage();
	}
	if (!name || !source)
		return usage();
	cli_progress_init(&cp);
	rc = store_template_create(name, source, &dev, &cp.sp, &e);
	cli_progress_done(&cp);
	if (rc < 0) {
		cli_print_err(&e);
		free(dev.first);
		return 1;
	}
	printf("template %s created from %s\n", name, source);
	if (dev.dropped) {
		cleanup_free char *who = xasprintf("template %s", name);

		cli_report_devices(who, &dev, "brig template create");
	}
	free(dev.first);
	return 0;
}

/* The templates as JSON. */
static void list_json(const struct store_template *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	json_init(&j, &sb, true);
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(&j);
		json_key(&j, "name");
		json_str(&j, v[i].name);
		json_key(&j, "source");
		json_str(&j, v[i].source);
		json_key(&j, "created");
		json_int(&j, v[i].created);
		json_key(&j, "jails");
		json_arr_begin(&j);
		for (size_t k = 0; k < v[i].njails; k++)
			json_str(&j, v[i].jails[k]);
		json_arr_end(&j);
		json_key(&j, "labels");
		json_obj_begin(&j);
		for (size_t k = 0; k < v[i].nlabels; k++) {
			cleanup_free char *key = xstrndup(v[i].labels[k], strcspn(v[i].labels[k], "="));

			json_key(&j, key);
			json_str(&j, v[i].labels[k] + strlen(key) + (v[i].labels[k][strlen(key)] ? 1 : 0));
		}
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	printf("%s\n", sb.s);
	sb_free(&sb);
}

/* The templates as a table; verbose: an image's labels under its row. */
static void list_text(const struct store_template *v, size_t n, bool verbose)
{
	printf("%-16s %-19s %-24s %s\n", "NAME", "CREATED", "THIN JAILS", "SOURCE");
	for (size_t i = 0; i < n; i++) {
		struct strbuf jails = STRBUF_INIT;
		char when[32];

		for (size_t k = 0; k < v[i].njails; k++)
			sb_addf(&jails, "%s%s", k ? "," : "", v[i].jails[k]);
		printf("%-16s %-19s %-24s %s\n", v[i].name, cli_time(v[i].created, when, sizeof(when)),
		       jails.len ? jails.s : "-", v[i].source);
		for (size_t k = 0; verbose && k < v[i].nlabels; k++)
			printf("    label %s\n", v[i].labels[k]);
		sb_free(&jails);
	}
}

/* brig template ls [--json] */
static int list(int argc, char **argv)
{
	struct store_template *v;
	struct brig_err e;
	bool json = false, verbose = false;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			verbose = true;
		else
			return usage();
	}
	if (store_template_list(&v, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (json)
		list_json(v, n);
	else
		list_text(v, n, verbose);
	store_template_list_free(v, n);
	return 0;
}

/* brig template rm NAME */
static int remove_(int argc, char **argv)
{
	struct brig_err e;

	if (argc != 2)
		return usage();
	if (store_template_remove(argv[1], &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("template %s removed\n", argv[1]);
	return 0;
}

int cmd_template(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "create"))
		return create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ls") || !strcmp(argv[1], "list"))
		return list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rm") || !strcmp(argv[1], "remove"))
		return remove_(argc - 1, argv + 1);
	return usage();
}
