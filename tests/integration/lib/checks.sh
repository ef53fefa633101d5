# Sourced by tests that run every check and report all failures at the
# end (checks_done), rather than stopping at the first.
bad=0
# ko WHAT: one check failed.
ko() { echo "FAIL: $*" >&2; bad=$((bad + 1)); }

# try CMD...: run it; status in $RC, output in $OUT and $ERR (never fails).
try() {
	set +e
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
	set -e
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
# ok WHAT: the last try exited 0.
ok() { [ "$RC" = 0 ] || ko "$1: exit status $RC: $ERR"; }
# has PATTERN TEXT WHAT / hasnt PATTERN TEXT WHAT
has() { printf '%s\n' "$2" | grep -q -- "$1" || ko "$3: expected /$1/ in: $2"; }
hasnt() { ! printf '%s\n' "$2" | grep -q -- "$1" || ko "$3: unexpected /$1/ in: $2"; }

# checks_done: the test fails if any check did.
checks_done() { [ $bad = 0 ] || fail "$bad check(s) failed"; }
