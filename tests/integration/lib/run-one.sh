#!/bin/sh
# Run one integration test inside the sandbox namespaces made by tests/run.sh:
# a private tmpfs for every brig directory, lo up, then the test itself.
# A test that passed must have left no cgroup below its run directory's
# group once the jails' reapers are done: else it fails. Afterwards, whatever the test
# left: its processes (this shell is PID 1 of the test's own PID namespace,
# so everything else in it is the test's) and the cgroups brig made during
# the test (cgroupfs is not namespaced: left alone, a failed test would
# leave directories on the machine).
set -eu
t="$1"
T=${T:-$(mktemp -d /tmp/brig-it.XXXXXX)}
mount -t tmpfs -o mode=0755 brig-it "$T"
# A jail.conf may name host paths (exec.consolelog = /var/log/...): in the
# sandbox /var/log is a tmpfs of the test's own.
mount -t tmpfs -o mode=0755 brig-it-log /var/log
export T
export BRIG_RUNDIR="$T/run" BRIG_CONFDIR="$T/etc" BRIG_STOREDIR="$T/store" BRIG_LOGDIR="$T/log"
mkdir -p "$BRIG_RUNDIR" "$BRIG_CONFDIR/jail.conf.d" "$BRIG_STOREDIR"
ip link set lo up 2>/dev/null || true
# brig's cgroup group for this run directory, as brig names it. Only
# cgroups of this group are the test's: other runs (another checkout's
# tests) may be making theirs at the same time.
group=$("$BRIG" _cgroup-group)
case "$group" in brig.*) ;; *) echo "run-one: brig _cgroup-group: \"$group\"" >&2; exit 1 ;; esac
rc=0
sh -eu${RUN_ONE_X:+x} "$t" || rc=$?
if [ $rc = 0 ]; then
	tries=0
	while cat /proc/[0-9]*/comm 2>/dev/null | grep -qxF brig-reaper && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	# brig's group itself stays when its last jail goes (sys/cgroup.h):
	# a group below it is a leak.
	for d in /sys/fs/cgroup/*/"$group"/*/; do
		[ -d "$d" ] || continue
		echo "run-one: the test passed but left cgroup ${d%/}" >&2
		rc=1
	done
fi
# Only as PID 1 of the test's own namespace: never signal anything else.
if [ "$$" = 1 ]; then kill -KILL -1 2>/dev/null || true; fi
sleep 0.2
for d in /sys/fs/cgroup/*/"$group"; do
	[ -d "$d" ] || continue
	# Depth first; rmdir refuses a cgroup that still has processes.
	[ -z "$(find "$d" -mindepth 1 -type d)" ] ||
		echo "run-one: removing leftover cgroups below $d" >&2
	find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	[ ! -d "$d" ] || echo "run-one: could not remove cgroup $d" >&2
done
umount -l "$T" 2>/dev/null || true
rmdir "$T" 2>/dev/null || true
exit $rc
