# A LAN host for the shared-IP tests (net_shared, net_rdr_shared,
# net_shared_saddrsel): a network namespace held by a sleep; `peer CMD`
# runs CMD in it; `peer_lan HOSTIF PEERIF HOSTADDRS PEERADDRS` links it
# to the test's namespace by a veth pair, addressed (IPv6 without DAD)
# and up. The processes named in $peer_pids are killed with it at exit.
# Needs lib/jail.sh (its safety net runs at exit too).
unshare --net sleep 600 &
peerns=$!
peer_pids=""
n=0
while [ "$(readlink /proc/$peerns/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "the peer's namespace was not made"
	sleep 0.1
done
peer() { nsenter -t "$peerns" -n "$@"; }
peer_cleanup() {
	# shellcheck disable=SC2086
	kill "$peerns" $peer_pids 2>/dev/null
	jail_safety_net
}
trap peer_cleanup EXIT
ip link set lo up
peer ip link set lo up

# "nodad" for an IPv6 address (ip warns of it for IPv4).
peer_nodad() {
	case $1 in *:*) echo nodad ;; esac
}

peer_lan() {
	ip link add "$1" type veth peer name "$2" netns "$peerns"
	for a in $3; do ip addr add "$a" dev "$1" $(peer_nodad "$a"); done
	for a in $4; do peer ip addr add "$a" dev "$2" $(peer_nodad "$a"); done
	ip link set "$1" up
	peer ip link set "$2" up
}

# Wait for the peer's logger (lib/peerlog.py) started on FILE.
peer_log_ready() {
	n=0
	while [ ! -e "$1.ready" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "the peer's logger did not start"
		sleep 0.1
	done
}
