/* sys/nft_expr.c: a port filter's rules as nftables expressions, decoded
 * back and compared with what nft itself makes of the same rules
 * (tests/unit/data/nft_port_rules.txt, nft -d netlink's notation). */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sys/nft_expr.h"
#include "util/strbuf.h"

static uint32_t u32(const struct nlattr *a)
{
	return ntohl(mnl_attr_get_u32(a));
}

/* The attributes of nest, by type (up to 16). */
static void attrs(const struct nlattr *nest, const struct nlattr **tb)
{
	const struct nlattr *a;

	memset(tb, 0, 16 * sizeof(*tb));
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) < 16)
			tb[mnl_attr_get_type(a)] = a;
}

/* cmp's data as nft prints it: 32-bit words in host order. */
static void words(struct strbuf *sb, const struct nlattr *data)
{
	const struct nlattr *tb[16];
	const uint8_t *p;
	uint16_t len;

	attrs(data, tb);
	assert_non_null(tb[NFTA_DATA_VALUE]);
	p = mnl_attr_get_payload(tb[NFTA_DATA_VALUE]);
	len = mnl_attr_get_payload_len(tb[NFTA_DATA_VALUE]);
	for (uint16_t i = 0; i < len; i += 4) {
		uint32_t w = 0;

		for (uint16_t k = 0; k < 4 && i + k < len; k++)
			w |= (uint32_t)p[i + k] << (8 * k);
		sb_addf(sb, " 0x%08x", w);
	}
}

/* One expression in nft -d netlink's notation. */
static void decode_expr(struct strbuf *sb, const struct nlattr *x)
{
	static const char *const bases[] = { "link", "network", "transport" };
	static const char *const ops[] = { "eq", "neq", "lt", "lte", "gt", "gte" };
	const struct nlattr *tb[16], *d[16];
	const char *name;

	attrs(x, tb);
	assert_non_null(tb[NFTA_EXPR_NAME]);
	assert_non_null(tb[NFTA_EXPR_DATA]);
	name = mnl_attr_get_str(tb[NFTA_EXPR_NAME]);
	attrs(tb[NFTA_EXPR_DATA], d);
	if (!strcmp(name, "payload")) {
		assert_true(u32(d[NFTA_PAYLOAD_BASE]) < 3);
		sb_addf(sb, "  [ payload load %ub @ %s header + %u => reg %u ]\n",
			u32(d[NFTA_PAYLOAD_LEN]), bases[u32(d[NFTA_PAYLOAD_BASE])],
			u32(d[NFTA_PAYLOAD_OFFSET]), u32(d[NFTA_PAYLOAD_DREG]));
	} else if (!strcmp(name, "meta")) {
		uint32_t key = u32(d[NFTA_META_KEY]);

		assert_true(key == NFT_META_PROTOCOL || key == NFT_META_L4PROTO);
		sb_addf(sb, "  [ meta load %s => reg %u ]\n",
			key == NFT_META_PROTOCOL ? "protocol" : "l4proto", u32(d[NFTA_META_DREG]));
	} else if (!strcmp(name, "cmp")) {
		assert_true(u32(d[NFTA_CMP_OP]) < 6);
		sb_addf(sb, "  [ cmp %s reg %u", ops[u32(d[NFTA_CMP_OP])], u32(d[NFTA_CMP_SREG]));
		words(sb, d[NFTA_CMP_DATA]);
		sb_adds(sb, " ]\n");
	} else if (!strcmp(name, "immediate")) {
		const struct nlattr *v[16], *vd[16];

		attrs(d[NFTA_IMMEDIATE_DATA], v);
		attrs(v[NFTA_DATA_VERDICT], vd);
		sb_addf(sb, "  [ immediate reg %u %s ]\n", u32(d[NFTA_IMMEDIATE_DREG]),
			u32(vd[NFTA_VERDICT_CODE]) == NF_DROP ? "drop" : "accept");
	} else {
		fail_msg("unknown expression %s", name);
	}
}

/* rule through nft_expr_rule, decoded back; NULL if refused. */
static char *encode_decode(const char *rule)
{
	static char buf[65536];
	struct nlmsghdr *m = mnl_nlmsg_put_header(buf);
	struct brig_err e = { 0 };
	struct strbuf sb = STRBUF_INIT;
	const struct nlattr *a, *x;
	size_t before;

	before = m->nlmsg_len;
	if (nft_expr_rule(m, rule, strlen(rule), &e) < 0) {
		assert_int_equal(e.errnum, EINVAL);
		assert_int_equal(m->nlmsg_len, before);
		return NULL;
	}
	assert_true(m->nlmsg_len - before <= NFT_EXPR_MAX(strlen(rule)));
	mnl_attr_for_each(a, m, 0) {
		assert_int_equal(mnl_attr_get_type(a), NFTA_RULE_EXPRESSIONS);
		mnl_attr_for_each_nested(x, a)
			decode_expr(&sb, x);
	}
	return sb_steal(&sb);
}

/* Every rule of the data file gives the expressions nft gave it. */
static void test_like_nft(void **state)
{
	FILE *f = fopen("tests/unit/data/nft_port_rules.txt", "r");
	struct strbuf want = STRBUF_INIT;
	char line[1024], rule[1024] = "";
	int rules = 0;

	(void)state;
	assert_non_null(f);
	for (bool more = true; more;) {
		more = fgets(line, sizeof(line), f) != NULL;
		if (more && line[0] == '#')
			continue;
		if (more && line[0] == ' ') {
			sb_adds(&want, line);
			continue;
		}
		if (rule[0]) {
			char *got = encode_decode(rule);

			if (!got || strcmp(got, want.s))
				fail_msg("%s\nnft:\n%sbrig:\n%s", rule, want.s, got ? got : "(refused)\n");
			free(got);
			rules++;
		}
		sb_free(&want);
		if (more) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(rule, sizeof(rule), "%s", line);
		}
	}
	fclose(f);
	assert_int_equal(rules, 20);
}

/* Words it does not know, or values that do not fit, are refused. */
static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"ether saddr != 02:11:22:33:44:55",
		"ether saddr != 02:11:22:33:44 drop",
		"ether saddr != 02:11:22:33:44:55:66 drop",
		"ether type != vlan drop",
		"ip saddr 10.0.0.300 drop",
		"ip saddr != fd00::1 drop",
		"ip6 saddr != 10.0.0.1 drop",
		"udp sport 65536 accept",
		"icmpv6 type 136-135 drop",
		"icmpv6 type nd-neighbor-advert != 135-136 drop",
		"@th,4,8 1 drop",
		"@th,192,8 0x1234 drop",
		"@th,192,8 256 drop",
		"@th,64,136 1 drop",
		"ip saddr > 10.0.0.1 drop",
		"ip saddr != drop",
		"tcp dport 22 drop",
		"ether saddr != 02:11:22:33:44:55 reject",
		"ip saddr 10.0.0.1 ip saddr",
		"meta mark 1 drop",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *got = encode_decode(bad[i]);

		if (got)
			fail_msg("\"%s\" encoded as\n%s", bad[i], got);
	}
}

/* A rule of many addresses (an interface with 60) has no limit. */
static void test_long(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *got;

	(void)state;
	for (int i = 0; i < 60; i++)
		sb_addf(&sb, "ip6 saddr != fd00:10::%x ", i + 1);
	sb_adds(&sb, "drop");
	got = encode_decode(sb.s);
	assert_non_null(got);
	assert_non_null(strstr(got, "0x100000fd 0x00000000 0x00000000 0x3c000000 ]\n"
				    "  [ immediate reg 0 drop ]\n"));
	free(got);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_nft),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
