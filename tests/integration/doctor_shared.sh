# brig doctor JAIL (issue 17) on a shared-IP jail: its aliases on the
# host's interface and the socket programs on its cgroup are OK; an alias
# removed, or its interface down, is named at its hop (exit status 1).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v python3 >/dev/null || skip "python3 missing"
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail cannot have a user namespace"
ip link add lan0 type veth peer name lan1
ip addr add 192.0.2.1/24 dev lan0
ip addr add 2001:db8::1/64 dev lan0 nodad
ip link set lan1 up
ip link set lan0 up
conf "www { path = \"$ROOT\"; persist; interface = lan0; ip4.addr = 192.0.2.11;
	ip6.addr = \"2001:db8::11/64\"; }"
expect_rc 0 "$BRIG" start www
remember_cgroups www
expect_rc 0 "$BRIG" doctor www -v
printf '%s\n' "$OUT"
expect_grep "OK   host     address 192.0.2.11" "$OUT"
expect_grep "OK   jail     socket programs IPv4" "$OUT"
expect_grep "OK   jail     socket programs IPv6" "$OUT"
expect_rc 0 "$BRIG" doctor www --to 192.0.2.1 --json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "--json does not parse"

ip addr del 192.0.2.11/32 dev lan0
expect_rc 1 "$BRIG" doctor www
expect_grep "FAIL host     address 192.0.2.11" "$OUT"
ip addr add 192.0.2.11/32 dev lan0
ip link set lan0 down
expect_rc 1 "$BRIG" doctor www
expect_grep "FAIL host     address 192.0.2.11" "$OUT"
ip link set lan0 up
expect_rc 0 "$BRIG" stop www
echo ok
