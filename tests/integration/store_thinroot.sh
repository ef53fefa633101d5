# Thin roots always at their path (issue 15, item 3): as a ZFS clone is
# always mounted, a thin jail's root is there from create to destroy,
# running or not. After a stop the admin edits the jail's files at its path
# (the README's quick start, step 5) and the next start sees the edits; a
# root found unmounted (a reboot, an umount by hand) is mounted again by
# start, start --boot and the store's commands; snapshot, rollback and
# export of a stopped jail see the host's edits; destroy alone unmounts.
# Every check runs and reports; the test fails at the end if any did.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d
R=$S/jails/web/root
. tests/integration/lib/checks.sh

# root_mounted DIR: an overlay is mounted at DIR (this namespace's view).
root_mounted() { findmnt -n -o FSTYPE "$1" 2>/dev/null | grep -qx overlay; }
# unmount DIR: what a reboot does to a mount (quietly, if it is not one).
unmount() { umount "$1" 2>/dev/null || true; }
stop_all() { $BRIG stop --all >/dev/null 2>&1 || true; }
trap stop_all EXIT

try $BRIG template create bb --from busybox
[ "$RC" = 0 ] || fail "template create: $ERR"
try $BRIG create web -t bb persist
[ "$RC" = 0 ] || fail "create web: $ERR"

# After create: the root is populated at its path.
root_mounted "$R" || ko "after create: $R is not an overlay mount"
[ -x "$R/bin/busybox" ] || ko "after create: $R/bin/busybox is not there"

# After start and stop: the root stays; an edit at its path lands in the
# jail's layer and the next start sees it; so does a new file.
try $BRIG start web
ok "start web"
try $BRIG stop web
ok "stop web"
root_mounted "$R" || ko "after stop: $R is not mounted (an empty mountpoint)"
echo 'x_enable="YES"' 2>"$T/e1" >>"$R/etc/rc.conf" ||
	ko "after stop: echo >> $R/etc/rc.conf: $(cat "$T/e1")"
echo "from the host" 2>"$T/e2" >"$R/hostnote" || ko "after stop: writing $R/hostnote: $(cat "$T/e2")"
grep -q '^x_enable="YES"$' "$S/jails/web/upper/etc/rc.conf" 2>/dev/null ||
	ko "the edit of a stopped jail is not in its layer (upper)"
try $BRIG start web
ok "start web after host edits"
try $BRIG exec web grep -c '^x_enable="YES"$' /etc/rc.conf
expect_line() { [ "$OUT" = "$2" ] || ko "$1: expected [$2], got [$OUT] (status $RC: $ERR)"; }
expect_line "the jail sees the host's edit of rc.conf" 1
try $BRIG exec web cat /hostnote
expect_line "the jail sees the file written on the host" "from the host"
try $BRIG stop web
ok "stop web"

# A start that fails takes down what it made, not the root.
cp "$C/web.conf" "$T/web.conf"
sed -i 's/^web {$/web {\n\texec.prestart = "false";/' "$C/web.conf"
try $BRIG start web
[ "$RC" = 1 ] || ko "start web with a failing exec.prestart: exit status $RC"
root_mounted "$R" || ko "after a failed start: $R is not mounted"
cp "$T/web.conf" "$C/web.conf"

# A simulated reboot: the mount is gone (as /run is); start mounts it again.
unmount "$R"
try $BRIG start web
ok "start web after a reboot"
root_mounted "$R" || ko "start after a reboot: $R is not mounted"
try $BRIG exec web cat /hostnote
expect_line "after a reboot, the jail sees its files" "from the host"
try $BRIG stop web
ok "stop web"

# At boot, start --boot mounts every thin root, a noboot jail's too.
try $BRIG create cold -t bb persist noboot
ok "create cold"
unmount "$R"
unmount "$S/jails/cold/root"
try $BRIG start --boot
ok "start --boot"
root_mounted "$R" || ko "start --boot: web's root is not mounted"
root_mounted "$S/jails/cold/root" || ko "start --boot: the root of cold (noboot) is not mounted"
try $BRIG stop --all
ok "stop --all"
root_mounted "$R" || ko "after stop --all: $R is not mounted"

# The store's commands mount a root they find missing.
unmount "$R"
try $BRIG snapshot web s0
ok "snapshot web s0 (root unmounted)"
root_mounted "$R" || ko "snapshot: the root found unmounted was not mounted again"

# Snapshot, rollback and export of a stopped jail see the host's edits.
echo one 2>/dev/null >"$R/etc/motd" || ko "writing $R/etc/motd"
try $BRIG snapshot web s1
ok "snapshot web s1"
[ "$(cat "$S/jails/web/snapshots/s1/data/etc/motd" 2>/dev/null)" = one ] ||
	ko "snapshot s1 does not hold the host's edit"
echo two 2>/dev/null >"$R/etc/motd" || ko "writing $R/etc/motd"
try $BRIG rollback web s1
ok "rollback web s1"
root_mounted "$R" || ko "after rollback: $R is not mounted"
[ "$(cat "$R/etc/motd" 2>/dev/null)" = one ] || ko "after rollback: motd is not the snapshot's"
try $BRIG export web "$T/web.tzst"
ok "export web"
[ "$(zstd -dc "$T/web.tzst" 2>/dev/null | tar -xO root/etc/motd 2>/dev/null)" = one ] ||
	ko "export: the archive's etc/motd is not the jail's"
try $BRIG export web "$T/web-full.tzst" --full
ok "export web --full"
[ "$(zstd -dc "$T/web-full.tzst" 2>/dev/null | tar -xO root/etc/motd 2>/dev/null)" = one ] ||
	ko "export --full: the archive's etc/motd is not the jail's"
root_mounted "$R" || ko "after export: $R is not mounted"
try $BRIG start web
ok "start web after rollback"
try $BRIG exec web cat /etc/motd
expect_line "the jail after rollback" one
try $BRIG stop web

# A template in use by a (mounted) thin jail is not removed.
try $BRIG template rm bb
[ "$RC" = 1 ] || ko "template rm bb while web and cold use it: exit status $RC"
printf '%s\n' "$ERR" | grep -q 'template bb is used by thin jails' || ko "template rm bb: $ERR"
[ -x "$R/bin/busybox" ] || ko "template rm bb: web lost its template"

# Destroy unmounts: no mount, no directory left.
try $BRIG destroy web
ok "destroy web"
try $BRIG destroy cold
ok "destroy cold"
! awk '{ print $5 }' /proc/self/mountinfo | grep -q "^$S/jails/" ||
	ko "destroy left mounts: $(awk '{ print $5 }' /proc/self/mountinfo | grep "^$S/jails/")"
[ ! -e "$S/jails/web" ] && [ ! -e "$S/jails/cold" ] || ko "destroy left $(ls "$S/jails")"
[ ! -e "$C/web.conf" ] || ko "destroy left web.conf"
store_is_clean
try $BRIG template rm bb
ok "template rm bb once its jails are gone"

checks_done
