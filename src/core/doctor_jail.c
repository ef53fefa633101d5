/* brig doctor JAIL: its network, hop by hop (core/doctor.h). The jail's
 * state is read as it is (nothing reconciled: doctor changes nothing);
 * the network hops are net/'s (net/doctor.h), against the model in the
 * configuration (its FILE:LINE in each fix), or the one the jail was
 * started with when the configuration has it no more. */
#include <dirent.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/vfs.h>

#include "core/doctor.h"
#include "core/doctor_int.h"
#include "core/lock.h"
#include "core/state.h"
#include "net/doctor.h"
#include "sys/bpfprog.h"
#include "sys/proc.h"
#include "sys/sockaddr.h"
#include "util/mem.h"
#include "util/paths.h"

_Static_assert((int)NDR_OK == (int)DR_OK && (int)NDR_WARN == (int)DR_WARN &&
		       (int)NDR_FAIL == (int)DR_FAIL && (int)NDR_SKIP == (int)DR_SKIP,
	       "net/doctor.h's statuses are core/doctor.h's");

static void hop(void *arg, const char *section, const char *name, enum ndr st, const char *seen,
		const char *expected, const char *fix)
{
	dr_add(arg, section, name, (enum dr_status)st, seen, expected, fix ? "%s" : NULL, fix);
}

/* A shared-IP jail: its cgroup v2 group holds the programs that keep its
 * sockets to its addresses (sys/sockaddr.h), one connect program per
 * family it has addresses of and does not inherit. */
static void shared_programs(const struct jail_def *d, const struct jstate *st, struct dr_report *r)
{
	static const struct {
		enum jparam sys;
		enum bpf_attach_type type;
		const char *name;
	} fam[] = {
		{ JP_IP4, BPF_CGROUP_INET4_CONNECT, "socket programs IPv4" },
		{ JP_IP6, BPF_CGROUP_INET6_CONNECT, "socket programs IPv6" },
	};

	const char *group = NULL;
	struct brig_err pe = { 0 };
	int w;

	for (size_t k = 0; k < 2; k++) {
		size_t n = k ? d->nip6 : d->nip4;
		int best = -1;
		struct brig_err e = { 0 };
		char seen[64];

		if (!n || (jd_str(d, fam[k].sys) && jd_int(d, fam[k].sys) != JSYS_NEW))
			continue;
		for (size_t i = 0; i < st->nobjs; i++) {
			struct statfs sf;
			int c;

			if (st->objs[i].kind != JOBJ_CGROUP || statfs(st->objs[i].id, &sf) < 0 ||
			    sf.f_type != CGROUP2_SUPER_MAGIC)
				continue;
			c = bpf_cg_count(st->objs[i].id, fam[k].type, &e);
			if (c > best) {
				best = c;
				group = st->objs[i].id;
			}
		}
		if (best < 0) {
			dr_add(r, "jail", fam[k].name, DR_FAIL, e.msg[0] ? e.msg : "no cgroup v2 group",
			       "attached", "brig restart %s", d->name);
			continue;
		}
		snprintf(seen, sizeof(seen), "%d connect program%s", best, best == 1 ? "" : "s");
		if (best < 1)
			dr_add(r, "jail", fam[k].name, DR_FAIL, seen, "1 connect program",
			       "brig restart %s (its sockets are not held to its addresses)", d->name);
		else
			dr_add(r, "jail", fam[k].name, DR_OK, seen, "1 connect program", NULL);
	}
	/* The policy the programs read: none or zero, they deny every call
	 * (fail-closed). */
	if (!group)
		return;
	w = sockaddr_written(group, &pe);
	if (w < 0)
		dr_add(r, "jail", "socket policy", DR_WARN, pe.msg, "written", "brig restart %s", d->name);
	else
		dr_add(r, "jail", "socket policy", w ? DR_OK : DR_FAIL, w ? "written" : "none: every socket "
		       "call of the jail is refused", "written", w ? NULL : "brig restart %s", d->name);
}

int doctor_jail(const struct jail_set *s, const char *name, const struct dr_opts *o,
		struct dr_report *r, struct brig_err *e)
{
	const struct jail_def *d = s ? jail_set_find(s, name) : NULL;
	cleanup_free char *dir = NULL;
	struct jstate st = { 0 };
	char seen[96];
	int rc;

	if (conf_name_invalid(name))
		return brig_err_set(e, 0, "%s: not a jail name", name);
	dir = jail_dir(name);
	if (state_read(dir, &st, NULL) != 1) {
		if (!d)
			return brig_err_set(e, 0, "%s: no such jail", name);
		dr_add(r, "jail", "running", DR_FAIL, "not running", "running", "brig start %s", name);
		return 0;
	}
	if (!d)
		d = st.def;
	snprintf(seen, sizeof(seen), "%s, init pid %d", jstatus_names[st.status], (int)st.init_pid);
	if (d && st.status != JSTATUS_DEAD && st.init_pid > 0 &&
	    !proc_alive(st.init_pid, st.init_start)) {
		/* Its init gone: one hop names it, the services section's
		 * first (with the command that reconciles the state); its rdr
		 * hops are skipped there. */
		rc = doctor_services(s, d, o, r, e);
		state_free(&st);
		return rc;
	}
	if (st.status == JSTATUS_DEAD || st.init_pid <= 0 || !proc_alive(st.init_pid, st.init_start)) {
		dr_add(r, "jail", "running", DR_FAIL, seen, "running, its init alive",
		       "its init is gone: brig stop %s cleans up, then brig start %s", name, name);
		state_free(&st);
		return 0;
	}
	if (st.status != JSTATUS_RUNNING)
		dr_add(r, "jail", "running", DR_WARN, seen, "running",
		       "another brig is starting or stopping it: run doctor again when it is done");
	else
		dr_add(r, "jail", "running", DR_OK, seen, "running", NULL);
	if (!d) {
		dr_add(r, "jail", "model", DR_SKIP, "neither the configuration nor its state has it",
		       NULL, NULL);
		state_free(&st);
		return 0;
	}
	struct ndr_jail j = { .d = d, .started = st.def, .jid = st.jid, .init_pid = st.init_pid,
			      .to = o->to, .hop = hop, .arg = r };

	rc = net_doctor_jail(&j, e);
	if (rc == 0 && !jd_on(d, JP_VNET))
		shared_programs(d, &st, r);
	if (rc == 0)
		doctor_fib(d, &st, r);
	if (rc == 0)
		rc = doctor_services(s, d, o, r, e);
	state_free(&st);
	return rc;
}

/* qsort order: by JID. */
struct named {
	int jid;
	char *name;
};

static int by_jid(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return (x->jid > y->jid) - (x->jid < y->jid);
}

char **doctor_running(size_t *n)
{
	DIR *dir = opendir(brig_rundir());
	struct named *v = NULL;
	size_t len = 0, cap = 0;
	struct dirent *de;
	char **out;

	while (dir && (de = readdir(dir))) {
		struct jstate st = { 0 };
		cleanup_free char *jd = NULL;

		if (de->d_name[0] == '.' || conf_name_invalid(de->d_name))
			continue;
		jd = jail_dir(de->d_name);
		if (state_read(jd, &st, NULL) != 1)
			continue;
		if (st.status != JSTATUS_DEAD && st.init_pid > 0 && proc_alive(st.init_pid, st.init_start)) {
			v = xgrow(v, &cap, len, sizeof(*v));
			v[len].jid = st.jid;
			v[len++].name = xstrdup(de->d_name);
		}
		state_free(&st);
	}
	if (dir)
		closedir(dir);
	if (len)
		qsort(v, len, sizeof(*v), by_jid);
	out = xcalloc(len + 1, sizeof(*out));
	for (size_t i = 0; i < len; i++)
		out[i] = v[i].name;
	free(v);
	*n = len;
	return out;
}
