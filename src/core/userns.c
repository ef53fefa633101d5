/* The ids of unprivileged (userns) jails: given by userns.map, or cut
 * from brig's subordinate ranges.
 *
 * Automatic ranges are 65536 ids (a whole 16-bit id space: the jail's
 * root to its nobody) from the ranges /etc/subuid and /etc/subgid give the
 * user "brig", or root when brig has none. Each range is split into slots;
 * a jail prefers the slot its name hashes to, and takes the next one free
 * when a running jail holds that one: two running jails never share an
 * id (LXC's and Incus's isolated idmaps). A jail's files store the ids it
 * sees (sys/userns.h), so a different slot on another start changes
 * nothing for them. */
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jail.h"
#include "core/jid.h"
#include "core/lock.h"
#include "sys/subid.h"
#include "sys/userns.h"
#include "util/mem.h"

#define SLOT 65536u

/* Does [a, a+n) meet [b, b+m)? */
static bool overlap(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	return (uint64_t)a < (uint64_t)b + m && (uint64_t)b < (uint64_t)a + n;
}

/* Slot k (0-based, across all of rs) as a start id. */
static uint32_t slot_start(const struct subid_range *rs, size_t nr, size_t k)
{
	for (size_t i = 0; i < nr; i++) {
		size_t in = rs[i].count / SLOT;

		if (k < in)
			return rs[i].start + (uint32_t)(k * SLOT);
		k -= in;
	}
	return 0;
}

static size_t slot_count(const struct subid_range *rs, size_t nr)
{
	size_t n = 0;

	for (size_t i = 0; i < nr; i++)
		n += rs[i].count / SLOT;
	return n;
}

/* The ranges of brig's owner in one file ('u' or 'g'): "brig", else root. */
static int owner_ranges(char kind, struct subid_range **rs, size_t *n, const char **owner,
			struct brig_err *e)
{
	const char *file = subid_file(kind);
	struct passwd *pw = getpwnam("brig");

	*owner = "brig";
	if (subid_read(file, "brig", pw ? pw->pw_uid : UINT32_MAX, rs, n, e) < 0)
		return -1;
	if (*n == 0) {
		*owner = "root";
		if (subid_read(file, "root", 0, rs, n, e) < 0)
			return -1;
	}
	return 0;
}

/* Pick a free slot for x among the other jails' ranges. */
static int auto_map(struct jctx *x, const struct idrange *others, size_t nothers, struct idmap *m,
		    struct brig_err *e)
{
	cleanup_free struct subid_range *us = NULL, *gs = NULL;
	size_t nu = 0, ng = 0, slots;
	const char *uowner, *gowner;
	uint32_t first;

	if (owner_ranges('u', &us, &nu, &uowner, e) < 0 || owner_ranges('g', &gs, &ng, &gowner, e) < 0)
		return brig_err_wrap(e, "userns");
	slots = slot_count(us, nu) < slot_count(gs, ng) ? slot_count(us, nu) : slot_count(gs, ng);
	if (slots == 0)
		return brig_err_set(e, 0, "userns: no range of %u ids for brig or root in %s and %s "
				    "(add a line such as \"brig:1000000:6553600\" to both, or set "
				    "userns.map)", SLOT, subid_file('u'), subid_file('g'));
	first = core_hash(x->name) % (uint32_t)slots;
	for (size_t k = 0; k < slots; k++) {
		size_t s = (first + k) % slots;
		uint32_t u = slot_start(us, nu, s), g = slot_start(gs, ng, s);
		bool used = false;

		for (size_t i = 0; i < nothers && !used; i++)
			used = others[i].count &&
			       (overlap(u, SLOT, others[i].uid, others[i].count) ||
				overlap(g, SLOT, others[i].gid, others[i].count));
		if (!used) {
			*m = (struct idmap){ .uid = u, .gid = g, .count = SLOT };
			return 0;
		}
	}
	return brig_err_set(e, 0, "userns: all %zu ranges of %u ids of %s in %s are in use by "
			    "running jails", slots, SLOT, uowner, subid_file('u'));
}

/* jid_ids_take's choice: userns.map, or a free slot among the ranges of
 * the running jails (their markers: no state read). */
static int choose(struct jctx *x, const struct idrange *taken, size_t n, struct brig_err *e)
{
	struct idmap m = x->sp.usermap;

	if (m.count == 0 && auto_map(x, taken, n, &m, e) < 0)
		return -1;
	x->st.userns_uid = m.uid;
	x->st.userns_gid = m.gid;
	x->st.userns_count = m.count;
	return 0;
}

int jail_userns_assign(struct jctx *x, struct brig_err *e)
{
	if (!x->sp.userns)
		return 0;
	return jid_ids_take(x, choose, e);
}

struct idmap jail_idmap(const struct jstate *st)
{
	return (struct idmap){ .uid = st->userns_uid, .gid = st->userns_gid, .count = st->userns_count };
}

int jail_idmap_root(struct jctx *x, const struct idmap *map, struct brig_err *e)
{
	cleanup_close int ns = -1, dir = -1;

	/* The host's own tree stays as it is: the host's files are the
	 * host's, nobody's to the jail. */
	if (strcmp(x->sp.path, "/") == 0)
		return 0;
	ns = userns_fd(map, false, e);

	/* A child jail's below its parent's root, as its first process
	 * looks it up (sys/jailproc.h .under). */
	if (ns >= 0 && (dir = jail_root_open(x->sp.path, x->parent_root, e)) >= 0)
		x->rootmnt = idmap_clone(dir, ".", true, ns, e);
	if (ns < 0 || dir < 0 || x->rootmnt < 0)
		return brig_err_wrap(e, "userns: path %s with the jail's ids", x->sp.path);
	return 0;
}
