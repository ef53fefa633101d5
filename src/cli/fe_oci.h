/* brig-oci's pieces (cli/fe_oci*.c): the global options, runc's
 * messages, what the commands share. */
#ifndef BRIG_CLI_FE_OCI_H
#define BRIG_CLI_FE_OCI_H

#include <stdbool.h>
#include <sys/types.h>

#include "oci/spec.h"
#include "oci/state.h"
#include "util/err.h"

struct oci_opts {
	const char *root;	/* --root: the runtime's records */
	const char *log;	/* --log FILE */
	bool log_json;		/* --log-format json */
	bool debug;
};
extern struct oci_opts oci_g;

/* One option of a command: a value (str), a flag, or repeated (list). */
struct oci_arg {
	const char *name, *alias;
	const char **str;
	bool *flag;
	char ***list;
	size_t *nlist;
};
/* What the container's process leaves in exec.fifo when a startContainer
 * hook failed (fe_oci.c process_hold), for start to read. */
#define OCI_FIFO_HOOK_FAILED "H"

#define OPT_STR(n, a, p) { .name = (n), .alias = (a), .str = (p) }
#define OPT_FLAG(n, a, p) { .name = (n), .alias = (a), .flag = (p) }
#define OPT_LIST(n, a, p, np) { .name = (n), .alias = (a), .list = (p), .nlist = (np) }
#define OPT_END { .name = NULL }
/* Parse argv[1..] (argv[0]: the command) up to the first operand, which
 * is argv[*first]. */
int oci_args(int argc, char **argv, const struct oci_arg *spec, int *first, struct brig_err *e);

/* The one container id operand at argv[first]. */
int oci_one_id(int argc, char **argv, int first, const char **id, struct brig_err *e);
int oci_cmd_exec(int argc, char **argv);

void oci_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Log e as an error; the exit status 1. */
int oci_fail(const struct brig_err *e);

int oci_hooks(const struct oci_spec *s, enum oci_hook_kind k, const struct oci_state *st,
	      enum oci_status status, struct brig_err *e);
int oci_spec_load(const char *dir, const char *bundle, const char *id, struct oci_spec *s,
		  struct brig_err *e);
int oci_load(const char *id, struct oci_state *st, enum oci_status *status, struct brig_err *e);
/* create, and run's first half: 0 with *pid the container's process. */
int oci_create(const char *id, const char *bundle, const char *pid_file, const char *console,
	       pid_t *pid, struct brig_err *e);
void oci_forget(const char *id);
/* A pty of the jail's devpts (the jail whose PID 1 is init), its master
 * sent over the unix socket at socket_path (runc's --console-socket),
 * its slave in *slave (> 2). */
int oci_console(pid_t init, const char *socket_path, int *slave, struct brig_err *e);
/* Whether the jail id's cgroup v2 group is frozen (pause). */
bool oci_frozen(const char *id);

#endif
