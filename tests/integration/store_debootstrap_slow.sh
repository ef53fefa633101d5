# The debootstrap template source, from the Debian mirror apt uses (slow:
# a minimal Debian is downloaded; SKIP_SLOW=1 leaves it out).
# brig-test: host-network
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
command -v debootstrap >/dev/null || fail "debootstrap is missing (scripts/deps.sh installs it)"
. /etc/os-release
suite=${VERSION_CODENAME:-bookworm}

# A suite the mirror does not have: debootstrap's own words, nothing left.
expect_rc 1 $BRIG template create nosuch --from debootstrap:nosuchsuite
expect_grep 'template nosuch: debootstrap nosuchsuite from http.*: debootstrap exited with status' "$ERR"
expect_grep "the whole log is kept in $S/debootstrap-nosuchsuite.log" "$ERR"
grep -q 'nosuchsuite' "$S/debootstrap-nosuchsuite.log" || fail "the kept log"
[ ! -e "$S/templates/nosuch" ] || fail "a failed debootstrap left a template"
store_is_clean

expect_rc 0 $BRIG template create deb --from "debootstrap:$suite:netcat-openbsd"
R=$S/templates/deb/root
[ -f "$R/etc/debian_version" ] || fail "not a Debian root"
chroot "$R" dpkg -s netcat-openbsd >/dev/null || fail "netcat-openbsd not installed"
[ -x "$R/etc/rc" ] && [ -x "$R/etc/rc.shutdown" ] || fail "no rc scripts"
[ ! -e /etc/resolv.conf ] || cmp -s /etc/resolv.conf "$R/etc/resolv.conf" || fail "resolv.conf"
expect_rc 0 $BRIG template ls
expect_grep "^deb .*debootstrap:$suite:netcat-openbsd" "$OUT"

# Its rc runs Debian's own init scripts.
expect_rc 0 $BRIG create web -t deb
J=$S/jails/web/root
printf '#!/bin/sh\necho "$1" >>/tmp/svc.log\n' >"$J/etc/init.d/demo-svc"
chmod 755 "$J/etc/init.d/demo-svc"
echo 'demo_svc_enable="YES"' >"$J/etc/rc.conf"
chroot "$J" /bin/sh /etc/rc >/dev/null
chroot "$J" /bin/sh /etc/rc.shutdown >/dev/null
expect_eq "debian rc" "start
stop" "$(cat "$J/tmp/svc.log")"
expect_rc 0 $BRIG destroy web
expect_rc 0 $BRIG template rm deb
store_is_clean
