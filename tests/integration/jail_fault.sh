# Kill brig (SIGKILL) at every step of a start and of a stop: the next brig
# command cleans up, nothing leaks (mounts, cgroups, processes, state), and
# the jail starts again.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "web { path = \"$ROOT\"; persist; mount.devfs;
	exec.prestart = true; exec.created = true; exec.start = true;
	command = true; exec.poststart = true;
	exec.prestop = true; exec.stop = true; exec.poststop = true; }"
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_rc 0 "$BRIG" stop web
assert_clean

# fault_loop VERB [SETUP]: BRIG_FAULT=N makes brig SIGKILL itself at its
# Nth fault point; past the last one the command simply succeeds. Before
# each try, SETUP runs; after each kill, the next brig must clean up.
fault_loop() {
	n=1
	while :; do
		[ -z "${2:-}" ] || expect_rc 0 "$BRIG" $2 web
		set +e
		BRIG_FAULT=$n "$BRIG" "$1" web >"$T/out" 2>&1
		rc=$?
		set -e
		[ $rc = 0 ] && break
		[ $rc = 137 ] || fail "$1, fault point $n: brig exited $rc: $(cat "$T/out")"
		assert_clean	# brig ls (in it) reconciles first
		n=$((n + 1))
		[ $n -lt 100 ] || fail "more than 100 fault points?"
	done
	echo "$1: $((n - 1)) fault points"
	points=$((n - 1))
}

fault_loop start
[ $points -gt 10 ] || fail "only $points fault points in a start"
expect_rc 0 "$BRIG" stop web
assert_clean

# The same for stop: interrupted, the jail must be gone after the next brig.
fault_loop stop start
[ $points -gt 2 ] || fail "only $points fault points in a stop"
assert_clean
