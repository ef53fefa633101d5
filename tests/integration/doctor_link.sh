# brig doctor JAIL (issue 17): faults of the link between the jail and
# the host (the veth pair's host end, the bridge) are named at their hop,
# exit status 1; the fix doctor gives (brig net up, brig restart) heals
# them.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/doctor.sh

doctor_ok a

# The host end down, out of the bridge, gone.
ip link set epair_aa down
doctor_fails a link 'host end epair_aa'
ip link set epair_aa up
doctor_ok a
ip link set epair_aa nomaster
doctor_fails a link 'host end epair_aa'
ip link set epair_aa master br0
doctor_ok a
# The host end's MTU lowered: the bridge follows it, the jails do not.
ip link set epair_aa mtu 1400
doctor_fails a jail 'epair_ab MTU'
doctor_fails b jail 'epair_bb MTU'
ip link set epair_aa mtu 1500
doctor_ok a
ip link del epair_aa
doctor_fails a link 'host end epair_aa'
doctor_fails a jail 'interface epair_ab'
expect_rc 0 "$BRIG" restart a
doctor_ok a

# The bridge without its networks.conf address: brig net up puts it back.
ip addr del 10.80.0.1/24 dev br0
doctor_fails a link 'bridge br0 addresses'
expect_rc 0 "$BRIG" net up br0
in_jail a ip route replace default via 10.80.0.1
in_jail b ip route replace default via 10.80.0.1
doctor_ok a

# The bridge down.
ip link set br0 down
doctor_fails a link 'bridge br0$'
expect_rc 0 "$BRIG" net up br0
doctor_ok b

# A duplicate of a jail's address and of the gateway's on the bridge: a
# machine (a namespace of the test's) plugged into br0.
unshare -n sleep 600 &
PEER_PID=$!
tries=0
until [ "$(readlink /proc/$PEER_PID/ns/net)" != "$(readlink /proc/self/ns/net)" ]; do
	tries=$((tries + 1))
	[ $tries -lt 100 ] || fail "the peer namespace did not come"
	sleep 0.05
done
peer() { nsenter -t "$PEER_PID" -n ip "$@"; }
ip link add dupa type veth peer name dupb netns "$PEER_PID"
ip link set dupa master br0 up
peer link set dupb up
peer addr add 10.80.0.6/24 dev dupb
doctor_fails b host 'duplicates on br0'
expect_grep "10.80.0.6 also answered by" "$OUT"
peer addr del 10.80.0.6/24 dev dupb
peer addr add fd00:80::5/64 dev dupb nodad
doctor_fails a host 'duplicates on br0'
expect_grep "fd00:80::5 also answered by" "$OUT"
peer addr del fd00:80::5/64 dev dupb
peer addr add 10.80.0.1/24 dev dupb
doctor_fails a host 'duplicates on br0'
expect_grep "10.80.0.1 also answered by" "$OUT"
peer addr del 10.80.0.1/24 dev dupb
doctor_ok a
ip link del dupa
kill "$PEER_PID"
wait "$PEER_PID" 2>/dev/null || true
PEER_PID=

# The bridge gone: brig net up makes it again, brig restart plugs the
# jail back in.
ip link del br0
doctor_fails a link 'bridge br0$'
expect_rc 0 "$BRIG" net up br0
expect_rc 0 "$BRIG" restart a
doctor_ok a
expect_rc 0 "$BRIG" stop a b
echo ok
