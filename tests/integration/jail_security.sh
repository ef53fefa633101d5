# What root inside a jail may not do: capabilities, the seccomp filter,
# /proc/1/exe, read-only /proc/sys; what an entered process holds.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "j { path = \"$ROOT\"; persist; mount.devfs; }
raw { path = \"$ROOT\"; persist; allow.raw_sockets; }"
expect_rc 0 "$BRIG" start j
remember_cgroups j

# refused CMD...: must fail with "Operation not permitted" / "permission
# denied" / "Read-only file system" (busybox date reports it but exits 0: the message is the test).
refused() {
	expect_rc 0 "$BRIG" exec j sh -c "{ $*; } 2>&1; echo rc=\$?"
	printf '%s\n' "$OUT" | grep -qiE "not permitted|permission denied|are you root|read-only file system" ||
		fail "$*: not refused as expected: $OUT"
}
echo x >"$ROOT/tmp/m.ko"
if [ -n "${BRIG_TEST_USERNS:-}" ]; then
	# A userns jail's root holds CAP_SYS_ADMIN and CAP_NET_ADMIN over its
	# own namespaces only (doc/SECURITY.md): these work there and reach
	# nothing of the host (jail_userns checks the host side).
	mkdir -p "$ROOT/mnt"
	for c in 'mount -t tmpfs x /mnt' 'unshare -U true' 'unshare -n true'; do
		expect_rc 0 "$BRIG" exec j sh -c "$c"
	done
	user_caps=" 12 21 "	# NET_ADMIN SYS_ADMIN: the jail's own namespaces'
else
	refused mount -t tmpfs x /mnt
	refused umount /proc
	refused unshare -U true
	refused unshare -n true
	user_caps=
fi
refused nsenter -t 1 -m true
refused pivot_root /tmp /tmp
refused insmod /tmp/m.ko
refused swapon /tmp/m.ko
refused date -s 2000-01-01
refused mknod /tmp/sda b 8 0
refused dmesg
refused ping -c 1 127.0.0.1
refused 'echo x >> /proc/1/exe'
refused 'echo core >/proc/sys/kernel/core_pattern'
[ -e /proc/sysrq-trigger ] && refused 'echo x >/proc/sysrq-trigger'
expect_rc 0 "$BRIG" exec j sh -c 'readlink /proc/1/exe; echo rc=$?'
expect_grep "rc=1" "$OUT"

# The bounding set of every process, init included: no dangerous bit.
for pid in self 1; do
	expect_rc 0 "$BRIG" exec j sh -c "grep -E 'CapBnd|CapEff|CapAmb|CapInh|Seccomp:' /proc/$pid/status"
	bnd=$(printf '%s\n' "$OUT" | sed -n 's/^CapBnd:\t*//p')
	for cap in 12 13 16 17 19 21 22 25 27; do	# NET_ADMIN NET_RAW SYS_MODULE SYS_RAWIO
		# SYS_PTRACE SYS_ADMIN SYS_BOOT SYS_TIME MKNOD
		case "$user_caps" in *" $cap "*) continue ;; esac
		[ $(((0x$bnd >> cap) & 1)) = 0 ] || fail "/proc/$pid: capability $cap in the bounding set $bnd"
	done
	expect_grep "Seccomp:.*2" "$OUT"
done
expect_grep "CapAmb:.*0000000000000000" "$OUT"

# The init leads a session of its own: no terminal, no process group of
# the brig that started it.
ipid=$(jstate "$BRIG_RUNDIR/j/state" init)
expect_eq "init's session" "$ipid" "$(awk '{ sub(/.*\) /, ""); print $4 }' "/proc/$ipid/stat")"

# An entered process: only stdio open, in the jail's cgroups.
expect_rc 0 "$BRIG" exec j sh -c 'ls /proc/$$/fd; true'
expect_eq "open descriptors" "0
1
2" "$OUT"
# The init is in every cgroup of the jail (it joins them itself, in its
# first instructions: sys/cgroup.h).
for d in $(jstate "$BRIG_RUNDIR/j/state" obj cgroup); do
	grep -qx "$ipid" "$d/cgroup.procs" || fail "$d: the init ($ipid) is not in it"
done
"$BRIG" exec j sleep 3 &
sleep 0.5
for d in $(jstate "$BRIG_RUNDIR/j/state" obj cgroup); do
	[ "$(wc -l <"$d/cgroup.procs")" -ge 2 ] || fail "$d: the entered process is not in it"
done
wait

# allow.raw_sockets gives CAP_NET_RAW, and ping works on the jail's lo.
expect_rc 0 "$BRIG" start raw
remember_cgroups raw
expect_rc 0 "$BRIG" exec raw ping -c 1 127.0.0.1
expect_rc 0 "$BRIG" exec raw sh -c 'grep CapBnd /proc/self/status'
bnd=$(printf '%s\n' "$OUT" | sed -n 's/^CapBnd:\t*//p')
[ $(((0x$bnd >> 13) & 1)) = 1 ] || fail "allow.raw_sockets: no CAP_NET_RAW in $bnd"

expect_rc 0 "$BRIG" stop --all
assert_clean
