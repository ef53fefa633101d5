/* Unit tests of conf_load_untrusted(): what an untrusted jail.conf (an
 * export archive's) may set, and how what it may not is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conf.h"

/* Load text as the untrusted block of jail "web", renamed "new", with a
 * trusted path; returns the conf (NULL on error) and the messages in d. */
static struct conf *load(const char *text, struct diag *d)
{
	char *const trusted[] = { (char *)"path=/store/jails/new/root" };
	const struct conf_untrusted u = {
		.path = "archive.conf", .text = text, .len = strlen(text), .jail = "web",
		.name = "new", .trusted = trusted, .ntrusted = 1,
	};
	struct conf *c = NULL;

	memset(d, 0, sizeof(*d));
	if (conf_load_untrusted(&u, &c, d) < 0)
		return NULL;
	return c;
}

/* Is there a message containing s? */
static bool said(const struct diag *d, const char *s)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->msgs[i].text, s))
			return true;
	return false;
}

static void test_keeps_inside(void **state)
{
	struct diag d;
	struct conf *c = load("web {\n\texec.start = \"/bin/sh /etc/rc\";\n\tpersist;\n"
			      "\t$h = \"${name}.example\";\n\thost.hostname = \"${h}\";\n"
			      "\tvnet;\n\tip4 = disable;\n}\n", &d);

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->njails, 1);
	assert_string_equal(c->jails[0].name, "new");
	assert_string_equal(conf_str(&c->jails[0], "exec.start"), "/bin/sh /etc/rc");
	assert_true(conf_bool(&c->jails[0], "persist", false));
	/* Variables work, and ${name} is the new name. */
	assert_string_equal(conf_str(&c->jails[0], "host.hostname"), "new.example");
	assert_true(conf_bool(&c->jails[0], "vnet", false));
	assert_string_equal(conf_str(&c->jails[0], "path"), "/store/jails/new/root");
	assert_int_equal(d.nerrors, 0);
	assert_false(said(&d, "dropped"));
	conf_free(c);
	diag_free(&d);
}

static void test_drops_host_side(void **state)
{
	struct diag d;
	struct conf *c = load("exec.poststart = \"x\";\n"			/* 1 */
			      ".include \"/etc/shadow\";\n"			/* 2 */
			      "web {\n"						/* 3 */
			      "\texec.prestart = \"touch /x\";\n"		/* 4 */
			      "\tmount = \"/etc /mnt nullfs ro\";\n"		/* 5 */
			      "\tmount.fstab = \"/etc/fstab\";\n"		/* 6 */
			      "\tpath = \"/\";\n"				/* 7 */
			      "\t.include \"/etc/passwd\";\n"			/* 8 */
			      "\tsub { persist; }\n"				/* 9 */
			      "\thost = inherit;\n"				/* 10 */
			      "\tallow.raw_sockets;\n"				/* 11 */
			      "\tpersist;\n"					/* 12 */
			      "}\n"
			      "* { exec.created = \"y\"; }\n"			/* 14 */
			      "other { exec.prestart = \"z\"; }\n", &d);	/* 15 */
	const struct conf_jail *j;

	(void)state;
	assert_non_null(c);
	j = &c->jails[0];
	assert_null(conf_param(j, "exec.prestart"));
	assert_null(conf_param(j, "exec.poststart"));
	assert_null(conf_param(j, "exec.created"));
	assert_null(conf_param(j, "mount"));
	assert_null(conf_param(j, "mount.fstab"));
	assert_null(conf_param(j, "host"));
	assert_null(conf_param(j, "allow.raw_sockets"));
	assert_string_equal(conf_str(j, "path"), "/store/jails/new/root");
	assert_true(conf_bool(j, "persist", false));
	assert_true(said(&d, "archive.conf:1:1: warning: exec.poststart dropped: a statement outside"));
	assert_true(said(&d, "archive.conf:2:1: warning: .include dropped"));
	assert_true(said(&d, "archive.conf:4:2: warning: exec.prestart dropped"));
	assert_true(said(&d, "archive.conf:5:2: warning: mount dropped"));
	assert_true(said(&d, "archive.conf:6:2: warning: mount.fstab dropped"));
	assert_true(said(&d, "archive.conf:8:2: warning: .include dropped"));
	assert_true(said(&d, "archive.conf:9:2: warning: block \"sub\" dropped"));
	assert_true(said(&d, "archive.conf:10:2: warning: host = inherit dropped"));
	assert_true(said(&d, "archive.conf:11:2: warning: allow.raw_sockets dropped"));
	assert_true(said(&d, "archive.conf:14:1: warning: block \"*\" dropped: a wildcard"));
	assert_true(said(&d, "archive.conf:15:1: warning: block \"other\" dropped"));
	/* path is the importer's: replaced without a word. */
	assert_false(said(&d, "path dropped"));
	conf_free(c);
	diag_free(&d);
}

/* A variable cannot carry "inherit" past the check. */
static void test_variable_smuggling(void **state)
{
	struct diag d;
	struct conf *c = load("web {\n\tpersist;\n\t$x = \"inherit\";\n\tvnet = \"${x}\";\n"
			      "\tip4 = \"${x}\";\n}\n", &d);

	(void)state;
	assert_non_null(c);
	assert_null(conf_param(&c->jails[0], "vnet"));
	assert_null(conf_param(&c->jails[0], "ip4"));
	assert_true(said(&d, "archive.conf:4:2: warning: vnet = inherit dropped"));
	assert_true(said(&d, "archive.conf:5:2: warning: ip4 = inherit dropped"));
	conf_free(c);
	diag_free(&d);
}

static void test_refused(void **state)
{
	struct diag d;

	(void)state;
	assert_null(load("other { persist; }\n", &d));
	assert_true(said(&d, "archive.conf: error: no block \"web\""));
	diag_free(&d);
	assert_null(load("web { persist; exec.start = \"/bin/sh\"\n", &d));
	assert_true(d.nerrors > 0);
	diag_free(&d);
	assert_null(load("web { nosuch.param = 1; }\n", &d));
	assert_true(said(&d, "unknown parameter"));
	diag_free(&d);
	/* A kept value that refers to a dropped parameter does not resolve. */
	assert_null(load("web { exec.prestart = \"x\"; exec.start = \"${exec.prestart}\"; }\n", &d));
	assert_true(d.nerrors > 0);
	diag_free(&d);
}

/* The allow-list: every marked parameter is one that acts inside the jail;
 * the host's hooks, mounts and networks are never marked. */
static void test_table(void **state)
{
	static const char *const never[] = {
		"exec.prepare", "exec.prestart", "exec.created", "exec.poststart", "exec.prestop",
		"exec.poststop", "exec.release", "exec.system_user", "exec.system_jail_user",
		"exec.consolelog", "mount", "mount.fstab", "path", "name", "jid", "depend",
		"vnet.interface", "vnet.bridge", "interface", "ip4.addr", "ip6.addr", "rdr",
		"devfs_ruleset", "allow.mount", "allow.raw_sockets", "allow.settime",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		const struct conf_pdef *d = conf_pdef_find(CONF_SCHEMA_JAILS, never[i]);

		assert_non_null(d);
		assert_false(d->flags & CONF_PF_UNTRUSTED);
	}
	assert_true(conf_pdef_find(CONF_SCHEMA_JAILS, "exec.start")->flags & CONF_PF_UNTRUSTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_inside),
		cmocka_unit_test(test_drops_host_side),
		cmocka_unit_test(test_variable_smuggling),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
