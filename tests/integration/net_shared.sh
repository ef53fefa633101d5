# Shared-IP ("classic") jails (issue 20): addresses without vnet, on the
# host's stack as on FreeBSD. A LAN (lan0 here, its peer in a namespace:
# a LAN host); the host and two jails each serve port 80 on their own
# addresses, the peer reaches each; what leaves a jail carries its own
# address; a jail cannot bind or send from another's or the host's
# address, nor reach the host's loopback services; IPv6 as well; an
# address the host had stays; stop, and a SIGKILL of brig at any step,
# leave no alias.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail has no network of its own for a user namespace"
command -v python3 >/dev/null || skip "python3 missing"

# The probe: socket calls the busybox tools cannot make (a source address,
# UDP to any port, a raw socket). Exit 0 if the call succeeded.
command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cc -static -O1 -o "$ROOT/bin/probe" tests/integration/lib/probe.c || fail "the probe does not build"

. tests/integration/lib/peer.sh
peer_lan lan0 lan1 "192.0.2.1/24 2001:db8::1/64" "192.0.2.2/24 2001:db8::2/64"

# The peer logs the source of every datagram and connection.
: >"$T/peer.log"
peer python3 tests/integration/lib/peerlog.py "$T/peer.log" &
peer_pids="$peer_pids $!"
# The host's own service on its LAN address, and a secret on loopback.
mkdir -p "$T/www" "$ROOT/www/a" "$ROOT/www/b"
echo host >"$T/www/index.html"
echo jail-a >"$ROOT/www/a/index.html"
echo jail-b >"$ROOT/www/b/index.html"
busybox httpd -f -p 192.0.2.1:80 -h "$T/www" &
peer_pids="$peer_pids $!"
python3 -c '
import select, socket
ls = []
for fam, a in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a, 9999))
    s.listen(8)
    ls.append(s)
while True:
    for s in select.select(ls, [], [])[0]:
        c, _ = s.accept()
        c.sendall(b"loopback-secret\n")
        c.close()
' &
peer_pids="$peer_pids $!"
peer_log_ready "$T/peer.log"

# a: IPv4 only, the interface in the address; its wildcard bind lands on
# 192.0.2.11. b: `interface`, IPv4 and IPv6; its wildcard lands on its
# IPv6 address, its IPv4 one is bound by name.
conf "a { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\";
	exec.start = \"httpd -p 80 -h /www/a\"; }
b { path = \"$ROOT\"; persist; interface = lan0; ip4.addr = 192.0.2.12;
	ip6.addr = 2001:db8::12; exec.start = \"httpd -p 192.0.2.12:80 -h /www/b\", \"httpd -p 80 -h /www/b\"; }"
expect_rc 0 "$BRIG" start a b
remember_cgroups a
remember_cgroups b
expect_grep "192.0.2.11/32" "$(ip -o addr show dev lan0)"
expect_grep "2001:db8::12/128" "$(ip -o addr show dev lan0)"
expect_rc 0 "$BRIG" ls
expect_grep "192.0.2.12" "$OUT"
ln -s "$BRIG" "$T/jls"
expect_rc 0 "$T/jls" -j b ip4.addr ip6.addr
expect_eq "jls -j b ip4.addr ip6.addr" "192.0.2.12 2001:db8::12" "$OUT"

get() { peer timeout 10 wget -q -O- -T 5 -t 1 "http://$1/" 2>/dev/null || true; }
expect_eq "peer -> host" host "$(get 192.0.2.1)"
expect_eq "peer -> a" jail-a "$(get 192.0.2.11)"
expect_eq "peer -> b" jail-b "$(get 192.0.2.12)"
expect_eq "peer -> b over IPv6" jail-b "$(get '[2001:db8::12]')"

# What leaves a jail carries its own address (the host's primary address
# is what the kernel would pick otherwise).
sent() { grep -qx "$1" "$T/peer.log"; }
# arrived WHAT WHO: until the peer logged WHAT (5 s at most; else fail).
arrived() {
	n=0
	until sent "$1"; do
		n=$((n + 1))
		[ $n -lt 50 ] || fail "$2 did not arrive: $(cat "$T/peer.log")"
		sleep 0.1
	done
}
for c in "a probe udp - 192.0.2.2" "a probe tcp - 192.0.2.2" "b probe udp - 2001:db8::2" \
	"b probe tcp - 2001:db8::2"; do
	case $c in *udp*) port=5000 ;; *) port=5001 ;; esac
	# shellcheck disable=SC2086
	timeout 10 "$BRIG" exec $c $port >"$T/out" 2>&1 || fail "$c: $(cat "$T/out")"
done
n=0
while [ "$(wc -l <"$T/peer.log")" -lt 4 ]; do
	n=$((n + 1))
	[ $n -lt 50 ] || break
	sleep 0.1
done
sent "udp 192.0.2.11" || fail "a's datagram did not leave from 192.0.2.11: $(cat "$T/peer.log")"
sent "tcp 192.0.2.11" || fail "a's connection did not come from 192.0.2.11: $(cat "$T/peer.log")"
sent "udp 2001:db8::12" || fail "b's datagram did not leave from 2001:db8::12: $(cat "$T/peer.log")"
sent "tcp 2001:db8::12" || fail "b's connection did not come from 2001:db8::12: $(cat "$T/peer.log")"
grep -q "192.0.2.1$\|2001:db8::1$" "$T/peer.log" && fail "the host's address left a jail: $(cat "$T/peer.log")"

# Binding another's address, or sending from it, is refused (at once:
# not a timeout).
refused() {
	set +e
	timeout 10 "$BRIG" exec "$@" </dev/null >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc != 0 ] && [ $rc != 124 ] || fail "$*: not refused (exit $rc): $(cat "$T/out")"
}
refused a probe bind 192.0.2.12 81
refused a probe bind 192.0.2.1 81
refused a probe bind 2001:db8::12 81
refused a probe udp 192.0.2.12 192.0.2.2 5000
refused a probe tcp 192.0.2.1 192.0.2.2 5001
refused b probe udp 2001:db8::1 2001:db8::2 5000
refused b probe tcp 192.0.2.11 192.0.2.2 5001
# A jail without IPv6 addresses has no IPv6.
refused a probe udp - 2001:db8::2 5000
# No raw socket without allow.raw_sockets (it could forge any source).
refused a probe raw
# Its own addresses it binds.
expect_rc 0 "$BRIG" exec b probe bind 192.0.2.12 81
expect_rc 0 "$BRIG" exec b probe bind 2001:db8::12 81

# The host's loopback services: not from a jail (127.0.0.1 is the jail's
# own address there); the host itself still reaches it.
got=""
for _ in $(seq 50); do
	got=$(timeout 5 busybox nc -w 2 127.0.0.1 9999 </dev/null 2>/dev/null || true)
	[ -n "$got" ] && break
	sleep 0.1
done
expect_eq "host -> 127.0.0.1:9999" loopback-secret "$got"
got=$(timeout 10 "$BRIG" exec a nc -w 2 127.0.0.1 9999 </dev/null 2>/dev/null || true)
expect_eq "a -> 127.0.0.1:9999" "" "$got"
got=$(timeout 10 "$BRIG" exec b nc -w 2 ::1 9999 </dev/null 2>/dev/null || true)
expect_eq "b -> [::1]:9999" "" "$got"
# ... and a jail's 127.0.0.1 is its own first address.
got=$(printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 "$BRIG" exec a nc -w 3 127.0.0.1 80 2>/dev/null || true)
expect_grep "jail-a" "$got"

expect_rc 0 "$BRIG" stop a b
assert_clean
addrs=$(ip -o addr show dev lan0)
case $addrs in *192.0.2.11*|*192.0.2.12*|*2001:db8::12*) fail "an alias is left after stop: $addrs" ;; esac

# allow.raw_sockets: a raw socket may write any header, but what leaves
# with another source is dropped (the peer logs only the jail's own).
# With an IPv6 address too (its egress program once failed the verifier
# with both families: "unreachable insn").
conf "r { path = \"$ROOT\"; persist; allow.raw_sockets; ip4.addr = \"lan0|192.0.2.15\";
	ip6.addr = \"lan0|2001:db8::15\"; }"
expect_rc 0 "$BRIG" start r
remember_cgroups r
expect_rc 0 "$BRIG" exec r probe udp - 2001:db8::2 5000
arrived "udp 2001:db8::15" "r's IPv6 datagram"
expect_rc 0 "$BRIG" exec r probe raw 192.0.2.15 192.0.2.2 5000
timeout 10 "$BRIG" exec r probe raw 192.0.2.1 192.0.2.2 5000 >/dev/null 2>&1 || true
timeout 10 "$BRIG" exec r probe raw 192.0.2.99 192.0.2.2 5000 >/dev/null 2>&1 || true
arrived "udp 192.0.2.15" "r's own raw datagram"
grep -q "udp 192.0.2.1$\|udp 192.0.2.99$" "$T/peer.log" && fail "a forged source left r: $(cat "$T/peer.log")"
expect_rc 0 "$BRIG" stop r
assert_clean

# A child jail (a.b) with one of its parent's addresses: what leaves it
# carries the child's address. The child's programs run first and bind
# the socket to its address; the parent's run after them and once bound
# it again to the parent's first address (seen: "tcp 192.0.2.16" from a
# child at 192.0.2.17).
conf "p { path = \"$ROOT\"; persist; children.max = 1;
	ip4.addr = \"lan0|192.0.2.16\", \"lan0|192.0.2.17\"; ip6.addr = \"lan0|2001:db8::16\", \"lan0|2001:db8::17\"; }
p.c { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.17\"; ip6.addr = \"lan0|2001:db8::17\"; }"
expect_rc 0 "$BRIG" start p.c
remember_cgroups p
for c in "udp - 192.0.2.2 5000" "tcp - 192.0.2.2 5001" "udp - 2001:db8::2 5000" "tcp - 2001:db8::2 5001"; do
	# shellcheck disable=SC2086
	timeout 10 "$BRIG" exec p.c probe $c >"$T/out" 2>&1 || fail "p.c probe $c: $(cat "$T/out")"
done
arrived "udp 192.0.2.17" "p.c's datagram from 192.0.2.17"
arrived "tcp 192.0.2.17" "p.c's connection from 192.0.2.17"
arrived "udp 2001:db8::17" "p.c's IPv6 datagram from 2001:db8::17"
arrived "tcp 2001:db8::17" "p.c's IPv6 connection from 2001:db8::17"
grep -q " 192.0.2.16$\| 2001:db8::16$" "$T/peer.log" && fail "the parent's address left its child: $(cat "$T/peer.log")"
# The parent's own still leave from its first address.
expect_rc 0 "$BRIG" exec p probe tcp - 192.0.2.2 5001
arrived "tcp 192.0.2.16" "p's connection from 192.0.2.16"
expect_rc 0 "$BRIG" stop p
assert_clean

# ip4 = inherit: IPv4 is the host's, unrestricted; IPv6, untouched, has
# no sockets (FreeBSD's default for a family not set).
conf "i { path = \"$ROOT\"; persist; ip4 = inherit; }"
expect_rc 0 "$BRIG" start i
remember_cgroups i
expect_rc 0 "$BRIG" exec i probe bind 192.0.2.1 82
refused i probe udp - 2001:db8::2 5000
expect_rc 0 "$BRIG" stop i
assert_clean

# A bad address is refused before anything is made.
conf "c { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.300\"; }"
expect_rc 1 "$BRIG" start c
expect_grep "c: start: ip4.addr: \"lan0|192.0.2.300\": not an IPv4 address" "$ERR"
assert_clean

# An address the host has already is used, and stays.
ip addr add 192.0.2.13/24 dev lan0
conf "c { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.13\"; }"
expect_rc 0 "$BRIG" start c
remember_cgroups c
expect_rc 0 "$BRIG" stop c
expect_grep "192.0.2.13/24" "$(ip -o addr show dev lan0)"
ip addr del 192.0.2.13/24 dev lan0

# brig killed at each point of a start and a stop: the next command leaves
# no alias (nor anything else).
conf "a { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; ip6.addr = \"lan0|2001:db8::11\"; }"
no_alias() {
	addrs=$(ip -o addr show dev lan0)
	case $addrs in *192.0.2.11*|*2001:db8::11*) fail "$1: an alias is left: $addrs" ;; esac
}
for verb in start stop; do
	n=1
	while :; do
		[ $verb = start ] || expect_rc 0 "$BRIG" start a
		set +e
		BRIG_FAULT=$n "$BRIG" $verb a >"$T/out" 2>&1
		rc=$?
		set -e
		[ $rc = 0 ] && break
		[ $rc = 137 ] || fail "$verb, fault point $n: brig exited $rc: $(cat "$T/out")"
		assert_clean
		no_alias "$verb, fault point $n"
		n=$((n + 1))
		[ $n -lt 100 ] || fail "more than 100 fault points?"
	done
	echo "$verb: $((n - 1)) fault points"
	[ $verb = stop ] || expect_rc 0 "$BRIG" stop a
	assert_clean
	no_alias "$verb"
done
