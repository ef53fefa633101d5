# quota = SIZE on a btrfs store (a loop file made here): refused, saying
# why, while the filesystem's quotas are off; with them on, a thin jail
# (a snapshot of its template) that writes past its limit gets an error
# inside, while `brig create` of another jail and writes to the store
# still succeed; a changed quota takes effect at the next start; import
# sets the archive's; destroy works on a jail past its limit; a store on
# tmpfs refuses a quota.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
command -v mkfs.btrfs >/dev/null || skip "mkfs.btrfs missing (btrfs-progs)"
grep -qw btrfs /proc/filesystems || modprobe btrfs 2>/dev/null || true
grep -qw btrfs /proc/filesystems || skip "no btrfs in this kernel"
C=$BRIG_CONFDIR/jail.conf.d

# A store on tmpfs (no project quotas, no qgroups): refused, nothing made.
mkdir "$T/tmpfs"
mount -t tmpfs brig-quota "$T/tmpfs"
BRIG_STOREDIR="$T/tmpfs/store" expect_rc 0 $BRIG template create bb --from busybox
BRIG_STOREDIR="$T/tmpfs/store" expect_rc 1 $BRIG create q -t bb quota=2m
expect_eq "refusal on tmpfs" "brig: q: create: quota = 2m: the store $T/tmpfs/store is on tmpfs, which has neither project quotas nor btrfs qgroups: put the store (BRIG_STOREDIR) on ext4 or xfs with project quotas, or on btrfs with quotas enabled, or leave quota unset" "$ERR"
[ ! -e "$T/tmpfs/store/jails/q" ] && [ ! -e "$C/q.conf" ] || fail "a refused jail was made"
umount "$T/tmpfs"

truncate -s 512M "$T/btrfs.img"
mkfs.btrfs -q "$T/btrfs.img" >/dev/null 2>&1
trap '$BRIG stop fat >/dev/null 2>&1 || true; loop_release' EXIT
loop_mount "$T/btrfs.img" "$T/bt" -t btrfs
export BRIG_STOREDIR="$T/bt/store"
S=$BRIG_STOREDIR

expect_rc 0 $BRIG template create bb --from busybox
# Quotas off: refused at create, at start and by config check.
expect_rc 1 $BRIG create fat -t bb quota=2m
expect_eq "refusal with quotas off" "brig: fat: create: quota = 2m: quotas are not enabled on the btrfs filesystem of the store $S: enable them with \`btrfs quota enable MOUNTPOINT\` (qgroups), or leave quota unset" "$ERR"
[ ! -e "$S/jails/fat" ] && [ ! -e "$C/fat.conf" ] || fail "a refused jail was made"
expect_rc 0 $BRIG create fat -t bb
# set_quota VALUE: fat's quota in its file (none: no quota line).
set_quota() {
	sed -i '/^	quota = /d' "$C/fat.conf"
	[ "$1" = none ] || sed -i "s/^}\$/\tquota = $1;\n}/" "$C/fat.conf"
}
set_quota 2m
grep -q '^	quota = 2m;$' "$C/fat.conf" || fail "the test did not set the quota"
expect_rc 1 $BRIG config check
expect_grep "fat.conf:[0-9]*:2: error: fat: quota: quotas are not enabled on the btrfs filesystem of the store $S" "$ERR"
expect_rc 1 $BRIG start fat
expect_grep "fat: .*store: fat: quota: quotas are not enabled on the btrfs filesystem of jail fat's storage" "$ERR"

btrfs quota enable "$T/bt"
expect_rc 0 $BRIG config check
expect_rc 0 $BRIG start fat
id=$(btrfs inspect-internal rootid "$S/jails/fat/root")
sys=$(echo /sys/fs/btrfs/*/qgroups/0_$id)
expect_eq "the jail's limit" $((2 * 1024 * 1024)) "$(cat "$sys/max_exclusive")"

# Inside the jail: writing 4 MiB into a 2 MiB quota fails (btrfs: EDQUOT).
expect_rc 1 $BRIG exec fat /bin/dd if=/dev/zero of=/big bs=64k count=64
expect_grep 'Disk quota exceeded' "$ERR"
size=$(stat -c %s "$S/jails/fat/root/big")
[ "$size" -le $((2 * 1024 * 1024)) ] || fail "the jail wrote $size bytes past its 2 MiB quota"
# The store and other jails keep working.
expect_rc 0 $BRIG create other -t bb
head -c 8000000 /dev/urandom >"$S/jails/other/root/free" || fail "another jail cannot write 8 MB"
head -c 8000000 /dev/urandom >"$T/bt/beside" || fail "the store's filesystem cannot be written"
expect_rc 0 $BRIG exec fat /bin/rm /big
expect_rc 0 $BRIG stop fat

# A changed quota takes effect at the next start.
set_quota 8m
expect_rc 0 $BRIG start fat
expect_eq "the jail's new limit" $((8 * 1024 * 1024)) "$(cat "$sys/max_exclusive")"
expect_rc 0 $BRIG exec fat /bin/sh -c 'dd if=/dev/zero of=/big bs=64k count=64 2>/dev/null'
expect_rc 0 $BRIG stop fat
# And none once the quota is gone.
set_quota none
expect_rc 0 $BRIG start fat
expect_eq "no limit (flag)" 0 $(($(cat "$sys/limit_flags") & 8))
expect_rc 0 $BRIG stop fat

# A quota given at create is set at once.
expect_rc 0 $BRIG create q2 -t bb quota=1m
id2=$(btrfs inspect-internal rootid "$S/jails/q2/root")
expect_eq "q2's limit at create" $((1024 * 1024)) "$(cat /sys/fs/btrfs/*/qgroups/0_$id2/max_exclusive)"
head -c 3000000 /dev/zero >"$S/jails/q2/root/big" 2>/dev/null && fail "q2 took 3 MB past its 1 MiB quota"

# brig import sets the archive's quota at once; quota=none given there wins.
expect_rc 0 $BRIG export q2 "$T/q2.tzst"
expect_rc 0 $BRIG import "$T/q2.tzst" q2b
id3=$(btrfs inspect-internal rootid "$S/jails/q2b/root")
expect_eq "q2b's limit at import" $((1024 * 1024)) "$(cat /sys/fs/btrfs/*/qgroups/0_$id3/max_exclusive)"
expect_rc 0 $BRIG import "$T/q2.tzst" q2c quota=none
id4=$(btrfs inspect-internal rootid "$S/jails/q2c/root")
expect_eq "q2c: no limit" 0 $(($(cat /sys/fs/btrfs/*/qgroups/0_$id4/limit_flags) & 8))
expect_rc 0 $BRIG destroy q2b
expect_rc 0 $BRIG destroy q2c

# A thick jail on btrfs is a plain copy, not a subvolume: said so.
expect_rc 1 $BRIG create thick -t bb --thick quota=1m
expect_grep "thick: quota: .*btrfs a quota needs the jail's own data in a subvolume of its own, and its root is not one" "$ERR"
[ ! -e "$S/jails/thick" ] && [ ! -e "$C/thick.conf" ] || fail "a refused jail was left"

# Destroy works on a jail at its limit (the limit is cleared from
# outside its subvolume: a transaction inside it would fail with EDQUOT).
expect_rc 0 $BRIG destroy q2
# A limit the admin set by hand on a jail without quota is left alone.
btrfs qgroup limit -e 50m "$S/jails/other/root"
expect_rc 0 $BRIG start other
expect_rc 0 $BRIG stop other
ido=$(btrfs inspect-internal rootid "$S/jails/other/root")
expect_eq "the admin's limit" $((50 * 1024 * 1024)) "$(cat /sys/fs/btrfs/*/qgroups/0_$ido/max_exclusive)"

# A jail of the admin's own directory: no quota there, said so.
mkdir "$T/hand"
printf 'hand {\n\tpath = "%s";\n\tpersist;\n\tquota = 1m;\n}\n' "$T/hand" >"$C/hand.conf"
expect_rc 1 $BRIG config check
expect_grep "hand.conf:4:2: error: hand: quota: no jail hand in brig's store: a quota is set only on the storage \`brig create\` makes" "$ERR"
expect_rc 1 $BRIG start hand
expect_grep "hand: .*quota: its path is not the root of a jail of brig's store" "$ERR"
rm "$C/hand.conf"

expect_rc 0 $BRIG destroy fat
expect_rc 0 $BRIG destroy other
