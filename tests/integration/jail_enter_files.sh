# Entering reads the jail's own /etc/passwd and /etc/group as root: a jail
# that plants a FIFO, a device, a huge (sparse) file or a symlink there gets
# a clear refusal naming the jail, the file and why; brig neither hangs nor
# grows nor reads anything outside the jail.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "j { path = \"$ROOT\"; persist; }"
expect_rc 0 "$BRIG" start j
remember_cgroups j
cp "$ROOT/etc/passwd" "$T/passwd.good"
echo "bob:x:1234:1234:bob:/:/bin/sh" >>"$T/passwd.good"
cp "$T/passwd.good" "$ROOT/etc/passwd"
expect_rc 0 "$BRIG" exec j -u bob id -u
expect_eq "a good passwd" 1234 "$OUT"

# plant KIND: make the jail's /etc/passwd a KIND.
plant() {
	rm -f "$ROOT/etc/passwd"
	case $1 in
	fifo) mkfifo "$ROOT/etc/passwd" ;;
	device) mknod "$ROOT/etc/passwd" c 1 5 ;;	# /dev/zero: endless
	sparse) truncate -s 2G "$ROOT/etc/passwd" ;;
	big) head -c 2000000 /dev/zero | tr '\0' 'x' >"$ROOT/etc/passwd" ;;
	shadow) ln -s /etc/shadow "$ROOT/etc/passwd" ;;
	magic) ln -s /proc/self/fd/0 "$ROOT/etc/passwd" ;;
	dir) mkdir "$ROOT/etc/passwd" ;;
	esac
}

# refused KIND WHY: `brig exec -u bob` is refused with a message naming the
# jail, the file and WHY, within a bound (a FIFO must not hang it).
refused() {
	plant "$1"
	set +e
	timeout 20 "$BRIG" exec j -u bob id -u </dev/null >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	[ $rc != 124 ] || fail "$1: brig exec hung"
	ERR=$(cat "$T/err")
	expect_eq "$1: exit status" 127 "$rc"
	expect_grep "^brig: j: exec: user \"bob\": /etc/passwd: $2" "$ERR"
	# root needs no passwd: still enterable (the command must not read
	# the file itself: busybox id would wait on the FIFO).
	expect_rc 0 timeout 20 "$BRIG" exec j sh -c 'echo "in as $HOME"' </dev/null
	expect_eq "$1: root without a passwd" "in as /root" "$OUT"
	rm -rf "$ROOT/etc/passwd"
}
refused fifo "a FIFO, not a regular file"
refused device "a character device, not a regular file"
refused dir "a directory, not a regular file"
refused sparse "2147483648 bytes, more than the 1048576 allowed"
refused big "2000000 bytes, more than the 1048576 allowed"
refused shadow "a symlink, not a regular file"

# A magic link would read whatever brig's stdin is (a host file here).
echo "hostonly:x:4242:4242:host:/:/bin/sh" >"$T/host-secret"
plant magic
set +e
"$BRIG" exec j -u hostonly id -u <"$T/host-secret" >"$T/out" 2>"$T/err"
rc=$?
set -e
[ "$(cat "$T/out")" != 4242 ] || fail "the jail's /etc/passwd read brig's stdin (a host file)"
expect_eq "magic link: exit status" 127 "$rc"
expect_grep "/etc/passwd: a symlink, not a regular file" "$(cat "$T/err")"
rm -f "$ROOT/etc/passwd"

# The group file too: a FIFO or a huge one is refused, not waited on.
cp "$T/passwd.good" "$ROOT/etc/passwd"
cp "$ROOT/etc/group" "$T/group.good"
rm -f "$ROOT/etc/group"
mkfifo "$ROOT/etc/group"
expect_rc 127 timeout 20 "$BRIG" exec j -u bob id -u </dev/null
expect_grep "^brig: j: exec: user \"bob\": /etc/group: a FIFO, not a regular file" "$ERR"
rm -f "$ROOT/etc/group"
truncate -s 2G "$ROOT/etc/group"
expect_rc 127 timeout 20 "$BRIG" exec j -u bob id -u </dev/null
expect_grep "/etc/group: 2147483648 bytes, more than the 1048576 allowed" "$ERR"
# No group file at all is fine: no supplementary groups.
rm -f "$ROOT/etc/group"
expect_rc 0 "$BRIG" exec j -u bob id -u
expect_eq "no group file" 1234 "$OUT"
cp "$T/group.good" "$ROOT/etc/group"

expect_rc 0 "$BRIG" stop j
assert_clean
