# exec.service (a brig extension): the jail's main process, as an image's
# Entrypoint+Cmd or a compose service's command. brig start runs it in
# the jail after command and does not wait for it; its words are its argv
# as written (no split, no shell); its output goes to brig's log of the
# jail (or exec.consolelog), never to the caller's stdout; it is a child
# of the jail's init; without persist the jail ends when it does, with
# its status; brig stop sends it exec.stop.signal.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
L=$BRIG_LOGDIR

# The service writes its argv and then runs in the foreground until told.
# (In jail.conf "\$" is a dollar sign, not a variable.)
cat >"$BRIG_CONFDIR/jail.conf" <<EOF
svc {
	path = "$ROOT";
	exec.service = "/bin/sh", "-c",
	    "echo \"[\\\$0] [\\\$1]\" >/argv; echo svc-out; echo svc-err >&2; trap 'echo term >/termed; exit 0' TERM; while :; do sleep 0.1; done",
	    "a  b", "*";
	stop.timeout = 5;
}
short { path = "$ROOT"; exec.service = "/bin/sh", "-c", "while [ ! -e /go ]; do sleep 0.1; done; exit 3"; }
nosuch { path = "$ROOT"; exec.service = "/no/such/program"; }
EOF

# Started, not waited for; the caller's stdout (a pipe here) is not held:
# `| cat` ends although the service runs on.
timeout 20 sh -c '"$0" start svc | cat >"$1"' "$BRIG" "$T/svc-stdout" || fail "brig start svc | cat did not end: $?"
remember_cgroups svc
expect_rc 0 "$BRIG" ls
expect_grep " svc .*running" "$OUT"
expect_eq "argv, word for word" "[a  b] [*]" "$(cat "$ROOT/argv")"
expect_eq "the caller's stdout: brig's own line alone" "svc: created" "$(cat "$T/svc-stdout")"
tries=0
until grep -q svc-err "$L/svc.log" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || fail "no service output in brig's log of the jail: $(cat "$L/svc.log" 2>&1)"
	sleep 0.1
done
expect_grep '^svc-out$' "$(cat "$L/svc.log")"
# Its parent is the jail's init (no process of brig's stays behind).
init=$(jstate "$BRIG_RUNDIR/svc/state" init)
sh_pid=""
for s in /proc/[0-9]*/stat; do
	# (padded: a process that ended since the glob has no stat to read)
	set -- $(cat "$s" 2>/dev/null) - - - -
	[ "$2" = "(sh)" ] && [ "$4" = "$init" ] && sh_pid=$1
done
[ -n "$sh_pid" ] || fail "the service is not a child of the jail's init ($init)"

# brig stop: the service gets exec.stop.signal (SIGTERM) and ends by it.
expect_rc 0 "$BRIG" stop svc
expect_eq "the service's trap" term "$(cat "$ROOT/termed" 2>&1)"
wait_no_reapers

# Without persist the jail ends when its service does, with its status.
expect_rc 0 "$BRIG" start short
remember_cgroups short
expect_rc 0 "$BRIG" ls
expect_grep " short .*running" "$OUT"
touch "$ROOT/go"
wait_reaped short
expect_rc 0 "$BRIG" ls -a
expect_grep '^short .*ended at .* with status 3' "$OUT"

# A service that cannot be executed fails the start, which leaves nothing.
expect_rc 1 "$BRIG" start nosuch
expect_grep '^brig: nosuch: .*exec.service.*/no/such/program' "$ERR"
assert_clean
