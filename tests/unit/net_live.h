/* Helpers of the live network tests: they create kernel objects, so they
 * run only inside a throwaway namespace (BRIG_NET_LIVE=1, set by
 * tests/integration/net_*.sh) and skip everywhere else. A "jail" is a child
 * process in a network namespace of its own. */
#ifndef BRIG_TESTS_NET_LIVE_H
#define BRIG_TESTS_NET_LIVE_H

#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/net.h"
#include "sys/lo.h"
#include "net_testconf.h"

static inline bool live(void)
{
	const char *v = getenv("BRIG_NET_LIVE");

	return v && !strcmp(v, "1");
}

#define NEED_LIVE()                 \
	do {                        \
		if (!live())        \
			skip();     \
	} while (0)

/* A process in a fresh network namespace, waiting to be killed. */
static inline pid_t netns_proc(void)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		struct brig_err e;

		/* As a jail's init: lo up in its namespace (sys/jailproc.c). */
		if (unshare(CLONE_NEWNET) < 0 || lo_up(&e) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static inline void kill_proc(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Run a shell command; its exit status. */
__attribute__((format(printf, 1, 2)))
static inline int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* 0 once link name is gone (a veth pair goes with the namespace of its
 * peer, in the kernel's time: bounded, 10 s), else 1. */
static inline int link_gone(const char *name)
{
	return sh("i=0; while ip link show %s >/dev/null 2>&1; do i=$((i + 1)); "
		  "[ $i -lt 200 ] || exit 1; sleep 0.05; done", name);
}

/* The same for the retired link brig-INDEX (nl_link_retire). */
static inline int retired_gone(int index)
{
	char name[32];

	snprintf(name, sizeof(name), "brig-%d", index);
	return link_gone(name);
}

/* What net_jail_up records. */
struct recs {
	char kind[8][16];
	char id[8][64];
	int n;
};

static inline int rec_cb(void *ctx, enum jobj_kind kind, const char *id, struct brig_err *e)
{
	struct recs *r = ctx;

	(void)e;
	if (r->n < 8) {
		snprintf(r->kind[r->n], sizeof(r->kind[0]), "%s", jobj_kind_names[kind]);
		snprintf(r->id[r->n], sizeof(r->id[0]), "%s", id);
		r->n++;
	}
	return 0;
}

/* net_jail_up and net_jail_check of jail j, made a model by the loader,
 * with a plan of its own. */
static inline int up_e(const struct conf_jail *j, int jid, pid_t pid, const struct rec *rec,
		       struct brig_err *e)
{
	struct conf *c = tc_load(j, 1, CONF_SCHEMA_JAILS);
	struct net_plan *p = net_plan_new(conf_jail_set(c));
	int rc = net_jail_up(p, tc_model(c, j->name), jid, pid, rec, e);

	net_plan_free(p);
	conf_free(c);
	return rc;
}

static inline int check_e(const struct conf_jail *j, struct brig_err *e)
{
	struct conf *c = tc_load(j, 1, CONF_SCHEMA_JAILS);
	struct net_plan *p = net_plan_new(conf_jail_set(c));
	int rc = net_jail_check(p, tc_model(c, j->name), e);

	net_plan_free(p);
	conf_free(c);
	return rc;
}

/* Bring jail j up in process pid with jid; fail the test on error. */
static inline void up(const struct conf_jail *j, int jid, pid_t pid, struct recs *r)
{
	struct rec rec = { .add = rec_cb, .ctx = r };
	struct brig_err e = { 0 };

	if (up_e(j, jid, pid, &rec, &e) < 0)
		fail_msg("net_jail_up %s: %s", j->name, e.msg);
}

#endif
