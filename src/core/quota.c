/* The quota parameter where the store is known: a new jail's file is
 * refused when the store cannot enforce its quota (brig create, import),
 * the limit is set once the jail is made and at every start, and brig
 * config check says, for every jail with a quota, whether it can hold. */
#include <string.h>

#include "conf/model.h"
#include "core/core.h"
#include "core/usage.h"
#include "store/store.h"
#include "util/mem.h"

long long core_quota_bytes(const struct jail_def *d)
{
	long long bytes;

	/* conf/ checked the value: a bad one never gets here. */
	return conf_size_parse(jd_str(d, JP_QUOTA), &bytes) < 0 ? 0 : bytes;
}

int core_quota_set(const struct jail_def *d, const char *path, struct brig_err *e)
{
	return store_jail_quota(d->name, path, core_quota_bytes(d), e);
}

/* Why the jail d's quota cannot hold, in e; 0 if it can (or has none). */
static int quota_why_not(const struct jail_def *d, int *store_ok, struct brig_err *store_err,
			 struct brig_err *e)
{
	struct store_jail sj;
	const char *path = jd_str(d, JP_PATH);
	bool mine;

	if (!core_quota_bytes(d))
		return 0;
	if (store_jail_get(d->name, &sj, e) < 0)
		return brig_err_set(e, 0, "no jail %s in brig's store: a quota is set only on the "
				    "storage `brig create` makes", d->name);
	mine = path && !strcmp(sj.path, path);
	store_jail_free(&sj);
	if (!mine)
		return brig_err_set(e, 0, "its path is not its root in brig's store: a quota is set "
				    "only on the storage `brig create` makes");
	if (*store_ok < 0)
		*store_ok = store_quota_check(store_err) < 0 ? 0 : 1;
	if (!*store_ok) {
		*e = *store_err;
		return -1;
	}
	return 0;
}

int core_quota_lint(const struct jail_set *s, struct diag *dg)
{
	struct brig_err store_err = { 0 }, e;
	int store_ok = -1, rc = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct jail_def *d = s->v[i];

		if (quota_why_not(d, &store_ok, &store_err, &e) < 0) {
			cleanup_free char *at = jd_where(d, JP_QUOTA);

			diag_add(dg, DIAG_ERROR, "%serror: %s: quota: %s", at, d->name, e.msg);
			rc = -1;
		}
	}
	return rc;
}

int core_quota_new(const struct jail_def *d, struct brig_err *e)
{
	if (!core_quota_bytes(d))
		return 0;
	if (store_quota_check(e) < 0)
		return brig_err_wrap(e, "quota = %s", jd_str(d, JP_QUOTA));
	return 0;
}

void core_usage_disk(const struct core_jail *j, struct jail_usage *u)
{
	struct brig_err ignored;

	if (store_quota_usage(j->path, &u->disk_used, &u->disk_limit, &ignored) < 0)
		u->disk_used = u->disk_limit = -1;
}
