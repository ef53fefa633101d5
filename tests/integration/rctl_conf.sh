# rctl.conf beside jail.conf: its rules reach their jails (after the
# jails' own), its errors are FILE:LINE:COL before anything starts; and
# the resources rctl_limits.sh leaves out: swapuse, cpuset, the io rates
# on the block device of the jail's root (an ext4 on a loop device), a
# log rule's line when the jail stops.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# ---- bad rules: every error at its place, nothing started
conf "web { path = \"$ROOT\"; persist; rctl = \"memoryuse:deny=1g\"; }"
mkdir -p "$BRIG_CONFDIR/rctl.conf.d"
printf '# limits\njail:web:memoryuse:deny=64m\n  jail:web:maxproc:deny=50 # tasks\n' >"$BRIG_CONFDIR/rctl.conf"
printf 'jail:nosuch:nthr:deny=3\njail:web:memoryus:deny=3\njail:web:pcpu:deny=12q\nuser:1000:maxproc:deny=1\njail:web:wallclock:deny=5\n' \
	>"$BRIG_CONFDIR/rctl.conf.d/bad.conf"
expect_rc 1 "$BRIG" config check
d=$BRIG_CONFDIR/rctl.conf.d/bad.conf
expect_eq "config check of bad rules" "$d:2:10: error: unknown resource \"memoryus\" (did you mean \"memoryuse\"?)
$d:3:20: error: pcpu: bad amount \"12q\" (a number, with k, m, g, t, p or e for powers of 1024)
$d:4:1: error: subject \"user\": brig limits jails only (jail:NAME:...)
$d:5:10: error: wallclock: refused on Linux: Linux has no limit on a process's wall-clock time, and brig keeps no process to watch one
$d:1:6: error: jail \"nosuch\": not defined (rctl rule nthr:deny=3)" "$ERR"
expect_rc 1 "$BRIG" start web
[ ! -e "$BRIG_RUNDIR/web" ] || fail "a start with bad rules made $BRIG_RUNDIR/web"
rm "$d"

# ---- good rules: rctl.conf's replace the jail's own for the same
# resource and action, and add to them
expect_rc 0 "$BRIG" config show --json web
expect_grep '"rctl":\["memoryuse:deny=67108864","maxproc:deny=50"\]' "$(printf '%s' "$OUT" | tr -d ' \n')"
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_eq "web's pids.max (rctl.conf)" 50 "$(cat "$(cgfile web pids.max)")"
# brig reload: changed rules reach the running jail live, no restart.
init=$(jstate "$BRIG_RUNDIR/web/state" init)
printf 'jail:web:maxproc:deny=60\n' >"$BRIG_CONFDIR/rctl.conf"
expect_rc 0 "$BRIG" reload
expect_eq "web's pids.max after reload" 60 "$(cat "$(cgfile web pids.max)")"
expect_eq "web's init after reload (not restarted)" "$init" "$(jstate "$BRIG_RUNDIR/web/state" init)"
expect_rc 0 "$BRIG" stop web
rm "$BRIG_CONFDIR/rctl.conf"

# ---- swapuse (v1: memory and swap together), cpuset, log
cpus=$(cat /sys/fs/cgroup/cpuset/cpuset.cpus 2>/dev/null || cat /sys/fs/cgroup/cpuset.cpus.effective 2>/dev/null || echo 0)
first=${cpus%%[-,]*}
conf "mem { path = \"$ROOT\"; persist; mount.devfs; cpuset = \"$first\";
	rctl = \"memoryuse:deny=64m\", \"swapuse:deny=0\", \"memoryuse:log=8m\"; }"
expect_rc 0 "$BRIG" start mem
remember_cgroups mem
if sw=$(cgfile mem memory.memsw.limit_in_bytes); then
	expect_eq "mem's memory+swap (v1)" 67108864 "$(cat "$sw")"
elif sw=$(cgfile mem memory.swap.max); then
	expect_eq "mem's swap.max" 0 "$(cat "$sw")"
fi
expect_eq "mem's cpuset" "$first" "$(cat "$(cgfile mem cpuset.cpus)")"
expect_rc 0 "$BRIG" exec mem sh -c 'grep Cpus_allowed_list /proc/self/status'
expect_eq "an entered process's CPUs" "Cpus_allowed_list:	$first" "$OUT"
# Past the log amount (16 MiB of dd's buffer, under the deny): too
# short for the reaper's watch (a read each second), the peak at the
# stop says it.
expect_rc 0 "$BRIG" exec mem dd if=/dev/zero of=/dev/null bs=16M count=1
# 16 MiB kept (a file of the jail's, its pages charged to the jail): the
# watch logs the crossing while the jail runs (waited for: wait_for).
expect_rc 0 "$BRIG" exec mem dd if=/dev/zero of=/big bs=1M count=16
wait_for "no crossing of memoryuse:log=8m logged while mem runs" grep -q "mem: rctl: memoryuse:log=8388608: crossed ([0-9]* bytes)" "$BRIG_LOGDIR/mem.log"
expect_rc 0 "$BRIG" exec mem rm /big
expect_rc 0 "$BRIG" stop mem
expect_grep "mem: rctl: memoryuse:log=8388608: crossed (peak [0-9]* bytes)" "$(cat "$BRIG_LOGDIR/mem.log")"
assert_clean

# ---- the io rates, on the device of the jail's root
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 missing (e2fsprogs)"
truncate -s 64M "$T/ext4.img"
mkfs.ext4 -q "$T/ext4.img" >/dev/null 2>&1
LOOP=$(losetup --find --show "$T/ext4.img") || skip "no loop device"
# Loop devices are not namespaced: always give it back (after the jails).
trap 'jail_safety_net; umount "$T/e4" 2>/dev/null || umount -l "$T/e4" 2>/dev/null; losetup -d "$LOOP"' EXIT
mkdir "$T/e4"
mount -t ext4 "$LOOP" "$T/e4"
mk_busybox_root "$T/e4/root"
majmin=$(printf '%d:%d' "$(stat -c '0x%t' "$LOOP")" "$(stat -c '0x%T' "$LOOP")")
conf "io { path = \"$T/e4/root\"; persist; rctl = \"readbps:throttle=1m\", \"writeiops:deny=100\"; }
tmp { path = \"$ROOT\"; persist; rctl = \"readbps:throttle=1m\"; }"
expect_rc 0 "$BRIG" start io
remember_cgroups io
if f=$(cgfile io io.max); then
	expect_grep "$majmin rbps=1048576 wbps=max riops=max wiops=100" "$(cat "$f")"
else
	f=$(cgfile io blkio.throttle.read_bps_device) || fail "io: no io controller"
	expect_eq "io's read rate" "$majmin 1048576" "$(cat "$f")"
	expect_eq "io's write iops" "$majmin 100" "$(cat "$(dirname "$f")/blkio.throttle.write_iops_device")"
fi
expect_rc 0 "$BRIG" stop io
# A root on no block device (tmpfs here): refused, saying so.
if [ "$(stat -fc %T "$ROOT")" = tmpfs ] && [ "$(stat -fc %T "$BRIG_STOREDIR")" = tmpfs ]; then
	echo "a root on tmpfs: the rates refused"
	expect_rc 1 "$BRIG" start tmp
	expect_grep "tmp: start: rctl: readbps/writebps/readiops/writeiops: the jail's root is on no block device" "$ERR"
fi
umount "$T/e4"
assert_clean
