#!/bin/sh
# seed-jail-epair.sh with its FreeBSD commands rewritten for Linux (ip(8)):
#   ifconfig X >/dev/null           -> ip link show X >/dev/null
#   ifconfig X up                   -> ip link set X up
#   ifconfig BRIDGE addm X          -> ip link set X master BRIDGE
#   ifconfig epair create + 2 renames -> ip link add Xa type veth peer name Xb
#   ifconfig X destroy              -> ip link del X
# Everything else (arguments, checks, messages, exit codes) is the seed's.
set -eu

action="${1:-}"
name="${2:-}"
short="${3:-}"
bridge="${4:-bridge0}"

[ -n "$name" ] || { echo "missing jail name" >&2; exit 2; }
[ -n "$short" ] || { echo "missing short name" >&2; exit 2; }

case "$action" in
  up)
    # If it already exists, do nothing
    if ip link show "epair_${short}a" >/dev/null 2>&1; then
      ip link set "epair_${short}a" up
      ip link set "epair_${short}a" master "$bridge" || true
      exit 0
    fi

    # Both ends named deterministically at once
    ip link add "epair_${short}a" type veth peer name "epair_${short}b"

    # Host-side plumbing
    ip link set "epair_${short}a" up
    ip link set "epair_${short}a" master "$bridge"
    ;;

  down)
    # Destroying the a-side destroys the whole pair
    ip link del "epair_${short}a" >/dev/null 2>&1 || true
    ;;

  *)
    echo "usage: $0 up <jailname> [bridge] | down <jailname>" >&2
    exit 2
    ;;
esac
