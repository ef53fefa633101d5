# brig exec / jexec on a terminal: the jail gets a fresh pty of its own
# devpts, relayed; the caller's terminal never enters the jail, so a process
# left behind cannot read what is typed at the host afterwards. Without a
# terminal, pipes pass through as before.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

PTY="python3 tests/integration/lib/ptyrun.py"
conf "j { path = \"$ROOT\"; persist; mount.devfs; }
nodev { path = \"$ROOT\"; persist; }
basic { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 2; }"
expect_rc 0 "$BRIG" start j nodev basic
remember_cgroups j
remember_cgroups nodev
remember_cgroups basic
ln -sf "$BRIG" "$T/jexec"
chmod 1777 "$ROOT/tmp"

# The attack: a process left behind keeps stdin, waits for the caller's
# next line. It ignores the hangup of its terminal, so that what it read
# (if anything) is written down.
left='trap "" HUP; exec 3<&0; (echo r >/tmp/ready; read -r l <&3; echo "rc=$? line=$l" >/tmp/stolen) >/dev/null 2>&1 & echo started'
for how in "$BRIG exec j" "$T/jexec j" "$BRIG exec j -u nobody"; do
	rm -f "$ROOT/tmp/ready" "$ROOT/tmp/stolen"
	# shellcheck disable=SC2086
	stolen=$($PTY steal "$ROOT" -- $how sh -c "$left" 2>"$T/err") || fail "$how: $(cat "$T/err")"
	expect_grep "started" "$(cat "$T/err")"
	case $stolen in
	rc=*) ;;
	*) fail "$how: the process left did not report: $stolen" ;;
	esac
	case $stolen in
	*MARKER*) fail "$how: a process left in the jail read the host's terminal: $stolen" ;;
	esac
done

# The command's terminal is a pty of the jail's own devpts, sized like the
# caller's; every descriptor of the command is on it.
$PTY run -- "$BRIG" exec j sh -c 'tty; stty size; ls -l /proc/self/fd/ | grep -c pts; [ -t 0 ] && [ -t 2 ] && echo all-tty' >"$T/out" 2>&1 ||
	fail "tty: $(cat "$T/out")"
grep -qx '/dev/pts/[0-9]*' "$T/out" || fail "not a pty of the jail: $(cat "$T/out")"
grep -qx '33 101' "$T/out" || fail "window size: $(cat "$T/out")"
grep -qx 'all-tty' "$T/out" || fail "stdio: $(cat "$T/out")"
# Without a devpts of its own the pty comes from the host's (a fresh one,
# not the caller's terminal).
$PTY run -- "$BRIG" exec nodev sh -c '[ -t 0 ] && [ -t 1 ] && echo fresh-tty' >"$T/out" 2>&1 || fail "nodev: $(cat "$T/out")"
grep -qx 'fresh-tty' "$T/out" || fail "nodev: $(cat "$T/out")"

# Exit status, input relayed, ^D is the end of input, output drained.
set +e
$PTY run --after ready --input 'abc\n\x04' -- "$BRIG" exec j sh -c 'echo ready; cat; echo "cat=$?"; exit 7' >"$T/out" 2>&1
rc=$?
set -e
expect_eq "exit status through the pty" 7 "$rc"
grep -qx 'abc' "$T/out" || fail "input not relayed: $(cat "$T/out")"
grep -qx 'cat=0' "$T/out" || fail "^D did not end cat's input: $(cat "$T/out")"
$PTY run -- "$BRIG" exec j sh -c 'i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i + 1)); done' >"$T/out" 2>&1 ||
	fail "drain: $(cat "$T/out")"
expect_eq "lines drained" 3000 "$(grep -c '^line ' "$T/out")"
grep -qx 'line 2999' "$T/out" || fail "the last line is missing"

# Raw mode on the caller's terminal while relaying, restored when brig is
# told to end: SIGTERM goes on to the command, whose status is brig's.
set +e
$PTY raw -- "$BRIG" exec j sh -c 'trap "echo term >/tmp/term; exit 5" TERM; echo up; while :; do sleep 1; done' >"$T/out" 2>&1
rc=$?
set -e
grep -qx 'raw=1' "$T/out" || fail "not raw while relaying: $(cat "$T/out")"
grep -qx 'restored=1' "$T/out" || fail "terminal modes not restored: $(cat "$T/out")"
expect_eq "SIGTERM passed on, the command's status" 5 "$rc"
expect_eq "the command's trap" term "$(cat "$ROOT/tmp/term")"

# stdin a pipe, stdout the terminal: the pipe passes, the terminal is a pty.
$PTY run -- sh -c "echo hi-from-a-pipe | '$BRIG' exec j sh -c 'cat; [ -t 0 ] || echo stdin-pipe; readlink /proc/self/fd/1'" >"$T/out" 2>&1 ||
	fail "pipe in: $(cat "$T/out")"
grep -qx 'hi-from-a-pipe' "$T/out" || fail "pipe in: $(cat "$T/out")"
grep -qx 'stdin-pipe' "$T/out" || fail "pipe in: $(cat "$T/out")"
grep -qx '/dev/pts/[0-9]*' "$T/out" || fail "pipe in: $(cat "$T/out")"

# -t: a pty even without a terminal.
expect_rc 0 "$BRIG" exec j -t sh -c 'tty' </dev/null
expect_grep '^/dev/pts/[0-9]*' "$OUT"
# A /dev without ptys (devfs_ruleset 2: the basic nodes only): the pty
# comes from the host's devpts.
expect_rc 0 "$BRIG" exec basic -t sh -c '[ -t 0 ] && echo fresh-tty' </dev/null
expect_grep '^fresh-tty' "$OUT"

# Without a terminal: pipes, as before.
OUT=$(echo hi | "$BRIG" exec j cat)
expect_eq "pipes" "hi" "$OUT"
OUT=$(echo hi | "$BRIG" exec j sh -c 'cat; tty' 2>&1 || true)
expect_grep "not a tty" "$OUT"

expect_rc 0 "$BRIG" stop --all

# The jail's own commands run by jail(8) at a terminal (exec.start; brig's
# own start logs them instead): a process they leave behind reads neither
# its stdin nor its stdout (a terminal is read-write) after jail -c ends.
# jail(8)'s `command` gets a fresh pty, as brig exec does.
ln -sf "$BRIG" "$T/jail"
cat >"$ROOT/tmp/left.sh" <<'SH'
trap "" HUP
(echo r >/tmp/ready; read -r a; echo "in rc=$? line=$a"; read -r b <&3; echo "out rc=$? line=$b"
 read -r c <&4; echo "err rc=$? line=$c") 3>&1 4>&2 >/tmp/stolen 2>/dev/null &
echo started
SH
printf 'h { path = "%s"; persist; mount.devfs; exec.start = "/bin/sh /tmp/left.sh"; }\n' "$ROOT" >"$T/h.conf"
rm -f "$ROOT/tmp/ready" "$ROOT/tmp/stolen"
stolen=$($PTY steal "$ROOT" -- "$T/jail" -f "$T/h.conf" -c h 2>"$T/err") || fail "jail -c h: $(cat "$T/err")"
expect_grep "started" "$(cat "$T/err")"
case $stolen in
*MARKER*) fail "exec.start: a process left in the jail read the host's terminal: $stolen" ;;
*"in rc="*) ;;
*) fail "exec.start: the process left did not report: $stolen" ;;
esac
expect_rc 0 "$T/jail" -f "$T/h.conf" -r h
# command = a shell: its terminal is a fresh pty of the jail.
printf 'tty; [ -t 0 ] && echo in-tty\n' >"$ROOT/tmp/k.sh"
printf 'k { path = "%s"; mount.devfs; command = "/bin/sh /tmp/k.sh"; }\n' "$ROOT" >"$T/k.conf"
$PTY run -- "$T/jail" -f "$T/k.conf" -c k >"$T/out" 2>&1 || fail "jail -c k: $(cat "$T/out")"
grep -qx '/dev/pts/[0-9]*' "$T/out" || fail "command: not a pty of the jail: $(cat "$T/out")"
grep -qx 'in-tty' "$T/out" || fail "command: stdin: $(cat "$T/out")"
assert_clean
