# rdr from the host's loopback, as Docker's published ports answer on
# 127.0.0.1 (issue 15, item 7), without a proxy process: a jail with
# `rdr = "tcp 8080 80", "udp 5353 53"` serves a page that the host gets
# from 127.0.0.1:8080, from its own address on the bridge, and another jail
# gets through the host's port (hairpin); UDP through the same paths. The
# bridge's route_localnet (which lets 127.0.0.1 leave for the bridge) must
# not open the host's loopback services to its neighbours: a machine on
# the bridge that sends packets to 127.0.0.1 through the host is dropped.
# [::1] cannot be forwarded (IPv6 has no route_localnet): the IPv6 rdr
# answers on the host's other IPv6 addresses.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v wget >/dev/null || skip "wget missing"

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 {
	ip4.addr = "10.10.0.1/24";
	ip6.addr = "fd00:10::1/64";
	nat;
}
EOF
mkdir -p "$ROOT/www"
echo "hello from web" >"$ROOT/www/index.html"
jail() {
	printf '%s { path = "%s"; persist; mount.devfs; vnet; vnet.bridge = bridge0;
	ip4.addr = "10.10.0.%s/24"; ip4.defaultrouter = "10.10.0.1";
	ip6.addr = "fd00:10::%s/64"; %s }\n' "$1" "$ROOT" "$2" "$2" "${3:-}"
}
conf "$(jail web 4 'rdr = "tcp 8080 80", "udp 5353 53";'; jail cli 5)"
expect_rc 0 "$BRIG" start web cli
for j in web cli; do remember_cgroups $j; done
"$BRIG" exec web httpd -p 80 -h /www

# get URL: the page through GNU wget on the host, bounded.
get() {
	timeout 10 wget -q -O- -T 5 -t 1 "$1" 2>/dev/null || true
}
expect_eq "host -> 127.0.0.1:8080" "hello from web" "$(get http://127.0.0.1:8080/)"
expect_eq "host -> 127.0.0.2:8080" "hello from web" "$(get http://127.0.0.2:8080/)"
expect_eq "host -> 10.10.0.1:8080 (its bridge address)" "hello from web" \
	"$(get http://10.10.0.1:8080/)"
expect_eq "host -> [fd00:10::1]:8080" "hello from web" "$(get 'http://[fd00:10::1]:8080/')"
expect_rc 0 timeout 10 "$BRIG" exec cli wget -q -O- http://10.10.0.1:8080/
expect_eq "cli -> 10.10.0.1:8080 (another jail, hairpin)" "hello from web" "$OUT"
# The page was served to the bridge's address: the loopback source was
# masqueraded on its way to the bridge.

# UDP (never traffic-tested before): Debian's busybox has no UDP nc, so
# the jail's server and the clients are python3 run in the jail's network
# namespace (nsenter -n: the same addresses and veth as the jail's own
# processes). The server answers each datagram with "udp-ok from ADDR".
cat >"$T/udp.py" <<'EOF2'
import socket, sys
if sys.argv[1] == "serve":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 53))
    open(sys.argv[2], "w").close()
    while True:
        q, peer = s.recvfrom(512)
        s.sendto(b"udp-ok from " + peer[0].encode(), peer)
else:
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(2)
    for _ in range(3):
        c.sendto(b"ping", (sys.argv[2], int(sys.argv[3])))
        try:
            print(c.recvfrom(512)[0].decode())
            break
        except socket.timeout:
            pass
EOF2
init_of() {
	jstate "$BRIG_RUNDIR/$1/state" init
}
nsenter -t "$(init_of web)" -n python3 "$T/udp.py" serve "$T/udp.ready" &
udpd=$!
n=0
while [ ! -e "$T/udp.ready" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "the jail's UDP server did not start"
	sleep 0.1
done
udp() {
	timeout 10 "$@" 2>/dev/null || true
}
expect_eq "udp host -> 127.0.0.1:5353" "udp-ok from 10.10.0.1" \
	"$(udp python3 "$T/udp.py" send 127.0.0.1 5353)"
expect_eq "udp host -> 10.10.0.1:5353" "udp-ok from 10.10.0.1" \
	"$(udp python3 "$T/udp.py" send 10.10.0.1 5353)"
expect_eq "udp cli -> 10.10.0.1:5353 (hairpin)" "udp-ok from 10.10.0.1" \
	"$(udp nsenter -t "$(init_of cli)" -n python3 "$T/udp.py" send 10.10.0.1 5353)"
kill "$udpd"
wait "$udpd" 2>/dev/null || true

# route_localnet is on for the bridge, and a neighbour on the bridge still
# cannot reach what the host serves on 127.0.0.1 only: a network namespace
# plugged into bridge0 (root there, no port filter: the worst case of a
# jail) routes 127.0.0.0/8 through the host.
expect_eq "bridge0's route_localnet" 1 "$(cat /proc/sys/net/ipv4/conf/bridge0/route_localnet)"
python3 -c 'import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9999))
s.listen(8)
while True:
    c = s.accept()[0]
    c.sendall(b"loopback-secret\n")
    c.close()' &
secret=$!
got=""
for _ in $(seq 50); do
	got=$(timeout 5 busybox nc -w 2 127.0.0.1 9999 </dev/null 2>/dev/null || true)
	[ -n "$got" ] && break
	sleep 0.1
done
expect_eq "the host's own loopback service" loopback-secret "$got"
unshare --net sleep 600 &
nbns=$!
n=0
while [ "$(readlink /proc/$nbns/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "the neighbour's namespace was not made"
	sleep 0.1
done
ip link add nb0 type veth peer name nb1
ip link set nb1 netns "$nbns"
ip link set nb0 master bridge0 up
nb() { nsenter -t "$nbns" -n "$@"; }
# Its lo stays down: no local route for 127.0.0.0/8 there, which goes to
# the host instead.
nb ip addr add 10.10.0.99/24 dev nb1
nb ip link set nb1 up
nb sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.nb1.route_localnet=1
nb ip route add 127.0.0.1/32 via 10.10.0.1 dev nb1
expect_eq "neighbour -> 10.10.0.1:8080 (the rdr, as any jail)" "hello from web" \
	"$(nb timeout 10 wget -q -O- -T 5 -t 1 http://10.10.0.1:8080/ 2>/dev/null || true)"
got=$(nb timeout 5 busybox nc -w 2 127.0.0.1 9999 </dev/null 2>/dev/null || true)
expect_eq "neighbour -> the host's 127.0.0.1:9999" "" "$got"
kill "$secret"
wait "$secret" 2>/dev/null || true
ip link del nb0
kill "$nbns"
wait "$nbns" 2>/dev/null || true

expect_rc 0 "$BRIG" stop --all
assert_clean
exit 0
