# Templates: busybox, directory and tarball sources; /etc files; ls; rm.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR

# busybox: a root that works offline, with rc scripts and the host's files.
expect_rc 0 $BRIG template create bb --from busybox
R=$S/templates/bb/root
[ -x "$R/bin/busybox" ] || fail "no bin/busybox"
[ "$(readlink "$R/bin/sh")" = /bin/busybox ] || fail "bin/sh is not an applet link"
[ -L "$R/usr/sbin/httpd" ] || fail "no httpd applet"
for f in passwd group rc rc.shutdown rc.subr rc.conf init.d/httpd init.d/nc; do
	[ -f "$R/etc/$f" ] || fail "no etc/$f"
done
[ -x "$R/etc/rc" ] && [ -x "$R/etc/rc.shutdown" ] || fail "rc scripts not executable"
[ "$(stat -c %a "$R/tmp")" = 1777 ] || fail "tmp mode $(stat -c %a "$R/tmp")"
if [ -e /etc/resolv.conf ]; then
	cmp -s /etc/resolv.conf "$R/etc/resolv.conf" || fail "resolv.conf differs from the host's"
fi
if [ -e /etc/localtime ]; then
	cmp -s /etc/localtime "$R/etc/localtime" || fail "localtime differs from the host's"
	[ ! -L "$R/etc/localtime" ] || fail "localtime is a symlink"
fi
# The busybox root runs: its rc starts what rc.conf enables, in order, and
# rc.shutdown stops them in reverse.
cp -a "$R" "$T/run-root"
cat >"$T/run-root/etc/init.d/svc_a" <<'EOS'
#!/bin/sh
echo "a $1" >>/tmp/order
EOS
sed 's/a \$1/b $1/' "$T/run-root/etc/init.d/svc_a" >"$T/run-root/etc/init.d/svc-b"
chmod +x "$T/run-root/etc/init.d/svc_a" "$T/run-root/etc/init.d/svc-b"
printf 'svc_b_enable="YES"\nsvc_off_enable="NO"\nsvc_a_enable="yes"\n' >"$T/run-root/etc/rc.conf"
chroot "$T/run-root" /bin/sh /etc/rc >"$T/rc.out"
chroot "$T/run-root" /bin/sh /etc/rc.shutdown >>"$T/rc.out"
expect_eq "rc order" "b start
a start
a stop
b stop" "$(cat "$T/run-root/tmp/order")"
printf 'rc_order="svc_a"\nsvc_b_enable="YES"\nsvc_a_enable="YES"\n' >"$T/run-root/etc/rc.conf"
rm "$T/run-root/tmp/order"
chroot "$T/run-root" /bin/sh /etc/rc >/dev/null
expect_eq "rc_order" "a start
b start" "$(cat "$T/run-root/tmp/order")"

# A directory: an exact copy (owners, modes, xattrs, ACLs, hard links,
# symlinks, devices with --devices, fifos, sockets, sparse files), plus
# /etc files. (store_template_devices: devices without --devices.)
mkdir "$T/src"
mk_rich_tree "$T/src"
expect_rc 0 $BRIG template create rich --from "$T/src" --devices
rm -f "$S/templates/rich/root/etc/resolv.conf" "$S/templates/rich/root/etc/localtime" \
	"$S/templates/rich/root/etc/rc" "$S/templates/rich/root/etc/rc.shutdown" "$S/templates/rich/root/etc/rc.subr"
touch -r "$T/src/etc" "$S/templates/rich/root/etc"
same_tree "$T/src" "$S/templates/rich/root"
[ "$(stat -c %b "$S/templates/rich/root/sparse")" -lt 100 ] || fail "sparse file not sparse"

# Tarballs of every supported kind, made by tar with xattrs and ACLs.
mkdir "$T/tsrc"
mk_rich_tree "$T/tsrc"
mkdir -p "$T/tsrc/etc" && printf '#!/bin/sh\nexit 0\n' >"$T/tsrc/etc/rc" && chmod 755 "$T/tsrc/etc/rc"
for ext in tar tar.gz tgz txz tar.xz tar.zst; do
	case $ext in
	tar) z= ;; tar.gz | tgz) z=--gzip ;; txz | tar.xz) z=--xz ;; tar.zst) z=--zstd ;;
	esac
	tar -C "$T/tsrc" --xattrs --xattrs-include='*' --acls --numeric-owner $z -cf "$T/base.$ext" .
	n=$(echo "t-$ext" | tr . _)
	expect_rc 0 $BRIG template create "$n" --from "$T/base.$ext" --devices
	tr=$S/templates/$n/root
	# The template got the host's files; it had its own rc, so no new rc.
	[ -f "$tr/etc/resolv.conf" ] || [ ! -e /etc/resolv.conf ] || fail "$ext: no resolv.conf"
	[ ! -e "$tr/etc/rc.subr" ] || fail "$ext: rc.subr written although the tarball has an rc"
	rm -f "$tr/etc/resolv.conf" "$tr/etc/localtime"
	touch -r "$T/tsrc/etc" "$tr/etc"
	same_tree "$T/tsrc" "$tr" skip-sockets
done

# ls and ls --json.
expect_rc 0 $BRIG template ls
expect_grep '^bb .*busybox' "$OUT"
expect_grep "^rich .*$T/src" "$OUT"
expect_rc 0 $BRIG template ls --json
printf '%s' "$OUT" | python3 -c '
import json, sys
v = json.load(sys.stdin)
names = [t["name"] for t in v]
assert names == sorted(names) and "bb" in names and "t-tar_zst" in names, names
assert all(isinstance(t["created"], int) and t["jails"] == [] for t in v)
' || fail "template ls --json: $OUT"

# Bad input: every refusal is clear and leaves nothing behind.
expect_rc 1 $BRIG template create bb --from busybox
expect_grep 'template bb already exists' "$ERR"
expect_rc 1 $BRIG template create x --from "$T/nonexistent"
expect_grep 'unknown source .*nonexistent' "$ERR"
echo hi >"$T/plain.txt"
expect_rc 1 $BRIG template create x --from "$T/plain.txt"
expect_grep 'neither a directory nor a tarball' "$ERR"
expect_rc 1 $BRIG template create x --from debootstrap:'bad suite'
expect_grep 'bad suite' "$ERR"
for bad in ../x a/b '' .hidden "$(printf 'a\nb')" "$(printf '%0100d' 0)"; do
	expect_rc 1 $BRIG template create "$bad" --from busybox
	expect_grep 'invalid name' "$ERR"
done
expect_rc 2 $BRIG template create x
expect_rc 1 $BRIG template rm nope
expect_grep 'no template `nope`' "$ERR"
[ ! -e "$S/templates/x" ] || fail "a template was left behind"
store_is_clean

# Host files are copied, never written through the template's symlinks.
mkdir -p "$T/evil/etc"
echo "host file" >"$T/victim"
ln -s "$T/victim" "$T/evil/etc/resolv.conf"
ln -s "$T/victim" "$T/evil/etc/localtime"
expect_rc 0 $BRIG template create evil --from "$T/evil"
expect_eq "victim" "host file" "$(cat "$T/victim")"
[ ! -L "$S/templates/evil/root/etc/resolv.conf" ] || fail "resolv.conf still a symlink"
mkdir -p "$T/evil2"
ln -s "$T/victimdir" "$T/evil2/etc"
mkdir "$T/victimdir"
expect_rc 1 $BRIG template create evil2 --from "$T/evil2"
expect_grep 'symlink' "$ERR"
[ -z "$(ls -A "$T/victimdir")" ] || fail "wrote into the host through etc -> $T/victimdir"
[ ! -e "$S/templates/evil2" ] || fail "evil2 left behind"
store_is_clean

# rm.
expect_rc 0 $BRIG template rm rich
[ ! -e "$S/templates/rich" ] || fail "rich not removed"
store_is_clean

# A source that holds the store (--from / on a one-filesystem host): the
# copy in progress is not copied into itself.
mkdir -p "$T/outer/etc" && echo x >"$T/outer/etc/f"
expect_rc 0 env BRIG_STOREDIR="$T/outer/store" $BRIG template create self --from "$T/outer"
[ -f "$T/outer/store/templates/self/root/etc/f" ] || fail "self: etc/f not copied"
[ -d "$T/outer/store/templates/self/root/store/tmp" ] || fail "self: the store's tmp/ not copied"
[ -z "$(ls -A "$T/outer/store/templates/self/root/store/tmp")" ] || fail "self: the copy holds itself"
