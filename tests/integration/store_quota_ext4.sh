# quota = SIZE on an ext4 store with project quotas (a loop file made
# here): the jail that writes past its limit gets an error inside, while
# another jail is still created and the store still written; the limit
# follows the configuration at the next start, and destroy clears it.
# The same store mounted without prjquota refuses a quota, saying why.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 missing (e2fsprogs)"
grep -qw ext4 /proc/filesystems || modprobe ext4 2>/dev/null || true
grep -qw ext4 /proc/filesystems || skip "no ext4 in this kernel"

truncate -s 64M "$T/ext4.img"
mkfs.ext4 -q -O quota,project "$T/ext4.img" || skip "mkfs.ext4 cannot make project quotas"
trap '$BRIG stop fat >/dev/null 2>&1 || true; loop_release' EXIT
# A kernel without CONFIG_QUOTA mounts no ext4 with the quota feature.
loop_mount "$T/ext4.img" "$T/e4" -t ext4 -o prjquota ||
	skip "this kernel cannot mount ext4 with project quotas (CONFIG_QUOTA, CONFIG_QFMT_V2)"
export BRIG_STOREDIR="$T/e4/store"
S=$BRIG_STOREDIR

expect_rc 0 $BRIG template create bb --from busybox
expect_rc 0 $BRIG create fat -t bb quota=2m
meta_proj=$(sed -n 's/^quota_project=//p' "$S/jails/fat/meta")
[ -n "$meta_proj" ] || fail "no project id recorded in the jail's meta"
expect_eq "the layer's project" "$meta_proj" "$(lsattr -pd "$S/jails/fat/upper" | awk '{print $1}')"

# Inside the jail: writing 4 MiB into a 2 MiB quota fails.
expect_rc 0 $BRIG start fat
expect_rc 1 $BRIG exec fat /bin/sh -c 'dd if=/dev/zero of=/big bs=64k count=64 2>/tmp/dd.err; rc=$?; cat /tmp/dd.err >&2; exit $rc'
expect_grep 'Disk quota exceeded\|No space left on device' "$ERR"
size=$(stat -c %s "$S/jails/fat/upper/big")
[ "$size" -le $((2 * 1024 * 1024)) ] || fail "the jail wrote $size bytes past its 2 MiB quota"
# brig's own view of it.
expect_rc 0 $BRIG exec fat /bin/rm /big
# The store and other jails keep working.
expect_rc 0 $BRIG create other -t bb
head -c 3000000 /dev/zero >"$S/jails/other/root/free" || fail "another jail cannot write 3 MB"
other_proj=$(sed -n 's/^quota_project=//p' "$S/jails/other/meta")
expect_eq "a jail without quota has no project" "" "$other_proj"
expect_rc 0 $BRIG create q2 -t bb quota=1m
q2_proj=$(sed -n 's/^quota_project=//p' "$S/jails/q2/meta")
[ -n "$q2_proj" ] && [ "$q2_proj" != "$meta_proj" ] || fail "project ids collide: $meta_proj, $q2_proj"
expect_rc 0 $BRIG stop fat

# A changed quota takes effect at the next start.
sed -i 's/quota = "2m";/quota = "8m";/' "$BRIG_CONFDIR/jail.conf.d/fat.conf"
grep -q 'quota = "8m";' "$BRIG_CONFDIR/jail.conf.d/fat.conf" || fail "the test did not change the quota"
expect_rc 0 $BRIG start fat
expect_rc 0 $BRIG exec fat /bin/sh -c 'dd if=/dev/zero of=/big bs=64k count=64'
expect_rc 0 $BRIG stop fat

# Destroy clears the limit: a new jail takes the freed id, with its own limit.
expect_rc 0 $BRIG destroy fat
expect_rc 0 $BRIG create fresh -t bb
expect_rc 0 $BRIG destroy q2
expect_rc 0 $BRIG create q3 -t bb quota=1m
expect_eq "the freed id is taken again" "$meta_proj" "$(sed -n 's/^quota_project=//p' "$S/jails/q3/meta")"
expect_rc 0 $BRIG config check

# Without prjquota the quota is refused (create, start, config check).
umount "$T/e4"
mount -t ext4 "$LOOP" "$T/e4"
expect_rc 1 $BRIG create q4 -t bb quota=1m
expect_grep "q4: create: .*quota = 1m: the store $S (ext4) is not mounted with project quotas enforced" "$ERR"
[ ! -e "$S/jails/q4" ] || fail "a refused jail was made"
expect_rc 1 $BRIG config check
expect_grep "q3.conf:.*: error: q3: quota: the store $S (ext4) is not mounted with project quotas enforced: make it with the project feature" "$ERR"
expect_rc 1 $BRIG start q3
expect_grep 'q3: .*store: q3: quota: .*mount it with -o prjquota' "$ERR"
expect_rc 0 $BRIG destroy q3
