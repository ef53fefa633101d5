# persist: without it a jail ends when its last process exits (and is kept
# alive while its start runs); stop.timeout: SIGTERM, then SIGKILL.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "np { path = \"$ROOT\"; mount.devfs; exec.start = \"sleep 2 &\"; }
quick { path = \"$ROOT\"; exec.start = \"true\"; command = \"sleep 1\"; }
p { path = \"$ROOT\"; persist; stop.timeout = 2; }
bare { path = \"$ROOT\"; }"

# Not persistent: alive while the background sleep runs, gone after it.
# Started by a caller that ignores SIGHUP and SIGTERM (nohup, a script's
# background job): its reaper must not inherit that.
sh -c 'trap "" HUP TERM; exec "$0" start np' "$BRIG" >"$T/out" 2>&1 || fail "start np: $(cat "$T/out")"
remember_cgroups np
expect_rc 0 "$BRIG" ls
expect_grep "np .*running" "$OUT"
# An entered process keeps it alive past the sleep, too.
"$BRIG" exec np sleep 3 &
ex=$!
sleep 2.5
expect_rc 0 "$BRIG" ls
expect_grep "np .*running" "$OUT"
# One reaper per running jail, on the host, with every signal as new.
expect_eq "reapers" 1 "$(count_comm brig-reaper)"
for c in /proc/[0-9]*/comm; do
	[ "$(cat "$c" 2>/dev/null)" = brig-reaper ] && reaper=${c%/comm}
done
expect_eq "signals the reaper ignores" 0000000000000000 "$(awk '/^SigIgn:/ { print $2 }' "$reaper/status")"
expect_eq "signals the reaper blocks" 0000000000000000 "$(awk '/^SigBlk:/ { print $2 }' "$reaper/status")"
wait $ex
# Then it ends, and its reaper removes what it left, with no brig command.
wait_reaped np
assert_clean

# The start itself (exec.start, command) keeps it alive; then it ends,
# within the start: the start says so, takes it down and fails.
expect_rc 1 "$BRIG" start quick
expect_eq "start quick" "brig: quick: started, then ended: no process left (add persist, or enable a service)" "$ERR"
[ ! -e "$BRIG_RUNDIR/quick" ] || fail "quick left $BRIG_RUNDIR/quick"
assert_clean

# Neither persist nor anything to run: refused (it would end at once).
expect_rc 1 "$BRIG" start bare
expect_grep "bare: start: a jail needs persist, exec.start, command or exec.service" "$ERR"

# Persistent: alive with no process; stop.timeout then SIGKILL for a
# process that ignores SIGTERM.
expect_rc 0 "$BRIG" start p
remember_cgroups p
sleep 1.5
expect_rc 0 "$BRIG" ls
expect_grep "p .*running" "$OUT"
"$BRIG" exec p sh -c 'trap "" TERM; while :; do sleep 1; done' &
sleep 0.5
t0=$(date +%s)
expect_rc 0 "$BRIG" stop p
t=$(($(date +%s) - t0))
[ $t -ge 1 ] && [ $t -le 6 ] || fail "stop of a jail ignoring SIGTERM took $t s (stop.timeout = 2)"
wait
assert_clean

# A jail (without persist) whose init is killed from the host is reaped
# as well.
expect_rc 0 "$BRIG" start np
init=$(jstate "$BRIG_RUNDIR/np/state" init)
kill -9 "$init"
wait_reaped np
assert_clean

# A persist jail has no reaper (it ends by brig stop); if its init is
# killed, the next brig command cleans up.
expect_rc 0 "$BRIG" start p
expect_eq "reapers" 0 "$(count_comm brig-reaper)"
init=$(jstate "$BRIG_RUNDIR/p/state" init)
kill -9 "$init"
sleep 0.5
[ -e "$BRIG_RUNDIR/p/state" ] || fail "p's state went away with no brig command and no reaper?"
assert_clean
