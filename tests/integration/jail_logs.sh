# brig logs JAIL [-n N] [-f]: brig's log of a jail ($BRIG_LOGDIR/NAME.log):
# its start, stop, end and restart events, one timestamped line each, and
# the output of the commands run in it (without exec.consolelog); with
# exec.consolelog, that file after it. -n N: the last N lines; -f: follows,
# through a rotation too. Rotated at 1 MiB to NAME.log.1 (one kept).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
L=$BRIG_LOGDIR

conf "web {
	path = \"$ROOT\";
	mount.devfs;
	persist;
	exec.start = \"echo hello-from-start\", \"echo err-from-start >&2\";
	exec.stop = \"echo bye-from-stop\";
}
cl {
	path = \"$ROOT\";
	persist;
	exec.consolelog = \"$T/cl.console\";
	exec.start = \"echo cl-console-line\";
}
bad { path = \"$ROOT\"; exec.start = false; }"

expect_rc 1 "$BRIG" logs nosuch
expect_eq "logs nosuch" "brig: nosuch: no such jail (not in the configuration, and no log in $L)" "$ERR"
# Configured, never started: nothing to show.
expect_rc 0 "$BRIG" logs web
expect_eq "logs of a jail never started" "" "$OUT"

expect_rc 0 "$BRIG" start web
expect_eq "start web" "web: created" "$OUT"
remember_cgroups web
expect_rc 0 "$BRIG" stop web
expect_rc 0 "$BRIG" logs web
expect_eq "lines" 5 "$(printf '%s\n' "$OUT" | wc -l)"
expect_grep '^hello-from-start$' "$OUT"
expect_grep '^err-from-start$' "$OUT"
expect_grep '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]*[-+][0-9]\{4\} brig: web: started (jid [0-9]*)$' "$OUT"
expect_grep '^bye-from-stop$' "$OUT"
expect_grep '^[0-9T:+-]* brig: web: stopped by brig stop$' "$(printf '%s\n' "$OUT" | tail -1)"
expect_rc 0 "$BRIG" logs -n 2 web
expect_eq "-n 2" "bye-from-stop" "$(printf '%s\n' "$OUT" | head -1)"
expect_eq "-n 2 lines" 2 "$(printf '%s\n' "$OUT" | wc -l)"
expect_rc 0 "$BRIG" logs web -n 0
expect_eq "-n 0" "" "$OUT"
expect_rc 2 "$BRIG" logs -n x web
# A failed start is an event too.
expect_rc 1 "$BRIG" start bad
expect_rc 0 "$BRIG" logs -n 1 bad
expect_grep '^[0-9T:+-]* brig: bad: start: exec.start: false: failed (exit status 1)$' "$OUT"

# exec.consolelog: that file, after brig's (headers as tail's).
expect_rc 0 "$BRIG" start cl
remember_cgroups cl
expect_rc 0 "$BRIG" stop cl
expect_rc 0 "$BRIG" logs cl
expect_grep "^==> $L/cl.log <==\$" "$OUT"
expect_grep "^==> $T/cl.console <==\$" "$OUT"
expect_grep '^cl-console-line$' "$OUT"
expect_grep 'brig: cl: started' "$OUT"

# -f follows, through a rotation: 1.1 MB of output makes the log pass its
# bound; the next time brig opens it (the next command's output), it
# becomes web.log.1 and a new web.log starts.
"$BRIG" logs -f -n 0 web >"$T/follow" 2>&1 &
follower=$!
sed -i 's/^	exec.start = "echo hello.*/exec.start = "yes flood-of-output | head -c 1100000", "echo", "echo after-the-flood";/' \
	"$BRIG_CONFDIR/jail.conf"
expect_rc 0 "$BRIG" start web
[ "$(stat -c %s "$L/web.log.1")" -gt 1048576 ] || fail "web.log.1 is not the old log"
[ "$(stat -c %s "$L/web.log")" -lt 1000 ] || fail "web.log was not started anew: $(stat -c %s "$L/web.log") bytes"
expect_grep '^after-the-flood$' "$(cat "$L/web.log")"
expect_grep 'brig: web: started' "$(cat "$L/web.log")"
expect_rc 0 "$BRIG" stop web
tries=0
until grep -q 'brig: web: stopped by brig stop$' "$T/follow"; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || fail "logs -f did not follow the rotation: $(tail -c 300 "$T/follow")"
	sleep 0.1
done
grep -q '^after-the-flood$' "$T/follow" || fail "logs -f missed the output after the rotation"
grep -q '^flood-of-output$' "$T/follow" || fail "logs -f missed the output before the rotation"
grep -q 'hello-from-start' "$T/follow" && fail "logs -f -n 0 showed old lines"
kill "$follower"
wait "$follower" || true
# Rotated again: still one old log only.
expect_rc 0 "$BRIG" start web
expect_rc 0 "$BRIG" stop web
expect_eq "files" "bad.log
cl.log
web.log
web.log.1" "$(ls "$L")"
expect_grep 'brig: web: started' "$(cat "$L/web.log.1")"
assert_clean
