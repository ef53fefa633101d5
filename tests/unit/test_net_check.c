/* The network model without the kernel: parameters parsed and checked,
 * bad input refused with the jail and parameter named, conflicts between
 * jails, networks.conf blocks, the nft rules generated. */
#include <libmnl/libmnl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/model.h"
#include "net/net.h"
#include "conf_helpers.h"
#include "net_testconf.h"
#include "sys/nft.h"
#include "sys/nft_expr.h"

/* Parse jail "web" with the given parameters; expect an error containing
 * want (NULL: expect success). */
#define PARSE_EXPECT(want, ...) parse_expect(want, __VA_ARGS__, NULL)

static void parse_expect(const char *want, ...)
{
	struct conf_jail j;
	struct conf *c;
	struct net_jail m;
	struct brig_err e = { 0 };
	const char *s;
	va_list ap;
	int rc;

	tc_jail_init(&j, "web");
	va_start(ap, want);
	while ((s = va_arg(ap, const char *)))
		tc_set(&j, s);
	va_end(ap);
	c = tc_load(&j, 1, CONF_SCHEMA_JAILS);
	rc = net_jail_parse(tc_model(c, "web"), &m, &e);
	if (want) {
		if (rc == 0)
			fail_msg("expected an error with \"%s\", got success", want);
		if (!strstr(e.msg, want))
			fail_msg("expected \"%s\" in \"%s\"", want, e.msg);
		/* Every refusal names the parameter (core adds the jail). */
		assert_true(strncmp(e.msg, "ip", 2) == 0 || strncmp(e.msg, "rdr", 3) == 0 ||
			    strncmp(e.msg, "vnet", 4) == 0);
	} else {
		if (rc != 0)
			fail_msg("unexpected error: %s", e.msg);
		net_jail_free(&m);
	}
	conf_free(c);
	tc_jail_free(&j);
}

static void test_addresses(void **state)
{
	(void)state;
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24");
	PARSE_EXPECT("ip4.addr \"10.10.0.5\": missing prefix length (write ADDR/LEN, "
		     "e.g. 10.10.0.5/24)", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5");
	PARSE_EXPECT("ip6.addr \"fd00::5\": missing prefix length", "vnet",
		     "vnet.bridge=br0", "ip6.addr=fd00::5");
	PARSE_EXPECT("not an IPv4 address", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.300/24");
	PARSE_EXPECT("not an IPv4 address", "vnet", "vnet.bridge=br0", "ip4.addr=fd00::5/64");
	PARSE_EXPECT("not an IPv6 address", "vnet", "vnet.bridge=br0", "ip6.addr=10.0.0.1/24");
	PARSE_EXPECT("bad prefix length (0 to 32)", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/33");
	PARSE_EXPECT("bad prefix length", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/x");
	PARSE_EXPECT("address given twice", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "ip4.addr+=10.10.0.5/16");
	/* FreeBSD's IFACE|ADDR form. */
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "vnet.interface=epair_wb",
		     "ip4.addr=epair_wb|10.10.0.5/24", "ip4.addr+=10.10.0.6/24");
	PARSE_EXPECT("ip4.addr \"eth9|10.10.0.5/24\": the jail has no interface \"eth9\"",
		     "vnet", "vnet.bridge=br0", "ip4.addr=eth9|10.10.0.5/24");
	PARSE_EXPECT("the jail has no network interface", "vnet", "ip4.addr=10.10.0.5/24");
}

/* vnet.bridge with several bridges: one veth pair each, the i-th in the
 * i-th bridge; default names e<JID>b, e<JID>b1, ...; an address goes on
 * one by the bridge's name. */
static void test_bridges(void **state)
{
	struct conf_jail j;
	struct conf *c;
	struct net_jail m;
	struct net_if *at;
	struct brig_err e = { 0 };

	(void)state;
	tc_jail_init(&j, "web");
	tc_set(&j, "vnet");
	tc_set(&j, "vnet.bridge=front");
	tc_set(&j, "vnet.bridge+=back");
	tc_set(&j, "ip4.addr=10.10.0.5/24");
	tc_set(&j, "ip4.addr+=back|10.20.0.5/24");
	tc_set(&j, "ip4.defaultrouter=10.20.0.1");
	c = tc_load(&j, 1, CONF_SCHEMA_JAILS);
	if (net_jail_parse(tc_model(c, "web"), &m, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(m.nifs, 2);
	assert_string_equal(m.ifs[0].bridge, "front");
	assert_string_equal(m.ifs[1].bridge, "back");
	assert_int_equal(m.nips, 2);
	assert_int_equal(m.ips[0].ifi, 0);
	assert_int_equal(m.ips[1].ifi, 1);
	assert_int_equal(m.gw4.ifi, 1);
	assert_memory_not_equal(m.ifs[0].jmac, m.ifs[1].jmac, 6);
	at = net_jail_at(&m, 42);
	assert_string_equal(at[0].jname, "e42b");
	assert_string_equal(at[0].hname, "e42a");
	assert_string_equal(at[1].jname, "e42b1");
	assert_string_equal(at[1].hname, "e42a1");
	free(at);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	PARSE_EXPECT("vnet.bridge \"br0\": named twice", "vnet", "vnet.bridge=br0",
		     "vnet.bridge+=br0");
	PARSE_EXPECT("nor one on a bridge of that name", "vnet", "vnet.bridge=br0",
		     "ip4.addr=br1|10.10.0.5/24");
	/* A named first interface, a default-named second one. */
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "vnet.bridge+=br1", "vnet.interface=epair_wb",
		     "ip4.addr=br1|10.10.1.5/24", "ip4.addr+=epair_wb|10.10.0.5/24");
}

static void test_routers(void **state)
{
	(void)state;
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		     "ip4.defaultrouter=10.10.0.1");
	PARSE_EXPECT("ip4.defaultrouter \"10.9.0.1\": not reachable", "vnet",
		     "vnet.bridge=br0", "ip4.addr=10.10.0.5/24", "ip4.defaultrouter=10.9.0.1");
	PARSE_EXPECT("not reachable", "vnet", "vnet.bridge=br0", "ip4.defaultrouter=10.9.0.1");
	PARSE_EXPECT("the jail's own address", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "ip4.defaultrouter=10.10.0.5");
	PARSE_EXPECT("a prefix length is not allowed here", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "ip4.defaultrouter=10.10.0.1/24");
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip6.addr=fd00:10::5/64",
		     "ip6.defaultrouter=fd00:10::1");
	PARSE_EXPECT("ip6.defaultrouter \"fd00:11::1\": not reachable", "vnet",
		     "vnet.bridge=br0", "ip6.addr=fd00:10::5/64", "ip6.defaultrouter=fd00:11::1");
	/* Link-local routers are on the link. */
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip6.defaultrouter=fe80::1");
	/* A /22 reaches further than a /24 would. */
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip4.addr=10.10.1.5/22",
		     "ip4.defaultrouter=10.10.3.254");
	PARSE_EXPECT("not reachable", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.1.5/23",
		     "ip4.defaultrouter=10.10.3.254");
}

static void test_rdr(void **state)
{
	(void)state;
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24", "rdr=tcp 8080 80");
	PARSE_EXPECT("rdr \"tcp 0 80\": host side \"0\": port 0 is not allowed", "vnet",
		     "vnet.bridge=br0", "ip4.addr=10.10.0.5/24", "rdr=tcp 0 80");
	PARSE_EXPECT("jail port \"0\": port 0 is not allowed", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "rdr=tcp 80 0");
	PARSE_EXPECT("port over 65535", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		     "rdr=udp 65536 53");
	PARSE_EXPECT("port over 65535", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		     "rdr=udp 53 99999999999999999999");
	PARSE_EXPECT("not a port number", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		     "rdr=udp -1 53");
	PARSE_EXPECT("rdr \"sctp 80 80\": unknown protocol \"sctp\" (tcp or udp)", "vnet",
		     "vnet.bridge=br0", "ip4.addr=10.10.0.5/24", "rdr=sctp 80 80");
	PARSE_EXPECT("write PROTO [HOSTADDR:]HOSTPORT JAILPORT", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "rdr=tcp 8080");
	PARSE_EXPECT("host port tcp/8080 is already forwarded by rdr \"tcp 8080 80\"", "vnet",
		     "vnet.bridge=br0", "ip4.addr=10.10.0.5/24", "rdr=tcp 8080 80",
		     "rdr+=tcp 8080 81");
	/* Same port, other protocol or other host address: fine. */
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24", "rdr=tcp 53 53",
		     "rdr+=udp 53 53");
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		     "rdr=tcp 192.0.2.1:80 80", "rdr+=tcp 192.0.2.2:80 80");
	PARSE_EXPECT("already forwarded", "vnet", "vnet.bridge=br0", "ip4.addr=10.10.0.5/24",
		     "rdr=tcp 192.0.2.1:80 80", "rdr+=tcp 80 80");
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "ip6.addr=fd00::5/64",
		     "rdr=tcp [2001:db8::1]:443 443");
	PARSE_EXPECT("a loopback address cannot be redirected", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "rdr=tcp 127.0.0.1:80 80");
	PARSE_EXPECT("a loopback address cannot be redirected", "vnet", "vnet.bridge=br0",
		     "ip6.addr=fd00::5/64", "rdr=tcp [::1]:80 80");
	PARSE_EXPECT("write an IPv6 host address as [ADDR]:PORT", "vnet", "vnet.bridge=br0",
		     "ip6.addr=fd00::5/64", "rdr=tcp [2001:db8::1]443 443");
	PARSE_EXPECT("the jail has no ip6.addr address on a bridge", "vnet", "vnet.bridge=br0",
		     "ip4.addr=10.10.0.5/24", "rdr=tcp [2001:db8::1]:443 443");
	PARSE_EXPECT("the jail has no address on a bridge to forward to", "vnet",
		     "vnet.bridge=br0", "rdr=tcp 80 80");
}

static void test_names(void **state)
{
	(void)state;
	PARSE_EXPECT("vnet.interface \"epair_0123456789b\": longer than the kernel's "
		     "15-byte limit", "vnet", "vnet.bridge=br0", "vnet.interface=epair_0123456789b");
	/* 15 bytes without a final b: the host end would need 16. */
	PARSE_EXPECT("the host end \"abcdefghijklmnoa\" would be longer", "vnet",
		     "vnet.bridge=br0", "vnet.interface=abcdefghijklmno");
	PARSE_EXPECT(NULL, "vnet", "vnet.bridge=br0", "vnet.interface=abcdefghijklmnb");
	PARSE_EXPECT("vnet.bridge \"bridge_0123456789\": longer", "vnet",
		     "vnet.bridge=bridge_0123456789");
	PARSE_EXPECT("may not contain", "vnet", "vnet.bridge=br/0");
	PARSE_EXPECT("named twice", "vnet", "vnet.bridge=br0", "vnet.interface=e0b",
		     "vnet.interface+=e0b");
	/* Without vnet, the network parameters of a vnet jail make no sense. */
	/* Without vnet, rdr goes to the jail's shared address: it needs one. */
	PARSE_EXPECT("rdr \"tcp 80 80\": the jail has no address to forward to", "rdr=tcp 80 80");
	PARSE_EXPECT("the jail has no ip6.addr address to forward to", "ip4.addr=lan0|192.0.2.5",
		     "rdr=tcp [2001:db8::1]:80 80");
	PARSE_EXPECT("vnet.bridge: needs vnet", "vnet.bridge=br0");
	PARSE_EXPECT("needs vnet", "vnet=inherit", "ip4.defaultrouter=10.0.0.1");
	PARSE_EXPECT(NULL, "ip4.addr=10.0.0.5");
}

/* The network of jail j, as the loader makes its model (*c: free it). */
static void parse_ok(struct conf_jail *j, struct conf **c, struct net_jail *m)
{
	struct brig_err e;

	*c = tc_load(j, 1, CONF_SCHEMA_JAILS);
	if (net_jail_parse(tc_model(*c, j->name), m, &e) < 0)
		fail_msg("%s: %s", j->name, e.msg);
}

/* Interface names: defaults, the seed's convention, MACs. */
static void test_interfaces(void **state)
{
	struct conf_jail j;
	struct conf *c;
	struct net_jail m;
	struct net_if *at;

	(void)state;
	tc_jail(&j, "dns", "vnet", "vnet.bridge=bridge0", "vnet.interface=epair_dnsb",
		"vnet.interface+=eth1", "ip4.addr=10.10.0.2/24", NULL);
	parse_ok(&j, &c, &m);
	assert_int_equal(m.nifs, 2);
	assert_string_equal(m.ifs[0].jname, "epair_dnsb");
	assert_string_equal(m.ifs[0].hname, "epair_dnsa");
	assert_string_equal(m.ifs[0].bridge, "bridge0");
	assert_false(m.ifs[0].default_name);
	assert_string_equal(m.ifs[1].jname, "eth1");
	assert_null(m.ifs[1].bridge);
	/* Locally administered unicast, distinct per end and per interface. */
	assert_int_equal(m.ifs[0].jmac[0] & 0x03, 0x02);
	assert_int_equal(m.ifs[0].hmac[0] & 0x03, 0x02);
	assert_memory_not_equal(m.ifs[0].jmac, m.ifs[0].hmac, 6);
	assert_memory_not_equal(m.ifs[0].jmac, m.ifs[1].jmac, 6);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	tc_jail(&j, "web", "vnet", "vnet.bridge=bridge0", "vnet.interface+=eth1", NULL);
	parse_ok(&j, &c, &m);
	assert_int_equal(m.nifs, 1);
	assert_string_equal(m.ifs[0].jname, "eth1");
	assert_string_equal(m.ifs[0].hname, "eth1a");
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* More interfaces than bridges: host interfaces moved in as they are. */
	tc_jail(&j, "fw", "vnet", "vnet.interface=enp3s0", NULL);
	parse_ok(&j, &c, &m);
	assert_null(m.ifs[0].bridge);
	assert_string_equal(m.ifs[0].hname, "enp3s0");
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* The default names: e<JID>b, e<JID>a, known once the JID is. */
	tc_jail(&j, "web", "vnet", "vnet.bridge=bridge0", NULL);
	parse_ok(&j, &c, &m);
	assert_true(m.ifs[0].default_name);
	at = net_jail_at(&m, 7);
	assert_string_equal(at[0].jname, "e7b");
	assert_string_equal(at[0].hname, "e7a");
	assert_memory_equal(at[0].jmac, m.ifs[0].jmac, 6);
	free(at);
	at = net_jail_at(&m, 2147483647);
	assert_string_equal(at[0].jname, "e2147483647b");
	assert_string_equal(at[0].hname, "e2147483647a");
	free(at);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);
}

static void test_mac_stable(void **state)
{
	uint8_t a[6], b[6], c[6];

	(void)state;
	net_mac("web", "jail 0", a);
	net_mac("web", "jail 0", b);
	net_mac("db", "jail 0", c);
	assert_memory_equal(a, b, 6);
	assert_memory_not_equal(a, c, 6);
}

/* Jails checked against each other (through the plan of the two). */
static void check_pair(const char *want, struct conf_jail *jails)
{
	struct conf *c = tc_load(jails, 2, CONF_SCHEMA_JAILS);
	struct net_plan *p = net_plan_new(conf_jail_set(c));
	const struct jail_def *d = tc_model(c, jails[1].name);
	const struct net_jail *m;
	struct brig_err e = { 0 };
	int rc;

	assert_non_null(m = net_plan_jail(p, d, &e));
	rc = net_check_others(p, d, m, &e);
	if (want) {
		assert_int_equal(rc, -1);
		if (!strstr(e.msg, want))
			fail_msg("expected \"%s\" in \"%s\"", want, e.msg);
	} else {
		if (rc != 0)
			fail_msg("unexpected error: %s", e.msg);
	}
	net_plan_free(p);
	conf_free(c);
	tc_jail_free(&jails[0]);
	tc_jail_free(&jails[1]);
}

static void test_conflicts(void **state)
{
	struct conf_jail v[2];

	(void)state;
	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24", NULL);
	check_pair("ip4.addr \"10.10.0.3/24\": jail db has the same address on bridge "
		   "bridge0", v);

	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge1", "ip4.addr=10.10.0.3/24", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24", NULL);
	check_pair(NULL, v);

	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip6.addr=fd00::3/64", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip6.addr=fd00:0::3/64", NULL);
	check_pair("ip6.addr \"fd00:0::3/64\": jail db has the same address", v);

	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24",
		"rdr=tcp 8080 80", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.4/24",
		"rdr=tcp 8080 8080", NULL);
	check_pair("rdr \"tcp 8080 8080\": host port tcp/8080 is also forwarded by jail db",
		   v);

	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24",
		"rdr=udp 8080 80", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.4/24",
		"rdr=tcp 8080 8080", NULL);
	check_pair(NULL, v);

	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "vnet.interface=epair_xb", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge1", "vnet.interface=epair_xb", NULL);
	check_pair("vnet.interface \"epair_xb\": jail db uses the same host interface "
		   "epair_xa", v);

	/* A shared-IP jail's rdr clashes with a vnet jail's, and the other
	 * way round; its address on the host is no vnet jail's concern. */
	tc_jail(&v[0], "db", "ip4.addr=lan0|192.0.2.3", "rdr=tcp 8080 80", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.4/24",
		"rdr=tcp 8080 8080", NULL);
	check_pair("rdr \"tcp 8080 8080\": host port tcp/8080 is also forwarded by jail db",
		   v);
	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.4/24",
		"rdr=tcp 8080 8080", NULL);
	tc_jail(&v[1], "web", "ip4.addr=lan0|192.0.2.3", "rdr=tcp 8080 80", NULL);
	check_pair("rdr \"tcp 8080 80\": host port tcp/8080 is also forwarded by jail db", v);

	/* A jail without vnet takes no part; nor does one with errors. */
	tc_jail(&v[0], "db", "ip4.addr=10.10.0.3/24", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24", NULL);
	check_pair(NULL, v);
	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24", NULL);
	check_pair(NULL, v);
}

/* The plan's index names, of the jails one clashes with, the first of
 * the set, as comparing it with each in turn (net_pair_clashes) does; an
 * rdr's host addresses are compared after its protocol and port. */
static void test_index_first(void **state)
{
	static const char *const want[] = {
		"rdr \"tcp 192.0.2.1:8080 80\": host port tcp/8080 is also forwarded by jail g "
		"(rdr \"tcp 8080 80\")",
		"vnet.interface \"epair_xb\": jail f uses the same host interface epair_xa",
		NULL,
		"ip4.addr \"10.0.0.7/24\": jail f has the same address on bridge bridge0",
		"rdr \"tcp 192.0.2.2:8080 80\": host port tcp/8080 is also forwarded by jail g "
		"(rdr \"tcp 8080 80\")",
		"vnet.interface \"epair_xb\": jail b uses the same host interface epair_xa",
		"rdr \"tcp 8080 80\": host port tcp/8080 is also forwarded by jail a "
		"(rdr \"tcp 192.0.2.1:8080 80\")",
		"rdr \"tcp 192.0.2.2:8080 80\": host port tcp/8080 is also forwarded by jail e "
		"(rdr \"tcp 192.0.2.2:8080 80\")",
	};
	struct conf_jail v[8];
	struct conf *c;
	const struct jail_set *s;
	struct net_plan *p;

	(void)state;
	tc_jail(&v[0], "a", "vnet", "vnet.bridge=bridge1", "ip4.addr=10.0.0.7/24",
		"rdr=tcp 192.0.2.1:8080 80", NULL);
	tc_jail(&v[1], "b", "vnet", "vnet.bridge=bridge0", "vnet.interface=epair_xb", NULL);
	tc_jail(&v[2], "c", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.0.0.9/24", "rdr=udp 8080 80",
		NULL);
	tc_jail(&v[3], "d", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.0.0.7/24", NULL);
	tc_jail(&v[4], "e", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.0.0.8/24",
		"rdr=tcp 192.0.2.2:8080 80", NULL);
	tc_jail(&v[5], "f", "vnet", "vnet.bridge=bridge0", "vnet.interface=epair_xb",
		"ip4.addr=10.0.0.7/24", NULL);
	tc_jail(&v[6], "g", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.0.0.10/24", "rdr=tcp 8080 80",
		NULL);
	tc_jail(&v[7], "h", "ip4.addr=lan0|192.0.2.1", "rdr=tcp 192.0.2.2:8080 80", NULL);
	c = tc_load(v, 8, CONF_SCHEMA_JAILS);
	s = conf_jail_set(c);
	p = net_plan_new(s);
	for (size_t i = 0; i < s->n; i++) {
		struct brig_err e = { 0 }, ref = { 0 };
		const struct net_jail *m = net_plan_jail(p, s->v[i], &e), *o;
		int rc;

		assert_non_null(m);
		rc = net_check_others(p, s->v[i], m, &e);
		/* What comparing with every other jail in turn finds. */
		for (size_t k = 0; k < s->n && !ref.msg[0]; k++) {
			struct net_clashes cl = { 0 };

			if ((o = net_plan_other(p, s->v[i], k)))
				net_pair_clashes(m, o, &cl);
			if (cl.n)
				snprintf(ref.msg, sizeof(ref.msg), "%s \"%s\": %s", jd_name(cl.v[0].param),
					 cl.v[0].value, cl.v[0].why);
			net_clashes_free(&cl);
		}
		if (want[i]) {
			assert_int_equal(rc, -1);
			assert_string_equal(e.msg, want[i]);
			assert_string_equal(ref.msg, want[i]);
		} else {
			if (rc != 0)
				fail_msg("%s: %s", s->v[i]->name, e.msg);
			assert_string_equal(ref.msg, "");
		}
	}
	net_plan_free(p);
	conf_free(c);
	for (size_t i = 0; i < 8; i++)
		tc_jail_free(&v[i]);
}

/* net_jail_check: bad input is refused before the kernel is asked. */
static void test_check_refuses_first(void **state)
{
	struct conf_jail v[2];
	struct conf *c;
	struct net_plan *p;
	struct brig_err e = { 0 };

	(void)state;
	tc_jail(&v[0], "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3/24", NULL);
	tc_jail(&v[1], "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.3", NULL);
	c = tc_load(v, 2, CONF_SCHEMA_JAILS);
	p = net_plan_new(conf_jail_set(c));
	assert_int_equal(net_jail_check(p, tc_model(c, "web"), &e), -1);
	assert_non_null(strstr(e.msg, "missing prefix length"));
	net_plan_free(p);
	conf_free(c);
	tc_jail_free(&v[0]);
	tc_jail_free(&v[1]);

	/* A jail without vnet: nothing to check. */
	tc_jail(&v[0], "plain", "ip4.addr=192.0.2.1", NULL);
	c = tc_load(v, 1, CONF_SCHEMA_JAILS);
	p = net_plan_new(conf_jail_set(c));
	assert_int_equal(net_jail_check(p, tc_model(c, "plain"), &e), 0);
	net_plan_free(p);
	conf_free(c);
	tc_jail_free(&v[0]);
}

static void test_subnets(void **state)
{
	struct nl_addr s, a;
	char buf[64];

	(void)state;
	assert_null(net_addr_parse("10.10.0.1/24", AF_INET, true, &s));
	assert_null(net_addr_parse("10.10.0.200", AF_INET, false, &a));
	assert_true(net_addr_in(&s, &a));
	assert_null(net_addr_parse("10.10.1.200", AF_INET, false, &a));
	assert_false(net_addr_in(&s, &a));
	net_addr_fmt(&s, true, true, buf, sizeof(buf));
	assert_string_equal(buf, "10.10.0.0/24");
	assert_null(net_addr_parse("10.10.0.1/0", AF_INET, true, &s));
	assert_true(net_addr_in(&s, &a));
	assert_null(net_addr_parse("fd00:10::1/64", AF_INET6, true, &s));
	assert_null(net_addr_parse("fd00:10::ffff:1", AF_INET6, false, &a));
	assert_true(net_addr_in(&s, &a));
	assert_null(net_addr_parse("fd00:11::1", AF_INET6, false, &a));
	assert_false(net_addr_in(&s, &a));
	assert_null(net_addr_parse("fd00:10::1/61", AF_INET6, true, &s));
	assert_null(net_addr_parse("fd00:10:0:7::1", AF_INET6, false, &a));
	assert_true(net_addr_in(&s, &a));
	assert_null(net_addr_parse("fd00:10:0:8::1", AF_INET6, false, &a));
	assert_false(net_addr_in(&s, &a));
	net_addr_fmt(&s, true, true, buf, sizeof(buf));
	assert_string_equal(buf, "fd00:10::/61");
	/* Families never mix. */
	assert_null(net_addr_parse("10.10.0.1/24", AF_INET, true, &s));
	assert_null(net_addr_parse("::a0a:1", AF_INET6, false, &a));
	assert_false(net_addr_in(&s, &a));
}

static void test_rules_jail(void **state)
{
	struct conf_jail j;
	struct conf *c;
	struct net_jail m;
	char *r;

	(void)state;
	tc_jail(&j, "web", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.5/24",
		"ip6.addr=fd00:10::5/64", "rdr=tcp 8080 80", "rdr+=udp 192.0.2.1:5353 53", NULL);
	parse_ok(&j, &c, &m);
	r = net_rules_jail(&m);
	assert_non_null(strstr(r, "add rule inet brig prerouting meta nfproto ipv4 fib daddr type "
				  "local tcp dport 8080 dnat ip to 10.10.0.5:80 comment \"jail:web\"\n"));
	/* From the host: 127.0.0.1 too (IPv4), not ::1. */
	assert_non_null(strstr(r, "add rule inet brig output meta nfproto ipv4 fib daddr type local "
				  "tcp dport 8080 dnat ip to 10.10.0.5:80 comment \"jail:web\"\n"));
	assert_non_null(strstr(r, "add rule inet brig output meta nfproto ipv6 fib daddr type local "
				  "ip6 daddr != ::1 tcp dport 8080 dnat ip6 to [fd00:10::5]:80 "));
	assert_non_null(strstr(r, "prerouting meta nfproto ipv4 ip daddr 192.0.2.1 udp dport 5353 "
				  "dnat ip to 10.10.0.5:53"));
	assert_non_null(strstr(r, "prerouting meta nfproto ipv6 fib daddr type local tcp dport "
				  "8080 dnat ip6 to [fd00:10::5]:80"));
	/* The IPv4-only rdr is not given to IPv6. */
	assert_null(strstr(r, "ip6 daddr 192.0.2.1"));
	assert_non_null(strstr(r, "postrouting meta nfproto ipv4 ip saddr 10.10.0.0/24 ip daddr "
				  "10.10.0.5 ct status dnat masquerade"));
	assert_non_null(strstr(r, "postrouting meta nfproto ipv6 ip6 daddr fd00:10::5 ct status dnat "
				  "fib saddr type local masquerade"));
	/* Every line names table inet brig and carries the jail's tag. */
	for (char *p = r; *p; p = strchr(p, '\n') + 1) {
		assert_int_equal(strncmp(p, "add rule inet brig ", 19), 0);
		assert_non_null(strstr(p, "comment \"jail:web\"\n"));
	}
	free(r);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* An rdr for one host address needs that family alone. */
	tc_jail(&j, "dns", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.2/24",
		"ip6.addr=fd00:10::2/64", "rdr=udp 192.0.2.1:53 53", NULL);
	parse_ok(&j, &c, &m);
	assert_true(net_rdr_family(&m, AF_INET));
	assert_false(net_rdr_family(&m, AF_INET6));
	r = net_rules_jail(&m);
	assert_null(strstr(r, "ipv6"));
	free(r);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* A shared-IP jail: to its first address of each family, which is
	 * the host's (an alias): nothing masqueraded; the host's loopback
	 * made the jail's address (IPv4: ::1 is no rdr source). */
	tc_jail(&j, "www", "interface=lan0", "ip4.addr=192.0.2.5", "ip4.addr+=192.0.2.6",
		"ip6.addr=lan0|2001:db8::5/64", "rdr=tcp 8080 80", NULL);
	parse_ok(&j, &c, &m);
	r = net_rules_jail(&m);
	assert_non_null(strstr(r, "add rule inet brig prerouting meta nfproto ipv4 fib daddr type "
				  "local tcp dport 8080 dnat ip to 192.0.2.5:80 comment \"jail:www\"\n"));
	assert_non_null(strstr(r, "add rule inet brig output meta nfproto ipv4 fib daddr type local "
				  "tcp dport 8080 dnat ip to 192.0.2.5:80 comment \"jail:www\"\n"));
	assert_non_null(strstr(r, "prerouting meta nfproto ipv6 fib daddr type local tcp dport "
				  "8080 dnat ip6 to [2001:db8::5]:80"));
	assert_null(strstr(r, "192.0.2.6"));
	assert_null(strstr(r, "masquerade"));
	assert_non_null(strstr(r, "add rule inet brig postrouting meta nfproto ipv4 ip saddr "
				  "127.0.0.0/8 ip daddr 192.0.2.5 ct status dnat snat ip to 192.0.2.5 "
				  "comment \"jail:www\"\n"));
	assert_null(strstr(r, "postrouting meta nfproto ipv6"));
	free(r);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* No rdr, no rules. */
	tc_jail(&j, "db", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.5/24", NULL);
	parse_ok(&j, &c, &m);
	assert_null(net_rules_jail(&m));
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);
}

/* Every rule of a port filter is one sys/nft_expr.c can encode (they are
 * sent without libnftables). */
static void encodes(const char *rules)
{
	static char buf[65536];

	for (const char *p = rules; *p;) {
		size_t len = strcspn(p, "\n");
		struct nlmsghdr *m = mnl_nlmsg_put_header(buf);
		struct brig_err e = { 0 };

		if (len && nft_expr_rule(m, p, len, &e) < 0)
			fail_msg("%s", e.msg);
		p += len + (p[len] == '\n');
	}
}

/* The anti-spoofing filter of a jail's bridge ports. */
static void test_rules_spoof(void **state)
{
	struct conf_jail j;
	struct conf *c;
	struct net_jail m;
	const uint8_t *mac;
	char *r, want[256];

	(void)state;
	tc_jail(&j, "web", "vnet", "vnet.bridge=bridge0", "vnet.interface=epair_webb",
		"vnet.interface+=web1b", "vnet.interface+=eth9", "ip4.addr=10.10.0.5/24",
		"ip4.addr+=10.10.0.6/24", "ip6.addr=fd00:10::5/64", "ip4.addr+=web1b|10.20.0.5/24",
		NULL);
	parse_ok(&j, &c, &m);
	assert_true(m.spoofcheck);
	/* A host interface moved in has no port to filter. */
	assert_null(net_spoof_rules(&m, 2));
	assert_null(net_spoof_rules(&m, 1));
	r = net_spoof_rules(&m, 0);
	assert_non_null(r);
	mac = m.ifs[0].jmac;
	snprintf(want, sizeof(want), "ether saddr != %02x:%02x:%02x:%02x:%02x:%02x drop\n", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	assert_int_equal(strncmp(r, want, strlen(want)), 0);
	assert_non_null(strstr(r, "\nether type != arp ether type != ip ether type != ip6 drop\n"));
	snprintf(want, sizeof(want), "\narp saddr ether != %02x:%02x:%02x:%02x:%02x:%02x drop\n",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	assert_non_null(strstr(r, want));
	assert_non_null(strstr(r, "\narp saddr ip != 10.10.0.5 arp saddr ip != 10.10.0.6 drop\n"));
	assert_non_null(strstr(r, "\nip saddr != 10.10.0.5 ip saddr != 10.10.0.6 drop\n"));
	/* IPv6: its address and the link-local one from its MAC (EUI-64). */
	snprintf(want, sizeof(want), "\nip6 saddr != fd00:10::5 ip6 saddr != fe80::%x:%x:%x:%x "
		 "drop\n", (mac[0] ^ 2) << 8 | mac[1], mac[2] << 8 | 0xff, 0xfe00 | mac[3],
		 mac[4] << 8 | mac[5]);
	assert_non_null(strstr(r, want));
	assert_non_null(strstr(r, "\nicmpv6 type nd-neighbor-advert @th,64,128 != "
				  "0xfd000010000000000000000000000005 @th,64,128 != 0xfe80"));
	snprintf(want, sizeof(want), "\nicmpv6 type nd-neighbor-advert @th,192,8 2 @th,208,48 != "
		 "0x%02x%02x%02x%02x%02x%02x drop\n", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	assert_non_null(strstr(r, want));
	assert_non_null(strstr(r, "\nicmpv6 type nd-router-advert drop\n"));
	/* No anonymous set (sys/nft_expr.c has none). */
	assert_null(strchr(r, '{'));
	encodes(r);
	free(r);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* web1b: its own IPv4 address (IFACE|ADDR), no IPv6 at all. */
	tc_jail(&j, "web", "vnet", "vnet.bridge=bridge1", "vnet.interface=web1b",
		"ip4.addr=web1b|10.20.0.5/24", NULL);
	parse_ok(&j, &c, &m);
	r = net_spoof_rules(&m, 0);
	assert_non_null(strstr(r, "\nip saddr != 10.20.0.5 drop\n"));
	assert_non_null(strstr(r, "\nether type ip6 drop\n"));
	encodes(r);
	free(r);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* No IPv4 address: no ARP, no IPv4. */
	tc_jail(&j, "v6", "vnet", "vnet.bridge=bridge0", "ip6.addr=fd00:10::7/64", NULL);
	parse_ok(&j, &c, &m);
	r = net_spoof_rules(&m, 0);
	assert_non_null(strstr(r, "\nether type arp drop\nether type ip drop\n"));
	assert_null(strstr(r, "arp saddr"));
	encodes(r);
	free(r);
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);

	/* vnet.spoofcheck = 0: none. */
	tc_jail(&j, "raw", "vnet", "vnet.bridge=bridge0", "ip4.addr=10.10.0.8/24",
		"vnet.spoofcheck=false", NULL);
	parse_ok(&j, &c, &m);
	assert_null(net_spoof_rules(&m, 0));
	net_jail_free(&m);
	conf_free(c);
	tc_jail_free(&j);
}

/* The bridges v as networks.conf's loader makes them (kept in nw). */
static int networks(struct net_networks *nw, const struct conf_jail *v, size_t n,
		    struct brig_err *e)
{
	memset(nw, 0, sizeof(*nw));
	nw->conf = tc_load(v, n, CONF_SCHEMA_NETWORKS);
	nw->defs = net_defs_build(nw->conf, &nw->ndefs);
	return net_networks_from_defs(nw, nw->defs, nw->ndefs, e);
}

static void test_networks(void **state)
{
	static const char *const bad_host[][3] = {
		{ "host=53", NULL, "not PORT/PROTO" },
		{ "host=53/icmp", NULL, "unknown protocol" },
		{ "host=0/udp", NULL, "port 0 is not allowed" },
		{ "host=70000/tcp", NULL, "port over 65535" },
		{ "host=90-80/tcp", NULL, "the range ends before it starts" },
		{ "host=none", "host+=53/udp", "none and all stand alone" },
	};
	struct conf_jail v[2];
	struct net_networks nw;
	struct brig_err e = { 0 };
	char *r;

	(void)state;
	tc_jail(&v[0], "bridge0", "ip4.addr=10.10.0.1/24", "ip6.addr=fd00:10::1/64", "nat",
		"isolate", "mtu=9000", NULL);
	tc_jail(&v[1], "bridge1", "ip4.addr=10.20.0.1/24", NULL);
	assert_int_equal(networks(&nw, v, 2, &e), 0);
	assert_int_equal(nw.n, 2);
	assert_non_null(net_networks_find(&nw, "bridge1"));
	assert_null(net_networks_find(&nw, "bridge2"));
	assert_true(nw.v[0].nat);
	assert_true(nw.v[0].isolate);
	assert_false(nw.v[1].nat);
	assert_int_equal(nw.v[0].mtu, 9000);
	assert_int_equal(nw.v[0].naddrs, 2);
	r = net_rules_bridge(&nw.v[0]);
	assert_non_null(strstr(r, "add rule inet brig postrouting meta nfproto ipv4 ip saddr "
				  "10.10.0.0/24 oifname != \"bridge0\" masquerade comment "
				  "\"bridge:bridge0\"\n"));
	assert_non_null(strstr(r, "ip6 saddr fd00:10::/64 oifname != \"bridge0\" masquerade"));
	assert_non_null(strstr(r, "add rule inet brig forward iifname \"bridge0\" oifname != "
				  "\"bridge0\" oifname @bridges drop comment \"bridge:bridge0\"\n"));
	assert_non_null(strstr(r, "add rule inet brig forward oifname \"bridge0\" iifname != "
				  "\"bridge0\" iifname @bridges drop"));
	assert_non_null(strstr(r, "add element inet brig bridges { \"bridge0\" }\n"));
	free(r);
	r = net_rules_bridge(&nw.v[1]);
	assert_string_equal(r, "add rule inet brig guard iifname \"bridge1\" ip daddr 127.0.0.0/8 "
			    "drop comment \"bridge:bridge1\"\n"
			    "add element inet brig bridges { \"bridge1\" }\n");
	free(r);
	net_networks_free(&nw);
	tc_jail_free(&v[0]);
	tc_jail_free(&v[1]);

	/* host: what the jails may reach of the host itself. */
	tc_jail(&v[0], "bridge0", "ip4.addr=10.10.0.1/24", "host=53/udp", "host+=8000-8080/TCP",
		"host+=icmp", NULL);
	tc_jail(&v[1], "bridge1", "host=none", NULL);
	assert_int_equal(networks(&nw, v, 2, &e), 0);
	assert_true(nw.v[0].host_limited);
	assert_int_equal(nw.v[0].nhost, 3);
	r = net_rules_bridge(&nw.v[0]);
	assert_non_null(strstr(r, "add rule inet brig input iifname \"bridge0\" ct state "
				  "established,related accept comment \"bridge:bridge0\"\n"));
	assert_non_null(strstr(r, "input iifname \"bridge0\" udp dport 53 accept"));
	assert_non_null(strstr(r, "input iifname \"bridge0\" tcp dport 8000-8080 accept"));
	assert_non_null(strstr(r, "input iifname \"bridge0\" icmp type echo-request accept"));
	assert_non_null(strstr(r, "input iifname \"bridge0\" icmpv6 type echo-request accept"));
	assert_non_null(strstr(r, "input iifname \"bridge0\" drop comment \"bridge:bridge0\"\n"));
	free(r);
	assert_true(nw.v[1].host_limited);
	assert_int_equal(nw.v[1].nhost, 0);
	r = net_rules_bridge(&nw.v[1]);
	assert_non_null(strstr(r, "input iifname \"bridge1\" icmpv6 type { nd-neighbor-solicit"));
	assert_null(strstr(r, "dport"));
	assert_non_null(strstr(r, "input iifname \"bridge1\" drop"));
	free(r);
	net_networks_free(&nw);
	tc_jail_free(&v[0]);
	tc_jail_free(&v[1]);
	tc_jail(&v[0], "bridge0", "host=all", NULL);
	assert_int_equal(networks(&nw, v, 1, &e), 0);
	assert_false(nw.v[0].host_limited);
	net_networks_free(&nw);
	tc_jail_free(&v[0]);
	for (size_t i = 0; i < sizeof(bad_host) / sizeof(bad_host[0]); i++) {
		tc_jail(&v[0], "br9", bad_host[i][0], bad_host[i][1], NULL);
		assert_int_equal(networks(&nw, v, 1, &e), -1);
		assert_non_null(strstr(e.msg, "bridge br9: host \""));
		assert_non_null(strstr(e.msg, bad_host[i][2]));
		net_networks_free(&nw);
		tc_jail_free(&v[0]);
	}

	tc_jail(&v[0], "bridge0", "ip4.addr=10.10.0.1", NULL);
	tc_jail(&v[1], "bridge1", "mtu=20", NULL);
	assert_int_equal(networks(&nw, v, 1, &e), -1);
	assert_string_equal(e.msg, "test.conf: bridge bridge0: ip4.addr \"10.10.0.1\": missing "
			    "prefix length");
	net_networks_free(&nw);
	assert_int_equal(networks(&nw, v + 1, 1, &e), -1);
	assert_non_null(strstr(e.msg, "bridge bridge1: mtu 20: out of range"));
	net_networks_free(&nw);
	tc_jail_free(&v[0]);
	tc_jail_free(&v[1]);
}

/* Commands outside table inet brig never reach the kernel. */
static void test_nft_guard(void **state)
{
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(nft_run("add rule ip filter input drop\n", 0, &e), -1);
	assert_non_null(strstr(e.msg, "refusing a command outside tables inet brig and bridge brig"));
	assert_int_equal(nft_run("delete chain bridge filter forward\n", 0, &e), -1);
	assert_int_equal(nft_run("add rule bridge brigx ports drop\n", 0, &e), -1);
	assert_int_equal(nft_port_set("a\"b", "jail:x", "drop", &e), -1);
	assert_int_equal(nft_port_set("e1a", "jail:x\"", "drop", &e), -1);
	assert_int_equal(nft_run("add rule inet brig forward drop\nflush ruleset\n", 0, &e), -1);
	assert_non_null(strstr(e.msg, "\"flush ruleset\""));
	assert_int_equal(nft_run("add rule inet brigx forward drop\n", 0, &e), -1);
	assert_int_equal(nft_replace_tag("jail:a\" drop", NULL, &e), -1);
	assert_int_equal(nft_replace_tag("jail:x", "delete table inet brig\n", &e), -1);
}

/* The seed's layout through the real configuration engine: a shared base
 * with $short, $ip4, $gw4 and brig's vnet.bridge instead of the hooks. */
static void test_seed_conf(void **state)
{
	static const char base[] =
		"vnet;\n"
		"vnet.interface = \"epair_${short}b\";\n"
		"vnet.bridge = \"bridge0\";\n"
		"ip4.addr = \"$ip4\";\n"
		"ip4.defaultrouter = \"$gw4\";\n"
		"path = \"/jails/${name}\";\n";
	static const char jails[] =
		"dns { $short = dns; $ip4 = 10.10.0.2/24; $gw4 = 10.10.0.1;\n"
		"      .include \"base.conf\"; }\n"
		"db  { $short = db;  $ip4 = 10.10.0.3/24; $gw4 = 10.10.0.1;\n"
		"      .include \"base.conf\"; ip6.addr = \"fd00:10::3/64\", \"fd00:10::33/64\"; }\n"
		"web { $short = web; $ip4 = 10.10.0.4/24; $gw4 = 10.10.0.1;\n"
		"      .include \"base.conf\"; rdr = \"tcp 8080 80\", \"udp 5353 53\"; }\n"
		"bad { $short = bad; $ip4 = 10.10.0.4/24; $gw4 = 10.10.0.1;\n"
		"      .include \"base.conf\"; rdr = \"tcp 8080 81\"; }\n";
	struct ld l;
	const struct jail_set *set;
	struct net_plan *p;
	const struct net_jail *m;
	struct brig_err e = { 0 };

	(void)state;
	if (LOADF(&l, "jail.conf", jails, "base.conf", base) != 0)
		fail_msg("%s", l.msgs);
	set = conf_jail_set(l.c);
	p = net_plan_new(set);
	assert_non_null(m = net_plan_jail(p, jail_set_find(set, "web"), &e));
	assert_true(m->vnet);
	assert_string_equal(m->ifs[0].jname, "epair_webb");
	assert_string_equal(m->ifs[0].hname, "epair_weba");
	assert_string_equal(m->ifs[0].bridge, "bridge0");
	assert_true(m->gw4.set);
	assert_int_equal(m->nrdrs, 2);
	/* ip6.addr as a list: two addresses. */
	if (!(m = net_plan_jail(p, jail_set_find(set, "db"), &e)))
		fail_msg("%s", e.msg);
	assert_int_equal(m->nips, 3);
	if (net_check_others(p, jail_set_find(set, "db"), m, &e) < 0)
		fail_msg("%s", e.msg);
	/* "bad" copies web's address and host port. */
	assert_non_null(m = net_plan_jail(p, jail_set_find(set, "bad"), &e));
	assert_int_equal(net_check_others(p, jail_set_find(set, "bad"), m, &e), -1);
	assert_string_equal(e.msg, "ip4.addr \"10.10.0.4/24\": jail web has the same "
			    "address on bridge bridge0");
	net_plan_free(p);
	ld_free(&l);
}

/* The jails of a plan: NJ vnet jails on bridge (j0 ... j19, each its own
 * address, j19 with j0's; every other one an rdr port of its own) and one
 * without vnet; loaded as test.conf. */
#define NJ 20
static struct conf *plan_conf(const char *bridge)
{
	struct conf_jail v[NJ + 1];
	struct conf *c;
	char name[16], br[64], addr[64];

	for (int i = 0; i < NJ; i++) {
		snprintf(name, sizeof(name), "j%d", i);
		snprintf(br, sizeof(br), "vnet.bridge=%s", bridge);
		snprintf(addr, sizeof(addr), "ip4.addr=10.10.0.%d/24", i == NJ - 1 ? 2 : i + 2);
		tc_jail(&v[i], name, "vnet", br, addr, NULL);
		if (i % 2) {
			snprintf(addr, sizeof(addr), "rdr=tcp %d 80", 8000 + i);
			tc_set(&v[i], addr);
		}
	}
	tc_jail(&v[NJ], "plain", "ip4.addr=192.0.2.1", NULL);
	c = tc_load(v, NJ + 1, CONF_SCHEMA_JAILS);
	for (int i = 0; i <= NJ; i++)
		tc_jail_free(&v[i]);
	return c;
}

/* One plan: each jail's network parsed once, however many jails are
 * checked against it; clashes found as before. */
static void test_plan_parses_once(void **state)
{
	struct conf *c = plan_conf("bridge0");
	const struct jail_set *s = conf_jail_set(c);
	struct net_plan *p = net_plan_new(s);
	struct net_clashes cl;
	struct brig_err e = { 0 };
	const struct net_jail *m;

	(void)state;
	for (size_t i = 0; i < s->n; i++) {
		int rc = net_jail_clash(p, s->v[i], &e);

		if (i == 0 || i == NJ - 1) {
			assert_int_equal(rc, -1);
			assert_string_equal(e.msg, i ? "ip4.addr \"10.10.0.2/24\": jail j0 has the same "
						       "address on bridge bridge0"
						     : "ip4.addr \"10.10.0.2/24\": jail j19 has the same "
						       "address on bridge bridge0");
		} else if (rc != 0) {
			fail_msg("%s: %s", s->v[i]->name, e.msg);
		}
	}
	/* Every jail once: NJ + 1, not NJ * NJ. */
	assert_int_equal(p->nparsed, NJ + 1);
	m = net_plan_jail(p, s->v[3], &e);
	assert_ptr_equal(net_plan_jail(p, s->v[3], &e), m);
	assert_int_equal(net_jail_clashes(p, s->v[NJ - 1], &cl), 1);
	assert_int_equal(cl.v[0].param, JP_IP4_ADDR);
	assert_string_equal(cl.v[0].why, "jail j0 has the same address on bridge bridge0");
	net_clashes_free(&cl);
	assert_int_equal(p->nparsed, NJ + 1);
	net_plan_free(p);

	/* Parsed before the fork of a start's workers: none parses again. */
	p = net_plan_new(s);
	net_plan_parse_all(p);
	assert_int_equal(p->nparsed, NJ + 1);
	for (size_t i = 1; i < NJ - 1; i++)
		assert_int_equal(net_jail_clash(p, s->v[i], &e), 0);
	assert_int_equal(p->nparsed, NJ + 1);
	net_plan_free(p);
	conf_free(c);
}

/* networks.conf is read once per plan: by the first check that needs it
 * (or net_plan_parse_all), not once per jail. */
static void test_plan_networks_once(void **state)
{
	struct conf *c = plan_conf("nosuchbr0");
	const struct jail_set *s = conf_jail_set(c);
	struct net_plan *p = net_plan_new(s);
	struct brig_err e = { 0 };

	(void)state;
	for (size_t i = 1; i < 4; i++) {
		assert_int_equal(net_jail_check(p, s->v[i], &e), -1);
		assert_string_equal(e.msg, "vnet.bridge \"nosuchbr0\": no such bridge, and "
				    "networks.conf does not declare it");
	}
	assert_int_equal(p->nw.nloads, 1);
	/* A start asks the host each time (a batch's earlier hook may
	 * have made the bridge); config check once a bridge. */
	assert_int_equal(p->nseen, 0);
	for (size_t i = 1; i < 4; i++) {
		struct diag dg = { 0 };

		assert_int_equal(net_jail_lint(p, s->v[i], &dg), -1);
		diag_free(&dg);
	}
	assert_int_equal(p->nseen, 1);
	net_plan_free(p);

	p = net_plan_new(s);
	net_plan_parse_all(p);
	assert_int_equal(p->nw.nloads, 1);
	assert_int_equal(net_jail_check(p, s->v[1], &e), -1);
	assert_int_equal(p->nw.nloads, 1);
	net_plan_free(p);

	/* A broken networks.conf: read once too, its error told each time. */
	{
		char dir[] = "/tmp/brig-test-nw.XXXXXX";
		char path[64];
		FILE *f;

		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/networks.conf", dir);
		assert_non_null(f = fopen(path, "w"));
		fputs("bridge0 { nat = maybe; }\n", f);
		fclose(f);
		setenv("BRIG_CONFDIR", dir, 1);
		p = net_plan_new(s);
		for (size_t i = 1; i < 3; i++) {
			assert_int_equal(net_jail_check(p, s->v[i], &e), -1);
			assert_non_null(strstr(e.msg, "networks.conf: "));
		}
		assert_int_equal(p->nw.nloads, 1);
		net_plan_free(p);
		setenv("BRIG_CONFDIR", "/nonexistent/brig-test", 1);
		unlink(path);
		rmdir(dir);
	}
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_bridges),
		cmocka_unit_test(test_routers),
		cmocka_unit_test(test_rdr),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_mac_stable),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_check_refuses_first),
		cmocka_unit_test(test_subnets),
		cmocka_unit_test(test_rules_jail),
		cmocka_unit_test(test_rules_spoof),
		cmocka_unit_test(test_networks),
		cmocka_unit_test(test_nft_guard),
		cmocka_unit_test(test_seed_conf),
		cmocka_unit_test(test_plan_parses_once),
		cmocka_unit_test(test_plan_networks_once),
		cmocka_unit_test(test_index_first),
	};

	/* No networks.conf from the machine. */
	setenv("BRIG_CONFDIR", "/nonexistent/brig-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
