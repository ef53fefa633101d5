# brig doctor JAIL (issue 17): a healthy demo-like setup is all OK
# (text, --json, --all); then each fault of the jail's own namespace is
# injected in turn and must be named at its hop, with exit status 1.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/doctor.sh

doctor_ok a
doctor_ok b
expect_rc 0 "$BRIG" doctor a -v
printf '%s\n' "$OUT"
expect_grep "OK   jail     interface epair_ab" "$OUT"
# How long a healthy jail takes (for the log; not asserted).
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$BRIG" doctor a >/dev/null
	echo "doctor a: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done
expect_rc 0 "$BRIG" doctor --all
expect_grep "^OK   a " "$OUT"
expect_grep "^OK   b " "$OUT"

# lo down.
in_jail a ip link set lo down
doctor_fails a jail '^lo$'
# --all: one line each (the failing hop named), then a's details only.
expect_rc 1 "$BRIG" doctor --all
expect_grep "^FAIL a  *[0-9]* hops: jail lo" "$OUT"
expect_grep "^OK   b " "$OUT"
expect_grep "^a:" "$OUT"
printf '%s\n' "$OUT" | grep -q "^b:" && fail "--all details of a healthy jail: $OUT"
expect_rc 1 "$BRIG" doctor --all --json
# In jls order (by JID): a and b may have either order, each keeps its status.
printf '%s\n' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert sorted((x["subject"], x["status"]) for x in r) == [("a", "FAIL"), ("b", "OK")], r' ||
	fail "--all --json: $OUT"
in_jail a ip link set lo up
doctor_ok a

# Address missing, then a different one.
in_jail a ip addr del 10.80.0.5/24 dev epair_ab
doctor_fails a jail 'epair_ab IPv4 address'
in_jail a ip addr add 10.80.0.55/24 dev epair_ab
doctor_fails a jail 'epair_ab IPv4 address'
in_jail a ip addr del 10.80.0.55/24 dev epair_ab
in_jail a ip addr add 10.80.0.5/24 dev epair_ab
in_jail a ip route add default via 10.80.0.1
doctor_ok a
in_jail a ip -6 addr del fd00:80::5/64 dev epair_ab
doctor_fails a jail 'epair_ab IPv6 address'
in_jail a ip -6 addr add fd00:80::5/64 dev epair_ab nodad
in_jail a ip -6 route replace default via fd00:80::1
doctor_ok a

# No default route, a wrong gateway, no IPv6 route.
in_jail a ip route del default
doctor_fails a jail 'default route IPv4'
in_jail a ip route add default via 10.80.0.6
doctor_fails a jail 'default route IPv4'
in_jail a ip route replace default via 10.80.0.1
# Another default route that wins (a lower metric): the one taken counts.
in_jail a ip route add default via 10.80.0.6 metric 0 2>/dev/null ||
	in_jail a ip route prepend default via 10.80.0.6
in_jail a ip route replace default via 10.80.0.1 metric 100
in_jail a ip route show
doctor_fails a jail 'default route IPv4'
in_jail a ip route flush default
in_jail a ip route add default via 10.80.0.1
in_jail a ip -6 route del default
doctor_fails a jail 'default route IPv6'
in_jail a ip -6 route add default via fd00:80::1
doctor_ok a

# MTU other than the bridge's.
in_jail a ip link set epair_ab mtu 1400
doctor_fails a jail 'epair_ab MTU'
in_jail a ip link set epair_ab mtu 1500
doctor_ok a

# resolv.conf missing, then pointing at a server that does not answer.
mv "$ROOT/etc/resolv.conf" "$T/resolv.conf"
doctor_fails a jail '/etc/resolv.conf'
echo "nameserver 10.80.0.99" >"$ROOT/etc/resolv.conf"
doctor_fails a jail 'nameserver 10.80.0.99'
mv "$T/resolv.conf" "$ROOT/etc/resolv.conf"
doctor_ok a

# The interface down, then gone: brig restart (the fix given) heals it.
in_jail a ip link set epair_ab down
doctor_fails a jail 'interface epair_ab'
expect_rc 0 "$BRIG" restart a
doctor_ok a
in_jail a ip link del epair_ab
doctor_fails a jail 'interface epair_ab'
expect_rc 0 "$BRIG" restart a
doctor_ok a

# A jail that is not running.
expect_rc 0 "$BRIG" stop b
doctor_fails b jail running
expect_rc 0 "$BRIG" stop a
echo ok
