#!/bin/sh
# Run one integration test inside the sandbox namespaces made by tests/run.sh:
# a private tmpfs for every brig directory, lo up, then the test itself.
set -eu
t="$1"
T=$(mktemp -d /tmp/brig-it.XXXXXX)
mount -t tmpfs -o mode=0755 brig-it "$T"
export T
export BRIG_RUNDIR="$T/run" BRIG_CONFDIR="$T/etc" BRIG_STOREDIR="$T/store"
mkdir -p "$BRIG_RUNDIR" "$BRIG_CONFDIR/jail.conf.d" "$BRIG_STOREDIR"
ip link set lo up 2>/dev/null || true
rc=0
sh -eu "$t" || rc=$?
umount -l "$T" 2>/dev/null || true
rmdir "$T" 2>/dev/null || true
exit $rc
