# Sourced by the store's integration tests (tests/integration/store_*.sh):
# trees with every kind of file, and exact comparisons of trees.

# mk_rich_tree DIR: regular files, odd modes and owners, setuid, xattrs
# (user, trusted, an ACL), hard links, symlinks (relative, absolute,
# dangling), char and block devices, a fifo, a socket, a sparse file.
mk_rich_tree() {
	python3 - "$1" <<'EOF'
import os, socket, struct, sys
r = sys.argv[1]
os.makedirs(r + "/etc", exist_ok=True)
os.makedirs(r + "/deep/a/b/c/d", exist_ok=True)
os.makedirs(r + "/empty", exist_ok=True)
os.makedirs(r + "/sticky", exist_ok=True)
os.chmod(r + "/sticky", 0o1777)
def w(p, data, mode=0o644, uid=0, gid=0):
    with open(r + "/" + p, "wb") as f:
        f.write(data)
    os.chown(r + "/" + p, uid, gid)
    os.chmod(r + "/" + p, mode)
w("etc/hostname", b"rich\n")
w("etc/secret", b"s3cret\n", 0o600, 1234, 5678)
w("setuid", b"#!/bin/sh\n", 0o4755)
w("deep/a/b/c/d/file with spaces", os.urandom(70000))
w("binary", bytes(range(256)) * 100)
os.chown(r + "/deep/a/b", 42, 43)
os.chmod(r + "/deep/a/b", 0o710)
os.link(r + "/etc/hostname", r + "/hardlink1")
os.link(r + "/etc/hostname", r + "/deep/hardlink2")
os.symlink("etc/hostname", r + "/rel-link")
os.symlink("/etc/passwd", r + "/abs-link")
os.symlink("nowhere/at/all", r + "/dangling")
os.lchown(r + "/rel-link", 7, 8)
os.mknod(r + "/null", 0o20666, os.makedev(1, 3))
os.mknod(r + "/loop9", 0o60660, os.makedev(7, 9))
os.chown(r + "/loop9", 0, 6)
os.mkfifo(r + "/fifo", 0o640)
s = socket.socket(socket.AF_UNIX)
s.bind(r + "/sock")
s.close()
with open(r + "/sparse", "wb") as f:
    f.seek(5 * 1024 * 1024)
    f.write(b"end")
os.setxattr(r + "/etc/hostname", "user.color", b"blue")
os.setxattr(r + "/binary", "trusted.brig", b"\x00\x01\x02")
os.setxattr(r + "/deep", "user.dir", b"yes")
# An access ACL: user::rw-, user:1000:r--, group::r--, mask::r--, other::---
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, i) for t, p, i in
    [(1, 6, 0xffffffff), (2, 4, 1000), (4, 4, 0xffffffff), (0x10, 4, 0xffffffff), (0x20, 0, 0xffffffff)])
os.setxattr(r + "/etc/secret", "system.posix_acl_access", acl)
os.utime(r + "/binary", ns=(1500000000123456789, 1500000000123456789))
EOF
}

# tree_manifest DIR [SKIP_SOCKETS]: one line per entry, sorted: path, type,
# mode, owner, size, contents hash, link target, device, xattrs, hard-link
# group, mtime.
tree_manifest() {
	python3 - "$1" "${2:-}" <<'EOF'
import hashlib, os, stat, sys
top, skip_sock = sys.argv[1], sys.argv[2] == "skip-sockets"
rows = []
groups = {}
for dp, dns, fns in os.walk(top):
    for n in dns + fns:
        p = os.path.join(dp, n)
        rel = os.path.relpath(p, top)
        st = os.lstat(p)
        m = st.st_mode
        if skip_sock and stat.S_ISSOCK(m):
            continue
        h = link = dev = ""
        if stat.S_ISREG(m):
            with open(p, "rb") as f:
                h = hashlib.sha256(f.read()).hexdigest()[:16]
        elif stat.S_ISLNK(m):
            link = os.readlink(p)
        elif stat.S_ISCHR(m) or stat.S_ISBLK(m):
            dev = "%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
        try:
            xs = sorted(os.listxattr(p, follow_symlinks=False))
            xa = ",".join("%s=%s" % (x, os.getxattr(p, x, follow_symlinks=False).hex()) for x in xs)
        except OSError:
            xa = "?"
        key = None
        if not stat.S_ISDIR(m) and st.st_nlink > 1:
            key = (st.st_dev, st.st_ino)
            groups.setdefault(key, []).append(rel)
        mt = st.st_mtime_ns if not stat.S_ISDIR(m) else ""
        size = st.st_size if not stat.S_ISDIR(m) else ""
        rows.append((key, [rel, stat.S_IFMT(m), oct(stat.S_IMODE(m)), st.st_uid, st.st_gid,
                           size, h, link, dev, xa, mt]))
out = []
for key, f in rows:
    # A hard-link group is named by its smallest path: walk order differs.
    f.append(min(groups[key]) + "/%d" % len(groups[key]) if key else "")
    out.append("|".join(str(v) for v in f))
print("\n".join(sorted(out)))
EOF
}

# same_tree A B [skip-sockets]: fail with a diff unless the trees are equal.
same_tree() {
	tree_manifest "$1" "${3:-}" >"$T/manifest.a"
	tree_manifest "$2" "${3:-}" >"$T/manifest.b"
	diff -u "$T/manifest.a" "$T/manifest.b" >&2 || fail "trees $1 and $2 differ"
	[ -s "$T/manifest.a" ] || fail "tree $1 is empty"
}

# store_is_clean: nothing left in the store's work area.
store_is_clean() {
	[ -z "$(ls -A "$BRIG_STOREDIR/tmp" 2>/dev/null)" ] || fail "left in $BRIG_STOREDIR/tmp: $(ls -A "$BRIG_STOREDIR/tmp")"
}

# loop_mount IMG DIR [MOUNT-OPTION...]: IMG on a loop device ($LOOP),
# mounted on DIR (made here); 1 if it does not mount. Loop devices are not
# namespaced: the test's EXIT trap must call loop_release, which unmounts
# and gives the device back whatever happened.
loop_mount() {
	LOOP=$(losetup --find --show "$1") || skip "no loop device"
	LOOPDIR=$2
	shift 2
	mkdir -p "$LOOPDIR"
	mount "$@" "$LOOP" "$LOOPDIR"
}
loop_release() {
	set +e
	[ -n "${LOOP:-}" ] || return 0
	umount "$LOOPDIR" 2>/dev/null || umount -l "$LOOPDIR" 2>/dev/null
	losetup -d "$LOOP"
}
