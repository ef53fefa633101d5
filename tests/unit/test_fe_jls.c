/* Unit tests for jls(8)'s front-end: flags, columns, and libxo JSON, from
 * hand-built jails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/fe.h"
#include "conf/model.h"
#include "util/mem.h"

static char *ip_web[] = { "192.0.2.10", "192.0.2.11" };
static char *ip6_web[] = { "2001:db8::10" };
static char *names_web[] = { "name", "path", "host.hostname", "persist", "exec.start",
			     "allow.raw_sockets", "ip4.addr", "env" };
static char *values_web[] = { "web", "/jails/web", "web.example.org", "true", "/bin/sh /etc/rc",
			      "true", "192.0.2.10/24,192.0.2.11/24", "" };
static char *names_db[] = { "name", "path", "vnet" };
static char *values_db[] = { "db", "/jails/db", "new" };

/* The jails, each with the model its state records (the values as conf
 * normalises them), made by the group's setup. */
static struct core_jail jails[] = {
	{
		.jid = 1, .name = "web", .hostname = "web.example.org", .path = "/jails/web",
		.ip4 = ip_web, .nip4 = 2, .ip6 = ip6_web, .nip6 = 1, .init_pid = 100,
		.state = "running",
	},
	{
		.jid = 12, .name = "db", .hostname = "db", .path = "/jails/db",
		.init_pid = 200, .state = "running",
	},
};

static int setup(void **state)
{
	(void)state;
	jails[0].def = jail_def_from_params("web", names_web, values_web, ARRAY_SIZE(names_web));
	jails[1].def = jail_def_from_params("db", names_db, values_db, ARRAY_SIZE(names_db));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jail_def_free(jails[0].def);
	jail_def_free(jails[1].def);
	return 0;
}

/* Run jls with the arguments (NULL-terminated) over jails; the output. */
static char *jls(const struct core_jail *v, size_t n, ...)
{
	char *argv[32] = { "jls" };
	int argc = 1;
	struct jls_opts o;
	struct brig_err e = { 0 };
	struct strbuf out = STRBUF_INIT;
	va_list ap;
	const char *a;

	va_start(ap, n);
	while ((a = va_arg(ap, const char *)) != NULL)
		argv[argc++] = (char *)a;
	va_end(ap);
	assert_int_equal(jls_parse(argc, argv, &o, &e), 0);
	if (jls_format(&o, v, n, &out, &e) < 0) {
		sb_free(&out);
		return xasprintf("ERROR: %s", e.msg);
	}
	return sb_steal(&out);
}

/* Python's json module reads text (and, with canon, prints it back in the
 * corpus's pretty form). */
static char *python_json(const char *text, bool canon)
{
	char path[] = "/tmp/test_fe_jls.XXXXXX";
	int fd = mkstemp(path);
	char *cmd, *res;
	struct strbuf out = STRBUF_INIT;
	char buf[4096];
	size_t got;
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cmd = xasprintf("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
			"print(json.dumps(d, indent=2) if %d else \"ok\")' %s 2>&1",
			canon ? 1 : 0, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((got = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_addn(&out, buf, got);
	pclose(p);
	unlink(path);
	free(cmd);
	res = sb_steal(&out);
	return res;
}

static void test_default_columns(void **state)
{
	char *s = jls(jails, 2, NULL);

	(void)state;
	assert_string_equal(s,
		"   JID  IP Address      Hostname                      Path\n"
		"     1  192.0.2.10      web.example.org               /jails/web\n"
		"    12                  db                            /jails/db\n");
	free(s);
}

static void test_names_instead_of_jids(void **state)
{
	char *s = jls(jails, 1, "-N", NULL);

	(void)state;
	assert_string_equal(s,
		" JID             IP Address      Hostname                      Path\n"
		" web             192.0.2.10      web.example.org               /jails/web\n");
	free(s);
}

static void test_verbose(void **state)
{
	char *s = jls(jails, 1, "-v", NULL);

	(void)state;
	assert_string_equal(s,
		"   JID  Hostname                      Path\n"
		"        Name                          State\n"
		"        CPUSetID\n"
		"        IP Address(es)\n"
		"     1  web.example.org               /jails/web\n"
		"        web                           ACTIVE\n"
		"        0\n"
		"        192.0.2.10\n"
		"        192.0.2.11\n"
		"        2001:db8::10\n");
	free(s);
}

static void test_named_params(void **state)
{
	char *s = jls(jails, 2, "name", "path", NULL);

	(void)state;
	assert_string_equal(s, "web /jails/web\ndb /jails/db\n");
	free(s);
	s = jls(jails, 1, "-j", "web", "jid", NULL);
	assert_string_equal(s, "1\n");
	free(s);
	/* A recorded jail.conf parameter, and a missing address list. */
	s = jls(jails, 2, "exec.start", "ip4.addr", NULL);
	assert_string_equal(s, "/bin/sh /etc/rc 192.0.2.10,192.0.2.11\n\"\" -\n");
	free(s);
	s = jls(jails, 1, "-q", "exec.start", NULL);
	assert_string_equal(s, "\"/bin/sh /etc/rc\"\n");
	free(s);
	s = jls(jails, 1, "exec.start", NULL);
	assert_string_equal(s, "/bin/sh /etc/rc\n");
	free(s);
}

static void test_unknown_param(void **state)
{
	char *s = jls(jails, 2, "-n", "nosuch.param", NULL);

	(void)state;
	assert_string_equal(s, "ERROR: unknown parameter: nosuch.param");
	free(s);
}

static void test_nameval(void **state)
{
	char *s = jls(jails, 1, "-n", "name", "persist", "allow.raw_sockets", "allow.mount",
		      "ip4.addr", "ip4", "vnet", "env", NULL);

	(void)state;
	assert_string_equal(s, "name=web persist allow.raw_sockets allow.nomount "
			       "ip4.addr=192.0.2.10,192.0.2.11 ip4=new vnet=inherit env=\"\"\n");
	free(s);
	s = jls(jails + 1, 1, "-n", "ip4.addr", "ip4", "vnet", "persist", NULL);
	assert_string_equal(s, "ip4.addr= ip4=inherit vnet=new nopersist\n");
	free(s);
}

static void test_header(void **state)
{
	char *s = jls(jails, 2, "-h", "jid", "name", NULL);

	(void)state;
	assert_string_equal(s, "jid name\n1 web\n12 db\n");
	free(s);
}

static void test_all_params(void **state)
{
	char *s = jls(jails, 1, "-n", NULL);
	size_t words = 1;

	(void)state;
	for (const char *p = s; *p; p++)
		words += *p == ' ';
	assert_int_equal(words, kp_count());
	assert_non_null(strstr(s, "devfs_ruleset=0 nodying enforce_statfs=2 env=\"\" host=new "));
	assert_non_null(strstr(s, " jid=1 "));
	assert_non_null(strstr(s, " host.hostname=web.example.org "));
	free(s);
}

static void test_skip(void **state)
{
	char *s = jls(jails + 1, 1, "-s", NULL);

	(void)state;
	/* Read-only parameters and those under ip4=disable / ip6=disable go. */
	assert_null(strstr(s, "dying"));
	assert_null(strstr(s, " parent="));
	assert_null(strstr(s, "cpuset.id"));
	assert_null(strstr(s, "children.cur"));
	assert_null(strstr(s, "ip4.addr"));
	assert_non_null(strstr(s, "children.max=0"));
	assert_non_null(strstr(s, "host.hostname=db"));
	free(s);
	s = jls(jails, 1, "-s", "ip4.addr", "exec.start", NULL);
	assert_string_equal(s, "ip4.addr=192.0.2.10,192.0.2.11 exec.start=\"/bin/sh /etc/rc\"\n");
	free(s);
}

static void test_flag_order(void **state)
{
	char *s = jls(jails, 1, "-n", "-v", NULL);

	(void)state;
	assert_non_null(strstr(s, "IP Address(es)"));
	free(s);
	s = jls(jails, 1, "-v", "-n", "name", NULL);
	assert_string_equal(s, "name=web\n");
	free(s);
}

static void test_json_default(void **state)
{
	char *s = jls(jails, 2, "--libxo", "json", NULL);
	char *ok;

	(void)state;
	assert_string_equal(s,
		"{\"__version\": \"2\", \"jail-information\": {\"jail\": ["
		"{\"jid\":1,\"ipv4\":\"192.0.2.10\",\"hostname\":\"web.example.org\",\"path\":\"/jails/web\"}, "
		"{\"jid\":12,\"ipv4\":\"\",\"hostname\":\"db\",\"path\":\"/jails/db\"}]}}\n");
	ok = python_json(s, false);
	assert_string_equal(ok, "ok\n");
	free(ok);
	free(s);
}

static void test_json_forms(void **state)
{
	char *a = jls(jails, 2, "--libxo=json", "-v", NULL);
	char *b = jls(jails, 2, "--libxo:J", "-v", NULL);
	char *ok;

	(void)state;
	assert_string_equal(a, b);
	ok = python_json(a, false);
	assert_string_equal(ok, "ok\n");
	assert_non_null(strstr(a, "\"ipv4_addrs\": [\"192.0.2.10\",\"192.0.2.11\"]"));
	assert_non_null(strstr(a, "\"state\":\"ACTIVE\""));
	free(ok);
	free(a);
	free(b);
}

static void test_json_no_jails(void **state)
{
	char *s = jls(NULL, 0, "--libxo", "json,pretty", NULL);

	(void)state;
	assert_string_equal(s, "{\n  \"__version\": \"2\",\n  \"jail-information\": {\n"
			       "    \"jail\": []\n  }\n}\n");
	free(s);
}

static char *corpus_names[] = {
	"name", "path", "host.hostname", "devfs_ruleset", "enforce_statfs", "vnet", "persist",
	"allow.raw_sockets", "osrelease", "osreldate", "sysvmsg", "sysvsem", "sysvshm",
	"cpuset.id", "linux.osrelease",
};
static char *corpus_values[] = {
	"demo", "/usr/jail/demo", "demo.lab.net", "5", "1", "new", "false",
	"true", "15.0-RELEASE-p1", "1500068", "disable", "disable", "disable",
	"15", "5.15.0",
};

/* The FreeBSD 15 jail of the corpus, as brig records it: jls -n --libxo
 * json prints the corpus exactly. */
static void test_json_corpus(void **state)
{
	struct jail_def *model = jail_def_from_params("demo", corpus_names, corpus_values,
						      ARRAY_SIZE(corpus_names));
	const struct core_jail demo = {
		.jid = 8, .name = "demo", .hostname = "demo.lab.net", .path = "/usr/jail/demo",
		.state = "running", .def = model,
	};
	char *pretty = jls(&demo, 1, "-n", "--libxo", "json,pretty", NULL);
	char *compact = jls(&demo, 1, "-n", "--libxo", "json", NULL);
	char *canon = python_json(compact, true);
	char want[8192];
	FILE *f = fopen("tests/unit/data/freebsd-15-jls-libxo.json", "r");
	size_t n;

	(void)state;
	assert_non_null(f);
	n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	if (strcmp(pretty, want) != 0) {
		FILE *d = fopen("/tmp/test_fe_jls.pretty", "w");

		fputs(pretty, d);
		fclose(d);
	}
	assert_string_equal(pretty, want);
	assert_string_equal(canon, want);
	jail_def_free(model);
	free(pretty);
	free(compact);
	free(canon);
}

static void test_json_escapes(void **state)
{
	char *ip[] = { "10.0.0.1" };
	char *nm[] = { "exec.start" };
	char *vl[] = { "echo \"hi\"\tthere\\" };
	struct jail_def *d = jail_def_from_params("odd", nm, vl, 1);
	const struct core_jail odd = {
		.jid = 3, .name = "odd", .hostname = "h\"x", .path = "/p\\q",
		.ip4 = ip, .nip4 = 1, .def = d,
	};
	char *s = jls(&odd, 1, "--libxo", "json", "name", "exec.start", "ip4.addr", "host.hostname", NULL);
	char *ok = python_json(s, false);

	(void)state;
	assert_string_equal(ok, "ok\n");
	assert_non_null(strstr(s, "\"exec.start\":\"echo \\\"hi\\\"\\tthere\\\\\""));
	assert_non_null(strstr(s, "\"ip4.addr\": [\"10.0.0.1\"]"));
	free(ok);
	free(s);
	jail_def_free(d);
}

static void test_parse_errors(void **state)
{
	char *argv1[] = { "jls", "-x", NULL };
	char *argv2[] = { "jls", "--libxo", "xml", NULL };
	char *argv3[] = { "jls", "--libxo", NULL };
	struct jls_opts o;
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(jls_parse(2, argv1, &o, &e), -1);
	assert_memory_equal(e.msg, "usage: jls", 10);
	assert_int_equal(jls_parse(3, argv2, &o, &e), -1);
	assert_non_null(strstr(e.msg, "xml"));
	assert_int_equal(jls_parse(2, argv3, &o, &e), -1);
}

static void test_noname(void **state)
{
	char *a = kp_noname("persist");
	char *b = kp_noname("allow.mount.devfs");

	(void)state;
	assert_string_equal(a, "nopersist");
	assert_string_equal(b, "allow.mount.nodevfs");
	free(a);
	free(b);
}

/* The parameter table is in jls's "all" order: top-level names first. */
static void test_table_sorted(void **state)
{
	(void)state;
	for (size_t i = 1; i < kp_count(); i++) {
		const char *a = kp_name(i - 1), *b = kp_name(i);
		bool da = strchr(a, '.') != NULL, db = strchr(b, '.') != NULL;

		assert_true(da == db ? strcmp(a, b) < 0 : !da);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_columns),
		cmocka_unit_test(test_names_instead_of_jids),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_named_params),
		cmocka_unit_test(test_unknown_param),
		cmocka_unit_test(test_nameval),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_all_params),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_flag_order),
		cmocka_unit_test(test_json_default),
		cmocka_unit_test(test_json_forms),
		cmocka_unit_test(test_json_no_jails),
		cmocka_unit_test(test_json_corpus),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_noname),
		cmocka_unit_test(test_table_sorted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
