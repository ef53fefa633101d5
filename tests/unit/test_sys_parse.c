/* Unit tests for sys/: fstab lines, the jail's passwd and group files,
 * resolution beneath a root without following symlinks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/caps.h"
#include "sys/jmount.h"
#include "sys/passwd.h"
#include "sys/subid.h"

static void test_fstab_entries(void **state)
{
	struct brig_err e = { 0 };
	struct jmount m;

	(void)state;
	assert_int_equal(jmount_parse("/data /jails/web/mnt/data nullfs ro,nosuid 0 0", "/jails/web", &m, &e), 1);
	assert_int_equal(m.kind, JM_BIND);
	assert_string_equal(m.src, "/data");
	assert_string_equal(m.target, "/mnt/data");
	assert_true(m.ro);
	assert_int_equal(m.attrs, MOUNT_ATTR_NOSUID);
	jmount_free(&m);
	/* A path of the jail's own; escapes; Linux's bind spelling. */
	assert_int_equal(jmount_parse("/a\\040b /srv/x none rbind 0 0", "/jails/web/", &m, &e), 1);
	assert_int_equal(m.kind, JM_BIND);
	assert_true(m.recursive);
	assert_string_equal(m.src, "/a b");
	assert_string_equal(m.target, "/srv/x");
	jmount_free(&m);
	assert_int_equal(jmount_parse("tmpfs /tmp tmpfs rw,size=64m,mode=1777,noexec", "/", &m, &e), 1);
	assert_int_equal(m.kind, JM_TMPFS);
	assert_string_equal(m.data, "size=64m,mode=1777");
	assert_int_equal(m.attrs, MOUNT_ATTR_NOEXEC);
	jmount_free(&m);
	assert_int_equal(jmount_parse("proc /jails/web/proc procfs rw 0 0", "/jails/web", &m, &e), 1);
	assert_int_equal(m.kind, JM_PROC);
	jmount_free(&m);
	/* FreeBSD's Linux file systems are Linux's own; fdescfs is the links
	 * of brig's /dev, at /dev/fd only. */
	assert_int_equal(jmount_parse("linprocfs /jails/web/compat/linux/proc linprocfs rw 0 0", "/jails/web",
				      &m, &e), 1);
	assert_int_equal(m.kind, JM_PROC);
	assert_string_equal(m.target, "/compat/linux/proc");
	jmount_free(&m);
	assert_int_equal(jmount_parse("linsysfs /jails/web/compat/linux/sys linsysfs rw 0 0", "/jails/web",
				      &m, &e), 1);
	assert_int_equal(m.kind, JM_SYSFS);
	jmount_free(&m);
	assert_int_equal(jmount_parse("fdesc /jails/web/dev/fd fdescfs rw 0 0", "/jails/web", &m, &e), 1);
	assert_int_equal(m.kind, JM_FDESCFS);
	jmount_free(&m);
	/* nullfs over the root (the Handbook's thin jail) */
	assert_int_equal(jmount_parse("/base /jails/web/ nullfs ro 0 0", "/jails/web", &m, &e), 1);
	assert_true(jmount_is_root(&m) && m.ro);
	jmount_free(&m);
	assert_int_equal(jmount_parse("fdesc /jails/web/compat/dev/fd fdescfs rw 0 0", "/jails/web", &m, &e), 1);
	assert_string_equal(m.target, "/compat/dev/fd");
	jmount_free(&m);
	assert_int_equal(jmount_parse("fdesc /jails/web/mnt fdescfs rw 0 0", "/jails/web", &m, &e), -1);
	assert_non_null(strstr(e.msg, "fdescfs only in the fd directory of a devfs"));
	brig_err_clear(&e);
	/* The jail's path itself must match whole components. */
	assert_int_equal(jmount_parse("tmpfs /jails/webx/tmp tmpfs rw", "/jails/web", &m, &e), 1);
	assert_string_equal(m.target, "/jails/webx/tmp");
	jmount_free(&m);
}

static void test_fstab_skip_and_errors(void **state)
{
	struct brig_err e = { 0 };
	struct jmount m;

	(void)state;
	assert_int_equal(jmount_parse("   # a comment", "/j", &m, &e), 0);
	assert_int_equal(jmount_parse("\n", "/j", &m, &e), 0);
	assert_int_equal(jmount_parse("/a /j/b nullfs ro,noauto 0 0", "/j", &m, &e), 0);
	/* util-linux's X-mount.mkdir, any case, on a bind too; not data. */
	assert_int_equal(jmount_parse("/a /j/b nullfs ro,X-mount.mkdir 0 0", "/j", &m, &e), 1);
	assert_true(m.mkdir && m.ro && m.data == NULL);
	jmount_free(&m);
	assert_int_equal(jmount_parse("tmpfs /j/t tmpfs size=1m,x-mount.mkdir", "/j", &m, &e), 1);
	assert_true(m.mkdir);
	assert_string_equal(m.data, "size=1m");
	jmount_free(&m);
	assert_int_equal(jmount_parse("tmpfs /j/t tmpfs size=1m", "/j", &m, &e), 1);
	assert_false(m.mkdir);
	jmount_free(&m);
	assert_int_equal(jmount_parse("/a /j/b", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "expected \"SOURCE MOUNTPOINT TYPE [OPTIONS]\"");
	assert_int_equal(jmount_parse("/a /j/b nullfs ro 0 0 extra", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "too many fields");
	/* Device nodes work only in the jail's own /dev. */
	assert_int_equal(jmount_parse("/a /j/b nullfs ro,dev 0 0", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "option \"dev\" is refused: device nodes work only in the jail's own /dev "
			    "(mount.devfs)");
	assert_int_equal(jmount_parse("t /j/b tmpfs dev,size=1m 0 0", "/j", &m, &e), -1);
	assert_int_equal(jmount_parse("/a /j/b zfs rw", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "file system type \"zfs\" is not supported (nullfs, tmpfs, procfs, "
			    "linprocfs, linsysfs, fdescfs, devfs are)");
	assert_int_equal(jmount_parse("rel /j/b nullfs rw", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "rel: the source of a nullfs mount must be an absolute path");
	assert_int_equal(jmount_parse("/a b nullfs rw", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "b: the mount point must be an absolute path");
	assert_int_equal(jmount_parse("/a /j/x/../../etc nullfs rw", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "/j/x/../../etc: \"..\" in a mount point is refused");
	assert_int_equal(jmount_parse("/a /j tmpfs rw", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "/j: only a nullfs can be mounted over the jail's root");
	assert_int_equal(jmount_parse("/a /j/b nullfs size=1m", "/j", &m, &e), -1);
	assert_string_equal(e.msg, "option \"size=1m\" is not supported for a bind (nullfs) mount");
}

/* Write text to dir/name. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_passwd(void **state)
{
	char dir[] = "/tmp/brig-test-pw.XXXXXX", p[128];
	struct brig_err e = { 0 };
	struct jail_user u;
	int root;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "passwd", "root:x:0:0:root:/root:/bin/sh\nbroken line\n"
			   "www:*:80:80:web:/var/www:\nbob:x:1000:1000::/home/bob:/bin/ksh");
	put(dir, "group", "wheel:*:0:root,bob\nwww:*:80:\nstaff:*:50:alice,bob\nbad\n");
	root = open(dir, O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	/* The last line without its newline still counts. */
	assert_int_equal(passwd_lookup(root, "passwd", "group", "bob", &u, &e), 0);
	assert_int_equal(u.uid, 1000);
	assert_int_equal(u.gid, 1000);
	assert_string_equal(u.home, "/home/bob");
	assert_string_equal(u.shell, "/bin/ksh");
	assert_int_equal(u.ngroups, 3);	/* 1000, wheel, staff */
	assert_int_equal(u.groups[0], 1000);
	assert_int_equal(u.groups[1], 0);
	assert_int_equal(u.groups[2], 50);
	passwd_free(&u);
	/* Defaults for an empty shell; lookup by uid. */
	assert_int_equal(passwd_lookup(root, "/passwd", "/group", "80", &u, &e), 0);
	assert_string_equal(u.name, "www");
	assert_string_equal(u.shell, "/bin/sh");
	assert_int_equal(u.ngroups, 1);
	passwd_free(&u);
	assert_int_equal(passwd_lookup(root, "passwd", "group", "alice", &u, &e), -1);
	assert_non_null(strstr(e.msg, "user \"alice\": not found in the jail's"));
	/* No group file: no supplementary groups. */
	assert_int_equal(passwd_lookup(root, "passwd", "nogroup", "bob", &u, &e), 0);
	assert_int_equal(u.ngroups, 1);
	passwd_free(&u);
	/* A FIFO in place of group or passwd: refused, not waited on. */
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(passwd_lookup(root, "passwd", "fifo", "bob", &u, &e), -1);
	assert_string_equal(e.msg, "user \"bob\": /fifo: a FIFO, not a regular file");
	assert_int_equal(passwd_lookup(root, "fifo", "group", "bob", &u, &e), -1);
	assert_string_equal(e.msg, "user \"bob\": /fifo: a FIFO, not a regular file");
	/* A symlink, even one staying inside: refused. */
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("passwd", p), 0);
	assert_int_equal(passwd_lookup(root, "link", "group", "bob", &u, &e), -1);
	assert_string_equal(e.msg, "user \"bob\": /link: a symlink, not a regular file");
	close(root);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* beneath_open in a tree with a symlink pointing out. */
static void check_beneath(void)
{
	char dir[] = "/tmp/brig-test-bn.XXXXXX", p[128];
	struct brig_err e = { 0 };
	int root, fd;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/out", dir);
	assert_int_equal(symlink("/etc", p), 0);
	snprintf(p, sizeof(p), "%s/a/rel", dir);
	assert_int_equal(symlink("b", p), 0);
	root = open(dir, O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	fd = beneath_open(root, "/a/b", O_PATH, &e);
	assert_true(fd >= 0);
	close(fd);
	fd = beneath_open(root, "/", O_PATH, &e);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(beneath_open(root, "/out/passwd", O_PATH, &e), -1);
	assert_string_equal(e.msg, "/out/passwd: a symlink in the jail root (refused: it could lead out of the jail)");
	assert_int_equal(beneath_open(root, "a/rel", O_PATH, &e), -1);
	assert_non_null(strstr(e.msg, "a symlink in the jail root"));
	assert_int_equal(beneath_open(root, "/a/../out", O_PATH, &e), -1);
	assert_non_null(strstr(e.msg, "\"..\" refused"));
	assert_int_equal(beneath_open(root, "/a/missing", O_PATH, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
	close(root);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

static void test_beneath(void **state)
{
	(void)state;
	check_beneath();
	/* The fallback for kernels without openat2. */
	setenv("BRIG_NO_OPENAT2", "1", 1);
	check_beneath();
	unsetenv("BRIG_NO_OPENAT2");
}

static void test_caps_set(void **state)
{
	struct jail_allow none = { 0 }, raw = { .raw_sockets = true };

	(void)state;
	assert_false(caps_has(caps_jail_set(&none), 21));	/* CAP_SYS_ADMIN */
	assert_false(caps_has(caps_jail_set(&none), 13));	/* CAP_NET_RAW */
	assert_false(caps_has(caps_jail_set(&none), 27));	/* CAP_MKNOD */
	assert_true(caps_has(caps_jail_set(&none), 0));		/* CAP_CHOWN */
	assert_true(caps_has(caps_jail_set(&raw), 13));
	assert_true(caps_has(caps_jail_set(&(struct jail_allow){ .userns = true }), 21));
}

/* subuid(5) lines: the owner's ranges by name or uid, in order; a bad
 * line refused with file:line; a missing file is no range. */
static void test_subid(void **state)
{
	char path[] = "/tmp/brig-subid-XXXXXX";
	const char *text = "# comment\nalice:100000:65536\nbrig:1000000:655360\n\n"
			   "0:3000000:131072\nbrig:5000000:65536\n";
	struct subid_range *r;
	struct brig_err e = { 0 };
	size_t n;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(subid_read(path, "brig", 999, &r, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].start, 1000000);
	assert_int_equal(r[0].count, 655360);
	assert_int_equal(r[1].start, 5000000);
	free(r);
	assert_int_equal(subid_read(path, "root", 0, &r, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].start, 3000000);
	free(r);
	assert_int_equal(subid_read(path, "nobody", 65534, &r, &n, &e), 0);
	assert_int_equal(n, 0);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "brig:99999999999:1\n", 20), 20);
	close(fd);
	assert_int_equal(subid_read(path, "brig", 999, &r, &n, &e), -1);
	assert_non_null(strstr(e.msg, ":7: bad range for brig"));
	assert_int_equal(n, 0);
	unlink(path);
	assert_int_equal(subid_read(path, "brig", 999, &r, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(subid_read("/dev/null", "brig", 999, &r, &n, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fstab_entries),
		cmocka_unit_test(test_fstab_skip_and_errors),
		cmocka_unit_test(test_passwd),
		cmocka_unit_test(test_beneath),
		cmocka_unit_test(test_caps_set),
		cmocka_unit_test(test_subid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
