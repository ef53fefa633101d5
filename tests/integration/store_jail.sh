# Jails from templates: thin (overlay) and thick create, the jail.conf.d
# file, destroy, bad names, and destroy never leaving the store.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d

expect_rc 0 $BRIG template create bb --from busybox
mk_rich_tree "$T/rich"
expect_rc 0 $BRIG template create rich --from "$T/rich"

# Thin create: an overlay mounted at path, the file with FreeBSD's defaults.
# (create checks the file it writes: what it includes must exist.)
echo '# shared by the jails' >"$BRIG_CONFDIR/base.conf"
expect_rc 0 $BRIG create web -t bb ip4.addr=10.10.0.3 '$short=web' vnet \
	'.include=../base.conf' 'exec.poststart+=echo "hi" \ there'
expect_grep "web: created from template bb (thin, overlay) at $S/jails/web/root" "$OUT"
# Its lines (the comments explain them and show more: store_create_default).
expect_eq "web.conf" "web {
	exec.start = \"/bin/sh /etc/rc\";
	exec.stop = \"/bin/sh /etc/rc.shutdown\";
	mount.devfs;
	.include \"../base.conf\";
	path = \"$S/jails/web/root\";
	ip4.addr = \"10.10.0.3\";
	\$short = \"web\";
	vnet;
	exec.poststart += \"echo \\\"hi\\\" \\\\ there\";
}" "$(grep -v '^[[:space:]]*#' "$C/web.conf")"
expect_grep '^# Jail web, made by `brig create` from template bb (overlay)\.$' "$(cat "$C/web.conf")"
expect_grep '^	#persist;$' "$(cat "$C/web.conf")"
! grep -q '^	#vnet;$' "$C/web.conf" || fail "web.conf shows vnet commented out, but sets it"
findmnt -n -o FSTYPE "$S/jails/web/root" | grep -qx overlay || fail "web's root is not an overlay mount"
expect_eq "meta" "template=bb
backend=overlay" "$(grep -v created "$S/jails/web/meta")"
[ -x "$S/jails/web/root/bin/busybox" ] || fail "the template is not visible in web"
# Writes land in the jail's own layer; the template is untouched.
echo 'httpd_enable="YES"' >>"$S/jails/web/root/etc/rc.conf"
rm "$S/jails/web/root/etc/shells"
grep -q httpd_enable "$S/jails/web/upper/etc/rc.conf" || fail "write not in web's layer"
grep -q '^#httpd_enable' "$S/templates/bb/root/etc/rc.conf" || fail "template changed"
! grep -q '^httpd_enable' "$S/templates/bb/root/etc/rc.conf" || fail "template changed"
[ -f "$S/templates/bb/root/etc/shells" ] || fail "template lost a file"
[ "$(stat -c %t,%T "$S/jails/web/upper/etc/shells")" = 0,0 ] || fail "no whiteout in web's layer"

# Defaults are left out when the parameters set them.
expect_rc 0 $BRIG create db -t bb 'exec.start=/bin/true' mount.nodevfs
! grep -q 'exec.start = "/bin/sh /etc/rc"' "$C/db.conf" || fail "default exec.start kept"
grep -q 'exec.stop = "/bin/sh /etc/rc.shutdown"' "$C/db.conf" || fail "exec.stop default missing"
! grep -q 'mount.devfs;' "$C/db.conf" || fail "mount.devfs kept with mount.nodevfs"
! grep -q "^httpd_enable" "$S/jails/db/root/etc/rc.conf" || fail "db sees web's changes"

# Thick create: an independent exact copy.
expect_rc 0 $BRIG create thick -t rich --thick
expect_grep '(thick, copy)' "$OUT"
findmnt "$S/jails/thick/root" >/dev/null && fail "a thick jail's root is a mount"
same_tree "$S/templates/rich/root" "$S/jails/thick/root"

# template ls shows the thin jails; template rm is refused while they exist.
expect_rc 0 $BRIG template ls
expect_grep '^bb .* db,web \|^bb .* web,db ' "$OUT"
expect_rc 1 $BRIG template rm bb
expect_grep 'template bb is used by thin jails db, web; destroy them first\|template bb is used by thin jails web, db' "$ERR"
expect_rc 0 $BRIG template ls --json
printf '%s' "$OUT" | python3 -c '
import json, sys
v = {t["name"]: t for t in json.load(sys.stdin)}
assert sorted(v["bb"]["jails"]) == ["db", "web"], v
assert v["rich"]["jails"] == [], v
' || fail "template ls --json: $OUT"

# Bad input.
expect_rc 1 $BRIG create web -t bb
expect_grep 'web: create: a jail named web exists already' "$ERR"
echo 'other { }' >"$C/other.conf"
expect_rc 1 $BRIG create other -t bb
expect_grep "other: create: $C/other.conf exists already" "$ERR"
expect_eq "other.conf kept" "other { }" "$(cat "$C/other.conf")"
expect_rc 1 $BRIG create x -t nope
expect_grep 'x: create: unknown template `nope`' "$ERR"
expect_rc 1 $BRIG create x -t bb path=/tmp
expect_grep 'path is set by brig create' "$ERR"
expect_rc 1 $BRIG create x -t bb 'bad param=1'
expect_grep 'expected PARAM=VALUE' "$ERR"
for bad in ../x a/b '' -x "$(printf 'a\nb')" "$(printf '%070d' 0)" .x; do
	set +e
	$BRIG create "$bad" -t bb >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	[ $rc -ne 0 ] || fail "name [$bad] accepted"
done
expect_rc 1 $BRIG create ../x -t bb
expect_grep 'invalid name' "$ERR"
expect_rc 2 $BRIG create x
[ ! -e "$S/jails/x" ] && [ ! -e "$C/x.conf" ] || fail "a failed create left something"
store_is_clean

# Destroy: storage, mount and file gone; symlinks and mounts inside the
# jail never lead it out of the store.
mkdir "$T/victim" && echo keep >"$T/victim/file"
ln -s "$T/victim" "$S/jails/web/root/escape"
ln -s "$T/victim/file" "$S/jails/web/root/escape-file"
mkdir -p "$S/jails/thick/root/deep/er"
ln -s ../../../../../../../.. "$S/jails/thick/root/deep/er/up"
expect_rc 0 $BRIG destroy web
expect_grep 'web: destroyed' "$OUT"
[ ! -e "$S/jails/web" ] && [ ! -e "$C/web.conf" ] || fail "web not fully destroyed"
findmnt "$S/jails/web/root" >/dev/null && fail "web's root still mounted"
expect_rc 0 $BRIG destroy thick
expect_eq "victim" keep "$(cat "$T/victim/file")"
[ -d "$S/templates/bb/root/bin" ] || fail "destroy reached the template"

mkdir -p "$S/jails/db/upper/mnt"
mount --bind "$T/victim" "$S/jails/db/upper/mnt"
expect_rc 1 $BRIG destroy db
expect_grep "db: destroy: \`$S/jails/db/upper/mnt\` is mounted inside the jail's storage; unmount it first" "$ERR"
expect_eq "victim after mount" keep "$(cat "$T/victim/file")"
[ -d "$S/jails/db/root/bin" ] && [ -f "$C/db.conf" ] || fail "a refused destroy touched db"
umount "$S/jails/db/upper/mnt"
expect_rc 0 $BRIG destroy db
store_is_clean
expect_rc 1 $BRIG destroy nope
expect_grep 'no jail `nope` in the store' "$ERR"
expect_rc 2 $BRIG destroy
expect_rc 0 $BRIG template rm rich
