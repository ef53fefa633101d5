/* Unit tests of devfs.rules(5) as brig reads it (conf/devfs_rules.c):
 * FreeBSD's syntax, its errors with FILE:LINE:COL, and what a ruleset
 * leaves of brig's /dev. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "conf/devfs_rules.h"

#define ALL (DEVR_BASIC | DEVR_LOGIN | DEVR_FD)

/* The groups of ruleset num after text; -1 on a parse or eval error. */
static int eval(const char *text, long long num, struct brig_err *e)
{
	struct devfs_rules *r = devfs_rules_new();
	int g = devfs_rules_parse(r, "devfs.rules", text, e) < 0 ? -1 : devfs_rules_eval(r, num, e);

	devfs_rules_free(r);
	return g;
}

static void test_defaults(void **state)
{
	struct brig_err e;

	(void)state;
	assert_int_equal(eval("", 1, &e), 0);
	assert_int_equal(eval("", 4, &e), ALL);
	assert_int_equal(eval("", 5, &e), ALL);
	/* 2 alone hides nothing: FreeBSD's devfs shows everything */
	assert_int_equal(eval("", 2, &e), ALL);
	assert_int_equal(eval("", 9, &e), -1);
	assert_non_null(strstr(e.msg, "ruleset 9 is defined neither"));
}

static void test_custom(void **state)
{
	struct brig_err e;

	(void)state;
	/* Bastille's: the jail_vnet set and bpf */
	assert_int_equal(eval("[bastille_vnet=13]\n"
			      "add include $devfsrules_hide_all\n"
			      "add include $devfsrules_unhide_basic\n"
			      "add include $devfsrules_unhide_login\n"
			      "add include $devfsrules_jail\n"
			      "add include $devfsrules_jail_vnet\n"
			      "add path 'bpf*' unhide\n", 13, &e), ALL);
	/* null alone does not give zero: no group */
	assert_int_equal(eval("[x=20]\nadd include 1\nadd path null unhide\n", 20, &e), 0);
	assert_int_equal(eval("[x=20]\nadd include $devfsrules_hide_all\n"
			      "add include $devfsrules_unhide_basic # comment\n", 20, &e), DEVR_BASIC);
	/* rule numbers order the rules: the hide (100) comes before the unhide (200) */
	assert_int_equal(eval("[x=20]\nadd 200 include 2\nadd 100 hide\n", 20, &e), DEVR_BASIC);
	/* hiding a path: pts/N (fnmatch with FNM_PATHNAME) */
	assert_int_equal(eval("[x=20]\nadd include 4\nadd path 'pts/*' hide\n", 20, &e),
			 DEVR_BASIC | DEVR_FD);
	assert_int_equal(eval("[x=20]\nadd include 4\nadd type tty hide\n", 20, &e), DEVR_BASIC | DEVR_FD);
	/* an include loop */
	assert_int_equal(eval("[a=20]\nadd include 21\n[b=21]\nadd include 20\n", 20, &e), -1);
	assert_non_null(strstr(e.msg, "loop"));
	assert_int_equal(eval("[a=20]\nadd include 22\n", 20, &e), -1);
	assert_non_null(strstr(e.msg, "devfs.rules:2:1: ruleset 20 includes ruleset 22"));
}

static void test_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "add hide\n", "devfs.rules:1:1: a rule before any [name=number] ruleset" },
		{ "[x=]\n", "devfs.rules:1:4: the ruleset number is missing" },
		{ "[x=3\n", "devfs.rules:1:4: a ruleset header ends with ']'" },
		{ "[x=30]\n  add path 'a unhide\n", "devfs.rules:2:12: unterminated quote" },
		{ "[x=30]\nadd include $nosuch\n", "devfs.rules:2:13: no ruleset defined before by that name: $nosuch" },
		{ "[x=30]\ndel 100\n", "devfs.rules:2:1: only `add` rules belong" },
		{ "[x=30]\nadd path\n", "devfs.rules:2:5: a value is missing after path" },
		{ "[x=30]\nadd path a\n", "devfs.rules:2:1: a rule without an action" },
		{ "[x=30]\nadd path a unhide frob\n", "devfs.rules:2:19: unexpected word in a rule: frob" },
		{ "[x=30]\nadd type floppy hide\n", "devfs.rules:2:10: not a device type" },
		{ "[x=30]\nadd include x\n", "devfs.rules:2:13: include takes a ruleset number" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct brig_err e;

		assert_int_equal(eval(cases[i].text, 30, &e), -1);
		if (!strstr(e.msg, cases[i].msg)) {
			fprintf(stderr, "case %zu: [%s] not in [%s]\n", i, cases[i].msg, e.msg);
			fail();
		}
	}
}

static void count(void *ctx, const char *file, int line, int col, const char *pattern)
{
	(void)file;
	(void)col;
	assert_true(strcmp(pattern, "bpf*") == 0 && line == 3);
	(*(int *)ctx)++;
}

static void test_unmapped(void **state)
{
	struct devfs_rules *r = devfs_rules_new();
	struct brig_err e;
	int n = 0;

	(void)state;
	assert_int_equal(devfs_rules_parse(r, "devfs.rules", "[x=11]\nadd include $devfsrules_jail\n"
					   "add path 'bpf*' unhide\nadd path 'tty*' unhide\n", &e), 0);
	devfs_rules_unmapped(r, 11, count, &n);
	assert_int_equal(n, 1);	/* the defaults' own (log, crypto, pf...) are not said */
	devfs_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unmapped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
