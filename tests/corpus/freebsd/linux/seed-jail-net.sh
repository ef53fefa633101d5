#!/bin/sh
# seed-jail-net.sh with its FreeBSD commands rewritten for Linux (the
# jail's busybox ip applet):
#   ifconfig IF inet ADDR up        -> ip addr add ADDR dev IF && ip link set IF up
#   route -n get default            -> ip route show default | grep -q .
#   route -q delete default         -> ip route del default
#   route -q add default GW         -> ip route add default via GW
set -eu

name="${1:?jail name}"
short="${2:?short}"
ip4="${3:?ip/cidr}"
gw4="${4:?gateway}"

jexec "$name" sh -eu -c 'ip addr add "$1" dev "$2" && ip link set "$2" up' sh "$ip4" "epair_${short}b"

# Make default route idempotent: change if already present
jexec "$name" sh -eu -c '
gw="$1"
if ip route show default 2>/dev/null | grep -q .; then
  ip route del default >/dev/null 2>&1 || true
fi
ip route add default via "$gw"
' sh "$gw4"
