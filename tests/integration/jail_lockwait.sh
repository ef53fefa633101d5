# A jail's lock held by another brig (the reaper of a jail that just
# ended, a stop in progress): a start or stop waits for it, bounded
# (BRIG_LOCK_WAIT seconds, 30 by default), saying so after 1 s, instead of
# failing at once as "busy"; start --all then starts the dependents too.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "* { path = \"$ROOT\"; persist; }
dns { }
db { depend = dns; }
web { depend = db; }"
mkdir -p "$BRIG_RUNDIR/dns"

# hold NAME: hold NAME's lock (as another brig would) until release.
hold() {
	hold_lock "$BRIG_RUNDIR/$1/lock"
}
release() {
	release_lock
}
# wait_for_text FILE TEXT: until FILE holds TEXT (10 s at most).
wait_for_text() {
	tries=0
	until grep -q -- "$2" "$1" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 200 ] || fail "no \"$2\" in $1: $(cat "$1")"
		sleep 0.05
	done
}

# start --all while dns's lock is held: it waits, then starts all three.
hold dns
"$BRIG" start --all >"$T/start.out" 2>"$T/start.err" &
starter=$!
wait_for_text "$T/start.err" "dns: waiting for another brig (pid $holder"
release
wait $starter || fail "start --all failed: $(cat "$T/start.err")"
for j in dns db web; do
	grep -q "^$j: created\$" "$T/start.out" || fail "$j not started: $(cat "$T/start.out") $(cat "$T/start.err")"
	remember_cgroups $j
done

# A stop waits the same way.
hold web
"$BRIG" stop web >"$T/stop.out" 2>"$T/stop.err" &
stopper=$!
wait_for_text "$T/stop.err" "web: waiting for another brig (pid $holder"
release
wait $stopper || fail "stop web failed: $(cat "$T/stop.err")"
expect_eq "stop web" "web: removed" "$(cat "$T/stop.out")"

# Bounded: BRIG_LOCK_WAIT=1 gives up after a second, saying who holds it.
hold db
set +e
BRIG_LOCK_WAIT=1 "$BRIG" stop db >"$T/out" 2>"$T/err"
rc=$?
set -e
release
expect_eq "stop db while held" 1 "$rc"
expect_grep "db: busy: another brig (pid $holder) is starting or stopping it; gave up after 1 s" "$(cat "$T/err")"
expect_rc 1 env BRIG_LOCK_WAIT=x "$BRIG" stop db
expect_grep "BRIG_LOCK_WAIT" "$ERR"

# brig ls never waits: it shows what it can.
hold dns
expect_rc 0 "$BRIG" ls
expect_grep "dns .*running" "$OUT"
release

expect_rc 0 "$BRIG" stop --all
assert_clean
