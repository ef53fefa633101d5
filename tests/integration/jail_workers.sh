# start --all and stop --all hand their jails to a few worker processes
# (one per CPU, or -p), each running jail after jail (issue 14): a job
# that fails leaves nothing behind for the next one in the same worker,
# and every outcome is reported once. One worker (-p 1), then two.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# a: fails before anything is made (no root); b: fails late (exec.start
# fails: its init, mounts and cgroups are undone); c, d, e start, after
# the failures, in the same worker.
conf "a { path = \"$T/none\"; persist; }
b { path = \"$ROOT\"; persist; exec.start = \"/bin/false\"; }
c { path = \"$ROOT\"; persist; }
d { path = \"$ROOT\"; persist; mount.devfs; }
e { path = \"$ROOT\"; persist; }"

for p in 1 2; do
	expect_rc 1 "$BRIG" start --all -p $p
	expect_eq "created (-p $p)" "c d e" "$(printf '%s\n' "$OUT" | sed -n 's/^\([a-z]\): created$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "a reported once" 1 "$(printf '%s\n' "$ERR" | grep -c '^brig: a: ')"
	expect_eq "b reported once" 1 "$(printf '%s\n' "$ERR" | grep -c '^brig: b: ')"
	for j in c d e; do remember_cgroups $j; done
	expect_eq "inits" 3 "$(count_inits)"
	[ ! -e "$BRIG_RUNDIR/a" ] || fail "a left $BRIG_RUNDIR/a"
	[ ! -e "$BRIG_RUNDIR/b" ] || fail "b left $BRIG_RUNDIR/b"
	for j in c d e; do
		expect_rc 0 "$BRIG" exec $j /bin/true
	done
	expect_rc 0 "$BRIG" stop --all -p $p
	expect_eq "removed (-p $p)" "c d e" "$(printf '%s\n' "$OUT" | sed -n 's/^\([a-z]\): removed$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')"
	assert_clean
done
echo "ok"
