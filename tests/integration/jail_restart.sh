# The restart policy (exec.restart, a brig extension, as Docker's
# --restart), carried out by the jail's reaper: a jail that ends on its own
# comes back (on-failure: status other than 0 or killed; always), after a
# backoff, at most MAX times in a row (":MAX"); brig stop never restarts
# it, and cancels a restart that waits; a jail whose configuration no
# longer loads is not restarted; a persist jail whose init is killed comes
# back too. brig ls -a shows the restart count, text and JSON.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
C=$BRIG_CONFDIR/jail.conf.d
L=$BRIG_LOGDIR

# info NAME: "STATE RESTARTS NEXT LAST-EVENT LAST-STATUS" from brig ls -a --json.
info() {
	"$BRIG" ls -a --json | python3 -c '
import json, sys
v = {j["name"]: j for j in json.load(sys.stdin)}
j = v[sys.argv[1]]
l = j["last"] or {}
print(j["state"], j["restarts"], "next" if j["next_restart"] else "-", l.get("event"), l.get("status"))' "$1"
}
# wait_info NAME PATTERN: until info matches (bounded: 30 s).
wait_info() {
	tries=0
	until info "$1" | grep -q -- "$2"; do
		tries=$((tries + 1))
		[ $tries -lt 150 ] || fail "$1: expected /$2/, is [$(info "$1")]; log: $(cat "$L/$1.log" 2>&1)"
		sleep 0.2
	done
}
# kill_comm COMM: SIGKILL every process of that name (in this test's
# PID namespace: all are the test's).
kill_comm() {
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = "$1" ] || continue
		p=${c%/comm}
		kill -9 "${p#/proc/}" 2>/dev/null || true
	done
}

## A service that is killed: the jail ends with status 137 and comes back.
expect_rc 0 "$BRIG" template create base --from busybox
expect_rc 0 "$BRIG" create web -t base --thick exec.restart=on-failure:2
printf 'syslogd_enable="NO"\ncrond_enable="NO"\nhttpd_enable="YES"\n' \
	>>"$BRIG_STOREDIR/jails/web/root/etc/rc.conf"
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_eq "web started" "running 0 - None None" "$(info web)"
expect_eq "httpd" 1 "$(count_comm httpd)"
kill_comm httpd
wait_info web "^running 1 "
expect_rc 0 "$BRIG" ls -a
expect_grep '^web  *running  *[0-9][0-9]*  *restarted 1 time$' "$OUT"
log=$(cat "$L/web.log")
expect_grep 'brig: web: ended with status 137$' "$log"
expect_grep 'brig: web: restarting in 1 s (restart 1 of 2)$' "$log"
expect_grep 'brig: web: restarted (jid [0-9]*, restart 1)$' "$log"
expect_eq "httpd is back" 1 "$(count_comm httpd)"

# The backoff doubles; the limit holds.
kill_comm httpd
wait_info web "^running 2 "
expect_grep 'brig: web: restarting in 2 s (restart 2 of 2)$' "$(cat "$L/web.log")"
kill_comm httpd
wait_info web "^stopped 2 - ended 137$"
wait_no_reapers
expect_eq "after the limit" "stopped 2 - ended 137" "$(info web)"
expect_grep 'brig: web: not restarted: 2 restarts already (exec.restart limit 2)$' "$(cat "$L/web.log")"
expect_rc 0 "$BRIG" ls -a
expect_grep '^web  *stopped  *-  *ended at [0-9-]* [0-9:]* with status 137; after 2 restarts$' "$OUT"

## A start by hand counts from 0 again; brig stop never restarts.
expect_rc 0 "$BRIG" start web
expect_eq "started by hand" "running 0 - None None" "$(info web)"
expect_rc 0 "$BRIG" stop web
wait_no_reapers
expect_eq "after brig stop" "stopped 0 - stopped None" "$(info web)"

# brig stop right after the jail ended (before or while its restart
# waits): cancelled.
expect_rc 0 "$BRIG" start web
kill_comm httpd
expect_rc 0 "$BRIG" stop web
wait_no_reapers
expect_eq "stop cancels the restart" "stopped 0 - stopped None" "$(info web)"
expect_eq "httpd" 0 "$(count_comm httpd)"
expect_rc 0 "$BRIG" destroy web

## on-failure: a status of 0 is no failure; always restarts it anyway.
trigger="exec.start = \"sh -c '(while [ ! -e /tmp/go ]; do sleep 0.05; done; rm /tmp/go; exit 0) &'\";"
conf "* { path = \"$ROOT\"; mount.devfs; $trigger }
onf { exec.restart = \"on-failure\"; }
alw { exec.restart = \"always\"; }
per { persist; exec.restart = \"always\"; }
bad { exec.restart = \"sometimes\"; }"
expect_rc 1 "$BRIG" start bad
expect_grep 'jail.conf:5:[0-9]*: error: bad: exec.restart: unknown value "sometimes" (expected "no", "on-failure" or "always", the last two with an optional ":MAX")' "$ERR"
expect_rc 0 "$BRIG" start onf
remember_cgroups onf
touch "$ROOT/tmp/go"
wait_info onf "^stopped 0 - ended 0$"
wait_no_reapers
expect_eq "on-failure, status 0" "stopped 0 - ended 0" "$(info onf)"
expect_rc 0 "$BRIG" start alw
touch "$ROOT/tmp/go"
wait_info alw "^running 1 "
expect_rc 0 "$BRIG" stop alw
wait_no_reapers
expect_eq "always, then stopped" "stopped 0 - stopped None" "$(info alw)"

## A configuration that no longer loads: not restarted, and the log says why.
expect_rc 0 "$BRIG" start alw
sed -i 's/^alw { exec.restart = "always"; }$/alw { exec.restart = "always"; persits; }/' "$BRIG_CONFDIR/jail.conf"
touch "$ROOT/tmp/go"
wait_info alw "^stopped 0 - ended 0$"
wait_no_reapers
expect_eq "broken configuration" "stopped 0 - ended 0" "$(info alw | sed 's/^\(stopped [0-9]* - ended 0\).*/\1/')"
expect_grep 'brig: alw: not restarted: its configuration does not load: .*jail.conf:3:[0-9]*: .*unknown parameter "persits"' "$(cat "$L/alw.log")"

## persist: its init killed (the OOM killer's way), it comes back.
expect_rc 0 "$BRIG" start per
remember_cgroups per
init=$(jstate "$BRIG_RUNDIR/per/state" init)
kill -9 "$init"
wait_info per "^running 1 "
expect_rc 0 "$BRIG" stop per
wait_no_reapers
assert_clean
