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
