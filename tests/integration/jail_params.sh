# FreeBSD's parameters as Linux can honour them (brig.conf(5), "FreeBSD's
# parameters on Linux"), each observed from inside a jail: the bounding
# set, a bind, the domain name, System V IPC, the host name.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "plain { path = \"$ROOT\"; persist; }
flags { path = \"$ROOT\"; persist; allow.chflags; allow.settime; }
level { path = \"$ROOT\"; persist; allow.chflags; allow.settime; securelevel = 2; }
level1 { path = \"$ROOT\"; persist; allow.chflags; allow.settime; securelevel = 1; }
noports { path = \"$ROOT\"; persist; allow.reserved_ports = 0; }
nosuser { path = \"$ROOT\"; persist; allow.nosuser; }
dom { path = \"$ROOT\"; persist; host.hostname = h; host.domainname = example.org; }
ipc { path = \"$ROOT\"; persist; allow.sysvipc; }
ipcmsg { path = \"$ROOT\"; persist; sysvmsg = inherit; }
basic { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 2; }
fdesc { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 2; mount.fdescfs; }
lin { path = \"$ROOT\"; persist; devfs_ruleset = 2; mount.fstab = \"$T/fstab\", \"\";
      mount.fstab += \"$T/fstab2\"; }
ign { path = \"$ROOT\"; persist; allow.quotas; osrelease = 9.9-RELEASE; children.max = 2;
      enforce_statfs = 0; allow.mount; }"
# FreeBSD's Linux file systems and fdescfs in an fstab, in FreeBSD's order.
mkdir -p "$ROOT/compat/linux/proc" "$ROOT/compat/linux/sys"
cat >"$T/fstab" <<EOT
devfs $ROOT/dev devfs rw 0 0
fdescfs $ROOT/dev/fd fdescfs rw 0 0
linprocfs $ROOT/compat/linux/proc linprocfs rw 0 0
linsysfs $ROOT/compat/linux/sys linsysfs rw 0 0
EOT
# Several mount.fstab files, as jail(8) reads them (an empty one skipped).
mkdir -p "$ROOT/mnt/two"
echo "tmpfs $ROOT/mnt/two tmpfs rw,size=1m 0 0" >"$T/fstab2"

host0=$(hostname)

# What Linux cannot honour: config check warns (conf/check.c, the golden
# case ignored-on-linux), and the jail starts all the same, silently.
expect_rc 0 "$BRIG" config check
expect_grep "ign: allow.quotas: ignored on Linux" "$ERR"
expect_grep "ign: osrelease: ignored on Linux" "$ERR"
expect_rc 0 "$BRIG" start ign
expect_eq "start's messages" "" "$ERR"
expect_rc 0 "$BRIG" stop ign

# has_cap JAIL CAP: 0 if CAP is in the bounding set of the jail's init.
has_cap() {
	expect_rc 0 "$BRIG" exec "$1" sh -c 'grep CapBnd: /proc/1/status'
	bnd=$(printf '%s\n' "$OUT" | sed -n 's/^CapBnd:\t*//p')
	[ $(((0x$bnd >> $2) & 1)) = 1 ]
}

for j in plain flags level level1 noports nosuser dom basic fdesc lin; do
	expect_rc 0 "$BRIG" start "$j"
	remember_cgroups "$j"
done

# allow.chflags: CAP_LINUX_IMMUTABLE (9); securelevel >= 1 takes it away,
# securelevel >= 2 the clock (CAP_SYS_TIME, 25) too.
has_cap plain 9 && fail "plain: CAP_LINUX_IMMUTABLE without allow.chflags"
has_cap flags 9 || fail "flags: allow.chflags without CAP_LINUX_IMMUTABLE"
has_cap flags 25 || fail "flags: allow.settime without CAP_SYS_TIME"
has_cap level1 9 && fail "level1: CAP_LINUX_IMMUTABLE at securelevel 1"
has_cap level1 25 || fail "level1: no CAP_SYS_TIME at securelevel 1"
has_cap level 9 && fail "level: CAP_LINUX_IMMUTABLE at securelevel 2"
has_cap level 25 && fail "level: CAP_SYS_TIME at securelevel 2"

# allow.reserved_ports = 0: root in the jail cannot bind port 80
# (CAP_NET_BIND_SERVICE, 10); by default it can.
has_cap plain 10 || fail "plain: no CAP_NET_BIND_SERVICE"
has_cap noports 10 && fail "noports: CAP_NET_BIND_SERVICE with allow.reserved_ports = 0"
mkdir -p "$ROOT/www"
expect_rc 0 "$BRIG" exec plain httpd -p 80 -h /www
expect_rc 0 "$BRIG" exec noports sh -c 'httpd -f -p 80 -h /www 2>&1; echo rc=$?'
expect_grep "ermission denied" "$OUT"

# allow.nosuser: root in the jail holds no capability at all.
expect_rc 0 "$BRIG" exec nosuser sh -c 'grep CapBnd: /proc/1/status'
expect_grep "CapBnd:.*0000000000000000" "$OUT"
expect_rc 0 "$BRIG" exec nosuser sh -c 'touch /tmp/own; chown nobody /tmp/own 2>&1; echo rc=$?'
expect_grep "not permitted" "$OUT"

# host.domainname: its UTS namespace's domain name.
expect_rc 0 "$BRIG" exec dom cat /proc/sys/kernel/domainname
expect_eq "domain name" "example.org" "$OUT"
expect_rc 0 "$BRIG" exec plain cat /proc/sys/kernel/domainname
[ "$OUT" = example.org ] && fail "plain: the other jail's domain name"

# allow.set_hostname: a userns jail may set its own host name; a plain
# jail may not (sethostname needs CAP_SYS_ADMIN, config check warns).
if [ -n "${BRIG_TEST_USERNS:-}" ]; then
	expect_rc 0 "$BRIG" exec dom hostname other
	expect_rc 0 "$BRIG" exec dom hostname
	expect_eq "host name set in the jail" other "$OUT"
else
	expect_rc 0 "$BRIG" exec dom sh -c 'hostname other 2>&1; echo rc=$?'
	expect_grep "not permitted" "$OUT"
fi

# allow.sysvipc, or any sysv* = inherit: the System V IPC of the host
# (here: of a namespace of the test's own, where a segment is made);
# without, an IPC namespace of the jail's own, which does not see it.
BRIG=$BRIG unshare --ipc sh -c '
	set -e
	id=$(ipcmk -M 4096 | sed -n "s/.*id: *//p")
	"$BRIG" start ipc >/dev/null
	"$BRIG" start ipcmsg >/dev/null
	for j in ipc ipcmsg plain; do
		echo "$j: $("$BRIG" exec $j cat /proc/sysvipc/shm | awk "NR > 1 { print \$2 }")"
	done
	"$BRIG" stop ipc >/dev/null
	"$BRIG" stop ipcmsg >/dev/null
	echo "made: $id"
' >"$T/ipc.out" 2>&1 || fail "ipc: $(cat "$T/ipc.out")"
id=$(sed -n 's/^made: //p' "$T/ipc.out")
[ -n "$id" ] || fail "ipc: no segment made: $(cat "$T/ipc.out")"
expect_grep "^ipc: $id\$" "$(cat "$T/ipc.out")"
expect_grep "^ipcmsg: $id\$" "$(cat "$T/ipc.out")"
expect_grep "^plain: \$" "$(cat "$T/ipc.out")"

expect_eq "the host's name" "$host0" "$(hostname)"

# mount.fdescfs, or an fstab's fdescfs at /dev/fd: /dev/fd is the link to
# /proc/self/fd (Linux's fdescfs) even where the ruleset gives no login
# set; linprocfs and linsysfs are proc and a read-only sysfs.
expect_rc 0 "$BRIG" exec basic sh -c 'ls /dev/fd/ 2>&1; echo rc=$?'
expect_grep "rc=1" "$OUT"
for j in fdesc lin; do
	expect_rc 0 "$BRIG" exec $j readlink /dev/fd
	expect_eq "$j: /dev/fd" /proc/self/fd "$OUT"
	expect_rc 0 "$BRIG" exec $j sh -c 'exec 3>/tmp/fd3; echo x >/dev/fd/3; cat /tmp/fd3'
	expect_eq "$j: written through /dev/fd/3" x "$OUT"
	expect_rc 0 "$BRIG" exec $j sh -c 'ls /dev/ptmx 2>&1; echo rc=$?'
	expect_grep "rc=1" "$OUT"
done
expect_rc 0 "$BRIG" exec lin sh -c 'grep ^Pid: /compat/linux/proc/1/status'
expect_eq "linprocfs: the jail's init" "Pid:	1" "$OUT"
expect_rc 0 "$BRIG" exec lin sh -c 'ls /compat/linux/sys/kernel >/dev/null; touch /compat/linux/sys/x 2>&1; echo rc=$?'
expect_grep "Read-only file system" "$OUT"
expect_rc 0 "$BRIG" exec lin sh -c 'grep " /mnt/two " /proc/mounts'
expect_grep " /mnt/two tmpfs .*size=1024k" "$OUT"
expect_rc 0 "$BRIG" stop --all
assert_clean
