/* brig doctor: brig's run directory and what interrupted commands leave
 * (a state whose init is gone, a lock held by a process that is not a
 * brig at work), the kernel objects no jail owns (a cgroup, a veth, nft
 * rules, an exec.fib rule), and the configuration (core/doctor_int.h).
 * Reads only: the reconciliation itself is `brig ls`'s (core/list.c),
 * named as the fix. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "core/doctor_int.h"
#include "core/lock.h"
#include "core/state.h"
#include "net/net.h"
#include "sys/cgroup.h"
#include "sys/netlink.h"
#include "sys/nft.h"
#include "sys/proc.h"
#include "util/lock.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/strbuf.h"

/* The jails brig's run directory knows (a state, or a lock held): their
 * names, and of those with a state their JID and the exec.fib rules it
 * records (JOBJ_FIB ids, each after a '\n'). */
struct known {
	char **v;
	int *jid;		/* 0: no state read */
	char **fibs;
	size_t n, cap, cap_jid, cap_fibs;
};

static void known_add(struct known *k, const char *name, const struct jstate *st)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; st && i < st->nobjs; i++)
		if (st->objs[i].kind == JOBJ_FIB)
			sb_addf(&sb, "\n%s", st->objs[i].id);
	k->v = xgrow(k->v, &k->cap, k->n, sizeof(*k->v));
	k->jid = xgrow(k->jid, &k->cap_jid, k->n, sizeof(*k->jid));
	k->fibs = xgrow(k->fibs, &k->cap_fibs, k->n, sizeof(*k->fibs));
	k->jid[k->n] = st ? st->jid : 0;
	k->fibs[k->n] = sb.len ? sb_steal(&sb) : xstrdup("");
	k->v[k->n++] = xstrdup(name);
}

static bool known_has(const struct known *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], name) == 0)
			return true;
	return false;
}

/* The command name of pid into comm ("" when it is gone). */
static void comm_of(pid_t pid, char *comm, size_t size)
{
	cleanup_free char *text = NULL;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	comm[0] = '\0';
	if (read_small_file(path, &text) == 0)
		snprintf(comm, size, "%.*s", (int)strcspn(text, "\n"), text);
}

/* A process that has path open (the first found), 0 if none: who holds
 * a lock whose taker is gone (it inherited the descriptor). */
static pid_t opener_of(const char *path)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (proc && !found && (de = readdir(proc))) {
		char fddir[300], link[4096];
		DIR *fds;
		struct dirent *fe;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(fddir, sizeof(fddir), "/proc/%s/fd", de->d_name);
		if (!(fds = opendir(fddir)))
			continue;
		while (!found && (fe = readdir(fds))) {
			ssize_t n = readlinkat(dirfd(fds), fe->d_name, link, sizeof(link) - 1);

			if (n > 0 && (link[n] = '\0', strcmp(link, path) == 0))
				found = (pid_t)atoi(de->d_name);
		}
		closedir(fds);
	}
	if (proc)
		closedir(proc);
	return found;
}

/* The jail's lock: 0 when nobody holds it, else the pid /proc/locks
 * names (the process that took it); *is_brig when that is a brig at
 * work. A holder that is not one is a hop of its own: a process that
 * inherited brig's descriptor, its taker maybe gone. */
static pid_t lock_of(const char *name, const char *dir, bool *is_brig, struct dr_report *r)
{
	cleanup_free char *path = xasprintf("%s/lock", dir);
	char comm[64], seen[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	pid_t pid, now;

	bool held;

	*is_brig = false;
	if (fd < 0)
		return 0;
	pid = lock_holder(fd);
	/* /proc/locks names no one when the taker is gone (its pid no
	 * longer translates): whether it is held, a shared try tells (let go
	 * at once; a brig that wants it waits and retries). */
	held = pid > 0 || (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK);
	close(fd);
	if (!held)
		return 0;
	comm_of(pid, comm, sizeof(comm));
	*is_brig = strncmp(comm, "brig", 4) == 0;
	if (*is_brig)
		return pid;
	if (comm[0]) {
		snprintf(seen, sizeof(seen), "held by pid %d (%s), not a brig", (int)pid, comm);
	} else {
		now = opener_of(path);
		comm_of(now, comm, sizeof(comm));
		snprintf(seen, sizeof(seen), "its taker gone; held by pid %d (%s), which inherited "
			 "it", (int)now, now ? comm : "not found");
		pid = now;
	}
	cleanup_free char *hop = xasprintf("lock of jail %s", name);

	cleanup_free char *who = pid ? xasprintf("process %d", (int)pid) :
					xstrdup("the process");

	dr_add(r, "state", hop, DR_WARN, seen, "free, or held by a brig at work",
	       "end %s, which holds %s (a hook's process that went on running?): brig "
	       "commands on jail %s wait for it, then give up; then brig ls", who, path, name);
	return pid ? pid : -1;
}

/* The objects a state records, for the evidence: "veth e3a, nft jail:web". */
static char *objects_of(const struct jstate *st)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < st->nobjs; i++)
		sb_addf(&sb, "%s%s %s", i ? ", " : "", jobj_kind_names[st->objs[i].kind],
			st->objs[i].id);
	return sb.len ? sb_steal(&sb) : xstrdup("none");
}

/* One jail directory of the run directory. */
static void one_jail(const char *name, struct known *k, struct dr_report *r, size_t *nrunning)
{
	cleanup_free char *dir = jail_dir(name);
	cleanup_free char *hop = xasprintf("state of jail %s", name);
	struct brig_err e = { 0 };
	struct jstate st;
	bool is_brig, alive;
	pid_t holder = lock_of(name, dir, &is_brig, r);
	int rc = state_read(dir, &st, &e);

	if (rc < 0) {
		dr_add(r, "state", hop, DR_FAIL, e.msg, "a state brig can read",
		       "brig ls (it cleans up after the jail; brig stop %s if it still runs)", name);
		known_add(k, name, NULL);
		return;
	}
	if (rc == 0) {
		if (holder == 0)
			dr_add(r, "state", hop, DR_WARN, "a directory without a state", "none",
			       "brig ls (removes it)");
		else
			known_add(k, name, NULL);
		return;
	}
	known_add(k, name, &st);
	alive = proc_alive(st.init_pid, st.init_start);
	if (alive && (st.status == JSTATUS_RUNNING || holder != 0)) {
		(*nrunning)++;
	} else if (holder > 0 && is_brig) {
		/* Another brig is starting or stopping it right now. */
		(*nrunning)++;
	} else {
		cleanup_free char *objs = objects_of(&st);
		cleanup_free char *seen = xasprintf("\"%s\", init %d %s, no brig at it; objects: %s",
						    jstatus_names[st.status], (int)st.init_pid,
						    alive ? "alive" : "gone", objs);

		dr_add(r, "state", hop, DR_FAIL, seen, "running with its init, or no state",
		       "brig ls (reconciles: removes what the interrupted command left%s), then "
		       "brig start %s if it should run", alive ? ", the half-made jail with it" : "",
		       name);
	}
	state_free(&st);
}

/* The run directory: one hop per jail that needs one, then a summary. */
static void rundir(struct known *k, struct dr_report *r)
{
	const char *run = brig_rundir();
	DIR *d = opendir(run);
	struct dirent *de;
	size_t nrunning = 0, before = r->n;

	if (!d) {
		dr_add(r, "state", "run directory", errno == ENOENT ? DR_OK : DR_FAIL,
		       errno == ENOENT ? "none yet (no jail started since boot)" : strerror(errno),
		       run, "check the permissions of %s", run);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		one_jail(de->d_name, k, r, &nrunning);
	}
	closedir(d);
	if (r->n == before) {
		cleanup_free char *seen = xasprintf("%s: %zu jail%s running, no stale state", run,
						    nrunning, nrunning == 1 ? "" : "s");

		dr_add(r, "state", "run directory", DR_OK, seen, NULL, NULL);
	}
}

/* Cgroups of brig's group that no known jail owns. */
static void leftover_cgroups(const struct known *k, struct dr_report *r, size_t *found)
{
	cleanup_free char *group = core_cgroup_group(NULL);
	char **dirs = NULL;
	size_t n = 0;

	if (cgroup_dirs(group, &dirs, &n, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.' || de->d_type != DT_DIR || known_has(k, de->d_name))
				continue;
			cleanup_free char *path = xasprintf("%s/%s", dirs[i], de->d_name);
			cleanup_free char *hop = xasprintf("cgroup %s", path);
			cleanup_free char *seen = xasprintf("%ld processes, no jail %s runs",
							    cgroup_nprocs(path), de->d_name);

			dr_add(r, "leftover", hop, DR_FAIL, seen, "none",
			       "brig ls, then, if it is still there and empty: rmdir %s", path);
			(*found)++;
		}
		if (d)
			closedir(d);
		free(dirs[i]);
	}
	free(dirs);
}

/* A retired pair l of jail: a WARN while the namespace of its other end
 * is held (it carries nothing, down and off its bridge). */
static void retired_veth(struct nl *nl, const struct nl_link *l, const char *jail,
			 struct dr_report *r, size_t *found)
{
	if (nl_link_peer_dead(nl, l, NULL) != 0)
		return;
	cleanup_free char *hop = xasprintf("veth %s", l->name);
	cleanup_free char *seen = xasprintf("jail %s's old pair, retired by a stop or a start "
					    "(down, off its bridge): something still holds the "
					    "network namespace of its other end", jail);

	(*found)++;
	dr_add(r, "leftover", hop, DR_WARN, seen, "none",
	       "it goes when the process holding that namespace ends (or a bind mount of it "
	       "is removed); or: ip link delete %s", l->name);
}

/* Host ends of veth pairs marked as a jail's (alias "jail:NAME", net/)
 * that no known jail owns; and the pairs a stop or a start retired
 * (sys/netlink.h nl_link_retire) whose other end's namespace something
 * still holds (those whose namespace is being torn down are on their way
 * out). */
static void leftover_veths(const struct known *k, struct dr_report *r, size_t *found)
{
	struct nl nl;
	struct nl_link *v = NULL;
	size_t n = 0;

	if (nl_open(&nl, NULL) < 0)
		return;
	if (nl_link_list(&nl, &v, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			const char *jail = v[i].alias + 5;

			if (strcmp(v[i].kind, "veth") || strncmp(v[i].alias, "jail:", 5))
				continue;
			if (nl_link_retired(&v[i])) {
				retired_veth(&nl, &v[i], jail, r, found);
				continue;
			}
			if (known_has(k, jail))
				continue;
			cleanup_free char *hop = xasprintf("veth %s", v[i].name);
			cleanup_free char *seen = xasprintf("host end of jail %s's pair, which does "
							    "not run", jail);

			dr_add(r, "leftover", hop, DR_FAIL, seen, "none",
			       "brig start %s replaces it; or, if that jail is gone for good: "
			       "ip link delete %s", jail, v[i].name);
			(*found)++;
		}
	}
	free(v);
	nl_close(&nl);
}

/* Whether bridge name is declared in networks.conf (1), not (0), or it
 * cannot be told (-1: networks.conf does not load). */
static int declared(const char *name)
{
	struct net_bridge_info *v = NULL;
	size_t n = 0;
	int rc = 0;

	if (net_bridge_list(&v, &n, NULL) < 0)
		return -1;
	for (size_t i = 0; i < n && !rc; i++)
		rc = v[i].declared && strcmp(v[i].name, name) == 0;
	net_bridge_list_free(v, n);
	return rc;
}

/* Rules of table inet brig tagged for a jail that no known jail owns, or
 * for a bridge networks.conf no longer declares. */
static void leftover_rules(const struct known *k, struct dr_report *r, size_t *found)
{
	char **tags = NULL;
	size_t n = 0;

	if (nft_tags("", &tags, &n, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *hop = xasprintf("nft rules \"%s\"", tags[i]);

		if (strncmp(tags[i], "jail:", 5) == 0 && !known_has(k, tags[i] + 5)) {
			dr_add(r, "leftover", hop, DR_FAIL, "in table inet brig; the jail does not run",
			       "none", "brig start %s then brig stop %s removes them", tags[i] + 5,
			       tags[i] + 5);
			(*found)++;
		} else if (strncmp(tags[i], "bridge:", 7) == 0 && declared(tags[i] + 7) == 0) {
			dr_add(r, "leftover", hop, DR_FAIL, "in table inet brig; networks.conf does not "
			       "declare the bridge", "none", "declare bridge %s in networks.conf again "
			       "and brig net down %s (it removes its rules and the bridge)",
			       tags[i] + 7, tags[i] + 7);
			(*found)++;
		}
		free(tags[i]);
	}
	free(tags);
}

/* The known jail of JID jid, or -1 (for 0 too: no JID, the mark of none,
 * and what a jail whose state was not read has). */
static ssize_t known_jid(const struct known *k, int jid)
{
	for (size_t i = 0; jid > 0 && i < k->n; i++)
		if (k->jid[i] == jid)
			return (ssize_t)i;
	return -1;
}

/* Whether fibs (a known jail's, each id after a '\n') holds id. */
static bool records(const char *fibs, const char *id)
{
	size_t l = strlen(id);

	for (const char *p = fibs; (p = strchr(p, '\n')); p++)
		if (strncmp(p + 1, id, l) == 0 && (p[l + 1] == '\n' || p[l + 1] == '\0'))
			return true;
	return false;
}

/* brig's exec.fib rules (protocol 98, the mark's tag) in the host's
 * namespace that no known jail records: a jail that is gone left them
 * (a vnet jail's are in its namespace and go with it). The JID is the
 * mark's low bits (net/fib.c). */
static void leftover_fib(const struct known *k, struct dr_report *r, size_t *found)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	struct nl nl;

	if (nl_open(&nl, NULL) < 0)
		return;
	for (size_t f = 0; f < ARRAY_SIZE(fams); f++) {
		struct nl_rule *v = NULL;
		size_t n = 0;

		if (nl_rule_list(&nl, fams[f], &v, &n, NULL) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			int jid = (int)(v[i].mark & NET_FIB_JID_MAX);
			const char *ip = fams[f] == AF_INET6 ? "ip -6" : "ip";
			ssize_t j;

			if ((v[i].mark & ~NET_FIB_JID_MAX) != NET_FIB_TAG || v[i].mask != NET_FIB_MASK)
				continue;
			/* The id of its record (net/fib.c's JOBJ_FIB). */
			cleanup_free char *id = net_fib_id(v[i].mark, v[i].table);

			j = known_jid(k, jid);
			if (j >= 0 && records(k->fibs[j], id))
				continue;
			cleanup_free char *hop = xasprintf("%s rule fwmark %s", fams[f] == AF_INET6 ?
							   "IPv6" : "IPv4", id);
			cleanup_free char *seen = j >= 0 ?
				xasprintf("JID %d, jail %s's, whose state does not record it", jid,
					  k->v[j]) :
				xasprintf("JID %d, which no jail has", jid);

			dr_add(r, "leftover", hop, DR_FAIL, seen, "none",
			       "%s rule del fwmark 0x%x/0x%x lookup %u pref %u proto %d", ip,
			       v[i].mark, v[i].mask, v[i].table, v[i].priority, RTPROT_BRIG);
			(*found)++;
		}
		free(v);
	}
	nl_close(&nl);
}

/* Host mounts below the path of a jail of s that does not run (a
 * warning each): its own mounts are made in its private mount namespace
 * and go with it, and a thin root is mounted at the path itself
 * (store/root.c), never below. */
static void leftover_mounts(const struct jail_set *s, const struct known *k, struct dr_report *r,
			    size_t *found)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		char mnt[4096];

		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		for (size_t i = 0; s && i < s->n; i++) {
			const char *path = jd_str(s->v[i], JP_PATH);
			size_t l = path ? strlen(path) : 0;

			while (l > 1 && path[l - 1] == '/')
				l--;
			if (l < 2 || strncmp(mnt, path, l) != 0 || mnt[l] != '/' ||
			    known_has(k, s->v[i]->name))
				continue;
			cleanup_free char *hop = xasprintf("mount %s", mnt);
			cleanup_free char *seen = xasprintf("below the path of jail %s, which does "
							    "not run", s->v[i]->name);

			/* A warning: brig leaves no host mount there (a jail's own
			 * mounts are made in its mount namespace and go with it),
			 * but the admin may have made it. */
			dr_add(r, "leftover", hop, DR_WARN, seen, "none", "umount %s if it is not "
			       "yours: brig mounts a jail's own mounts in its mount namespace, where "
			       "they go with it", mnt);
			(*found)++;
			break;
		}
	}
	free(line);
	if (f)
		fclose(f);
}

void doctor_stale(const struct jail_set *s, struct dr_report *r)
{
	struct known k = { 0 };
	size_t found = 0;

	rundir(&k, r);
	leftover_cgroups(&k, r, &found);
	leftover_veths(&k, r, &found);
	leftover_rules(&k, r, &found);
	leftover_fib(&k, r, &found);
	leftover_mounts(s, &k, r, &found);
	if (!found)
		dr_add(r, "leftover", "cgroups, veths, nft rules, fib rules, mounts no jail owns", DR_OK,
		       "none", "none", NULL);
	for (size_t i = 0; i < k.n; i++) {
		free(k.v[i]);
		free(k.fibs[i]);
	}
	free(k.v);
	free(k.jid);
	free(k.fibs);
}

void doctor_config(const struct jail_set *s, struct dr_report *r)
{
	struct net_plan *p = net_plan_new(s);
	size_t bad = 0;

	for (size_t i = 0; s && i < s->n; i++) {
		const struct jail_def *d = s->v[i];
		struct brig_err e = { 0 };
		cleanup_free char *hop = xasprintf("jail %s", d->name);

		if (d->error) {
			dr_add(r, "config", hop, DR_FAIL, d->error, "no error",
			       "correct the file at the place the error names; brig config check "
			       "shows every error");
			bad++;
		} else if (net_jail_check(p, d, &e) < 0) {
			cleanup_free char *at = jd_where(d, JP_VNET);

			dr_add(r, "config", hop, DR_FAIL, e.msg, "no error", "correct its network "
			       "parameters (%sits block); brig config check shows every error",
			       at[0] ? at : "");
			bad++;
		}
	}
	net_plan_free(p);
	if (!bad) {
		cleanup_free char *seen = xasprintf("%zu jail%s, no error", s ? s->n : 0,
						    s && s->n == 1 ? "" : "s");

		dr_add(r, "config", "configuration loads", DR_OK, seen, NULL, NULL);
	}
}
