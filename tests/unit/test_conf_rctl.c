/* Unit tests for conf/rctl: the rule language of rctl(8) (rules with and
 * without their subject, amounts, actions, per), filters, CPU lists, and
 * the resource table's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "conf/rctl.h"

static struct rctl_rule r;
static char msg[256];
static size_t at;

static int parse(const char *s, bool subject)
{
	return rctl_parse(s, subject, &r, msg, sizeof(msg), &at);
}

static const char *normal(const char *s)
{
	static char buf[96];

	if (parse(s, false) < 0)
		return msg;
	rctl_format(&r, buf, sizeof(buf));
	return buf;
}

static void test_amounts(void **state)
{
	(void)state;
	assert_string_equal(normal("memoryuse:deny=512m"), "memoryuse:deny=536870912");
	assert_string_equal(normal("memoryuse:deny=512M"), "memoryuse:deny=536870912");
	assert_string_equal(normal("memoryuse:deny=1g"), "memoryuse:deny=1073741824");
	assert_string_equal(normal("memoryuse:deny=2t"), "memoryuse:deny=2199023255552");
	assert_string_equal(normal("memoryuse:deny=7b"), "memoryuse:deny=7");
	assert_string_equal(normal("openfiles:deny=1k"), "openfiles:deny=1024");
	assert_string_equal(normal("maxproc:deny=0"), "maxproc:deny=0");
	/* Overflow, no digits, two suffixes, a sign: refused, pointing at the amount. */
	assert_int_equal(parse("memoryuse:deny=16e", false), -1);
	assert_int_equal(at, 15);
	assert_int_equal(parse("memoryuse:deny=18446744073709551616", false), -1);
	assert_int_equal(parse("memoryuse:deny=", false), -1);
	assert_int_equal(parse("memoryuse:deny=1mm", false), -1);
	assert_int_equal(parse("memoryuse:deny=-1", false), -1);
	assert_int_equal(parse("memoryuse:deny=k", false), -1);
	assert_non_null(strstr(msg, "bad amount \"k\""));
}

static void test_actions(void **state)
{
	(void)state;
	assert_string_equal(normal("memoryuse:log=100m"), "memoryuse:log=104857600");
	assert_int_equal(r.action, RCTL_LOG);
	assert_string_equal(normal("memoryuse:devctl=1m"), "memoryuse:devctl=1048576");
	assert_int_equal(r.action, RCTL_LOG);
	assert_string_equal(normal("memoryuse:SIGKILL=1m"), "memoryuse:sigkill=1048576");
	assert_string_equal(normal("cputime:sigxcpu=60"), "cputime:sigxcpu=60");
	assert_int_equal(r.action, RCTL_SIG);
	/* The rates take deny as throttle (FreeBSD does). */
	assert_string_equal(normal("readbps:deny=1m"), "readbps:throttle=1048576");
	assert_string_equal(normal("pcpu:throttle=50"), "pcpu:throttle=50");
	assert_int_equal(parse("memoryuse:sigterm=1m", false), -1);
	assert_int_equal(at, 10);
	assert_non_null(strstr(msg, "not honoured"));
	assert_int_equal(parse("openfiles:log=10", false), -1);
	assert_int_equal(parse("openfiles:throttle=10", false), -1);
	assert_int_equal(parse("memoryuse:bogus=10", false), -1);
	assert_non_null(strstr(msg, "unknown action \"bogus\""));
	assert_int_equal(parse("pcpu:deny=0", false), -1);
	assert_int_equal(parse("pcpu:deny=100001", false), -1);
}

static void test_resources(void **state)
{
	(void)state;
	assert_int_equal(parse("memoryus:deny=1", false), -1);
	assert_string_equal(msg, "unknown resource \"memoryus\" (did you mean \"memoryuse\"?)");
	assert_int_equal(at, 0);
	assert_int_equal(parse("zzzzzzzzzz:deny=1", false), -1);
	assert_string_equal(msg, "unknown resource \"zzzzzzzzzz\"");
	/* Refused with the table's reason. */
	assert_int_equal(parse("wallclock:deny=1", false), -1);
	assert_non_null(strstr(msg, "wallclock: refused on Linux: "));
	assert_int_equal(parse("msgqqueued:deny=1", false), -1);
	assert_non_null(strstr(msg, "msgqqueued: refused on Linux: "));
	/* Every row: a refused one says why; one that is not names its mechanism. */
	for (int i = 0; i < RCTL__COUNT; i++) {
		const struct rctl_resdef *d = rctl_res((enum rctl_res)i);

		assert_int_equal(rctl_res_find(d->name), i);
		assert_non_null(d->notes);
		if (d->actions)
			assert_true(d->mech != RCTL_M_NO && d->v1 && d->v2);
		else
			assert_true(d->mech == RCTL_M_NO);
		if (i)
			assert_true(strcmp(rctl_res((enum rctl_res)(i - 1))->name, d->name) < 0);
	}
}

static void test_per(void **state)
{
	(void)state;
	assert_string_equal(normal("openfiles:deny=100/process"), "openfiles:deny=100/process");
	assert_true(r.per_process);
	assert_string_equal(normal("memoryuse:deny=1m/jail"), "memoryuse:deny=1048576");
	assert_int_equal(parse("memoryuse:deny=1m/process", false), -1);
	assert_int_equal(at, 18);
	assert_int_equal(parse("openfiles:deny=1/user", false), -1);
}

static void test_subject(void **state)
{
	(void)state;
	assert_int_equal(parse("jail:web:memoryuse:deny=1g", true), 0);
	assert_int_equal(r.jlen, 3);
	assert_memory_equal(r.jail, "web", 3);
	assert_int_equal(r.res, RCTL_MEMORYUSE);
	assert_int_equal(parse("user:1000:maxproc:deny=1", true), -1);
	assert_non_null(strstr(msg, "brig limits jails only"));
	assert_int_equal(parse("jail::maxproc:deny=1", true), -1);
	assert_int_equal(at, 5);
	assert_int_equal(parse("jail:web", true), -1);
	/* The error's place is in the whole rule. */
	assert_int_equal(parse("jail:web:memoryuse:deny=1x", true), -1);
	assert_int_equal(at, 24);
	/* Without a subject, "jail:" is not a resource. */
	assert_int_equal(parse("jail:web:memoryuse:deny=1g", false), -1);
}

/* Whether filter (it must parse) matches the rule last parsed, of jail. */
static bool matches(const char *filter, const char *jail)
{
	struct rctl_filter f;

	assert_int_equal(rctl_filter_parse(filter, &f, msg, sizeof(msg)), 0);
	return rctl_filter_match(&f, jail, &r);
}

static void test_filters(void **state)
{
	struct rctl_filter f;

	(void)state;
	assert_int_equal(parse("memoryuse:deny=1g", false), 0);
	assert_true(matches(":", "web"));
	assert_true(matches("jail:", "web"));
	assert_true(matches("jail:web", "web"));
	assert_false(matches("jail:web", "we"));
	assert_false(matches("jail:web", "webb"));
	assert_true(matches("jail::memoryuse", "db"));
	assert_false(matches("jail:web:maxproc", "web"));
	assert_true(matches("jail:web:memoryuse:deny", "web"));
	assert_false(matches("jail:web:memoryuse:log", "web"));
	assert_true(matches("jail:web:memoryuse:deny=1g", "web"));
	assert_int_equal(rctl_filter_parse("user:1000", &f, msg, sizeof(msg)), -1);
	assert_int_equal(rctl_filter_parse("jail:web:nosuch", &f, msg, sizeof(msg)), -1);
	/* A rate's deny is its throttle (as FreeBSD takes it): the rule as
	 * it was written, as a filter (rctl -r), finds it (the fuzzer's
	 * "a whole rule, as a filter, matches that rule"). */
	assert_int_equal(parse("writeiops:deny=2g", false), 0);
	assert_true(matches("jail:web:writeiops:deny=2g", "web"));
	assert_true(matches("jail:web::deny", "web"));
	assert_true(matches("jail:web:writeiops:throttle", "web"));
	assert_false(matches("jail:web:writeiops:log", "web"));
	/* Not the other way round: a resource's deny is no throttle. */
	assert_int_equal(parse("memoryuse:deny=1g", false), 0);
	assert_false(matches("jail:web::throttle", "web"));
}

static void test_cpuset(void **state)
{
	(void)state;
	assert_int_equal(rctl_cpuset_valid("0", msg, sizeof(msg)), 0);
	assert_int_equal(rctl_cpuset_valid("0-3,6,8-9", msg, sizeof(msg)), 0);
	assert_int_equal(rctl_cpuset_valid("", msg, sizeof(msg)), -1);
	assert_int_equal(rctl_cpuset_valid("3-1", msg, sizeof(msg)), -1);
	assert_int_equal(rctl_cpuset_valid("0,", msg, sizeof(msg)), -1);
	assert_int_equal(rctl_cpuset_valid("a", msg, sizeof(msg)), -1);
	assert_int_equal(rctl_cpuset_valid("1-", msg, sizeof(msg)), -1);
	assert_int_equal(rctl_cpuset_valid("8192", msg, sizeof(msg)), -1);
}

/* rctl_format writes what snprintf("%s:%s=%llu%s") wrote (issue 14: it
 * no longer calls snprintf), truncated the same way, for every resource,
 * the action names, amounts from 0 to the largest, per process or not,
 * at every buffer length. */
static void test_format_as_snprintf(void **state)
{
	static const char *const acts[] = { "deny", "log", "devctl", "throttle", "sigkill" };
	static const unsigned long long amounts[] = { 0, 7, 10, 1024, 536870912, ~0ULL };
	char want[128], got[128];

	(void)state;
	for (int res = 0; res < RCTL__COUNT; res++)
		for (size_t a = 0; a < sizeof(acts) / sizeof(*acts); a++)
			for (size_t m = 0; m < sizeof(amounts) / sizeof(*amounts); m++)
				for (int per = 0; per < 2; per++) {
					struct rctl_rule x = { .res = (enum rctl_res)res, .actname = acts[a],
							       .amount = amounts[m], .per_process = per };
					int n = snprintf(want, sizeof(want), "%s:%s=%llu%s",
							 rctl_res(x.res)->name, x.actname, x.amount,
							 per ? "/process" : "");

					for (size_t len = 0; len <= (size_t)n + 2; len++) {
						memset(got, 'X', sizeof(got));
						rctl_format(&x, got, len);
						if (len)
							want[len - 1 < (size_t)n ? len - 1 : (size_t)n] = '\0';
						if (len)
							assert_string_equal(got, want);
						assert_int_equal(got[len], 'X');	/* nothing past len */
						snprintf(want, sizeof(want), "%s:%s=%llu%s",
							 rctl_res(x.res)->name, x.actname, x.amount,
							 per ? "/process" : "");
					}
				}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amounts),	 cmocka_unit_test(test_actions),
		cmocka_unit_test(test_resources), cmocka_unit_test(test_per),
		cmocka_unit_test(test_subject),	 cmocka_unit_test(test_filters),
		cmocka_unit_test(test_cpuset),
		cmocka_unit_test(test_format_as_snprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
