/* Unit tests for core/depend.c: the order of multi-jail operations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "conf_helpers.h"
#include "core/depend.h"

/* Hand-built models: jails a..e; deps[i] lists jail i's depend. */
struct fixture {
	struct jail_set s;
	struct jail_def *v[6];
};

static void build(struct fixture *f, const char *const names[], const char *const deps[][3], size_t n)
{
	static char *const depend[] = { "depend", "depend", "depend" };

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		size_t nd = 0;

		while (nd < 3 && deps[i][nd])
			nd++;
		f->v[i] = jail_def_from_params(names[i], depend, (char *const *)deps[i], nd);
	}
	f->s.v = f->v;
	f->s.n = n;
}

static void unbuild(struct fixture *f)
{
	for (size_t i = 0; i < f->s.n; i++)
		jail_def_free(f->v[i]);
}

static const char *const names5[] = { "db", "cache", "web", "front", "other" };
static const char *const deps5[][3] = {
	{ NULL }, { NULL }, { "db", "cache", NULL }, { "web", NULL }, { NULL },
};

/* Run the plan to the end, every job succeeding except `failing`; the
 * order of runs in order[] (names joined by spaces). */
static void run_all(struct dep_plan *p, const char *failing, char *order, size_t len)
{
	long i;

	order[0] = '\0';
	while ((i = dep_next(p)) >= 0) {
		strncat(order, p->jobs[i].name, len - strlen(order) - 2);
		strcat(order, " ");
		dep_done(p, (size_t)i, !failing || strcmp(p->jobs[i].name, failing) != 0);
	}
}

static long job(const struct dep_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->jobs[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void test_start_pulls_dependencies(void **state)
{
	struct fixture f;
	struct dep_plan p;
	char *names[] = { "front" };
	char order[256];

	(void)state;
	build(&f, names5, deps5, 5);
	dep_plan_build(&p, &f.s, names, 1, false, NULL, 0, NULL, NULL);
	assert_int_equal(p.n, 4);	/* front web db cache; not other */
	assert_int_equal(job(&p, "other"), -1);
	assert_true(p.jobs[job(&p, "front")].named);
	assert_false(p.jobs[job(&p, "db")].named);
	run_all(&p, NULL, order, sizeof(order));
	assert_string_equal(order, "db cache web front ");
	assert_int_equal(p.nbad, 0);	/* nothing fell: nothing to report */
	dep_plan_free(&p);
	unbuild(&f);
}

static void test_failure_skips_dependents_only(void **state)
{
	struct fixture f;
	struct dep_plan p;
	char order[256];

	(void)state;
	build(&f, names5, deps5, 5);
	dep_plan_build(&p, &f.s, NULL, 0, false, NULL, 0, NULL, NULL);
	run_all(&p, "db", order, sizeof(order));
	assert_string_equal(order, "db cache other ");
	assert_int_equal(p.jobs[job(&p, "db")].st, DEP_FAIL);
	assert_int_equal(p.jobs[job(&p, "web")].st, DEP_SKIP);
	assert_int_equal(p.jobs[job(&p, "front")].st, DEP_SKIP);
	/* The skipped name the root failure, not their direct dependency. */
	assert_int_equal(p.jobs[job(&p, "front")].blame, job(&p, "db"));
	assert_int_equal(p.jobs[job(&p, "cache")].st, DEP_OK);
	assert_int_equal(p.jobs[job(&p, "other")].st, DEP_OK);
	/* The failure counted (core/run.c looks for outcomes to report
	 * again when it moves: db's and the skips it made). */
	assert_int_equal(p.nbad, 1);
	dep_plan_free(&p);
	unbuild(&f);
}

static void test_parallel_readiness(void **state)
{
	struct fixture f;
	struct dep_plan p;
	long a, b, c;

	(void)state;
	build(&f, names5, deps5, 5);
	dep_plan_build(&p, &f.s, NULL, 0, false, NULL, 0, NULL, NULL);
	/* db, cache, other are ready at once; web waits for both. */
	a = dep_next(&p);
	b = dep_next(&p);
	c = dep_next(&p);
	assert_int_equal(dep_next(&p), -1);
	assert_string_equal(p.jobs[a].name, "db");
	assert_string_equal(p.jobs[b].name, "cache");
	assert_string_equal(p.jobs[c].name, "other");
	dep_done(&p, (size_t)a, true);
	assert_int_equal(dep_next(&p), -1);
	dep_done(&p, (size_t)b, true);
	assert_string_equal(p.jobs[dep_next(&p)].name, "web");
	dep_plan_free(&p);
	unbuild(&f);
}

static bool running_all(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return true;
}

static bool running_none(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return false;
}

static void test_stop_reverse(void **state)
{
	struct fixture f;
	struct dep_plan p;
	char *names[] = { "db" };
	char order[256];

	(void)state;
	build(&f, names5, deps5, 5);
	dep_plan_build(&p, &f.s, names, 1, true, NULL, 0, running_all, NULL);
	run_all(&p, NULL, order, sizeof(order));
	assert_string_equal(order, "front web db ");
	dep_plan_free(&p);
	/* Dependents that do not run are not pulled in. */
	dep_plan_build(&p, &f.s, names, 1, true, NULL, 0, running_none, NULL);
	assert_int_equal(p.n, 1);
	dep_plan_free(&p);
	unbuild(&f);
}

static void test_stop_extra_and_unknown(void **state)
{
	struct fixture f;
	struct dep_plan p;
	char *extra[] = { "gone" };
	char *names[] = { "nosuch" };

	(void)state;
	build(&f, names5, deps5, 5);
	dep_plan_build(&p, &f.s, NULL, 0, true, extra, 1, running_none, NULL);
	assert_int_equal(p.n, 6);
	assert_null(p.jobs[job(&p, "gone")].def);
	dep_plan_free(&p);
	/* Start of an unknown jail: a planned failure. */
	dep_plan_build(&p, &f.s, names, 1, false, NULL, 0, NULL, NULL);
	assert_int_equal(p.jobs[0].st, DEP_FAIL);
	assert_string_equal(p.jobs[0].error, "nosuch: no such jail in the configuration");
	dep_plan_free(&p);
	unbuild(&f);
}

static void test_loop_and_undefined(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	static const char *const deps[][3] = { { "b", NULL }, { "a", NULL }, { "x", NULL } };
	struct fixture f;
	struct dep_plan p;

	(void)state;
	build(&f, names, deps, 3);
	dep_plan_build(&p, &f.s, NULL, 0, false, NULL, 0, NULL, NULL);
	assert_int_equal(p.jobs[job(&p, "c")].st, DEP_FAIL);
	assert_string_equal(p.jobs[job(&p, "c")].error, "c: depends on undefined jail \"x\"");
	assert_int_equal(p.nbad, 1);
	assert_int_equal(dep_next(&p), -1);
	assert_int_equal(dep_fail_stuck(&p), 2);
	assert_int_equal(p.nbad, 3);
	assert_string_equal(p.jobs[job(&p, "a")].error, "a: dependency loop");
	dep_plan_free(&p);
	unbuild(&f);
}

/* The plan of a configuration as jail.conf gives it (conf_jail_set):
 * every jail after what it depends on, definition order otherwise. */
static void test_order_from_jail_conf(void **state)
{
	struct ld l;
	struct dep_plan p;
	char order[256];

	(void)state;
	LOAD(&l, "web { depend = db, cache; }\ndb { depend = store; }\ncache { }\nstore { }\nlone { }\n");
	assert_int_equal(l.rc, 0);
	dep_plan_build(&p, conf_jail_set(l.c), NULL, 0, false, NULL, 0, NULL, NULL);
	run_all(&p, NULL, order, sizeof(order));
	assert_string_equal(order, "cache store db web lone ");
	dep_plan_free(&p);
	ld_free(&l);
}

/* Hierarchical jails: a child waits for its parent at start (an implied
 * dependency, where the configuration defines it); a stop of the parent
 * takes its running children down first, deepest first, defined or not
 * (extra: running, not defined). */
static void test_children(void **state)
{
	struct ld l;
	struct dep_plan p;
	char *start[] = { "a.b.c" }, *stop[] = { "a" }, *extra[] = { "a.x" };
	char order[256];

	(void)state;
	LOAD(&l, "a.b.c { }\na.b { }\na { }\nab { }\nx.y { }\n");
	assert_int_equal(l.rc, 0);
	dep_plan_build(&p, conf_jail_set(l.c), start, 1, false, NULL, 0, NULL, NULL);
	run_all(&p, NULL, order, sizeof(order));
	assert_string_equal(order, "a a.b a.b.c ");
	dep_plan_free(&p);
	/* x.y's parent is not defined: nothing to wait for (its start says). */
	dep_plan_build(&p, conf_jail_set(l.c), NULL, 0, false, NULL, 0, NULL, NULL);
	run_all(&p, NULL, order, sizeof(order));
	assert_string_equal(order, "a a.b a.b.c ab x.y ");
	dep_plan_free(&p);
	dep_plan_build(&p, conf_jail_set(l.c), stop, 1, true, extra, 1, running_all, NULL);
	run_all(&p, NULL, order, sizeof(order));
	assert_string_equal(order, "a.b.c a.b a.x a ");
	dep_plan_free(&p);
	/* Children that do not run are left out. */
	dep_plan_build(&p, conf_jail_set(l.c), stop, 1, true, extra, 1, running_none, NULL);
	assert_int_equal(p.n, 1);
	dep_plan_free(&p);
	ld_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_pulls_dependencies),
		cmocka_unit_test(test_failure_skips_dependents_only),
		cmocka_unit_test(test_parallel_readiness),
		cmocka_unit_test(test_stop_reverse),
		cmocka_unit_test(test_stop_extra_and_unknown),
		cmocka_unit_test(test_loop_and_undefined),
		cmocka_unit_test(test_order_from_jail_conf),
		cmocka_unit_test(test_children),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
