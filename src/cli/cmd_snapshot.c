/* brig snapshot NAME [SNAP] | snapshot rm NAME SNAP; snapshots NAME [--json];
 * rollback NAME SNAP */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/store_progress.h"
#include "core/core.h"
#include "store/store.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* brig snapshot rm NAME SNAP */
static int snapshot_rm(const char *jail, const char *snap)
{
	struct brig_err e;

	if (store_snapshot_remove(jail, snap, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: snapshot %s removed\n", jail, snap);
	return 0;
}

/* brig snapshot NAME [SNAP] | brig snapshot rm NAME SNAP */
int cmd_snapshot(int argc, char **argv)
{
	cleanup_free char *name = NULL;
	struct cli_progress cp;
	struct brig_err e;
	int rc;

	if (argc == 4 && !strcmp(argv[1], "rm"))
		return snapshot_rm(argv[2], argv[3]);
	if (argc < 2 || argc > 3 || argv[1][0] == '-' || (argc == 3 && argv[2][0] == '-')) {
		cli_error("usage: brig snapshot NAME [SNAP] | brig snapshot rm NAME SNAP");
		return 2;
	}
	cli_progress_init(&cp);
	rc = core_snapshot(argv[1], argc == 3 ? argv[2] : NULL, &name, &cp.sp, &e);
	cli_progress_done(&cp);
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: snapshot %s taken\n", argv[1], name);
	return 0;
}

/* brig snapshots NAME [--json] */
int cmd_snapshots(int argc, char **argv)
{
	const char *jail = NULL;
	struct store_snapshot *v;
	struct brig_err e;
	bool json = false;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] != '-' && !jail)
			jail = argv[i];
		else
			goto usage;
	}
	if (!jail)
		goto usage;
	if (store_snapshot_list(jail, &v, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (json) {
		struct strbuf sb = STRBUF_INIT;
		struct json j;

		json_init(&j, &sb, true);
		json_arr_begin(&j);
		for (size_t i = 0; i < n; i++) {
			json_obj_begin(&j);
			json_key(&j, "name");
			json_str(&j, v[i].name);
			json_key(&j, "created");
			json_int(&j, v[i].created);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		printf("%s\n", sb.s);
		sb_free(&sb);
	} else {
		printf("%-32s %s\n", "SNAPSHOT", "CREATED");
		for (size_t i = 0; i < n; i++) {
			char when[32];

			printf("%-32s %s\n", v[i].name, cli_time(v[i].created, when, sizeof(when)));
		}
	}
	store_snapshot_list_free(v, n);
	return 0;
usage:
	cli_error("usage: brig snapshots NAME [--json]");
	return 2;
}

/* brig rollback NAME SNAP: the jail must be stopped. */
int cmd_rollback(int argc, char **argv)
{
	struct cli_progress cp;
	struct brig_err e;
	int rc;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		cli_error("usage: brig rollback NAME SNAP");
		return 2;
	}
	cli_progress_init(&cp);
	rc = core_rollback(argv[1], argv[2], &cp.sp, &e);
	cli_progress_done(&cp);
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: rolled back to snapshot %s\n", argv[1], argv[2]);
	return 0;
}
