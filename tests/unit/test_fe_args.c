/* Unit tests for the jail(8) and jexec(8) front-ends' command lines, and
 * jail -J's line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fe.h"
#include "util/mem.h"

/* Parse jail's arguments (NULL-terminated); returns jail_parse's result. */
static int jail_args(struct jail_args *a, ...)
{
	static char *argv[32];
	struct brig_err e = { 0 };
	int argc = 1;
	va_list ap;
	const char *s;

	argv[0] = "jail";
	va_start(ap, a);
	while ((s = va_arg(ap, const char *)) != NULL)
		argv[argc++] = (char *)s;
	va_end(ap);
	argv[argc] = NULL;
	return jail_parse(argc, argv, a, &e);
}

static void assert_params(const struct jail_args *a, size_t n, ...)
{
	va_list ap;

	assert_int_equal(a->nparams, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(a->params[i], va_arg(ap, const char *));
	va_end(ap);
}

static void test_create_from_params(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "-c", "name=web", "path=/", "persist",
				   "ip4.addr=192.0.2.1,192.0.2.2", NULL), 0);
	assert_int_equal(a.op, JAIL_OP_CREATE);
	assert_true(a.from_params);
	assert_params(&a, 4, "name=web", "path=/", "persist", "ip4.addr=192.0.2.1,192.0.2.2");
	jail_args_free(&a);
}

static void test_command_takes_the_rest(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "-c", "path=/", "command=/bin/echo", "a b", "c=d", NULL), 0);
	assert_params(&a, 4, "path=/", "command=/bin/echo", "command+=a b", "command+=c=d");
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-c", "path=/", "command", "/bin/true", NULL), 0);
	assert_params(&a, 2, "path=/", "command=/bin/true");
	jail_args_free(&a);
}

static void test_option_params(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "-l", "-n", "web", "-u", "www", "-c", "path=/", NULL), 0);
	assert_params(&a, 5, "exec.clean", "name=web", "exec.jail_user=www",
		      "exec.system_jail_user", "path=/");
	jail_args_free(&a);
}

static void test_from_config(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "-f", "/x/jail.conf", "-qc", "web", NULL), 0);
	assert_int_equal(a.op, JAIL_OP_CREATE);
	assert_false(a.from_params);
	assert_int_equal(a.verbose, -1);
	assert_string_equal(a.conf_file, "/x/jail.conf");
	assert_int_equal(a.nnames, 1);
	assert_string_equal(a.names[0], "web");
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-c", NULL), 0);
	assert_int_equal(a.nnames, 0);
	jail_args_free(&a);
}

static void test_modes(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "-rc", "web", NULL), 0);
	assert_int_equal(a.op, JAIL_OP_CREATE | JAIL_OP_REMOVE);
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-cm", "name=web", "path=/", NULL), 0);
	assert_int_equal(a.op, JAIL_OP_CREATE | JAIL_OP_MODIFY);
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-r", "a", "b", "*", NULL), 0);
	assert_int_equal(a.op, JAIL_OP_REMOVE);
	assert_int_equal(a.nnames, 3);
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-R", "web", NULL), 0);
	assert_true(a.rflag_raw);
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-i", "-v", "-p", "3", "-J", "/tmp/j", "-c", "x=1", NULL), 0);
	assert_true(a.print_jid);
	assert_int_equal(a.verbose, 1);
	assert_int_equal(a.parallel, 3);
	assert_string_equal(a.jid_file, "/tmp/j");
	jail_args_free(&a);
}

static void test_old_style(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "/jails/x", "x.example", "10.0.0.1,::1", "/bin/sh", "-c", "true", NULL), 0);
	assert_int_equal(a.op, JAIL_OP_CREATE);
	assert_params(&a, 7, "path=/jails/x", "host.hostname=x.example", "ip4.addr=10.0.0.1",
		      "ip6.addr=::1", "command=/bin/sh", "command+=-c", "command+=true");
	jail_args_free(&a);
}

static int jid7(void)
{
	return 7;
}

/* Fails the test if called. */
static int no_jid(void)
{
	fail();
	return 0;
}

/* What a param=value jail leaves out: a JID that names it, path "/". */
static void test_complete(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, "-c", "persist", "host.hostname=h", NULL), 0);
	jail_args_complete(&a, jid7);
	assert_params(&a, 4, "persist", "host.hostname=h", "jid=7", "path=/");
	jail_args_free(&a);
	/* The old-style command line has a path, and no name. */
	assert_int_equal(jail_args(&a, "/jails/x", "x", "", "/bin/true", NULL), 0);
	jail_args_complete(&a, jid7);
	assert_params(&a, 4, "path=/jails/x", "host.hostname=x", "command=/bin/true", "jid=7");
	jail_args_free(&a);
	/* A name (-n too), a jid= or a path= given stays as given. */
	assert_int_equal(jail_args(&a, "-n", "web", "-c", "path+=/x", NULL), 0);
	jail_args_complete(&a, no_jid);
	assert_params(&a, 2, "name=web", "path+=/x");
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-cm", "jid=5", "path=/x", NULL), 0);
	jail_args_complete(&a, no_jid);
	assert_params(&a, 2, "jid=5", "path=/x");
	jail_args_free(&a);
	/* -m and -rc name a jail that runs: nothing is made up. */
	assert_int_equal(jail_args(&a, "-m", "persist", "host.hostname=h", NULL), 0);
	jail_args_complete(&a, no_jid);
	assert_params(&a, 2, "persist", "host.hostname=h");
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-rc", "persist", "host.hostname=h", NULL), 0);
	jail_args_complete(&a, no_jid);
	assert_params(&a, 2, "persist", "host.hostname=h");
	jail_args_free(&a);
}

/* jail(8)'s usage errors. */
static void test_usage(void **state)
{
	struct jail_args a;

	(void)state;
	assert_int_equal(jail_args(&a, NULL), -1);			/* nothing */
	assert_int_equal(jail_args(&a, "-r", NULL), -1);		/* remove what? */
	assert_int_equal(jail_args(&a, "-r", "name=x", NULL), -1);	/* -r takes names */
	assert_int_equal(jail_args(&a, "-n", "x", "-r", "x", NULL), -1);
	assert_int_equal(jail_args(&a, "-Rc", "x", NULL), -1);
	assert_int_equal(jail_args(&a, "-l", "-c", "web", NULL), -1);	/* -l needs params */
	assert_int_equal(jail_args(&a, "-x", NULL), -1);
	assert_int_equal(jail_args(&a, "relative", "h", "", "cmd", NULL), -1);
}

static void test_jidfile_line(void **state)
{
	char *path_v[] = { "/jails/web" };
	char *start_v[] = { "/bin/sh /etc/rc", "echo it's" };
	char *yes[] = { "true" };
	char *no[] = { "false" };
	char *name_v[] = { "web" };
	char *empty_v[] = { "" };
	struct conf_param params[] = {
		{ .name = "name", .type = CONF_STRING, .values = name_v, .nvalues = 1 },
		{ .name = "path", .type = CONF_STRING, .values = path_v, .nvalues = 1 },
		{ .name = "exec.start", .type = CONF_LIST, .values = start_v, .nvalues = 2 },
		{ .name = "persist", .type = CONF_BOOL, .values = yes, .nvalues = 1 },
		{ .name = "allow.mount", .type = CONF_BOOL, .values = no, .nvalues = 1 },
		{ .name = "host.domainname", .type = CONF_STRING, .values = empty_v, .nvalues = 1 },
		{ .name = "exec.stop", .type = CONF_LIST, .values = NULL, .nvalues = 0 },
	};
	struct conf_jail cj = { .name = "web", .params = params, .nparams = ARRAY_SIZE(params) };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	jail_format_jidfile(&sb, 4, &cj);
	assert_string_equal(sb.s, "jid=4 name=web path=/jails/web exec.start=\"/bin/sh /etc/rc\","
				  "\"echo it's\" persist allow.nomount host.domainname=\"\" exec.stop");
	sb_free(&sb);
}

/* jail -J for the oldest form: jail(8)'s tab-separated line. */
static void test_jidfile_old_style(void **state)
{
	char *path_v[] = { "/jails/x" };
	char *host_v[] = { "x.example" };
	char *ip4_v[] = { "10.0.0.1", "10.0.0.2" };
	char *ip6_v[] = { "::1" };
	char *cmd_v[] = { "/bin/sh", "-c", "echo hi" };
	struct conf_param params[] = {
		{ .name = "path", .type = CONF_STRING, .values = path_v, .nvalues = 1 },
		{ .name = "host.hostname", .type = CONF_STRING, .values = host_v, .nvalues = 1 },
		{ .name = "ip4.addr", .type = CONF_LIST, .values = ip4_v, .nvalues = 2 },
		{ .name = "ip6.addr", .type = CONF_LIST, .values = ip6_v, .nvalues = 1 },
		{ .name = "command", .type = CONF_LIST, .values = cmd_v, .nvalues = 3 },
	};
	struct conf_jail cj = { .name = "1", .params = params, .nparams = ARRAY_SIZE(params) };
	struct strbuf sb = STRBUF_INIT;
	struct jail_args a;

	(void)state;
	jail_format_jidfile_old(&sb, 1, &cj);
	assert_string_equal(sb.s, "1\t/jails/x\tx.example\t10.0.0.1,10.0.0.2,::1\t/bin/sh -c \"echo hi\"");
	sb_free(&sb);
	cj.nparams = 2;
	jail_format_jidfile_old(&sb, 2, &cj);
	assert_string_equal(sb.s, "2\t/jails/x\tx.example\t\t");
	sb_free(&sb);
	assert_int_equal(jail_args(&a, "/jails/x", "x", "", "/bin/true", NULL), 0);
	assert_true(a.old_style);
	jail_args_free(&a);
	assert_int_equal(jail_args(&a, "-c", "path=/jails/x", "persist", NULL), 0);
	assert_false(a.old_style);
	jail_args_free(&a);
}

static int jexec_args(struct jexec_args *a, ...)
{
	static char *argv[32];
	struct brig_err e = { 0 };
	int argc = 1;
	va_list ap;
	const char *s;

	argv[0] = "jexec";
	va_start(ap, a);
	while ((s = va_arg(ap, const char *)) != NULL)
		argv[argc++] = (char *)s;
	va_end(ap);
	argv[argc] = NULL;
	return jexec_parse(argc, argv, a, &e);
}

static void test_jexec(void **state)
{
	struct jexec_args a;

	(void)state;
	assert_int_equal(jexec_args(&a, "web", "ls", "-l", NULL), 0);
	assert_string_equal(a.jail, "web");
	assert_string_equal(a.argv[0], "ls");
	assert_string_equal(a.argv[1], "-l");
	assert_null(a.argv[2]);
	/* Options after the jail belong to the command. */
	assert_int_equal(jexec_args(&a, "-l", "-U", "www", "5", "id", "-u", NULL), 0);
	assert_true(a.login);
	assert_string_equal(a.jail_user, "www");
	assert_null(a.host_user);
	assert_string_equal(a.argv[1], "-u");
	/* FreeBSD: -u names a user of the host's passwd. */
	assert_int_equal(jexec_args(&a, "-u", "alice", "web", NULL), 0);
	assert_string_equal(a.host_user, "alice");
	assert_null(a.argv);
	assert_int_equal(jexec_args(&a, "-u", "a", "-U", "b", "web", NULL), -1);
	assert_int_equal(jexec_args(&a, NULL), -1);
	assert_int_equal(jexec_args(&a, "-x", "web", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_from_params),
		cmocka_unit_test(test_command_takes_the_rest),
		cmocka_unit_test(test_option_params),
		cmocka_unit_test(test_from_config),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_old_style),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_jidfile_line),
		cmocka_unit_test(test_jidfile_old_style),
		cmocka_unit_test(test_jexec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
