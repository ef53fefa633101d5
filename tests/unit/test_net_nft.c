/* Declared bridges, NAT, port redirection (from outside, from the host,
 * hairpin between jails) and isolation, against the kernel.
 *
 * Runs only inside tests/integration/net_nft.sh's throwaway namespace
 * (BRIG_NET_LIVE=1), where br0 (10.10.0.1/24, fd00:10::1/64) is an admin's
 * bridge and "outside" is a namespace behind veth up0 (198.51.100.1/24 on
 * the host, .2 outside, no route back to any jail subnet). */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "net/model.h"
#include "net/net.h"
#include "net_live.h"
#include "net_testconf.h"
#include "sys/nft.h"

/* A declared bridge with one IPv4 (and optionally one IPv6) address. */
static void mkbridge(struct net_bridge *b, const char *name, const char *a4, const char *a6,
		     bool nat, bool isolate)
{
	memset(b, 0, sizeof(*b));
	b->name = name;
	b->addrs = xcalloc(2, sizeof(*b->addrs));
	assert_null(net_addr_parse(a4, AF_INET, true, &b->addrs[b->naddrs++]));
	if (a6)
		assert_null(net_addr_parse(a6, AF_INET6, true, &b->addrs[b->naddrs++]));
	b->nat = nat;
	b->isolate = isolate;
}

/* net_bridge_sync, failing the test on error. */
static void sync_bridge(const struct net_bridge *b)
{
	struct brig_err e = { 0 };
	struct nl nl;

	assert_int_equal(nl_open(&nl, &e), 0);
	if (net_bridge_sync(&nl, b, &e) < 0)
		fail_msg("net_bridge_sync %s: %s", b->name, e.msg);
	nl_close(&nl);
}

static int count(const char *tag)
{
	struct brig_err e = { 0 };
	int n = nft_count_tag(tag, &e);

	if (n < 0)
		fail_msg("nft_count_tag %s: %s", tag, e.msg);
	return n;
}

/* The "outside" network: a namespace behind veth up0. */
static pid_t outside(void)
{
	pid_t po = netns_proc();

	assert_int_equal(sh("ip link add up0 type veth peer name up1 netns %d && "
			    "ip addr add 198.51.100.1/24 dev up0 && ip link set up0 up && "
			    "nsenter -t %d -n sh -c 'ip addr add 198.51.100.2/24 dev up1 && "
			    "ip link set up1 up && ip link set lo up'", po, po), 0);
	return po;
}

/* A TCP server in jail pid answering "hello" on port; its pid. */
static pid_t serve(pid_t jail, int port)
{
	char path[256];
	FILE *f;
	int pid = 0;

	snprintf(path, sizeof(path), "%s/srv.pid", getenv("T") ? getenv("T") : "/tmp");
	assert_int_equal(sh("nsenter -t %d -n busybox nc -ll -p %d -e /bin/echo hello "
			    ">/dev/null 2>&1 & echo $! >%s", jail, port, path), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	/* Bounded wait for the listener. */
	for (int i = 0; i < 50; i++) {
		if (sh("nsenter -t %d -n sh -c 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null' | "
		       "grep -qi ':%04X 00000000:0000 0A'", jail, port) == 0)
			break;
		usleep(20000);
	}
	return pid;
}

/* Whether "hello" comes back from ADDR PORT, connecting from namespace
 * `from` (0: the host). */
static bool hello(pid_t from, const char *addr, int port)
{
	char ns[64] = "";

	if (from)
		snprintf(ns, sizeof(ns), "nsenter -t %d -n ", from);
	return sh("test \"$(%stimeout 5 busybox nc -w 2 %s %d </dev/null 2>/dev/null)\" = hello",
		  ns, addr, port) == 0;
}

static bool ping(pid_t from, const char *addr)
{
	return sh("nsenter -t %d -n busybox ping -c1 -W1 %s >/dev/null 2>&1", from, addr) == 0;
}

/* A declared bridge: created with a fixed MAC, addressed, ruled, up;
 * syncing again changes nothing. */
static void test_declared_bridge(void **state)
{
	struct net_bridge b;
	uint8_t m[6];
	char mac[32];
	int index = 0, mtu = 0;
	struct brig_err e = { 0 };
	struct net_networks nw = { 0 };
	struct nl nl;

	(void)state;
	NEED_LIVE();
	mkbridge(&b, "br1", "10.20.0.1/24", "fd00:20::1/64", true, true);
	sync_bridge(&b);
	net_mac("br1", "bridge", m);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	assert_int_equal(sh("ip -d link show br1 | grep -q 'link/ether %s'", mac), 0);
	assert_int_equal(sh("ip -d link show br1 | grep -q 'bridge forward_delay'"), 0);
	assert_int_equal(sh("ip -br addr show br1 | grep -q '10.20.0.1/24 fd00:20::1/64'"), 0);
	assert_int_equal(sh("ip link show br1 | grep -q '<.*UP'"), 0);
	/* Two masquerades (one per family), two isolation drops, the guard
	 * of its route_localnet (an IPv4 bridge). */
	assert_int_equal(count("bridge:br1"), 5);
	assert_int_equal(sh("grep -qx 1 /proc/sys/net/ipv4/conf/br1/route_localnet"), 0);
	assert_int_equal(sh("nft list set inet brig bridges | grep -q '\"br1\"'"), 0);
	assert_int_equal(sh("grep -qx 1 /proc/sys/net/ipv4/ip_forward"), 0);
	assert_int_equal(sh("grep -qx 1 /proc/sys/net/ipv6/conf/all/forwarding"), 0);
	sync_bridge(&b);
	assert_int_equal(count("bridge:br1"), 5);
	assert_int_equal(sh("test $(ip -o addr show br1 | grep -c 'inet ') = 1"), 0);
	/* Already up: net_bridge_ensure leaves it as it is, without even
	 * reading the declarations (an unloaded, empty set here). */
	assert_int_equal(nl_open(&nl, &e), 0);
	assert_int_equal(net_bridge_ensure(&nl, "br1", &nw, &index, &mtu, &e), 0);
	assert_false(nw.loaded);
	assert_true(index > 0);
	assert_int_equal(mtu, 1500);
	nl_close(&nl);
	free(b.addrs);
}

/* rdr: from outside, from the host (its own addresses), from another jail
 * (hairpin), over IPv6; gone once the jail's rules are removed. */
static void test_rdr(void **state)
{
	struct conf_jail web, dns;
	struct recs r = { 0 };
	struct brig_err e = { 0 };
	pid_t pw, pd, po, srv;

	(void)state;
	NEED_LIVE();
	po = outside();
	tc_jail(&web, "web", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		"ip6.addr=fd00:10::5/64", "ip4.defaultrouter=10.10.0.1",
		"ip6.defaultrouter=fd00:10::1", "rdr=tcp 8080 80", "rdr+=udp 5353 53", NULL);
	tc_jail(&dns, "dns", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.2/24",
		"ip6.addr=fd00:10::2/64", "ip4.defaultrouter=10.10.0.1", NULL);
	pw = netns_proc();
	pd = netns_proc();
	up(&web, 1, pw, &r);
	up(&dns, 2, pd, &r);
	/* Each port's filter, then web's rdr rules, recorded before they
	 * are made, and before the pairs. */
	assert_int_equal(r.n, 5);
	assert_string_equal(r.id[0], "port:e1a");
	assert_string_equal(r.kind[1], "nft");
	assert_string_equal(r.id[1], "jail:web");
	assert_string_equal(r.id[2], "e1a");
	assert_string_equal(r.id[3], "port:e2a");
	/* 2 rdr x 2 families x (prerouting + output), 2 x 2 masquerades. */
	assert_int_equal(count("jail:web"), 12);
	assert_int_equal(count("jail:dns"), 0);
	srv = serve(pw, 80);
	assert_true(hello(pw, "127.0.0.1", 80));
	assert_true(hello(0, "10.10.0.1", 8080));
	assert_true(hello(0, "198.51.100.1", 8080));
	assert_true(hello(po, "198.51.100.1", 8080));
	assert_true(hello(pd, "10.10.0.1", 8080));
	assert_true(hello(pd, "198.51.100.1", 8080));
	assert_true(hello(0, "fd00:10::1", 8080));
	/* Starting again replaces the rules, it does not add more. */
	kill_proc(pw);
	pw = netns_proc();
	up(&web, 1, pw, &r);
	assert_int_equal(count("jail:web"), 12);

	assert_int_equal(net_obj_remove(JOBJ_NFT, "jail:web", &e), 0);
	assert_int_equal(count("jail:web"), 0);
	assert_false(hello(0, "10.10.0.1", 8080));
	assert_int_equal(net_obj_remove(JOBJ_NFT, "jail:web", &e), 0);
	kill(srv, SIGKILL);
	kill_proc(pw);
	kill_proc(pd);
	kill_proc(po);
	sh("ip link del up0 2>/dev/null");
	tc_jail_free(&web);
	tc_jail_free(&dns);
}

/* Isolated bridges reach their gateway and, with nat, the outside; not
 * other brig bridges. Non-isolated ones route to each other. */
static void test_isolation(void **state)
{
	struct net_bridge b[4];
	struct conf_jail j[4];
	struct recs r = { 0 };
	pid_t p[4], po;
	static const char *const names[] = { "bra", "brb", "brc", "brd" };
	static const char *const nets[] = { "10.30.0", "10.40.0", "10.50.0", "10.60.0" };
	char a[64], gw[64], br[64];

	(void)state;
	NEED_LIVE();
	po = outside();
	for (int i = 0; i < 4; i++) {
		snprintf(a, sizeof(a), "%s.1/24", nets[i]);
		mkbridge(&b[i], names[i], a, NULL, i == 0, i < 2);
		sync_bridge(&b[i]);
		snprintf(br, sizeof(br), "vnet.bridge=%s", names[i]);
		snprintf(a, sizeof(a), "ip4.addr=%s.5/24", nets[i]);
		snprintf(gw, sizeof(gw), "ip4.defaultrouter=%s.1", nets[i]);
		tc_jail(&j[i], names[i] + 2, "vnet", br, a, gw, NULL);
		p[i] = netns_proc();
		up(&j[i], 50 + i, p[i], &r);
	}
	/* Routing between bridges is the admin's choice when no nat asks
	 * for it; here it is on, to show that the drops are isolation. */
	assert_int_equal(sh("echo 1 >/proc/sys/net/ipv4/ip_forward"), 0);
	assert_true(ping(p[2], "10.60.0.5"));
	assert_true(ping(p[3], "10.50.0.5"));
	assert_true(ping(p[0], "10.30.0.1"));
	assert_false(ping(p[0], "10.40.0.5"));
	assert_false(ping(p[1], "10.30.0.5"));
	assert_false(ping(p[0], "10.50.0.5"));
	assert_false(ping(p[2], "10.30.0.5"));
	/* bra has nat: the outside (no route back to 10.30.0.0/24) answers
	 * the host's address. */
	assert_true(ping(p[0], "198.51.100.2"));
	assert_false(ping(p[2], "198.51.100.2"));
	for (int i = 0; i < 4; i++) {
		kill_proc(p[i]);
		tc_jail_free(&j[i]);
		free(b[i].addrs);
	}
	kill_proc(po);
	sh("ip link del up0 2>/dev/null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declared_bridge),
		cmocka_unit_test(test_rdr),
		cmocka_unit_test(test_isolation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
