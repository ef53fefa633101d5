/* A jail's runtime state: one small text file, brig_rundir()/NAME/state.
 *
 * Format (version 1), one "KEY VALUE" per line, values escaped (\\ and \n):
 *   brig-jail-state 1
 *   name web
 *   jid 3
 *   status starting|running|stopping|dead
 *   init PID STARTTIME        (0 0 until the jail's first process exists)
 *   ns 0xFLAGS                (CLONE_NEW* to join when entering)
 *   caps 0xMASK               (the jail's bounding set)
 *   socket_af 1               (allow.socket_af: its filter allows every
 *                              socket family; absent: not)
 *   hostname web
 *   path /jails/web
 *   userns UID GID COUNT      (a userns jail: its ids on the host)
 *   ip4 10.0.0.2              (repeated; ip6 likewise)
 *   param NAME VALUE          (every resolved parameter, lists joined by ",")
 *   hooks                     (the lists' values are recorded, as:)
 *   hook NAME VALUE           (one per value of each list parameter, a
 *                              comma and all: with the param lines, the
 *                              model the jail started with, which stop,
 *                              exec and reload read: core/recorded.c)
 *   obj KIND ID               (kernel objects, in creation order)
 * Written atomically (temp file, fsync, rename); read without the lock. */
#ifndef BRIG_CORE_STATE_H
#define BRIG_CORE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/strbuf.h"

struct jobj {
	char *kind;
	char *id;
};

struct jstate {
	char *name;
	int jid;
	char *status;
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
	char **pnames;
	char **pvalues;
	size_t nparams;
	bool hooks;		/* the stop hooks are recorded (brig >= issue 15) */
	char **hnames;
	char **hvalues;
	size_t nhooks;
	struct jobj *objs;
	size_t nobjs;
};

/* Text form of s. */
void state_format(const struct jstate *s, struct strbuf *out);
/* Parse text into s (zeroed first). */
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

/* Append an object / a parameter / an address. */
void state_add_obj(struct jstate *s, const char *kind, const char *id);
void state_add_param(struct jstate *s, const char *name, const char *value);
void state_add_addr(char ***v, size_t *n, const char *addr);
/* Append one command of a stop hook (sets s->hooks). */
void state_add_hook(struct jstate *s, const char *name, const char *cmd);
/* The value of parameter name as recorded, or NULL. */
const char *state_param(const struct jstate *s, const char *name);

#endif
