/* The table of brig's verbs: main dispatches on it, --help lists it, the
 * shell completions read it (brig complete commands|flags). */
#include <stddef.h>

#include "cli/cmds.h"

const struct cli_command cli_commands[] = {
	{ "config", cmd_config, "config check [-f FILE] | show [-f FILE] [--json] [JAIL...]" },
	{ "start", cmd_start, "start [-f FILE] [-p N] [-q] [-v] --all | --boot | JAIL..." },
	{ "stop", cmd_stop, "stop [-f FILE] [-p N] [-q] [-v] --all | JAIL..." },
	{ "restart", cmd_restart, "restart [-f FILE] [-p N] [-q] [-v] JAIL..." },
	{ "reload", cmd_reload, "reload [-f FILE] [-p N] [-q] [-v]" },
	{ "ls", cmd_ls, "ls [-a] [-v] [--json]" },
	{ "stats", cmd_stats, "stats [JAIL...] [--json] [--watch [-n SECS]]" },
	{ "doctor", cmd_doctor, "doctor [-f FILE] [JAIL [--to ADDR[:PORT][/tcp|udp]] [--rdr [PORT]] | --all] [--json] [-v]" },
	{ "logs", cmd_logs, "logs [-f] [-n N] JAIL" },
	{ "exec", cmd_exec, "exec [-t] [-u USER] JAIL [-t] [-u USER] [--] COMMAND [ARG...]" },
	{ "console", cmd_console, "console JAIL" },
	{ "net", cmd_net, "net ls [--json] | up NAME | down NAME" },
	{ "template", cmd_template, "template create NAME --from SOURCE [--devices] | ls [-v] [--json] | rm NAME" },
	{ "create", cmd_create, "create NAME -t TEMPLATE [--thick] [PARAM=VALUE...]" },
	{ "destroy", cmd_destroy, "destroy NAME [-f]" },
	{ "snapshot", cmd_snapshot, "snapshot NAME [SNAP] | snapshot rm NAME SNAP" },
	{ "snapshots", cmd_snapshots, "snapshots NAME [--json]" },
	{ "rollback", cmd_rollback, "rollback NAME SNAP" },
	{ "export", cmd_export, "export NAME FILE [--full] [--live]" },
	{ "import", cmd_import, "import FILE [NAME] [--trust] [--devices] [PARAM=VALUE...]" },
	{ "compose", cmd_compose, "compose import FILE [-p PROJECT] [--images DIR] [--dry-run] | up PROJECT | down PROJECT | ps PROJECT" },
	{ "oci", cmd_oci, "oci [--root DIR] [--log FILE] [--log-format json] create|start|state|kill|delete|list|ps|exec|pause|resume|run|features|spec ... (brig-oci --help)" },
	/* Internal: run by a jail's reaper (sys/reaper.h) when its init ends. */
	{ "reap", cmd_reap, NULL },
	/* Internal: run by a jail's reaper when a rule of action log is crossed. */
	{ "_rctl-crossed", cmd_rctl_crossed, NULL },
	/* Internal: names for the shell completions (cli/cmd_complete.c). */
	{ "complete", cmd_complete, NULL },
	/* Internal: the cgroup group of this run directory or of a jail, for
	 * the tests' leak check (tests/integration/lib/run-one.sh). */
	{ "_cgroup-group", cmd_cgroup_group, NULL },
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);
