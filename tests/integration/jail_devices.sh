# A jail opens only the devices of its own /dev, whatever nodes its root
# ships or gets: the cgroup device allow-list as this host offers it (v1
# devices controller when mounted, else a BPF program on the v2 tree), and
# nodev on every other mount. (jail_devices_v2 forces the v2 path.)
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# With the v1 devices controller, its rules are the allow-list.
v1=$(grep ' - cgroup ' /proc/self/mountinfo | grep -E '[ ,]devices([ ,]|$)' | awk '{ print $5 }' | head -1)
. tests/integration/lib/devices.sh
if [ -n "$v1" ]; then
	expect_rc 0 "$BRIG" start d
	remember_cgroups d
	dir=$(jstate "$BRIG_RUNDIR/d/state" obj cgroup | grep "^$v1/")
	[ -n "$dir" ] || fail "no devices cgroup recorded for d"
	list=$(cat "$dir/devices.list")
	echo "$list"
	expect_grep "^c 1:3 rwm$" "$list"
	if printf '%s\n' "$list" | grep -q '^a '; then
		fail "devices.list still allows everything: $list"
	fi
	expect_rc 0 "$BRIG" stop d
	assert_clean
fi
