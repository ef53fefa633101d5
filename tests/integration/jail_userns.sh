# Unprivileged jails (userns): the jail's root is an unprivileged host uid
# (its init's /proc/PID/status), yet inside it may set its hostname, add
# addresses and routes on its own VNET interface, mount tmpfs and proc, use
# its /dev; none of that reaches the host, and the same ids on the host can
# do none of it. exec, console and hooks run as the jail's root; ranges
# come from subuid/subgid, one per running jail; thin and thick store
# jails keep the jail's own ids on disk (0 for its root), so export and
# import need no shifting.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/store.sh

# brig's subordinate ranges (as /etc/subuid and /etc/subgid would give
# them): 10 slots of 65536 each.
printf 'someone:5000000:65536\nroot:1000000:655360\n' >"$T/subuid"
printf 'root:2000000:655360\n' >"$T/subgid"
export BRIG_SUBUID="$T/subuid" BRIG_SUBGID="$T/subgid"

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 { ip4.addr = "10.77.0.1/24"; }
EOF
conf "u {
	path = \"$ROOT\"; persist; mount.devfs;
	userns.map = \"200000:300000:65536\";
	vnet; vnet.interface = \"epair_ub\"; vnet.bridge = \"bridge0\";
	ip4.addr = \"10.77.0.2/24\";
	exec.start = \"/bin/sh -c 'id -u > /tmp/start-uid; touch /tmp/by-start'\";
	exec.poststart = \"/bin/sh -c 'stat -c %u $ROOT/tmp/by-start > $T/host-view'\";
}
a { path = \"$ROOT\"; persist; userns; }
b { path = \"$ROOT\"; persist; userns; }
shared { path = \"$ROOT\"; persist; userns; ip4 = inherit; }"
host0=$(hostname)
hostaddrs0=$(ip -o addr | sort)

expect_rc 0 "$BRIG" start u
remember_cgroups u
pid=$(jstate "$BRIG_RUNDIR/u/state" init)
expect_eq "state" "userns 200000 300000 65536" "userns $(jstate "$BRIG_RUNDIR/u/state" userns)"

# The jail's init is an unprivileged host user: the map's first ids.
expect_eq "init's uids on the host" "Uid:	200000	200000	200000	200000" "$(grep '^Uid:' /proc/$pid/status)"
expect_eq "init's gids on the host" "Gid:	300000	300000	300000	300000" "$(grep '^Gid:' /proc/$pid/status)"
# exec.start ran as the jail's root; the file it made is the jail's root's
# on disk too (the jail sees its root through an idmapped mount).
expect_eq "exec.start uid" 0 "$(cat "$ROOT/tmp/start-uid")"
expect_eq "host's view of a file the jail made" 0 "$(cat "$T/host-view")"

# exec: root in the jail, 200000 on the host.
expect_rc 0 "$BRIG" exec u id -u
expect_eq "exec uid" 0 "$OUT"
expect_rc 0 "$BRIG" exec u cat /proc/self/uid_map
expect_eq "uid_map" "0 200000 65536" "$(echo $OUT)"
"$BRIG" exec u sleep 60 &
execpid=$!
tries=0
sleeper=""
while [ -z "$sleeper" ] && [ $tries -lt 50 ]; do
	for p in $(cat /sys/fs/cgroup/pids/brig.*/u/cgroup.procs /sys/fs/cgroup/brig.*/u/cgroup.procs 2>/dev/null); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && sleeper=$p
	done
	tries=$((tries + 1))
	sleep 0.1
done
[ -n "$sleeper" ] || fail "the exec'd sleep never showed up in the jail's cgroup"
expect_eq "exec'd process's uids on the host" "Uid:	200000	200000	200000	200000" "$(grep '^Uid:' /proc/$sleeper/status)"
kill "$sleeper"
wait "$execpid" || true

# Its hostname: set inside, the host's unchanged.
expect_rc 0 "$BRIG" exec u hostname inside-name
expect_rc 0 "$BRIG" exec u hostname
expect_eq "hostname inside" inside-name "$OUT"
expect_eq "the host's hostname" "$host0" "$(hostname)"

# Its network: an address and a route on its own VNET interface.
expect_rc 0 "$BRIG" exec u ip addr add 10.77.0.50/24 dev epair_ub
expect_rc 0 "$BRIG" exec u ip route add 10.99.0.0/16 via 10.77.0.1
expect_rc 0 "$BRIG" exec u ip -o addr show dev epair_ub
expect_grep "10.77.0.50/24" "$OUT"
expect_rc 0 "$BRIG" exec u ip route
expect_grep "10.99.0.0/16 via 10.77.0.1" "$OUT"
# The host's interfaces and addresses are as they were (the host end of
# the epair and bridge0 are brig's, made at start).
ip -o addr | grep -q 10.77.0.50 && fail "the jail's address appeared on the host"
ip route | grep -q 10.99.0.0 && fail "the jail's route appeared on the host"

# The same ids on the host can do neither: the jail's root is nobody there.
if setpriv --reuid=200000 --regid=300000 --clear-groups ip addr add 10.77.0.60/24 dev bridge0 2>/dev/null; then
	fail "host uid 200000 added an address on the host"
fi
if setpriv --reuid=200000 --regid=300000 --clear-groups hostname hijacked 2>/dev/null; then
	fail "host uid 200000 set the host's hostname"
fi
expect_eq "the host's hostname" "$host0" "$(hostname)"

# Mounts of its own: tmpfs and proc (the host's mount table unchanged:
# assert_clean below compares it).
expect_rc 0 "$BRIG" exec u sh -c 'mount -t tmpfs t /tmp && mkdir /tmp/p && mount -t proc proc /tmp/p && test -r /tmp/p/1/status && echo mounted'
expect_eq "mounts inside" mounted "$OUT"
# But not the host's: even with brig's read-only /proc/sys taken away
# (the jail may unmount what was mounted in its user namespace), the
# kernel refuses the host's sysctls to it.
expect_rc 0 "$BRIG" exec u sh -c 'umount /proc/sys; if echo 1 > /proc/sys/kernel/sysrq; then echo wrote; else echo refused; fi'
expect_eq "host sysctl from the jail" refused "$OUT"

# Its /dev: brig's nodes (bind mounts of the host's) work.
expect_rc 0 "$BRIG" exec u sh -c 'echo x > /dev/null && head -c 4 /dev/urandom | wc -c'
expect_eq "/dev/urandom" 4 "$(echo $OUT)"
expect_rc 1 "$BRIG" exec u mknod /tmp/kmsg c 1 11

# A console: a login shell as the jail's root on the jail's pty.
if command -v script >/dev/null; then
	export BRIG
	(sleep 1; printf 'id -u; exit 0\n') |
		timeout 30 script -qec '"$BRIG" console u' /dev/null >"$T/out" 2>&1 || fail "console: $(cat "$T/out")"
	tr -d '\r' <"$T/out" | grep -qx 0 || fail "console not root: $(cat "$T/out")"
fi
expect_rc 0 "$BRIG" stop u
# Files the jail made keep the jail's ids on disk.
expect_eq "owner on disk" 0 "$(stat -c %u "$ROOT/tmp/by-start")"
rm -f "$ROOT/tmp/by-start" "$ROOT/tmp/start-uid"

# Automatic ranges: root's lines of the subuid/subgid files, 65536 each,
# one per running jail, the same again on the next start.
expect_rc 0 "$BRIG" start a b
remember_cgroups a
remember_cgroups b
ra=$(jstate "$BRIG_RUNDIR/a/state" userns)
rb=$(jstate "$BRIG_RUNDIR/b/state" userns)
[ "$ra" != "$rb" ] || fail "a and b share the range $ra"
for r in "$ra" "$rb"; do
	set -- $r
	[ "$3" = 65536 ] || fail "range $r: not 65536 ids"
	[ "$1" -ge 1000000 ] && [ "$1" -lt 1655360 ] && [ $(($1 % 65536)) = $((1000000 % 65536)) ] ||
		fail "uid range $r not a slot of root's subuid range"
	[ "$2" -ge 2000000 ] && [ "$2" -lt 2655360 ] || fail "gid range $r not in root's subgid range"
done
pa=$(jstate "$BRIG_RUNDIR/a/state" init)
expect_eq "a's init uid" "$(set -- $ra; echo $1)" "$(awk '/^Uid:/ {print $2}' /proc/$pa/status)"
# The ranges taken are marked in the run directory (core/jid.c), so that
# a start reads no other jail's state to choose its own.
[ -e "$BRIG_RUNDIR/.jid/u$(echo $ra | tr ' ' .).a" ] || fail "no marker of a's range: $(ls -a "$BRIG_RUNDIR/.jid")"
[ -e "$BRIG_RUNDIR/.jid/u$(echo $rb | tr ' ' .).b" ] || fail "no marker of b's range: $(ls -a "$BRIG_RUNDIR/.jid")"
expect_rc 0 "$BRIG" stop a
[ ! -e "$BRIG_RUNDIR/.jid/u$(echo $ra | tr ' ' .).a" ] || fail "a's range still marked after its stop"
expect_rc 0 "$BRIG" start a
expect_eq "a's range on restart" "$ra" "$(jstate "$BRIG_RUNDIR/a/state" userns)"
expect_rc 0 "$BRIG" stop a b
# One slot: the second jail finds it taken.
printf 'root:1000000:65536\n' >"$T/subuid"
expect_rc 0 "$BRIG" start a
remember_cgroups a
expect_rc 1 "$BRIG" start b
expect_grep "userns: all 1 ranges of 65536 ids of root in $T/subuid are in use by running jails" "$ERR"
expect_rc 0 "$BRIG" stop a
# No range left: a clear error, nothing left behind.
printf 'root:1000000:1000\n' >"$T/subuid"
expect_rc 1 "$BRIG" start a
expect_grep "a: start: userns: no range of 65536 ids for brig or root in $T/subuid" "$ERR"
# A map that would make the host's root the jail's is refused; so is a
# userns jail on the host's network.
conf "r { path = \"$ROOT\"; persist; userns.map = \"0:65536\"; }
bad { path = \"$ROOT\"; persist; userns.map = \"1:2:3:4\"; }
shared { path = \"$ROOT\"; persist; userns; ip4 = inherit; }"
expect_rc 1 "$BRIG" start r
expect_grep 'userns.map: "0:65536": host id 0 (root) would be root in the jail' "$ERR"
expect_rc 1 "$BRIG" start bad
expect_grep 'bad: start: userns.map: "1:2:3:4": not auto, HOSTID:COUNT or HOSTUID:HOSTGID:COUNT' "$ERR"
expect_rc 1 "$BRIG" start shared
expect_grep 'userns: needs a network of its own' "$ERR"
assert_clean

# Store jails, thin and thick: the template is shared unchanged, files
# keep the jail's ids on disk, export and import carry them as they are.
printf 'root:1000000:655360\n' >"$T/subuid"
S=$BRIG_STOREDIR
expect_rc 0 "$BRIG" template create bb --from busybox
tmpl_owner0=$(stat -c %u:%g "$S/templates/bb/root/bin/busybox")
expect_rc 0 "$BRIG" create thin -t bb userns persist
expect_rc 0 "$BRIG" create thick -t bb --thick userns persist
for j in thin thick; do
	expect_rc 0 "$BRIG" start $j
	remember_cgroups $j
	expect_rc 0 "$BRIG" exec $j sh -c 'stat -c %u:%g /bin/busybox; echo data > /root/made; chown 1000:1000 /root/made; mkdir /root/d; stat -c %u /root/d'
	expect_eq "$j: template as the jail sees it, and its own dir" "0:0
0" "$OUT"
	# The host sees a thin jail's root (an overlay on the host) with the
	# jail's host ids, a thick one's as stored (the jail's own root is an
	# idmapped copy attached only in the jail's mount namespace).
	first=$(jstate "$BRIG_RUNDIR/$j/state" userns | cut -d" " -f1)
	[ $j = thin ] || first=0
	expect_eq "$j: host's view of its root" "$first" "$(stat -c %u "$S/jails/$j/root/bin/busybox")"
	expect_rc 0 "$BRIG" stop $j
done
expect_eq "the template, unchanged" "$tmpl_owner0" "$(stat -c %u:%g "$S/templates/bb/root/bin/busybox")"
expect_eq "thin: the jail's layer on disk" "1000:1000" "$(stat -c %u:%g "$S/jails/thin/upper/root/made")"
expect_eq "thin: its dir on disk" "0" "$(stat -c %u "$S/jails/thin/upper/root/d")"
expect_eq "thick: its root on disk" "1000:1000" "$(stat -c %u:%g "$S/jails/thick/root/root/made")"
for j in thin thick; do
	expect_rc 0 "$BRIG" export $j "$T/$j.tzst"
	zstd -dc "$T/$j.tzst" | tar -tv --numeric-owner >"$T/$j.list"
	grep ' 1000/1000 .* root/root/made$' "$T/$j.list" >/dev/null || fail "$j: export: $(grep made "$T/$j.list")"
	grep ' 0/0 .* root/root/d/$' "$T/$j.list" >/dev/null || fail "$j: export: $(grep 'root/d' "$T/$j.list")"
	expect_rc 0 "$BRIG" import "$T/$j.tzst" $j-copy
	expect_rc 0 "$BRIG" start $j-copy
	remember_cgroups $j-copy
	expect_rc 0 "$BRIG" exec $j-copy stat -c %u:%g /root/made
	expect_eq "$j-copy: imported ids as the jail sees them" "1000:1000" "$OUT"
	expect_rc 0 "$BRIG" stop $j-copy
done
# A running thin jail's full export: the jail's ids, not the host's view.
expect_rc 0 "$BRIG" start thin
expect_rc 0 "$BRIG" export thin "$T/thin-full.tzst" --full --live
zstd -dc "$T/thin-full.tzst" | tar -tv --numeric-owner >"$T/thin-full.list"
grep ' 0/0 .* root/bin/busybox$' "$T/thin-full.list" >/dev/null ||
	fail "full export of a running userns jail: $(grep bin/busybox "$T/thin-full.list")"
expect_rc 0 "$BRIG" stop thin
for j in thin thick thin-copy thick-copy; do
	expect_rc 0 "$BRIG" destroy $j
done
assert_clean
