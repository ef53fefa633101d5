/* brig doctor JAIL: its network, hop by hop (core/doctor.h). The jail's
 * state is read as it is (nothing reconciled: doctor changes nothing);
 * the network hops are net/'s (net/doctor.h), against the model in the
 * configuration (its FILE:LINE in each fix), or the one the jail was
 * started with when the configuration has it no more. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/doctor.h"
#include "core/lock.h"
#include "core/state.h"
#include "net/doctor.h"
#include "sys/proc.h"
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
	struct ndr_jail j = { .d = d, .jid = st.jid, .init_pid = st.init_pid, .to = o->to,
			      .hop = hop, .arg = r };

	rc = net_doctor_jail(&j, e);
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
