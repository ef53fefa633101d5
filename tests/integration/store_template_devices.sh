# Device nodes in a template's source (a directory or a tarball): left out
# unless --devices, and counted in one line. Fifos, sockets and setuid
# files are kept; the store is closed to other host users, so a setuid
# file of a template cannot be run by them.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR

mkdir -p "$T/src/dev" "$T/src/etc"
echo hi >"$T/src/etc/motd"
mknod "$T/src/dev/kmsg" c 1 11
mknod "$T/src/dev/kvm" c 10 232
mknod "$T/src/dev/loop-control" c 10 237
mknod "$T/src/sda" b 8 0
mkfifo "$T/src/fifo"
printf '#!/bin/sh\nid -u\n' >"$T/src/suid"
chmod 4755 "$T/src/suid"
tar -C "$T/src" -cf "$T/src.tar" .

for from in dir tar; do
	[ $from = dir ] && src=$T/src || src=$T/src.tar
	expect_rc 0 $BRIG template create "t$from" --from "$src"
	expect_grep "template t$from: 4 device nodes dropped" "$OUT$ERR"
	expect_grep 'first: dev/kmsg\|first: dev/kvm\|first: dev/loop-control\|first: sda' "$OUT$ERR"
	expect_grep '\-\-devices' "$OUT$ERR"
	R=$S/templates/t$from/root
	for d in dev/kmsg dev/kvm dev/loop-control sda; do
		[ ! -e "$R/$d" ] || fail "$from: $d kept without --devices"
	done
	[ -d "$R/dev" ] || fail "$from: the directory dev/ was dropped"
	[ -p "$R/fifo" ] || fail "$from: the fifo was dropped"
	[ "$(stat -c %a "$R/suid")" = 4755 ] || fail "$from: the setuid bit was lost"
	[ "$(cat "$R/etc/motd")" = hi ] || fail "$from: motd"

	expect_rc 0 $BRIG template create "d$from" --from "$src" --devices
	R=$S/templates/d$from/root
	[ "$(stat -c %t,%T "$R/dev/kmsg")" = 1,b ] || fail "$from: --devices did not keep dev/kmsg"
	[ -b "$R/sda" ] || fail "$from: --devices did not keep sda"
	! printf '%s' "$OUT$ERR" | grep -q 'dropped' || fail "$from: --devices still says dropped: $OUT$ERR"
done
store_is_clean

# A template without devices says nothing about them.
expect_rc 0 $BRIG template create bb --from busybox
! printf '%s' "$OUT$ERR" | grep -q 'device' || fail "busybox: talks about devices: $OUT$ERR"

# Other host users cannot reach a template's setuid file (nor anything of
# the store): the store's directories are root's alone, even when they
# were made beforehand with wider modes.
chmod 0755 "$S" "$S/templates" "$S/jails"
expect_rc 0 $BRIG template ls
for d in templates jails tmp; do
	[ "$(stat -c %a "$S/$d")" = 700 ] || fail "$S/$d is $(stat -c %a "$S/$d"), not 700"
done
if setpriv --reuid=65534 --regid=65534 --clear-groups "$S/templates/tdir/root/suid" >"$T/suid.out" 2>&1; then
	fail "an unprivileged host user ran the template's setuid file: $(cat "$T/suid.out")"
fi
echo "setuid file refused to nobody: $(cat "$T/suid.out")"
