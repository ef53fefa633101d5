/* store_jail_prepare(): what core calls before a jail's mounts. Runs as
 * root in a mount namespace of its own (the host's mounts are never
 * touched); skipped otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "store/internal.h"

/* Until the configuration engine lands, its lookup is supplied here; the
 * engine's own definition wins once it is linked in. */
__attribute__((weak)) const char *conf_str(const struct conf_jail *j, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < j->nparams; i++)
		if (!strcmp(j->params[i].name, name) && j->params[i].nvalues)
			v = j->params[i].values[j->params[i].nvalues - 1];
	return v;
}

static char top[64];
static char store[128];
static bool usable;

/* A jail whose path is path. */
static int prepare(const char *path, struct brig_err *e)
{
	return store_jail_prepare("t", path, NULL, NULL, 0, e);
}

/* How many mounts sit exactly on path. */
static int mounts_on(const char *path)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], mp[1024];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %1023s", mp) == 1 && !strcmp(mp, path))
			n++;
	if (f)
		fclose(f);
	return n;
}

static int setup(void **state)
{
	struct brig_err e;
	char etc[128];

	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return 0;
	strcpy(top, "/tmp/brig-ut-prep.XXXXXX");
	if (!mkdtemp(top) || mount("ut", top, "tmpfs", 0, "mode=0755") < 0)
		return -1;
	snprintf(store, sizeof(store), "%s/store", top);
	snprintf(etc, sizeof(etc), "%s/etc", top);
	setenv("BRIG_STOREDIR", store, 1);
	setenv("BRIG_CONFDIR", etc, 1);
	if (store_template_create("bb", "busybox", NULL, NULL, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	usable = true;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (usable) {
		umount2(top, MNT_DETACH);
		rmdir(top);
	}
	return 0;
}

/* Make a thin jail and return its root's path. */
static void make_jail(const char *name, bool thick, char *root, size_t size)
{
	struct store_create c = { .name = name, .template = "bb", .thick = thick };
	struct brig_err e;

	if (store_jail_create(&c, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	snprintf(root, size, "%s/jails/%s/root", store, name);
}

static void test_mounts_once(void **state)
{
	struct brig_err e;
	char root[256], sh[300];

	(void)state;
	if (!usable)
		skip();
	make_jail("web", false, root, sizeof(root));
	assert_int_equal(mounts_on(root), 1);	/* create mounts it */
	assert_int_equal(umount2(root, 0), 0);
	assert_int_equal(mounts_on(root), 0);
	assert_int_equal(prepare(root, &e), 0);
	assert_int_equal(mounts_on(root), 1);
	snprintf(sh, sizeof(sh), "%s/bin/sh", root);
	assert_int_equal(access(sh, X_OK), 0);
	/* Mounted already: not mounted twice. */
	assert_int_equal(prepare(root, &e), 0);
	assert_int_equal(mounts_on(root), 1);
	assert_int_equal(store_root_ensure("web", &e), 0);
	assert_int_equal(mounts_on(root), 1);
}

static void test_path_through_symlink(void **state)
{
	struct brig_err e;
	char root[256], link[256];

	(void)state;
	if (!usable)
		skip();
	make_jail("db", false, root, sizeof(root));
	assert_int_equal(umount2(root, 0), 0);
	snprintf(link, sizeof(link), "%s/db-link", top);
	assert_int_equal(symlink(root, link), 0);
	assert_int_equal(prepare(link, &e), 0);
	assert_int_equal(mounts_on(root), 1);
}

static void test_not_the_store(void **state)
{
	struct brig_err e;
	char root[256], fake[256];

	(void)state;
	if (!usable)
		skip();
	assert_int_equal(prepare(NULL, &e), 0);
	assert_int_equal(prepare("/", &e), 0);
	assert_int_equal(prepare("/nonexistent/path", &e), 0);
	/* Shaped like a store jail but not one. */
	snprintf(fake, sizeof(fake), "%s/jails/ghost", store);
	assert_int_equal(mkdir(fake, 0755), 0);
	snprintf(fake, sizeof(fake), "%s/jails/ghost/root", store);
	assert_int_equal(mkdir(fake, 0755), 0);
	assert_int_equal(prepare(fake, &e), 0);
	assert_int_equal(mounts_on(fake), 0);
	/* A thick jail's root is a plain directory. */
	make_jail("thick", true, root, sizeof(root));
	assert_int_equal(prepare(root, &e), 0);
	assert_int_equal(mounts_on(root), 0);
}

static void test_refuses_to_hide_files(void **state)
{
	struct brig_err e;
	char root[256], stray[300];

	(void)state;
	if (!usable)
		skip();
	make_jail("dns", false, root, sizeof(root));
	assert_int_equal(umount2(root, 0), 0);
	snprintf(stray, sizeof(stray), "%s/stray", root);
	assert_int_equal(close(open(stray, O_CREAT | O_WRONLY, 0644)), 0);
	assert_int_equal(prepare(root, &e), -1);
	assert_non_null(strstr(e.msg, "has files of its own"));
	assert_non_null(strstr(e.msg, "t: mounting its root"));
	assert_int_equal(mounts_on(root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mounts_once),
		cmocka_unit_test(test_path_through_symlink),
		cmocka_unit_test(test_not_the_store),
		cmocka_unit_test(test_refuses_to_hide_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
