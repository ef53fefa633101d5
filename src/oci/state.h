/* The OCI runtime's own record of a container (brig-oci --root, by
 * default /run/brig-oci): ROOT/ID/ holds state.json (what `state`
 * prints beyond the status: the bundle, the pid of the container's
 * process and its start time, when it was created, its annotations),
 * and of the holder that takes the jail down when that process ends,
 * config.json (the bundle's, as it was at create: hooks run from it)
 * and, from create to start, exec.fifo, on which the process waits.
 * The jail itself is brig's, in brig's run directory (brig ls, jls,
 * brig exec see it); this is only what the specification asks beyond. */
#ifndef BRIG_OCI_STATE_H
#define BRIG_OCI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/strbuf.h"

#define OCI_ROOT_DEFAULT "/run/brig-oci"
#define OCI_VERSION "1.0.2"

enum oci_status {
	OCI_CREATING,
	OCI_CREATED,
	OCI_RUNNING,
	OCI_PAUSED,
	OCI_STOPPED,
};

struct oci_state {
	char *id;
	char *bundle;
	char *created;		/* RFC 3339, UTC */
	pid_t pid;		/* the container's process: the user's program
				 * once started, in the jail's namespaces
				 * since create (host pid) */
	unsigned long long pid_start;	/* its start time (clock ticks) */
	pid_t holder;		/* brig-oci's holder: stops the jail when the
				 * process has ended (0: none) */
	unsigned long long holder_start;
	char **annotations;	/* KEY, VALUE..., NULL-ended (never NULL) */
};

/* ROOT/ID (caller frees). */
char *oci_dir(const char *root, const char *id);
/* state.json written atomically into ROOT/ID. */
int oci_state_write(const char *root, const struct oci_state *st, struct brig_err *e);
/* 0 and *st; -1 with e ("container \"ID\" does not exist" when it has
 * no directory). */
int oci_state_read(const char *root, const char *id, struct oci_state *st, struct brig_err *e);
void oci_state_free(struct oci_state *st);
/* Its status now: stopped once its process has gone; created while the
 * process still waits on exec.fifo; paused when its jail's cgroup is
 * frozen (frozen: the caller's answer, it knows the jail). */
enum oci_status oci_status(const char *root, const struct oci_state *st, bool frozen);
const char *oci_status_name(enum oci_status s);
/* The specification's state (runtime.md), one line of JSON. */
void oci_state_json(const struct oci_state *st, enum oci_status s, struct strbuf *out);
struct json;
/* The same into a JSON writer (list --format json). */
void oci_state_json_into(const struct oci_state *st, enum oci_status s, struct json *j);
/* The ids of ROOT, sorted (caller frees each and the array). */
char **oci_list(const char *root, size_t *n);

/* The processes of the jail whose PID 1 is init (host pids, init left
 * out); top: only those whose parent is outside the jail, or init (the
 * container's process, what `exec` entered, orphans). -1 with e set. */
int oci_jail_pids(pid_t init, bool top, pid_t **out, size_t *n, struct brig_err *e);

/* linux.sysctl's "NAME=VALUE" (net.* only: oci/spec.c checked), in the
 * network namespace of the jail whose PID 1 is init. */
int oci_sysctl_apply(pid_t init, char *const *kv, struct brig_err *e);

#endif
