/* The typed model: every parameter of the table by id, parsed into its
 * type, defaults for unset ones, positions, and the JSON round trip the
 * state of a running jail relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "conf/model.h"
#include "conf_helpers.h"
#include "util/json.h"

/* The table is sorted (conf_pdef_find searches it) and the ids index it. */
static void test_table_ids(void **state)
{
	(void)state;
	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct conf_pdef *r = conf_jparam((enum jparam)id);

		assert_ptr_equal(conf_pdef_find(CONF_SCHEMA_JAILS, r->name), r);
		if (id > 0)
			assert_true(strcmp(conf_jparam((enum jparam)(id - 1))->name, r->name) < 0);
	}
	assert_string_equal(jd_name(JP_STOP_TIMEOUT), "stop.timeout");
	assert_string_equal(jd_name(JP_IP4_ADDR), "ip4.addr");
}

/* Unset: the table's default, typed; not marked set. */
static void test_defaults(void **state)
{
	struct ld l;
	const struct jail_def *d;

	(void)state;
	assert_int_equal(LOAD(&l, "j { path = /; persist; }"), 0);
	d = jail_set_find(conf_jail_set(l.c), "j");
	assert_non_null(d);
	assert_int_equal(jd_int(d, JP_STOP_TIMEOUT), 10);
	assert_false(jd_set(d, JP_STOP_TIMEOUT));
	assert_int_equal(jd_int(d, JP_EXEC_TIMEOUT), 0);
	assert_true(jd_on(d, JP_HOST));		/* host = new */
	assert_false(jd_on(d, JP_VNET));	/* vnet = inherit */
	assert_int_equal(jd_int(d, JP_VNET), JSYS_INHERIT);
	assert_true(jd_on(d, JP_BOOT));
	assert_true(jd_on(d, JP_VNET_SPOOFCHECK));
	assert_false(jd_on(d, JP_ALLOW_RAW_SOCKETS));
	assert_null(jd_str(d, JP_IP4));		/* computed by its readers */
	assert_null(jd_str(d, JP_EXEC_JAIL_USER));
	assert_int_equal(d->p[JP_EXEC_START]->n, 0);
	assert_non_null(d->p[JP_EXEC_START]->v);
	assert_null(d->p[JP_EXEC_START]->v[0]);
	assert_true(jd_on(d, JP_PERSIST));
	assert_int_equal(d->restart, CONF_RESTART_NO);
	ld_free(&l);
}

/* Every row's default is of its row's type: a model can be made at all. */
static void test_every_default(void **state)
{
	struct ld l;
	const struct jail_def *d;

	(void)state;
	assert_int_equal(LOAD(&l, "j { path = /; persist; }"), 0);
	d = conf_jail_set(l.c)->v[0];
	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct conf_pdef *r = conf_jparam((enum jparam)id);

		if (r->dflt && r->type != CONF_LIST && id != JP_PERSIST && id != JP_PATH)
			assert_string_equal(d->p[id]->s, r->dflt);
	}
	ld_free(&l);
}

/* Set values: every form jail.conf has, parsed once into the type. */
static void test_values(void **state)
{
	struct ld l;
	const struct jail_def *d;

	(void)state;
	assert_int_equal(LOAD(&l, "j {\n path = /j;\n stop.timeout = 3;\n vnet;\n"
				  " allow.raw_sockets = 1;\n host = inherit;\n"
				  " ip4.addr = \"em0|10.0.0.2/24\", 10.0.0.3;\n"
				  " exec.start = \"/bin/sh /etc/rc\";\n exec.start += \"\";\n"
				  " exec.restart = on-failure:3;\n persist;\n}\n"), 0);
	d = jail_set_find(conf_jail_set(l.c), "j");
	assert_string_equal(jd_str(d, JP_PATH), "/j");
	assert_int_equal(jd_int(d, JP_STOP_TIMEOUT), 3);
	assert_true(jd_set(d, JP_STOP_TIMEOUT));
	assert_string_equal(d->p[JP_STOP_TIMEOUT]->at.file, "jail.conf");
	assert_int_equal(d->p[JP_STOP_TIMEOUT]->at.line, 3);
	assert_true(jd_on(d, JP_VNET));
	assert_true(jd_on(d, JP_ALLOW_RAW_SOCKETS));
	assert_false(jd_on(d, JP_HOST));
	assert_int_equal(jd_int(d, JP_HOST), JSYS_INHERIT);
	assert_int_equal(d->nip4, 2);
	assert_string_equal(d->ip4[0].iface, "em0");
	assert_string_equal(d->ip4[0].addr, "10.0.0.2/24");
	assert_string_equal(d->ip4[0].bare, "10.0.0.2");
	assert_null(d->ip4[1].iface);
	assert_string_equal(d->ip4[1].bare, "10.0.0.3");
	assert_int_equal(d->p[JP_EXEC_START]->n, 1);	/* the empty command is dropped */
	assert_int_equal(d->restart, CONF_RESTART_ON_FAILURE);
	assert_int_equal(d->restart_max, 3);
	ld_free(&l);
}

/* The model outlives its configuration. */
static void test_own_memory(void **state)
{
	struct ld l;
	struct jail_def *d;

	(void)state;
	assert_int_equal(LOAD(&l, "j { path = /j; exec.start = x; mount.devfs; }"), 0);
	d = jail_def_build(&l.c->jails[0]);
	ld_free(&l);
	assert_string_equal(d->name, "j");
	assert_string_equal(jd_str(d, JP_PATH), "/j");
	assert_string_equal(d->p[JP_EXEC_START]->v[0], "x");
	assert_string_equal(d->p[JP_PATH]->at.file, "jail.conf");
	jail_def_free(d);
}

/* What test_shared_defaults' producers wrote, unset in d as in the table. */
static void unset_as_default(const struct jail_def *d)
{
	assert_int_equal(jd_val(d, JP_EXEC_STOP)->n, 0);
	assert_string_equal(jd_str(d, JP_EXEC_STOP), "");
	assert_false(jd_on(d, JP_ALLOW_RAW_SOCKETS));
	assert_false(jd_set(d, JP_STOP_TIMEOUT));
	assert_int_equal(jd_int(d, JP_STOP_TIMEOUT), 10);
}

/* Unset parameters share the table's defaults (a model holds only what
 * its jail sets); what one model's producer writes is that model's own:
 * from_params appending to a list, update taking another model's values
 * (set and unset), the JSON reader. Another model, built before or
 * after, still has the defaults. */
static void test_shared_defaults(void **state)
{
	static char *const names[] = { "exec.start", "exec.start", "stop.timeout", "vnet" };
	static char *const vals[] = { "a", "b", "3", "new" };
	static const enum jparam ids[] = { JP_STOP_TIMEOUT, JP_PATH };
	struct ld l;
	const struct jail_def *a, *b;
	struct jail_def *p, *u, *back = NULL;
	struct brig_err e = { 0 };
	json_t *o;

	(void)state;
	assert_int_equal(LOAD(&l, "a { path = /a; }\nb { path = /b; persist; }"), 0);
	a = jail_set_find(conf_jail_set(l.c), "a");
	b = jail_set_find(conf_jail_set(l.c), "b");
	assert_ptr_equal(jd_val(a, JP_EXEC_START), jd_val(b, JP_EXEC_START));
	assert_ptr_not_equal(jd_val(a, JP_PATH), jd_val(b, JP_PATH));

	p = jail_def_from_params("p", names, vals, 4);
	assert_int_equal(p->p[JP_EXEC_START]->n, 2);
	assert_string_equal(jd_str(p, JP_EXEC_START), "a,b");
	assert_int_equal(jd_int(p, JP_STOP_TIMEOUT), 3);
	assert_true(jd_on(p, JP_VNET));
	/* update: stop.timeout from a (unset: the default), path from b. */
	u = jail_def_update(p, b, ids, 2);
	assert_false(jd_set(u, JP_STOP_TIMEOUT));
	assert_int_equal(jd_int(u, JP_STOP_TIMEOUT), 10);
	assert_string_equal(jd_str(u, JP_PATH), "/b");
	assert_string_equal(jd_str(u, JP_EXEC_START), "a,b");
	o = json_loads("{\"name\": \"j\", \"params\": {\"exec.stop\": [\"x\"],"
		       " \"allow.raw_sockets\": true, \"stop.timeout\": 7}}", 0, NULL);
	assert_int_equal(jail_def_from_json(o, &back, &e), 0);
	json_decref(o);
	assert_string_equal(jd_str(back, JP_EXEC_STOP), "x");
	assert_int_equal(jd_int(back, JP_STOP_TIMEOUT), 7);

	/* None of it reached the defaults the others point to. */
	unset_as_default(a);
	unset_as_default(b);
	unset_as_default(u);
	assert_int_equal(jd_val(a, JP_EXEC_START)->n, 0);
	assert_false(jd_on(a, JP_VNET));
	assert_false(jd_on(b, JP_VNET));
	assert_int_equal(jd_int(b, JP_STOP_TIMEOUT), 10);
	jail_def_free(back);
	jail_def_free(u);
	jail_def_free(p);
	ld_free(&l);
}

/* As the state records it, and back: the same model. */
static void test_json_round_trip(void **state)
{
	struct ld l;
	const struct jail_def *d;
	struct jail_def *back = NULL;
	struct strbuf sb = STRBUF_INIT;
	struct json w;
	struct brig_err e = { 0 };
	json_t *o;

	(void)state;
	assert_int_equal(LOAD(&l, "j { path = /j; persist; vnet; stop.timeout = 4; host.hostname = h;"
				  " ip4.addr = 10.0.0.2/24, 10.0.0.3/24; exec.stop = a, b; noboot; }"), 0);
	d = conf_jail_set(l.c)->v[0];
	json_init(&w, &sb, false);
	jail_def_json(d, &w);
	o = json_loads(sb.s, 0, NULL);
	assert_non_null(o);
	assert_int_equal(jail_def_from_json(o, &back, &e), 0);
	assert_null(jail_def_differs(d, back));
	assert_false(jd_on(back, JP_BOOT));
	assert_int_equal(back->nip4, 2);
	assert_int_equal(jd_int(back, JP_STOP_TIMEOUT), 4);
	json_decref(o);
	jail_def_free(back);
	sb_free(&sb);
	ld_free(&l);
}

/* mount.fstab was a string: a state recorded then reads as a list of
 * one. */
static void test_json_fstab_string(void **state)
{
	struct brig_err e = { 0 };
	struct jail_def *d = NULL;
	json_t *o = json_loads("{\"name\": \"j\", \"params\": {\"mount.fstab\": \"/etc/fstab.j\"}}", 0,
			       NULL);
	size_t n;
	char *const *v;

	(void)state;
	assert_non_null(o);
	assert_int_equal(jail_def_from_json(o, &d, &e), 0);
	v = jd_list(d, JP_MOUNT_FSTAB, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "/etc/fstab.j");
	jail_def_free(d);
	json_decref(o);
}

/* A recorded model of the wrong shape is refused, naming the parameter. */
static void test_json_bad(void **state)
{
	static const char *const bad[] = {
		"{\"name\": \"j\"}",
		"{\"name\": \"j\", \"params\": {\"nosuch\": 1}}",
		"{\"name\": \"j\", \"params\": {\"persist\": \"yes\"}}",
		"{\"name\": \"j\", \"params\": {\"stop.timeout\": \"3\"}}",
		"{\"name\": \"j\", \"params\": {\"vnet\": \"maybe\"}}",
		"{\"name\": \"j\", \"params\": {\"exec.start\": [1]}}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct brig_err e = { 0 };
		struct jail_def *d = NULL;
		json_t *o = json_loads(bad[i], 0, NULL);

		assert_non_null(o);
		assert_int_equal(jail_def_from_json(o, &d, &e), -1);
		assert_null(d);
		brig_err_clear(&e);
		json_decref(o);
	}
}

/* Which parameter changed, for brig reload; boot does not count. */
static void test_differs(void **state)
{
	struct ld a, b, c;

	(void)state;
	assert_int_equal(LOAD(&a, "j { path = /j; persist; }"), 0);
	assert_int_equal(LOAD(&b, "j { path = /j; persist; stop.timeout = 10; }"), 0);
	assert_int_equal(LOAD(&c, "j { path = /j; persist; noboot; }"), 0);
	assert_string_equal(jail_def_differs(conf_jail_set(a.c)->v[0], conf_jail_set(b.c)->v[0]),
			    "stop.timeout");
	assert_null(jail_def_differs(conf_jail_set(a.c)->v[0], conf_jail_set(c.c)->v[0]));
	ld_free(&a);
	ld_free(&b);
	ld_free(&c);
}

/* Bridges of networks.conf, by id. */
static void test_net_defs(void **state)
{
	struct ld l;
	struct net_def *v;
	size_t n;

	(void)state;
	assert_int_equal(ld_load(&l, CONF_SCHEMA_NETWORKS, NULL, 0, "networks.conf",
				 "br0 { ip4.addr = 10.0.0.1/24; nat; mtu = 1400; }\nbr1 { }\n",
				 (char *)NULL), 0);
	v = net_defs_build(l.c, &n);
	assert_int_equal(n, 2);
	assert_true(nd_on(&v[0], NP_NAT));
	assert_int_equal(nd_int(&v[0], NP_MTU), 1400);
	assert_false(nd_on(&v[1], NP_NAT));
	assert_int_equal(nd_int(&v[1], NP_MTU), 0);
	net_defs_free(v, n);
	ld_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_ids),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_default),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_own_memory),
		cmocka_unit_test(test_shared_defaults),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_bad),
		cmocka_unit_test(test_json_fstab_string),
		cmocka_unit_test(test_differs),
		cmocka_unit_test(test_net_defs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
