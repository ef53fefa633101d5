# A host whose mounts are shared (systemd makes / shared; the test sandbox,
# made by unshare, is private, which hid this): every kind of root still
# starts and nothing a jail mounts propagates back. pivot_root refuses a
# root whose mount is shared, so brig's copy of the root must be private.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# Only this test's own mount namespace becomes shared.
mount --make-rshared /
printf 'root:1000000:655360\n' >"$T/subuid"
cp "$T/subuid" "$T/subgid"
export BRIG_SUBUID="$T/subuid" BRIG_SUBGID="$T/subgid"
expect_rc 0 "$BRIG" template create bb --from busybox
expect_rc 0 "$BRIG" create thin -t bb persist
expect_rc 0 "$BRIG" create thinu -t bb userns persist
cat >"$BRIG_CONFDIR/jail.conf" <<CONF
p { persist; path = "$ROOT"; mount.devfs; }
pu { persist; path = "$ROOT"; mount.devfs; userns; }
CONF
for j in p pu thin thinu; do
	mounts0=$(wc -l </proc/self/mountinfo)
	expect_rc 0 "$BRIG" start $j
	remember_cgroups $j
	expect_rc 0 "$BRIG" exec $j sh -c 'cat /proc/self/mountinfo | wc -l; ls /dev/null'
	# What the jail mounted (/dev, /proc, /sys) stays in the jail.
	grep -q " $ROOT/dev \| $ROOT/proc " /proc/self/mountinfo &&
		fail "$j: a jail's mount propagated to the host: $(grep " $ROOT/" /proc/self/mountinfo)"
	expect_rc 0 "$BRIG" stop $j
	case $j in p | pu) expect_eq "$j: host mounts after stop" "$mounts0" "$(wc -l </proc/self/mountinfo)" ;; esac
done
assert_clean
