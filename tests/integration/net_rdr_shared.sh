# rdr for shared-IP jails (issue 20): `rdr = "tcp 8080 80"` on a jail
# without vnet forwards the host's port 8080 to the jail's alias address
# port 80, by the same tagged nftables rules (`jail:NAME`) as a vnet
# jail's rdr. A LAN peer (a namespace behind lan0) reaches host:8080 over
# IPv4 and IPv6 and lands in the jail's listener; the host itself reaches
# it through 127.0.0.1:8080. UDP too (`udp 5353 53`, a DNS server's way:
# a wildcard socket answering by sendto): from the peer over IPv4 and
# IPv6, from the host's 127.0.0.1 and its LAN addresses. Stop, and a SIGKILL
# of brig at each fault point of a start, leave neither rule nor alias.
# NAT too, as Bastille's jails on a private interface have it from pf: a
# jail whose `interface` is a bridge networks.conf declares with `nat`
# gets that bridge made, and what it sends to the LAN leaves masqueraded
# (the peer has no route back to the jail's private address).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail has no network of its own for a user namespace"
command -v nft >/dev/null || skip "nft missing (to read the rules)"
command -v wget >/dev/null || skip "wget missing"
# The UDP server and client (lib/probe.c: Debian's busybox nc has no UDP).
command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cc -static -O1 -o "$ROOT/bin/probe" tests/integration/lib/probe.c || fail "the probe does not build"

. tests/integration/lib/peer.sh
peer_lan lan0 lan1 "192.0.2.1/24 2001:db8::1/64" "192.0.2.2/24 2001:db8::2/64"

mkdir -p "$ROOT/www"
echo "jail s" >"$ROOT/www/index.html"
conf "s { path = \"$ROOT\"; persist; interface = lan0; ip4.addr = 192.0.2.11;
	ip6.addr = 2001:db8::11; rdr = \"tcp 8080 80\", \"udp 5353 53\";
	exec.start = \"httpd -p 192.0.2.11:80 -h /www\", \"httpd -p [2001:db8::11]:80 -h /www\"; }"
expect_rc 0 "$BRIG" config check
expect_rc 0 "$BRIG" start s
remember_cgroups s
rules() { nft list table inet brig 2>/dev/null | grep -c '"jail:s"' || true; }
[ "$(rules)" -gt 0 ] || fail "no jail:s rule while s runs: $(nft list table inet brig 2>&1)"

get() { timeout 10 wget -q -O- -T 5 -t 1 "$1" 2>/dev/null || true; }
expect_eq "peer -> 192.0.2.1:8080" "jail s" "$(peer timeout 10 wget -q -O- -T 5 -t 1 http://192.0.2.1:8080/ 2>/dev/null || true)"
expect_eq "peer -> [2001:db8::1]:8080" "jail s" \
	"$(peer timeout 10 wget -q -O- -T 5 -t 1 'http://[2001:db8::1]:8080/' 2>/dev/null || true)"
expect_eq "host -> 127.0.0.1:8080" "jail s" "$(get http://127.0.0.1:8080/)"
expect_eq "host -> 192.0.2.1:8080" "jail s" "$(get http://192.0.2.1:8080/)"

# UDP: a server in the jail on the wildcard of each family (held to the
# jail's address), each answering "udp-ok from ADDR" (udpd JAIL).
udpd() {
	for a in 0.0.0.0 ::; do
		"$BRIG" exec "$1" probe udpecho "$a" 53 >"$T/udpd-$1-$a" 2>&1 &
	done
	for a in 0.0.0.0 ::; do
		n=0
		until grep -q ready "$T/udpd-$1-$a"; do
			n=$((n + 1))
			[ $n -lt 100 ] || fail "$1's UDP server on $a did not start: $(cat "$T/udpd-$1-$a")"
			sleep 0.1
		done
	done
}
udpd s
ask() { timeout 10 "$ROOT/bin/probe" udpask "$@" 2>&1 || true; }
expect_eq "udp peer -> 192.0.2.1:5353" "udp-ok from 192.0.2.2" \
	"$(peer timeout 10 "$ROOT/bin/probe" udpask 192.0.2.1 5353 2>&1 || true)"
expect_eq "udp peer -> [2001:db8::1]:5353" "udp-ok from 2001:db8::2" \
	"$(peer timeout 10 "$ROOT/bin/probe" udpask 2001:db8::1 5353 2>&1 || true)"
expect_eq "udp host -> 192.0.2.1:5353" "udp-ok from 192.0.2.1" \
	"$(ask 192.0.2.1 5353)"
expect_eq "udp host -> [2001:db8::1]:5353" "udp-ok from 2001:db8::1" \
	"$(ask 2001:db8::1 5353)"
expect_eq "udp host -> 127.0.0.1:5353" "udp-ok from 192.0.2.11" \
	"$(ask 127.0.0.1 5353)"
# brig doctor finds the rdr and its listener, and probes it.
expect_rc 0 "$BRIG" doctor --rdr=8080 s
expect_grep "OK   service  rdr \"tcp 8080 80\" (IPv4)" "$OUT"
expect_grep "OK   rdr      rdr \"tcp 8080 80\" (IPv4): from the host, through its port" "$OUT"

expect_rc 0 "$BRIG" stop s
assert_clean
expect_eq "jail:s rules after stop" 0 "$(rules)"
case $(ip -o addr show dev lan0) in *192.0.2.11*|*2001:db8::11*) fail "an alias is left after stop" ;; esac
expect_eq "peer -> 192.0.2.1:8080 after stop" "" \
	"$(peer timeout 10 wget -q -O- -T 2 -t 1 http://192.0.2.1:8080/ 2>/dev/null || true)"

# allow.raw_sockets gives the jail an egress program that drops what it
# sends from an address not its own (a raw socket writes any header). An
# rdr's replies leave it with the host's address (the un-DNAT is done
# before that program sees them), and pass: the program checks the
# headers of raw and other sockets, not of TCP and UDP sockets, whose
# source the socket address programs hold to the jail's.
conf "r { path = \"$ROOT\"; persist; allow.raw_sockets; interface = lan0;
	ip4.addr = 192.0.2.13; ip6.addr = 2001:db8::13; rdr = \"tcp 8080 80\", \"udp 5353 53\";
	exec.start = \"httpd -p 192.0.2.13:80 -h /www\"; }"
expect_rc 0 "$BRIG" start r
remember_cgroups r
expect_eq "peer -> 192.0.2.1:8080 (raw sockets)" "jail s" \
	"$(peer timeout 10 wget -q -O- -T 5 -t 1 http://192.0.2.1:8080/ 2>/dev/null || true)"
udpd r
expect_eq "udp peer -> 192.0.2.1:5353 (raw sockets)" "udp-ok from 192.0.2.2" \
	"$(peer timeout 10 "$ROOT/bin/probe" udpask 192.0.2.1 5353 2>&1 || true)"
expect_eq "udp peer -> [2001:db8::1]:5353 (raw sockets)" "udp-ok from 2001:db8::2" \
	"$(peer timeout 10 "$ROOT/bin/probe" udpask 2001:db8::1 5353 2>&1 || true)"
expect_eq "udp host -> 127.0.0.1:5353 (raw sockets)" "udp-ok from 192.0.2.13" "$(ask 127.0.0.1 5353)"
expect_rc 0 "$BRIG" stop r
assert_clean

# A port forwarded by another jail, vnet or not, is refused before
# anything is made; so is an rdr without an address to forward to.
conf "s { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; rdr = \"tcp 8080 80\"; }
t { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.12\"; rdr = \"tcp 8080 81\"; }"
expect_rc 1 "$BRIG" start t
expect_grep "t: start: rdr \"tcp 8080 81\": host port tcp/8080 is also forwarded by jail s" "$ERR"
conf "i { path = \"$ROOT\"; persist; ip4 = inherit; rdr = \"tcp 8080 80\"; }"
expect_rc 1 "$BRIG" start i
expect_grep "i: start: rdr \"tcp 8080 80\": the jail has no address to forward to" "$ERR"
assert_clean

# NAT: the jail's private address (10.20.0.5 on jails0, declared with
# nat) reaches the peer, which has no route to 10.20.0.0/24: only
# masqueraded; its rdr works there too.
cat >"$BRIG_CONFDIR/networks.conf" <<'NW'
jails0 {
	ip4.addr = "10.20.0.1/24";
	nat;
}
NW
mkdir -p "$T/peerwww"
echo peer >"$T/peerwww/index.html"
peer busybox httpd -f -p 192.0.2.2:80 -h "$T/peerwww" &
peer_pids="$peer_pids $!"
n=0
until [ "$(timeout 5 wget -q -O- -T 2 -t 1 http://192.0.2.2/ 2>/dev/null)" = peer ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "the peer's web server did not start"
	sleep 0.1
done
conf "n { path = \"$ROOT\"; persist; interface = jails0; ip4.addr = 10.20.0.5;
	rdr = \"tcp 8081 80\"; exec.start = \"httpd -p 80 -h /www\"; }"
expect_rc 0 "$BRIG" start n
remember_cgroups n
expect_grep "10.20.0.5/32" "$(ip -o addr show dev jails0)"
# (busybox nc: busybox wget segfaults in this bare root)
got=$(printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 "$BRIG" exec n nc -w 5 192.0.2.2 80 2>&1 || true)
expect_grep "^peer" "$got"
expect_eq "peer -> 192.0.2.1:8081 (n)" "jail s" \
	"$(peer timeout 10 wget -q -O- -T 5 -t 1 http://192.0.2.1:8081/ 2>/dev/null || true)"
expect_rc 0 "$BRIG" stop n
assert_clean
case $(ip -o addr show dev jails0) in *10.20.0.5*) fail "n's alias is left after stop" ;; esac
# An interface that neither exists nor is declared: refused, naming it.
conf "n { path = \"$ROOT\"; persist; interface = nosuch0; ip4.addr = 10.20.0.5; }"
expect_rc 1 "$BRIG" start n
expect_grep "n: start: ifaddr: interface nosuch0 (for 10.20.0.5)" "$ERR"
assert_clean

# brig killed at each point of a start: the next command leaves no rule.
conf "s { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; rdr = \"tcp 8080 80\"; }"
n=1
while :; do
	set +e
	BRIG_FAULT=$n "$BRIG" start s >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc = 0 ] && break
	[ $rc = 137 ] || fail "start, fault point $n: brig exited $rc: $(cat "$T/out")"
	assert_clean
	expect_eq "jail:s rules after fault point $n" 0 "$(rules)"
	n=$((n + 1))
	[ $n -lt 100 ] || fail "more than 100 fault points?"
done
echo "start: $((n - 1)) fault points"
expect_rc 0 "$BRIG" stop s
assert_clean
expect_eq "jail:s rules at the end" 0 "$(rules)"
