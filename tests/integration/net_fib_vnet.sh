# exec.fib (issue 20) of a vnet jail: the rule is in the jail's own
# namespace (none on the host's), and the jail's root puts table 100's
# route there from exec.start. Two bridges, br0 with peer A and br1 with
# peer B (lib/fib.sh), both holding 203.0.113.9; jails v (exec.fib = 100)
# and w (without) each have an epair on both, main's default route via A
# and table 100's via B. What v sends reaches B, what w sends reaches A;
# v's server answers B's client at 203.0.113.9 (routed back by table 100
# alone), w's does not. Also in a user namespace (the userns pass).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/fib.sh
for b in br0 br1; do
	ip link add $b type bridge
	ip link set $b up
done
ip addr add 10.40.0.1/24 dev br0
ip addr add 10.41.0.1/24 dev br1
fib_peer A pa 10.40.0.2/24 10.40.0.1
fib_peer B pb 10.41.0.2/24 10.41.0.1
ip link set pa master br0
ip link set pb master br1

mkdir -p "$ROOT/www/v" "$ROOT/www/w"
echo jail-v >"$ROOT/www/v/index.html"
echo jail-w >"$ROOT/www/w/index.html"
# jail NAME N [FIB]: a vnet jail on br0 (10.40.0.N) and br1 (10.41.0.N).
jail() {
	printf '%s { path = "%s"; persist; vnet; vnet.bridge = br0, br1;
	vnet.interface = "epair_%sb", "epair_%sc"; %s
	ip4.addr = "br0|10.40.0.%s/24", "br1|10.41.0.%s/24"; ip4.defaultrouter = 10.40.0.2;
	exec.start = "ip route add default via 10.41.0.2 table 100", "httpd -p 8080 -h /www/%s"; }\n' \
		"$1" "$ROOT" "$1" "$1" "${3:+exec.fib = $3;}" "$2" "$2" "$1"
}
conf "$(jail v 10 100)
$(jail w 11)"
expect_rc 0 "$BRIG" start v w
remember_cgroups v
remember_cgroups w
for j in v w; do
	# The answers of a server come back by another interface than
	# the one the question came in by: no reverse path filter.
	# shellcheck disable=SC2016
	nsenter -t "$(jstate "$BRIG_RUNDIR/$j/state" init)" -n sh -c \
		'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >$f; done'
done
jid=$(jstate "$BRIG_RUNDIR/v/state" jid)
mark=$(printf '0x%x' $((0xb0000000 + jid)))
# (busybox's ip does not print the rule's protocol)
expect_rc 0 "$BRIG" exec v ip rule show
expect_grep "^1000:.*fwmark $mark/0xf0003fff lookup 100" "$OUT"
expect_rc 0 "$BRIG" exec v ip -6 rule show
expect_grep "^1000:.*fwmark $mark/0xf0003fff lookup 100" "$OUT"
expect_rc 0 "$BRIG" exec w ip rule show
case $OUT in *fwmark*) fail "w has a rule of brig's: $OUT" ;; esac
expect_eq "brig's rules on the host" "" "$(fib_rules)"

fib_sent v B 10.41.0.10
fib_sent w A 10.40.0.11
grep -q "10.41.0.10\|10.40.0.10" "$T/A.log" && fail "v's traffic took the main table: $(cat "$T/A.log")"
grep -q "10.4[01].0.11" "$T/B.log" && fail "w's traffic took table 100: $(cat "$T/B.log")"
expect_eq "B's client -> v" jail-v "$(fib_get 10.41.0.10)"
expect_eq "B's client -> w" "" "$(fib_get 10.41.0.11)"

expect_rc 0 "$BRIG" stop v w
assert_clean
expect_eq "brig's rules on the host" "" "$(fib_rules)"
