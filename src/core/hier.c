/* Hierarchical jails (FreeBSD's a.b, jail(8) "HIERARCHICAL JAILS"): what
 * the start of a child checks against its running parent, and what it
 * takes from it. The parent must run; its children.max bounds how many
 * children run at once; the child's root lies inside the parent's; its
 * addresses are the parent's (a shared-IP child); its allow.* cannot
 * exceed the parent's (its bounding set is the parent's intersected);
 * its PID namespace is made inside the parent's and its cgroups under
 * the parent's (core_cgroup_group), so the parent sees its processes and
 * its limits bound the parent and its children together. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/lock.h"
#include "sys/proc.h"
#include "util/mem.h"
#include "util/paths.h"

/* Whether path lies inside root as written (root itself counts), without
 * a "." or ".." below it: the child's root is looked up below the
 * parent's by these names, following no symlink (sys/jailproc.h
 * .under), not resolved here, where the parent jail could change its
 * tree between this check and the mount. */
static bool inside(const char *path, const char *root)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n > 1 && (strncmp(path, root, n) != 0 || (path[n] != '\0' && path[n] != '/')))
		return false;
	for (const char *c = path + (n > 1 ? n : 0); *c;) {
		size_t len;

		c += strspn(c, "/");
		len = strcspn(c, "/");
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += len;
	}
	return true;
}

/* addr among v[0..n)? */
static bool among(const char *addr, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], addr))
			return true;
	return false;
}

/* A shared-IP child's addresses of one family: the parent's (FreeBSD's
 * rule), any of the host's when the parent inherits the family. */
static int check_addrs(const char *parent, const struct jstate *pst, enum jparam sys, enum jparam list,
		       char *const *mine, size_t n, char *const *its, size_t nits, struct brig_err *e)
{
	const struct jail_def *pd = pst->def;
	bool inherit = pd && jd_str(pd, sys) && jd_int(pd, sys) == JSYS_INHERIT;

	for (size_t i = 0; i < n; i++)
		if (!inherit && !among(mine[i], its, nits))
			return brig_err_set(e, 0, "%s: %s is not an address of its parent jail \"%s\" "
					    "(a child's addresses are its parent's)", jd_name(list),
					    mine[i], parent);
	return 0;
}

/* The network: a vnet child has a stack of its own, as any vnet jail; a
 * shared-IP child of a shared-IP (or host-network) parent, the parent's
 * addresses (its sockets held to them by its own programs and, under the
 * parent's cgroup, the parent's); one with ip4/ip6 = inherit and no
 * address, in a vnet parent, joins the parent's stack. */
static int check_net(struct jctx *x, const char *parent, const struct jstate *pst, struct brig_err *e)
{
	struct jspec *sp = &x->sp;
	bool pown = pst->nsflags & CLONE_NEWNET;
	bool pvnet = pst->def && jd_on(pst->def, JP_VNET);

	if (!sp->shared)
		return 0;
	if (pown && pvnet && !sp->nip4 && !sp->nip6) {
		x->parent_net = true;
		sp->nsflags |= CLONE_NEWNET;
		return 0;
	}
	if (pown && pvnet)
		return brig_err_set(e, 0, "ip4.addr, ip6.addr: a shared-IP child of the vnet jail \"%s\" "
				    "is not supported (give it vnet, or ip4 = inherit without addresses to "
				    "share its parent's stack)", parent);
	/* A parent with a stack of its own but no vnet has no address. */
	return check_addrs(parent, pst, JP_IP4, JP_IP4_ADDR, sp->ip4, sp->nip4, pst->ip4,
			   pown ? 0 : pst->nip4, e) < 0 ||
	       check_addrs(parent, pst, JP_IP6, JP_IP6_ADDR, sp->ip6, sp->nip6, pst->ip6,
			   pown ? 0 : pst->nip6, e) < 0 ? -1 : 0;
}

int hier_start_check(struct jctx *x, struct brig_err *e)
{
	size_t plen = conf_name_parent_len(x->name);
	cleanup_free char *parent = NULL;
	cleanup_free char *dir = NULL;
	struct jstate pst;
	long max, cur;
	bool busy;
	int r = -1;

	if (!plen)
		return 0;
	parent = xstrndup(x->name, plen);
	dir = jail_dir(parent);
	if (core_is_running(parent, NULL) != 1)
		return brig_err_set(e, 0, "parent jail \"%s\" is not running", parent);
	x->parent_lockfd = jail_lock(parent, true, &busy, e);
	if (x->parent_lockfd < 0)
		return brig_err_wrap(e, "parent jail \"%s\"", parent);
	if (state_read(dir, &pst, NULL) != 1)
		return brig_err_set(e, 0, "parent jail \"%s\" is not running", parent);
	if (pst.status != JSTATUS_RUNNING || !proc_alive(pst.init_pid, pst.init_start)) {
		brig_err_set(e, 0, "parent jail \"%s\" is not running (%s)", parent, jstatus_names[pst.status]);
		goto out;
	}
	max = pst.def ? jd_int(pst.def, JP_CHILDREN_MAX) : 0;
	cur = core_children(parent, x->name);
	if (cur >= max) {
		brig_err_set(e, 0, "its parent jail \"%s\" has children.max = %ld and %ld child%s running: "
			     "no room for \"%s\"", parent, max, cur, cur == 1 ? "" : "ren", x->name);
		goto out;
	}
	if (pst.userns_count) {
		brig_err_set(e, 0, "its parent jail \"%s\" runs in a user namespace (userns): a child's "
			     "PID namespace cannot be made inside it", parent);
		goto out;
	}
	if (!pst.path || !inside(x->sp.path, pst.path)) {
		brig_err_set(e, 0, "path \"%s\": not inside the root of its parent jail \"%s\" (\"%s\")",
			     x->sp.path, parent, pst.path);
		goto out;
	}
	if (check_net(x, parent, &pst, e) < 0)
		goto out;
	/* allow.*: never more than the parent may (FreeBSD masks them). */
	x->sp.caps &= pst.caps;
	x->parent_init = pst.init_pid;
	x->parent_start = pst.init_start;
	free(x->parent_root);
	x->parent_root = xstrdup(pst.path);
	r = 0;
out:
	state_free(&pst);
	return r;
}

/* /proc/PID/ns/NAME of the parent's init, checked to be that init still
 * after the open. */
static int parent_ns(const struct jctx *x, const char *ns, struct brig_err *e)
{
	cleanup_free char *p = xasprintf("/proc/%d/ns/%s", (int)x->parent_init, ns);
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && proc_alive(x->parent_init, x->parent_start))
		return fd;
	if (fd >= 0)
		close(fd);
	return brig_err_set(e, fd < 0 ? errno : ESRCH, "the parent jail's %s namespace", ns);
}

int hier_setup(const struct jctx *x, struct jail_setup *s, struct brig_err *e)
{
	if (!x->parent_init)
		return 0;
	s->under = x->parent_root;
	if ((s->pidns = parent_ns(x, "pid", e)) < 0)
		return -1;
	if (x->parent_net) {
		s->own_net = true;
		if ((s->netns = parent_ns(x, "net", e)) < 0)
			return -1;
	}
	return 0;
}

void hier_release(struct jctx *x)
{
	free(x->parent_root);
	x->parent_root = NULL;
	if (x->parent_lockfd < 0)
		return;
	{
		cleanup_free char *parent = xstrndup(x->name, conf_name_parent_len(x->name));
		cleanup_free char *dir = jail_dir(parent);

		jail_unlock(parent, x->parent_lockfd, !jail_has_state(dir));
	}
	x->parent_lockfd = -1;
}
