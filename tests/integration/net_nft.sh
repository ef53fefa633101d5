# Declared bridges, NAT, rdr (outside, host, hairpin, IPv6) and isolation,
# driven from C (tests/unit/test_net_nft.c), inside this test's namespace.
. tests/integration/lib/common.sh
bin="$BUILD/asan/tests/test_net_nft"
[ -x "$bin" ] || skip "$bin not built"
ip link add br0 type bridge
ip addr add 10.10.0.1/24 dev br0
ip addr add fd00:10::1/64 dev br0 nodad
ip link set br0 up
BRIG_NET_LIVE=1 CMOCKA_MESSAGE_OUTPUT=stdout "$bin" >"$T/live.log" 2>&1 || {
	cat "$T/live.log"
	fail "test_net_nft failed"
}
cat "$T/live.log"
grep -q '^\[  PASSED  \] 3 test' "$T/live.log" || fail "not every live test passed"
# Only brig's tables exist, and every rule in them carries a tag.
expect_eq "tables" "table bridge brig
table inet brig" "$(nft list tables | sort)"
nft list table inet brig | grep -E 'masquerade|dnat|drop|accept' | grep -v 'policy accept' |
	grep -v 'comment "\(jail\|bridge\):' && fail "an untagged rule"
exit 0
