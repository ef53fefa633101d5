# brig doctor JAIL, its services and rdr (issue 17): each rdr's jail port
# must have a socket inside the jail bound where the rdr sends (the jail's
# address, or every address), for each family the rdr applies to; the
# jail must run with its init alive. Each fault is injected here and must
# be found at its hop, with exit status 1; a healthy jail is all OK, exit 0;
# a jail doctor cannot look at is exit 2. --rdr probes each rdr from the
# host, through the host port and straight to the jail.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF2'
bridge0 {
	ip4.addr = "10.10.0.1/24";
	ip6.addr = "fd00:10::1/64";
	nat;
}
EOF2
conf "web { path = \"$ROOT\"; persist; vnet; vnet.bridge = bridge0;
	ip4.addr = \"10.10.0.4/24\"; ip4.defaultrouter = \"10.10.0.1\";
	ip6.addr = \"fd00:10::4/64\"; ip6.defaultrouter = \"fd00:10::1\";
	rdr = \"tcp 8080 80\", \"udp 5353 53\"; }
cli { path = \"$ROOT\"; persist; vnet; vnet.bridge = bridge0;
	ip4.addr = \"10.10.0.5/24\"; ip4.defaultrouter = \"10.10.0.1\";
	ip6.addr = \"fd00:10::5/64\"; ip6.defaultrouter = \"fd00:10::1\"; }"
# An uplink in the sandbox (one end of a veth pair, with the default
# routes): the address the outside reaches the host at.
ip link add up0 type veth peer name up0p
ip addr add 192.0.2.10/24 dev up0
ip addr add 2001:db8:1::10/64 dev up0 nodad
ip link set up0p up
ip link set up0 up
ip route add default via 192.0.2.1
ip -6 route add default via 2001:db8:1::1
# The jails resolve through a DNS server on their gateway (doctor checks it).
echo "nameserver 10.10.0.1" >"$ROOT/etc/resolv.conf"
expect_rc 0 "$BRIG" start web cli
remember_cgroups web
remember_cgroups cli
. tests/integration/lib/dns.sh
dns_server 10.10.0.1
trap 'kill "$DNS_PID" 2>/dev/null; jail_safety_net' EXIT
init=$(jstate "$BRIG_RUNDIR/web/state" init)

# serve NAME PROTO ADDR [V6ONLY]: a socket of the jail's (in its network
# namespace) bound to ADDR port (tcp 80, udp 53) until unserve NAME; an
# IPv6 ADDR is dual-stack unless V6ONLY is 1.
serve() {
	rm -f "$T/$1.ready"
	nsenter -t "$init" -n python3 -c '
import socket, sys, time
name, proto, addr, v6only, ready = sys.argv[1:6]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if fam == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(v6only))
s.bind((addr, 80 if proto == "tcp" else 53))
if proto == "tcp":
    s.listen(8)
open(ready, "w").close()
while True:
    if proto == "tcp":
        s.accept()[0].close()
    else:
        s.recvfrom(512)
' "$1" "$2" "$3" "${4:-0}" "$T/$1.ready" &
	eval "pid_$1=$!"
	n=0
	while [ ! -e "$T/$1.ready" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "the jail's $2 socket on $3 did not start"
		sleep 0.05
	done
}
unserve() {
	eval "p=\$pid_$1"
	kill "$p"
	wait "$p" 2>/dev/null || true
}
# hop TEXT NAME: the status of the hop called NAME in brig doctor's text output.
hop() {
	printf '%s\n' "$1" | grep -F " $2" | head -1 | awk '{print $1}'
}
TCP4='rdr "tcp 8080 80" (IPv4): a tcp socket on the jail'"'"'s port 80'
TCP6='rdr "tcp 8080 80" (IPv6): a tcp socket on the jail'"'"'s port 80'
UDP4='rdr "udp 5353 53" (IPv4): a udp socket on the jail'"'"'s port 53'
UDP6='rdr "udp 5353 53" (IPv6): a udp socket on the jail'"'"'s port 53'

# Healthy: dual-stack sockets on every address; all OK, --json parses.
serve tcp tcp ::
serve udp udp ::
expect_rc 0 "$BRIG" doctor web
for h in "$TCP4" "$TCP6" "$UDP4" "$UDP6"; do
	expect_eq "healthy: $h" OK "$(hop "$OUT" "$h")"
done
expect_eq "healthy: the jail runs" OK "$(hop "$OUT" "jail runs, its init alive")"
expect_rc 0 "$BRIG" doctor --json web
printf '%s' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 1 and r[0]["subject"] == "web" and r[0]["status"] == "OK", r
hops = [h for h in r[0]["hops"] if h["section"] == "service"]
assert len(hops) == 5, hops
assert all(h["status"] == "OK" for h in hops), hops
assert all(h["fix"] is None for h in hops), hops
' || fail "brig doctor web --json: $OUT"
# --rdr: the TCP rdr answers through the host port and at the jail's own.
expect_rc 0 "$BRIG" doctor --rdr=8080 web
expect_eq "--rdr 8080: through the host port" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv4): from the host, through its port, tcp 127.0.0.1:8080')"
# The issue's own syntax: JAIL first, a port after --rdr.
expect_rc 0 "$BRIG" doctor web --rdr 8080
expect_eq "web --rdr 8080: through the host port" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv4): from the host, through its port, tcp 127.0.0.1:8080')"
expect_eq "--rdr 8080: straight to the jail" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv6): from the host, straight to the jail, tcp [fd00:10::4]:80')"
expect_eq "--rdr 8080: through the uplink address" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv4): from the host, through its uplink address, tcp 192.0.2.10:8080')"
expect_eq "--rdr 8080: through the uplink address (IPv6)" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv6): from the host, through its uplink address, tcp [2001:db8:1::10]:8080')"
expect_eq "--rdr 8080: from jail cli (hairpin)" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv4): from jail cli, through the host'"'"'s port, tcp 10.10.0.1:8080')"
expect_eq "--rdr 8080: from jail cli (hairpin, IPv6)" OK \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv6): from jail cli, through the host'"'"'s port, tcp [fd00:10::1]:8080')"
expect_rc 1 "$BRIG" doctor --rdr=9999 web
expect_grep 'jail web has no rdr of port 9999' "$OUT"

# The configuration's rdr changed since the start: a warning (exit 0),
# and the rules in place (the rdr it started with) are the ones checked.
cp "$BRIG_CONFDIR/jail.conf" "$T/jail.conf.saved"
sed -i 's/"tcp 8080 80"/"tcp 8081 81"/' "$BRIG_CONFDIR/jail.conf"
expect_rc 0 "$BRIG" doctor web
expect_eq "rdr changed" WARN "$(hop "$OUT" "rdr as started, against the configuration")"
expect_grep 'seen: "tcp 8080 80", "udp 5353 53"; expected: "tcp 8081 81", "udp 5353 53"' "$OUT"
expect_grep "fix: brig restart web applies the rdr of .*jail.conf:4:2" "$OUT"
expect_eq "rdr changed: the rdr in place" OK "$(hop "$OUT" "$TCP4")"
cp "$T/jail.conf.saved" "$BRIG_CONFDIR/jail.conf"

# Fault: nothing listens on the TCP port (UDP still fine).
unserve tcp
expect_rc 1 "$BRIG" doctor web
expect_eq "no tcp listener: $TCP4" FAIL "$(hop "$OUT" "$TCP4")"
expect_eq "no tcp listener: $TCP6" FAIL "$(hop "$OUT" "$TCP6")"
expect_eq "no tcp listener: $UDP4" OK "$(hop "$OUT" "$UDP4")"
expect_grep 'seen: nothing; expected: 10.10.0.4:80 or 0.0.0.0:80' "$OUT"
expect_grep "fix: start the service in jail web" "$OUT"
expect_grep 'rdr "tcp 8080 80" at .*jail.conf:4:2' "$OUT"
expect_rc 1 "$BRIG" doctor --rdr web
expect_eq "--rdr, no listener: straight to the jail" FAIL \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv4): from the host, straight to the jail, tcp 10.10.0.4:80')"
expect_grep 'seen: Connection refused' "$OUT"
expect_eq "--rdr, no listener: from jail cli" FAIL \
	"$(hop "$OUT" 'rdr "tcp 8080 80" (IPv4): from jail cli, through the host'"'"'s port, tcp 10.10.0.1:8080')"

# Fault: the service listens on 127.0.0.1 and ::1 only.
serve lo4 tcp 127.0.0.1
serve lo6 tcp ::1
expect_rc 1 "$BRIG" doctor web
expect_eq "127.0.0.1 only: $TCP4" FAIL "$(hop "$OUT" "$TCP4")"
expect_eq "::1 only: $TCP6" FAIL "$(hop "$OUT" "$TCP6")"
expect_grep 'seen: 127.0.0.1:80, \[::1\]:80; expected: 10.10.0.4:80 or 0.0.0.0:80' "$OUT"
expect_grep 'listens on 127.0.0.1:80, \[::1\]:80 only, where the rdr.s packets do not arrive: make it listen on 10.10.0.4 or on every address' "$OUT"
unserve lo4
unserve lo6

# IPv4 only (0.0.0.0): the IPv6 path has nothing; then IPv6 only
# ([::] with IPV6_V6ONLY): the IPv4 path has nothing it can use.
serve v4 tcp 0.0.0.0
expect_rc 1 "$BRIG" doctor web
expect_eq "0.0.0.0 only: $TCP4" OK "$(hop "$OUT" "$TCP4")"
expect_eq "0.0.0.0 only: $TCP6" FAIL "$(hop "$OUT" "$TCP6")"
unserve v4
serve v6 tcp :: 1
expect_rc 1 "$BRIG" doctor web
expect_eq "[::] v6only: $TCP4" FAIL "$(hop "$OUT" "$TCP4")"
expect_eq "[::] v6only: $TCP6" OK "$(hop "$OUT" "$TCP6")"
expect_grep 'seen: \[::\]:80 (IPV6_V6ONLY)' "$OUT"
# The jail's own address is as good as every address.
serve own tcp 10.10.0.4
expect_rc 0 "$BRIG" doctor web
unserve own
unserve v6

# Fault: UDP, nothing bound; then bound to the jail's IPv6 address only.
serve tcp tcp ::
unserve udp
expect_rc 1 "$BRIG" doctor web
expect_eq "no udp socket: $UDP4" FAIL "$(hop "$OUT" "$UDP4")"
expect_eq "no udp socket: $UDP6" FAIL "$(hop "$OUT" "$UDP6")"
expect_eq "no udp socket: $TCP4" OK "$(hop "$OUT" "$TCP4")"
expect_rc 1 "$BRIG" doctor --rdr=5353 web
expect_eq "--rdr 5353, nothing bound: straight to the jail" FAIL \
	"$(hop "$OUT" 'rdr "udp 5353 53" (IPv4): from the host, straight to the jail, udp 10.10.0.4:53')"
serve udp6 udp fd00:10::4 1
expect_rc 1 "$BRIG" doctor web
expect_eq "udp on fd00:10::4: $UDP4" FAIL "$(hop "$OUT" "$UDP4")"
expect_eq "udp on fd00:10::4: $UDP6" OK "$(hop "$OUT" "$UDP6")"
unserve udp6
serve udp udp ::
expect_rc 0 "$BRIG" doctor --rdr web
unserve udp
unserve tcp

# Fault: the jail's init killed (persist: no reaper; its state stays
# until a brig command reconciles it, which doctor names).
kill -9 "$init"
n=0
while [ "$(awk '{print $3}' "/proc/$init/stat" 2>/dev/null || echo gone)" != gone ] &&
	[ "$(awk '{print $3}' "/proc/$init/stat" 2>/dev/null)" != Z ]; do
	n=$((n + 1))
	[ $n -lt 200 ] || fail "the killed init $init did not end"
	sleep 0.05
done
expect_rc 1 "$BRIG" doctor web
expect_eq "init killed" FAIL "$(hop "$OUT" "jail runs, its init alive")"
expect_grep "seen: state \"running\", init $init gone; expected: running, init alive" "$OUT"
expect_grep "fix: brig ls (it cleans up after the jail), then brig start web" "$OUT"
expect_eq "init killed: the rdr hops are not checked" SKIP "$(hop "$OUT" "$TCP4")"
expect_rc 0 "$BRIG" ls
expect_rc 0 "$BRIG" stop cli
assert_clean

# Not running at all; doctor cannot run: exit 2.
expect_rc 1 "$BRIG" doctor web
expect_grep "seen: not running; expected: running" "$OUT"
expect_grep "fix: brig start web" "$OUT"
expect_rc 2 "$BRIG" doctor nosuch
expect_grep "nosuch" "$ERR"
expect_rc 2 "$BRIG" doctor --rdr=0 web
