# The LAN peers of the exec.fib tests (net_fib, net_fib_vnet): two
# namespaces, A and B, each holding 203.0.113.9 on its lo and logging the
# source of every datagram (port 5000) and connection (port 5001) it gets
# (lib/peerlog.py) to $T/A.log, $T/B.log; so where a packet to
# 203.0.113.9 arrives says which route it took. `A CMD`, `B CMD` run CMD
# there. Needs lib/jail.sh (its safety net runs at exit too).
command -v python3 >/dev/null || skip "python3 missing"
command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cc -static -O1 -o "$ROOT/bin/probe" tests/integration/lib/probe.c || fail "the probe does not build"

unshare --net sleep 600 &
nsA=$!
unshare --net sleep 600 &
nsB=$!
fib_pids="$nsA $nsB"
for p in $nsA $nsB; do
	wait_for "a peer's namespace was not made" netns_differs "$p"
done
fib_cleanup() {
	# shellcheck disable=SC2086
	kill $fib_pids 2>/dev/null
	jail_safety_net
}
trap fib_cleanup EXIT
A() { nsenter -t "$nsA" -n "$@"; }
B() { nsenter -t "$nsB" -n "$@"; }
# Routes back through another interface than the one a packet came in
# by: no reverse path filter here or at the peers.
for c in all default; do
	sysctl -qw net.ipv4.conf.$c.rp_filter=0
done

# fib_peer P IFACE ADDR GW: link peer P (A or B) to this namespace by a
# veth pair, IFACE here (up, unaddressed), eth0 there with ADDR and a
# default route via GW; then start its logger.
fib_peer() {
	case $1 in A) ns=$nsA ;; *) ns=$nsB ;; esac
	ip link add "$2" type veth peer name eth0 netns "$ns"
	ip link set "$2" up
	$1 sysctl -qw net.ipv4.conf.all.rp_filter=0
	$1 ip link set lo up
	$1 ip addr add 203.0.113.9/32 dev lo
	$1 ip addr add "$3" dev eth0
	$1 ip link set eth0 up
	$1 ip route add default via "$4"
	: >"$T/$1.log"
	$1 python3 tests/integration/lib/peerlog.py "$T/$1.log" &
	fib_pids="$fib_pids $!"
	n=0
	while [ ! -e "$T/$1.log.ready" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "peer $1's logger did not start"
		sleep 0.1
	done
}

# arrived PEER LINE: until the peer logged LINE (5 s at most; else fail).
arrived() {
	n=0
	until grep -qx "$2" "$T/$1.log"; do
		n=$((n + 1))
		[ $n -lt 50 ] || fail "\"$2\" did not reach peer $1: A: $(cat "$T/A.log"); B: $(cat "$T/B.log")"
		sleep 0.1
	done
}

# fib_sent JAIL PEER SRC [DST]: JAIL's datagram and connection to DST
# (203.0.113.9) reach PEER from SRC.
fib_sent() {
	for c in "udp 5000" "tcp 5001"; do
		# shellcheck disable=SC2086
		set -- "$1" "$2" "$3" "${4:-203.0.113.9}" $c
		timeout 10 "$BRIG" exec "$1" probe "$5" - "$4" "$6" >"$T/o" 2>&1 ||
			fail "$1 $5 to $4: $(cat "$T/o")"
		arrived "$2" "$5 $3"
	done
}

# fib_get ADDR: the page of the server at ADDR:8080 as peer B's client at
# 203.0.113.9 gets it ("" if no answer comes back in 3 s).
fib_get() {
	B timeout 10 python3 -c '
import socket, sys
s = socket.socket()
s.settimeout(3)
s.bind(("203.0.113.9", 0))
got = b""
try:
    s.connect((sys.argv[1], 8080))
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    while len(got) < 65536:
        b = s.recv(4096)
        if not b:
            break
        got += b
except OSError as e:
    print(sys.argv[1], e, file=sys.stderr)
print(got.decode().split("\r\n\r\n", 1)[-1].strip())
' "$1"
}

# fib_rules: brig's rules (protocol 98) of this namespace.
fib_rules() {
	{ ip rule show; ip -6 rule show; } | grep "proto 98" || true
}
