# Tarballs that try to write outside the template, and broken ones: each is
# refused with a clear message and leaves nothing behind.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
mkdir "$T/outside"

# evil NAME KIND...: a tarball with members crafted by python's tarfile.
evil() {
	python3 - "$T/$1.tar" "$T/outside" "$@" <<'EOF2'
import io, sys, tarfile
out, outside, name, kinds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def reg(t, path, data=b"pwned\n"):
    i = tarfile.TarInfo(path); i.size = len(data); t.addfile(i, io.BytesIO(data))
def sym(t, path, target):
    i = tarfile.TarInfo(path); i.type = tarfile.SYMTYPE; i.linkname = target; t.addfile(i)
def hard(t, path, target):
    i = tarfile.TarInfo(path); i.type = tarfile.LNKTYPE; i.linkname = target; t.addfile(i)
def dr(t, path):
    i = tarfile.TarInfo(path); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    dr(t, "etc")
    reg(t, "etc/ok", b"fine\n")
    for k in kinds:
        if k == "dotdot": reg(t, "../../../../" + outside.lstrip("/") + "/dotdot")
        if k == "dotdot-mid": reg(t, "etc/../../outside-mid")
        if k == "absolute": reg(t, outside + "/absolute")
        if k == "symlink-escape":
            sym(t, "esc", outside); reg(t, "esc/through-symlink")
        if k == "symlink-dir-escape":
            sym(t, "etc/sub", "../../../../../../" + outside.lstrip("/")); reg(t, "etc/sub/deep")
        if k == "hardlink-out": hard(t, "etc/hl", "../../../../../../etc/passwd")
        if k == "hardlink-abs": hard(t, "etc/hl", "/etc/shadow")
EOF2
}

n=0
for kind in dotdot dotdot-mid absolute symlink-escape symlink-dir-escape hardlink-out hardlink-abs; do
	n=$((n + 1))
	evil "e$n" "$kind"
	expect_rc 1 $BRIG template create "e$n" --from "$T/e$n.tar"
	case $kind in
	dotdot*) expect_grep 'has a ".." component; refusing the archive' "$ERR" ;;
	absolute) expect_grep 'is an absolute path; refusing the archive' "$ERR" ;;
	symlink*) expect_grep 'which is a symlink' "$ERR" ;;
	hardlink-out) expect_grep 'hard link to .*".."' "$ERR" ;;
	hardlink-abs) expect_grep 'hard link to .*absolute path' "$ERR" ;;
	esac
	expect_grep "e$n.tar" "$ERR"
	echo "$kind: $ERR"
	[ ! -e "$S/templates/e$n" ] || fail "$kind: template left behind"
	[ -z "$(ls -A "$T/outside")" ] || fail "$kind: wrote outside: $(ls -A "$T/outside")"
	[ ! -e "$T/outside-mid" ] || fail "$kind: wrote $T/outside-mid"
	store_is_clean
done

# A harmless tarball passes (the test can fail).
evil good
expect_rc 0 $BRIG template create good --from "$T/good.tar"
[ "$(cat "$S/templates/good/root/etc/ok")" = fine ] || fail "good tarball not extracted"

# Corrupt and truncated archives.
mkdir -p "$T/src/etc"
head -c 300000 /dev/urandom >"$T/src/etc/blob"
tar -C "$T/src" -czf "$T/full.tar.gz" .
head -c 150000 "$T/full.tar.gz" >"$T/trunc.tar.gz"
expect_rc 1 $BRIG template create trunc --from "$T/trunc.tar.gz"
expect_grep 'trunc.tar.gz.*\(truncated\|corrupt\)' "$ERR"
echo "$ERR"
head -c 20000 /dev/urandom >"$T/junk.tar.xz"
expect_rc 1 $BRIG template create junk --from "$T/junk.tar.xz"
expect_grep 'junk.tar.xz' "$ERR"
echo "$ERR"
tar -C "$T/src" -cf "$T/plain.tar" .
head -c 10240 "$T/plain.tar" >"$T/cut.tar"
expect_rc 1 $BRIG template create cut --from "$T/cut.tar"
expect_grep 'cut.tar' "$ERR"
echo "$ERR"
for t in trunc junk cut; do
	[ ! -e "$S/templates/$t" ] || fail "$t: template left behind"
done
store_is_clean
expect_rc 0 $BRIG template create full --from "$T/full.tar.gz"
