# The network plumbing against the kernel, driven from C
# (tests/unit/test_net_live.c), inside this test's own namespace.
. tests/integration/lib/common.sh
bin="$BUILD/asan/tests/test_net_live"
[ -x "$bin" ] || skip "$bin not built"
# An admin's bridge, made the usual way (brig uses it, does not own it).
ip link add br0 type bridge
ip addr add 10.10.0.1/24 dev br0
ip addr add fd00:10::1/64 dev br0 nodad
ip link set br0 up
BRIG_NET_LIVE=1 CMOCKA_MESSAGE_OUTPUT=stdout "$bin" >"$T/live.log" 2>&1 || {
	cat "$T/live.log"
	fail "test_net_live failed"
}
cat "$T/live.log"
grep -q '^\[  PASSED  \] 7 test' "$T/live.log" || fail "not every live test passed"
