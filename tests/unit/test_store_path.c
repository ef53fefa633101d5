/* Unit tests of the store's pure logic: names, archive member paths, the
 * "no symlink on the way" check, meta files, the jail.conf.d file, overlay
 * option escaping, apt mirror lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/beneath.h"
#include "util/mkdirp.h"

static void test_names(void **state)
{
	(void)state;
	assert_null(store_name_invalid("web"));
	assert_null(store_name_invalid("freebsd14.1"));
	assert_null(store_name_invalid("a_b-c.d"));
	assert_null(store_name_invalid("0"));
	assert_non_null(store_name_invalid(""));
	assert_non_null(store_name_invalid(".."));
	assert_non_null(store_name_invalid("."));
	assert_non_null(store_name_invalid(".hidden"));
	assert_non_null(store_name_invalid("-x"));
	assert_non_null(store_name_invalid("a/b"));
	assert_non_null(store_name_invalid("../x"));
	assert_non_null(store_name_invalid("a b"));
	assert_non_null(store_name_invalid("a\nb"));
	assert_non_null(store_name_invalid("a$b"));
	assert_non_null(store_name_invalid("a\"b"));
	char longname[66];
	memset(longname, 'a', 65);
	longname[65] = '\0';
	assert_non_null(store_name_invalid(longname));
	longname[64] = '\0';
	assert_null(store_name_invalid(longname));
}

/* path_member_clean(in) is want (NULL: refused). */
static void clean_is(const char *in, const char *want)
{
	const char *why = NULL;
	char *got = path_member_clean(in, &why);

	if (!want) {
		assert_null(got);
		assert_non_null(why);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_member_clean(void **state)
{
	(void)state;
	clean_is("a/b", "a/b");
	clean_is("./a//b/", "a/b");
	clean_is(".", "");
	clean_is("./", "");
	clean_is("a/./b/.", "a/b");
	clean_is("..a/b..", "..a/b..");
	clean_is("...", "...");
	clean_is("/etc/passwd", NULL);
	clean_is("//etc", NULL);
	clean_is("..", NULL);
	clean_is("../x", NULL);
	clean_is("a/../../x", NULL);
	clean_is("a/..", NULL);
	clean_is("./../x", NULL);
}

static char tmpdir[64];

static int mk_tmp(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/brig-ut-path.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmp(void **state)
{
	struct brig_err e;

	(void)state;
	return fs_rm_tree(AT_FDCWD, tmpdir, &e);
}

static void test_check_beneath(void **state)
{
	struct brig_err e;
	int root;
	char p[256];

	(void)state;
	snprintf(p, sizeof(p), "%s/root", tmpdir);
	assert_int_equal(mkdir(p, 0755), 0);
	root = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(root >= 0);
	assert_int_equal(mkdirat(root, "etc", 0755), 0);
	assert_int_equal(symlinkat("/etc", root, "link"), 0);
	assert_int_equal(symlinkat("etc", root, "rel"), 0);
	assert_int_equal(close(openat(root, "file", O_CREAT | O_WRONLY, 0644)), 0);

	assert_int_equal(path_check_beneath(root, "top", &e), 0);
	assert_int_equal(path_check_beneath(root, "etc/passwd", &e), 0);
	assert_int_equal(path_check_beneath(root, "new/dir/file", &e), 0);
	/* A symlink as the last component is replaced, not followed. */
	assert_int_equal(path_check_beneath(root, "link", &e), 0);
	/* Through a symlink, absolute or relative: refused. */
	assert_int_equal(path_check_beneath(root, "link/passwd", &e), -1);
	assert_non_null(strstr(e.msg, "symlink"));
	assert_int_equal(path_check_beneath(root, "rel/x", &e), -1);
	assert_int_equal(path_check_beneath(root, "etc/../link/x", &e), -1);
	/* Through a regular file: refused. */
	assert_int_equal(path_check_beneath(root, "file/x", &e), -1);
	assert_non_null(strstr(e.msg, "not a directory"));

	/* Directories beneath the root: real directories only, created on
	 * request (mkdirp_open), or opened (beneath_open). */
	int fd = mkdirp_open(root, "a/b/c", 0755, MKDIRP_BENEATH, &e);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mkdirp_open(root, "link", 0755, MKDIRP_BENEATH, &e), -1);
	assert_int_equal(mkdirp_open(root, "rel/sub", 0755, MKDIRP_BENEATH, &e), -1);
	assert_int_equal(beneath_open(root, "a/../..", O_RDONLY | O_DIRECTORY, &e), -1);
	assert_int_equal(beneath_open(root, "missing", O_RDONLY | O_DIRECTORY, &e), -1);
	close(root);
}

static void test_rm_tree(void **state)
{
	struct brig_err e;
	char p[256], victim[256];

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	assert_int_equal(mkdir(victim, 0755), 0);
	snprintf(p, sizeof(p), "%s/victim/keep", tmpdir);
	assert_int_equal(close(open(p, O_CREAT | O_WRONLY, 0644)), 0);
	snprintf(p, sizeof(p), "%s/tree", tmpdir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/tree/sub", tmpdir);
	assert_int_equal(mkdir(p, 0), 0);
	snprintf(p, sizeof(p), "%s/tree/sub/out", tmpdir);
	assert_int_equal(symlink(victim, p), 0);
	snprintf(p, sizeof(p), "%s/tree/up", tmpdir);
	assert_int_equal(symlink("../victim", p), 0);
	int dfd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(fs_rm_tree(dfd, "tree", &e), 0);
	assert_int_equal(fs_rm_tree(dfd, "tree", &e), 0);	/* gone: fine */
	close(dfd);
	snprintf(p, sizeof(p), "%s/victim/keep", tmpdir);
	assert_int_equal(access(p, F_OK), 0);
}

static void test_meta(void **state)
{
	struct meta m;
	struct brig_err e;
	char *text;

	(void)state;
	assert_int_equal(meta_parse("# c\n\ntemplate=bb\nbackend=overlay\nx=a=b\n", &m, &e), 0);
	assert_string_equal(meta_get(&m, "template"), "bb");
	assert_string_equal(meta_get(&m, "x"), "a=b");
	assert_null(meta_get(&m, "nope"));
	meta_set(&m, "template", "other\nline");
	assert_string_equal(meta_get(&m, "template"), "other line");
	text = meta_format(&m);
	assert_string_equal(text, "template=other line\nbackend=overlay\nx=a=b\n");
	free(text);
	meta_free(&m);
	assert_int_equal(meta_parse("novalue\n", &m, &e), -1);
	assert_int_equal(meta_parse("=v\n", &m, &e), -1);
}

static void test_jailconf(void **state)
{
	char *params[] = { "ip4.addr=10.0.0.2", "vnet", "$short=db", ".include=/etc/brig/base.conf",
			   "exec.poststart+=echo \"a\\b\"", "exec.start=/bin/true" };
	struct brig_err e;
	char *text, *re;

	(void)state;
	text = jailconf_render("db", "/s/jails/db/root", "bb", "overlay", NULL, params, 6, &e);
	assert_non_null(text);
	/* The block: the intro, the defaults not overridden, the hints for
	 * the parameters not given, includes, path, the given parameters. */
	assert_non_null(strstr(text, "# Jail db, made by `brig create` from template bb (overlay).\n"));
	assert_non_null(strstr(text, "\ndb {\n\t# Its /etc/rc starts"));
	assert_null(strstr(text, "exec.start = \"/bin/sh /etc/rc\""));
	assert_non_null(strstr(text, "\texec.stop = \"/bin/sh /etc/rc.shutdown\";\n\tmount.devfs;\n\t# The output"));
	assert_non_null(strstr(text, "(`brig logs db`)"));
	assert_non_null(strstr(text, "\t#exec.consolelog = \"/var/log/jail_console_db.log\";\n"));
	assert_non_null(strstr(text, "\t#persist;\n"));
	assert_non_null(strstr(text, "\t#exec.restart = \"on-failure:5\";\n"));
	assert_null(strstr(text, "#vnet;"));
	assert_null(strstr(text, "#ip4.addr"));
	assert_non_null(strstr(text,
		"\t.include \"/etc/brig/base.conf\";\n"
		"\tpath = \"/s/jails/db/root\";\n"
		"\tip4.addr = \"10.0.0.2\";\n"
		"\tvnet;\n"
		"\t$short = \"db\";\n"
		"\texec.poststart += \"echo \\\"a\\\\b\\\"\";\n"
		"\texec.start = \"/bin/true\";\n"
		"}\n"));
	re = jailconf_rebase(text, "db", "db2", "/t/jails/db2/root", &e);
	assert_non_null(re);
	assert_non_null(strstr(re, "\ndb2 {\n"));
	assert_non_null(strstr(re, "\tpath = \"/t/jails/db2/root\";\n\tip4.addr"));
	assert_null(strstr(re, "/s/jails"));
	free(re);
	/* No path line: one is added after the block's header. */
	re = jailconf_rebase("x {\n\tvnet;\n}\n", "x", "y", "/p", &e);
	assert_string_equal(re, "y {\n\tpath = \"/p\";\n\tvnet;\n}\n");
	free(re);
	assert_null(jailconf_rebase("other {\n}\n", "x", "y", "/p", &e));
	free(text);

	char *bad1[] = { "path=/x" }, *bad2[] = { "a b=1" }, *bad3[] = { "=1" }, *bad4[] = { ".include=" },
	     *bad5[] = { "name=x" }, *bad6[] = { "x-y=1" };
	char **bads[] = { bad1, bad2, bad3, bad4, bad5, bad6 };
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		assert_null(jailconf_render("db", "/p", "bb", "overlay", NULL, bads[i], 1, &e));
}

static void test_overlay_escape(void **state)
{
	char *s;

	(void)state;
	s = overlay_escape("/a,b:c\\d");
	assert_string_equal(s, "/a\\,b\\:c\\\\d");
	free(s);
}

static void test_mirror(void **state)
{
	char *m;

	(void)state;
	m = debootstrap_mirror_from("# comment\n"
				    "deb http://security.debian.org/debian-security bookworm-security main\n"
				    "deb-src http://src.example/debian bookworm main\n"
				    "deb [arch=amd64 signed-by=/k.gpg] http://deb.example/debian bookworm main\n",
				    false);
	assert_string_equal(m, "http://deb.example/debian");
	free(m);
	m = debootstrap_mirror_from("Types: deb\n"
				    "URIs: http://deb.debian.org/debian-security\n"
				    "Suites: bookworm-security\n"
				    "Components: main\n"
				    "\n"
				    "Types: deb deb-src\n"
				    "URIs: http://mirror.example/debian http://other/debian\n"
				    "Suites: bookworm bookworm-updates\n"
				    "Components: main\n",
				    true);
	assert_string_equal(m, "http://mirror.example/debian");
	free(m);
	assert_null(debootstrap_mirror_from("deb-src http://x/debian bookworm main\n", false));
	assert_null(debootstrap_mirror_from("Types: deb\nSuites: bookworm\n", true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_member_clean),
		cmocka_unit_test(test_check_beneath),
		cmocka_unit_test(test_rm_tree),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_jailconf),
		cmocka_unit_test(test_overlay_escape),
		cmocka_unit_test(test_mirror),
	};

	return cmocka_run_group_tests(tests, mk_tmp, rm_tmp);
}
