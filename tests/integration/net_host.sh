# What jails may reach of the host itself (issue 12, finding 8):
# networks.conf's per-bridge `host` policy. A UDP service on port 53 and a
# TCP service on 0.0.0.0:2222 run on the host (this test's namespace):
#   open (no host line)   reaches both (today's default)
#   dns  (host = "53/udp") reaches the UDP service only
#   shut (host = none)     reaches neither, nor answers to its pings; the
#                          host still reaches its jails, neighbour
#                          discovery works, and an rdr port of the host
#                          (forwarded to another jail) still works.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v python3 >/dev/null || skip "python3 missing"

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
open { ip4.addr = "10.81.0.1/24"; }
dns  { ip4.addr = "10.82.0.1/24"; host = "53/udp"; }
shut { ip4.addr = "10.83.0.1/24"; ip6.addr = "fd00:83::1/64"; host = none; }
EOF
jail() {
	printf '%s { path = "%s"; persist; mount.devfs; allow.raw_sockets; vnet;
	vnet.bridge = %s; ip4.addr = "%s/24"; ip4.defaultrouter = "%s"; %s }\n' "$1" "$ROOT" "$2" "$3" "${3%.*}.1" "${4:-}"
}
conf "$(jail o open 10.81.0.5; jail d dns 10.82.0.5
	jail s shut 10.83.0.5 'ip6.addr = "fd00:83::5/64";'
	jail w shut 10.83.0.6 'rdr = "tcp 8080 7000";')"

# The host's services: every datagram or connection is logged with its
# source before the answer goes out (a DNS-shaped NXDOMAIN, "hi").
cat >"$T/services.py" <<'EOF'
import os, select, socket, sys
log = open(sys.argv[1], "a", buffering=1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("0.0.0.0", 53))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("0.0.0.0", 2222))
t.listen(8)
open(sys.argv[1] + ".ready", "w").close()
while True:
    for s in select.select([u, t], [], [])[0]:
        if s is u:
            q, peer = u.recvfrom(512)
            log.write("udp %s\n" % peer[0])
            if len(q) >= 12:
                u.sendto(q[:2] + b"\x81\x83" + q[4:], peer)
        else:
            c, peer = t.accept()
            log.write("tcp %s\n" % peer[0])
            c.sendall(b"hi\n")
            c.close()
EOF
: >"$T/services.log"
python3 "$T/services.py" "$T/services.log" &
services=$!
n=0
while [ ! -e "$T/services.log.ready" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "the host's services did not start"
	sleep 0.1
done

expect_rc 0 "$BRIG" start --all
for j in o d s w; do remember_cgroups $j; done

# udp JAIL GATEWAY / tcp JAIL GATEWAY: whether the host's service logged
# the jail's address.
udp() {
	timeout 20 "$BRIG" exec "$1" nslookup example.test "$2" >/dev/null 2>&1 || true
	grep -qx "udp $3" "$T/services.log"
}
tcp() {
	got=$(timeout 10 "$BRIG" exec "$1" nc -w 3 "$2" 2222 </dev/null 2>/dev/null || true)
	grep -qx "tcp $3" "$T/services.log" && [ "$got" = hi ]
}
udp o 10.81.0.1 10.81.0.5 || fail "open: the jail does not reach the host's UDP 53"
tcp o 10.81.0.1 10.81.0.5 || fail "open: the jail does not reach the host's TCP 2222"
udp d 10.82.0.1 10.82.0.5 || fail "dns (host = \"53/udp\"): the jail does not reach UDP 53"
tcp d 10.82.0.1 10.82.0.5 && fail "dns (host = \"53/udp\"): the jail reached TCP 2222"
# Any of the host's addresses, not only the bridge's.
tcp d 10.81.0.1 10.82.0.5 && fail "dns (host = \"53/udp\"): the jail reached TCP 2222 on another address"
udp s 10.83.0.1 10.83.0.5 && fail "shut (host = none): the jail reached UDP 53"
tcp s 10.83.0.1 10.83.0.5 && fail "shut (host = none): the jail reached TCP 2222"
timeout 10 "$BRIG" exec s ping -c1 -W2 10.83.0.1 >/dev/null 2>&1 &&
	fail "shut (host = none): the host answered the jail's ping"
# The host reaches its jails (the answers are replies), neighbour
# discovery still works over IPv6, jails on the bridge reach each other,
# and a redirected host port reaches the jail behind it.
busybox ping -c1 -W2 10.83.0.5 >/dev/null || fail "shut: the host cannot reach s"
busybox ping -6 -c1 -W2 fd00:83::5 >/dev/null || fail "shut: the host cannot reach s over IPv6"
timeout 10 "$BRIG" exec s ping -c1 -W2 10.83.0.6 >/dev/null 2>&1 || fail "shut: s cannot reach w"
"$BRIG" exec w sh -c 'nc -l -p 7000 -e echo via-rdr >/dev/null 2>&1 &'
got=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	got=$(timeout 10 "$BRIG" exec s nc -w 3 10.83.0.1 8080 </dev/null 2>/dev/null) && break
	sleep 0.2
done
expect_eq "shut: s through the host's rdr port 8080 to w" "via-rdr" "$got"

# The rules are the bridges' own, in brig's table.
nft list chain inet brig input | grep -q 'iifname "shut" drop comment "bridge:shut"' ||
	fail "no drop rule for bridge shut"
nft list chain inet brig input | grep -q '"open"' && fail "rules for bridge open (no host line)"

# A bad value is refused with its place in networks.conf.
mkdir -p "$T/bad"
printf 'bad {\n\tip4.addr = "10.84.0.1/24";\n\thost = "53/icmp";\n}\n' >"$T/bad/networks.conf"
expect_rc 1 env BRIG_CONFDIR="$T/bad" "$BRIG" net up bad
expect_grep 'networks.conf:3:2: bridge bad: host "53/icmp": unknown protocol (write' "$ERR"

expect_rc 0 "$BRIG" stop --all
assert_clean
kill "$services"
wait "$services" 2>/dev/null || true
exit 0
