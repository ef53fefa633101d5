/* Unit tests for core/: the state file, JID allocation, hook splitting,
 * environments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
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

/* A state with every field set, and every kind of object. */
static void full_state(struct jstate *s)
{
	char *list[] = { "/bin/sh /etc/rc", "echo \"a,b\" \\ back\nslash", "é ☃" };

	memset(s, 0, sizeof(*s));
	s->name = xstrdup("web");
	s->jid = 3;
	s->status = JSTATUS_STOPPING;
	s->init_pid = 1234;
	s->init_start = 987654321987ULL;
	s->nsflags = 0x6c020000;
	s->caps = 0x1ffffffffffULL;
	s->socket_af = true;
	s->hostname = xstrdup("web.example");
	s->path = xstrdup("/jails/with space");
	s->userns_uid = 4000000000u;
	s->userns_gid = 2065536;
	s->userns_count = 65536;
	state_add_addr(&s->ip4, &s->nip4, "10.0.0.2");
	state_add_addr(&s->ip4, &s->nip4, "10.0.1.2");
	state_add_addr(&s->ip6, &s->nip6, "fd00::2");
	{
		char *names[] = { "host.hostname", "persist", "exec.start", "exec.start", "exec.start",
				  "depend", "exec.prestop", "exec.stop", "exec.stop", "stop.timeout" };
		char *values[] = { "web\nsecond line \\ backslash \"quoted\"", "true", list[0], list[1],
				   list[2], NULL, "true", "echo a,b > /tmp/x", "/bin/sh /etc/rc.shutdown", "7" };

		s->def = jail_def_from_params("web", names, values, ARRAY_SIZE(names));
	}
	for (int k = 0; k < JOBJ__COUNT; k++) {
		cleanup_free char *id = xasprintf("id of %s", jobj_kind_names[k]);

		state_add_obj(s, (enum jobj_kind)k, id);
	}
}

static void assert_strv(char **v, size_t n, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(v[i], want[i]);
	}
	assert_int_equal(n, i);
}

static void test_state_round_trip(void **state)
{
	struct jstate s, r;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct brig_err e = { 0 };

	(void)state;
	full_state(&s);
	state_format(&s, &a);
	/* Versioned; lists as arrays, not joined. */
	assert_true(strncmp(a.s, "{\n  \"brig-jail-state\": 2,\n", 26) == 0);
	assert_non_null(strstr(a.s, "\"exec.start\": [\n        \"/bin/sh /etc/rc\",\n"));
	assert_non_null(strstr(a.s, "\"exec.stop\": [\n        \"echo a,b > /tmp/x\",\n"));
	assert_non_null(strstr(a.s, "\"stop.timeout\": 7"));
	assert_non_null(strstr(a.s, "\"kind\": \"veth\""));
	assert_non_null(strstr(a.s, "\"status\": \"stopping\""));
	assert_int_equal(state_parse(a.s, &r, &e), 0);
	state_format(&r, &b);
	assert_string_equal(a.s, b.s);

	assert_string_equal(r.name, "web");
	assert_int_equal(r.jid, 3);
	assert_int_equal(r.status, JSTATUS_STOPPING);
	assert_int_equal(r.init_pid, 1234);
	assert_int_equal(r.init_start, 987654321987ULL);
	assert_int_equal(r.nsflags, 0x6c020000);
	assert_int_equal(r.caps, 0x1ffffffffffULL);
	assert_true(r.socket_af);
	assert_string_equal(r.hostname, "web.example");
	assert_string_equal(r.path, "/jails/with space");
	assert_int_equal(r.userns_uid, 4000000000u);
	assert_int_equal(r.userns_gid, 2065536);
	assert_int_equal(r.userns_count, 65536);
	assert_strv(r.ip4, r.nip4, (const char *const[]){ "10.0.0.2", "10.0.1.2", NULL });
	assert_strv(r.ip6, r.nip6, (const char *const[]){ "fd00::2", NULL });
	/* The model, typed: lists as lists, a comma inside a value stays. */
	{
		const struct jail_def *d = r.def;
		size_t n;
		char *const *v;

		assert_non_null(d);
		assert_null(jail_def_differs(s.def, d));
		assert_string_equal(jd_str(d, JP_HOST_HOSTNAME), "web\nsecond line \\ backslash \"quoted\"");
		assert_true(jd_on(d, JP_PERSIST));
		assert_int_equal(jd_int(d, JP_STOP_TIMEOUT), 7);
		v = jd_list(d, JP_EXEC_START, &n);
		assert_int_equal(n, 3);
		assert_string_equal(v[1], "echo \"a,b\" \\ back\nslash");
		assert_true(jd_set(d, JP_DEPEND));
		assert_int_equal(d->p[JP_DEPEND]->n, 0);
		v = jd_list(d, JP_EXEC_STOP, &n);
		assert_int_equal(n, 2);
		assert_string_equal(v[0], "echo a,b > /tmp/x");
		assert_false(jd_set(d, JP_EXEC_POSTSTOP));
	}
	assert_int_equal(r.nobjs, JOBJ__COUNT);
	for (int k = 0; k < JOBJ__COUNT; k++) {
		cleanup_free char *id = xasprintf("id of %s", jobj_kind_names[k]);

		assert_int_equal(r.objs[k].kind, k);
		assert_string_equal(r.objs[k].id, id);
	}
	state_free(&r);
	state_free(&s);
	sb_free(&a);
	sb_free(&b);
}

/* The least a state holds: no hooks recorded stays so, no userns, no
 * socket_af. */
static void test_state_minimal(void **state)
{
	struct jstate s = { 0 }, r;
	struct strbuf a = STRBUF_INIT;
	struct brig_err e = { 0 };

	(void)state;
	s.name = xstrdup("a");
	state_format(&s, &a);
	assert_null(strstr(a.s, "\"jail\""));
	assert_null(strstr(a.s, "userns"));
	assert_int_equal(state_parse(a.s, &r, &e), 0);
	assert_int_equal(r.status, JSTATUS_STARTING);
	assert_false(r.socket_af);
	assert_int_equal(r.userns_count, 0);
	assert_int_equal(r.nobjs + r.nip4 + r.nip6, 0);
	/* No model recorded: the jail at the table's defaults. */
	assert_non_null(r.def);
	assert_false(jd_set(r.def, JP_PERSIST));
	assert_int_equal(jd_int(r.def, JP_STOP_TIMEOUT), 10);
	state_free(&r);
	state_free(&s);
	sb_free(&a);
}

/* A state written by the brig before (version 1): a jail it started runs
 * on across an upgrade, and is read as it was. */
static void test_state_v1(void **state)
{
	static const char v1[] =
		"brig-jail-state 1\n"
		"name web\n"
		"jid 3\n"
		"status running\n"
		"init 1234 987654321\n"
		"ns 0x6c020000\n"
		"caps 0xa00425fb\n"
		"socket_af 1\n"
		"hostname web.example\n"
		"path /jails/with space\n"
		"userns 1065536 2065536 65536\n"
		"ip4 10.0.0.2\n"
		"ip6 fd00::2\n"
		"param exec.start /bin/sh /etc/rc\\nsecond line \\\\ backslash\n"
		"param persist true\n"
		"hooks\n"
		"hook exec.stop echo a,b > /tmp/x\n"
		"hook exec.stop /bin/sh /etc/rc.shutdown\n"
		"obj cgroup /sys/fs/cgroup/brig/web\n"
		"obj veth epair3a\n"
		"obj nft jail:web\n";
	struct jstate r, r2;
	struct strbuf a = STRBUF_INIT;
	struct brig_err e = { 0 };
	size_t n;

	(void)state;
	assert_int_equal(state_parse(v1, &r, &e), 0);
	assert_string_equal(r.name, "web");
	assert_int_equal(r.jid, 3);
	assert_int_equal(r.status, JSTATUS_RUNNING);
	assert_int_equal(r.init_pid, 1234);
	assert_int_equal(r.init_start, 987654321ULL);
	assert_int_equal(r.nsflags, 0x6c020000);
	assert_int_equal(r.caps, 0xa00425fbULL);
	assert_true(r.socket_af);
	assert_string_equal(r.hostname, "web.example");
	assert_string_equal(r.path, "/jails/with space");
	assert_int_equal(r.userns_uid, 1065536);
	assert_int_equal(r.userns_gid, 2065536);
	assert_int_equal(r.userns_count, 65536);
	assert_strv(r.ip4, r.nip4, (const char *const[]){ "10.0.0.2", NULL });
	assert_strv(r.ip6, r.nip6, (const char *const[]){ "fd00::2", NULL });
	assert_string_equal(jd_list(r.def, JP_EXEC_START, &n)[0], "/bin/sh /etc/rc\nsecond line \\ backslash");
	assert_int_equal(n, 1);
	assert_true(jd_on(r.def, JP_PERSIST));
	jd_list(r.def, JP_EXEC_STOP, &n);
	assert_strv((char **)r.def->p[JP_EXEC_STOP]->v, n,
		    (const char *const[]){ "echo a,b > /tmp/x", "/bin/sh /etc/rc.shutdown", NULL });
	assert_int_equal(r.nobjs, 3);
	assert_int_equal(r.objs[0].kind, JOBJ_CGROUP);
	assert_int_equal(r.objs[1].kind, JOBJ_VETH);
	assert_int_equal(r.objs[2].kind, JOBJ_NFT);
	assert_string_equal(r.objs[2].id, "jail:web");
	/* Written back as version 2, it reads the same. */
	state_format(&r, &a);
	assert_int_equal(state_parse(a.s, &r2, &e), 0);
	assert_null(jail_def_differs(r.def, r2.def));
	assert_int_equal(r2.nobjs, 3);
	assert_int_equal(r2.status, JSTATUS_RUNNING);
	state_free(&r2);
	state_free(&r);
	sb_free(&a);
}

/* parse must fail with this message (a substring of it). */
static void bad(const char *text, const char *msg)
{
	struct brig_err e = { 0 };
	struct jstate r;

	assert_int_equal(state_parse(text, &r, &e), -1);
	if (!strstr(e.msg, msg))
		fail_msg("parsing [%s]: expected [%s] in [%s]", text, msg, e.msg);
}

static void test_state_bad(void **state)
{
	struct brig_err e = { 0 };
	struct jstate s, r;
	struct strbuf a = STRBUF_INIT;

	(void)state;
	/* Version 1. */
	bad("brig-jail-state 1\njid 1\n", "incomplete state file");
	bad("brig-jail-state 1\nname x\nstatus running\ninit x\n", "bad init line");
	bad("brig-jail-state 1\nname x\nstatus sleeping\n", "unknown status \"sleeping\"");
	bad("brig-jail-state 1\nname x\nstatus running\nobj socket 3\n", "unknown object kind \"socket\"");
	/* Unknown keys (a newer brig) are ignored. */
	assert_int_equal(state_parse("brig-jail-state 1\nname x\nstatus running\nfuture 1\n", &r, &e), 0);
	/* A state without the line (an older brig): no allow.socket_af. */
	assert_false(r.socket_af);
	state_free(&r);

	/* Version 2. */
	bad("", "line 1, column 0: ");
	bad("brig-jail-state 2\nname x\n", "line 1, column ");
	bad("[]", "not a brig state file");
	bad("{\"name\": \"x\", \"status\": \"running\"}", "not a brig state file");
	bad("{\"brig-jail-state\": \"2\"}", "not a brig state file");
	bad("{\"brig-jail-state\": 3, \"name\": \"x\"}", "state file version 3: this brig reads versions 1 and 2");
	bad("{\"brig-jail-state\": 2, \"status\": \"running\"}", "incomplete state file: \"name\": missing");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\"}", "incomplete state file: \"status\": missing");
	bad("{\"brig-jail-state\": 2, \"name\": 1, \"status\": \"running\"}", "\"name\": not a string");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"sleeping\"}", "unknown status \"sleeping\"");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"name\": \"y\", \"status\": \"running\"}", "duplicate");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"jid\": -1}", "\"jid\": -1 out of range");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"jid\": 1.5}", "\"jid\": not an integer");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"ns\": \"12\"}", "\"ns\": \"12\" is not a mask");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"ns\": \"0x100000000\"}", "is not a mask");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"init\": {\"pid\": \"1\"}}",
	    "\"init\": \"pid\": not an integer");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"userns\": {\"uid\": 4294967296}}",
	    "\"userns\": \"uid\": 4294967296 out of range");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"socket_af\": 1}",
	    "\"socket_af\": not true or false");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"ip4\": [1]}",
	    "\"ip4\": item 0 is not a string");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"jail\": 1}",
	    "\"jail\"");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"jail\": {\"name\": \"x\"}}",
	    "\"jail\": recorded jail: no name or no params");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", "
	    "\"jail\": {\"name\": \"x\", \"params\": {\"a\": 1}}}",
	    "recorded jail x: a: unknown parameter");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", "
	    "\"jail\": {\"name\": \"x\", \"params\": {\"exec.stop\": [null]}}}",
	    "recorded jail x: exec.stop: a list item that is not a string");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", "
	    "\"jail\": {\"name\": \"x\", \"params\": {\"persist\": \"true\"}}}",
	    "recorded jail x: persist: not a boolean");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", \"objects\": [{\"kind\": \"veth\"}]}",
	    "\"objects\": item 0: \"id\": missing");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"running\", "
	    "\"objects\": [{\"kind\": \"socket\", \"id\": \"3\"}]}",
	    "\"objects\": item 0: unknown kind \"socket\"");
	bad("{\"brig-jail-state\": 2, \"name\": \"x\\u0000y\", \"status\": \"running\"}", "NUL");
	/* Unknown members (a newer brig of the same version) are ignored. */
	assert_int_equal(state_parse("{\"brig-jail-state\": 2, \"name\": \"x\", \"status\": \"dead\", \"future\": [1]}",
				     &r, &e), 0);
	assert_int_equal(r.status, JSTATUS_DEAD);
	state_free(&r);

	/* Every truncation of a full state is an error, never a crash or
	 * a state with less in it (ASan watches). */
	full_state(&s);
	state_format(&s, &a);
	for (size_t len = 0; len + 1 < a.len; len++) {
		cleanup_free char *cut = xstrndup(a.s, len);

		assert_int_equal(state_parse(cut, &r, &e), -1);
	}
	state_free(&s);
	sb_free(&a);
}

/* Every status and every kind has its one name, and it reads back. */
static void test_state_names(void **state)
{
	(void)state;
	for (int i = 0; i < JSTATUS__COUNT; i++) {
		assert_non_null(jstatus_names[i]);
		assert_int_equal(jstatus_find(jstatus_names[i]), i);
	}
	assert_int_equal(jstatus_find("nosuch"), -1);
	for (int k = 0; k < JOBJ__COUNT; k++) {
		assert_non_null(jobj_kind_names[k]);
		assert_int_equal(jobj_kind_find(jobj_kind_names[k]), k);
	}
	assert_int_equal(jobj_kind_find("nosuch"), -1);
	/* The names of the files of running jails: never to change. */
	assert_string_equal(jstatus_names[JSTATUS_RUNNING], "running");
	assert_string_equal(jobj_kind_names[JOBJ_CGROUP], "cgroup");
	assert_string_equal(jobj_kind_names[JOBJ_NFT], "nft");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_state_file(void **state)
{
	char dir[] = "/tmp/brig-test-state.XXXXXX";
	struct brig_err e = { 0 };
	struct jstate s = { 0 }, r;
	cleanup_free char *path = NULL, *want = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/state", dir);
	assert_int_equal(state_read(dir, &r, &e), 0);
	s.name = xstrdup("a");
	s.status = JSTATUS_STARTING;
	assert_int_equal(state_write(dir, &s, &e), 0);
	assert_int_equal(state_read(dir, &r, &e), 1);
	assert_int_equal(r.status, JSTATUS_STARTING);
	state_free(&r);
	/* A version 1 file on disk. */
	write_file(path, "brig-jail-state 1\nname a\nstatus running\n");
	assert_int_equal(state_read(dir, &r, &e), 1);
	assert_int_equal(r.status, JSTATUS_RUNNING);
	state_free(&r);
	/* A damaged one: the error names the file. */
	write_file(path, "{\"brig-jail-state\": 2, \"name\": \"a\", \"sta");
	assert_int_equal(state_read(dir, &r, &e), -1);
	want = xasprintf("state %s: line 1, column ", path);
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(state_remove(dir, &e), 0);
	assert_int_equal(state_remove(dir, &e), 0);
	assert_int_equal(state_read(dir, &r, &e), 0);
	/* Not a file at all. */
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(state_read(dir, &r, &e), -1);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "a directory, not a regular file"));
	rmdir(path);
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
	s.status = JSTATUS_RUNNING;
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
	cleanup_free char *old_rundir = NULL;
	char **v;

	(void)state;
	setenv("TERM", "xterm", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_TIME", "C", 1);
	setenv("SECRET", "x", 1);
	setenv("JID", "99", 1);
	old_rundir = getenv("BRIG_RUNDIR") ? xstrdup(getenv("BRIG_RUNDIR")) : NULL;
	setenv("BRIG_RUNDIR", "/r", 1);
	v = env_jail(false, NULL);
	assert_true(has(v, "TERM=xterm"));
	assert_true(has(v, "LANG=C.UTF-8"));
	assert_true(has(v, "LC_TIME=C"));
	assert_false(has(v, "SECRET=x"));
	assert_true(has(v, "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"));
	env_free(v);
	v = env_jail(true, NULL);
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
	assert_true(has(v, "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"));
	/* A hook's jexec finds the jails of the brig that runs it. */
	assert_true(has(v, "BRIG_RUNDIR=/r"));
	env_free(v);
	v = env_jail(true, NULL);
	assert_false(has(v, "BRIG_RUNDIR=/r"));
	env_free(v);
	if (old_rundir)
		setenv("BRIG_RUNDIR", old_rundir, 1);
	else
		unsetenv("BRIG_RUNDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_minimal),
		cmocka_unit_test(test_state_v1),
		cmocka_unit_test(test_state_bad),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_state_file),
		cmocka_unit_test(test_jid_lowest_free),
		cmocka_unit_test(test_jid_markers),
		cmocka_unit_test(test_jid_markers_stale),
		cmocka_unit_test(test_hook_argv),
		cmocka_unit_test(test_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
