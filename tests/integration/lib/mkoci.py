#!/usr/bin/env python3
"""Hand-packed OCI image layouts for tests/integration/store_image*.sh.

    mkoci.py DIR KIND [OUTSIDE]

writes an OCI image layout at DIR (index.json, oci-layout, blobs/sha256),
and for KIND "layers" also the tree the image must give at DIR.expected.
KIND:
  layers        whiteouts, an opaque directory, hard links across layers,
                owners, modes, xattrs, a file capability (three layers,
                gzip, zstd-less plain tar and gzip again)
  multiarch     an index of two platforms behind a nested index
  refs          two images named a and b (org.opencontainers.image.ref.name)
  dotdot        a member ../../OUTSIDE/dotdot
  abs-symlink   layer 1 esc -> OUTSIDE, layer 2 esc/through
  wh-symlink    layer 1 lnk -> OUTSIDE, layer 2 lnk/.wh.victim
  wh-dotdot     a whiteout .wh..
  digest        a layer whose content does not match its digest
  truncated     a layer blob cut short (its descriptor's size unchanged)
  bad-config    a config blob whose digest does not match
  device        a character device node (1,11) in a layer
  big           a layer of 40 MiB of zeros (a few KiB gzipped)
"""
import gzip, hashlib, io, json, os, struct, sys, tarfile

MT = 1600000000


def ti(path, kind="f", data=b"", mode=0o644, uid=0, gid=0, link="", xattrs=None, dev=(0, 0)):
    i = tarfile.TarInfo(path)
    i.mtime = MT
    i.mode = mode
    i.uid, i.gid = uid, gid
    i.type = {"f": tarfile.REGTYPE, "d": tarfile.DIRTYPE, "l": tarfile.SYMTYPE,
              "h": tarfile.LNKTYPE, "c": tarfile.CHRTYPE}[kind]
    if kind in "lh":
        i.linkname = link
    if kind == "f":
        i.size = len(data)
    if kind == "c":
        i.devmajor, i.devminor = dev
    if xattrs:
        i.pax_headers = {"SCHILY.xattr." + k: v.decode("latin-1") for k, v in xattrs.items()}
    return i, (io.BytesIO(data) if kind == "f" else None)


def tar(members, compress=None):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for m in members:
            t.addfile(*ti(*m[:1], **m[1]) if isinstance(m, tuple) else ti(m))
    raw = b.getvalue()
    return raw, (gzip.compress(raw, mtime=0) if compress == "gzip" else raw)


class Layout:
    def __init__(self, d):
        self.d = d
        os.makedirs(d + "/blobs/sha256", exist_ok=True)
        with open(d + "/oci-layout", "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def blob(self, data, mt):
        h = hashlib.sha256(data).hexdigest()
        with open(self.d + "/blobs/sha256/" + h, "wb") as f:
            f.write(data)
        return {"mediaType": mt, "digest": "sha256:" + h, "size": len(data)}

    def image(self, layers, config=None, plat=None):
        """layers: [(members, compress)]; returns the manifest descriptor."""
        descs, diffs = [], []
        for members, comp in layers:
            raw, data = tar(members, comp)
            diffs.append("sha256:" + hashlib.sha256(raw).hexdigest())
            descs.append(self.blob(data, "application/vnd.oci.image.layer.v1.tar" +
                                   ("+gzip" if comp == "gzip" else "")))
        cfg = {"architecture": (plat or {}).get("architecture", "amd64"), "os": "linux",
               "config": config or {}, "rootfs": {"type": "layers", "diff_ids": diffs}}
        c = self.blob(json.dumps(cfg).encode(), "application/vnd.oci.image.config.v1+json")
        m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": c, "layers": descs}
        d = self.blob(json.dumps(m).encode(), "application/vnd.oci.image.manifest.v1+json")
        if plat:
            d["platform"] = plat
        return d

    def index(self, manifests):
        with open(self.d + "/index.json", "w") as f:
            json.dump({"schemaVersion": 2, "manifests": manifests}, f)


def cap(effective_bits):
    # vfs_cap_data revision 2: magic_etc, then permitted/inheritable x 2.
    return struct.pack("<IIIII", 0x02000001, effective_bits, 0, 0, 0)


NET_BIND = cap(1 << 10)


def expected_tree(root):
    """What the layers kind gives (etc/ is the test's to add)."""
    def w(p, data, mode=0o644, uid=0, gid=0, x=None):
        with open(root + "/" + p, "wb") as f:
            f.write(data)
        os.chown(root + "/" + p, uid, gid)
        os.chmod(root + "/" + p, mode)
        for k, v in (x or {}).items():
            os.setxattr(root + "/" + p, k, v)
        os.utime(root + "/" + p, (MT, MT))
    for d in ("bin", "data", "opq", "opq/new", "keep"):
        os.makedirs(root + "/" + d, exist_ok=True)
    os.chmod(root + "/data", 0o750)
    os.chown(root + "/data", 70, 71)
    w("bin/tool", b"tool v2\n", 0o755, x={"security.capability": NET_BIND})
    w("bin/setuid", b"su\n", 0o4755)
    w("data/kept", b"kept\n", 0o640, 70, 71, {"user.note": b"hello"})
    os.link(root + "/data/kept", root + "/data/kept-link")
    w("opq/new/file", b"new in layer 3\n")
    w("keep/b", b"b\n")
    os.symlink("../data/kept", root + "/keep/rel")
    os.lchown(root + "/keep/rel", 0, 0)
    os.utime(root + "/keep/rel", (MT, MT), follow_symlinks=False)


def main():
    d, kind = sys.argv[1], sys.argv[2]
    outside = sys.argv[3] if len(sys.argv) > 3 else "/nonexistent"
    L = Layout(d)
    base = [("bin", dict(kind="d", mode=0o755)), ("bin/ok", dict(data=b"ok\n"))]
    if kind == "layers":
        l1 = [("bin", dict(kind="d", mode=0o755)),
              ("bin/tool", dict(data=b"tool v1\n", mode=0o755)),
              ("bin/gone", dict(data=b"removed by layer 2\n")),
              ("data", dict(kind="d", mode=0o750, uid=70, gid=71)),
              ("data/kept", dict(data=b"kept\n", mode=0o640, uid=70, gid=71,
                                 xattrs={"user.note": b"hello"})),
              ("opq", dict(kind="d", mode=0o755)),
              ("opq/old1", dict(data=b"hidden by the opaque dir\n")),
              ("opq/olddir", dict(kind="d", mode=0o755)),
              ("opq/olddir/deep", dict(data=b"x\n")),
              ("keep", dict(kind="d", mode=0o755)),
              ("keep/a", dict(data=b"a\n")),
              ("tree", dict(kind="d", mode=0o755)),
              ("tree/sub", dict(kind="d", mode=0o755)),
              ("tree/sub/f", dict(data=b"f\n"))]
        l2 = [("bin", dict(kind="d", mode=0o755)),
              ("bin/.wh.gone", dict()),
              ("bin/tool", dict(data=b"tool v2\n", mode=0o755,
                                xattrs={"security.capability": NET_BIND})),
              ("bin/setuid", dict(data=b"su\n", mode=0o4755)),
              ("data", dict(kind="d", mode=0o750, uid=70, gid=71)),
              # A hard link to a file of layer 1.
              ("data/kept-link", dict(kind="h", link="data/kept")),
              (".wh.tree", dict())]
        l3 = [("opq", dict(kind="d", mode=0o755)),
              ("opq/.wh..wh..opq", dict()),
              ("opq/new", dict(kind="d", mode=0o755)),
              ("opq/new/file", dict(data=b"new in layer 3\n")),
              ("keep", dict(kind="d", mode=0o755)),
              ("keep/.wh.a", dict()),
              ("keep/b", dict(data=b"b\n")),
              ("keep/rel", dict(kind="l", link="../data/kept"))]
        m = L.image([(l1, "gzip"), (l2, None), (l3, "gzip")],
                    {"Cmd": ["/bin/ok"], "Labels": {"org.example.role": "test"}})
        L.index([m])
        os.makedirs(d + ".expected", exist_ok=True)
        expected_tree(d + ".expected")
    elif kind == "multiarch":
        ms = []
        for arch in ("arm64", "amd64", "riscv64"):
            ms.append(L.image([([("arch", dict(data=arch.encode() + b"\n"))], "gzip")],
                              plat={"architecture": arch, "os": "linux"}))
        ix = L.blob(json.dumps({"schemaVersion": 2, "manifests": ms}).encode(),
                    "application/vnd.oci.image.index.v1+json")
        ix["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
        L.index([ix])
    elif kind == "refs":
        ms = []
        for ref in ("a", "b"):
            m = L.image([([("which", dict(data=ref.encode() + b"\n"))], None)])
            m["annotations"] = {"org.opencontainers.image.ref.name": ref}
            ms.append(m)
        L.index(ms)
    elif kind == "dotdot":
        L.index([L.image([(base + [("../../../.." + outside + "/dotdot", dict(data=b"x"))], None)])])
    elif kind == "abs-symlink":
        L.index([L.image([(base + [("esc", dict(kind="l", link=outside))], None),
                          ([("esc/through", dict(data=b"x"))], None)])])
    elif kind == "wh-symlink":
        L.index([L.image([(base + [("lnk", dict(kind="l", link=outside))], None),
                          ([("lnk/.wh.victim", dict())], None)])])
    elif kind == "wh-dotdot":
        L.index([L.image([(base + [("bin/.wh..", dict())], None)])])
    elif kind in ("digest", "truncated"):
        m = L.image([(base, None), ([("bin/big", dict(data=os.urandom(50000)))], "gzip")])
        L.index([m])
        man = json.load(open(d + "/blobs/sha256/" + m["digest"][7:]))
        p = d + "/blobs/sha256/" + man["layers"][1]["digest"][7:]
        data = open(p, "rb").read()
        if kind == "digest":
            data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        else:
            data = data[: len(data) // 2]
        open(p, "wb").write(data)
    elif kind == "bad-config":
        m = L.image([(base, None)])
        L.index([m])
        man = json.load(open(d + "/blobs/sha256/" + m["digest"][7:]))
        p = d + "/blobs/sha256/" + man["config"]["digest"][7:]
        cfg = json.load(open(p))
        cfg["config"] = {"Cmd": ["/bin/evil"]}
        data = json.dumps(cfg).encode()
        # Same size, other content: only the digest tells.
        data = data[: man["config"]["size"]].ljust(man["config"]["size"], b" ")
        open(p, "wb").write(data)
    elif kind == "big":
        L.index([L.image([(base + [("zeros", dict(data=bytes(40 << 20)))], "gzip")])])
    elif kind == "device":
        L.index([L.image([(base + [("kmsg", dict(kind="c", mode=0o600, dev=(1, 11)))], None)])])
    else:
        sys.exit("unknown kind " + kind)


main()
