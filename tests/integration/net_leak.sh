# Leftovers: 200 start/stop cycles of a vnet jail with addresses, routes and
# rdr leave no interface, address, route or rule behind; brig killed
# (SIGKILL) at every point of a start leaves nothing once the next brig
# command has cleaned up, and the jail starts again.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 { ip4.addr = "10.10.0.1/24"; ip6.addr = "fd00:10::1/64"; nat; }
EOF
conf "web {
	path = \"$ROOT\"; persist;
	vnet; vnet.bridge = bridge0; vnet.interface = epair_webb;
	ip4.addr = \"10.10.0.4/24\"; ip4.defaultrouter = 10.10.0.1;
	ip6.addr = \"fd00:10::4/64\"; ip6.defaultrouter = \"fd00:10::1\";
	rdr = \"tcp 8080 80\", \"udp 5353 53\";
}"

snapshot() {
	{ ip -o link | sed -E 's/^[0-9]+: ([^:@]+).*/link \1/'
	  ip -o link show master bridge0 | sed -E 's/^[0-9]+: ([^:@]+).*/port \1/'
	  ip -o addr | sed -E 's/^[0-9]+: //; s/ +valid_lft.*//'; ip route; ip -6 route
	  nft list ruleset; } | grep -v 'fe80::' | sort
}
jail_objects() {
	ip -o link show epair_weba 2>/dev/null || true
	nft list table inet brig 2>/dev/null | grep 'jail:web' || true
}

# The first start makes bridge0 (which stays); the host after it is the
# reference.
expect_rc 0 "$BRIG" start web
remember_cgroups web
[ -n "$(jail_objects)" ] || fail "no jail objects to look for"
expect_rc 0 "$BRIG" stop web
# (the host end may still be going with the jail's namespace: settled)
: >"$T/none"
settled "$T/none" "$T/left" jail_objects
snapshot >"$T/ref"

i=0
while [ $i -lt ${NET_LEAK_CYCLES:-200} ]; do
	"$BRIG" start web >"$T/out" 2>&1 || fail "cycle $i: start: $(cat "$T/out")"
	"$BRIG" stop web >"$T/out" 2>&1 || fail "cycle $i: stop: $(cat "$T/out")"
	i=$((i + 1))
done
settled "$T/ref" "$T/after" snapshot
diff "$T/ref" "$T/after" || fail "200 cycles changed the host"
assert_clean

# SIGKILL at each fault point of a start (BRIG_FAULT=N): the next brig
# (ls) reconciles; nothing of the jail's network may survive that.
n=1
while :; do
	set +e
	BRIG_FAULT=$n "$BRIG" start web >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc = 0 ] && break
	[ $rc = 137 ] || fail "fault point $n: brig exited $rc: $(cat "$T/out")"
	assert_clean
	left=$(jail_objects)
	[ -z "$left" ] || fail "fault point $n: left behind: $left"
	settled "$T/ref" "$T/after" snapshot
	diff "$T/ref" "$T/after" || fail "fault point $n changed the host"
	n=$((n + 1))
	[ $n -lt 100 ] || fail "more than 100 fault points?"
done
echo "start: $((n - 1)) fault points"
# The kills hit after the veth and the rules were recorded, and after
# they were made.
[ $n -gt 10 ] || fail "only $((n - 1)) fault points"
expect_rc 0 "$BRIG" stop web
assert_clean
settled "$T/ref" "$T/after" snapshot
diff "$T/ref" "$T/after" || fail "the host changed"

# Leftovers without any state (say, the run directory was lost): a veth
# and a rule of this jail are found and replaced by the next start.
ip link add epair_weba type veth peer name leftb
ip link set epair_weba alias jail:web
nft add rule inet brig prerouting tcp dport 9999 dnat ip to 10.10.0.4:80 comment '"jail:web"'
expect_rc 0 "$BRIG" start web
expect_eq "stale rule replaced" 0 "$(nft list table inet brig | grep -c 'dport 9999')"
ip link show leftb 2>/dev/null && fail "the old pair survived"
expect_rc 0 "$BRIG" stop web
assert_clean
settled "$T/ref" "$T/after" snapshot
diff "$T/ref" "$T/after" || fail "the host changed"
