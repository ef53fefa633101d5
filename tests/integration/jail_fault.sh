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

# BRIG_FAULT=N: brig SIGKILLs itself at its Nth fault point; past the last
# one the start simply succeeds.
n=1
while :; do
	set +e
	BRIG_FAULT=$n "$BRIG" start web >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc = 0 ] && break
	[ $rc = 137 ] || fail "fault point $n: brig exited $rc: $(cat "$T/out")"
	assert_clean	# brig ls (in it) reconciles first
	n=$((n + 1))
	[ $n -lt 100 ] || fail "more than 100 fault points?"
done
echo "start: $((n - 1)) fault points"
[ $n -gt 10 ] || fail "only $((n - 1)) fault points in a start"
expect_rc 0 "$BRIG" stop web
assert_clean

# The same for stop: interrupted, the jail must be gone after the next brig.
n=1
while :; do
	expect_rc 0 "$BRIG" start web
	set +e
	BRIG_FAULT=$n "$BRIG" stop web >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc = 0 ] && break
	[ $rc = 137 ] || fail "stop fault point $n: brig exited $rc: $(cat "$T/out")"
	assert_clean
	n=$((n + 1))
	[ $n -lt 100 ] || fail "more than 100 fault points?"
done
echo "stop: $((n - 1)) fault points"
[ $n -gt 2 ] || fail "only $((n - 1)) fault points in a stop"
assert_clean
