/* rctl(8) rules: FreeBSD's resource-limit language, parsed (pure).
 *
 * A rule is SUBJECT:ID:RESOURCE:ACTION=AMOUNT[/PER]; brig knows the
 * subject `jail` only. In a jail's `rctl` parameter the subject is the
 * jail itself: RESOURCE:ACTION=AMOUNT[/PER]. AMOUNT takes rctl(8)'s
 * suffixes (expand_number(3): k, m, g, t, p, e, powers of 1024). Every
 * resource is a row of conf/rctl.def, with what Linux holds it with, or
 * why it is refused. */
#ifndef BRIG_CONF_RCTL_H
#define BRIG_CONF_RCTL_H

#include <stdbool.h>
#include <stddef.h>

enum rctl_res {
#define R(id, name, unit, actions, sig, mech, v2, v1, notes) RCTL_##id,
#include "conf/rctl.def"
#undef R
	RCTL__COUNT
};

enum rctl_unit { RCTL_U_BYTES, RCTL_U_COUNT, RCTL_U_PERCENT, RCTL_U_SECONDS, RCTL_U_RATE };
/* How Linux holds a resource. */
enum rctl_mech { RCTL_M_CG, RCTL_M_RL, RCTL_M_IPC, RCTL_M_PTY, RCTL_M_NO };

enum rctl_action {
	RCTL_DENY = 1,
	RCTL_LOG = 2,		/* log and devctl: a line in brig's log */
	RCTL_SIG = 4,		/* sigNAME: the resource's own signal only */
	RCTL_THROTTLE = 8,
};

struct rctl_resdef {
	const char *name;
	enum rctl_unit unit;
	unsigned actions;	/* RCTL_* it takes; 0: refused */
	const char *sig;	/* the signal of its sigNAME, e.g. "SIGXCPU" */
	enum rctl_mech mech;
	const char *v2, *v1;	/* the mechanism on each cgroup version */
	const char *notes;	/* how it differs, or why it is refused */
};

const struct rctl_resdef *rctl_res(enum rctl_res r);
/* The resource named name, or -1. */
int rctl_res_find(const char *name);

struct rctl_rule {
	const char *jail;		/* the subject's id, jlen bytes (NULL: a
					 * jail's own rctl) */
	size_t jlen;
	enum rctl_res res;
	enum rctl_action action;
	const char *actname;		/* as written, normalised: "deny", "log",
					 * "devctl", "throttle", "sigxcpu" */
	unsigned long long amount;
	bool per_process;		/* "/process" (rlimits only) */
};

/* Parse one rule: with_subject, "jail:NAME:RESOURCE:ACTION=AMOUNT[/PER]"
 * (rctl.conf, rctl -a); else "RESOURCE:ACTION=AMOUNT[/PER]" (a jail's
 * rctl parameter). 0 and *r (its jail points into text, jlen bytes); -1 with a
 * message in msg and the byte of text it is about in *at. */
int rctl_parse(const char *text, bool with_subject, struct rctl_rule *r, char *msg, size_t msglen,
	       size_t *at);
/* The rules of a jail's rctl values v[0..n) (a model's: already checked;
 * one that does not parse is left out): their number and *out (caller
 * frees). */
size_t rctl_parse_list(char *const *v, size_t n, struct rctl_rule **out);
/* The rule as a jail's rctl value, "RESOURCE:ACTION=AMOUNT[/process]"
 * (amount in plain units: what rctl -l prints), in buf. */
void rctl_format(const struct rctl_rule *r, char *buf, size_t len);

/* A filter of rctl -l and -r: "jail[:NAME[:RESOURCE[:ACTION]]]", empty
 * parts matching anything (FreeBSD's ":" and "jail:" and "jail::maxproc"). */
struct rctl_filter {
	const char *jail;		/* NULL: any (points into text) */
	size_t jlen;
	int res;			/* -1: any */
	const char *action;		/* NULL: any */
	size_t alen;
};
int rctl_filter_parse(const char *text, struct rctl_filter *f, char *msg, size_t msglen);
bool rctl_filter_match(const struct rctl_filter *f, const char *jail, const struct rctl_rule *r);

/* A CPU list, "0-3,6": 0 if well formed. */
int rctl_cpuset_valid(const char *s, char *msg, size_t msglen);

#endif
