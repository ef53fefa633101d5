#!/bin/sh
set -eu

name="${1:?jail name}"
short="${2:?short}"
ip4="${3:?ip/cidr}"
gw4="${4:?gateway}"

jexec "$name" ifconfig "epair_${short}b" inet "$ip4" up

# Make default route idempotent: change if already present
jexec "$name" sh -eu -c '
gw="$1"
if route -n get default >/dev/null 2>&1; then
  route -q delete default >/dev/null 2>&1 || true
fi
route -q add default "$gw"
' sh "$gw4"
