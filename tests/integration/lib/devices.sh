# Sourced by jail_devices*.sh (after common.sh and jail.sh): what device
# nodes a jail can open. Only those of its own /dev (mount.devfs, as its
# devfs_ruleset says), through the cgroup device allow-list (v1 devices
# controller or a v2 BPF program) and nodev on every other mount.

MARK="brig-devices-$$-$(date +%s%N)"

# Nodes a hostile template or archive could ship: the host's kernel log,
# kvm, loop-control, and an allowed device (null) outside brig's /dev.
mkdir -p "$ROOT/evil"
mknod "$ROOT/evil/kmsg" c 1 11
mknod "$ROOT/evil/kvm" c 10 232
mknod "$ROOT/evil/loop-control" c 10 237
mknod "$ROOT/evil/null" c 1 3
mknod "$ROOT/dev/kmsg" c 1 11
mknod "$ROOT/dev/null" c 1 3
chmod 0666 "$ROOT/evil/"* "$ROOT/dev/"*

conf "d { path = \"$ROOT\"; persist; mount.devfs; }
nodevfs { path = \"$ROOT\"; persist; }
hide { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 1; }
basic { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 2; }
login { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 3; }
custom { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 7; }"
expect_rc 0 "$BRIG" start d nodevfs hide basic login
for j in d nodevfs hide basic login; do remember_cgroups "$j"; done

# refused JAIL NODE [REDIR]: opening NODE (read-write, or with REDIR:
# ">" for write only) fails with EPERM (the allow-list) or EACCES (nodev),
# not with ENXIO/ENODEV (opened, no driver) and not at all.
refused() {
	expect_rc 0 "$BRIG" exec "$1" sh -c "(exec 3${3:-<>}$2) 2>&1 && echo OPENED; true"
	case "$OUT" in
	*OPENED*) fail "$1: $2 opened in the jail" ;;
	*"Permission denied"* | *"not permitted"*) ;;
	*) fail "$1: $2: not refused as expected: $OUT" ;;
	esac
}

# The shipped nodes: nodev (and for kmsg/kvm/loop-control the allow-list).
# (kmsg write-only: reading it needs CAP_SYSLOG, which no jail has.)
refused d /evil/kmsg ">"
for n in kvm loop-control null; do
	refused d /evil/$n
done
refused nodevfs /dev/kmsg ">"
refused nodevfs /dev/null
# Writing the host's kernel log: refused, and the host's log unchanged.
expect_rc 0 "$BRIG" exec d sh -c "(echo $MARK >/evil/kmsg) 2>&1; true"
expect_rc 0 "$BRIG" exec nodevfs sh -c "(echo $MARK >/dev/kmsg) 2>&1; true"
if dmesg 2>/dev/null | grep -q "$MARK"; then
	fail "a jail wrote into the host's kernel log"
fi

# Nodes that appear in the jail's own /dev (not nodev) after start (the
# jail itself may not mknod: no CAP_MKNOD; a host process may): only the
# allow-list stands between them and the jail.
# (A userns jail's /dev is a tmpfs of its own user namespace: the kernel
# opens no node there at all, and the host cannot even make one in it —
# its root is not mapped: EOVERFLOW. Only its bind-mounted nodes open.)
if [ -z "${BRIG_TEST_USERNS:-}" ]; then
	ipid=$(jstate "$BRIG_RUNDIR/d/state" init)
	mknod "/proc/$ipid/root/dev/kmsg" c 1 11
	mknod "/proc/$ipid/root/dev/kvm" c 10 232
	mknod "/proc/$ipid/root/dev/loop-control" c 10 237
	mknod "/proc/$ipid/root/dev/sda" b 8 0
	chmod 0666 "/proc/$ipid/root/dev/kmsg" "/proc/$ipid/root/dev/kvm" \
		"/proc/$ipid/root/dev/loop-control" "/proc/$ipid/root/dev/sda"
	refused d /dev/kmsg ">"
	for n in kvm loop-control sda; do
		refused d /dev/$n
	done
	expect_rc 0 "$BRIG" exec d sh -c "(echo $MARK >/dev/kmsg) 2>&1; true"
	if dmesg 2>/dev/null | grep -q "$MARK"; then
		fail "a jail wrote into the host's kernel log"
	fi
fi
# mknod in the jail: refused (no CAP_MKNOD).
expect_rc 0 "$BRIG" exec d sh -c '(mknod /tmp/k c 1 11) 2>&1; (mknod /dev/k c 1 11) 2>&1; true'
expect_grep "not permitted" "$OUT"
[ ! -e "$ROOT/tmp/k" ] || fail "mknod in the jail made /tmp/k"

# The allowed set still works.
expect_rc 0 "$BRIG" exec d sh -c 'echo x >/dev/null && head -c 4 /dev/zero | wc -c &&
	head -c 4 /dev/urandom | wc -c && head -c 4 /dev/random | wc -c &&
	(echo x >/dev/full) 2>&1; ls /dev; true'
expect_eq "null, zero, urandom, random" "4
4
4" "$(printf '%s\n' "$OUT" | head -3)"
expect_grep "No space left" "$OUT"
# A terminal: the console's pty of the jail's devpts, /dev/tty, /dev/ptmx.
if command -v script >/dev/null; then
	export BRIG
	(sleep 1; printf '(exec 3<>/dev/tty) && echo tty-ok; (exec 3<>/dev/ptmx) && echo ptmx-ok; (exec 3<>$(tty)) && echo pts-ok; exit\n') |
		timeout 30 script -qec '"$BRIG" console d' /dev/null >"$T/out" 2>&1 || fail "console d: $(cat "$T/out")"
	for w in tty-ok ptmx-ok pts-ok; do
		tr -d '\r' <"$T/out" | grep -qx "$w" || fail "console: no $w: $(cat "$T/out")"
	done
fi

# devfs_ruleset: 1 hides everything, 2 the basic nodes, 3 the login ones;
# a node brought in anyway stays refused.
for j in hide basic login; do
	ipid=$(jstate "$BRIG_RUNDIR/$j/state" init)
	expect_rc 0 "$BRIG" exec $j ls /dev
	echo "$j: $(echo $OUT)"
	case $j in
	hide) expect_eq "ruleset 1: /dev" "shm" "$(echo $OUT)" ;;
	basic) expect_eq "ruleset 2: /dev" "full null random shm urandom zero" "$(echo $OUT)" ;;
	login) expect_eq "ruleset 3: /dev" "fd ptmx pts shm stderr stdin stdout tty" "$(echo $OUT)" ;;
	esac
	[ -n "${BRIG_TEST_USERNS:-}" ] || [ $j = basic ] || { mknod "/proc/$ipid/root/dev/null" c 1 3; chmod 0666 "/proc/$ipid/root/dev/null"; refused $j /dev/null; }
	[ -n "${BRIG_TEST_USERNS:-}" ] || [ $j = login ] || { mknod "/proc/$ipid/root/dev/tty" c 5 0; chmod 0666 "/proc/$ipid/root/dev/tty"; refused $j /dev/tty; }
done
expect_rc 1 "$BRIG" start custom
expect_grep "devfs_ruleset" "$ERR"
expect_grep "jail.conf:6:.*7" "$ERR"
echo "$ERR"
[ ! -e "$BRIG_RUNDIR/custom" ] || fail "a refused start left $BRIG_RUNDIR/custom"

expect_rc 0 "$BRIG" stop --all
assert_clean
