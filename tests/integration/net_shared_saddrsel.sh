# ip4.saddrsel / ip6.saddrsel (issue 20) for a shared-IP jail with an
# address on each of two LANs: with saddrsel (FreeBSD's default) what it
# sends to a host of the second LAN leaves from its address there; with
# saddrsel = 0, from its first address, as FreeBSD's prison_saddrsel_ip4/6
# have it. TCP (the connect program) and UDP without connect (sendmsg),
# IPv4 and IPv6; the subnet is the host's (lan0 192.0.2.1/24 for an alias
# written 192.0.2.11) or the one written (ADDR/LEN).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail has no network of its own for a user namespace"
command -v python3 >/dev/null || skip "python3 missing"
command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cc -static -O1 -o "$ROOT/bin/probe" tests/integration/lib/probe.c || fail "the probe does not build"

. tests/integration/lib/peer.sh
# One peer on two LANs: lan0/lan1 (192.0.2.0/24, 2001:db8::/64) and
# lan2/lan3 (198.51.100.0/24, 2001:db8:1::/64).
peer_lan lan0 lan1 "192.0.2.1/24 2001:db8::1/64" "192.0.2.2/24 2001:db8::2/64"
peer_lan lan2 lan3 "198.51.100.1/24" "198.51.100.2/24 2001:db8:1::2/64"
: >"$T/peer.log"
peer python3 tests/integration/lib/peerlog.py "$T/peer.log" &
peer_pids="$peer_pids $!"
peer_log_ready "$T/peer.log"

# logged N JAIL: once the peer has logged N sources, them, sorted, on
# one line.
logged() {
	n=0
	while [ "$(wc -l <"$T/peer.log")" -lt "$1" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "$2: the peer saw $(cat "$T/peer.log")"
		sleep 0.1
	done
	sort "$T/peer.log" | tr '\n' ' '
}

# send JAIL: TCP and UDP to the peer's second-LAN addresses; then the
# sources the peer saw, sorted, one line.
send() {
	: >"$T/peer.log"
	for c in "tcp - 198.51.100.2 5001" "udp - 198.51.100.2 5000" "tcp - 2001:db8:1::2 5001" \
		"udp - 2001:db8:1::2 5000"; do
		# shellcheck disable=SC2086
		timeout 10 "$BRIG" exec "$1" probe $c >"$T/out" 2>&1 || fail "$1: probe $c: $(cat "$T/out")"
	done
	logged 4 "$1"
}

# The second addresses: IPv4 on the host's subnet of lan2 (an alias /32),
# IPv6 with its subnet written.
jail() {
	printf '%s { path = "%s"; persist; %s
		ip4.addr = "lan0|192.0.2.11", "lan2|198.51.100.11";
		ip6.addr = "lan0|2001:db8::11", "lan2|2001:db8:1::11/64"; }\n' "$1" "$ROOT" "${2:-}"
}
conf "$(jail sel; jail first 'ip4.saddrsel = 0; ip6.saddrsel = 0;')"
expect_rc 0 "$BRIG" start sel first
remember_cgroups sel
remember_cgroups first
expect_eq "sources of sel (saddrsel)" \
	"tcp 198.51.100.11 tcp 2001:db8:1::11 udp 198.51.100.11 udp 2001:db8:1::11 " "$(send sel)"
expect_eq "sources of first (saddrsel = 0)" \
	"tcp 192.0.2.11 tcp 2001:db8::11 udp 192.0.2.11 udp 2001:db8::11 " "$(send first)"
# To the first LAN, both leave from their first address.
: >"$T/peer.log"
expect_rc 0 timeout 10 "$BRIG" exec sel probe tcp - 192.0.2.2 5001
n=0
until grep -qx "tcp 192.0.2.11" "$T/peer.log"; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "sel -> 192.0.2.2: the peer saw $(cat "$T/peer.log")"
	sleep 0.1
done
expect_rc 0 "$BRIG" stop sel first
assert_clean

# The largest policy loads (16 addresses of each family, each with a
# subnet: the longest programs), and still picks by subnet.
a4=$(seq 20 34 | sed 's/.*/"lan2|198.51.100.&\/24"/' | paste -sd, -)
a6=$(seq 20 34 | sed 's/.*/"lan0|2001:db8::&\/64"/' | paste -sd, -)
conf "big { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.19\", $a4;
	ip6.addr = \"lan2|2001:db8:1::19/64\", $a6; }"
expect_rc 0 "$BRIG" start big
remember_cgroups big
: >"$T/peer.log"
expect_rc 0 timeout 10 "$BRIG" exec big probe udp - 198.51.100.2 5000
expect_rc 0 timeout 10 "$BRIG" exec big probe tcp - 2001:db8::2 5001
expect_eq "sources of big" "tcp 2001:db8::20 udp 198.51.100.20 " "$(logged 2 big)"
expect_rc 0 "$BRIG" stop big
assert_clean
