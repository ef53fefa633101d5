# rctl on a cgroup v2 tree alone: the v1 hierarchies brig limits with
# (memory, pids, cpu, blkio, cpuset) are unmounted in this test's mount
# namespace (never the host's), so brig finds only the v2 tree. Where it
# has the controllers, the limits hold as on v1 (rctl_limits.sh); where it
# has none (a hybrid host binds them to v1), a limit is refused, never
# ignored, and the test says why it goes no further.
. tests/integration/lib/common.sh
v2=$(grep ' - cgroup2 ' /proc/self/mountinfo | awk '{ print $5 }' | head -1)
[ -n "$v2" ] || skip "no cgroup v2 hierarchy"
for m in $(grep ' - cgroup ' /proc/self/mountinfo | grep -E '[ ,](memory|pids|cpu|blkio|cpuset)([ ,]|$)' | awk '{ print $5 }'); do
	umount "$m"
done
. tests/integration/lib/jail.sh

if ! grep -qw memory "$v2/cgroup.controllers"; then
	# A jail without rules still starts (brig's default pids limit goes
	# where there is a pids controller); one with a rule is refused.
	conf "plain { path = \"$ROOT\"; persist; }
hog { path = \"$ROOT\"; persist; rctl = \"memoryuse:deny=64m\"; }
bomb { path = \"$ROOT\"; persist; rctl = \"maxproc:deny=40\"; }"
	expect_rc 0 "$BRIG" start plain
	remember_cgroups plain
	expect_rc 0 "$BRIG" stop plain
	expect_rc 1 "$BRIG" start hog
	expect_grep "hog: start: rctl: memoryuse: no memory controller" "$ERR"
	expect_rc 1 "$BRIG" start bomb
	expect_grep "bomb: start: rctl: maxproc: no pids controller" "$ERR"
	assert_clean
	skip "the cgroup v2 tree has no controllers ($v2/cgroup.controllers is empty): this hybrid host binds memory, pids, cpu and io to v1 hierarchies, and a controller is on one hierarchy at a time, so a cgroup2 mount made in the sandbox would have none either (the refusals were checked; the v2 files are unit-tested: tests/unit/test_sys_limits.c)"
fi

conf "hog { path = \"$ROOT\"; persist; mount.devfs; rctl = \"memoryuse:deny=64m\"; }
next { path = \"$ROOT\"; persist; }
bomb { path = \"$ROOT\"; persist; mount.devfs; rctl = \"maxproc:deny=40\"; }
busy { path = \"$ROOT\"; persist; mount.devfs; rctl = \"pcpu:deny=25\"; }"
expect_rc 0 "$BRIG" start hog next bomb busy
for j in hog next bomb busy; do remember_cgroups $j; done
g() { printf '%s/%s/%s\n' "$v2" "$("$BRIG" _cgroup-group)" "$1"; }
expect_eq "hog's memory.max" 67108864 "$(cat "$(g hog)/memory.max")"
expect_rc 137 "$BRIG" exec hog dd if=/dev/zero of=/dev/null bs=256M count=1
expect_grep "oom_kill [1-9]" "$(cat "$(g hog)/memory.events")"
expect_grep "oom_kill 0" "$(cat "$(g next)/memory.events")"
expect_eq "bomb's pids.max" 40 "$(cat "$(g bomb)/pids.max")"
"$BRIG" exec bomb sh -c 'i=0; while [ $i -lt 100 ]; do sleep 30 & i=$((i+1)); done' >/dev/null 2>&1 || true
[ "$(cat "$(g bomb)/pids.current")" -le 40 ] || fail "bomb over maxproc"
expect_grep "max [1-9]" "$(cat "$(g bomb)/pids.events")"
expect_eq "busy's cpu.max" "25000 100000" "$(cat "$(g busy)/cpu.max")"
"$BRIG" exec busy sh -c 'while :; do :; done' &
loop=$!
sleep 0.5
u0=$(awk '/^usage_usec/ { print $2 }' "$(g busy)/cpu.stat"); w0=$(awk '{ print $1 }' /proc/uptime)
sleep 3
u1=$(awk '/^usage_usec/ { print $2 }' "$(g busy)/cpu.stat"); w1=$(awk '{ print $1 }' /proc/uptime)
ratio=$(awk -v u="$((u1 - u0))" -v w0="$w0" -v w1="$w1" 'BEGIN { printf "%.3f", u / 1e6 / (w1 - w0) }')
echo "v2 pcpu:deny=25: busy loop at $ratio of one CPU"
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.10 && r <= 0.40) }' || fail "pcpu:deny=25: $ratio of one CPU"
kill $loop 2>/dev/null || true
ln -s "$BRIG" "$T/rctl"
expect_rc 0 "$T/rctl" -a jail:hog:memoryuse:deny=32m
expect_eq "hog's memory.max after rctl -a" 33554432 "$(cat "$(g hog)/memory.max")"
expect_rc 0 "$BRIG" stop hog next bomb busy
wait $loop 2>/dev/null || true
assert_clean
