# brig net ls / up / down against networks.conf, in this test's namespace.
. tests/integration/lib/common.sh
cat >"$BRIG_CONFDIR/networks.conf" <<'CONF'
bridge0 {
	ip4.addr = "10.10.0.1/24";
	ip6.addr = "fd00:10::1/64";
	nat;
}
bridge1 {
	ip4.addr = "10.20.0.1/24";
	isolate;
	mtu = 1400;
}
CONF
rules() { nft list table inet brig 2>/dev/null | grep -c "comment \"bridge:$1\"" || true; }
# (/sys/class/net shows the machine's namespace, not this test's.)
mac_of() { ip -o link show "$1" | grep -o 'link/ether [^ ]*'; }
mtu_of() { ip -o link show "$1" | grep -o 'mtu [0-9]*' | cut -d' ' -f2; }

expect_rc 0 "$BRIG" net ls
expect_grep '^bridge0 *absent *yes *no *0 *10.10.0.1/24,fd00:10::1/64 *-$' "$OUT"
expect_grep '^bridge1 *absent *no *yes *1400 *10.20.0.1/24 *-$' "$OUT"
ip link show bridge0 2>/dev/null && fail "ls created something"

expect_rc 0 "$BRIG" net up bridge0
ip -br addr show bridge0 | grep -q '10.10.0.1/24 fd00:10::1/64' || fail "bridge0 addresses"
ip link show bridge0 | grep -q '<.*UP' || fail "bridge0 not up"
expect_eq "bridge0 rules (2 masquerades, the route_localnet guard)" 3 "$(rules bridge0)"
expect_eq "bridge0 route_localnet" 1 "$(cat /proc/sys/net/ipv4/conf/bridge0/route_localnet)"
expect_eq "ip_forward" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
mac=$(mac_of bridge0)
expect_rc 0 "$BRIG" net up bridge0
expect_eq "bridge0 rules after a second up" 3 "$(rules bridge0)"
expect_eq "one IPv4 address" 1 "$(ip -o -4 addr show bridge0 | wc -l)"

expect_rc 0 "$BRIG" net up bridge1
expect_eq "bridge1 mtu" 1400 "$(mtu_of bridge1)"
expect_eq "bridge1 rules" 3 "$(rules bridge1)"

expect_rc 0 "$BRIG" net ls --json
printf '%s' "$OUT" | python3 -c '
import json, sys
v = {b["name"]: b for b in json.load(sys.stdin)}
b = v["bridge0"]
assert b["declared"] and b["state"] == "up" and b["nat"] and not b["isolate"], b
assert "10.10.0.1/24" in b["addresses"] and "fd00:10::1/64" in b["addresses"], b
assert v["bridge1"]["mtu"] == 1400 and v["bridge1"]["isolate"], v["bridge1"]
' || fail "net ls --json: $OUT"

# A jail's port (as net_jail_up leaves it: alias jail:NAME) keeps it up.
ip link add e9a type veth peer name e9b
ip link set e9a alias jail:web master bridge1 up
expect_rc 0 "$BRIG" net ls
expect_grep '^bridge1 .* web$' "$OUT"
expect_rc 1 "$BRIG" net down bridge1
expect_grep 'bridge bridge1 is in use by jail web: stop it first' "$ERR"
ip link show bridge1 >/dev/null || fail "bridge1 removed while in use"
expect_eq "bridge1 rules kept" 3 "$(rules bridge1)"
ip link del e9a

expect_rc 0 "$BRIG" net down bridge1
ip link show bridge1 2>/dev/null && fail "bridge1 still there"
expect_eq "bridge1 rules gone" 0 "$(rules bridge1)"
nft list set inet brig bridges | grep -q '"bridge1"' && fail "bridge1 still in the set"
expect_rc 0 "$BRIG" net down bridge1
expect_eq "bridge0 untouched" 3 "$(rules bridge0)"

# The declared MAC survives a down/up.
expect_rc 0 "$BRIG" net down bridge0
expect_rc 0 "$BRIG" net up bridge0
expect_eq "bridge0 MAC" "$mac" "$(mac_of bridge0)"

# An admin's bridge is not brig's to take down or up.
ip link add adm0 type bridge
expect_rc 1 "$BRIG" net down adm0
expect_grep 'bridge adm0: not declared in .*/networks.conf' "$ERR"
ip link show adm0 >/dev/null || fail "adm0 removed"
expect_rc 1 "$BRIG" net up nosuch
expect_grep 'not declared' "$ERR"

# A declared name taken by something that is not a bridge is refused.
cat >>"$BRIG_CONFDIR/networks.conf" <<'CONF'
lo { ip4.addr = "10.30.0.1/24"; }
CONF
expect_rc 1 "$BRIG" net up lo
expect_grep 'bridge lo: an interface of that name exists and is not a bridge' "$ERR"

expect_rc 2 "$BRIG" net
expect_rc 2 "$BRIG" net up
expect_rc 2 "$BRIG" net frob x
expect_rc 2 "$BRIG" net ls --yaml

# A broken networks.conf is reported with its place.
echo 'bridge9 { ip4.addr = "10.40.0.1"; }' >"$BRIG_CONFDIR/networks.conf"
expect_rc 1 "$BRIG" net up bridge9
expect_grep 'bridge bridge9: ip4.addr "10.40.0.1": missing prefix length' "$ERR"
echo 'bridge9 { frob = 1; }' >"$BRIG_CONFDIR/networks.conf"
expect_rc 1 "$BRIG" net ls
expect_grep 'networks.conf:1:' "$ERR"
exit 0
