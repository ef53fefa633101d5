/* A jail's runtime state: one small file, brig_rundir()/NAME/state.
 *
 * Format (version 2): one JSON object (state_json_out.c, state_json_in.c).
 *   {
 *     "brig-jail-state": 2,
 *     "name": "web",
 *     "jid": 3,
 *     "status": "starting" | "running" | "stopping" | "dead",
 *     "init": { "pid": PID, "start": STARTTIME },
 *                          (0 0 until the jail's first process exists)
 *     "ns": "0xFLAGS",     (CLONE_NEW* to join when entering)
 *     "caps": "0xMASK",    (the jail's bounding set)
 *     "socket_af": true,   (allow.socket_af: its filter allows every
 *                           socket family)
 *     "hostname": "web",
 *     "path": "/jails/web",
 *     "userns": { "uid": U, "gid": G, "count": N },
 *                          (a userns jail: its ids on the host; absent: none)
 *     "ip4": [ "10.0.0.2" ], "ip6": [ ... ],
 *     "params": { NAME: "value" | [ "value", ... ] },
 *                          (every resolved parameter; a list as an array)
 *     "stop_hooks": { NAME: [ "command", ... ] },
 *                          (exec.prestop, exec.stop, exec.poststop,
 *                           exec.release, one command each: a stop runs
 *                           these, whatever the configuration says now;
 *                           absent: a brig that did not record them)
 *     "objects": [ { "kind": KIND, "id": ID } ]
 *                          (kernel objects, in creation order; KIND one of
 *                           jobj_kind_names[], util/rec.h)
 *   }
 * Unknown keys (a newer brig of the same version) are ignored; another
 * version is refused. Version 1, the "KEY VALUE" text of the brig before
 * (state_v1.c), is still read: a jail it started stops after an upgrade.
 * Written atomically (temp file, fsync, rename); read without the lock. */
#ifndef BRIG_CORE_STATE_H
#define BRIG_CORE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf/model.h"
#include "util/err.h"
#include "util/rec.h"
#include "util/strbuf.h"

/* The life of a jail as its state says; jstatus_names[] are its names in
 * the state file and in messages. */
enum jstatus {
	JSTATUS_STARTING,
	JSTATUS_RUNNING,
	JSTATUS_STOPPING,
	JSTATUS_DEAD,
	JSTATUS__COUNT
};

extern const char *const jstatus_names[JSTATUS__COUNT];

struct jobj {
	enum jobj_kind kind;
	char *id;
};

struct jstate {
	char *name;
	int jid;
	enum jstatus status;
	pid_t init_pid;
	unsigned long long init_start;
	int nsflags;
	uint64_t caps;
	bool socket_af;
	char *hostname;
	char *path;
	uint32_t userns_uid, userns_gid, userns_count;	/* count 0: no userns */
	char **ip4;
	size_t nip4;
	char **ip6;
	size_t nip6;
	/* The model the jail was started with (owned): what stop, exec, jls,
	 * reload and reconciliation read (core/recorded.c). NULL: none. */
	struct jail_def *def;
	struct jobj *objs;
	size_t nobjs;
};

/* The state file's text (version 2) of s. */
void state_format(const struct jstate *s, struct strbuf *out);
/* Parse a state file's text, version 1 or 2, into s (zeroed first); the
 * error says what is wrong, the caller names the file. */
int state_parse(const char *text, struct jstate *s, struct brig_err *e);
void state_free(struct jstate *s);
/* Free n strings of v, and v. */
void strv_free(char **v, size_t n);

/* Read dir/state: 1 if read, 0 if there is none, -1 on error. */
int state_read(const char *dir, struct jstate *s, struct brig_err *e);
/* Write dir/state atomically. */
int state_write(const char *dir, const struct jstate *s, struct brig_err *e);
/* Remove dir/state (absent is fine). */
int state_remove(const char *dir, struct brig_err *e);

/* Append an object / an address. */
void state_add_obj(struct jstate *s, enum jobj_kind kind, const char *id);
void state_add_addr(char ***v, size_t *n, const char *addr);
/* The ids of the objects of that kind, in order (pointers into s;
 * NULL-terminated, n of them); free() the vector. */
char **state_obj_ids(const struct jstate *s, enum jobj_kind kind, size_t *n);
/* The groups a process of the jail joins: its own (JOBJ_CGROUP) and the
 * shared ones (JOBJ_CGJOIN), in record order; as state_obj_ids. */
char **state_cgroup_joins(const struct jstate *s, size_t *n);

/* The status named name, or -1. */
int jstatus_find(const char *name);

/* The two formats, for state.c: version 1 is only read (state_v1.c);
 * version 2 is written (state_json_out.c) and read (state_json_in.c). */
#define STATE_VERSION 2
#define STATE_VERSION_KEY "brig-jail-state"
int state_parse_v1(const char *text, struct jstate *s, struct brig_err *e);
int state_parse_json(const char *text, struct jstate *s, struct brig_err *e);

#endif
