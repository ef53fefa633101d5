# Anti-spoofing on brig's bridges (issue 12, finding 6). Two vnet jails a
# and b on one bridge, both with allow.raw_sockets; a tries to take b's
# traffic: gratuitous ARP and ARP replies claiming b's IPv4 address, an
# unsolicited IPv6 neighbour advertisement for b's IPv6 address, IPv4 sent
# with b's address as source, and frames with a MAC that is not its own.
# Each must be dropped at a's bridge port while the jails' ordinary
# traffic (IPv4, IPv6, link-local, TCP between neighbours) still works;
# with vnet.spoofcheck = 0 the same attack succeeds (the test can fail).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v python3 >/dev/null || skip "python3 missing"
ping() { busybox ping "$@"; }

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
br0 { ip4.addr = "10.70.0.1/24"; ip6.addr = "fd00:70::1/64"; }
EOF
jail() {
	printf '%s { path = "%s"; persist; mount.devfs; allow.raw_sockets; vnet; vnet.bridge = br0;
	vnet.interface = "epair_%sb"; ip4.addr = "%s/24"; ip6.addr = "%s/64";
	ip4.defaultrouter = "10.70.0.1"; %s }\n' "$1" "$ROOT" "$1" "$2" "$3" "${4:-}"
}
setconf() {
	conf "$(jail a 10.70.0.5 fd00:70::5 "${1:-}"; jail b 10.70.0.6 fd00:70::6)"
}
setconf
expect_rc 0 "$BRIG" start a b
remember_cgroups a
remember_cgroups b

# The neighbour table must believe whatever arrives (no 1 s lock on an
# entry): the test's own namespace, the host side of the bridge.
echo 0 >/proc/sys/net/ipv4/neigh/br0/locktime
echo 0 >/proc/sys/net/ipv6/neigh/br0/locktime

initpid() { jstate "$BRIG_RUNDIR/$1/state" init; }
macof() { sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p'; }
jmac() { nsenter -t "$(initpid "$1")" -n ip -o link show "epair_$1b" | macof; }
neigh_mac() { ip neigh show "$1" dev br0 | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p'; }
reach() { timeout 10 "$BRIG" exec "$1" ping -c1 -W2 "$2" >/dev/null 2>&1; }
MAC_A=$(jmac a)
MAC_B=$(jmac b)
[ -n "$MAC_A" ] && [ "$MAC_A" != "$MAC_B" ] || fail "jail MACs: [$MAC_A] [$MAC_B]"

# Raw packets from a's network namespace: what a's root can send with
# allow.raw_sockets (busybox has no raw IPv4/ICMPv6 sender).
cat >"$T/spoof.py" <<'EOF'
import socket, struct, sys
what = sys.argv[1]
if what == "ip4src":
    # ICMP echo request to the gateway with b's address as source.
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    src, dst = socket.inet_aton(sys.argv[2]), socket.inet_aton(sys.argv[3])
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x5151, 1) + b"spoofed!"
    c = sum(struct.unpack("!%dH" % (len(icmp) // 2), icmp))
    c = (c >> 16) + (c & 0xffff); c = ~(c + (c >> 16)) & 0xffff
    icmp = icmp[:2] + struct.pack("!H", c) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0, src, dst)
    for _ in range(3):
        s.sendto(hdr + icmp, (sys.argv[3], 0))
elif what == "na":
    # Unsolicited, overriding neighbour advertisement: target b's address,
    # target link-layer address a's MAC, from a's own address.
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    s.bind((sys.argv[2], 0))
    mac = bytes.fromhex(sys.argv[4].replace(":", ""))
    na = struct.pack("!BBHI", 136, 0, 0, 0x20000000) + socket.inet_pton(socket.AF_INET6, sys.argv[3])
    na += struct.pack("!BB", 2, 1) + mac
    for _ in range(3):
        s.sendto(na, ("ff02::1", 0, 0, socket.if_nametoindex(sys.argv[5])))
elif what in ("mac", "garp"):
    # mac: an ARP reply from a with b's MAC as Ethernet source (the bridge
    # would learn b's MAC on a's port). garp: a gratuitous ARP request and
    # an ARP reply, broadcast, claiming b's IPv4 address for a's MAC.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((sys.argv[2], 0))
    dst, src = (bytes.fromhex(m.replace(":", "")) for m in sys.argv[3:5])
    sip, tip = socket.inet_aton(sys.argv[5]), socket.inet_aton(sys.argv[6])
    for op in ((2,) if what == "mac" else (1, 2, 1, 2)):
        s.send(dst + src + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + src +
               sip + (dst if op == 2 else b"\0" * 6) + tip)
EOF
in_a() { nsenter -t "$(initpid a)" -n python3 "$T/spoof.py" "$@"; }

# Counters on the host (this test's namespace): what reaches the host
# from br0 with b's address as source that b never sent.
nft -f - <<'EOF'
table inet spooftest {
	chain input {
		type filter hook input priority -300; policy accept;
		iifname "br0" ip saddr 10.70.0.6 icmp type echo-request icmp id 0x5151 counter
	}
}
EOF
spoofed_in() {
	nft list chain inet spooftest input | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

# attack: gratuitous ARP and ARP replies from a claiming b's IPv4 address
# (busybox's arping refuses a source address the jail does not have).
arp_attack() {
	ping -c1 -W2 10.70.0.6 >/dev/null || fail "the host cannot reach b"
	expect_eq "host's entry for b before the attack" "$MAC_B" "$(neigh_mac 10.70.0.6)"
	in_a garp epair_ab ff:ff:ff:ff:ff:ff "$MAC_A" 10.70.0.6 10.70.0.6
	# a's frames are handled in order: once a's own ping to the gateway
	# is answered, its ARP frames have been through the bridge.
	reach a 10.70.0.1 || fail "a cannot reach its gateway"
}

# 1. ARP: b's address must keep pointing at b.
arp_attack
expect_eq "host's entry for b after a's gratuitous ARP" "$MAC_B" "$(neigh_mac 10.70.0.6)"
ping -c1 -W2 10.70.0.6 >/dev/null || fail "after a's ARP spoofing the host no longer reaches b"
# The same from a neighbour jail's point of view: b is reached by a... and
# a third party: b reaches the gateway, a reaches b.
reach b 10.70.0.1 || fail "b cannot reach its gateway"

# 2. IPv4 with b's source address.
in_a ip4src 10.70.0.6 10.70.0.1
reach a 10.70.0.1 || fail "a cannot reach its gateway"
expect_eq "echo requests with b's address from a, seen by the host" 0 "$(spoofed_in)"

# 3. IPv6: an overriding neighbour advertisement for b's address.
ping -6 -c1 -W2 fd00:70::6 >/dev/null || fail "the host cannot reach b over IPv6"
expect_eq "host's IPv6 entry for b" "$MAC_B" "$(neigh_mac fd00:70::6)"
in_a na fd00:70::5 fd00:70::6 "$MAC_A" epair_ab
reach a fd00:70::1 || fail "a cannot reach its gateway over IPv6"
expect_eq "host's IPv6 entry for b after a's advertisement" "$MAC_B" "$(neigh_mac fd00:70::6)"

# 4. A frame with b's MAC as source (an ARP reply for a's own address):
# the bridge must not learn b's MAC on a's port.
BRMAC=$(ip -o link show br0 | macof)
in_a mac epair_ab "$BRMAC" "$MAC_B" 10.70.0.5 10.70.0.1
reach a 10.70.0.1 || fail "a cannot reach its gateway"
bridge fdb show br br0 | grep -i "^$MAC_B dev epair_aa" && fail "the bridge learnt b's MAC on a's port"
ping -c1 -W2 10.70.0.6 >/dev/null || fail "after a's MAC spoofing the host no longer reaches b"

# Ordinary traffic still works: IPv4 and IPv6 between neighbours and to
# the gateway, IPv6 link-local (fe80:: from the MAC), TCP between jails.
reach a 10.70.0.6 || fail "a cannot reach b"
reach b fd00:70::5 || fail "b cannot reach a over IPv6"
reach a fd00:70::1 || fail "a cannot reach its gateway over IPv6"
LL_B=$(nsenter -t "$(initpid b)" -n ip -6 -o addr show dev epair_bb scope link |
	sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)\/64.*/\1/p')
[ -n "$LL_B" ] || fail "b has no link-local address"
# (Bounded retries: on a loaded machine the first neighbour solicitation
# may go unanswered within ping's wait.)
ll_ok=0
for _ in 1 2 3 4 5; do
	if timeout 10 "$BRIG" exec a ping -c1 -W2 "$LL_B%epair_ab" >/dev/null 2>&1; then
		ll_ok=1
		break
	fi
done
[ $ll_ok = 1 ] || fail "a cannot reach b's link-local address $LL_B"
"$BRIG" exec b sh -c 'nc -l -p 7000 -e echo hello-from-b >/dev/null 2>&1 &'
got=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	got=$(timeout 10 "$BRIG" exec a nc -w 2 10.70.0.6 7000 </dev/null 2>/dev/null) && break
	sleep 0.2
done
expect_eq "TCP from a to b" "hello-from-b" "$got"

# The filter is in brig's own table, and tagged.
nft list table bridge brig >"$T/bridge.nft" || fail "no table bridge brig"
grep -q 'comment "jail:a"' "$T/bridge.nft" || fail "a's rules are not tagged"

# vnet.spoofcheck = 0: the same ARP attack now works (the test can tell).
expect_rc 0 "$BRIG" stop a
grep -q 'jail:a' "$T/bridge.nft" && nft list table bridge brig | grep -q 'jail:a' &&
	fail "a's rules left after its stop"
setconf "vnet.spoofcheck = 0;"
expect_rc 0 "$BRIG" start a
remember_cgroups a
arp_attack
expect_eq "host's entry for b after a's ARP (spoofcheck off)" "$MAC_A" "$(neigh_mac 10.70.0.6)"

expect_rc 0 "$BRIG" stop a b
assert_clean
nft list ruleset | grep -q 'jail:' && fail "jail rules left"
nft delete table inet spooftest
exit 0
