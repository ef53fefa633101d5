/* Unit tests for core/: the state file, JID allocation, hook splitting,
 * environments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/jid.h"
#include "core/state.h"
#include "util/mem.h"
#include "util/strbuf.h"

static void test_state_round_trip(void **state)
{
	struct jstate s = { 0 }, r;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct brig_err e = { 0 };

	(void)state;
	s.name = xstrdup("web");
	s.jid = 3;
	s.status = xstrdup("running");
	s.init_pid = 1234;
	s.init_start = 987654321ULL;
	s.nsflags = 0x6c020000;
	s.caps = 0xa00425fbULL;
	s.socket_af = true;
	s.hostname = xstrdup("web.example");
	s.path = xstrdup("/jails/with space");
	s.userns_uid = 1065536;
	s.userns_gid = 2065536;
	s.userns_count = 65536;
	state_add_addr(&s.ip4, &s.nip4, "10.0.0.2");
	state_add_addr(&s.ip6, &s.nip6, "fd00::2");
	state_add_param(&s, "exec.start", "/bin/sh /etc/rc\nsecond line \\ backslash");
	state_add_param(&s, "persist", "true");
	state_add_hook(&s, "exec.stop", "echo a,b > /tmp/x");
	state_add_hook(&s, "exec.stop", "/bin/sh /etc/rc.shutdown");
	state_add_obj(&s, "cgroup", "/sys/fs/cgroup/pids/brig/web");
	state_add_obj(&s, "veth", "epair3a");
	state_format(&s, &a);
	assert_non_null(strstr(a.s, "\nhooks\nhook exec.stop echo a,b > /tmp/x\nhook exec.stop /bin/sh"));
	assert_non_null(strstr(a.s, "\nparam exec.start /bin/sh /etc/rc\\nsecond line \\\\ backslash\n"));
	assert_int_equal(state_parse(a.s, &r, &e), 0);
	state_format(&r, &b);
	assert_string_equal(a.s, b.s);
	assert_string_equal(state_param(&r, "exec.start"), "/bin/sh /etc/rc\nsecond line \\ backslash");
	assert_int_equal(r.init_start, 987654321ULL);
	assert_int_equal(r.caps, 0xa00425fbULL);
	assert_true(r.socket_af);
	assert_int_equal(r.nobjs, 2);
	assert_string_equal(r.objs[1].kind, "veth");
	assert_string_equal(r.path, "/jails/with space");
	assert_non_null(strstr(a.s, "\nuserns 1065536 2065536 65536\n"));
	assert_int_equal(r.userns_uid, 1065536);
	assert_int_equal(r.userns_gid, 2065536);
	assert_int_equal(r.userns_count, 65536);
	assert_null(state_param(&r, "nosuch"));
	/* One command per hook line: a comma stays inside its command. */
	assert_true(r.hooks);
	assert_int_equal(r.nhooks, 2);
	assert_string_equal(r.hvalues[0], "echo a,b > /tmp/x");
	state_free(&r);
	state_free(&s);
	sb_free(&a);
	sb_free(&b);
}

static void test_state_bad(void **state)
{
	struct brig_err e = { 0 };
	struct jstate r;

	(void)state;
	assert_int_equal(state_parse("brig-jail-state 2\nname x\n", &r, &e), -1);
	assert_string_equal(e.msg, "not a brig state file (version 1)");
	assert_int_equal(state_parse("brig-jail-state 1\njid 1\n", &r, &e), -1);
	assert_string_equal(e.msg, "incomplete state file");
	assert_int_equal(state_parse("brig-jail-state 1\nname x\nstatus running\ninit x\n", &r, &e), -1);
	/* Unknown keys (a newer brig) are ignored. */
	assert_int_equal(state_parse("brig-jail-state 1\nname x\nstatus running\nfuture 1\n", &r, &e), 0);
	/* A state without the line (an older brig): no allow.socket_af. */
	assert_false(r.socket_af);
	state_free(&r);
}

static void test_state_file(void **state)
{
	char dir[] = "/tmp/brig-test-state.XXXXXX";
	struct brig_err e = { 0 };
	struct jstate s = { 0 }, r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(state_read(dir, &r, &e), 0);
	s.name = xstrdup("a");
	s.status = xstrdup("starting");
	assert_int_equal(state_write(dir, &s, &e), 0);
	assert_int_equal(state_read(dir, &r, &e), 1);
	assert_string_equal(r.status, "starting");
	state_free(&r);
	assert_int_equal(state_remove(dir, &e), 0);
	assert_int_equal(state_remove(dir, &e), 0);
	assert_int_equal(state_read(dir, &r, &e), 0);
	state_free(&s);
	rmdir(dir);
}

static void test_jid_lowest_free(void **state)
{
	int none[1] = { 0 };
	int used[] = { 1, 2, 4 };
	int gaps[] = { 7, 3, 2 };
	int full[] = { 3, 1, 2 };

	(void)state;
	assert_int_equal(jid_lowest_free(none, 0), 1);
	assert_int_equal(jid_lowest_free(used, 3), 3);
	assert_int_equal(jid_lowest_free(gaps, 3), 1);
	assert_int_equal(jid_lowest_free(full, 3), 4);
}

/* jid_take's record: the jail's state, as jid_assign writes it. */
static int record_jid(void *ctx, int jid, struct brig_err *e)
{
	const char *name = ctx;
	cleanup_free char *dir = xasprintf("%s/%s", getenv("BRIG_RUNDIR"), name);
	struct jstate s = { 0 };
	int r;

	mkdir(dir, 0700);
	s.name = xstrdup(name);
	s.status = xstrdup("running");
	s.jid = jid;
	r = state_write(dir, &s, e);
	state_free(&s);
	return r;
}

static int take(const char *name, int want)
{
	struct brig_err e = { 0 };

	return jid_take(name, want, record_jid, (void *)name, &e);
}

/* A jail's state goes, and its marker with it. */
static void release(const char *name, int jid)
{
	cleanup_free char *dir = xasprintf("%s/%s", getenv("BRIG_RUNDIR"), name);
	struct brig_err e = { 0 };

	struct jstate st = { .name = (char *)name, .jid = jid };

	assert_int_equal(jid_state_remove(dir, &st, &e), 0);
	rmdir(dir);
}

static bool marker_is(int jid, const char *name)
{
	cleanup_free char *path = xasprintf("%s/.jid/%d", getenv("BRIG_RUNDIR"), jid);
	char buf[64];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return name == NULL;
	buf[n] = '\0';
	return name && strcmp(buf, name) == 0;
}

static void rm_rundir(const char *dir)
{
	cleanup_free char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
}

/* Markers (.jid/N): the lowest free JID, an explicit one honoured and a
 * taken one refused, without reading other jails' states. */
static void test_jid_markers(void **state)
{
	char dir[] = "/tmp/brig-test-jid.XXXXXX";
	struct brig_err e = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("BRIG_RUNDIR", dir, 1);
	unsetenv("BRIG_FAULT");
	assert_int_equal(take("a", 0), 1);
	assert_int_equal(take("b", 0), 2);
	assert_int_equal(take("c", 0), 3);
	assert_true(marker_is(2, "b"));
	release("b", 2);
	assert_true(marker_is(2, NULL));
	assert_true(marker_is(3, "c"));
	/* Lowest first, as FreeBSD. */
	assert_int_equal(take("d", 0), 2);
	/* Explicit: honoured past the others, refused when taken. */
	assert_int_equal(take("e", 10), 10);
	assert_int_equal(jid_take("f", 10, record_jid, (void *)"f", &e), -1);
	assert_non_null(strstr(e.msg, "jid 10: in use by another jail (e)"));
	assert_int_equal(take("f", 0), 4);
	/* Another jail's marker is not released with a state of the same
	 * JID (a stale record): only the owner's. */
	release("a", 1);
	assert_int_equal(take("g", 0), 1);
	{
		cleanup_free char *adir = xasprintf("%s/a", dir);

		struct jstate st = { .name = (char *)"a", .jid = 1 };

		assert_int_equal(jid_state_remove(adir, &st, &e), 0);
	}
	assert_true(marker_is(1, "g"));
	{
		cleanup_free char *pending = xasprintf("%s/.jid/.pending", dir);

		assert_true(access(pending, F_OK) < 0);
	}
	rm_rundir(dir);
}

/* A brig killed between marker and state leaves .pending: the next one
 * rebuilds the markers from the states, so a marker with no state is
 * reclaimed and a state with no marker (a brig without markers) counts. */
static void test_jid_markers_stale(void **state)
{
	char dir[] = "/tmp/brig-test-jid.XXXXXX";
	cleanup_free char *pending = NULL, *ghost = NULL, *mdir = NULL;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("BRIG_RUNDIR", dir, 1);
	unsetenv("BRIG_FAULT");
	assert_int_equal(take("a", 0), 1);
	assert_int_equal(take("b", 0), 2);
	/* Killed after its marker, before its state: 3 -> "ghost". */
	pending = xasprintf("%s/.jid/.pending", dir);
	ghost = xasprintf("%s/.jid/3", dir);
	fd = open(pending, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlink("ghost", ghost), 0);
	/* Killed after "a"'s state went, before its marker did. */
	{
		cleanup_free char *adir = xasprintf("%s/a", dir);
		struct brig_err e = { 0 };

		assert_int_equal(state_remove(adir, &e), 0);
	}
	assert_int_equal(take("c", 0), 1);
	assert_true(marker_is(1, "c"));
	assert_true(marker_is(2, "b"));
	assert_int_equal(take("d", 0), 3);
	assert_true(marker_is(3, "d"));
	assert_true(access(pending, F_OK) < 0);
	/* No markers at all (a run dir of an older brig): the states say. */
	mdir = xasprintf("rm -rf '%s/.jid'", dir);
	assert_int_equal(system(mdir), 0);
	assert_int_equal(take("e", 0), 4);
	assert_true(marker_is(1, "c"));
	assert_true(marker_is(2, "b"));
	assert_true(marker_is(3, "d"));
	assert_int_equal(take("f", 2), -1);
	rm_rundir(dir);
}

static void assert_argv(char **v, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
	hook_argv_free(v);
}

static void test_hook_argv(void **state)
{
	(void)state;
	assert_argv(hook_argv("/bin/sh /etc/rc"), (const char *const[]){ "/bin/sh", "/etc/rc", NULL });
	assert_argv(hook_argv("  ifconfig\tlo0  up \n"), (const char *const[]){ "ifconfig", "lo0", "up", NULL });
	assert_argv(hook_argv("echo $JNAME >> /log"),
		    (const char *const[]){ "/bin/sh", "-c", "echo $JNAME >> /log", NULL });
	assert_argv(hook_argv("a;b"), (const char *const[]){ "/bin/sh", "-c", "a;b", NULL });
	assert_argv(hook_argv("sleep 2 &"), (const char *const[]){ "/bin/sh", "-c", "sleep 2 &", NULL });
	assert_argv(hook_argv("x=1"), (const char *const[]){ "x=1", NULL });
	assert_argv(hook_argv("   "), (const char *const[]){ NULL });
}

static bool has(char **env, const char *var)
{
	for (; env && *env; env++)
		if (strcmp(*env, var) == 0)
			return true;
	return false;
}

static void test_env(void **state)
{
	char **v;

	(void)state;
	setenv("TERM", "xterm", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_TIME", "C", 1);
	setenv("SECRET", "x", 1);
	setenv("JID", "99", 1);
	v = env_jail(false);
	assert_true(has(v, "TERM=xterm"));
	assert_true(has(v, "LANG=C.UTF-8"));
	assert_true(has(v, "LC_TIME=C"));
	assert_false(has(v, "SECRET=x"));
	assert_true(has(v, "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"));
	env_free(v);
	v = env_jail(true);
	assert_true(has(v, "TERM=xterm"));
	assert_false(has(v, "LANG=C.UTF-8"));
	env_free(v);
	v = env_host(false, 3, "web", "/j/web");
	assert_true(has(v, "SECRET=x"));
	assert_true(has(v, "JID=3"));
	assert_false(has(v, "JID=99"));
	assert_true(has(v, "JNAME=web"));
	assert_true(has(v, "JPATH=/j/web"));
	env_free(v);
	v = env_host(true, 0, "web", "/j/web");
	assert_false(has(v, "SECRET=x"));
	assert_false(has(v, "JID=99"));
	assert_true(has(v, "PATH=/sbin:/bin:/usr/sbin:/usr/bin"));
	env_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_bad),
		cmocka_unit_test(test_state_file),
		cmocka_unit_test(test_jid_lowest_free),
		cmocka_unit_test(test_jid_markers),
		cmocka_unit_test(test_jid_markers_stale),
		cmocka_unit_test(test_hook_argv),
		cmocka_unit_test(test_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
