# Shared-IP jails' programs loaded once (sys/sockaddr.c): two jails
# started at once on a run directory without them load one set, pinned in
# brig's bpffs, and both are held to their addresses by it, each by the
# policy in its group's storage; a group whose policy is gone (zeroed)
# gets no socket at all (fail-closed), and brig doctor says so; the policy goes with the group, at
# a stop, when a jail's init is killed and brig ls cleans up, and at a
# failed start (an error, and a SIGKILL of brig at each fault point).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail has no network of its own for a user namespace"
command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cc -static -O1 -o "$ROOT/bin/probe" tests/integration/lib/probe.c || fail "the probe does not build"
cc -O1 -o "$T/sockpolicy" tests/integration/lib/sockpolicy.c || fail "sockpolicy does not build"

ip link add lan0 type veth peer name lan1
ip addr add 192.0.2.1/24 dev lan0
ip -6 addr add 2001:db8::1/64 dev lan0 nodad
ip link set lan0 up
ip link set lan1 up

conf "a { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; ip6.addr = \"lan0|2001:db8::11\"; }
b { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.12\"; }
c { path = \"$ROOT\"; persist; }
bad { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.13\"; exec.start = false; }"

# v2group NAME: the jail's cgroup v2 group.
v2group() {
	for d in $(jstate "$BRIG_RUNDIR/$1/state" obj cgroup); do
		[ "$(stat -f -c %T "$d")" != cgroup2fs ] || { echo "$d"; return; }
	done
	fail "$1 has no cgroup v2 group"
}
# refused NAME CMD...: the command fails in the jail (at once: not a timeout).
refused() {
	set +e
	timeout 10 "$BRIG" exec "$@" </dev/null >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc != 0 ] && [ $rc != 124 ] || fail "$*: not refused (exit $rc): $(cat "$T/out")"
}
# policies N: until N groups have a policy (5 s at most: a removed group's
# storage is freed by the kernel a moment later).
policies() {
	tries=0
	until [ "$("$T/sockpolicy" "$MAP" count)" = "$1" ]; do
		tries=$((tries + 1))
		[ $tries -lt 50 ] || fail "policies: expected $1, got $("$T/sockpolicy" "$MAP" count)"
		sleep 0.1
	done
}

[ ! -e "$BRIG_RUNDIR/.bpf" ] || fail "a bpffs before any start?"
expect_rc 0 "$BRIG" start a b c
remember_cgroups a
remember_cgroups b
remember_cgroups c
expect_eq "sets of programs" 1 "$(ls "$BRIG_RUNDIR/.bpf" | grep -c '^sockaddr-')"
expect_eq "half-made sets" 0 "$(ls "$BRIG_RUNDIR/.bpf" | grep -c '^new-')"
MAP=$(echo "$BRIG_RUNDIR"/.bpf/sockaddr-*/policy)
expect_eq "a's policy" 67697262 "$("$T/sockpolicy" "$MAP" get "$(v2group a)")"
expect_eq "b's policy" 67697262 "$("$T/sockpolicy" "$MAP" get "$(v2group b)")"
expect_eq "c's policy (no address)" none "$("$T/sockpolicy" "$MAP" get "$(v2group c)")"
expect_eq "policies" 2 "$("$T/sockpolicy" "$MAP" count)"
expect_rc 0 "$BRIG" exec a probe bind 192.0.2.11 81
expect_rc 0 "$BRIG" exec a probe bind 2001:db8::11 81
expect_rc 0 "$BRIG" exec b probe bind 192.0.2.12 81
refused a probe bind 192.0.2.12 81
refused b probe bind 192.0.2.11 81
refused b probe udp - 2001:db8::1 5000
expect_rc 0 "$BRIG" exec c probe bind 0.0.0.0 81

# Started in parallel by two brig processes, on a fresh run directory
# each time (its own bpffs): one set, both jails held.
expect_rc 0 "$BRIG" stop a b c
assert_clean
for i in 1 2 3; do
	umount "$BRIG_RUNDIR/.bpf"
	rm -rf "$BRIG_RUNDIR"
	"$BRIG" start a >"$T/a.out" 2>&1 &
	pa=$!
	"$BRIG" start b >"$T/b.out" 2>&1 &
	pb=$!
	wait $pa || fail "start a next to b: $(cat "$T/a.out")"
	wait $pb || fail "start b next to a: $(cat "$T/b.out")"
	remember_cgroups a
	remember_cgroups b
	expect_eq "sets of programs" 1 "$(ls "$BRIG_RUNDIR/.bpf" | grep -c '^sockaddr-')"
	expect_eq "half-made sets" 0 "$(ls "$BRIG_RUNDIR/.bpf" | grep -c '^new-')"
	MAP=$(echo "$BRIG_RUNDIR"/.bpf/sockaddr-*/policy)
	expect_eq "policies" 2 "$("$T/sockpolicy" "$MAP" count)"
	refused a probe bind 192.0.2.12 81
	refused b probe bind 192.0.2.11 81
	expect_rc 0 "$BRIG" exec b probe bind 192.0.2.12 81
	expect_rc 0 "$BRIG" stop a b
	policies 0
done

# Fail-closed: a group whose policy is gone (zero, as its storage is
# before brig writes it) has no socket call allowed, its own address
# included.
expect_rc 0 "$BRIG" start a
expect_rc 0 "$BRIG" exec a probe bind 192.0.2.11 81
expect_rc 0 "$BRIG" doctor a
expect_grep "OK   jail     socket policy" "$OUT"
"$T/sockpolicy" "$MAP" zero "$(v2group a)" || fail "zeroing a's policy"
expect_rc 1 "$BRIG" doctor a
expect_grep "FAIL jail     socket policy" "$OUT"
refused a probe bind 192.0.2.11 81
refused a probe bind 2001:db8::11 81
refused a probe udp - 192.0.2.1 5000
refused a probe tcp - 192.0.2.1 5001
refused a probe udp 192.0.2.11 192.0.2.1 5000

# Its init killed: brig ls cleans up, the policy goes with the group.
expect_rc 0 "$BRIG" start b
policies 2
init=$(jstate "$BRIG_RUNDIR/a/state" init)
kill -9 "$init"
sleep 0.5
expect_rc 0 "$BRIG" ls
policies 1
expect_rc 0 "$BRIG" stop b
policies 0
assert_clean

# A group an earlier start left (it could not be removed), with the
# programs on it: used again, the policy written anew.
expect_rc 0 "$BRIG" start b
bgroup=$(v2group b)
expect_rc 0 "$BRIG" stop b
mkdir -p "$bgroup"
"$T/sockpolicy" "$(dirname "$MAP")/bind4" attach "$bgroup" || fail "attaching bind4 to $bgroup"
expect_rc 0 "$BRIG" start b
expect_eq "b's policy" 67697262 "$("$T/sockpolicy" "$MAP" get "$bgroup")"
expect_rc 0 "$BRIG" exec b probe bind 192.0.2.12 81
refused b probe bind 192.0.2.11 81
expect_rc 0 "$BRIG" stop b
policies 0
assert_clean

# A failed start leaves no policy: an error after the programs are
# attached, and brig killed at each fault point of a start.
expect_rc 1 "$BRIG" start bad
policies 0
n=1
while :; do
	set +e
	BRIG_FAULT=$n "$BRIG" start b >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc = 0 ] && break
	[ $rc = 137 ] || fail "start, fault point $n: brig exited $rc: $(cat "$T/out")"
	expect_rc 0 "$BRIG" ls
	policies 0
	n=$((n + 1))
	[ $n -lt 100 ] || fail "more than 100 fault points?"
done
policies 1
expect_rc 0 "$BRIG" stop b
policies 0
assert_clean
