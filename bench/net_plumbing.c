/* net_jail_up alone, for bench/net_vnet.sh: the vnet plumbing of one jail
 * (veth pair into bridge0, IPv4 + IPv6 address, two default routes) into a
 * fresh network namespace, RUNS times; prints the median wall time and the
 * median CPU time (user + system) in ms, then the median removal time.
 * With "nospoof", without the anti-spoofing filter of the bridge port
 * (vnet.spoofcheck = 0); with it, the filter's rules are part of both.
 *
 *   net_plumbing RUNS [nospoof]   (bridge0 must exist; run inside a sandbox) */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

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

/* A child in a network namespace of its own: the jail's init. */
static pid_t netns_proc(void)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0 || write(p[1], "x", 1) != 1)
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

static void param(struct conf_jail *j, const char *name, const char *value)
{
	struct conf_param *p;

	j->params = realloc(j->params, (j->nparams + 1) * sizeof(*j->params));
	p = &j->params[j->nparams++];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->type = CONF_STRING;
	p->values = malloc(sizeof(char *));
	p->values[0] = (char *)value;
	p->nvalues = 1;
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
	struct conf_jail j = { .name = "v" };
	int spoof = !(argc > 2 && !strcmp(argv[2], "nospoof"));

	param(&j, "vnet", "new");
	param(&j, "vnet.bridge", "bridge0");
	param(&j, "vnet.interface", "epair_vb");
	param(&j, "ip4.addr", "10.10.0.5/24");
	param(&j, "ip4.defaultrouter", "10.10.0.1");
	param(&j, "ip6.addr", "fd00:10::5/64");
	param(&j, "ip6.defaultrouter", "fd00:10::1");
	param(&j, "vnet.spoofcheck", spoof ? "true" : "false");
	for (int i = 0; i < runs; i++) {
		pid_t pid = netns_proc();
		struct brig_err e;
		double w = wall_ms(), c = cpu_ms();

		if (net_jail_up(&j, 1, pid, NULL, &e) < 0) {
			fprintf(stderr, "net_jail_up: %s\n", e.msg);
			return 1;
		}
		wall[i] = wall_ms() - w;
		cpu[i] = cpu_ms() - c;
		w = wall_ms();
		if (net_obj_remove("veth", "epair_va", &e) < 0 ||
		    (spoof && net_obj_remove("nft", "jail:v", &e) < 0)) {
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
