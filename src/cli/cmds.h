/* Every command brig has: one function per verb, one file per verb. */
#ifndef BRIG_CLI_CMDS_H
#define BRIG_CLI_CMDS_H

#include <stddef.h>

/* Each returns the process exit status. argv[0] is the verb itself. */
int cmd_config(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_net(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_snapshots(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_reap(int argc, char **argv);
int cmd_rctl_crossed(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_cgroup_group(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_compose(int argc, char **argv);

/* brig's verbs (cli/main.c), for main and for the completions. */
struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* NULL: internal, not listed */
};
extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

/* FreeBSD front-ends, chosen by argv[0]. */
int fe_jail(int argc, char **argv);
int fe_jls(int argc, char **argv);
int fe_jexec(int argc, char **argv);
int fe_rctl(int argc, char **argv);
int fe_oci(int argc, char **argv);
int cmd_oci(int argc, char **argv);

#endif
