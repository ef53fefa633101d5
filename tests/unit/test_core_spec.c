/* The model-to-spec step (core/spec.c): what a start reads of a jail's
 * model, each parameter at its default and set; errors name the
 * parameter, with FILE:LINE:COL where it was set. And the model a
 * running jail's state records (core/recorded.c), read back the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sched.h>

#include "conf_helpers.h"
#include "core/jail.h"
#include "core/spec.h"

/* The model of jail j of text (a fresh load each time; ld_free frees). */
static const struct jail_def *model(struct ld *l, const char *text)
{
	LOAD(l, text);
	assert_int_equal(l->rc, 0);
	return jail_set_find(conf_jail_set(l->c), "j");
}

/* spec_build's error for text ("" if it succeeds). */
static char *spec_error(const char *text)
{
	struct ld l;
	struct jspec sp;
	struct brig_err e = { 0 };
	char *msg;

	msg = xstrdup(spec_build(model(&l, text), &sp, &e) < 0 ? e.msg : "");
	spec_free(&sp);
	ld_free(&l);
	return msg;
}

static void assert_error(const char *text, const char *want)
{
	char *msg = spec_error(text);

	if (!strstr(msg, want))
		fail_msg("spec of \"%s\": \"%s\", wanted \"%s\"", text, msg, want);
	free(msg);
}

/* Nothing set but path and persist: every value from the table. */
static void test_defaults(void **state)
{
	struct ld l;
	struct jspec sp;
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(spec_build(model(&l, "j { path = /; persist; }"), &sp, &e), 0);
	assert_string_equal(sp.path, "/");
	assert_string_equal(sp.hostname, "j");		/* host = new */
	assert_true(sp.persist);
	assert_int_equal(sp.stop_timeout, 10);		/* stop.timeout's row */
	assert_int_equal(sp.exec_timeout, 0);
	assert_false(sp.clean);
	assert_null(sp.jail_user);
	assert_null(sp.system_user);
	assert_null(sp.consolelog);
	assert_false(sp.vnet);
	assert_true(sp.own_net);			/* ip4, ip6 unset: not inherit */
	assert_int_equal(sp.nip4 + sp.nip6, 0);
	assert_int_equal(sp.jid, 0);
	assert_false(sp.userns);
	assert_false(sp.socket_af);
	assert_int_equal(sp.nsflags & (CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWUSER), CLONE_NEWUTS | CLONE_NEWNET);
	assert_int_equal(sp.nmounts, 3);		/* path = /: a /dev of brig's, /proc, /sys */
	assert_string_equal(sp.mounts[0].target, "/dev");
	assert_string_equal(sp.mounts[1].target, "/proc");
	spec_free(&sp);
	ld_free(&l);
}

/* Every parameter spec_build reads, set. */
static void test_values(void **state)
{
	struct ld l;
	struct jspec sp, plain;
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(spec_build(model(&l, "j {\n path = /;\n persist;\n stop.timeout = 3;\n"
					  " exec.timeout = 5;\n exec.clean;\n exec.jail_user = u;\n"
					  " exec.system_user = root;\n exec.consolelog = /tmp/log;\n"
					  " host.hostname = h;\n vnet;\n"
					  " ip4.addr = \"em0|10.0.0.2/24\", 10.0.0.3;\n ip6.addr = fd00::2/64;\n"
					  " jid = 7;\n allow.raw_sockets;\n allow.socket_af;\n"
					  " mount.devfs;\n devfs_ruleset = 4;\n"
					  " userns.map = \"100000:65536\";\n}\n"),
				    &sp, &e), 0);
	assert_int_equal(sp.stop_timeout, 3);
	assert_int_equal(sp.exec_timeout, 5);
	assert_true(sp.clean);
	assert_string_equal(sp.jail_user, "u");
	assert_string_equal(sp.system_user, "root");
	assert_string_equal(sp.consolelog, "/tmp/log");
	assert_string_equal(sp.hostname, "h");
	assert_true(sp.vnet);
	assert_true(sp.own_net);
	assert_int_equal(sp.nip4, 2);
	assert_string_equal(sp.ip4[0], "10.0.0.2");
	assert_string_equal(sp.ip4[1], "10.0.0.3");
	assert_int_equal(sp.nip6, 1);
	assert_string_equal(sp.ip6[0], "fd00::2");
	assert_int_equal(sp.jid, 7);
	assert_true(sp.socket_af);
	assert_true(sp.userns);
	assert_int_equal(sp.usermap.uid, 100000);
	assert_int_equal(sp.usermap.gid, 100000);
	assert_int_equal(sp.usermap.count, 65536);
	assert_true(sp.nsflags & CLONE_NEWUSER);
	assert_int_equal(sp.nmounts, 3);
	assert_string_equal(sp.mounts[0].target, "/dev");
	ld_free(&l);
	/* allow.raw_sockets widens the bounding set. */
	assert_int_equal(spec_build(model(&l, "j { path = /; persist; vnet; userns.map = \"100000:65536\"; }"),
				    &plain, &e), 0);
	assert_true(sp.caps != plain.caps);
	spec_free(&plain);
	spec_free(&sp);
	ld_free(&l);
}

/* host = inherit: the host's name; ip4 = inherit: the host's network. */
static void test_inherit(void **state)
{
	struct ld l;
	struct jspec sp;
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(spec_build(model(&l, "j { path = /; persist; host = inherit; ip4 = inherit; }"),
				    &sp, &e), 0);
	assert_null(sp.hostname);
	assert_false(sp.own_net);
	assert_int_equal(sp.nsflags & (CLONE_NEWUTS | CLONE_NEWNET), 0);
	spec_free(&sp);
	ld_free(&l);
	/* No path, as jail(8) allows: the host's / */
	assert_int_equal(spec_build(model(&l, "j { persist; }"), &sp, &e), 0);
	assert_string_equal(sp.path, "/");
	spec_free(&sp);
	ld_free(&l);
}

/* Errors name the parameter, with where it was set when they did. */
static void test_errors(void **state)
{
	(void)state;
	assert_error("j { path = relative; persist; }", "path: \"relative\": not an absolute path");
	assert_error("j { path = /tmp; persist; mount = \"tmpfs /tmp/x tmpfs rw\", \"/usr /tmp nullfs ro\"; }",
		     "mount: entry 2: a mount over the jail's root must be its first mount");
	assert_error("j { path = /; }", "a jail needs persist, exec.start, command or exec.service");
	assert_error("j {\n path = /;\n persist;\n devfs_ruleset = 9;\n}\n",
		     "jail.conf:4:2: devfs_ruleset: ruleset 9 is defined neither by FreeBSD's defaults (1-5) "
		     "nor in a devfs.rules file");
	assert_error("j { path = /; persist; ip4.addr = 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, "
		     "10.0.0.5, 10.0.0.6, 10.0.0.7, 10.0.0.8, 10.0.0.9, 10.0.0.10, 10.0.0.11, "
		     "10.0.0.12, 10.0.0.13, 10.0.0.14, 10.0.0.15, 10.0.0.16, 10.0.0.17; }",
		     "ip4.addr: 17 addresses: at most 16 without vnet");
	assert_error("j { path = /; persist; userns; ip6.addr = fd00::2; }",
		     "userns: needs a network of its own");
	assert_error("j { path = /; persist; userns.map = \"0:10\"; }", "userns.map: \"0:10\": host id 0");
	assert_error("j { path = /; persist; userns; ip4 = inherit; }", "userns: needs a network of its own");
	assert_error("j { path = /; persist; host.hostname = "
		     "\"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\"; }",
		     "host.hostname: \"hhhh");
	assert_error("j { path = /; persist; mount.fstab = /nonexistent/fstab; }", "mount.fstab");
}

/* A jail's model as its state records it comes back the same, a list
 * value holding a comma included; its stop reads it from there. */
static void test_recorded(void **state)
{
	static const char v1[] = "brig-jail-state 1\nname j\nstatus running\n"
				 "param depend x,y\nparam exec.stop echo a,b\nhooks\n"
				 "hook exec.stop echo a,b\n";
	struct ld l;
	struct jstate st = { 0 }, back;
	struct strbuf text = STRBUF_INIT;
	struct brig_err e = { 0 };
	struct jspec sp = { 0 };
	const struct jail_def *d, *r;

	(void)state;
	d = model(&l, "j { path = /; persist; stop.timeout = 4; exec.stop = \"echo a,b\", \"/bin/true\";"
		      " depend = x, y; exec.restart = always:2; noboot; }");
	st.name = xstrdup("j");
	jail_record(&st, d);
	state_format(&st, &text);
	assert_int_equal(state_parse(text.s, &back, &e), 0);
	r = jail_recorded_def(&back);
	assert_null(jail_def_differs(d, r));
	assert_false(jd_on(r, JP_BOOT));
	assert_int_equal(r->restart, CONF_RESTART_ALWAYS);
	assert_int_equal(r->restart_max, 2);
	assert_string_equal(r->p[JP_EXEC_STOP]->v[0], "echo a,b");
	spec_runtime(r, &sp);
	assert_int_equal(sp.stop_timeout, 4);
	assert_true(sp.persist);
	state_free(&back);
	/* A state of the brig before (version 1) that recorded only the stop
	 * hooks' values one a line: the other lists from their joined
	 * "param" line. */
	assert_int_equal(state_parse(v1, &back, &e), 0);
	r = jail_recorded_def(&back);
	assert_int_equal(r->p[JP_DEPEND]->n, 2);
	assert_string_equal(r->p[JP_DEPEND]->v[1], "y");
	assert_int_equal(r->p[JP_EXEC_STOP]->n, 1);
	assert_string_equal(r->p[JP_EXEC_STOP]->v[0], "echo a,b");
	assert_int_equal(jd_int(r, JP_STOP_TIMEOUT), 10);
	state_free(&back);
	state_free(&st);
	sb_free(&text);
	ld_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_inherit),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_recorded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
