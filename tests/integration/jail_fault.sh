# Kill brig (SIGKILL) at every step of a start and of a stop: the next brig
# command cleans up, nothing leaks (mounts, cgroups, processes, state), and
# the jail starts again. The jail has limits (rctl): the limits step and
# the cgroups it writes are among the steps killed.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "web { path = \"$ROOT\"; persist; mount.devfs;
	exec.prestart = true; exec.created = true; exec.start = true;
	command = true; exec.poststart = true;
	exec.prestop = true; exec.stop = true; exec.poststop = true;
	rctl = \"memoryuse:deny=256m\", \"maxproc:deny=100\", \"pcpu:deny=50\", \"openfiles:deny=512\"; }"
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

# Killed while replacing the state file (between the write of its
# temporary file and the rename: util/writefile.c), brig leaves state.brig-PID
# beside the state. Whoever removes the jail's directory next removes it
# too: the directory would stay forever, and a jail that never ends in
# brig's eyes (it cost a flaky CI run: brig-oci delete killed a holder
# in its stop).
conf "web { path = \"$ROOT\"; persist; }"
expect_rc 0 "$BRIG" start web
remember_cgroups web
cp "$BRIG_RUNDIR/web/state" "$BRIG_RUNDIR/web/state.brig-999999"
expect_rc 0 "$BRIG" stop web
assert_clean
# Left by a stop, whose state is gone: the next brig ls sweeps it.
mkdir "$BRIG_RUNDIR/web"
: >"$BRIG_RUNDIR/web/state.brig-999999"
assert_clean

# JID markers (core/jid.c: .jid/N, a symlink to the jail): brig killed
# while taking or releasing a JID leaves .jid/.pending; the next brig that
# takes the JID lock rebuilds the markers from the states, so JIDs stay
# unique and the lowest free one is still given.
markers() {
	for m in "$BRIG_RUNDIR"/.jid/[0-9]* "$BRIG_RUNDIR"/.jid/.pending; do
		[ -e "$m" ] || [ -L "$m" ] || continue
		printf '%s=%s ' "${m##*/}" "$(readlink "$m" || echo file)"
	done
}
jid_of() {
	jstate "$BRIG_RUNDIR/$1/state" jid
}
conf "other { path = \"$ROOT\"; persist; }
web { path = \"$ROOT\"; persist; }
db { path = \"$ROOT\"; persist; }"
expect_rc 0 "$BRIG" start other
remember_cgroups other
expect_eq "jid of other" 1 "$(jid_of other)"
# Killed after the marker, before the state records the JID.
expect_rc 137 env BRIG_FAULT=jid "$BRIG" start web
expect_eq "markers after a kill at jid" "1=other 2=web .pending=file " "$(markers)"
# Killed again, while the next brig rebuilds the markers.
expect_rc 137 env BRIG_FAULT=jid-rebuilt "$BRIG" start web
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_eq "jid of web after kills" 2 "$(jid_of web)"
expect_eq "markers after a start" "1=other 2=web " "$(markers)"
# Killed after the state went, before its marker did: 2 is free again.
expect_rc 137 env BRIG_FAULT=jid-release "$BRIG" stop web
expect_eq "markers after a kill at jid-release" "1=other 2=web .pending=file " "$(markers)"
expect_rc 0 "$BRIG" start db
remember_cgroups db
expect_eq "jid of db (2, reclaimed)" 2 "$(jid_of db)"
expect_eq "markers" "1=other 2=db " "$(markers)"
# An explicit jid taken by a running jail is refused, naming it.
conf "other { path = \"$ROOT\"; persist; }
web { path = \"$ROOT\"; persist; jid = 2; }
db { path = \"$ROOT\"; persist; }"
expect_rc 1 "$BRIG" start web
expect_grep "jid 2: in use by another jail (db)" "$ERR"
expect_rc 0 "$BRIG" stop db other
expect_eq "markers when none runs" "" "$(markers)"
assert_clean
