# A corpus of hostile export archives (brig import treats an archive as
# untrusted input): host hooks, host mounts, extra blocks, wildcards and
# global statements, .include, variables that smuggle values, traversal in
# every meta field, device nodes, hard links and symlinks out of the tree,
# absolute and ".." members, truncated and huge archives. For each: nothing
# runs on the host (a hook would touch a marker file), nothing outside the
# store changes, the refusal or the dropped line names what was refused, and
# a refused import leaves no jail, file, configuration or mount behind.
# Every check runs and reports; the test fails at the end if any did.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d
. tests/integration/lib/checks.sh


# Outside the store: a directory the archives aim at, and host files.
mkdir "$T/outside"
echo "host secret" >"$T/outside/secret"
echo 'exec.poststop = "touch '"$T"'/pwned.include";' >"$T/inc.conf"
printf '%s\n' "$T/outside /mnt nullfs ro 0 0" >"$T/fstab"
outside_state() { (cd "$T" && find outside inc.conf fstab -printf '%p %m %s %T@\n' | sort); }
outside_state >"$T/outside.before"

# No hook ran; nothing outside the store changed.
host_untouched() {
	m=$(ls "$T"/pwned.* 2>/dev/null || true)
	[ -z "$m" ] || ko "$1: ran on the host: $m"
	rm -f "$T"/pwned.*
	outside_state >"$T/outside.now"
	cmp -s "$T/outside.before" "$T/outside.now" || ko "$1: changed outside the store: $(diff "$T/outside.before" "$T/outside.now")"
}
# A refused import of NAME left nothing.
nothing_left() {
	[ ! -e "$S/jails/$1" ] || ko "$1: a refused import left $S/jails/$1"
	[ ! -e "$C/$1.conf" ] || ko "$1: a refused import left $C/$1.conf"
	[ -z "$(ls -A "$S/tmp" 2>/dev/null)" ] || ko "$1: left in tmp: $(ls -A "$S/tmp")"
	! findmnt -rn -o TARGET | grep -q "^$S/jails/$1" || ko "$1: a mount left behind"
}
# Remove an imported jail (whatever its state).
gone() {
	$BRIG stop "$1" >/dev/null 2>&1 || true
	$BRIG destroy -f "$1" >/dev/null 2>&1 || true
	rm -f "$C/$1.conf"
}

# mkarch FILE META CONF [KIND...]: an archive laid out as brig export
# writes it (meta, jail.conf, root/...) with members crafted by python's
# tarfile. META and CONF are the two first members, as given.
mkarch() {
	python3 - "$T" "$@" <<'EOF'
import io, sys, tarfile
T, out, meta, conf, kinds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def reg(t, path, data=b"x\n", mode=0o644):
    i = tarfile.TarInfo(path); i.size = len(data); i.mode = mode; t.addfile(i, io.BytesIO(data))
def dr(t, path):
    i = tarfile.TarInfo(path); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
def dev(t, path, kind, major, minor):
    i = tarfile.TarInfo(path); i.type = kind; i.devmajor = major; i.devminor = minor
    i.mode = 0o666; t.addfile(i)
def link(t, path, kind, target):
    i = tarfile.TarInfo(path); i.type = kind; i.linkname = target; t.addfile(i)
with tarfile.open(out, "w:gz" if "big" in kinds else "w", format=tarfile.PAX_FORMAT) as t:
    reg(t, "brig-export/meta", meta.encode())
    reg(t, "brig-export/jail.conf", conf.encode())
    dr(t, "root")
    dr(t, "root/etc")
    dr(t, "root/mnt")
    dr(t, "root/dev")
    reg(t, "root/etc/motd", b"imported\n")
    for k in kinds:
        if k == "devices":
            dev(t, "root/dev/kmsg", tarfile.CHRTYPE, 1, 11)
            dev(t, "root/kvm", tarfile.CHRTYPE, 10, 232)
            dev(t, "root/loop-control", tarfile.CHRTYPE, 10, 237)
            dev(t, "root/sda", tarfile.BLKTYPE, 8, 0)
            dev(t, "root/whiteout", tarfile.CHRTYPE, 0, 0)
            i = tarfile.TarInfo("root/fifo"); i.type = tarfile.FIFOTYPE; t.addfile(i)
        if k == "hardlink-out": link(t, "root/etc/hl", tarfile.LNKTYPE, "root/../../../../../../etc/passwd")
        if k == "hardlink-abs": link(t, "root/etc/hl", tarfile.LNKTYPE, "/etc/passwd")
        if k == "symlink-escape":
            link(t, "root/esc", tarfile.SYMTYPE, T + "/outside"); reg(t, "root/esc/through")
        if k == "symlink-dotdot":
            link(t, "root/etc/up", tarfile.SYMTYPE, "../../../../../../../" + T.lstrip("/") + "/outside")
            reg(t, "root/etc/up/through")
        if k == "absolute": reg(t, T + "/outside/absolute")
        if k == "dotdot": reg(t, "root/../../../../../../" + T.lstrip("/") + "/outside/dotdot")
        if k == "outside-root": reg(t, "elsewhere/file")
        if k == "big":
            # 46 MiB of zeros: a few KiB once compressed.
            i = tarfile.TarInfo("root/big"); i.size = 46 << 20
            class Z(io.RawIOBase):
                left = 46 << 20
                def readinto(self, b):
                    n = min(len(b), self.left); b[:n] = bytes(n); self.left -= n; return n
            t.addfile(i, Z())
        if k == "sparse":
            # A GNU sparse (pax 1.0) member of 1 TiB holding 512 bytes.
            data = b"1\n0\n512\n".ljust(512, b"\0") + b"s" * 512
            i = tarfile.TarInfo("root/GNUSparseFile.0/sparse"); i.size = len(data)
            i.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
                             "GNU.sparse.name": "root/sparse", "GNU.sparse.realsize": str(1 << 40)}
            t.addfile(i, io.BytesIO(data))
        if k == "many":
            for n in range(6000): reg(t, "root/m%d" % n, b"")
EOF
}

META_LAYER="format=1
name=evil
kind=layer
template=bb
backend=overlay
created=1700000000
live=no
"
GOOD_CONF='evil {
	exec.start = "/bin/sh /etc/rc";
	exec.stop = "/bin/sh /etc/rc.shutdown";
	mount.devfs;
	persist;
	path = "/var/lib/brig/jails/evil/root";
}
'

expect_rc 0 $BRIG template create bb --from busybox

# ---- the configuration: host hooks, host mounts, blocks, includes ----
# Every host-side parameter at once, in a jail that starts: on import
# they are dropped (each named with its line), the jail keeps what acts
# inside it, and starting and stopping it runs nothing on the host.
HOOKS_CONF='# an archive that wants to run things on the host
exec.prestart = "touch '$T'/pwned.global";
.include "'$T'/inc.conf";
evil {
	exec.start = "/bin/sh /etc/rc";
	exec.stop = "/bin/sh /etc/rc.shutdown";
	mount.devfs;
	persist;
	host.hostname = "evil.example";
	exec.prepare = "touch '$T'/pwned.prepare";
	exec.prestart = "touch '$T'/pwned.prestart";
	exec.created = "touch '$T'/pwned.created";
	exec.poststart = "touch '$T'/pwned.poststart";
	exec.prestop = "touch '$T'/pwned.prestop";
	exec.poststop = "touch '$T'/pwned.poststop";
	exec.release = "touch '$T'/pwned.release";
	exec.consolelog = "'$T'/pwned.consolelog";
	mount = "'$T'/outside ${path}/mnt nullfs ro";
	.include "'$T'/inc.conf";
	$h = "touch '$T'/pwned.var";
	exec.prepare += "${h}";
	path = "/";
}
* {
	exec.poststart += "touch '$T'/pwned.wildcard";
}
other {
	path = "/";
	persist;
	exec.prestart = "touch '$T'/pwned.other";
}
'
mkarch "$T/hooks.tar" "$META_LAYER" "$HOOKS_CONF"
try $BRIG import "$T/hooks.tar"
if [ $RC = 0 ]; then
	for p in exec.prepare exec.prestart exec.created exec.poststart exec.prestop \
		exec.poststop exec.release exec.consolelog mount; do
		has "brig-export/jail.conf:[0-9]*:[0-9]*: .*$p" "$ERR" "hooks: $p named as dropped"
		grep -q "^[[:space:]]*$p[[:space:]]*[+]*=" "$C/evil.conf" && ko "hooks: $p kept in evil.conf"
	done
	has 'brig-export/jail.conf:2:[0-9]*: .*outside the jail' "$ERR" "hooks: global statement"
	has 'brig-export/jail.conf:3:[0-9]*: .*\.include' "$ERR" "hooks: top-level .include"
	has 'brig-export/jail.conf:19:[0-9]*: .*\.include' "$ERR" "hooks: .include in the block"
	has 'block "\*"' "$ERR" "hooks: wildcard block"
	has 'block "other"' "$ERR" "hooks: other block"
	grep -q 'other\|\*\|include\|pwned' "$C/evil.conf" && ko "hooks: evil.conf still says: $(grep 'other\|\*\|include\|pwned' "$C/evil.conf")"
	grep -q 'host.hostname = "\?evil.example' "$C/evil.conf" || ko "hooks: a parameter acting inside the jail was dropped: $(cat "$C/evil.conf")"
	grep -q "path = \"$S/jails/evil/root\"" "$C/evil.conf" || ko "hooks: path not the store's: $(cat "$C/evil.conf")"
	[ "$(grep -c 'path =' "$C/evil.conf")" = 1 ] || ko "hooks: more than one path"
	try $BRIG config check
	[ $RC = 0 ] || ko "hooks: config check: $ERR"
	try $BRIG ls
	hasnt '^other' "$OUT" "hooks: a jail other appeared"
	try $BRIG start evil
	if [ $RC = 0 ]; then
		try $BRIG exec evil cat /mnt/secret
		[ $RC != 0 ] || ko "hooks: the jail reads the host's files through mount: $OUT"
		try $BRIG stop evil
	else
		ko "hooks: start: $ERR"
	fi
else
	ko "hooks: import refused: $ERR"
fi
host_untouched hooks
gone evil
gone other

# Variables cannot smuggle a widening value into a kept parameter.
mkarch "$T/vars.tar" "$META_LAYER" 'evil {
	persist;
	$x = "inherit";
	host = "${x}";
	ip4 = "inherit";
	sysvshm = "inherit";
	vnet = "${x}";
}
'
try $BRIG import "$T/vars.tar"
if [ $RC = 0 ]; then
	for p in host ip4 sysvshm vnet; do
		has "brig-export/jail.conf:[0-9]*:[0-9]*: .*$p.*inherit" "$ERR" "vars: $p = inherit named"
		grep -q "^[[:space:]]*$p[[:space:]]*=" "$C/evil.conf" && ko "vars: $p kept: $(cat "$C/evil.conf")"
	done
else
	ko "vars: import refused: $ERR"
fi
host_untouched vars
gone evil

# Network identity, devices, privileges and the host's other jails are the
# host's to give: dropped, each named.
mkarch "$T/host.tar" "$META_LAYER" 'evil {
	persist;
	vnet;
	vnet.bridge = "brig0";
	vnet.interface = "eth0";
	interface = "eth0";
	ip4.addr = "10.0.0.1";
	rdr = "tcp 80 80";
	allow.raw_sockets;
	allow.settime;
	allow.mount;
	devfs_ruleset = 0;
	depend = "db";
	exec.system_user = "root";
	exec.system_jail_user;
	mount.fstab = "'$T'/fstab";
	jid = 7;
	ip4.defaultrouter = "10.0.0.254";
}
'
try $BRIG import "$T/host.tar"
if [ $RC = 0 ]; then
	for p in vnet.bridge vnet.interface interface ip4.addr rdr allow.raw_sockets allow.settime \
		allow.mount devfs_ruleset depend exec.system_user exec.system_jail_user mount.fstab jid; do
		has "brig-export/jail.conf:[0-9]*:[0-9]*: .*$p" "$ERR" "host: $p named as dropped"
		grep -q "^[[:space:]]*$p[[:space:];=]" "$C/evil.conf" && ko "host: $p kept"
	done
	grep -q '^[[:space:]]*vnet\( = "\{0,1\}new"\{0,1\}\)\{0,1\};' "$C/evil.conf" || ko "host: vnet (own stack, narrower) dropped: $(cat "$C/evil.conf")"
	grep -q 'ip4.defaultrouter' "$C/evil.conf" || ko "host: ip4.defaultrouter dropped"
else
	ko "host: import refused: $ERR"
fi
host_untouched host
gone evil

# --trust keeps the archive's configuration as it is (and says so).
mkarch "$T/trust.tar" "$META_LAYER" 'evil {
	persist;
	exec.prestart = "touch '$T'/trusted.prestart";
}
'
try $BRIG import "$T/trust.tar" --trust
[ $RC = 0 ] || ko "trust: refused: $ERR"
grep -q 'exec.prestart' "$C/evil.conf" 2>/dev/null || ko "trust: --trust dropped exec.prestart"
gone evil

# A configuration that is not jail.conf, or has no block of the jail.
mkarch "$T/noblock.tar" "$META_LAYER" 'other { persist; }
'
try $BRIG import "$T/noblock.tar"
[ $RC = 1 ] || ko "noblock: accepted"
has 'no block .*evil' "$ERR" "noblock"
nothing_left evil
mkarch "$T/garbage.tar" "$META_LAYER" 'evil { persist; exec.start = "/bin/sh" 
'
try $BRIG import "$T/garbage.tar"
[ $RC = 1 ] || ko "garbage: accepted"
has 'brig-export/jail.conf:[0-9]*:[0-9]*: ' "$ERR" "garbage: file:line:col"
nothing_left evil
host_untouched blocks

# ---- meta: every field is checked before any use ----
meta_case() {	# meta_case FIELD VALUE PATTERN
	m=$(printf '%s' "$META_LAYER" | sed "s|^$1=.*|$1=$2|")
	mkarch "$T/meta.tar" "$m" "$GOOD_CONF"
	try $BRIG import "$T/meta.tar" evil
	[ $RC = 1 ] || ko "meta $1=$2: accepted: $OUT"
	has "$3" "$ERR" "meta $1=$2"
	nothing_left evil
	gone evil
	host_untouched "meta $1"
}
meta_case template ../../../../../../../.. 'template.*invalid\|invalid.*template'
meta_case template ../bb 'template.*invalid\|invalid.*template'
meta_case template nosuch 'template nosuch'
meta_case backend ../../etc 'backend'
meta_case backend zfs 'backend'
meta_case kind ../layer 'kind\|unknown brig export format'
meta_case format 2 'format'
meta_case created '../../x' 'created'
meta_case live '../x' 'live'
m=$(printf '%s' "$META_LAYER" | sed "s|^name=.*|name=../../../../tmp/x|")
mkarch "$T/meta.tar" "$m" "$GOOD_CONF"
try $BRIG import "$T/meta.tar"
[ $RC = 1 ] || ko "meta name: accepted"
has 'name' "$ERR" "meta name"
try $BRIG import "$T/meta.tar" evil
[ $RC = 1 ] || ko "meta name (renamed): accepted"
has 'name' "$ERR" "meta name (renamed)"
nothing_left evil
host_untouched "meta name"

# ---- the tree ----
# Device nodes: dropped unless --devices, and counted.
mkarch "$T/dev.tar" "$META_LAYER" "$GOOD_CONF" devices
try $BRIG import "$T/dev.tar"
if [ $RC = 0 ]; then
	U=$S/jails/evil/upper
	for d in dev/kmsg kvm loop-control sda; do
		[ ! -e "$U/$d" ] || ko "devices: $d kept without --devices"
	done
	[ -p "$U/fifo" ] || ko "devices: a fifo (not a device) dropped"
	[ -c "$U/whiteout" ] || ko "devices: an overlay whiteout (0,0) dropped"
	has '4 device nodes dropped' "$ERR$OUT" "devices: summary"
	has '\-\-devices' "$ERR$OUT" "devices: summary names --devices"
else
	ko "devices: refused: $ERR"
fi
gone evil
try $BRIG import "$T/dev.tar" --devices
[ $RC = 0 ] || ko "devices: --devices refused: $ERR"
[ -c "$S/jails/evil/upper/dev/kmsg" ] || ko "devices: --devices did not keep dev/kmsg"
gone evil
host_untouched devices

# Members that would land outside the jail's tree: refused, nothing left.
tree_case() {	# tree_case KIND PATTERN
	mkarch "$T/tree.tar" "$META_LAYER" "$GOOD_CONF" "$1"
	try $BRIG import "$T/tree.tar"
	[ $RC = 1 ] || ko "tree $1: accepted"
	has "$2" "$ERR" "tree $1"
	nothing_left evil
	gone evil
	host_untouched "tree $1"
}
tree_case hardlink-out 'hard link to .*".."'
tree_case hardlink-abs 'hard link to .*absolute path'
tree_case symlink-escape 'which is a symlink'
tree_case symlink-dotdot 'which is a symlink'
tree_case absolute 'absolute path'
tree_case dotdot '".." component'
tree_case outside-root 'not under root/'

# Truncated: refused, nothing left.
mkarch "$T/whole.tar" "$META_LAYER" "$GOOD_CONF" many
head -c 200000 "$T/whole.tar" >"$T/cut.tar"
try $BRIG import "$T/cut.tar"
[ $RC = 1 ] || ko "truncated: accepted"
has 'truncated' "$ERR" "truncated"
nothing_left evil
host_untouched truncated

# Huge: a store on a small filesystem; an archive with more data, or more
# members, than it has room for is refused before it fills it.
mkdir "$T/small"
mount -t tmpfs -o size=48m,nr_inodes=3000 brig-small "$T/small"
SMALL=$T/small/store
BRIG_STOREDIR=$SMALL $BRIG template create bb --from busybox >/dev/null
mkarch "$T/big.tar" "$META_LAYER" "$GOOD_CONF" big
try env BRIG_STOREDIR=$SMALL $BRIG import "$T/big.tar"
[ $RC = 1 ] || ko "big: accepted"
has 'free space\|room' "$ERR" "big: names the limit"
mkarch "$T/sparse.tar" "$META_LAYER" "$GOOD_CONF" sparse
try env BRIG_STOREDIR=$SMALL $BRIG import "$T/sparse.tar"
[ $RC = 1 ] || ko "sparse: accepted: $(ls -ls "$SMALL/jails/evil/upper/sparse" 2>&1)"
has 'claims .* bytes, more than' "$ERR" "sparse: names the limit"
try env BRIG_STOREDIR=$SMALL $BRIG destroy -f evil
rm -f "$C/evil.conf"
mkarch "$T/many.tar" "$META_LAYER" "$GOOD_CONF" many
try env BRIG_STOREDIR=$SMALL $BRIG import "$T/many.tar"
[ $RC = 1 ] || ko "many: accepted"
has 'inodes\|members' "$ERR" "many: names the limit"
[ ! -e "$SMALL/jails/evil" ] && [ ! -e "$C/evil.conf" ] || ko "huge: left a jail"
[ -z "$(ls -A "$SMALL/tmp")" ] || ko "huge: left in tmp: $(ls -A "$SMALL/tmp")"
umount "$T/small"
host_untouched huge

store_is_clean
checks_done
echo "all hostile archives handled"
