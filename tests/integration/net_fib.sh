# exec.fib (issue 20): a jail's routing table. The sandbox has two LAN
# peers, A on lan0 and B on lan2, both holding 203.0.113.9; the main
# table reaches 203.0.113.0/24 through A, table 100 through B. What a
# jail with exec.fib = 100 sends reaches B, what one without it sends
# reaches A; a server in the fib jail answers a client whose route back
# is in table 100 alone; stop, a SIGKILLed init then `brig ls`, a start
# that fails after the rule and a brig killed right after it leave no
# rule; values Linux reserves are refused.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail has no network of its own for a user namespace"
command -v python3 >/dev/null || skip "python3 missing"
command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cc -static -O1 -o "$ROOT/bin/probe" tests/integration/lib/probe.c || fail "the probe does not build"

# Two peers, each a network namespace held by a sleep.
pids=""
unshare --net sleep 600 &
nsA=$!
unshare --net sleep 600 &
nsB=$!
pids="$nsA $nsB"
for p in $nsA $nsB; do
	n=0
	while [ "$(readlink /proc/$p/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "a peer's namespace was not made"
		sleep 0.1
	done
done
cleanup() {
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null
	jail_safety_net
}
trap cleanup EXIT
A() { nsenter -t "$nsA" -n "$@"; }
B() { nsenter -t "$nsB" -n "$@"; }
# Routes back through another interface than the one a packet came in
# by: no reverse path filter here or at the peers.
for c in all default; do
	sysctl -qw net.ipv4.conf.$c.rp_filter=0
	A sysctl -qw net.ipv4.conf.$c.rp_filter=0
	B sysctl -qw net.ipv4.conf.$c.rp_filter=0
done
ip link add lan0 type veth peer name eth0 netns "$nsA"
ip link add lan2 type veth peer name eth0 netns "$nsB"
ip addr add 192.0.2.1/24 dev lan0
ip addr add 198.51.100.1/24 dev lan2
ip link set lan0 up
ip link set lan2 up
for p in A B; do
	$p ip link set lo up
	$p ip link set eth0 up
	$p ip addr add 203.0.113.9/32 dev lo
done
A ip addr add 192.0.2.2/24 dev eth0
A ip route add default via 192.0.2.1
B ip addr add 198.51.100.2/24 dev eth0
B ip route add default via 198.51.100.1
ip route add 203.0.113.0/24 via 192.0.2.2
ip route add 203.0.113.0/24 via 198.51.100.2 table 100

: >"$T/A.log"
: >"$T/B.log"
A python3 tests/integration/lib/peerlog.py "$T/A.log" &
pids="$pids $!"
B python3 tests/integration/lib/peerlog.py "$T/B.log" &
pids="$pids $!"
for p in A B; do
	n=0
	while [ ! -e "$T/$p.log.ready" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "peer $p's logger did not start"
		sleep 0.1
	done
done

# arrived PEER LINE: until the peer logged LINE (5 s at most; else fail).
arrived() {
	n=0
	until grep -qx "$2" "$T/$1.log"; do
		n=$((n + 1))
		[ $n -lt 50 ] || fail "\"$2\" did not reach peer $1: A: $(cat "$T/A.log"); B: $(cat "$T/B.log")"
		sleep 0.1
	done
}
# rules: brig's rules of the host (protocol 98).
rules() {
	{ ip rule show; ip -6 rule show; } | grep "proto 98" || true
}

mkdir -p "$ROOT/www/f" "$ROOT/www/g"
echo jail-f >"$ROOT/www/f/index.html"
echo jail-g >"$ROOT/www/g/index.html"
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100;
	exec.start = \"httpd -p 8080 -h /www/f\"; }
g { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.12\";
	exec.start = \"httpd -p 8080 -h /www/g\"; }"
expect_rc 0 "$BRIG" start f g
remember_cgroups f
remember_cgroups g
jid=$(jstate "$BRIG_RUNDIR/f/state" jid)
mark=$(printf '0x%x' $((0xb0000000 + jid)))
r=$(rules)
expect_grep "^1000:.*fwmark $mark/0xf0003fff lookup 100 proto 98" "$(ip rule show)"
expect_grep "^1000:.*fwmark $mark/0xf0003fff lookup 100 proto 98" "$(ip -6 rule show)"
expect_eq "brig's rules with f and g running" 2 "$(printf '%s\n' "$r" | grep -c .)"

# What f sends goes by table 100 (peer B), what g sends by main (peer A).
for c in "udp 5000" "tcp 5001"; do
	set -- $c
	timeout 10 "$BRIG" exec f probe "$1" - 203.0.113.9 "$2" >"$T/o" 2>&1 || fail "f $c: $(cat "$T/o")"
	timeout 10 "$BRIG" exec g probe "$1" - 203.0.113.9 "$2" >"$T/o" 2>&1 || fail "g $c: $(cat "$T/o")"
	arrived B "$1 192.0.2.11"
	arrived A "$1 192.0.2.12"
done
grep -q "192.0.2.11" "$T/A.log" && fail "f's traffic took the main table: $(cat "$T/A.log")"
grep -q "192.0.2.12" "$T/B.log" && fail "g's traffic took table 100: $(cat "$T/B.log")"

# A server of f answers through table 100: a client at 203.0.113.9 of
# peer B (the main table sends 203.0.113.9 to peer A) gets its page; g's
# server answers by the main table, to A: B's client gets nothing.
get() {
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
expect_eq "B's client -> f" jail-f "$(get 192.0.2.11)"
expect_eq "B's client -> g" "" "$(get 192.0.2.12)"

# jail -m: refused on a running jail (its sockets have their mark).
ln -sf "$BRIG" "$T/jail"
expect_rc 1 "$T/jail" -m name=f exec.fib=101
expect_grep "exec.fib cannot be changed" "$ERR"

expect_rc 0 "$BRIG" stop f g
assert_clean
expect_eq "rules after stop" "" "$(rules)"

# Its init SIGKILLed: the next `brig ls` removes the rule.
expect_rc 0 "$BRIG" start f
remember_cgroups f
[ -n "$(rules)" ] || fail "no rule for f"
kill -9 "$(jstate "$BRIG_RUNDIR/f/state" init)"
n=0
while [ -e "/proc/$(jstate "$BRIG_RUNDIR/f/state" init)" ] && [ $n -lt 50 ]; do
	n=$((n + 1))
	sleep 0.1
done
expect_rc 0 "$BRIG" ls
assert_clean
expect_eq "rules after a SIGKILL and brig ls" "" "$(rules)"

# A start that fails after the rule step (exec.start), and one whose
# brig is killed right after it (at the next step): no rule left.
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100;
	exec.start = false; }"
expect_rc 1 "$BRIG" start f
expect_grep "f: start: exec.start" "$ERR"
assert_clean
expect_eq "rules after a failed start" "" "$(rules)"
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100; }"
expect_rc 137 env BRIG_FAULT=create "$BRIG" start f
[ -n "$(rules)" ] || fail "no rule for f after a start killed at create"
expect_rc 0 "$BRIG" ls
assert_clean
expect_eq "rules after a start killed at create" "" "$(rules)"

# A rule of the same mark left behind (its record lost) is replaced.
ip rule add pref 1000 fwmark $mark/0xf0003fff lookup 7 proto 98
expect_rc 0 "$BRIG" start f
expect_eq "f's rules over a stale one" 1 "$(ip rule show | grep -c "fwmark $mark/")"
expect_grep "lookup 100" "$(ip rule show | grep "fwmark $mark/")"
expect_rc 0 "$BRIG" stop f
assert_clean
expect_eq "rules after stop" "" "$(rules)"

# Linux's own tables are not a jail's.
conf "f { path = \"$ROOT\"; persist; exec.fib = 254; }"
expect_rc 1 "$BRIG" start f
expect_grep "jail.conf:1:.*f: exec.fib: \"254\": not a routing table" "$ERR"
assert_clean
