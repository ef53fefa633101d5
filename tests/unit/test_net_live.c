/* The network plumbing against the kernel: veth pairs, bridges, addresses,
 * routes, nft rules, removal, leftovers.
 *
 * Runs only inside the throwaway namespace of tests/integration/net_live.sh
 * (which sets BRIG_NET_LIVE=1 and makes bridge br0 the way an admin would);
 * skipped everywhere else, because it creates kernel objects. Each "jail"
 * is a child process in a network namespace of its own. */
#include <net/if.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sched.h>

#include <cmocka.h>

#include "net/model.h"
#include "net/net.h"
#include "net_live.h"
#include "net_testconf.h"
#include "sys/nft.h"

/* Addresses, routes, MAC, bridge port, reachability of the gateway. */
static void test_plumbing(void **state)
{
	struct conf_jail j;
	struct recs r = { 0 };
	char mac[32];
	uint8_t m[6];
	pid_t pid;

	(void)state;
	NEED_LIVE();
	tc_jail(&j, "web", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		"ip6.addr=fd00:10::5/64", "ip4.defaultrouter=10.10.0.1",
		"ip6.defaultrouter=fd00:10::1", NULL);
	pid = netns_proc();
	up(&j, 7, pid, &r);
	/* The port's filter is recorded and made before the pair. */
	assert_int_equal(r.n, 2);
	assert_string_equal(r.kind[0], "nft");
	assert_string_equal(r.id[0], "port:e7a");
	assert_string_equal(r.kind[1], "veth");
	assert_string_equal(r.id[1], "e7a");

	assert_int_equal(sh("ip -d link show e7a | grep -q 'master br0'"), 0);
	assert_int_equal(sh("ip link show e7a | grep -q 'state UP'"), 0);
	assert_int_equal(sh("ip -d link show e7a | grep -q 'alias jail:web'"), 0);
	assert_int_equal(sh("nsenter -t %d -n ip -br addr show e7b | grep -q '10.10.0.5/24'", pid), 0);
	assert_int_equal(sh("nsenter -t %d -n ip -br addr show e7b | grep -q 'fd00:10::5/64'", pid), 0);
	assert_int_equal(sh("nsenter -t %d -n ip route | grep -q 'default via 10.10.0.1 dev e7b'",
			    pid), 0);
	assert_int_equal(sh("nsenter -t %d -n ip -6 route | grep -q 'default via fd00:10::1 dev e7b'",
			    pid), 0);
	net_mac("web", "jail 0", m);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	assert_int_equal(sh("nsenter -t %d -n ip link show e7b | grep -q 'link/ether %s'", pid,
			    mac), 0);
	assert_int_equal(sh("nsenter -t %d -n busybox ping -c1 -W2 10.10.0.1 >/dev/null", pid), 0);
	assert_int_equal(sh("nsenter -t %d -n busybox ping -6 -c1 -W2 fd00:10::1 >/dev/null", pid), 0);
	/* IPv6 in the jail: its link-local address too; the bridge port has
	 * none (it would only add chatter to every other port). */
	assert_int_equal(sh("nsenter -t %d -n ip -6 addr show dev e7b | grep -q 'inet6 fe80::'", pid),
			 0);
	assert_int_equal(sh("test -z \"$(ip -6 addr show dev e7a)\""), 0);
	/* The jail's end goes with its namespace. */
	kill_proc(pid);
	for (int i = 0; i < 50 && sh("ip link show e7a >/dev/null 2>&1") == 0; i++)
		usleep(20000);
	assert_int_not_equal(sh("ip link show e7a >/dev/null 2>&1"), 0);
	tc_jail_free(&j);
}

/* Two jails on one bridge reach each other. */
static void test_two_jails(void **state)
{
	struct conf_jail a, b;
	struct recs r = { 0 };
	pid_t pa, pb;

	(void)state;
	NEED_LIVE();
	tc_jail(&a, "dns", "vnet", "vnet.bridge=br0", "vnet.interface=epair_dnsb",
		"ip4.addr=10.10.0.2/24", "ip6.addr=fd00:10::2/64", NULL);
	tc_jail(&b, "db", "vnet", "vnet.bridge=br0", "vnet.interface=epair_dbb",
		"ip4.addr=epair_dbb|10.10.0.3/24", "ip6.addr=fd00:10::3/64", NULL);
	pa = netns_proc();
	pb = netns_proc();
	up(&a, 1, pa, &r);
	up(&b, 2, pb, &r);
	assert_string_equal(r.id[0], "port:epair_dnsa");
	assert_string_equal(r.id[1], "epair_dnsa");
	assert_string_equal(r.id[2], "port:epair_dba");
	assert_string_equal(r.id[3], "epair_dba");
	assert_int_equal(sh("nsenter -t %d -n busybox ping -c1 -W2 10.10.0.3 >/dev/null", pa), 0);
	assert_int_equal(sh("nsenter -t %d -n busybox ping -6 -c1 -W2 fd00:10::2 >/dev/null", pb), 0);
	kill_proc(pa);
	kill_proc(pb);
	tc_jail_free(&a);
	tc_jail_free(&b);
}

/* A leftover of the same jail is replaced; someone else's interface is not. */
static void test_leftover(void **state)
{
	struct conf_jail j, x;
	struct recs r = { 0 };
	struct rec rec = { .add = rec_cb, .ctx = &r };
	struct brig_err e = { 0 };
	pid_t p1, p2;
	int old;

	(void)state;
	NEED_LIVE();
	tc_jail(&j, "cache", "vnet", "vnet.bridge=br0", "vnet.interface=epair_cacheb",
		"ip4.addr=10.10.0.9/24", NULL);
	p1 = netns_proc();
	p2 = netns_proc();
	up(&j, 3, p1, &r);
	old = (int)if_nametoindex("epair_cachea");
	/* A second start while the first one's pair is still there (the
	 * state was lost in a crash): the old pair is retired, cut off and
	 * renamed, and goes with its namespace. */
	up(&j, 3, p2, &r);
	assert_int_equal(sh("ip -o link show brig-%d | grep -q 'state DOWN'", old), 0);
	assert_int_equal(sh("ip -d link show brig-%d | grep -q master", old), 1);
	assert_int_equal(sh("nsenter -t %d -n ip link show epair_cacheb >/dev/null", p2), 0);
	assert_int_equal(sh("test $(ip -o link show | grep -c epair_cachea) = 1"), 0);
	kill_proc(p1);
	assert_int_equal(retired_gone(old), 0);
	kill_proc(p2);
	assert_int_equal(link_gone("epair_cachea"), 0);
	/* A leftover with both ends here (made by hand) would stay: deleted. */
	assert_int_equal(sh("ip link add epair_cachea type veth peer name cpeer && "
			    "ip link set epair_cachea alias jail:cache"), 0);
	p1 = netns_proc();
	up(&j, 3, p1, &r);
	assert_int_equal(sh("ip link show cpeer >/dev/null 2>&1"), 1);
	kill_proc(p1);

	assert_int_equal(sh("ip link add epair_xa type veth peer name xpeer"), 0);
	tc_jail(&x, "x", "vnet", "vnet.bridge=br0", "vnet.interface=epair_xb", NULL);
	p1 = netns_proc();
	assert_int_equal(up_e(&x, 4, p1, &rec, &e), -1);
	assert_non_null(strstr(e.msg, "interface epair_xa exists and is not a leftover"));
	assert_int_equal(sh("ip link show epair_xa >/dev/null"), 0);
	assert_int_equal(sh("ip link del epair_xa"), 0);
	kill_proc(p1);
	tc_jail_free(&j);
	tc_jail_free(&x);
}

/* Recorded objects are removed; gone counts as removed; only brig's veths
 * go. */
static void test_remove(void **state)
{
	struct conf_jail j;
	struct recs r = { 0 };
	struct brig_err e = { 0 };
	pid_t pid;
	int index;

	(void)state;
	NEED_LIVE();
	tc_jail(&j, "rm", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.20/24", NULL);
	pid = netns_proc();
	up(&j, 20, pid, &r);
	assert_int_equal(sh("ip link show e20a >/dev/null"), 0);
	/* No IPv6 configured: no IPv6 address at all on the interface. */
	assert_int_equal(sh("test -z \"$(nsenter -t %d -n ip -6 addr show dev e20b)\"", pid), 0);
	index = (int)if_nametoindex("e20a");
	/* The "jail" still holds its namespace: the pair is retired (off the
	 * bridge, down, renamed), and goes with the namespace. */
	assert_int_equal(net_obj_remove(JOBJ_VETH, "e20a", &e), 0);
	assert_int_not_equal(sh("ip link show e20a >/dev/null 2>&1"), 0);
	assert_int_equal(sh("ip -o link show brig-%d | grep -q 'state DOWN'", index), 0);
	assert_int_equal(sh("ip -d link show brig-%d | grep -q master", index), 1);
	assert_int_equal(net_obj_remove(JOBJ_VETH, "e20a", &e), 0);
	/* What someone else made under a recorded name (the start that
	 * recorded it failed on it): left alone, nothing of the jail's. */
	assert_int_equal(net_obj_remove(JOBJ_VETH, "br0", &e), 0);
	assert_int_equal(sh("ip link show br0 >/dev/null"), 0);
	assert_int_equal(sh("ip link add admin0 type veth peer name admin1"), 0);
	assert_int_equal(net_obj_remove(JOBJ_VETH, "admin0", &e), 0);
	assert_int_equal(sh("ip link show admin0 >/dev/null && ip link show admin1 >/dev/null"), 0);
	assert_int_equal(sh("ip link del admin0"), 0);
	assert_int_equal(net_obj_remove(JOBJ_NFT, "bridge:br0", &e), -1);
	assert_int_equal(net_obj_remove(JOBJ_NFT, "jail:nosuch", &e), 0);
	assert_int_equal(net_obj_remove(JOBJ_MOUNT, "/x", &e), -1);
	kill_proc(pid);
	assert_int_equal(retired_gone(index), 0);
	/* The retired name taken by an interface of the admin's: deleted
	 * instead, the admin's left alone. */
	pid = netns_proc();
	up(&j, 21, pid, &r);
	index = (int)if_nametoindex("e21a");
	assert_int_equal(sh("ip link add brig-%d type veth peer name admins", index), 0);
	assert_int_equal(net_obj_remove(JOBJ_VETH, "e21a", &e), 0);
	assert_int_not_equal(sh("ip link show e21a >/dev/null 2>&1"), 0);
	assert_int_not_equal(sh("nsenter -t %d -n ip link show e21b >/dev/null 2>&1", pid), 0);
	assert_int_equal(sh("ip link show admins >/dev/null"), 0);
	assert_int_equal(sh("ip link del brig-%d", index), 0);
	kill_proc(pid);
	tc_jail_free(&j);
}

/* A jail whose "init" shares the host's namespace is refused. */
static void test_host_netns_refused(void **state)
{
	struct conf_jail j;
	struct recs r = { 0 };
	struct rec rec = { .add = rec_cb, .ctx = &r };
	struct brig_err e = { 0 };

	(void)state;
	NEED_LIVE();
	tc_jail(&j, "bad", "vnet", "vnet.bridge=br0", NULL);
	assert_int_equal(up_e(&j, 30, getpid(), &rec, &e), -1);
	assert_non_null(strstr(e.msg, "no network namespace of its own"));
	assert_int_equal(r.n, 0);
	assert_int_not_equal(sh("ip link show e30a >/dev/null 2>&1"), 0);
	tc_jail_free(&j);
}

/* The kernel side of the checks: bridges that must exist and be bridges,
 * host interfaces to move in. */
static void test_check_kernel(void **state)
{
	struct conf_jail v[1];
	struct brig_err e = { 0 };

	(void)state;
	NEED_LIVE();
	tc_jail(&v[0], "web", "vnet", "vnet.bridge=nosuchbr", NULL);
	assert_int_equal(check_e(&v[0], &e), -1);
	assert_string_equal(e.msg, "vnet.bridge \"nosuchbr\": no such bridge, and "
			    "networks.conf does not declare it");
	tc_set(&v[0], "vnet.bridge=lo");
	assert_int_equal(check_e(&v[0], &e), -1);
	assert_string_equal(e.msg, "vnet.bridge \"lo\": an interface of that name exists "
			    "and is not a bridge");
	tc_set(&v[0], "vnet.bridge=br0");
	assert_int_equal(check_e(&v[0], &e), 0);
	tc_jail_free(&v[0]);

	/* Not there yet: exec.prestart may make it (the start's vnet step
	 * says when it is still missing then). */
	tc_jail(&v[0], "fw", "vnet", "vnet.interface=nosuchif0", NULL);
	assert_int_equal(check_e(&v[0], &e), 0);
	tc_jail_free(&v[0]);
}

/* FreeBSD's vnet.interface without a bridge: a host interface moved in. */
static void test_move_in(void **state)
{
	struct conf_jail j;
	struct recs r = { 0 };
	struct brig_err e = { 0 };
	pid_t pid;

	(void)state;
	NEED_LIVE();
	assert_int_equal(sh("ip link add mv0 type veth peer name mv0peer"), 0);
	tc_jail(&j, "fw", "vnet", "vnet.interface=mv0", "ip4.addr=192.0.2.5/24", NULL);
	pid = netns_proc();
	up(&j, 40, pid, &r);
	/* Recorded, so that a stop or the next brig returns it. */
	assert_int_equal(r.n, 1);
	assert_string_equal(r.kind[0], "ifmoved");
	/* NAME/IFINDEX: found by its index if the jail renames it. */
	assert_int_equal(strncmp(r.id[0], "mv0/", 4), 0);
	assert_int_not_equal(sh("ip link show mv0 >/dev/null 2>&1"), 0);
	assert_int_equal(sh("nsenter -t %d -n ip -br addr show mv0 | grep -q 192.0.2.5/24", pid),
			 0);
	/* Renamed in the jail: returned under its current name (found by the
	 * index recorded), without the jail's address; again: a no-op
	 * (already on the host). */
	assert_int_equal(sh("nsenter -t %d -n ip link set mv0 name mvjail", pid), 0);
	assert_int_equal(net_jail_return(pid, r.id[0], &e), 0);
	assert_int_equal(sh("ip link show mvjail >/dev/null 2>&1"), 0);
	assert_int_not_equal(sh("ip -br addr show mvjail | grep -q 192.0.2.5"), 0);
	assert_int_equal(sh("ip link set mvjail name mv0"), 0);
	assert_int_equal(net_jail_return(pid, r.id[0], &e), 0);
	assert_int_equal(sh("ip link show mv0 >/dev/null 2>&1"), 0);
	/* Replaced in the jail by a link of its own (a veth whose peer is in
	 * the jail): not let into the host's namespace. */
	assert_int_equal(sh("ip link set mv0 netns %d", pid), 0);
	assert_int_equal(sh("nsenter -t %d -n sh -c 'ip link del mv0 && "
			    "ip link add mv0 type veth peer name inner'", pid), 0);
	assert_int_equal(net_jail_return(pid, "mv0", &e), -1);
	assert_non_null(strstr(e.msg, "returning mv0 to the host: refused: mv0 in the jail is "
				      "linked to another namespace"));
	assert_int_not_equal(sh("ip link show mv0 >/dev/null 2>&1"), 0);
	kill_proc(pid);
	tc_jail_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plumbing),
		cmocka_unit_test(test_two_jails),
		cmocka_unit_test(test_leftover),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_host_netns_refused),
		cmocka_unit_test(test_check_kernel),
		cmocka_unit_test(test_move_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
