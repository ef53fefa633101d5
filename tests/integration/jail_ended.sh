# Jails that say why not: a start whose jail ends within the start says so
# and fails; brig ls -a lists every configured jail, running or stopped,
# and for a stopped one why (never started, ended at TIME with status N,
# failed at step S, stopped by brig stop), as text and JSON.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# A jail from the busybox template with no service enabled: its rc.conf
# turns off the two it starts by default (store_create_default: a fresh
# one stays up).
expect_rc 0 "$BRIG" template create base --from busybox
expect_rc 0 "$BRIG" create app -t base
printf 'syslogd_enable="NO"\ncrond_enable="NO"\n' >>"$BRIG_STOREDIR/jails/app/root/etc/rc.conf"
expect_rc 1 "$BRIG" start app
expect_eq "start app" "brig: app: started, then ended: no process left (add persist, or enable a service)" "$ERR"
expect_eq "start app stdout" "" "$OUT"
[ ! -e "$BRIG_RUNDIR/app" ] || fail "the ended jail left $BRIG_RUNDIR/app: $(ls "$BRIG_RUNDIR/app")"
expect_eq "inits left" 0 "$(count_inits)"
expect_rc 0 "$BRIG" destroy app

# The last process's status, when it had one: a service that fails at
# once. exec.poststart waits (on the host) until only init is left.
cat >"$BRIG_CONFDIR/jail.conf" <<EOC
* { path = "$ROOT"; mount.devfs; }
svc {
	exec.start = "sh -c '(while [ ! -e /tmp/go.svc ]; do sleep 0.05; done; exit 3) &'";
	exec.poststart = 'touch $ROOT/tmp/go.svc; cg=\$(python3 $JSTATE $BRIG_RUNDIR/svc/state obj cgroup | head -1); i=0; while [ \$(wc -l < \$cg/cgroup.procs) -gt 1 ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done';
}
later {
	exec.start = "sh -c '(while [ ! -e /tmp/go.later ]; do sleep 0.05; done; exit 4) &'";
}
bad { exec.start = "false"; }
p { persist; }
never { persist; }
EOC
rm -f "$ROOT/tmp/go.later" "$ROOT/tmp/go.svc"
expect_rc 1 "$BRIG" start svc
expect_eq "start svc" "brig: svc: started, then ended: no process left, the last one exited with status 3 (add persist, or enable a service)" "$ERR"

# One that ends later, on its own: its reaper records when and how.
expect_rc 0 "$BRIG" start later
expect_grep '^later: created$' "$OUT"
remember_cgroups later
touch "$ROOT/tmp/go.later"
wait_reaped later
rm -f "$ROOT/tmp/go.later"

expect_rc 1 "$BRIG" start bad
expect_rc 0 "$BRIG" start p
remember_cgroups p
expect_rc 0 "$BRIG" ls -a
printf '%s\n' "$OUT" >"$T/ls"
line() { grep "^$1 " "$T/ls" || fail "no line for $1 in: $(cat "$T/ls")"; }
expect_grep '^NAME  *STATE  *JID  *WHY$' "$(head -1 "$T/ls")"
expect_grep '^svc  *stopped  *-  *ended at [0-9-]* [0-9:]* with status 3$' "$(line svc)"
expect_grep '^later  *stopped  *-  *ended at [0-9-]* [0-9:]* with status 4$' "$(line later)"
expect_grep '^bad  *stopped  *-  *failed at step exec.start at [0-9-]* [0-9:]*: exec.start: false: failed (exit status 1)$' "$(line bad)"
expect_grep '^p  *running  *[0-9][0-9]*  *-$' "$(line p)"
expect_grep '^never  *stopped  *-  *never started$' "$(line never)"
expect_rc 0 "$BRIG" stop p
expect_rc 0 "$BRIG" ls -a --json
printf '%s' "$OUT" | python3 -c '
import json, sys
v = {j["name"]: j for j in json.load(sys.stdin)}
assert sorted(v) == ["bad", "later", "never", "p", "svc"], v
assert v["p"]["state"] == "stopped" and v["p"]["jid"] is None, v["p"]
assert v["p"]["last"]["event"] == "stopped" and v["p"]["last"]["time"] > 0, v["p"]
assert v["svc"]["last"]["event"] == "ended" and v["svc"]["last"]["status"] == 3, v["svc"]
assert v["later"]["last"]["status"] == 4, v["later"]
assert v["bad"]["last"]["event"] == "failed" and v["bad"]["last"]["step"] == "exec.start", v["bad"]
assert "false" in v["bad"]["last"]["message"], v["bad"]
assert v["never"]["last"] is None, v["never"]
' || fail "ls -a --json: $OUT"
expect_rc 0 "$BRIG" ls -a
expect_grep '^p  *stopped  *-  *stopped by brig stop at [0-9-]* [0-9:]*$' "$OUT"
assert_clean
