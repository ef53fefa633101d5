/* exec.fib: a jail's routing table (doc/net.md, "exec.fib"). Its sockets
 * carry a mark of its JID (sys/sockmark.c, a program on its cgroup v2
 * group); a rule of net/fib.c sends what carries it to table exec.fib, in
 * the network namespace the sockets live in: the host's for a jail on the
 * host's stack (recorded, removed with the jail), the jail's own
 * otherwise (it goes with the namespace). 0, the default: the main
 * table, nothing to do. */
#include <stdbool.h>
#include <stdlib.h>

#include "core/core.h"
#include "core/jail.h"
#include "net/net.h"
#include "sys/cgroup.h"
#include "sys/sockmark.h"
#include "util/mem.h"

/* Whether the host has a cgroup v2 tree for the jail's group. */
static bool has_v2(const char *name, struct brig_err *e)
{
	cleanup_free char *group = core_cgroup_group(name);
	struct cgroup_hier *h;
	size_t n;
	bool v2 = false;

	if (cgroup_hiers(group, &h, &n, e) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		v2 = v2 || (h[i].kind & CGROUP_V2);
	cgroup_hiers_free(h, n);
	return v2;
}

int jail_fib_check(struct jctx *x, struct brig_err *e)
{
	long long fib = jd_int(x->def, JP_EXEC_FIB);

	if (fib <= 0)
		return 0;
	if (x->sp.netns || x->parent_net)
		return brig_err_set(e, 0, "exec.fib: not in a network namespace the jail joins (%s): "
				    "its rule would outlive the jail there", x->sp.netns ? "vnet.netns" :
				    "its vnet parent's");
	if (x->sp.jid > NET_FIB_JID_MAX)
		return brig_err_set(e, 0, "exec.fib: jid %d: above %d, the last the mark of a jail's "
				    "sockets has room for", x->sp.jid, NET_FIB_JID_MAX);
	if (!has_v2(x->name, e))
		return e->msg[0] ? brig_err_wrap(e, "exec.fib") :
				   brig_err_set(e, 0, "exec.fib: no cgroup v2 tree on this host: the "
						"mark of the jail's sockets is set there");
	return 0;
}

int jail_fib_up(struct jctx *x, struct brig_err *e)
{
	long long fib = jd_int(x->def, JP_EXEC_FIB);
	struct rec rec = jail_rec(x);
	size_t n;
	char **dirs;
	int r;

	if (fib <= 0)
		return 0;
	/* The rule first: a start that fails after it removes it (the
	 * host's; the jail's own goes with its namespace). */
	if (net_fib_up(x->st.jid, (uint32_t)fib, x->sp.shared ? 0 : x->st.init_pid, &rec, e) < 0)
		return brig_err_wrap(e, "fib: exec.fib %lld", fib);
	dirs = state_obj_ids(&x->st, JOBJ_CGROUP, &n);
	r = sockmark_attach(dirs, n, net_fib_mark(x->st.jid), e);
	free(dirs);
	return r < 0 ? brig_err_wrap(e, "fib: exec.fib %lld", fib) : 0;
}
