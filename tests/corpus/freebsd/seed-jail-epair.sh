#!/bin/sh
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
    if ifconfig "epair_${short}a" >/dev/null 2>&1; then
      ifconfig "epair_${short}a" up
      ifconfig "$bridge" addm "epair_${short}a" || true
      exit 0
    fi

    base="$(ifconfig epair create | sed 's/[ab]$//')"

    # Rename both ends deterministically
    ifconfig "${base}a" name "epair_${short}a"
    ifconfig "${base}b" name "epair_${short}b"

    # Host-side plumbing
    ifconfig "epair_${short}a" up
    ifconfig "$bridge" addm "epair_${short}a"
    ;;

  down)
    # Destroying the a-side destroys the whole pair
    ifconfig "epair_${short}a" destroy >/dev/null 2>&1 || true
    ;;

  *)
    echo "usage: $0 up <jailname> [bridge] | down <jailname>" >&2
    exit 2
    ;;
esac
