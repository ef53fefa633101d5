#include "core/jid.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/lock.h"
#include "util/mem.h"

int jid_lowest_free(const int *used, size_t n)
{
	/* Among n used values, one of 1..n+1 is free. */
	bool *taken = xcalloc(n + 2, sizeof(bool));
	int jid = 1;

	for (size_t i = 0; i < n; i++)
		if (used[i] >= 1 && (size_t)used[i] <= n + 1)
			taken[used[i]] = true;
	while (taken[jid])
		jid++;
	free(taken);
	return jid;
}

struct jstate *jail_states_others(const char *self, size_t *n)
{
	DIR *d = opendir(core_rundir());
	struct dirent *de;
	struct jstate *v = NULL;

	*n = 0;
	while (d && (de = readdir(d))) {
		cleanup_free char *dir = NULL;
		struct jstate st;

		if (de->d_name[0] == '.' || strcmp(de->d_name, self) == 0)
			continue;
		dir = jail_dir(de->d_name);
		if (state_read(dir, &st, NULL) == 1) {
			v = xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = st;
		}
	}
	if (d)
		closedir(d);
	return v;
}

void jail_states_free(struct jstate *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		state_free(&v[i]);
	free(v);
}

/* JIDs recorded by every jail but self. */
static int *jids_in_use(const char *self, size_t *n)
{
	struct jstate *st = jail_states_others(self, n);
	int *v = xcalloc(*n + 1, sizeof(*v));

	for (size_t i = 0; i < *n; i++)
		v[i] = st[i].jid;
	jail_states_free(st, *n);
	return v;
}

int jid_assign(struct jctx *x, struct brig_err *e)
{
	int lock = jid_lock(e);
	size_t n;
	int *used, r = 0;

	if (lock < 0)
		return -1;
	used = jids_in_use(x->name, &n);
	if (x->sp.jid > 0) {
		for (size_t i = 0; i < n && r == 0; i++)
			if (used[i] == x->sp.jid)
				r = brig_err_set(e, 0, "jid %d: in use by another jail", x->sp.jid);
		x->st.jid = x->sp.jid;
	} else {
		x->st.jid = jid_lowest_free(used, n);
	}
	free(used);
	if (r == 0)
		r = jail_save(x, e);
	close(lock);
	return r;
}
