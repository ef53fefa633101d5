# export / import: exact round trips of thin layers (whiteouts included),
# full roots and thick jails; bad archives leave nothing behind.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d

expect_rc 0 $BRIG template create bb --from busybox
expect_rc 0 $BRIG create web -t bb ip4.addr=10.10.0.3
R=$S/jails/web/root
mk_rich_tree "$R/srv"
echo changed >"$R/etc/motd"
rm "$R/etc/shells" "$R/bin/ls"
rm -r "$R/var/www" && mkdir "$R/var/www" && echo page >"$R/var/www/index.html"
tree_manifest "$R" skip-sockets >"$T/web.before"

# Export of the thin jail: its layer, zstd-compressed.
expect_rc 0 $BRIG export web "$T/web.tzst"
expect_grep "web: exported to $T/web.tzst" "$OUT"
[ "$(head -c 4 "$T/web.tzst" | od -An -tx1 | tr -d ' ')" = 28b52ffd ] || fail "not zstd"
[ "$(stat -c %a "$T/web.tzst")" = 600 ] || fail "archive readable by others"
zstd -dc "$T/web.tzst" | tar -t >"$T/members" 2>/dev/null
expect_eq "first members" "brig-export/meta
brig-export/jail.conf
root/" "$(head -3 "$T/members")"
grep -qx 'root/srv/deep/a/b/c/d/file with spaces' "$T/members" || fail "layer lacks srv"
! grep -qx 'root/bin/busybox' "$T/members" || fail "the layer holds the template"
ls "$T"/web.tzst.* >/dev/null 2>&1 && fail "temporary archive left"

# Import under the same name after destroy: exact, whiteouts and opaque
# directories as they were.
expect_rc 0 $BRIG destroy web
expect_rc 0 $BRIG import "$T/web.tzst" --devices
expect_grep "web: imported from $T/web.tzst (template bb, overlay) at $R" "$OUT"
tree_manifest "$R" skip-sockets >"$T/web.after"
diff -u "$T/web.before" "$T/web.after" >&2 || fail "thin round trip not exact"
[ "$(stat -c %F:%t,%T "$S/jails/web/upper/etc/shells")" = "character special file:0,0" ] ||
	fail "whiteout lost"
python3 -c "import os; assert os.getxattr('$S/jails/web/upper/var/www', 'trusted.overlay.opaque') == b'y'" ||
	fail "opaque directory lost"
# An archive is untrusted: its addresses are the host's to give, left out
# and named (store_import_hostile has the rest).
expect_grep 'brig-export/jail.conf:[0-9]*:[0-9]*: warning: ip4.addr dropped' "$ERR"
! grep -q 'ip4.addr' "$C/web.conf" || fail "ip4.addr taken from the archive"
grep -q 'exec.start = "/bin/sh /etc/rc";' "$C/web.conf" || fail "configuration not restored"
grep -q "path = \"$R\";" "$C/web.conf" || fail "path not set"

# Import under another name, trusted: block name and path follow, the
# rest is kept as it was.
expect_rc 0 $BRIG import "$T/web.tzst" web2 --trust --devices
grep -q 'ip4.addr = "10.10.0.3";' "$C/web2.conf" || fail "--trust: configuration not restored"
grep -q '^web2 {' "$C/web2.conf" || fail "web2.conf has no block web2"
grep -q "path = \"$S/jails/web2/root\";" "$C/web2.conf" || fail "web2.conf path"
[ "$(grep -c 'path =' "$C/web2.conf")" = 1 ] || fail "two paths in web2.conf"
tree_manifest "$S/jails/web2/root" skip-sockets >"$T/web2"
diff -u "$T/web.before" "$T/web2" >&2 || fail "web2 differs"
expect_rc 1 $BRIG import "$T/web.tzst" web2
expect_grep 'web2: import: a jail named web2 exists already' "$ERR"

# --full of a thin jail whose root was found unmounted: mounted again at
# its path (store/root.c), the merged view archived.
umount "$R"
expect_rc 0 $BRIG export web "$T/web-full.tzst" --full
findmnt -n -o FSTYPE "$R" | grep -qx overlay || fail "export did not mount the root again"
zstd -dc "$T/web-full.tzst" | tar -t | grep -qx 'root/bin/busybox' || fail "--full lacks the template"
expect_rc 0 $BRIG destroy web
expect_rc 0 $BRIG destroy web2

# A layer needs its template: clear refusal, nothing left.
expect_rc 0 $BRIG template rm bb
expect_rc 1 $BRIG import "$T/web.tzst"
expect_grep 'web: import: the archive holds a thin jail.s own layer over template bb, which this store does not have' "$ERR"
[ ! -e "$S/jails/web" ] && [ ! -e "$C/web.conf" ] || fail "a refused import left something"
store_is_clean

# A full archive stands alone: a thick copy here, exact.
expect_rc 0 $BRIG import "$T/web-full.tzst" --devices
expect_grep '(template bb, copy)' "$OUT"
tree_manifest "$R" skip-sockets >"$T/web.full"
diff -u "$T/web.before" "$T/web.full" >&2 || fail "full round trip not exact"

# A thick jail's round trip, special files included.
mkdir "$T/rich" && mk_rich_tree "$T/rich"
expect_rc 0 $BRIG template create rich --from "$T/rich" --devices
expect_rc 0 $BRIG create th -t rich --thick
expect_rc 0 $BRIG export th "$T/th.tzst"
expect_rc 0 $BRIG import "$T/th.tzst" th2 --devices
same_tree "$S/jails/th/root" "$S/jails/th2/root" skip-sockets

# Bad archives.
expect_rc 1 $BRIG export nope "$T/nope.tzst"
expect_grep 'nope: export: no jail `nope`' "$ERR"
[ ! -e "$T/nope.tzst" ] || fail "export of an unknown jail made a file"
expect_rc 1 $BRIG import "$T/missing.tzst"
expect_grep 'import: opening' "$ERR"
head -c $(($(stat -c %s "$T/th.tzst") / 2)) "$T/th.tzst" >"$T/trunc.tzst"
expect_rc 1 $BRIG import "$T/trunc.tzst" t1
expect_grep 't1: import: .*trunc.tzst: corrupt or truncated archive' "$ERR"
head -c 50000 /dev/urandom >"$T/junk.tzst"
expect_rc 1 $BRIG import "$T/junk.tzst" t2
expect_grep 'junk.tzst: not a tar archive' "$ERR"
tar -C "$T/rich" -cf "$T/plain.tar" etc
expect_rc 1 $BRIG import "$T/plain.tar" t3
expect_grep 'not an archive of brig export' "$ERR"
python3 - "$T/evil.tar" <<'EOF2'
import io, sys, tarfile
def reg(t, path, data):
    i = tarfile.TarInfo(path); i.size = len(data); t.addfile(i, io.BytesIO(data))
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    reg(t, "brig-export/meta", b"format=1\nname=evil\nkind=full\ntemplate=x\nbackend=copy\n")
    reg(t, "brig-export/jail.conf", b"evil {\n}\n")
    i = tarfile.TarInfo("root"); i.type = tarfile.DIRTYPE; t.addfile(i)
    reg(t, "root/../../../escaped", b"x")
EOF2
expect_rc 1 $BRIG import "$T/evil.tar"
expect_grep 'has a ".." component; refusing the archive' "$ERR"
for n in t1 t2 t3 evil; do
	[ ! -e "$S/jails/$n" ] && [ ! -e "$C/$n.conf" ] || fail "$n left behind"
done
[ ! -e "$S/escaped" ] && [ ! -e "$S/jails/escaped" ] || fail "evil archive escaped"
store_is_clean
