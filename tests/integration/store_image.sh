# Templates from container images: OCI layouts and docker-archives packed by
# hand (tests/integration/lib/mkoci.py: whiteouts, opaque directories, hard
# links across layers, owners, xattrs, a file capability) and by skopeo;
# the template's tree is compared with the one the image must give.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
# skopeo and podman keep state under /var/lib/containers (a blob cache
# even for skopeo copy): the test's own /var/lib, never the host's.
mount -t tmpfs test-varlib /var/lib
S=$BRIG_STOREDIR
MKOCI="python3 $PWD/tests/integration/lib/mkoci.py"
# same_image A B: the trees are equal but for etc/'s files, which brig adds
# to every template (their times are the template's).
same_image() {
	tree_manifest "$1" | grep -v '^etc/' >"$T/manifest.a"
	tree_manifest "$2" | grep -v '^etc/' >"$T/manifest.b"
	diff -u "$T/manifest.a" "$T/manifest.b" >&2 || fail "trees $1 and $2 differ"
}
command -v skopeo >/dev/null || skip "skopeo is not installed (scripts/deps.sh installs it)"

# Three layers: the tree is exactly what the layers say (the template's
# etc/ is brig's own, copied into the expected tree).
$MKOCI "$T/layers" layers
expect_rc 0 $BRIG template create img --from "oci:$T/layers"
expect_grep "template img created from oci:$T/layers" "$OUT"
cp -a "$S/templates/img/root/etc" "$T/layers.expected/"
same_tree "$T/layers.expected" "$S/templates/img/root"
python3 -c 'import os, sys; os.getxattr(sys.argv[1], "security.capability")' \
	"$S/templates/img/root/bin/tool" || fail "bin/tool lost its file capability"
[ -f "$S/templates/img/image.json" ] || fail "the image's config was not kept"
store_is_clean

# The same image as a docker-archive (skopeo), plain, gzip and zstd: the same tree.
skopeo copy -q "oci:$T/layers" "docker-archive:$T/layers.tar:img:latest"
gzip -c "$T/layers.tar" >"$T/layers.tar.gz"
zstd -q -c "$T/layers.tar" >"$T/layers.tar.zst"
for f in layers.tar layers.tar.gz layers.tar.zst; do
	n=d$(echo "$f" | tr -cd 'a-z' | tail -c 3)
	expect_rc 0 $BRIG template create "$n" --from "docker-archive:$T/$f"
	same_image "$S/templates/img/root" "$S/templates/$n/root"
done
store_is_clean

# docker save's older form: a layer named as a symlink to another member
# (docker links identical layers: ID/layer.tar -> ../ID2/layer.tar).
python3 - "$T/layers.tar" "$T/linked.tar" <<'EOF2'
import io, json, sys, tarfile
src, dst = tarfile.open(sys.argv[1]), tarfile.open(sys.argv[2], "w")
man = json.load(src.extractfile("manifest.json"))
real = man[0]["Layers"][1]
man[0]["Layers"][1] = "dup/layer.tar"
for m in src.getmembers():
    if m.name == "manifest.json":
        data = json.dumps(man).encode()
        m.size = len(data)
        dst.addfile(m, io.BytesIO(data))
    else:
        dst.addfile(m, src.extractfile(m) if m.isfile() else None)
d = tarfile.TarInfo("dup"); d.type = tarfile.DIRTYPE; dst.addfile(d)
l = tarfile.TarInfo("dup/layer.tar"); l.type = tarfile.SYMTYPE; l.linkname = "../" + real
dst.addfile(l)
dst.close()
EOF2
expect_rc 0 $BRIG template create dlinked --from "docker-archive:$T/linked.tar"
same_image "$S/templates/img/root" "$S/templates/dlinked/root"

# The labels are shown by template ls -v (and --json).
expect_rc 0 $BRIG template ls -v
expect_grep 'org.example.role=test' "$OUT"
expect_rc 0 $BRIG template ls --json
expect_grep '"org.example.role": *"test"' "$OUT"

# A multi-arch index (nested under index.json) gives the host's platform.
case $(uname -m) in
x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; riscv64) arch=riscv64 ;; *) arch= ;;
esac
$MKOCI "$T/multi" multiarch
if [ -n "$arch" ]; then
	expect_rc 0 $BRIG template create multi --from "oci:$T/multi:latest"
	expect_eq "multi-arch" "$arch" "$(cat "$S/templates/multi/root/arch")"
fi
expect_rc 1 $BRIG template create multi2 --from "oci:$T/multi:nosuch"
expect_grep 'no image named `nosuch`' "$ERR"

# Images by name: oci:DIR:REF; without a name, several images are refused.
$MKOCI "$T/refs" refs
expect_rc 0 $BRIG template create refb --from "oci:$T/refs:b"
expect_eq "ref b" b "$(cat "$S/templates/refb/root/which")"
expect_rc 1 $BRIG template create refany --from "oci:$T/refs"
expect_grep 'holds 2 images; name one as oci:DIR:REF' "$ERR"

# Hostile images: refused, nothing left behind, nothing written outside.
mkdir "$T/outside"
echo precious >"$T/outside/victim"
for kind in dotdot abs-symlink wh-symlink wh-dotdot digest truncated bad-config; do
	$MKOCI "$T/h-$kind" "$kind" "$T/outside"
	expect_rc 1 $BRIG template create "h$kind" --from "oci:$T/h-$kind"
	echo "$kind: $ERR"
	case $kind in
	dotdot) expect_grep 'has a ".." component; refusing the archive' "$ERR" ;;
	abs-symlink) expect_grep 'which is a symlink' "$ERR" ;;
	wh-symlink) expect_grep 'a symlink in the jail root' "$ERR" ;;
	wh-dotdot) expect_grep 'names nothing; refusing the layer' "$ERR" ;;
	digest) expect_grep 'has digest sha256:[0-9a-f]*, its descriptor says' "$ERR" ;;
	truncated) expect_grep 'its descriptor says [0-9]* (truncated or replaced)' "$ERR" ;;
	bad-config) expect_grep 'has digest sha256:[0-9a-f]*, its descriptor says' "$ERR" ;;
	esac
	[ ! -e "$S/templates/h$kind" ] || fail "$kind: template left behind"
	expect_eq "$kind: outside" victim "$(ls -A "$T/outside")"
	expect_eq "$kind: victim" precious "$(cat "$T/outside/victim")"
	store_is_clean
done

# A docker-archive whose layer is not what its config's diff_ids say.
mkdir "$T/da"
tar -C "$T/da" -xf "$T/layers.tar"
layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Layers"][1])' "$T/da/manifest.json")
printf 'x' >>"$T/da/$layer"
tar -C "$T/da" -cf "$T/bad.tar" .
expect_rc 1 $BRIG template create dbad --from "docker-archive:$T/bad.tar"
expect_grep 'the image.s config says sha256:' "$ERR"
[ ! -e "$S/templates/dbad" ] || fail "docker-archive: template left behind"
store_is_clean

# A device node is left out and counted unless --devices.
$MKOCI "$T/dev" device
expect_rc 0 $BRIG template create dev --from "oci:$T/dev"
expect_grep '1 device node dropped (first: kmsg)' "$OUT$ERR"
[ ! -e "$S/templates/dev/root/kmsg" ] || fail "device node kept without --devices"
expect_rc 0 $BRIG template create dev2 --from "oci:$T/dev" --devices
[ -c "$S/templates/dev2/root/kmsg" ] || fail "device node not kept with --devices"

# Images larger than the store's room are refused before they fill it: a
# layout's small layer (40 MiB of zeros gzipped) by the extraction's
# bounds, a docker-archive (its layers uncompressed, the whole zstd) while
# it is unpacked.
$MKOCI "$T/big" big
skopeo copy -q "oci:$T/big" "docker-archive:$T/big.tar:big:latest"
zstd -q --rm "$T/big.tar"
mkdir "$T/small"
mount -t tmpfs -o size=12m brig-small "$T/small"
for src in "oci:$T/big" "docker-archive:$T/big.tar.zst"; do
	expect_rc 1 env BRIG_STOREDIR="$T/small/store" $BRIG template create big --from "$src"
	expect_grep 'the image holds more data than the store has room for\|more than the store.s whole filesystem' "$ERR"
	[ ! -e "$T/small/store/templates/big" ] || fail "$src: template left behind"
	[ -z "$(ls -A "$T/small/store/tmp")" ] || fail "$src: left in tmp/"
done
umount "$T/small"

# A thin jail from an image template is an overlay over it.
expect_rc 0 $BRIG create thin -t img persist
findmnt -n -o FSTYPE "$S/jails/thin/root" | grep -qx overlay || fail "thin's root is not an overlay"
[ "$(cat "$S/jails/thin/root/data/kept")" = kept ] || fail "the image is not visible in thin"
expect_grep '^	exec.service = "/bin/ok";$' "$(cat "$BRIG_CONFDIR/jail.conf.d/thin.conf")"
expect_rc 0 $BRIG destroy thin
echo "ok"
