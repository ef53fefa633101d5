/* An OCI bundle's config.json (the runtime specification's config.md) as
 * brig's typed jail model, and what of it is the container's process.
 *
 * Pure, like conf/: reads the text it is given (jansson), touches
 * nothing. The jail is a struct jail_def built by conf's producer
 * (jail_def_from_params, by parameter id): path (root.path), persist,
 * host.hostname, vnet, mount.devfs and devfs_ruleset, mount (bind and
 * tmpfs entries), rctl (linux.resources), userns and userns.map
 * (uidMappings), allow.* (the capability bounding set). What is the
 * process's alone (args, env, cwd, user, rlimits, noNewPrivileges,
 * oomScoreAdj, capabilities, terminal) is kept beside it, for the
 * runtime to enter into the jail. Every member of the file is known:
 * one that brig cannot honour is refused, naming it ("linux.intelRdt:
 * not supported"); a few are accepted with a warning that says what brig
 * does instead (apparmorProfile, selinuxLabel, the mounts brig's own /dev,
 * /proc and /sys already give). */
#ifndef BRIG_OCI_SPEC_H
#define BRIG_OCI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf/model.h"
#include "util/err.h"

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK__COUNT,
};

struct oci_hook {
	char *path;
	char **args;		/* NULL-ended; NULL: none */
	char **env;		/* NULL-ended; NULL: none */
	long timeout;		/* seconds, 0: none */
};

struct oci_rlimit {
	int resource;		/* RLIMIT_* */
	unsigned long long soft, hard;
};

struct oci_spec {
	struct jail_def *def;	/* the jail: name (the container's id), path... */
	char *id;
	bool userns;		/* a user namespace (linux.namespaces) */
	bool readonly;		/* root.readonly */
	char **args;		/* process.args, NULL-ended */
	char **env;		/* process.env, NULL-ended (never NULL) */
	char *cwd;		/* process.cwd */
	uid_t uid;
	gid_t gid;
	gid_t *gids;		/* additionalGids */
	size_t ngids;
	bool terminal;
	bool no_new_privs;
	bool has_oom;
	int oom_score_adj;
	uint64_t caps;		/* the bounding set, bit N = capability N */
	struct oci_rlimit *rlimits;
	size_t nrlimits;
	char *netns;		/* a network namespace to join (its path), or NULL */
	/* The mount points of mounts[] (relative to the root), which create
	 * makes in the root as runc does, and each one's source (a bind's:
	 * a file or a directory; NULL: a tmpfs, a directory). */
	char **points, **point_srcs;
	size_t npoints;
	char **sysctl;		/* "NAME=VALUE", NULL-ended (never NULL) */
	char *seccomp;		/* linux.seccomp, checked, as JSON text; NULL: none */
	struct oci_hook *hooks[OCI_HOOK__COUNT];
	size_t nhooks[OCI_HOOK__COUNT];
	char **annotations;	/* KEY, VALUE, KEY, VALUE..., NULL-ended */
	char **warnings;	/* what is accepted but not done as asked */
	size_t nwarnings;
};

/* The jail id's model and process from config.json's text (len bytes),
 * the bundle being the directory it was read from (root.path is relative
 * to it). 0 and *s; -1 with e set ("config.json: process.args: ...").
 * Free with oci_spec_free (also after a failure). */
int oci_spec_parse(const char *text, size_t len, const char *bundle, const char *id, struct oci_spec *s,
		   struct brig_err *e);
void oci_spec_free(struct oci_spec *s);
/* A linux.resources object alone (update --resources): its rctl rules
 * ("memoryuse:deny=N"), NULL-ended, *n of them (caller frees). */
int oci_resources_rules(const char *text, size_t len, char ***rules, size_t *n, struct brig_err *e);
/* A process object alone (exec --process FILE): s's process members
 * (no model: s->def stays NULL; allow.* the capabilities would need are
 * not checked against the jail's). */
int oci_process_parse(const char *text, size_t len, struct oci_spec *s, struct brig_err *e);

/* A hook kind's name in config.json ("createRuntime"). */
const char *oci_hook_name(enum oci_hook_kind k);

/* The capability named name ("CAP_NET_RAW"), or -1. */
int oci_cap_number(const char *name);

/* The default config.json `brig-oci spec` writes (runc's, with brig's
 * capability set), NUL-terminated; the caller frees. */
char *oci_spec_default(bool rootless);

#endif
