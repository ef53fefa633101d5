# A btrfs store on a loop-mounted image: templates are subvolumes, thin
# jails snapshots of them, snapshots readonly subvolumes, thick jails
# reflinked copies.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
command -v mkfs.btrfs >/dev/null || skip "mkfs.btrfs missing (btrfs-progs)"
grep -qw btrfs /proc/filesystems || modprobe btrfs 2>/dev/null || true
grep -qw btrfs /proc/filesystems || skip "no btrfs in this kernel"

truncate -s 512M "$T/btrfs.img"
mkfs.btrfs -q "$T/btrfs.img"
LOOP=$(losetup --find --show "$T/btrfs.img") || skip "no loop device"
# Loop devices are not namespaced: always give it back.
trap 'umount "$T/bt" 2>/dev/null || umount -l "$T/bt" 2>/dev/null; losetup -d "$LOOP"' EXIT
mkdir "$T/bt"
mount -t btrfs "$LOOP" "$T/bt"
export BRIG_STOREDIR="$T/bt/store"
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d
is_subvol() { [ "$(stat -c %i "$1")" = 256 ]; }

mkdir -p "$T/src/data" && mk_rich_tree "$T/src/data"
head -c 60000000 /dev/urandom >"$T/src/data/big"
expect_rc 0 $BRIG template create t --from "$T/src"
is_subvol "$S/templates/t/root" || fail "template root is not a subvolume"

# Thin: a writable snapshot, no mount.
expect_rc 0 $BRIG create web -t t
expect_grep '(thin, btrfs)' "$OUT"
is_subvol "$S/jails/web/root" || fail "jail root is not a subvolume"
findmnt "$S/jails/web/root" >/dev/null && fail "a btrfs jail's root is a mount"
grep -q "path = \"$S/jails/web/root\";" "$C/web.conf" || fail "path"
same_tree "$S/templates/t/root/data" "$S/jails/web/root/data"
echo mine >"$S/jails/web/root/etc/motd"
rm "$S/jails/web/root/data/big"
[ -f "$S/templates/t/root/data/big" ] || fail "the template lost a file"
[ ! -e "$S/templates/t/root/etc/motd" ] || fail "the template got a file"

# Snapshots are readonly subvolumes; rollback is exact.
tree_manifest "$S/jails/web/root" >"$T/s1"
expect_rc 0 $BRIG snapshot web s1
is_subvol "$S/jails/web/snapshots/s1/data" || fail "snapshot is not a subvolume"
touch "$S/jails/web/snapshots/s1/data/x" 2>/dev/null && fail "snapshot is writable"
echo other >"$S/jails/web/root/etc/motd"
rm -r "$S/jails/web/root/data/deep"
expect_rc 0 $BRIG rollback web s1
is_subvol "$S/jails/web/root" || fail "root is no subvolume after rollback"
tree_manifest "$S/jails/web/root" >"$T/now"
diff -u "$T/s1" "$T/now" >&2 || fail "btrfs rollback not exact"

# Export (the whole root: a btrfs jail has no layer of its own) and import.
expect_rc 0 $BRIG export web "$T/web.tzst"
expect_rc 0 $BRIG import "$T/web.tzst" web2
expect_grep '(template t, btrfs)' "$OUT"
is_subvol "$S/jails/web2/root" || fail "imported root is not a subvolume"
same_tree "$S/jails/web/root" "$S/jails/web2/root" skip-sockets

# Thick: a copy whose data shares extents with the template (reflinks).
sync
used0=$(df --output=used -B1 "$T/bt" | tail -1)
expect_rc 0 $BRIG create thick -t t --thick
sync
used1=$(df --output=used -B1 "$T/bt" | tail -1)
same_tree "$S/templates/t/root" "$S/jails/thick/root"
[ $((used1 - used0)) -lt 30000000 ] || fail "thick copy took $((used1 - used0)) bytes: no reflinks"

# A btrfs jail does not need its template; destroy removes the subvolumes,
# readonly snapshots included.
expect_rc 0 $BRIG destroy web
[ ! -e "$S/jails/web" ] || fail "web left"
expect_rc 0 $BRIG destroy web2
expect_rc 0 $BRIG destroy thick
expect_rc 0 $BRIG template rm t
store_is_clean
[ -z "$(btrfs subvolume list "$T/bt" 2>/dev/null)" ] || fail "subvolumes left: $(btrfs subvolume list "$T/bt")"
