/* Unit tests of the engine on real files: FreeBSD 15's parameter list,
 * the seed's base.conf + per-jail files, configuration directories. Run
 * from the repository's root (tests/run.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/cf.h"
#include "conf_helpers.h"
#include "util/json.h"

/* The whole file, NUL-terminated. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	return sb_steal(&sb);
}

/* The keys of the first object after `"jail": [` in a libxo JSON text:
 * a small scanner, enough for `jls --libxo json`. Returns their number. */
static size_t jail_keys(const char *s, char keys[][64], size_t max)
{
	const char *p = strstr(s, "\"jail\"");
	int depth = 0;
	size_t n = 0;

	assert_non_null(p);
	p = strchr(p, '{');
	assert_non_null(p);
	for (; *p; p++) {
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth == 0)
				break;
		} else if (*p == '"') {
			const char *start = ++p;
			const char *q;

			while (*p && *p != '"')
				p += *p == '\\' ? 2 : 1;
			for (q = p + 1; *q == ' ' || *q == '\n'; q++)
				;
			if (depth == 1 && *q == ':' && n < max) {
				snprintf(keys[n], 64, "%.*s", (int)(p - start), start);
				n++;
			}
		}
	}
	return n;
}

/* Every parameter a FreeBSD 15 jail has is a known parameter. */
static void test_freebsd15_params_known(void **state)
{
	static char keys[256][64];
	char *text = slurp("tests/corpus/freebsd-15-jls-libxo.json");
	size_t n = jail_keys(text, keys, 256);

	(void)state;
	assert_true(n >= 60);
	for (size_t i = 0; i < n; i++) {
		if (!conf_pdef_find(CONF_SCHEMA_JAILS, keys[i]))
			fprintf(stderr, "unknown: %s\n", keys[i]);
		assert_non_null(conf_pdef_find(CONF_SCHEMA_JAILS, keys[i]));
	}
	free(text);
}

static int load_dir(const char *dir, struct conf **c, struct diag *d)
{
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = dir };

	memset(d, 0, sizeof(*d));
	return conf_load(&src, c, d);
}

static const char *last(const struct conf *c, const char *jail, const char *param)
{
	const struct conf_jail *j = conf_jail(c, jail);

	assert_non_null(j);
	return conf_str(j, param);
}

/* The seed: base.conf plus a file per jail that sets $short, $bridge,
 * $ip4 and $gw4, then includes base.conf in its block. */
static void test_seed(void **state)
{
	struct conf *c;
	struct diag d;
	const struct conf_jail *web;
	const struct conf_param *p;

	(void)state;
	assert_int_equal(load_dir("examples/seed", &c, &d), 0);
	/* base.conf is included, not loaded as a jail file of its own. */
	assert_int_equal(c->njails, 2);
	assert_string_equal(c->jails[0].name, "db");
	assert_string_equal(c->jails[1].name, "web");
	web = conf_jail(c, "web");
	assert_string_equal(last(c, "web", "path"), "/usr/local/jails/web");
	assert_string_equal(last(c, "web", "vnet"), "new");
	assert_string_equal(last(c, "web", "vnet.interface"), "epair_webb");
	assert_string_equal(last(c, "web", "exec.consolelog"), "/var/log/jail_console_web.log");
	assert_string_equal(last(c, "web", "exec.prestart"),
			    "/usr/local/libexec/jail-epair.sh up web web bridge0");
	assert_string_equal(last(c, "web", "exec.poststart"),
			    "/usr/local/libexec/jail-net.sh web web 10.10.0.2/24 10.10.0.1");
	assert_string_equal(last(c, "web", "exec.poststop"),
			    "/usr/local/libexec/jail-epair.sh down web web");
	assert_string_equal(last(c, "web", "exec.start"), "/bin/sh /etc/rc");
	assert_string_equal(last(c, "web", "exec.stop"), "/bin/sh /etc/rc.shutdown");
	assert_true(conf_bool(web, "mount.devfs", false));
	assert_true(conf_bool(web, "allow.raw_sockets", false));
	assert_true(conf_bool(web, "exec.clean", false));
	assert_string_equal(last(c, "web", "depend"), "db");
	assert_string_equal(last(c, "db", "exec.poststart"),
			    "/usr/local/libexec/jail-net.sh db db 10.10.0.3/24 10.10.0.1");
	assert_string_equal(last(c, "db", "vnet.interface"), "epair_dbb");
	/* Variables are not parameters. */
	assert_null(conf_param(web, "short"));
	assert_null(conf_param(web, "ip4"));
	p = conf_param(web, "exec.start");
	assert_int_equal(p->type, CONF_LIST);
	assert_string_equal(p->file, "examples/seed/jail.conf.d/base.conf");
	assert_int_equal(p->line, 6);
	assert_int_equal(d.n, 0);
	conf_free(c);
	diag_free(&d);
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* In dir: c.conf a FIFO, d.conf a folder, e.conf a link to a device. */
static void put_not_files(const char *dir)
{
	char *p = xasprintf("%s/c.conf", dir);

	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	p = xasprintf("%s/d.conf", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/e.conf", dir);
	assert_int_equal(symlink("/dev/zero", p), 0);
	free(p);
}

/* jail.conf and every jail.conf.d/\*.conf, in name order: no jail left out;
 * a jail.conf that includes jail.conf.d/\*.conf (FreeBSD's habit) does not
 * define them twice. */
static void test_confdir(void **state)
{
	char dir[] = "/tmp/brig-test-confdir.XXXXXX";
	char *sub, *cmd;
	struct conf *c;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/jail.conf.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);

	/* No files at all: no jails, a note. */
	assert_int_equal(load_dir(dir, &c, &d), 0);
	assert_int_equal(c->njails, 0);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msgs[0].text, "note: no configuration"));
	conf_free(c);
	diag_free(&d);

	put_file(dir, "jail.conf", "path = \"/jails/$name\";\nmain { }\n");
	put_file(sub, "b.conf", "bee { }\n");
	put_file(sub, "a.conf", "ay { persist; }\n");
	put_file(sub, "notes.txt", "this is not configuration\n");
	put_file(sub, ".hidden.conf", "hidden { }\n");
	assert_int_equal(load_dir(dir, &c, &d), 0);
	assert_int_equal(c->njails, 3);
	assert_string_equal(c->jails[0].name, "main");
	assert_string_equal(c->jails[1].name, "ay");
	assert_string_equal(c->jails[2].name, "bee");
	/* One configuration: the global wildcard reaches every file. */
	assert_string_equal(last(c, "bee", "path"), "/jails/bee");
	conf_free(c);
	diag_free(&d);

	put_file(dir, "jail.conf", "path = \"/jails/$name\";\n.include \"jail.conf.d/*.conf\";\nmain { }\n");
	assert_int_equal(load_dir(dir, &c, &d), 0);
	assert_int_equal(c->njails, 3);
	assert_string_equal(c->jails[0].name, "ay");
	assert_string_equal(c->jails[1].name, "bee");
	assert_string_equal(c->jails[2].name, "main");
	conf_free(c);
	diag_free(&d);

	/* Files that include each other in a loop still load (and fail). */
	put_file(dir, "jail.conf", "main { }\n");
	put_file(sub, "a.conf", ".include \"b.conf\";\nay { }\n");
	put_file(sub, "b.conf", ".include \"a.conf\";\nbee { }\n");
	assert_int_equal(load_dir(dir, &c, &d), -1);
	assert_non_null(strstr(d.msgs[0].text, "include cycle: "));
	diag_free(&d);

	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(sub);
}

/* Every kind of entry in jail.conf.d (issue 14: the folder is listed with
 * getdents64 and a regular file read without fstat when one read tells
 * all): a symbolic link to a file loads, a file over 64 KiB (more than one
 * read) loads whole, a hard link to a file is read once, a file jail.conf
 * includes is not defined twice; a FIFO, a folder and a link to a device
 * are refused, each by name, at once. */
static void test_confdir_kinds(void **state)
{
	static const char *const bad[] = {
		"c.conf: error: not a regular file (a FIFO)",
		"d.conf: error: not a regular file (a directory)",
		"e.conf: error: not a regular file (a character device)",
	};
	char dir[] = "/tmp/brig-test-kinds.XXXXXX";
	struct strbuf big = STRBUF_INIT;
	char *sub, *p, *q, *cmd;
	struct conf *c;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/jail.conf.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put_file(dir, "jail.conf", ".include \"jail.conf.d/a.conf\";\npath = \"/j/$name\";\n");
	put_file(sub, "a.conf", "ay { persist; }\n");
	put_file(dir, "b.txt", "bee { persist; }\n");
	p = xasprintf("%s/b.conf", sub);
	assert_int_equal(symlink("../b.txt", p), 0);
	free(p);
	put_not_files(sub);
	for (int i = 0; i < 1500; i++)
		sb_addf(&big, "# line %d: padding, so that this file is over 64 KiB long\n", i);
	sb_adds(&big, "eff { host.hostname = \"f.example.org\"; }\n");
	assert_true(big.len > 65536);
	put_file(sub, "f.conf", big.s);
	p = xasprintf("%s/f.conf", sub);
	q = xasprintf("%s/g.conf", sub);
	assert_int_equal(link(p, q), 0);
	free(p);
	free(q);

	/* Isolated, as the commands that start jails load: the bad entries
	 * fail alone. */
	{
		struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = dir,
					   .isolate = true };

		memset(&d, 0, sizeof(d));
		assert_int_equal(conf_load(&src, &c, &d), 0);
	}
	/* ay once (jail.conf includes its file), bee, eff once (a hard link
	 * to its file is the same file), and a jail marked by its error for
	 * each bad file, named after it (isolation). */
	assert_int_equal(c->njails, 6);
	assert_string_equal(c->jails[0].name, "ay");
	assert_string_equal(c->jails[1].name, "bee");
	assert_string_equal(c->jails[2].name, "eff");
	assert_null(c->jails[0].error);
	assert_null(c->jails[1].error);
	assert_null(c->jails[2].error);
	assert_string_equal(last(c, "eff", "host.hostname"), "f.example.org");
	assert_string_equal(last(c, "bee", "path"), "/j/bee");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const struct conf_jail *j = conf_jail(c, (const char[]){ bad[i][0], '\0' });

		assert_non_null(j);
		assert_non_null(j->error);
		if (!strstr(j->error, bad[i]))
			fprintf(stderr, "%s: \"%s\", expected \"%s\"\n", j->name, j->error, bad[i]);
		assert_non_null(strstr(j->error, bad[i]));
	}
	conf_free(c);
	diag_free(&d);
	sb_free(&big);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(sub);
}

/* A jail.conf.d of 700 files, enough for the second reader (prefetch.c),
 * with bad and large entries among those it reads: every good jail loads
 * once, in name order, each bad entry is refused by name. */
static void test_confdir_many(void **state)
{
	char dir[] = "/tmp/brig-test-many.XXXXXX";
	struct strbuf big = STRBUF_INIT;
	char *sub, *p, *cmd;
	struct conf *c;
	struct diag d;
	size_t bad = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/jail.conf.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put_file(dir, "jail.conf", "path = \"/j/$name\";\n");
	for (int i = 0; i < 2000; i++)
		sb_addf(&big, "# line %d: padding, so that this file is over 64 KiB long\n", i);
	for (int i = 0; i < 700; i++) {
		char name[32], text[64];

		snprintf(name, sizeof(name), "j%03d.conf", i);
		p = xasprintf("%s/%s", sub, name);
		if (i >= 300 && i < 303) {	/* a FIFO, a folder, a device */
			assert_int_equal(i == 300 ? mkfifo(p, 0644)
					 : i == 301 ? mkdir(p, 0755) : symlink("/dev/null", p), 0);
		} else if (i >= 303 && i < 306) {	/* over 64 KiB */
			snprintf(text, sizeof(text), "j%03d { host.hostname = \"h%d\"; }\n", i, i);
			sb_adds(&big, text);
			put_file(sub, name, big.s);
			big.len -= strlen(text);
			big.s[big.len] = '\0';
		} else {
			snprintf(text, sizeof(text), "j%03d { host.hostname = \"h%d\"; }\n", i, i);
			put_file(sub, name, text);
		}
		free(p);
	}
	{
		struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = dir,
					   .isolate = true };

		memset(&d, 0, sizeof(d));
		assert_int_equal(conf_load(&src, &c, &d), 0);
	}
	assert_int_equal(c->njails, 700);
	for (size_t i = 0; i < 697; i++) {
		char want[16];
		size_t k = i < 300 ? i : i + 3;

		snprintf(want, sizeof(want), "j%03zu", k);
		assert_string_equal(c->jails[i].name, want);
		assert_null(c->jails[i].error);
		snprintf(want, sizeof(want), "h%zu", k);
		assert_string_equal(last(c, c->jails[i].name, "host.hostname"), want);
	}
	for (size_t i = 697; i < 700; i++)
		bad += c->jails[i].error && strstr(c->jails[i].error, "not a regular file");
	assert_int_equal(bad, 3);
	conf_free(c);
	diag_free(&d);
	sb_free(&big);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(sub);
}

/* Remove the test's folder and all in it. */
static void rm_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* big: comment lines, then tail, n bytes in all. */
static void padded(struct strbuf *big, size_t n, const char *tail)
{
	sb_reset(big);
	while (big->len + strlen(tail) < n)
		sb_adds(big, big->len + strlen(tail) + 6 <= n ? "# pad\n" : "#");
	sb_adds(big, tail);
	assert_int_equal(big->len, n);
}

/* An .include glob of a folder (issue 14: one listing, fnmatch, the
 * matches opened relative to the folder, files read already found by
 * their identity) expands as glob(3) does: name order, no dot file unless
 * the pattern asks, each match named folder + name as written; a symbolic
 * link to a file, a file of exactly one read buffer (65,535 bytes) and a
 * larger one load whole; a FIFO, a folder, a link to a device and a
 * dangling link are refused at the .include, in name order, with
 * glob(3)'s path; a pattern matching nothing or a missing folder is no
 * error; a hard link matched twice is one file, so its jail is defined
 * twice. The same messages as the glob(3) code before. */
static void test_include_glob(void **state)
{
	static const char *const want[] = {
		"jail.conf:2:1: error: cannot include \"DIR/etc/../inc/c.conf\": not a regular file (a FIFO)",
		"jail.conf:2:1: error: cannot include \"DIR/etc/../inc/d.conf\": not a regular file (a directory)",
		"jail.conf:2:1: error: cannot include \"DIR/etc/../inc/e.conf\": not a regular file (a character device)",
		"jail.conf:2:1: error: cannot include \"DIR/etc/../inc/f.conf\": No such file or directory",
		"inc/a.conf:1:1: error: jail \"ay\" is already defined at DIR/etc/../inc/a.conf:1",
	};
	char dir[] = "/tmp/brig-test-glob.XXXXXX";
	struct strbuf big = STRBUF_INIT;
	char *etc, *inc, *p, *q, *cmd;
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS };
	struct conf *c;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	etc = xasprintf("%s/etc", dir);
	inc = xasprintf("%s/inc", dir);
	assert_int_equal(mkdir(etc, 0755), 0);
	assert_int_equal(mkdir(inc, 0755), 0);
	put_file(etc, "jail.conf", "path = \"/j/$name\";\n.include \"../inc/*.conf\";\n"
				   ".include \"../inc/*.none\", \"../none/*.conf\";\nlast { }\n");
	put_file(inc, "a.conf", "ay { persist; }\n");
	put_file(inc, ".h.conf", "hidden { }\n");
	put_file(inc, "x.txt", "ex { }\n");
	put_file(dir, "b.txt", "bee { }\n");
	p = xasprintf("%s/b.conf", inc);
	assert_int_equal(symlink("../b.txt", p), 0);
	free(p);
	/* g.conf: exactly one read buffer long (a full read: the size is
	 * asked); k.conf: one byte less (one read tells all); m.conf: over
	 * 64 KiB. */
	padded(&big, 65535, "\ngee { }\n");
	put_file(inc, "g.conf", big.s);
	padded(&big, 65534, "\nkay { }\n");
	put_file(inc, "k.conf", big.s);
	padded(&big, 70000, "\nem { }\n");
	put_file(inc, "m.conf", big.s);
	put_not_files(inc);
	p = xasprintf("%s/f.conf", inc);
	assert_int_equal(symlink("/nonexistent/brig-test", p), 0);
	free(p);

	/* Without the hard link: the good files load, in name order. */
	src.file = p = xasprintf("%s/jail.conf", etc);
	put_file(etc, "good.conf", "path = \"/j/$name\";\n.include \"../inc/[abgkm]*.conf\";\n");
	src.file = q = xasprintf("%s/good.conf", etc);
	memset(&d, 0, sizeof(d));
	assert_int_equal(conf_load(&src, &c, &d), 0);
	assert_int_equal(c->njails, 5);
	assert_string_equal(c->jails[0].name, "ay");
	assert_string_equal(c->jails[1].name, "bee");
	assert_string_equal(c->jails[2].name, "gee");
	assert_string_equal(c->jails[3].name, "kay");
	assert_string_equal(c->jails[4].name, "em");
	assert_string_equal(last(c, "em", "path"), "/j/em");
	conf_free(c);
	diag_free(&d);
	free(q);

	/* Every kind of entry, and a hard link matched after its file. */
	q = xasprintf("%s/h.conf", inc);
	cmd = xasprintf("%s/a.conf", inc);
	assert_int_equal(link(cmd, q), 0);
	free(cmd);
	free(q);
	src.file = p;
	memset(&d, 0, sizeof(d));
	assert_int_equal(conf_load(&src, &c, &d), -1);
	assert_int_equal(d.n, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < d.n; i++) {
		struct strbuf w = STRBUF_INIT;
		const char *at = strstr(want[i], "DIR");

		sb_addn(&w, want[i], (size_t)(at - want[i]));
		sb_adds(&w, dir);
		sb_adds(&w, at + 3);
		if (!strstr(d.msgs[i].text, w.s))
			fprintf(stderr, "message %zu: \"%s\", expected \"%s\"\n", i, d.msgs[i].text, w.s);
		assert_non_null(strstr(d.msgs[i].text, w.s));
		sb_free(&w);
	}
	diag_free(&d);
	free(p);
	sb_free(&big);
	rm_tree(dir);
	free(etc);
	free(inc);
}

/* jail.conf's glob of jail.conf.d (issue 14: the folder's listing is
 * used again when the glob can only match what it kept, else listed
 * anew): the same jails in the same order as glob(3) gave, for a glob
 * the listing serves (a subset, all .conf files) and for those it cannot
 * (every file, dot files). */
static void test_include_glob_confdir(void **state)
{
	static const char *const cases[][2] = {
		{ "jail.conf.d/[ab]*.conf", "top ay bee cee" },
		{ "jail.conf.d/*.conf", "top ay bee cee" },
		{ "jail.conf.d/*", "top ay bee cee ex" },
		{ "jail.conf.d/.*.conf", "top hid ay bee cee" },
	};
	char dir[] = "/tmp/brig-test-globd.XXXXXX";
	char *sub;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/jail.conf.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put_file(sub, "c.conf", "cee { }\n");
	put_file(sub, "b.conf", "bee { }\n");
	put_file(sub, "a.conf", "ay { }\n");
	put_file(sub, ".h.conf", "hid { }\n");
	put_file(sub, "x.inc", "ex { }\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf got = STRBUF_INIT;
		char *text = xasprintf("top { }\n.include \"%s\";\n", cases[i][0]);
		struct conf *c;
		struct diag d;

		put_file(dir, "jail.conf", text);
		assert_int_equal(load_dir(dir, &c, &d), 0);
		for (size_t k = 0; k < c->njails; k++)
			sb_addf(&got, "%s%s", k ? " " : "", c->jails[k].name);
		if (strcmp(got.s, cases[i][1]) != 0)
			fprintf(stderr, "%s: \"%s\", expected \"%s\"\n", cases[i][0], got.s, cases[i][1]);
		assert_string_equal(got.s, cases[i][1]);
		conf_free(c);
		diag_free(&d);
		sb_free(&got);
		free(text);
	}
	rm_tree(dir);
	free(sub);
}

/* rctl.conf's rules reach their jails in file order, each jail its own
 * (issue 14: found through an index by jail, not by a look at every
 * rule for every jail), interleaved as they may be. */
static void test_rctl_conf_order(void **state)
{
	char dir[] = "/tmp/brig-test-rctl.XXXXXX";
	const struct conf_param *p;
	const struct conf_jail *j;
	struct conf *c;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "jail.conf", "a { rctl += \"maxproc:deny=5\"; }\nb { }\nc { }\nd { }\n");
	put_file(dir, "rctl.conf", "jail:b:memoryuse:deny=1g\njail:a:maxproc:deny=10\n# c\n"
				   "jail:c:pcpu:deny=50\njail:a:openfiles:deny=100\n"
				   "jail:b:vmemoryuse:deny=2g\n");
	assert_int_equal(load_dir(dir, &c, &d), 0);
	assert_int_equal(c->njails, 4);
	assert_non_null(j = conf_jail(c, "a"));
	assert_non_null(p = conf_param(j, "rctl"));
	assert_int_equal(p->nvalues, 2);
	assert_string_equal(p->values[0], "maxproc:deny=10");
	assert_string_equal(p->values[1], "openfiles:deny=100");
	assert_non_null(j = conf_jail(c, "b"));
	assert_non_null(p = conf_param(j, "rctl"));
	assert_int_equal(p->nvalues, 2);
	assert_string_equal(p->values[0], "memoryuse:deny=1073741824");
	assert_string_equal(p->values[1], "vmemoryuse:deny=2147483648");
	assert_non_null(j = conf_jail(c, "c"));
	assert_non_null(p = conf_param(j, "rctl"));
	assert_int_equal(p->nvalues, 1);
	assert_string_equal(p->values[0], "pcpu:deny=50");
	assert_non_null(j = conf_jail(c, "d"));
	assert_null(conf_param(j, "rctl"));
	conf_free(c);
	diag_free(&d);
	rm_tree(dir);
}

/* doc/conf.md documents every parameter of both tables. */
/* The files the hook of test_prefetch_same removes after the listing. */
static const char *const gone[] = { "j0050.conf", "j0051.conf", "j0052.conf" };

/* cf_listed_hook: the folder changes between its listing and the reads. */
static void remove_listed(int dfd)
{
	for (size_t i = 0; i < sizeof(gone) / sizeof(*gone); i++)
		assert_int_equal(unlinkat(dfd, gone[i], 0), 0);
}

/* All a load of dir tells, as text: its status, every diagnostic in
 * order, then each jail in order, as JSON, with its error. The files the
 * hook removes are made again first. */
static char *load_all(const char *dir)
{
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = dir, .isolate = true };
	char *sub = xasprintf("%s/jail.conf.d", dir);
	struct strbuf out = STRBUF_INIT;
	struct conf *c = NULL;
	struct diag d;

	for (size_t i = 0; i < sizeof(gone) / sizeof(*gone); i++) {
		char text[64];

		snprintf(text, sizeof(text), "%.5s { host.hostname = \"gone\"; }\n", gone[i]);
		put_file(sub, gone[i], text);
	}
	memset(&d, 0, sizeof(d));
	sb_addf(&out, "rc %d\n", conf_load(&src, &c, &d));
	for (size_t i = 0; i < d.n; i++)
		sb_addf(&out, "%d %s\n", (int)d.msgs[i].level, d.msgs[i].text);
	for (size_t i = 0; c && i < c->njails; i++) {
		struct json w;

		json_init(&w, &out, false);
		conf_jail_json(&c->jails[i], &w);
		sb_addf(&out, "\n%s\n", c->jails[i].error ? c->jails[i].error : "-");
	}
	conf_free(c);
	diag_free(&d);
	free(sub);
	return sb_steal(&out);
}

/* The second reader (prefetch.c) changes nothing a load tells: the same
 * diagnostics in the same order, the same jails, values and errors as the
 * loader alone, for a jail.conf.d with errors in several files (syntax,
 * unknown parameter, NUL byte, invalid UTF-8, one past 64 KiB), a file
 * without read permission (read anyway as root), a symbolic link loop, a
 * folder, a FIFO, a hard link, a jail defined twice, and files removed
 * between the listing and the reads; with and without jail.conf's
 * .include of jail.conf.d/\*.conf. Loaded many times with the reader, as
 * which side reads which file varies from run to run. */
static void test_prefetch_same(void **state)
{
	char dir[] = "/tmp/brig-test-prefetch.XXXXXX";
	struct strbuf big = STRBUF_INIT;
	char *sub, *p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/jail.conf.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	for (int i = 0; i < 80; i++) {
		char name[32], text[96];

		snprintf(name, sizeof(name), "j%04d.conf", i);
		snprintf(text, sizeof(text), "j%04d { host.hostname = \"h%d\"; }\n", i, i);
		put_file(sub, name, text);
	}
	put_file(sub, "j0010.conf", "j0010 { host.hostname = ; }\n");
	put_file(sub, "j0020.conf", "j0020 { no.such.param = 1; }\n");
	p = xasprintf("%s/j0025.conf", sub);
	{
		FILE *f = fopen(p, "w");

		assert_non_null(f);
		fwrite("j0025 { host.hostname = \"a\0b\"; }\n", 1, 34, f);
		fclose(f);
	}
	free(p);
	put_file(sub, "j0030.conf", "j0030 { host.hostname = \"\xff\xfe\"; }\n");
	while (big.len < 70000)
		sb_adds(&big, "# a comment, so that the file is over 64 KiB long\n");
	sb_adds(&big, "j0035 { host.hostname = \"big\"; = }\n");
	put_file(sub, "j0035.conf", big.s);
	p = xasprintf("%s/j0040.conf", sub);
	assert_int_equal(chmod(p, 0), 0);
	free(p);
	p = xasprintf("%s/j0041.conf", sub);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("j0041.conf", p), 0);
	free(p);
	p = xasprintf("%s/j0043.conf", sub);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/j0044.conf", sub);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	{
		char *a = xasprintf("%s/j0002.conf", sub), *b = xasprintf("%s/j0060.conf", sub);

		assert_int_equal(unlink(b), 0);
		assert_int_equal(link(a, b), 0);
		free(a);
		free(b);
	}
	put_file(sub, "j0065.conf", "j0001 { host.hostname = \"again\"; }\n");
	put_file(sub, "j0070.conf", "j0070 { host.hostname = \"h70\"; }\n}\n");
	for (int inc = 0; inc < 2; inc++) {
		char *serial, *par;

		put_file(dir, "jail.conf",
			 inc ? "path = \"/j/$name\";\n.include \"jail.conf.d/*.conf\";\n"
			     : "path = \"/j/$name\";\n");
		cf_listed_hook = remove_listed;
		cf_prefetch_min = SIZE_MAX;
		serial = load_all(dir);
		/* The errors are there to compare. */
		assert_non_null(strstr(serial, "j0010.conf:1:"));
		assert_non_null(strstr(serial, "NUL byte"));
		assert_non_null(strstr(serial, "invalid UTF-8"));
		assert_non_null(strstr(serial, "j0035.conf:"));
		assert_non_null(strstr(serial, "symbolic links"));
		assert_non_null(strstr(serial, "a directory"));
		assert_non_null(strstr(serial, "a FIFO"));
		assert_non_null(strstr(serial, "j0051.conf: error: No such file"));
		cf_prefetch_min = 1;
		for (int round = 0; round < 30; round++) {
			par = load_all(dir);
			assert_string_equal(par, serial);
			free(par);
		}
		cf_prefetch_min = CF_PREFETCH_MIN;
		cf_listed_hook = NULL;
		free(serial);
	}
	sb_free(&big);
	free(sub);
	rm_tree(dir);
}

/* The loader keeps the files it read open to close them together
 * (source.c, keep_open): with a limit of open files below what it keeps,
 * every file still loads, by the loader alone and with the reader. */
static void test_few_descriptors(void **state)
{
	char dir[] = "/tmp/brig-test-fds.XXXXXX";
	struct rlimit old, low;
	char *sub;
	int probe;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/jail.conf.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	for (int i = 0; i < 100; i++) {
		char name[32], text[64];

		snprintf(name, sizeof(name), "j%03d.conf", i);
		snprintf(text, sizeof(text), "j%03d { host.hostname = \"h%d\"; }\n", i, i);
		put_file(sub, name, text);
	}
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	probe = dup(0);
	assert_true(probe >= 0);
	close(probe);
	low = old;
	low.rlim_cur = (rlim_t)probe + 8;	/* room for the folder and a few files */
	for (int pass = 0; pass < 2; pass++) {
		struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = dir };
		struct conf *c = NULL;
		struct diag d;
		int rc;

		cf_prefetch_min = pass ? 1 : SIZE_MAX;
		memset(&d, 0, sizeof(d));
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
		rc = conf_load(&src, &c, &d);
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
		cf_prefetch_min = CF_PREFETCH_MIN;
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i].text);
		assert_int_equal(rc, 0);
		assert_int_equal(d.n, 0);
		assert_int_equal(c->njails, 100);
		assert_string_equal(last(c, "j099", "host.hostname"), "h99");
		conf_free(c);
		diag_free(&d);
	}
	free(sub);
	rm_tree(dir);
}

static void test_params_documented(void **state)
{
	char *doc = slurp("doc/conf.md");

	(void)state;
	for (int s = CONF_SCHEMA_JAILS; s <= CONF_SCHEMA_NETWORKS; s++) {
		size_t n;
		const struct conf_pdef *t = conf_pdefs((enum conf_schema)s, &n);

		for (size_t i = 0; i < n; i++) {
			char *row = xasprintf("| `%s` |", t[i].name);

			if (!strstr(doc, row))
				fprintf(stderr, "doc/conf.md lacks %s\n", row);
			assert_non_null(strstr(doc, row));
			free(row);
		}
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_documented),
		cmocka_unit_test(test_freebsd15_params_known),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_confdir),
		cmocka_unit_test(test_confdir_kinds),
		cmocka_unit_test(test_confdir_many),
		cmocka_unit_test(test_include_glob),
		cmocka_unit_test(test_include_glob_confdir),
		cmocka_unit_test(test_rctl_conf_order),
		cmocka_unit_test(test_prefetch_same),
		cmocka_unit_test(test_few_descriptors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
