# A userns jail on a btrfs store (a thin jail is a snapshot subvolume, not
# an overlay): the jail sees the template's ids as its own through an
# idmapped copy of its root, and what it writes keeps the jail's ids on
# disk.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v mkfs.btrfs >/dev/null || skip "mkfs.btrfs missing (btrfs-progs)"
grep -qw btrfs /proc/filesystems || modprobe btrfs 2>/dev/null || true
grep -qw btrfs /proc/filesystems || skip "no btrfs in this kernel"

truncate -s 512M "$T/btrfs.img"
mkfs.btrfs -q "$T/btrfs.img" >/dev/null 2>&1
LOOP=$(losetup --find --show "$T/btrfs.img") || skip "no loop device"
# Loop devices are not namespaced: always give it back (after the jails).
trap 'jail_safety_net; umount "$T/bt" 2>/dev/null || umount -l "$T/bt" 2>/dev/null; losetup -d "$LOOP"' EXIT
mkdir "$T/bt"
mount -t btrfs "$LOOP" "$T/bt"
export BRIG_STOREDIR="$T/bt/store"
S=$BRIG_STOREDIR

expect_rc 0 "$BRIG" template create bb --from busybox
expect_rc 0 "$BRIG" create web -t bb persist userns.map=300000:65536
expect_grep '(thin, btrfs)' "$OUT"
expect_rc 0 "$BRIG" start web
remember_cgroups web
pid=$(jstate "$BRIG_RUNDIR/web/state" init)
expect_eq "init's uid on the host" 300000 "$(awk '/^Uid:/ {print $2}' /proc/$pid/status)"
expect_rc 0 "$BRIG" exec web sh -c 'stat -c %u:%g /bin/busybox; touch /root/x; chown 7:8 /root/x; stat -c %u:%g /root/x'
expect_eq "ids as the jail sees them" "0:0
7:8" "$OUT"
expect_rc 0 "$BRIG" stop web
expect_eq "on disk" "7:8" "$(stat -c %u:%g "$S/jails/web/root/root/x")"
expect_eq "the template, unchanged" "0:0" "$(stat -c %u:%g "$S/templates/bb/root/bin/busybox")"
expect_rc 0 "$BRIG" destroy web
wait_no_reapers
expect_eq "inits left" 0 "$(count_inits)"
[ -z "$(ls "$BRIG_RUNDIR")" ] || fail "run directory not empty: $(ls "$BRIG_RUNDIR")"
