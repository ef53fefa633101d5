# The device allow-list on cgroup v2 alone: a BPF_PROG_TYPE_CGROUP_DEVICE
# program attached to the jail's v2 cgroup. On a hybrid host the v1
# devices hierarchy is unmounted in this test's mount namespace (never the
# host's), so brig finds only the v2 tree and the program is what refuses.
. tests/integration/lib/common.sh
grep -q ' - cgroup2 ' /proc/self/mountinfo || skip "no cgroup v2 hierarchy"
for m in $(grep ' - cgroup ' /proc/self/mountinfo | grep -E '[ ,]devices([ ,]|$)' | awk '{ print $5 }'); do
	umount "$m"
done
. tests/integration/lib/jail.sh
. tests/integration/lib/devices.sh

# With no hierarchy to hold the allow-list (the v2 tree unmounted too), a
# start is refused, and the groups it made in the other hierarchies (v1
# pids, memory, cpu) are gone with it.
# brig's group stays when its last jail stops (sys/cgroup.h): removed
# first, it would be out of sight of run-one.sh's cleanup once the tree is
# unmounted.
expect_rc 0 "$BRIG" _cgroup-group --remove
for m in $(grep ' - cgroup2 ' /proc/self/mountinfo | awk '{ print $5 }'); do
	umount "$m"
done
MOUNTS0=$(wc -l </proc/self/mountinfo)
name=nocg$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
conf "$name { path = \"$ROOT\"; persist; mount.devfs; }"
expect_rc 1 "$BRIG" start "$name"
expect_grep "start: devices: .*the device allow-list cannot be enforced" "$ERR"
left=$(ls -d /sys/fs/cgroup/*/brig*/"$name" 2>/dev/null || true)
[ -z "$left" ] || fail "a refused start left $left"
assert_clean
