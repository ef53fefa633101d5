# brig stats of a vnet jail: the traffic of its interfaces (loopback left
# out), against its host end's counters read around it: what the host
# end sent, the jail received, and the other way. A shared-IP jail's
# traffic is the host's interfaces': shown as null.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v python3 >/dev/null || skip "python3 missing"

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF2'
bridge0 { ip4.addr = "10.10.0.1/24"; }
EOF2
ip link add dummy0 type veth peer name dummy1
ip addr add 10.20.0.1/24 dev dummy0
ip link set dummy0 up
conf "vn { path = \"$ROOT\"; persist; vnet; vnet.interface = \"epair_vnb\"; vnet.bridge = \"bridge0\";
	ip4.addr = \"10.10.0.7/24\"; ip4.defaultrouter = \"10.10.0.1\"; }
sh { path = \"$ROOT\"; persist; ip4.addr = \"dummy0|10.20.0.9/24\"; }"
expect_rc 0 "$BRIG" start vn
remember_cgroups vn
# A userns jail needs a network of its own: no shared-IP jail then.
shared=
[ "${BRIG_TEST_USERNS:-}" = 1 ] || shared=sh
if [ -n "$shared" ]; then
	expect_rc 0 "$BRIG" start sh
	remember_cgroups sh
fi

# field JSON KEY
field() {
	printf '%s' "$1" | python3 -c 'import json,sys; v=json.load(sys.stdin)[0][sys.argv[1]]; print("null" if v is None else v)' "$2"
}
# host COUNTER: the host end's, from /proc/net/dev (this namespace's).
host() {
	awk -v c="$1" '{ sub(/^ */, "") } $1 == "epair_vna:" {
		print (c == "rx_bytes" ? $2 : c == "rx_packets" ? $3 : c == "tx_bytes" ? $10 : $11) }' /proc/net/dev
}

# Bounded traffic: 20 pings of 1000 bytes from the host to the jail.
timeout 20 busybox ping -A -c 20 -s 1000 -W 2 10.10.0.7 >/dev/null || fail "ping 10.10.0.7"
# Each of brig's figures between two reads of the host end's around it;
# a frame in flight between one end and the other may put a figure out
# of the bounds for a moment: read again (bounded).
tries=0
while :; do
	a_tx=$(host tx_bytes); a_rx=$(host rx_bytes); a_txp=$(host tx_packets); a_rxp=$(host rx_packets)
	expect_rc 0 "$BRIG" stats --json vn
	J=$OUT
	b_tx=$(host tx_bytes); b_rx=$(host rx_bytes); b_txp=$(host tx_packets); b_rxp=$(host rx_packets)
	rxb=$(field "$J" net_rx_bytes); txb=$(field "$J" net_tx_bytes)
	rxp=$(field "$J" net_rx_packets); txp=$(field "$J" net_tx_packets)
	[ "$a_tx" -le "$rxb" ] && [ "$rxb" -le "$b_tx" ] && [ "$a_rx" -le "$txb" ] && [ "$txb" -le "$b_rx" ] &&
		[ "$a_txp" -le "$rxp" ] && [ "$rxp" -le "$b_txp" ] && [ "$a_rxp" -le "$txp" ] && [ "$txp" -le "$b_rxp" ] &&
		break
	tries=$((tries + 1))
	[ $tries -lt 20 ] || fail "vn's counters not within its host end's: host tx [$a_tx, $b_tx] rx [$a_rx, $b_rx] packets tx [$a_txp, $b_txp] rx [$a_rxp, $b_rxp]; brig: $J"
	sleep 0.1
done
echo "brig stats --json vn: $J" >&2
[ "$rxp" -ge 20 ] && [ "$txp" -ge 20 ] || fail "20 pings each way expected: $J"
[ "$rxb" -ge 20000 ] && [ "$txb" -ge 20000 ] || fail "20 pings of 1000 bytes each way expected: $J"

# A shared-IP jail: on the host's stack, its traffic not told apart.
if [ -n "$shared" ]; then
	expect_rc 0 "$BRIG" stats --json sh
	expect_eq "shared-IP jail's net_rx_bytes" null "$(field "$OUT" net_rx_bytes)"
	expect_rc 0 "$BRIG" stats sh
	expect_grep "^sh .*(host's)" "$OUT"
fi

expect_rc 0 "$BRIG" stop vn $shared
assert_clean
