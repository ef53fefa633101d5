#!/bin/sh
# Run every test of brig and print "N passed, N failed[, N skipped]".
#
#   unit         build/asan/tests/test_*   (cmocka; each test case counts)
#   golden       tests/golden/run.sh       (bad input -> exact message)
#   integration  tests/integration/*.sh    (root, the real ASan binary, each
#                                           in its own net+mount+pid namespace)
#   fuzz         build/fuzz/fuzz_conf, fuzz_state, fuzz_oci, fuzz_devfs, fuzz_ocispec (a short run each)
#
# TESTS=pattern limits integration tests to names matching the pattern
# (shell globs; several separated by '|': TESTS='jail_*|net_seed'). The
# tests matching USERNS_TESTS (default 'jail_*|net_*|demo_seed') run a
# second time with every jail in a user namespace of its own, reported as
# integration-userns/NAME; USERNS_TESTS= leaves that pass out.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
export BRIG="$PWD/$BUILD/asan/brig"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
LOG="$BUILD/test-logs"
rm -rf "$LOG"
mkdir -p "$LOG"
pass=0 fail=0 skip=0
failed=""

ok() { pass=$((pass + 1)); printf 'PASS %s\n' "$1"; }
ko() { fail=$((fail + 1)); failed="$failed $1"; printf 'FAIL %s (log: %s)\n' "$1" "$2"; }
sk() { skip=$((skip + 1)); printf 'SKIP %s\n' "$1"; }

# Unit tests: every cmocka case is one test; a crashed binary is one failure.
for t in "$BUILD"/asan/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$LOG/$name.log" 2>&1
	rc=$?
	n_ok=$(grep -c '^\[       OK \]' "$LOG/$name.log")
	n_ko=$(grep '^\[  FAILED  \]' "$LOG/$name.log" | grep -vc 'test(s)')
	pass=$((pass + n_ok))
	if [ "$n_ko" -gt 0 ] || [ "$rc" -ne 0 ]; then
		[ "$n_ko" -gt 0 ] || n_ko=1
		fail=$((fail + n_ko))
		failed="$failed $name"
		printf 'FAIL unit/%s (%s failed; log: %s)\n' "$name" "$n_ko" "$LOG/$name.log"
	else
		printf 'PASS unit/%s (%s cases)\n' "$name" "$n_ok"
	fi
done

# Golden and other suites print "PASS name" / "FAIL name" / "SKIP name" lines.
suite() {
	out="$LOG/$1.log"
	shift
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out" | grep -E '^(PASS|FAIL|SKIP) ' || true
	p=$(grep -c '^PASS ' "$out"); f=$(grep -c '^FAIL ' "$out"); s=$(grep -c '^SKIP ' "$out")
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		ko "$1 (suite exited $rc)" "$out"
	fi
}
[ -x tests/golden/run.sh ] && suite golden tests/golden/run.sh
# The parameter lists of the documentation: what the parameter table
# generates (make docs).
[ -x "$BUILD/asan/gen/params-doc" ] && suite docs "$BUILD/asan/gen/params-doc" --check

# matches NAME PATTERNS: NAME matches one of the '|'-separated globs.
matches() {
	m=1
	set -f
	for p in $(printf '%s' "$2" | tr '|' ' '); do
		case "$1" in $p) m=0 ;; esac
	done
	set +f
	return $m
}

# it LABEL FILE [VAR=VALUE...]: one integration test in its sandbox.
it() {
	label=$1 t=$2
	shift 2
	# Slow tests (*_slow) may be left out with SKIP_SLOW=1. A test
	# marked "# brig-test: host-network" keeps the host's network
	# namespace (debootstrap reaches the Debian mirror); it must
	# create no network object.
	tmo=600 net=--net
	case "$t" in *_slow.sh)
		[ -n "${SKIP_SLOW:-}" ] && { sk "$label (SKIP_SLOW)"; return; }
		tmo=1800 ;;
	esac
	grep -q '^# brig-test: host-network' "$t" && net=
	# The test's directory is made and removed here, on the host's side:
	# from inside, a mount namespace still alive (a jail's, an engine's)
	# or a timeout could leave it behind in /tmp.
	T=$(mktemp -d /tmp/brig-it.XXXXXX)
	env "$@" T="$T" timeout -k 10 $tmo unshare $net --mount --pid --fork --mount-proc \
		--propagation private sh tests/integration/lib/run-one.sh "$t" \
		>"$LOG/it-${label#integration*/}$(printf '%s' "$label" | sed -n 's|^integration-userns/.*|.userns|p').log" 2>&1
	rc=$?
	rmdir "$T" 2>/dev/null || true
	log="$LOG/it-${label#integration*/}$(printf '%s' "$label" | sed -n 's|^integration-userns/.*|.userns|p').log"
	case $rc in
	0) ok "$label" ;;
	77) sk "$label" ;;
	*) ko "$label" "$log"
	   # The test's own verdict (its first FAIL: line, cut), then the
	   # log's end: CI's output is all a failed run leaves behind.
	   grep -m1 -A3 '^FAIL: ' "$log" | cut -c1-400 | sed 's/^/    /'
	   echo "    [...]"
	   tail -n 15 "$log" | cut -c1-400 | sed 's/^/    /' ;;
	esac
}

# Integration tests: root, each in a throwaway net+mount+pid namespace so the
# host's interfaces, routes, firewall and mounts are never touched. Then the
# jail and network tests once more with every jail in a user namespace of
# its own (BRIG_TEST_USERNS: tests/integration/lib/common.sh), the
# unprivileged jails of brig.conf(5); USERNS_TESTS='' leaves that pass out.
USERNS_TESTS=${USERNS_TESTS-'jail_*|net_*|demo_seed'}
if [ "$(id -u)" = 0 ]; then
	for t in tests/integration/*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		[ -z "${TESTS:-}" ] || matches "$name" "$TESTS" || continue
		it "integration/$name" "$t"
	done
	for t in tests/integration/*.sh; do
		[ -f "$t" ] && [ -n "$USERNS_TESTS" ] || continue
		name=$(basename "$t" .sh)
		case "$name" in jail_userns*) continue ;; esac	# userns already
		matches "$name" "$USERNS_TESTS" || continue
		[ -z "${TESTS:-}" ] || matches "$name" "$TESTS" || continue
		it "integration-userns/$name" "$t" BRIG_TEST_USERNS=1
	done
else
	sk "integration (not root)"
fi

# A short fuzz run of each parser: fuzz NAME CORPUS [LIBFUZZER OPTION...].
fuzz() {
	f=$1 corpus=$2
	shift 2
	[ -x "$BUILD/fuzz/fuzz_$f" ] || return 0
	mkdir -p "$BUILD/fuzz/$corpus"
	# A crash's input goes to the log directory, not the working tree.
	if "$BUILD/fuzz/fuzz_$f" -max_total_time="${FUZZ_CHECK_SECONDS:-30}" -max_len=8192 \
		-timeout=25 -artifact_prefix="$LOG/fuzz_$f-" "$@" \
		"$BUILD/fuzz/$corpus" "fuzz/$corpus" >"$LOG/fuzz_$f.log" 2>&1; then
		ok "fuzz/$f ($(grep -o 'Done [0-9]* runs' "$LOG/fuzz_$f.log"))"
	else
		ko "fuzz/$f" "$LOG/fuzz_$f.log"
		# What CI shows of it: the fault, its stack and the input's name
		# (libFuzzer's log ends with its dictionary, not the fault).
		grep -E 'ERROR|SUMMARY|ALARM|out-of-memory|deadly|Test unit written|^ +#[0-9]+ 0x|^(0x|[Bb]ase64:)' \
			"$LOG/fuzz_$f.log" | head -n 40 | sed 's/^/    /'
		tail -n 3 "$LOG/fuzz_$f.log" | sed 's/^/    /'
	fi
}
fuzz conf corpus -dict=fuzz/jailconf.dict
fuzz state corpus-state
fuzz oci corpus-oci
fuzz devfs corpus-devfs
fuzz compose corpus-compose
fuzz ocispec corpus-ocispec

[ -n "$failed" ] && printf 'failed:%s\n' "$failed"
if [ "$skip" -gt 0 ]; then
	printf '%d passed, %d failed, %d skipped\n' "$pass" "$fail" "$skip"
else
	printf '%d passed, %d failed\n' "$pass" "$fail"
fi
[ "$fail" -eq 0 ]
