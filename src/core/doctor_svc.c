/* brig doctor JAIL: its services and rdr (core/doctor.h). The jail runs
 * and its init lives; each rdr's jail port has a listener inside the
 * jail (sock_diag in the jail's network namespace) bound where the rdr
 * sends; with --rdr, each rdr is probed from the host, straight to the
 * jail's port (the path without the rdr) and through the host port (the
 * rdr's DNAT, the jail's answer back through the masquerade), and from
 * another jail on the same bridge (the hairpin). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/doctor.h"
#include "core/lock.h"
#include "core/state.h"
#include "net/net.h"
#include "sys/nsrun.h"
#include "sys/probe.h"
#include "sys/proc.h"
#include "sys/sockdiag.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* How long one probe may wait for its answer. */
#define SVC_PROBE_MS 1000

/* "FILE:LINE:COL" where d sets id, or "jail.conf" when it cannot be told
 * (caller frees). */
static char *where(const struct jail_def *d, enum jparam id)
{
	char *w = jd_where(d, id);
	size_t l = strlen(w);

	if (l >= 2 && strcmp(w + l - 2, ": ") == 0) {
		w[l - 2] = '\0';
		return w;
	}
	free(w);
	return xstrdup("jail.conf");
}

/* Whether two lists of strings are the same. */
static bool same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* A running jail's rdr as it started (its state's model) against the
 * configuration's now: the rules in place are the first. */
static void started_hop(const struct jail_def *d, const struct jail_def *run, struct dr_report *r)
{
	size_t na, nb;
	char *const *a = jd_list(run, JP_RDR, &na);
	char *const *b = jd_list(d, JP_RDR, &nb);
	struct strbuf sa = STRBUF_INIT, sb = STRBUF_INIT;
	cleanup_free char *at = where(d, JP_RDR);

	if (same_list(a, na, b, nb))
		return;
	for (size_t i = 0; i < na; i++)
		sb_addf(&sa, "%s\"%s\"", i ? ", " : "", a[i]);
	for (size_t i = 0; i < nb; i++)
		sb_addf(&sb, "%s\"%s\"", i ? ", " : "", b[i]);
	dr_add(r, "service", "rdr as started, against the configuration", DR_WARN,
	       sa.len ? sa.s : "none", sb.len ? sb.s : "none",
	       "brig restart %s applies the rdr of %s (the rules in place, checked below, are "
	       "those it started with)", d->name, at);
	sb_free(&sa);
	sb_free(&sb);
}

/* The jail's state and whether its init lives: the first hop. Returns a
 * pidfd of the init when the jail runs, else -1 (the hop says why); *run
 * is then the model it started with (NULL: none recorded), the caller's. */
static int running_hop(const struct jail_def *d, struct jail_def **run, struct dr_report *r)
{
	const char *name = d->name;
	cleanup_free char *dir = jail_dir(name);
	struct brig_err e = { 0 };
	struct jstate st;
	char seen[128];
	int rc = state_read(dir, &st, &e), fd;
	const char *hop = "jail runs, its init alive";

	if (rc < 0) {
		dr_add(r, "service", hop, DR_FAIL, e.msg, "running", "brig ls (it cleans up after "
		       "a jail whose state is damaged), then brig start %s", name);
		return -1;
	}
	if (rc == 0) {
		dr_add(r, "service", hop, DR_FAIL, "not running", "running", "brig start %s", name);
		return -1;
	}
	if (!proc_alive(st.init_pid, st.init_start)) {
		snprintf(seen, sizeof(seen), "state \"%s\", init %d gone", jstatus_names[st.status],
			 (int)st.init_pid);
		dr_add(r, "service", hop, DR_FAIL, seen, "running, init alive",
		       "brig ls (it cleans up after the jail), then brig start %s", name);
		state_free(&st);
		return -1;
	}
	fd = proc_pidfd(st.init_pid, st.init_start, &e);
	snprintf(seen, sizeof(seen), "%s, init %d", jstatus_names[st.status], (int)st.init_pid);
	if (fd < 0)
		dr_add(r, "service", hop, DR_FAIL, e.msg, "running, init alive",
		       "brig ls, then brig start %s", name);
	else if (st.status != JSTATUS_RUNNING)
		dr_add(r, "service", hop, DR_WARN, seen, "running",
		       "wait for the brig that is %s it, or brig ls if none is",
		       st.status == JSTATUS_STARTING ? "starting" : "stopping");
	else
		dr_add(r, "service", hop, DR_OK, seen, "running", NULL);
	if (fd >= 0 && st.def) {
		started_hop(d, st.def, r);
		*run = st.def;
		st.def = NULL;
	}
	state_free(&st);
	return fd;
}

/* "10.10.0.4:80", "[fd00::4]:80", "0.0.0.0:80". */
static void fmt_sock(int family, const void *addr, int port, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, a, sizeof(a));
	snprintf(buf, size, family == AF_INET6 ? "[%s]:%d" : "%s:%d", a, port);
}

/* What one rdr path needs of the jail's sockets, asked inside its
 * network namespace. */
struct listen_q {
	const struct net_rdr_path *p;
	struct sd_sock *v4, *v6;
	size_t n4, n6;
};

static int ask_sockets(void *arg, struct brig_err *e)
{
	struct listen_q *q = arg;

	if (q->p->family == AF_INET &&
	    sockdiag_bound(AF_INET, q->p->proto, q->p->jport, &q->v4, &q->n4, e) < 0)
		return -1;
	return sockdiag_bound(AF_INET6, q->p->proto, q->p->jport, &q->v6, &q->n6, e);
}

/* Whether socket s takes what the rdr sends to jail (the jail's address
 * of the path's family, in binary). */
static bool takes(const struct sd_sock *s, int family, const uint8_t *jail)
{
	static const uint8_t zero[16], mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (s->family == AF_INET)
		return family == AF_INET && (!memcmp(s->addr, zero, 4) || !memcmp(s->addr, jail, 4));
	if (family == AF_INET6)
		return !memcmp(s->addr, zero, 16) || !memcmp(s->addr, jail, 16);
	/* An IPv6 socket takes IPv4 on [::] without IPV6_V6ONLY, or on the
	 * jail's address mapped (::ffff:10.10.0.4). */
	return !s->v6only && (!memcmp(s->addr, zero, 16) ||
			      (!memcmp(s->addr, mapped, 12) && !memcmp(s->addr + 12, jail, 4)));
}

/* The hop of one rdr path: what listens on its jail port, and where. */
static void listen_hop(const struct jail_def *d, int pidfd, const struct net_rdr_path *p,
		       struct dr_report *r)
{
	const char *proto = p->proto == IPPROTO_TCP ? "tcp" : "udp";
	const char *verb = p->proto == IPPROTO_TCP ? "listens" : "is bound";
	const char *fam = p->family == AF_INET ? "IPv4" : "IPv6";
	struct listen_q q = { .p = p };
	struct brig_err e = { 0 };
	uint8_t jail[16];
	char hop[256], want[128], seen[512] = "", one[80];
	bool ok = false;
	size_t used = 0;
	cleanup_free char *at = where(d, JP_RDR);

	inet_pton(p->family, p->jail, jail);
	snprintf(hop, sizeof(hop), "rdr \"%s\" (%s): a %s socket on the jail's port %d", p->text,
		 fam, proto, p->jport);
	fmt_sock(p->family, jail, p->jport, want, sizeof(want));
	snprintf(want + strlen(want), sizeof(want) - strlen(want), " or %s:%d",
		 p->family == AF_INET ? "0.0.0.0" : "[::]", p->jport);
	if (pidfd < 0) {
		dr_add(r, "service", hop, DR_SKIP, NULL, want, NULL);
		return;
	}
	if (ns_run(pidfd, CLONE_NEWNET, "the jail's network namespace", ask_sockets, &q, &e) < 0) {
		dr_add(r, "service", hop, DR_FAIL, e.msg, want, "see the error: brig doctor "
		       "could not list the jail's sockets");
		goto out;
	}
	for (size_t k = 0; k < q.n4 + q.n6; k++) {
		const struct sd_sock *s = k < q.n4 ? &q.v4[k] : &q.v6[k - q.n4];

		ok = ok || takes(s, p->family, jail);
		fmt_sock(s->family, s->addr, p->jport, one, sizeof(one));
		/* [::] with IPV6_V6ONLY is worth saying; a specific IPv6
		 * address is IPv6 only anyway. */
		used += (size_t)snprintf(seen + used, sizeof(seen) - used, "%s%s%s", used ? ", " : "",
					 one, s->family == AF_INET6 && s->v6only && p->family == AF_INET &&
					 !strncmp(one, "[::]:", 5) ?
					 " (IPV6_V6ONLY)" : "");
		if (used >= sizeof(seen))
			used = sizeof(seen) - 1;
	}
	if (ok)
		dr_add(r, "service", hop, DR_OK, seen, want, NULL);
	else if (q.n4 + q.n6)
		dr_add(r, "service", hop, DR_FAIL, seen, want,
		       "the service in jail %s %s on %s only, where the rdr's packets do not "
		       "arrive: make it listen on %s or on every address (rdr \"%s\", %s)",
		       d->name, verb, seen, p->jail, p->text, at);
	else
		dr_add(r, "service", hop, DR_FAIL, "nothing", want,
		       "start the service in jail %s (brig exec %s ...), or send the rdr to the "
		       "port it %s on: rdr \"%s\" at %s", d->name, d->name,
		       p->proto == IPPROTO_TCP ? "listens" : "uses", p->text, at);
out:
	free(q.v4);
	free(q.v6);
}

/* One bounded probe from the host; its hop. Whether it reached. */
static bool probe_hop(const struct net_rdr_path *p, const char *what, const char *addr, int port,
		      const char *fix, struct dr_report *r)
{
	const char *proto = p->proto == IPPROTO_TCP ? "tcp" : "udp";
	char hop[256], to[128], why[128];
	uint8_t bin[16];
	int rc;

	inet_pton(p->family, addr, bin);
	fmt_sock(p->family, bin, port, to, sizeof(to));
	snprintf(hop, sizeof(hop), "rdr \"%s\" (%s): %s, %s %s", p->text,
		 p->family == AF_INET ? "IPv4" : "IPv6", what, proto, to);
	rc = probe_port(p->proto, addr, port, SVC_PROBE_MS, why, sizeof(why));
	dr_add(r, "rdr", hop, rc == 1 ? DR_OK : DR_FAIL, why,
	       p->proto == IPPROTO_TCP ? "connected" : "no refusal", "%s", fix);
	return rc == 1;
}

/* A pidfd of jail name's init when it runs, else -1. */
static int init_of(const char *name)
{
	cleanup_free char *dir = jail_dir(name);
	struct jstate st;
	int fd = -1;

	if (state_read(dir, &st, NULL) == 1) {
		if (st.status == JSTATUS_RUNNING)
			fd = proc_pidfd(st.init_pid, st.init_start, NULL);
		state_free(&st);
	}
	return fd;
}

/* One probe made inside another jail's network namespace. */
struct jail_probe {
	const struct net_rdr_path *p;
	const char *addr;
	char why[128];
	int rc;
};

static int probe_inside(void *arg, struct brig_err *e)
{
	struct jail_probe *q = arg;

	(void)e;
	q->rc = probe_port(q->p->proto, q->addr, q->p->hport, SVC_PROBE_MS, q->why, sizeof(q->why));
	return 0;
}

/* From another running jail on the same bridge (the same router: the
 * host's address there), through the host port: the hairpin, as a
 * neighbour reaches the service. The first such jail of s; none: no hop. */
static void other_jail_hop(const struct jail_set *s, const struct jail_def *d,
			   const struct net_rdr_path *p, struct dr_report *r)
{
	enum jparam gwid = p->family == AF_INET ? JP_IP4_DEFAULTROUTER : JP_IP6_DEFAULTROUTER;
	struct jail_probe q = { .p = p, .addr = p->host[0] ? p->host : p->router };
	const char *proto = p->proto == IPPROTO_TCP ? "tcp" : "udp";

	for (size_t i = 0; s && p->router[0] && i < s->n; i++) {
		const struct jail_def *o = s->v[i];
		const char *gw = jd_str(o, gwid);
		struct brig_err e = { 0 };
		char hop[256], to[128];
		uint8_t bin[16];
		int fd;

		if (o == d || !jd_on(o, JP_VNET) || !gw || strcmp(gw, p->router) != 0 ||
		    (fd = init_of(o->name)) < 0)
			continue;
		inet_pton(p->family, q.addr, bin);
		fmt_sock(p->family, bin, p->hport, to, sizeof(to));
		snprintf(hop, sizeof(hop), "rdr \"%s\" (%s): from jail %s, through the host's port, "
			 "%s %s", p->text, p->family == AF_INET ? "IPv4" : "IPv6", o->name, proto, to);
		if (ns_run(fd, CLONE_NEWNET, "the other jail's network namespace", probe_inside, &q,
			   &e) < 0)
			dr_add(r, "rdr", hop, DR_FAIL, e.msg, NULL, "see the error");
		else
			dr_add(r, "rdr", hop, q.rc == 1 ? DR_OK : DR_FAIL, q.why,
			       p->proto == IPPROTO_TCP ? "connected" : "no refusal",
			       "the host answers its own port but not jail %s: check the "
			       "isolation of their bridge (networks.conf isolate, host) and "
			       "brig doctor %s's hops", o->name, o->name);
		close(fd);
		return;
	}
}

/* --rdr: each rdr path (of port o->rdr_port, or all) probed from the
 * host, straight to the jail's port (the path without the rdr), then
 * through the host port (the rdr's DNAT), then from another jail: which
 * one fails first tells the jail's end from the rdr. A TCP connect that
 * completes has made the reverse path too (the jail's answer came back,
 * through the masquerade). */
static void probe_hops(const struct jail_set *s, const struct jail_def *d,
		       const struct net_rdr_path *p, bool alive, struct dr_report *r)
{
	const char *host = p->host[0] ? p->host : p->family == AF_INET ? "127.0.0.1" : p->router;
	cleanup_free char *fix = NULL;
	char uplink[64];
	bool straight;

	if (!alive)
		return;
	straight = probe_hop(p, "from the host, straight to the jail", p->jail, p->jport,
			     "nothing answers at the jail's own address and port: see the "
			     "service hop above, and the jail's network hops", r);
	if (straight)
		fix = xasprintf("the jail's port answers from the host but the host port does "
				"not: check brig's rdr rules (brig doctor %s, section nat) and the "
				"host's firewall; brig restart %s puts its rules back", d->name, d->name);
	else
		fix = xasprintf("the jail's own port does not answer either: fix that first "
				"(the hop above)");
	if (host[0])
		probe_hop(p, "from the host, through its port", host, p->hport, fix, r);
	/* The host's own address that the outside reaches it at (its
	 * default route's), as a client out there would target it. */
	if (!p->host[0] && probe_uplink_addr(p->family, uplink, sizeof(uplink)) == 0)
		probe_hop(p, "from the host, through its uplink address", uplink, p->hport, fix, r);
	else {
		cleanup_free char *hop = xasprintf("rdr \"%s\" (IPv6): from the host, through its "
						   "port", p->text);

		dr_add(r, "rdr", hop, DR_SKIP, "no IPv6 router of the jail's to probe (::1 is "
		       "not forwarded)", NULL, NULL);
	}
	other_jail_hop(s, d, p, r);
}

/* A vnet jail, or a shared-IP one with rdr (to its alias). */
static bool has_rdr(const struct jail_def *d)
{
	size_t n;

	jd_list(d, JP_RDR, &n);
	return jd_on(d, JP_VNET) || n;
}

int doctor_services(const struct jail_set *s, const struct jail_def *d, const struct dr_opts *o,
		    struct dr_report *r, struct brig_err *e)
{
	struct net_rdr_path *v = NULL;
	size_t n = 0, matched = 0;
	struct brig_err pe = { 0 };
	struct jail_def *run = NULL;
	int pidfd, rc = 0;

	(void)e;
	pidfd = running_hop(d, &run, r);
	/* The rdr in place: the running jail's as it started. */
	if (run && has_rdr(run))
		rc = net_jail_rdrs(run, &v, &n, &pe);
	else if (!run && has_rdr(d))
		rc = net_jail_rdrs(d, &v, &n, &pe);
	if (rc < 0) {
		cleanup_free char *at = where(d, JP_RDR);

		dr_add(r, "service", "the jail's rdr", DR_FAIL, pe.msg, NULL, "correct it at %s", at);
	}
	for (size_t i = 0; i < n; i++) {
		if (o->rdr_port && v[i].hport != o->rdr_port)
			continue;
		listen_hop(d, pidfd, &v[i], r);
		if (o->rdr)
			probe_hops(s, d, &v[i], pidfd >= 0, r);
		matched++;
	}
	if (o->rdr_port && !matched)
		dr_add(r, "rdr", "rdr of the host port", DR_FAIL, "none", NULL,
		       "jail %s has no rdr of port %ld: add one (rdr = \"tcp %ld PORT\") in its "
		       "block", d->name, o->rdr_port, o->rdr_port);
	if (pidfd >= 0)
		close(pidfd);
	free(v);
	jail_def_free(run);
	return 0;
}
