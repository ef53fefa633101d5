# rctl on the cgroups of this host (v1 controllers on a hybrid host, or a
# v2 tree): a memory hog is killed inside its own jail, a fork bomb stops
# at maxproc, pcpu throttles a busy loop, the defaults hold without any
# rule, and nothing is left in the cgroup trees after the jails stop.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# The jail's group with file $2, either name given ($2 or $3).
cgeither() {
	cgfile "$1" "$2" || cgfile "$1" "$3" || fail "$1: no cgroup has $2 or $3"
}

conf "hog { path = \"$ROOT\"; persist; mount.devfs; rctl = \"memoryuse:deny=64m\"; }
next { path = \"$ROOT\"; persist; }
bomb { path = \"$ROOT\"; persist; mount.devfs; rctl = \"maxproc:deny=40\"; }
busy { path = \"$ROOT\"; persist; mount.devfs; rctl = \"pcpu:deny=25\"; }"

expect_rc 0 "$BRIG" config check
expect_rc 0 "$BRIG" start hog next bomb busy
for j in hog next bomb busy; do remember_cgroups $j; done

# ---- memoryuse: the limit is written, and a hog is killed inside the jail
mem=$(cgeither hog memory.max memory.limit_in_bytes)
expect_eq "hog's memory limit" 67108864 "$(cat "$mem")"
next_init=$(jstate "$BRIG_RUNDIR/next/state" init)
hog_init=$(jstate "$BRIG_RUNDIR/hog/state" init)
# dd's buffer of 256 MiB, touched by reading into it.
expect_rc 137 "$BRIG" exec hog dd if=/dev/zero of=/dev/null bs=256M count=1
oom=$(cgeither hog memory.events memory.oom_control)
expect_grep "oom_kill [1-9]" "$(cat "$oom")"
# The jail, its neighbour and this test live on.
kill -0 "$hog_init" || fail "the hog's init was killed"
kill -0 "$next_init" || fail "the neighbour's init was killed"
nextoom=$(cgeither next memory.events memory.oom_control)
expect_grep "oom_kill 0" "$(cat "$nextoom")"
# Under the limit, the same command works.
expect_rc 0 "$BRIG" exec hog dd if=/dev/zero of=/dev/null bs=16M count=1

# ---- maxproc: a fork bomb stops at the limit (40 tasks, init included)
pids=$(cgfile bomb pids.max) || fail "bomb: no pids controller"
expect_eq "bomb's pids.max" 40 "$(cat "$pids")"
# (sh gives up at its first refused fork: its status says nothing.)
"$BRIG" exec bomb sh -c 'i=0; while [ $i -lt 100 ]; do sleep 30 & i=$((i+1)); done' >/dev/null 2>&1 || true
cur=$(cat "$(dirname "$pids")/pids.current")
[ "$cur" -le 40 ] || fail "bomb runs $cur tasks, over maxproc 40"
[ "$cur" -ge 30 ] || fail "bomb runs only $cur tasks: the bomb did not reach the limit"
expect_grep "max [1-9]" "$(cat "$(dirname "$pids")/pids.events")"
# The neighbour still forks; its default limit is brig's 4096.
expect_eq "next's default pids.max" 4096 "$(cat "$(cgfile next pids.max)")"
expect_rc 0 "$BRIG" exec next sh -c 'sleep 0 & wait'

# ---- pcpu: a busy loop held near 25% of one CPU, as a ratio of its CPU
# time to the wall time (from the kernel's counters, no timed assertion:
# a wide band), and throttled by the kernel (its cpu.stat).
q=$(cgeither busy cpu.max cpu.cfs_quota_us)
case $q in
*cpu.max) expect_eq "busy's cpu.max" "25000 100000" "$(cat "$q")" ;;
*) expect_eq "busy's cfs quota" 25000 "$(cat "$q")" ;;
esac
"$BRIG" exec busy sh -c 'while :; do :; done' &
loop=$!
sleep 0.5
lpid=$(cat "$(dirname "$(cgfile busy pids.max)")/cgroup.procs" | while read -r p; do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = sh ] && echo "$p"; done | tail -1)
[ -n "$lpid" ] || fail "busy: the loop's process not found"
tick=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
c0=$(cpu "$lpid"); w0=$(awk '{ print $1 }' /proc/uptime)
sleep 3
c1=$(cpu "$lpid"); w1=$(awk '{ print $1 }' /proc/uptime)
ratio=$(awk -v c="$((c1 - c0))" -v t="$tick" -v w0="$w0" -v w1="$w1" 'BEGIN { printf "%.3f", c / t / (w1 - w0) }')
echo "pcpu:deny=25: busy loop at $ratio of one CPU"
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.10 && r <= 0.40) }' || fail "pcpu:deny=25: the loop ran at $ratio of one CPU"
stat=$(dirname "$q")/cpu.stat
expect_grep "nr_throttled [1-9]" "$(cat "$stat")"
kill "$lpid" 2>/dev/null || true
wait $loop 2>/dev/null || true

# ---- live: rctl(8) lowers a running jail's limit, lists and removes
# rules; jail -m rctl= does the same; a restart takes the files' rules.
ln -s "$BRIG" "$T/rctl"
ln -s "$BRIG" "$T/jail"
expect_rc 0 "$T/rctl"
# (By JID: the four started in parallel, in any order.)
expect_eq "rctl (every rule)" "jail:bomb:maxproc:deny=40
jail:busy:pcpu:deny=25
jail:hog:memoryuse:deny=67108864" "$(printf '%s\n' "$OUT" | sort)"
expect_rc 0 "$T/rctl" -a jail:hog:memoryuse:deny=32m jail:hog:openfiles:deny=64
expect_eq "hog's memory limit after rctl -a" 33554432 "$(cat "$mem")"
expect_rc 0 "$T/rctl" -h -l jail:hog
expect_eq "rctl -h -l jail:hog" "jail:hog:memoryuse:deny=32M
jail:hog:openfiles:deny=64" "$OUT"
# Live: the hog now dies at 32 MiB, and every process entered gets the
# rlimit (the jail's init too: it was changed in place).
expect_rc 137 "$BRIG" exec hog dd if=/dev/zero of=/dev/null bs=48M count=1
expect_rc 0 "$BRIG" exec hog sh -c 'ulimit -n'
expect_eq "openfiles in an entered process" 64 "$OUT"
expect_grep "Max open files *64 *64" "$(cat /proc/$hog_init/limits)"
# Recorded: the state's model has the new rules (jls, stop, exec read it).
expect_grep '"memoryuse:deny=33554432"' "$(cat "$BRIG_RUNDIR/hog/state")"
# Bad rules: the rule's own words, nothing changed.
expect_rc 1 "$T/rctl" -a jail:hog:memoryuse:deny=12q
expect_grep "memoryuse: bad amount" "$ERR"
expect_rc 1 "$T/rctl" -a jail:nosuch:memoryuse:deny=1g
expect_grep 'jail "nosuch" is not running' "$ERR"
expect_eq "hog's memory limit after bad rules" 33554432 "$(cat "$mem")"
# -r: removed, and the limit goes with it.
expect_rc 0 "$T/rctl" -r jail:hog:memoryuse
expect_rc 0 "$T/rctl" -l jail:hog
expect_eq "rctl -l jail:hog after -r" "jail:hog:openfiles:deny=64" "$OUT"
case $mem in
*memory.max) expect_eq "hog's memory after -r" max "$(cat "$mem")" ;;
*) [ "$(cat "$mem")" -gt 1000000000000 ] || fail "hog's memory limit after -r: $(cat "$mem")" ;;
esac
# jail -m: the same change through jail(8).
expect_rc 0 "$T/jail" -m name=next rctl=maxproc:deny=77
expect_eq "next's pids.max after jail -m" 77 "$(cat "$(cgfile next pids.max)")"
# A restart starts with the files' rules again.
expect_rc 0 "$BRIG" restart hog
remember_cgroups hog
mem=$(cgeither hog memory.max memory.limit_in_bytes)
expect_eq "hog's memory limit after a restart" 67108864 "$(cat "$mem")"

expect_rc 0 "$BRIG" stop hog next bomb busy
assert_clean

# log is watched while the jail runs, on v1 and v2 alike (its reaper
# reads pids.current each second): 12 sleeping tasks cross 10, and the
# jail's log says so while it runs, not only at the stop. The line comes
# within a few seconds: waited for (wait_for, bounded).
conf "logp { path = \"$ROOT\"; persist; mount.devfs; rctl = \"maxproc:log=10\"; }"
expect_rc 0 "$BRIG" config check
expect_rc 0 "$BRIG" start logp
remember_cgroups logp
expect_rc 0 "$BRIG" exec logp sh -c 'i=0; while [ $i -lt 12 ]; do sleep 60 >/dev/null 2>&1 & i=$((i + 1)); done'
wait_for "no crossing of maxproc:log=10 logged while logp runs" grep -q "logp: rctl: maxproc:log=10: crossed (1[0-9] tasks)" "$BRIG_LOGDIR/logp.log"
# One line per crossing: still above, nothing more.
sleep 2.5
expect_eq "lines for one crossing" 1 "$(grep -c 'crossed (1[0-9] tasks)' "$BRIG_LOGDIR/logp.log")"

# A live rctl -a of a log rule: its reaper is replaced by one watching the
# new rule (the old line is not logged again), and rctl -r of the last log
# rule of a persist jail leaves it none.
reapers_of() {
	init=$(jstate "$BRIG_RUNDIR/$1/state" init)
	for p in $(pgrep -x brig-reaper); do
		grep -q "^Pid:[[:space:]]*$init\$" /proc/$p/fdinfo/3 2>/dev/null && echo $p
	done
}
old=$(reapers_of logp)
[ -n "$old" ] || fail "logp has no reaper"
expect_rc 0 "$T/rctl" -a jail:logp:maxproc:log=5
new=$(reapers_of logp)
[ -n "$new" ] && [ "$new" != "$old" ] || fail "logp's reaper not replaced: [$old] -> [$new]"
wait_for "no crossing of the live maxproc:log=5 logged" grep -q "logp: rctl: maxproc:log=5: crossed (1[0-9] tasks)" "$BRIG_LOGDIR/logp.log"
expect_rc 0 "$T/rctl" -r jail:logp:maxproc
expect_eq "logp's reapers after rctl -r" "" "$(reapers_of logp)"
expect_eq "lines for maxproc:log=10" 1 "$(grep -c 'maxproc:log=10: crossed (1[0-9] tasks)' "$BRIG_LOGDIR/logp.log")"
expect_rc 0 "$BRIG" stop logp
assert_clean

# A start that fails at its limits (IPC limits for a jail on the host's
# System V IPC) says why and leaves nothing: no cgroup, no state.
conf "ipc { path = \"$ROOT\"; persist; sysvshm = inherit; sysvmsg = inherit; sysvsem = inherit;
	rctl = \"nshm:deny=8\"; }"
expect_rc 1 "$BRIG" start ipc
expect_grep "ipc: start: rctl: IPC limits (rctl): the jail shares the host's System V IPC" "$ERR"
left=$(ls -d /sys/fs/cgroup/*/"$("$BRIG" _cgroup-group)"/ipc 2>/dev/null || true)
[ -z "$left" ] || fail "a failed start left $left"
assert_clean

# IPC limits of a jail's own IPC namespace, and rlimits set at start.
conf "ipc { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 4;
	rctl = \"pseudoterminals:deny=3\", \"nshm:deny=8\", \"nmsgq:deny=9\", \"msgqsize:deny=4k\", \"nsemop:deny=7\", \"stacksize:deny=4m\"; }"
expect_rc 0 "$BRIG" start ipc
remember_cgroups ipc
expect_rc 0 "$BRIG" exec ipc cat /proc/sys/kernel/shmmni /proc/sys/kernel/msgmni /proc/sys/kernel/msgmnb
expect_eq "the jail's IPC limits" "8
9
4096" "$OUT"
expect_rc 0 "$BRIG" exec ipc sh -c 'set -- $(cat /proc/sys/kernel/sem); echo $3'
expect_eq "the jail's SEMOPM" 7 "$OUT"
[ "$(cat /proc/sys/kernel/shmmni)" != 8 ] || fail "the host's shmmni changed"
# The jail's root cannot lift them: /proc/sys is read-only in a jail, and
# it holds no CAP_SYS_RESOURCE to raise a hard rlimit.
expect_rc 1 "$BRIG" exec ipc sh -c 'echo 4096 >/proc/sys/kernel/shmmni'
expect_rc 1 "$BRIG" exec ipc sh -c 'ulimit -s unlimited'
expect_rc 0 "$BRIG" exec ipc cat /proc/sys/kernel/shmmni
expect_eq "the jail's shmmni after its root tried" 8 "$OUT"
ipc_init=$(jstate "$BRIG_RUNDIR/ipc/state" init)
expect_grep "Max stack size *4194304 *4194304" "$(cat /proc/$ipc_init/limits)"
# pseudoterminals: the max= of the jail's own devpts.
expect_grep " devpts .*max=3" "$(cat /proc/$ipc_init/mountinfo)"
expect_rc 1 "$T/rctl" -a jail:ipc:pseudoterminals:deny=5
expect_grep "pseudoterminals: the jail's devpts takes its max= when the jail starts" "$ERR"
expect_rc 0 "$BRIG" stop ipc
assert_clean
# The log says what the limits did.
expect_grep "bomb: rctl: maxproc:deny=40: [0-9]* forks refused at the limit" "$(cat "$BRIG_LOGDIR/bomb.log")"
