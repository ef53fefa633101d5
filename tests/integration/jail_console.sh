# brig console: a login shell on a fresh pty of the jail's own devpts; the
# window size follows the caller's terminal (SIGWINCH); exit status passes.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

command -v script >/dev/null || skip "script(1) (util-linux) is needed for a terminal"
conf "j { path = \"$ROOT\"; persist; mount.devfs; }
nodev { path = \"$ROOT\"; persist; }"
expect_rc 0 "$BRIG" start j nodev
remember_cgroups j
remember_cgroups nodev
export BRIG
# script(1) gives brig a terminal: 33x101 at first, 40x120 two seconds in.
(sleep 1; printf 'echo hi-$((1+1)); tty; stty size; sleep 2; stty size; echo $HOME; exit 3\n') |
	timeout 30 script -qec 'stty rows 33 cols 101; (sleep 2; stty rows 40 cols 120 </dev/tty) & "$BRIG" console j' /dev/null >"$T/out" 2>&1 && rc=0 || rc=$?
tr -d '\r' <"$T/out" >"$T/console"
expect_eq "exit status" 3 "$rc"
grep -qx 'hi-2' "$T/console" || fail "no output: $(cat "$T/console")"
grep -qx '/dev/pts/0' "$T/console" || fail "not the jail's own pty: $(cat "$T/console")"
grep -qx '33 101' "$T/console" || fail "initial size: $(cat "$T/console")"
grep -qx '40 120' "$T/console" || fail "SIGWINCH not followed: $(cat "$T/console")"
grep -qx '/root' "$T/console" || fail "not a login shell in root's home: $(cat "$T/console")"

# Without a /dev of its own, the pty comes from the host.
(sleep 1; printf 'echo hi-there; exit\n') |
	timeout 30 script -qec '"$BRIG" console nodev' /dev/null >"$T/out" 2>&1 || fail "console nodev: $(cat "$T/out")"
grep -q 'hi-there' "$T/out" || fail "no output: $(cat "$T/out")"
expect_rc 0 "$BRIG" stop --all
assert_clean
