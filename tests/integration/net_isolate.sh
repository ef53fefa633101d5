# Isolation with real jails: jails on isolated bridges reach their own
# bridge's jails, their gateway and (with nat) the outside, never another
# brig bridge; bridges without isolate route to each other.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
front { ip4.addr = "10.30.0.1/24"; isolate; nat; }
back  { ip4.addr = "10.40.0.1/24"; isolate; }
open1 { ip4.addr = "10.50.0.1/24"; }
open2 { ip4.addr = "10.60.0.1/24"; nat; }
EOF
jail() {
	printf '%s { path = "%s"; persist; mount.devfs; allow.raw_sockets; vnet; vnet.bridge = %s;
	ip4.addr = "%s/24"; ip4.defaultrouter = "%s"; }\n' "$1" "$ROOT" "$2" "$3" "${3%.*}.1"
}
conf "$(jail a front 10.30.0.5; jail a2 front 10.30.0.6; jail b back 10.40.0.5
	jail c open1 10.50.0.5; jail d open2 10.60.0.5)"

# The outside: a namespace behind up0 with no route back to any jail.
unshare --net sleep 120 &
outside=$!
sleep 0.2
ip link add up0 type veth peer name up1 netns "$outside"
ip addr add 198.51.100.1/24 dev up0
ip link set up0 up
nsenter -t "$outside" -n sh -c 'ip addr add 198.51.100.2/24 dev up1; ip link set up1 up'

expect_rc 0 "$BRIG" start --all
for j in a a2 b c d; do remember_cgroups $j; done

reach() { timeout 10 "$BRIG" exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1; }
reach a 10.30.0.6 || fail "a cannot reach a2 on its own bridge"
reach a 10.30.0.1 || fail "a cannot reach its gateway"
reach c 10.60.0.5 || fail "c cannot reach d (bridges without isolate route)"
reach d 10.50.0.5 || fail "d cannot reach c"
reach a 10.40.0.5 && fail "a (front, isolated) reached b (back)"
reach b 10.30.0.5 && fail "b (back, isolated) reached a (front)"
reach a 10.50.0.5 && fail "a (isolated) reached c (open1)"
reach c 10.30.0.5 && fail "c reached a (isolated)"
reach b 10.60.0.5 && fail "b (isolated) reached d"
# nat: front reaches the outside through the host's address, back (no
# nat) does not.
reach a 198.51.100.2 || fail "a (front, nat) cannot reach the outside"
reach b 198.51.100.2 && fail "b (no nat) reached the outside"

expect_rc 0 "$BRIG" stop --all
assert_clean
nft list table inet brig | grep -q 'jail:' && fail "jail rules left"
kill "$outside"
exit 0
