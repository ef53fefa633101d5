# A start interrupted by ^C (SIGINT), SIGTERM or SIGHUP takes down what it
# made (the hook it waits for, the jail, its cgroups and state) before it
# ends by the signal: nothing waits for the next brig command. A stop
# interrupted cuts its hooks short and finishes taking the jail down.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "slow { path = \"$ROOT\"; persist; mount.devfs; exec.start = \"sleep 30\"; }
a { path = \"$ROOT\"; persist; exec.start = \"sleep 30\"; }
b { path = \"$ROOT\"; persist; exec.prestart = \"sleep 30\"; }
c { path = \"$ROOT\"; persist; depend = a; }
p { path = \"$ROOT\"; persist; }
brief { path = \"$ROOT\"; persist; exec.start = \"sleep 2\"; }
slowstop { path = \"$ROOT\"; persist; stop.timeout = 30; exec.stop = \"sleep 30\"; }"
expect_rc 0 "$BRIG" start p
remember_cgroups p
expect_rc 0 "$BRIG" stop p

# nothing_left: checked before any other brig command runs.
nothing_left() {
	left=$(ls "$BRIG_RUNDIR")
	[ -z "$left" ] || fail "$1: run directory not empty: $left"
	expect_eq "$1: inits" 0 "$(count_inits)"
	expect_eq "$1: sleeps" 0 "$(count_comm sleep)"
	# brig's own group stays when its last jail goes (sys/cgroup.h):
	# no jail's group below it.
	for d in $(sed 's|/[^/]*$||' "$T/cgroups" | sort -u); do
		sub=$(find "$d" -mindepth 1 -type d 2>/dev/null | tr '\n' ' ')
		[ -z "$sub" ] || fail "$1: cgroups left: $sub"
	done
}

# interrupt SIGNAL STATUS JAIL...: start, send SIGNAL to brig after 1 s.
# (A background job of this script would ignore SIGINT: env resets it.)
# VERB=stop for a stop.
interrupt() {
	sig=$1 want=$2
	shift 2
	env --default-signal=INT "$BRIG" "${VERB:-start}" "$@" >"$T/out" 2>"$T/err" &
	pid=$!
	sleep 1
	t0=$(date +%s)
	kill -"$sig" $pid
	set +e
	wait $pid
	rc=$?
	set -e
	[ $(($(date +%s) - t0)) -le 3 ] || fail "brig took more than 3 s to end after SIG$sig"
	expect_eq "exit status after SIG$sig" "$want" "$rc"
}

# One jail, waiting for exec.start inside it.
interrupt INT 130 slow
expect_grep "slow: start: exec.start: sleep 30: interrupted by SIGINT" "$(cat "$T/err")"
nothing_left "SIGINT during exec.start"

# Several in parallel (a host hook, a jail hook, a dependent): the signal
# reaches brig only and is passed on to its workers.
interrupt TERM 143 a b c
err=$(cat "$T/err")
expect_grep "a: start: exec.start: sleep 30: interrupted by SIGTERM" "$err"
expect_grep "b: start: exec.prestart: sleep 30: interrupted by SIGTERM" "$err"
expect_grep "c: skipped: its dependency \"a\" failed to start" "$err"
nothing_left "SIGTERM during a parallel start"

interrupt HUP 129 slow
nothing_left "SIGHUP"

# A stop waiting for exec.stop (and for a process that ignores SIGTERM,
# with stop.timeout = 30): the hook is cut short, the jail killed.
expect_rc 0 "$BRIG" start slowstop
"$BRIG" exec slowstop sh -c 'trap "" TERM; while :; do sleep 1; done' &
sleep 0.5
VERB=stop interrupt TERM 143 slowstop
expect_grep "slowstop: stop: exec.stop: sleep 30: interrupted by SIGTERM (going on)" "$(cat "$T/err")"
wait
nothing_left "SIGTERM during a stop"

# An ignored SIGINT stays ignored (a script's background job): the start
# goes on.
"$BRIG" start brief >"$T/out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid || fail "a start with SIGINT ignored ended by it: $(cat "$T/out")"
expect_rc 0 "$BRIG" stop brief
assert_clean
