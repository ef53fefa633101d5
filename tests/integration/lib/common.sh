# Sourced by integration tests. Provides $BRIG, $T and small assertions.
# The test runs as root inside its own net+mount+pid namespace (tests/run.sh).

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# settled REF OUT CMD...: CMD's output in OUT, taken again (every 0.1 s,
# 5 s at most) until it equals REF. A stopped VNET jail's host veth goes
# with its network namespace, in the kernel's time (brig's stop does not
# wait on that delete: doc/net.md), so a snapshot of the host's links
# right after a stop may still list it. The caller diffs REF and OUT.
settled() {
	_ref=$1 _out=$2 _n=0
	shift 2
	"$@" >"$_out"
	while ! cmp -s "$_ref" "$_out" && [ $_n -lt 50 ]; do
		sleep 0.1
		_n=$((_n + 1))
		"$@" >"$_out"
	done
}

# wait_for WHAT CMD...: until CMD succeeds (polled, up to 10 s), else
# fail with WHAT.
wait_for() {
	_what=$1 _n=0
	shift
	until "$@"; do
		_n=$((_n + 1))
		[ $_n -lt 100 ] || fail "$_what"
		sleep 0.1
	done
}

# For wait_for: process PID is in a network namespace other than ours
# (one it made with unshare); interface IFNAME is gone (a veth pair goes
# with the namespace of its other end, in the kernel's time).
netns_differs() {
	_ns=$(readlink "/proc/$1/ns/net" 2>/dev/null) && [ "$_ns" != "$(readlink /proc/self/ns/net)" ]
}
link_gone() { ! ip link show "$1" >/dev/null 2>&1; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
}

# jstate FILE WHAT...: a field of a jail's state file (lib/jstate.py says which).
JSTATE=$PWD/tests/integration/lib/jstate.py
jstate() {
	python3 "$JSTATE" "$@"
}

# expect_rc RC CMD...: run CMD, require exit status RC; output in $OUT/$ERR.
expect_rc() {
	want=$1; shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
	[ "$got" = "$want" ] || fail "$* exited $got, expected $want; stderr: $ERR"
}

# expect_grep PATTERN TEXT
expect_grep() {
	printf '%s\n' "$2" | grep -q -- "$1" || fail "expected /$1/ in: $2"
}

# hold_lock FILE: hold an flock of FILE (as another brig would) until
# release_lock; the holder's pid in $holder.
hold_lock() {
	rm -f "$T/go"
	mkfifo "$T/go"
	flock "$1" sh -c "echo held > $T/held; read x < $T/go" &
	holder=$!
	tries=0
	until [ -s "$T/held" ]; do
		tries=$((tries + 1))
		[ $tries -lt 100 ] || fail "the test's lock holder did not start"
		sleep 0.05
	done
	rm -f "$T/held"
}
release_lock() {
	echo go >"$T/go"
	wait $holder
}

# A busybox root at $1 (static busybox from the host, applets as links).
mk_busybox_root() {
	r=$1
	mkdir -p "$r/bin" "$r/sbin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/root" "$r/var/log"
	cp /bin/busybox "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do
		[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$r/etc/passwd"
	echo "nobody:x:65534:65534:nobody:/:/bin/false" >>"$r/etc/passwd"
	echo "root:x:0:" >"$r/etc/group"
	echo "nogroup:x:65534:" >>"$r/etc/group"
}

# BRIG_TEST_USERNS=1: every jail the test configures runs in a user
# namespace of its own (a wildcard block read after every other file),
# with automatic ranges from subuid/subgid files of the test's own.
if [ "${BRIG_TEST_USERNS:-}" = 1 ]; then
	printf 'root:1000000:6553600\n' >"$T/subuid"
	printf 'root:1000000:6553600\n' >"$T/subgid"
	export BRIG_SUBUID="$T/subuid" BRIG_SUBGID="$T/subgid"
	printf '* { userns; }\n' >"$BRIG_CONFDIR/jail.conf.d/zzzz-test-userns.conf"
fi
