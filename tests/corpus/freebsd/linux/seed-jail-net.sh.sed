# seed-jail-net.sh for Linux (busybox ip in the jail): ifconfig IF inet ADDR
# up becomes ip addr add + ip link set up; route becomes ip route.
s|jexec "\$name" ifconfig "\(epair_\${short}b\)" inet "\$ip4" up|jexec "$name" sh -euc 'ip addr add "$1" dev "$2" \&\& ip link set "$2" up' sh "$ip4" "\1"|
s|route -n get default|ip route show default 2>/dev/null \| grep -q .|
s|route -q delete default|ip route del default|
s|route -q add default "\$gw"|ip route add default via "$gw"|
