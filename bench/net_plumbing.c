/* net_jail_up alone, for bench/net_vnet.sh: the vnet plumbing of one jail
 * (veth pair into bridge0, IPv4 + IPv6 address, two default routes) into a
 * fresh network namespace, RUNS times; prints the median wall time and the
 * median CPU time (user + system) in ms, then the median removal time.
 * With "nospoof", without the anti-spoofing filter of the bridge port
 * (vnet.spoofcheck = 0); with it, the filter's rules are part of both.
 *
 *   net_plumbing RUNS [nospoof]   (bridge0 must exist; run inside a sandbox) */
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf/model.h"
#include "net/net.h"
#include "sys/lo.h"

static double wall_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e3 +
	       (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e3;
}

/* A child in a network namespace of its own, lo up: the jail's init. */
static pid_t netns_proc(void)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct brig_err e;

		if (unshare(CLONE_NEWNET) < 0 || lo_up(&e) < 0 || write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (pid < 0 || read(p[0], &c, 1) != 1)
		exit(1);
	close(p[0]);
	close(p[1]);
	return pid;
}

/* The model of jail v, loaded from its jail.conf text. */
static const struct jail_def *model(bool spoof, struct conf **c)
{
	static char text[512];
	struct conf_memfile m = { .path = "jail.conf", .data = text };
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .mem = &m, .nmem = 1 };
	struct diag d = { 0 };

	snprintf(text, sizeof(text), "v { vnet; vnet.bridge = bridge0; vnet.interface = epair_vb;\n"
		 "ip4.addr = 10.10.0.5/24; ip4.defaultrouter = 10.10.0.1;\n"
		 "ip6.addr = fd00:10::5/64; ip6.defaultrouter = fd00:10::1;\n"
		 "vnet.spoofcheck = %s; }\n", spoof ? "true" : "false");
	m.len = strlen(text);
	if (conf_load(&src, c, &d) < 0) {
		fprintf(stderr, "net_plumbing: the configuration does not load\n");
		exit(1);
	}
	diag_free(&d);
	return jail_set_find(conf_jail_set(*c), "v");
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 30;
	double *wall = calloc((size_t)runs, sizeof(double));
	double *cpu = calloc((size_t)runs, sizeof(double));
	double *del = calloc((size_t)runs, sizeof(double));
	int spoof = !(argc > 2 && !strcmp(argv[2], "nospoof"));
	struct conf *conf;
	const struct jail_def *d = model(spoof, &conf);
	for (int i = 0; i < runs; i++) {
		pid_t pid = netns_proc();
		struct brig_err e;
		double w = wall_ms(), c = cpu_ms();
		/* A plan each time: the parse is part of the start's cost. */
		struct net_plan *plan = net_plan_new(conf_jail_set(conf));

		if (net_jail_up(plan, d, 1, pid, NULL, &e) < 0) {
			fprintf(stderr, "net_jail_up: %s\n", e.msg);
			return 1;
		}
		net_plan_free(plan);
		wall[i] = wall_ms() - w;
		cpu[i] = cpu_ms() - c;
		w = wall_ms();
		if (net_obj_remove(JOBJ_VETH, "epair_va", &e) < 0 ||
		    (spoof && net_obj_remove(JOBJ_NFT, "port:epair_va", &e) < 0)) {
			fprintf(stderr, "net_obj_remove: %s\n", e.msg);
			return 1;
		}
		del[i] = wall_ms() - w;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	printf("%.3f %.3f %.3f\n", median(wall, runs), median(cpu, runs), median(del, runs));
	return 0;
}
